//! The scripts themselves, built as data from a [`Plan`] (the `--autoplay…` flags): a practice
//! play from the title to the debrief, a quiz, and the classroom tour a trainer would take.

use std::path::PathBuf;

use bevy::prelude::*;

use super::runner::{Action, SETTLE_FRAMES, ScriptRun, Target};
use super::steps::{PIN, confirm_pin_if_asked, pin_digits, shot, unlock_classroom};
use crate::domain::quiz::{Phase, QuizSpec};
use crate::domain::text::Locale;
use crate::game::campaign::CampaignCard;
use crate::game::classroom::{
    AddTeamButton, CampaignSeatButton, CreateSessionButton, LeaderboardButton, PinOk,
    PlanRoundButton, RoundCampaign, RoundScenario, RoundSeedField, SeatButton, SessionNameField,
    StartRoundButton, TeamField,
};
use crate::game::content::ContentLibrary;
use crate::game::input::{digit_key, letter_key};
use crate::game::practice::{ChoiceButton, Conversation, NextTeamButton, ScenarioCard};
use crate::game::quiz::{QuizRun, QuizSetup};
use crate::game::screens::{StartCampaign, StartClassroom, StartPractising, StartQuizSetup};
use crate::game::settings::Settings;
use crate::game::state::{
    CampaignScreen, ClassroomScreen, Place, QuizScreen, Screen, Selection, TraineeName,
};
use crate::game::theme::interaction::InitialFocus;

/// What a scripted run plays.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Scenario id (none: straight to the quiz).
    pub scenario: Option<String>,
    /// Seed.
    pub seed: u64,
    /// Language.
    pub lang: Option<Locale>,
    /// Answers: choice ids or 1-based option numbers.
    pub choices: Vec<String>,
    /// Preparation ids to tick.
    pub prepare: Vec<String>,
    /// The trainee's name.
    pub trainee: Option<String>,
    /// Folder for the PNGs of each screen passed.
    pub screenshots: Option<PathBuf>,
    /// Where to write the result JSON.
    pub result: Option<PathBuf>,
    /// A quiz to take after the scenario (or alone).
    pub quiz: Option<QuizPlan>,
    /// Then tour classroom mode with the scenario: PIN, session, two teams, one round, the
    /// leaderboard (on a fresh results database).
    pub classroom: bool,
    /// A campaign to work through the desk by key presses.
    pub campaign: Option<CampaignPlan>,
    /// Then a classroom campaign round of it: two teams, the board.
    pub classroom_campaign: bool,
    /// Then set this LRS in classroom mode and send the outbox.
    pub lrs: Option<super::lrs_tour::LrsPlan>,
    /// Quit when done.
    pub exit: bool,
}

/// A scripted campaign: every working day, a WeChat message and a log entry for each of the
/// first `accounts` accounts, then the day ends.
#[derive(Debug, Clone, Default)]
pub struct CampaignPlan {
    /// The campaign id.
    pub id: String,
    /// The seed.
    pub seed: u64,
    /// How many accounts to work each day.
    pub accounts: usize,
    /// Where to write the campaign result JSON.
    pub result: Option<PathBuf>,
}

/// A scripted quiz.
#[derive(Debug, Clone, Default)]
pub struct QuizPlan {
    /// The quiz (from its code).
    pub spec: QuizSpec,
    /// One answer per question, as `quiz --answers` takes them: `B`, `A+C`, `T`, `C-A-B`.
    pub answers: Vec<String>,
    /// Where to write the quiz result JSON.
    pub result: Option<PathBuf>,
}

