//! The game's shared state, imported by every feature and importing none of them: the order of
//! the frame's work, how the game was started, which screen is showing (and how to go to
//! another, campaign mode's screens included), the scenario being prepared, the trainee's name and the play context a result is
//! recorded under.

use std::path::PathBuf;
use std::time::Instant;

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.init_state::<Screen>();
    app.add_sub_state::<QuizScreen>();
    app.add_sub_state::<ClassroomScreen>();
    app.add_sub_state::<CampaignScreen>();
    app.init_state::<Overlay>();
    app.init_resource::<Selection>();
    app.init_resource::<TraineeName>();
    app.init_resource::<PlayContext>();
    // Free practice starts at the scenario cards, whatever was played before.
    app.add_systems(
        OnEnter(Screen::ScenarioSelect),
        |mut c: ResMut<PlayContext>| {
            c.set_if_neq(PlayContext::Practice);
        },
    );
}

/// The order of the frame's work, declared once: read input, act on it, then present.
#[derive(SystemSet, Debug, Clone, Copy, Eq, PartialEq, Hash, PartialOrd, Ord)]
pub enum AppSystems {
    /// Turn devices and scripted input into intents (`Press`, `Say`…).
    ReadInput,
    /// Apply intents: the domain session, content reloads, screen changes.
    Act,
    /// Bring what is shown up to date.
    Present,
}

/// How the game was started.
#[derive(Resource, Debug, Clone)]
pub struct GameOptions {
    /// The content folder (`dialogues/`).
    pub content_dir: PathBuf,
    /// Draw every frame rather than on input only: a scripted run advances by itself.
    pub continuous: bool,
    /// When the process started, for the start-up time measurement.
    pub started: Instant,
    /// The results database (`--db`, the environment, or the per-user default).
    pub db: PathBuf,
}

/// Which screen is showing. Quiz and classroom mode are features with screens of their own:
/// [`QuizScreen`] and [`ClassroomScreen`] are their sub-states.
#[derive(States, Debug, Hash, PartialEq, Eq, Clone, Copy, Default)]
pub enum Screen {
    /// Waiting for the content folder.
    #[default]
    Loading,
    /// Name, language, start.
    Title,
    /// Scenario cards.
    ScenarioSelect,
    /// The briefing and the preparation checklist.
    Briefing,
    /// The call or visit.
    Conversation,
    /// Scores and the turn-by-turn review.
    Debrief,
    /// Problems found in the content files.
    ContentErrors,
    /// A self-assessment quiz (see [`QuizScreen`]).
    Quiz,
    /// Classroom mode (see [`ClassroomScreen`]).
    Classroom,
    /// Campaign mode: the collection desk over simulated weeks (see [`CampaignScreen`]).
    Campaign,
}

/// The screens of campaign mode.
#[derive(SubStates, Debug, Hash, PartialEq, Eq, Clone, Copy, Default)]
#[source(Screen = Screen::Campaign)]
pub enum CampaignScreen {
    /// Choosing a campaign (or continuing one).
    #[default]
    Select,
    /// The desk: calendar, ledger, actions, log.
    Desk,
    /// The end-of-campaign report.
    Report,
}

/// The screens of a self-assessment quiz.
#[derive(SubStates, Debug, Hash, PartialEq, Eq, Clone, Copy, Default)]
#[source(Screen = Screen::Quiz)]
pub enum QuizScreen {
    /// Choosing a quiz.
    #[default]
    Setup,
    /// Answering it, one question at a time.
    Question,
    /// The score, topics, recommendations and explanations.
    Result,
}

