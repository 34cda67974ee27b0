//! The practice adapter between the domain session and the practice screens: it owns the
//! [`Session`], applies the trainee's choices, turns the domain's events into the conversation
//! log the screen presents, and announces [`ConversationEnded`] for the records plugin to save.
//! Nothing here scores, branches or saves.

use std::sync::Arc;

use bevy::prelude::*;

use crate::domain::engine::session::{ChoiceView, Event, Speaker};
use crate::domain::engine::{Compiled, Session, Setup};
use crate::domain::text::Locale;
use crate::game::content::ContentLibrary;
use crate::game::records::ConversationEnded;
use crate::game::settings::{Mode, Settings};
use crate::game::state::{AppSystems, Navigate, Screen, TraineeName};

pub(super) fn plugin(app: &mut App) {
    app.add_message::<StartConversation>();
    app.add_message::<Say>();
    app.add_systems(
        Update,
        (start_conversation, apply_choices)
            .chain()
            .in_set(AppSystems::Act),
    );
}

/// Begin a conversation (from the briefing's Start, a retry, or autoplay).
#[derive(Message, Debug, Clone)]
pub struct StartConversation {
    /// Scenario id.
    pub scenario: String,
    /// Seed for the debtor's line variants.
    pub seed: u64,
    /// Preparation ids ticked.
    pub prepared: Vec<String>,
}

/// The trainee says the choice with this id.
#[derive(Message, Debug, Clone)]
pub struct Say(pub String);

/// What a log line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogKind {
    /// The debtor speaks.
    Debtor,
    /// The trainee speaks.
    Trainee,
    /// Narration.
    Scene,
    /// Evidence gained.
    Evidence,
    /// A hidden truth uncovered.
    Truth,
    /// A rule broken.
    Violation,
    /// Patience ran out or the call went on too long.
    Notice,
}

/// One line of the conversation log.
#[derive(Debug, Clone)]
pub struct LogLine {
    /// What it is.
    pub kind: LogKind,
    /// The text, in the session's language.
    pub text: String,
}

/// Feedback on the last answer (shown in practice mode).
#[derive(Debug, Clone)]
pub struct FeedbackNote {
    /// Whether it was the best line available.
    pub was_best: bool,
    /// Why it works or not.
    pub text: String,
    /// The better line, when there was one.
    pub better: Option<String>,
}

/// The conversation in progress.
#[derive(Resource)]
pub struct Conversation {
    /// The domain session.
    pub session: Session,
    /// Everything shown so far.
    pub log: Vec<LogLine>,
    /// Feedback on the last answer.
    pub feedback: Option<FeedbackNote>,
    /// Practice or exam, fixed at the start.
    pub mode: Mode,
    /// Seconds on the clock when it started (for the call timer).
    pub started_at: f64,
    /// When it started, as recorded in the results.
    pub started_wall: jiff::Timestamp,
    /// When each turn was answered (for the statements' timestamps).
    pub turn_times: Vec<jiff::Timestamp>,
    /// Bumped whenever the log or state changes, so the screen redraws.
    pub version: u64,
    /// Preparation ids ticked.
    pub prepared: Vec<String>,
}

impl Conversation {
    /// The compiled scenario.
    pub fn content(&self) -> &Arc<Compiled> {
        self.session.content()
    }

    /// The choices to show now.
    pub fn choices(&self) -> Vec<ChoiceView> {
        self.session.choices()
    }