/// Sets `app` up to run `plan`: its language and trainee from the start, then its script.
pub fn from_plan(app: &mut App, plan: Plan) {
    if let Some(dir) = &plan.screenshots
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        error!("cannot create {}: {e}", dir.display());
    }
    let (lang, trainee) = (plan.lang, plan.trainee.clone());
    app.add_systems(
        Startup,
        move |mut settings: ResMut<Settings>, mut name: ResMut<TraineeName>| {
            if let Some(l) = lang {
                settings.locale = l;
            }
            if let Some(t) = &trainee {
                name.0 = t.clone();
            }
        },
    );
    let zh = plan.lang.unwrap_or(Locale::ZhCn).interface() == Locale::ZhCn;
    let mut actions = vec![
        Action::Until(Place::from(Screen::Title)),
        Action::Settle(SETTLE_FRAMES),
        Action::Shot("title.png".into()),
    ];
    if let Some(scenario) = &plan.scenario {
        actions.extend(practice(scenario, plan.seed, &plan.prepare, &plan.choices));
        actions.extend(plan.result.clone().map(Action::WriteResult));
    }
    if let Some(quiz) = &plan.quiz {
        actions.extend(take_quiz(quiz));
    }
    if let Some(campaign) = &plan.campaign {
        actions.extend(work_the_desk(campaign));
        if plan.classroom_campaign {
            actions.extend(classroom_campaign_tour(
                &campaign.id,
                campaign.seed,
                campaign.accounts,
                zh,
            ));
        }
    }
    if plan.classroom
        && let Some(scenario) = &plan.scenario
    {
        actions.extend(classroom_tour(
            scenario,
            plan.seed,
            &plan.prepare,
            &plan.choices,
            zh,
        ));
    }
    if let Some(lrs) = &plan.lrs {
        actions.extend(super::lrs_tour::lrs_tour(lrs));
    }
    app.insert_resource(ScriptRun::new(actions, plan.screenshots, plan.exit));
}

/// The number key of preparation item `id` on the briefing's checklist.
fn tick(scenario: &str, id: &str) -> Action {
    let (scenario, id) = (scenario.to_owned(), id.to_owned());
    Action::then(format!("tick preparation `{id}`"), move |world| {
        let position = world
            .resource::<ContentLibrary>()
            .library
            .scenario(&scenario)
            .and_then(|c| {
                c.scenario
                    .preparation
                    .items
                    .iter()
                    .position(|p| p.id.0 == id)
            });
        let key = position
            .and_then(|p| digit_key(p + 1))
            .ok_or_else(|| format!("preparation `{id}` is not on the checklist"))?;
        Ok(vec![Action::Key(key)])
    })
}