/// The screens of classroom mode.
#[derive(SubStates, Debug, Hash, PartialEq, Eq, Clone, Copy, Default)]
#[source(Screen = Screen::Classroom)]
pub enum ClassroomScreen {
    /// The trainer's PIN, in front of classroom mode.
    #[default]
    Pin,
    /// Sessions: new, continue, review.
    Sessions,
    /// A session's teams.
    Teams,
    /// Planning a round: scenarios and seed.
    Round,
    /// The hot seat: which team is up, who takes the keyboard.
    Turn,
    /// The hot seat of a campaign round: each team works the same desk in turn.
    CampaignTurn,
    /// The leaderboard and the trainer's views of a session.
    Board,
    /// The learning record store results are sent to, and its outbox.
    Lrs,
}

/// One screen to show: a top-level [`Screen`] or a screen inside a feature's sub-state.
#[derive(Debug, Hash, PartialEq, Eq, Clone, Copy)]
pub enum Place {
    /// A screen without sub-screens (or a feature's first screen).
    Screen(Screen),
    /// A quiz screen.
    Quiz(QuizScreen),
    /// A classroom screen.
    Classroom(ClassroomScreen),
    /// A campaign screen.
    Campaign(CampaignScreen),
}

impl From<Screen> for Place {
    fn from(s: Screen) -> Self {
        Place::Screen(s)
    }
}

impl From<QuizScreen> for Place {
    fn from(s: QuizScreen) -> Self {
        Place::Quiz(s)
    }
}

impl From<ClassroomScreen> for Place {
    fn from(s: ClassroomScreen) -> Self {
        Place::Classroom(s)
    }
}

impl From<CampaignScreen> for Place {
    fn from(s: CampaignScreen) -> Self {
        Place::Campaign(s)
    }
}

impl Place {
    /// The screen showing in `world`, down to its sub-screen.
    pub fn current(world: &World) -> Place {
        let screen = *world.resource::<State<Screen>>().get();
        let quiz = world.get_resource::<State<QuizScreen>>().map(|s| *s.get());
        let classroom = world
            .get_resource::<State<ClassroomScreen>>()
            .map(|s| *s.get());
        let campaign = world
            .get_resource::<State<CampaignScreen>>()
            .map(|s| *s.get());
        Place::of(screen, quiz, classroom, campaign)
    }

    /// Shows this place from the next frame on (the world-level form of [`Navigate::to`]).
    pub fn go(self, world: &mut World) {
        let mut navigate = bevy::ecs::system::SystemState::<Navigate>::new(world);
        if let Ok(mut next) = navigate.get_mut(world) {
            next.to(self);
        }
        navigate.apply(world);
    }

    fn of(
        screen: Screen,
        quiz: Option<QuizScreen>,
        classroom: Option<ClassroomScreen>,
        campaign: Option<CampaignScreen>,
    ) -> Place {
        match (screen, quiz, classroom, campaign) {
            (Screen::Quiz, Some(q), _, _) => Place::Quiz(q),
            (Screen::Classroom, _, Some(c), _) => Place::Classroom(c),
            (Screen::Campaign, _, _, Some(c)) => Place::Campaign(c),
            (s, _, _, _) => Place::Screen(s),
        }
    }
}

/// Where the game is and where it goes next: the one way screens change.
#[derive(SystemParam)]
pub struct Navigate<'w> {
    screen: Res<'w, State<Screen>>,
    quiz: Option<Res<'w, State<QuizScreen>>>,
    classroom: Option<Res<'w, State<ClassroomScreen>>>,
    campaign: Option<Res<'w, State<CampaignScreen>>>,
    next_screen: ResMut<'w, NextState<Screen>>,
    next_quiz: ResMut<'w, NextState<QuizScreen>>,
    next_classroom: ResMut<'w, NextState<ClassroomScreen>>,
    next_campaign: ResMut<'w, NextState<CampaignScreen>>,
}