    fn absorb(&mut self, events: Vec<Event>) {
        for e in events {
            let line = match e {
                Event::Scene { text } => LogLine {
                    kind: LogKind::Scene,
                    text,
                },
                Event::DebtorSaid { text, .. } => LogLine {
                    kind: LogKind::Debtor,
                    text,
                },
                Event::TraineeSaid { text, .. } => LogLine {
                    kind: LogKind::Trainee,
                    text,
                },
                Event::EvidenceGained { label, .. } => LogLine {
                    kind: LogKind::Evidence,
                    text: label,
                },
                Event::TruthRevealed { text, .. } => LogLine {
                    kind: LogKind::Truth,
                    text,
                },
                Event::Violation { explanation, .. } => LogLine {
                    kind: LogKind::Violation,
                    text: explanation,
                },
                Event::CutShort { patience } => LogLine {
                    kind: LogKind::Notice,
                    text: match (patience, self.session.locale()) {
                        (true, Locale::ZhCn | Locale::ZhTw) => "对方已经没有耐心了。".to_owned(),
                        (true, Locale::En) => "The debtor has run out of patience.".to_owned(),
                        (false, Locale::ZhCn | Locale::ZhTw) => {
                            "谈得太久了，对方要结束了。".to_owned()
                        }
                        (false, Locale::En) => {
                            "This has gone on too long for the debtor.".to_owned()
                        }
                    },
                },
                Event::Feedback {
                    was_best,
                    text,
                    better,
                    ..
                } => {
                    self.feedback = Some(FeedbackNote {
                        was_best,
                        text,
                        better,
                    });
                    continue;
                }
                Event::MoodChanged { .. }
                | Event::PatienceChanged { .. }
                | Event::FlagSet { .. }
                | Event::Ended { .. } => continue,
            };
            self.log.push(line);
        }
        self.version += 1;
    }

    /// Who speaks each transcript line, for views that only need the transcript.
    pub fn speaker_of(kind: LogKind) -> Option<Speaker> {
        match kind {
            LogKind::Debtor => Some(Speaker::Debtor),
            LogKind::Trainee => Some(Speaker::Trainee),
            LogKind::Scene => Some(Speaker::Narrator),
            _ => None,
        }
    }
}

fn start_conversation(
    mut starts: MessageReader<StartConversation>,
    content: Res<ContentLibrary>,
    settings: Res<Settings>,
    name: Res<TraineeName>,
    time: Res<Time<Real>>,
    mut next: Navigate,
    mut commands: Commands,
) {
    let Some(start) = starts.read().last().cloned() else {
        return;
    };
    let Some(compiled) = content.library.scenario(&start.scenario) else {
        error!("scenario `{}` is not playable", start.scenario);
        return;
    };
    // A scenario not written in the chosen language plays in the language its readers read
    // (zh-TW: zh-CN), else in its first language.
    let locale = settings.locale.closest_in(&compiled.scenario.locales);
    let setup = Setup {
        prepared: start.prepared.clone(),
        trainee: Some(name.0.clone()).filter(|n| !n.trim().is_empty()),
        truths: Vec::new(),
    };
    match Session::start(compiled, start.seed, locale, setup) {
        Ok((session, events)) => {
            let mut conversation = Conversation {
                session,
                log: Vec::new(),
                feedback: None,
                mode: settings.mode,
                started_at: time.elapsed_secs_f64(),
                started_wall: crate::store::now(),
                turn_times: Vec::new(),
                version: 0,
                prepared: start.prepared,
            };
            conversation.absorb(events);
            commands.insert_resource(conversation);
            next.to(Screen::Conversation);
        }
        Err(e) => error!("cannot start `{}`: {e}", start.scenario),
    }
}

fn apply_choices(
    mut says: MessageReader<Say>,
    conversation: Option<ResMut<Conversation>>,
    mut commands: Commands,
) {
    let Some(mut conversation) = conversation else {
        says.clear();
        return;
    };
    for Say(id) in says.read() {
        if conversation.session.is_ended() {
            break;
        }
        match conversation.session.choose(id) {
            Ok(events) => {
                conversation.turn_times.push(crate::store::now());
                conversation.absorb(events);
            }
            Err(e) => warn!("choice `{id}` refused: {e}"),
        }
        if let Some(result) = conversation.session.result() {
            let c = conversation.content().clone();
            // The records plugin saves it before the debrief shows.
            commands.trigger(ConversationEnded {
                result,
                trainee: conversation.session.trainee().to_owned(),
                persona: c.persona.id.0.clone(),
                channel: c.scenario.channel.key(),
                mode: conversation.mode,
                started_at: conversation.started_wall,
                ended_at: crate::store::now(),
                turn_times: conversation.turn_times.clone(),
            });
        }
    }
}