/// The number key of answer `item` (a choice id, or its 1-based number) among the lines on
/// offer now.
fn say(n: usize, item: &str) -> Action {
    let item = item.to_owned();
    Action::then(format!("say answer {n} (`{item}`)"), move |world| {
        let conv = world
            .get_resource::<Conversation>()
            .ok_or("no conversation is running")?;
        let available: Vec<_> = conv.choices().into_iter().filter(|c| c.available).collect();
        let number = item.parse::<usize>().ok().or_else(|| {
            available
                .iter()
                .find(|c| c.id == item)
                .and_then(|c| c.number)
        });
        // The line's button is on screen and carries the number the key presses.
        let shown = number.is_some_and(|n| {
            let mut buttons = world.query::<&ChoiceButton>();
            available
                .iter()
                .filter(|c| c.number == Some(n))
                .any(|c| buttons.iter(world).any(|b| b.0 == c.id))
        });
        match number.and_then(digit_key).filter(|_| shown) {
            Some(key) => Ok(vec![Action::Key(key)]),
            None => Err(format!(
                "it is not on offer; the options are: {}",
                available
                    .iter()
                    .map(|c| c.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    })
}

/// Fails unless the conversation has reached an ending.
fn ended() -> Action {
    Action::then("check that the conversation has ended", |world| {
        let conv = world
            .get_resource::<Conversation>()
            .ok_or("no conversation is running")?;
        if conv.session.is_ended() {
            return Ok(vec![]);
        }
        let left: Vec<String> = conv
            .choices()
            .into_iter()
            .filter(|c| c.available)
            .map(|c| c.id)
            .collect();
        Err(format!(
            "it has not ended after the answers given; next on offer: {}",
            left.join(", ")
        ))
    })
}

/// The last line on offer, again and again until the conversation ends.
fn last_lines_to_the_end(world: &mut World) -> Result<Vec<Action>, String> {
    let conv = world
        .get_resource::<Conversation>()
        .ok_or("no conversation is running")?;
    if conv.session.is_ended() {
        return Ok(vec![]);
    }
    let last = conv
        .choices()
        .into_iter()
        .filter_map(|c| c.number)
        .next_back();
    let key = last.and_then(digit_key).ok_or("no line is on offer")?;
    Ok(vec![
        Action::Key(key),
        Action::then("take the last line on offer", last_lines_to_the_end),
    ])
}

/// From the title: the scenario's card, the briefing (with the seed and preparation), the
/// answers by number keys, and the debrief.
pub fn practice(scenario: &str, seed: u64, prepare: &[String], choices: &[String]) -> Vec<Action> {
    let id = scenario.to_owned();
    let mut a = vec![
        Action::Press(Target::of::<StartPractising>()),
        Action::Until(Place::from(Screen::ScenarioSelect)),
    ];
    a.extend(shot("select.png"));
    a.push(Action::Press(Target::matching::<ScenarioCard>(move |c| {
        c.0 == id
    })));
    a.push(Action::Until(Place::from(Screen::Briefing)));
    // Re-enter the briefing so it shows the script's seed.
    a.push(Action::then("use the script's seed", move |world| {
        world.resource_mut::<Selection>().seed = seed;
        Ok(vec![Action::go(Screen::Briefing)])
    }));
    a.extend(from_briefing(scenario, prepare, choices, true));
    a.extend(shot("debrief.png"));
    a
}

/// From the briefing of `scenario`: ticks `prepare`, starts with S, says `choices` by number
/// keys, and opens the debrief with Enter. `photograph`: the briefing and the conversation
/// (once the first answers fill the log) are captured.
pub fn from_briefing(
    scenario: &str,
    prepare: &[String],
    choices: &[String],
    photograph: bool,
) -> Vec<Action> {
    let mut a: Vec<Action> = prepare.iter().map(|p| tick(scenario, p)).collect();
    if photograph {
        a.extend(shot("briefing.png"));
    }
    a.push(Action::Key(KeyCode::KeyS));
    a.push(Action::Until(Place::from(Screen::Conversation)));
    let shot_at = photograph.then_some(choices.len().min(2));
    for (i, item) in choices.iter().enumerate() {
        if shot_at == Some(i) {
            a.extend(shot("conversation.png"));
        }
        a.push(say(i + 1, item));
    }
    if shot_at == Some(choices.len()) {
        a.extend(shot("conversation.png"));
    }
    a.push(ended());
    // Focus sits on "see the debrief" once the conversation is over.
    a.push(Action::Key(KeyCode::Enter));
    a.push(Action::Until(Place::from(Screen::Debrief)));
    a
}

/// The keys that give a `quiz --answers` style answer on screen: letters as shown, T or F.
fn answer_keys(answer: &str) -> Result<Vec<KeyCode>, String> {
    let keys = answer
        .chars()
        .filter(|c| !matches!(c, ' ' | '+' | '-'))
        .map(|c| match c.to_ascii_uppercase() {
            'T' => Ok(KeyCode::KeyT),
            l @ 'A'..='H' => letter_key(usize::from(l as u8 - b'A') + 1).ok_or(l),
            other => Err(other),
        })
        .collect::<Result<Vec<_>, char>>()
        .map_err(|c| format!("`{c}` is not an option letter (A to H, or T/F)"))?;
    if keys.is_empty() {
        return Err("an empty answer".into());
    }
    Ok(keys)
}

/// After question `i` was submitted: in practice mode the explanation shows and N moves on
/// (the first explanation is photographed); an exam moves on by itself.
fn after_submit(i: usize, answer: String) -> Action {
    Action::then(format!("move on from answer {}", i + 1), move |world| {
        let Some(run) = world.get_resource::<QuizRun>() else {
            return Ok(vec![]);
        };
        let reviewing = run.attempt.phase() == Phase::Reviewing;
        if run.attempt.index() == i && !reviewing {
            let kind = run.attempt.current().map_or("?", |(q, _)| q.kind.key());
            return Err(format!(
                "`{answer}` is not a complete answer to this {kind} question"
            ));
        }
        let mut next = Vec::new();
        if reviewing {
            if i == 0 {
                next.extend(shot("quiz_feedback.png"));
            }
            next.push(Action::Key(KeyCode::KeyN));
        }
        Ok(next)
    })
}

/// From wherever the script is: the title's quiz button, the setup with the plan's quiz, the
/// answers by letter keys, and the result.
pub fn take_quiz(quiz: &QuizPlan) -> Vec<Action> {
    let spec = quiz.spec.clone();
    let mut a = vec![
        Action::go(Screen::Title),
        Action::Press(Target::of::<StartQuizSetup>()),
        Action::Until(Place::from(QuizScreen::Setup)),
        // Re-enter the setup so it shows the plan's quiz.
        Action::then("set the quiz", move |world| {
            world.resource_mut::<QuizSetup>().spec = spec.clone();
            Ok(vec![Action::go(QuizScreen::Setup)])
        }),
    ];
    a.extend(shot("quiz_setup.png"));
    a.push(Action::Key(KeyCode::KeyS));
    a.push(Action::Until(Place::from(QuizScreen::Question)));
    a.extend(shot("quiz_question.png"));
    for (i, answer) in quiz.answers.iter().enumerate() {
        let owned = answer.clone();
        a.push(Action::then(
            format!("answer {} (`{answer}`)", i + 1),
            move |_| {
                let mut keys: Vec<Action> =
                    answer_keys(&owned)?.into_iter().map(Action::Key).collect();
                keys.push(Action::Key(KeyCode::KeyS));
                Ok(keys)
            },
        ));
        a.push(after_submit(i, answer.clone()));
    }
    let given = quiz.answers.len();
    a.push(Action::then(
        "check every question was answered",
        move |world| {
            let open = world
                .get_resource::<QuizRun>()
                .is_some_and(|r| r.attempt.phase() != Phase::Finished);
            if open {
                Err(format!(
                    "the quiz has more questions than the {given} answers given"
                ))
            } else {
                Ok(vec![])
            }
        },
    ));
    a.push(Action::Until(Place::from(QuizScreen::Result)));
    a.extend(shot("quiz_result.png"));
    a.extend(quiz.result.clone().map(Action::WriteQuizResult));
    a
}

fn teams(zh: bool) -> [(&'static str, &'static str, &'static str); 2] {
    if zh {
        [
            ("猛虎队", "王芳", "李雷、韩梅梅"),
            ("雄鹰队", "张伟", "刘洋"),
        ]
    } else {
        [
            ("Tigers", "Wang Fang", "Li Lei, Han Meimei"),
            ("Eagles", "Zhang Wei", "Liu Yang"),
        ]
    }
}

/// The two teams typed into the team form, one after the other.
fn enter_teams(zh: bool) -> Vec<Action> {
    let mut a = Vec::new();
    for (name, captain, members) in teams(zh) {
        for (field, text) in [
            (TeamField::Name, name),
            (TeamField::Captain, captain),
            (TeamField::Members, members),
        ] {
            a.push(Action::Type(
                Target::matching::<TeamField>(move |f| *f == field),
                text.into(),
            ));
        }
        a.push(Action::Press(Target::of::<AddTeamButton>()));
    }
    a
}

/// The captain's seat: the one offered first (it holds the initial focus).
fn captains_seat() -> Target {
    Target::custom("the captain's seat", |world| {
        let mut seats = world.query_filtered::<Entity, (With<SeatButton>, With<InitialFocus>)>();
        seats.iter(world).next()
    })
}

/// After the plays: classroom mode as a trainer tours it — the PIN on the keypad, a session,
/// two teams, a round of `scenario` with `seed`, each team in the hot seat (the first prepares
/// and answers as scripted, the second goes in unprepared and always takes the last line on
/// offer), the leaderboard — with a PNG of each screen.
pub fn classroom_tour(
    scenario: &str,
    seed: u64,
    prepare: &[String],
    choices: &[String],
    zh: bool,
) -> Vec<Action> {
    let mut a = vec![
        Action::go(Screen::Title),
        Action::Settle(SETTLE_FRAMES),
        Action::Press(Target::of::<StartClassroom>()),
        Action::Until(Place::from(ClassroomScreen::Pin)),
    ];
    a.extend(pin_digits(0..2));
    a.extend(shot("classroom_pin.png"));
    a.extend(pin_digits(2..PIN.len()));
    a.push(Action::Press(Target::of::<PinOk>()));
    a.push(confirm_pin_if_asked());
    a.push(Action::Until(Place::from(ClassroomScreen::Sessions)));
    a.extend(shot("classroom_sessions.png"));
    let session = if zh {
        "华东区新人培训"
    } else {
        "New starters, East region"
    };
    a.push(Action::Type(
        Target::of::<SessionNameField>(),
        session.into(),
    ));
    a.push(Action::Press(Target::of::<CreateSessionButton>()));
    a.push(Action::Until(Place::from(ClassroomScreen::Teams)));
    a.extend(enter_teams(zh));
    a.extend(shot("classroom_teams.png"));
    a.push(Action::Press(Target::of::<PlanRoundButton>()));
    a.push(Action::Until(Place::from(ClassroomScreen::Round)));
    let id = scenario.to_owned();
    a.push(Action::Press(Target::matching::<RoundScenario>(move |r| {
        r.0 == id
    })));
    a.push(Action::Type(
        Target::of::<RoundSeedField>(),
        seed.to_string(),
    ));
    a.extend(shot("classroom_round.png"));
    a.push(Action::Press(Target::of::<StartRoundButton>()));
    a.push(Action::Until(Place::from(ClassroomScreen::Turn)));
    a.extend(shot("classroom_turn.png"));
    // The first team: prepared, the scripted answers.
    a.push(Action::Press(captains_seat()));
    a.push(Action::Until(Place::from(Screen::Briefing)));
    a.extend(from_briefing(scenario, prepare, choices, false));
    a.push(Action::Press(Target::of::<NextTeamButton>()));
    a.push(Action::Until(Place::from(ClassroomScreen::Turn)));
    // The second team: unprepared, always the last line.
    a.push(Action::Press(captains_seat()));
    a.push(Action::Until(Place::from(Screen::Briefing)));
    a.push(Action::Key(KeyCode::KeyS));
    a.push(Action::Until(Place::from(Screen::Conversation)));
    a.push(Action::then(
        "take the last line on offer",
        last_lines_to_the_end,
    ));
    a.push(Action::Key(KeyCode::Enter));
    a.push(Action::Until(Place::from(Screen::Debrief)));
    a.extend(shot("classroom_debrief.png"));
    a.push(Action::Press(Target::of::<NextTeamButton>()));
    a.push(Action::Until(Place::from(ClassroomScreen::Turn)));
    a.push(Action::Press(Target::of::<LeaderboardButton>()));
    a.push(Action::Until(Place::from(ClassroomScreen::Board)));
    a.extend(shot("classroom_board.png"));
    a
}

/// Opens the campaign from the title, and works the desk day by day: digit to pick
/// an account, W for a WeChat message, F to log it; N ends the day; then the report.
pub fn work_the_desk(plan: &CampaignPlan) -> Vec<Action> {
    let mut a = vec![Action::Until(Place::from(Screen::Title))];
    let seed = plan.seed;
    a.push(Action::then("fix the campaign seed", move |world| {
        world.insert_resource(crate::game::campaign::SeedOverride(seed));
        Ok(vec![])
    }));
    // The name field has the keyboard on the title screen, so the button is pressed.
    a.push(Action::Press(Target::of::<StartCampaign>()));
    a.push(Action::Until(Place::from(CampaignScreen::Select)));
    a.extend(shot("campaign_select.png"));
    let id = plan.id.clone();
    a.push(Action::Press(Target::matching::<CampaignCard>(move |c| {
        c.id == id && !c.resume
    })));
    a.push(Action::Until(Place::from(CampaignScreen::Desk)));
    a.extend(shot("campaign_desk.png"));
    a.push(work_every_day(plan.accounts, true));
    a.push(Action::Until(Place::from(CampaignScreen::Report)));
    a.extend(shot("campaign_report.png"));
    if let Some(path) = &plan.result {
        a.push(Action::WriteCampaignResult(path.clone()));
    }
    a
}

/// Every working day of the open campaign: for each of the first `accounts` accounts, its
/// digit, W (a WeChat message) and F (log it); then N ends the day. With `shots`, the desk on
/// day 3 is saved, also before the last account's contact is logged (the log entries shown).
fn work_every_day(accounts: usize, shots: bool) -> Action {
    Action::then("work every day of the campaign", move |world| {
        let days = world
            .get_resource::<crate::game::campaign::ActiveDesk>()
            .map(|d| d.desk.length() - d.desk.state().day)
            .ok_or("no campaign is open")?;
        let mut out = Vec::new();
        for day in 0..days {
            for k in 1..=accounts {
                let key = digit_key(k).ok_or("too many accounts for the digit keys")?;
                out.push(Action::Key(key));
                out.push(Action::Settle(2));
                out.push(Action::Key(KeyCode::KeyW));
                out.push(Action::Settle(2));
                if shots && day == 2 && k == accounts {
                    out.extend(shot("campaign_desk_logging.png"));
                }
                out.push(Action::Key(KeyCode::KeyF));
                out.push(Action::Settle(2));
            }
            if shots && day == 2 {
                out.extend(shot("campaign_desk_day3.png"));
            }
            out.push(Action::Key(KeyCode::KeyN));
            out.push(Action::Settle(2));
        }
        Ok(out)
    })
}

/// Classroom mode with a campaign round: the PIN, a session, two teams, a campaign round of
/// `campaign` with `seed`; the first team works the desk every day, the second only ends the
/// days; then the leaderboard, with a PNG of the hot seat, a report and the board.
pub fn classroom_campaign_tour(
    campaign: &str,
    seed: u64,
    accounts: usize,
    zh: bool,
) -> Vec<Action> {
    let mut a = unlock_classroom();
    a.push(Action::Type(
        Target::of::<SessionNameField>(),
        (if zh {
            "催收战役对抗"
        } else {
            "Campaign contest"
        })
        .into(),
    ));
    a.push(Action::Press(Target::of::<CreateSessionButton>()));
    a.push(Action::Until(Place::from(ClassroomScreen::Teams)));
    a.extend(enter_teams(zh));
    a.push(Action::Press(Target::of::<PlanRoundButton>()));
    a.push(Action::Until(Place::from(ClassroomScreen::Round)));
    a.push(Action::Type(
        Target::of::<RoundSeedField>(),
        seed.to_string(),
    ));
    let id = campaign.to_owned();
    a.push(Action::Press(Target::matching::<RoundCampaign>(move |r| {
        r.0 == id
    })));
    a.push(Action::Until(Place::from(ClassroomScreen::CampaignTurn)));
    a.extend(shot("classroom_campaign_turn.png"));
    for (team, work) in [(0, true), (1, false)] {
        a.push(Action::Press(Target::custom("the first seat", |world| {
            let mut seats =
                world.query_filtered::<Entity, (With<CampaignSeatButton>, With<InitialFocus>)>();
            seats.iter(world).next()
        })));
        a.push(Action::Until(Place::from(CampaignScreen::Desk)));
        a.push(work_every_day(if work { accounts } else { 0 }, false));
        a.push(Action::Until(Place::from(CampaignScreen::Report)));
        if team == 0 {
            a.extend(shot("classroom_campaign_report.png"));
        }
        a.push(Action::Key(KeyCode::KeyN));
        a.push(Action::Until(Place::from(ClassroomScreen::CampaignTurn)));
    }
    a.push(Action::go(ClassroomScreen::Board));
    a.push(Action::Until(Place::from(ClassroomScreen::Board)));
    a.extend(shot("classroom_campaign_board.png"));
    a
}