impl Navigate<'_> {
    /// The screen showing now.
    pub fn here(&self) -> Place {
        Place::of(
            *self.screen.get(),
            self.quiz.as_ref().map(|s| *s.get()),
            self.classroom.as_ref().map(|s| *s.get()),
            self.campaign.as_ref().map(|s| *s.get()),
        )
    }

    /// Shows `place` from the next frame on (entering it again if it is showing: a refresh).
    pub fn to(&mut self, place: impl Into<Place>) {
        match place.into() {
            Place::Screen(s) => self.next_screen.set(s),
            // Into the feature if not there yet, then to its screen.
            Place::Quiz(q) => {
                NextState::set_if_neq(&mut self.next_screen, Screen::Quiz);
                self.next_quiz.set(q);
            }
            Place::Classroom(c) => {
                NextState::set_if_neq(&mut self.next_screen, Screen::Classroom);
                self.next_classroom.set(c);
            }
            Place::Campaign(c) => {
                NextState::set_if_neq(&mut self.next_screen, Screen::Campaign);
                self.next_campaign.set(c);
            }
        }
    }

    /// Whether no screen change has been asked for this frame.
    pub fn is_unchanged(&self) -> bool {
        matches!(*self.next_screen, NextState::Unchanged)
            && matches!(*self.next_quiz, NextState::Unchanged)
            && matches!(*self.next_classroom, NextState::Unchanged)
            && matches!(*self.next_campaign, NextState::Unchanged)
    }
}

impl PartialEq<Screen> for Place {
    fn eq(&self, other: &Screen) -> bool {
        *self == Place::Screen(*other)
    }
}

impl PartialEq<QuizScreen> for Place {
    fn eq(&self, other: &QuizScreen) -> bool {
        *self == Place::Quiz(*other)
    }
}

impl PartialEq<CampaignScreen> for Place {
    fn eq(&self, other: &CampaignScreen) -> bool {
        *self == Place::Campaign(*other)
    }
}

impl PartialEq<ClassroomScreen> for Place {
    fn eq(&self, other: &ClassroomScreen) -> bool {
        *self == Place::Classroom(*other)
    }
}

/// Which overlay covers the screen, if any: the settings, or the "leave before it is
/// finished?" prompt.
#[derive(States, Debug, Hash, PartialEq, Eq, Clone, Copy, Default)]
pub enum Overlay {
    /// None: the screen has the keyboard.
    #[default]
    None,
    /// The settings panel.
    Settings,
    /// The leave prompt of a conversation or quiz.
    LeavePrompt,
}

/// The scenario being prepared or played, and its seed and preparation.
#[derive(Resource, Debug, Clone, Default)]
pub struct Selection {
    /// Scenario id.
    pub scenario: String,
    /// Seed for the debtor's line variants.
    pub seed: u64,
    /// Preparation ids ticked in the briefing.
    pub prepared: Vec<String>,
}

/// The player's name as typed on the title screen.
#[derive(Resource, Debug, Clone, Default)]
pub struct TraineeName(pub String);

/// What a conversation is played as: free practice, or a classroom team's turn. The records
/// plugin files the result under it.
#[derive(Resource, Debug, Clone, Default, PartialEq, Eq)]
pub enum PlayContext {
    /// The trainee practising alone.
    #[default]
    Practice,
    /// A team at the keyboard in a classroom round.
    ClassroomTurn {
        /// Team id.
        team: i64,
        /// Round id.
        round: i64,
    },
    /// A call or visit played from the campaign desk: its result feeds the account.
    Campaign,
}

impl PlayContext {
    /// Whether this is a classroom turn.
    pub fn is_classroom(&self) -> bool {
        matches!(self, PlayContext::ClassroomTurn { .. })
    }

    /// Where a briefing or debrief leads back to: a team at the keyboard goes back to the hot
    /// seat, not to free practice.
    pub fn home(&self) -> Place {
        match self {
            PlayContext::Practice => Place::Screen(Screen::ScenarioSelect),
            PlayContext::ClassroomTurn { .. } => Place::Classroom(ClassroomScreen::Turn),
            PlayContext::Campaign => Place::Campaign(CampaignScreen::Desk),
        }
    }
}

/// A different seed from `seed`, for "retry with new wording".
pub fn next_seed(seed: u64) -> u64 {
    seed.wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407)
        >> 33
}
