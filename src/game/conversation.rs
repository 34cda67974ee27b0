//! The adapter between the domain session and the screens: it owns the [`Session`], applies the
//! trainee's choices, and turns the domain's events into a conversation log and signals the
//! conversation screen presents. Nothing here scores or branches; the domain does.

use std::sync::Arc;

use bevy::prelude::*;

use crate::domain::engine::session::{ChoiceView, Event, Speaker};
use crate::domain::engine::{AttemptResult, Compiled, Session, Setup};
use crate::domain::text::Locale;
use crate::game::AppSystems;
use crate::game::classroom::Turn;
use crate::game::content::ContentLibrary;
use crate::game::results::Results;
use crate::game::screens::Screen;
use crate::game::settings::{Mode, Settings};

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
                        (true, Locale::ZhCn) => "对方已经没有耐心了。".to_owned(),
                        (true, Locale::En) => "The debtor has run out of patience.".to_owned(),
                        (false, Locale::ZhCn) => "谈得太久了，对方要结束了。".to_owned(),
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

/// The result of the conversation that just ended.
#[derive(Resource, Debug, Clone)]
pub struct LastResult {
    /// The scored result.
    pub result: AttemptResult,
    /// The best overall on this scenario before this attempt.
    pub previous_best: Option<f64>,
    /// Practice or exam.
    pub mode: Mode,
    /// The attempt's id in the results database, or why it could not be saved.
    pub saved: Result<i64, String>,
    /// Played as a classroom turn.
    pub classroom: bool,
}

/// The player's name as typed on the title screen.
#[derive(Resource, Debug, Clone, Default)]
pub struct TraineeName(pub String);

fn start_conversation(
    mut starts: MessageReader<StartConversation>,
    content: Res<ContentLibrary>,
    settings: Res<Settings>,
    name: Option<Res<TraineeName>>,
    time: Res<Time<Real>>,
    mut next: ResMut<NextState<Screen>>,
    mut commands: Commands,
) {
    let Some(start) = starts.read().last().cloned() else {
        return;
    };
    let Some(compiled) = content.library.scenario(&start.scenario) else {
        error!("scenario `{}` is not playable", start.scenario);
        return;
    };
    // A scenario not written in the chosen language plays in its first language.
    let locale = if compiled
        .scenario
        .locales
        .iter()
        .any(|l| Locale::from_tag(l) == Some(settings.locale))
    {
        settings.locale
    } else {
        compiled
            .scenario
            .locales
            .iter()
            .find_map(|l| Locale::from_tag(l))
            .unwrap_or(settings.locale)
    };
    let setup = Setup {
        prepared: start.prepared.clone(),
        trainee: name.map(|n| n.0.clone()).filter(|n| !n.trim().is_empty()),
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
                version: 0,
                prepared: start.prepared,
            };
            conversation.absorb(events);
            commands.insert_resource(conversation);
            next.set(Screen::Conversation);
        }
        Err(e) => error!("cannot start `{}`: {e}", start.scenario),
    }
}

fn apply_choices(
    mut says: MessageReader<Say>,
    conversation: Option<ResMut<Conversation>>,
    results: Res<Results>,
    turn: Option<Res<Turn>>,
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
            Ok(events) => conversation.absorb(events),
            Err(e) => warn!("choice `{id}` refused: {e}"),
        }
        if let Some(result) = conversation.session.result() {
            let trainee = conversation.session.trainee().to_owned();
            let previous_best = match results.best_scores(&trainee) {
                Ok(bests) => bests
                    .into_iter()
                    .find(|(id, _, _)| *id == result.scenario)
                    .map(|(_, score, _)| score),
                // The save below reports the store's trouble on the debrief itself.
                Err(e) => {
                    error!("the previous best could not be read: {e}");
                    None
                }
            };
            // Committed before the debrief is shown: what the trainee sees is what is kept.
            let c = conversation.content().clone();
            let ended_at = crate::store::now();
            let saved = results.save(
                "attempt",
                |s| {
                    s.record_attempt(&crate::store::NewAttempt {
                        trainee: &trainee,
                        team: turn.as_ref().map(|t| t.team),
                        round: turn.as_ref().map(|t| t.round),
                        persona: &c.persona.id.0,
                        channel: c.scenario.channel.key(),
                        mode: conversation.mode,
                        started_at: conversation.started_wall,
                        ended_at,
                        result: &result,
                    })
                    .map(|a| a.id)
                },
                || {
                    serde_json::json!({
                        "trainee": trainee,
                        "mode": conversation.mode,
                        "started_at": crate::store::stamp(conversation.started_wall),
                        "ended_at": crate::store::stamp(ended_at),
                        "result": result,
                    })
                },
            );
            if let Err(e) = &saved {
                error!("the attempt was not saved: {e}");
            }
            commands.insert_resource(LastResult {
                result,
                previous_best,
                mode: conversation.mode,
                saved,
                classroom: turn.is_some(),
            });
        }
    }
}
