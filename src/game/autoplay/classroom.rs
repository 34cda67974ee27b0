//! The scripted classroom tour (`--autoplay-classroom`): after the scripted plays, it walks
//! the trainer's screens the way a trainer would — sets the PIN on the keypad, opens a
//! session, enters two teams, plans a round with the script's scenario and seed, seats each
//! team in turn (the first plays the script's answers, the second always takes the last line
//! on offer), and ends on the leaderboard — saving a PNG of each screen.

use bevy::prelude::*;
use bevy::text::EditableText;

use super::{Progress, SETTLE_FRAMES, STEP_FRAMES, Script, Step};
use crate::domain::text::Locale;
use crate::game::GameOptions;
use crate::game::conversation::Conversation;
use crate::game::input::digit_key;
use crate::game::screens::{
    AddTeamButton, CreateSessionButton, LeaderboardButton, NextTeamButton, PinDigit, PinOk,
    PlanRoundButton, RoundScenario, RoundSeedField, Screen, SeatButton, SessionNameField,
    StartClassroom, StartRoundButton, TeamField,
};
use crate::game::settings::Settings;
use crate::game::theme::interaction::{InitialFocus, Press};

/// The PIN the tour sets (on a fresh database) and enters.
const PIN: &str = "2468";

/// Where the tour is.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tour {
    #[default]
    ToTitle,
    OpenClassroom,
    Pin(usize),
    PinShot,
    PinOk,
    SessionsShot,
    CreateSession,
    Team(usize),
    TeamsShot,
    Plan,
    PickScenario,
    RoundShot,
    StartRound,
    TurnShot,
    Seat,
    Prepare(usize),
    Start,
    Answer(usize),
    ToDebrief,
    DebriefShot,
    NextTeam,
    BoardShot,
}

fn first<C: Component>(world: &mut World, matches: impl Fn(&C) -> bool) -> Option<Entity> {
    let mut q = world.query::<(Entity, &C)>();
    q.iter(world).find(|(_, c)| matches(c)).map(|(e, _)| e)
}

fn set_field<C: Component>(world: &mut World, matches: impl Fn(&C) -> bool, text: &str) {
    let mut q = world.query::<(&C, &mut EditableText)>();
    if let Some((_, mut field)) = q.iter_mut(world).find(|(c, _)| matches(c)) {
        field.editor_mut().set_text(text);
    }
}

fn press<C: Component>(world: &mut World, matches: impl Fn(&C) -> bool) -> bool {
    match first::<C>(world, matches) {
        Some(e) => {
            world.trigger(Press(e));
            true
        }
        None => false,
    }
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

/// Runs one step of the tour; `super::drive` hands over at [`Step::Classroom`].
pub(super) fn drive_classroom(world: &mut World) {
    if world.resource::<Progress>().step != Step::Classroom {
        return;
    }
    let Some(script) = world
        .get_resource::<GameOptions>()
        .and_then(|o| o.autoplay.clone())
    else {
        return;
    };
    {
        let mut progress = world.resource_mut::<Progress>();
        if progress.wait > 0 {
            progress.wait -= 1;
            return;
        }
    }
    let screen = *world.resource::<State<Screen>>().get();
    let zh = world.resource::<Settings>().locale == Locale::ZhCn;
    let tour = world.resource::<Progress>().tour;
    let go = |world: &mut World, to: Tour, wait: u32| {
        let mut p = world.resource_mut::<Progress>();
        p.tour = to;
        p.wait = wait;
    };
    let stop = |world: &mut World, why: String| {
        error!("autoplay stopped in the classroom: {why}");
        world.resource_mut::<Progress>().step = Step::Done;
        world.write_message(AppExit::error());
    };
    match (tour, screen) {
        (Tour::ToTitle, _) => {
            world.resource_mut::<NextState<Screen>>().set(Screen::Title);
            go(world, Tour::OpenClassroom, SETTLE_FRAMES);
        }
        (Tour::OpenClassroom, Screen::Title) => {
            press::<StartClassroom>(world, |_| true);
            go(world, Tour::Pin(0), SETTLE_FRAMES);
        }
        (Tour::Pin(i), Screen::ClassroomPin) => match PIN.chars().nth(i) {
            Some(c) => {
                press::<PinDigit>(world, |d| d.0 == c);
                let shot_now = i == 1 && !world.resource::<Progress>().pin_shot;
                let then = if shot_now {
                    Tour::PinShot
                } else {
                    Tour::Pin(i + 1)
                };
                go(
                    world,
                    then,
                    if shot_now { SETTLE_FRAMES } else { STEP_FRAMES },
                );
            }
            None => go(world, Tour::PinOk, STEP_FRAMES),
        },
        (Tour::PinShot, Screen::ClassroomPin) => {
            shot(world, "classroom_pin.png", &script);
            world.resource_mut::<Progress>().pin_shot = true;
            go(world, Tour::Pin(2), STEP_FRAMES);
        }
        (Tour::PinOk, Screen::ClassroomPin) => {
            // On a fresh database the first OK asks for the PIN again, to confirm it.
            press::<PinOk>(world, |_| true);
            let rounds = {
                let mut p = world.resource_mut::<Progress>();
                p.pin_rounds += 1;
                p.pin_rounds
            };
            if rounds > 2 {
                stop(world, "the PIN was not accepted".into());
            } else {
                go(world, Tour::Pin(0), SETTLE_FRAMES);
            }
        }
        (Tour::Pin(_), Screen::ClassroomSessions) => {
            go(world, Tour::SessionsShot, SETTLE_FRAMES);
        }
        (Tour::SessionsShot, Screen::ClassroomSessions) => {
            shot(world, "classroom_sessions.png", &script);
            go(world, Tour::CreateSession, STEP_FRAMES);
        }
        (Tour::CreateSession, Screen::ClassroomSessions) => {
            let name = if zh {
                "华东区新人培训"
            } else {
                "New starters, East region"
            };
            set_field::<SessionNameField>(world, |_| true, name);
            press::<CreateSessionButton>(world, |_| true);
            go(world, Tour::Team(0), STEP_FRAMES);
        }
        (Tour::Team(i), Screen::ClassroomTeams) => match teams(zh).get(i) {
            Some((name, captain, members)) => {
                set_field::<TeamField>(world, |f| *f == TeamField::Name, name);
                set_field::<TeamField>(world, |f| *f == TeamField::Captain, captain);
                set_field::<TeamField>(world, |f| *f == TeamField::Members, members);
                press::<AddTeamButton>(world, |_| true);
                go(world, Tour::Team(i + 1), STEP_FRAMES);
            }
            None => go(world, Tour::TeamsShot, SETTLE_FRAMES),
        },
        (Tour::TeamsShot, Screen::ClassroomTeams) => {
            shot(world, "classroom_teams.png", &script);
            go(world, Tour::Plan, STEP_FRAMES);
        }
        (Tour::Plan, Screen::ClassroomTeams) => {
            press::<PlanRoundButton>(world, |_| true);
            go(world, Tour::PickScenario, STEP_FRAMES);
        }
        (Tour::PickScenario, Screen::ClassroomRound) => {
            let scenario = script.scenario.clone().unwrap_or_default();
            if !press::<RoundScenario>(world, |r| r.0 == scenario) {
                stop(world, format!("`{scenario}` is not offered for the round"));
                return;
            }
            set_field::<RoundSeedField>(world, |_| true, &script.seed.to_string());
            go(world, Tour::RoundShot, SETTLE_FRAMES);
        }
        (Tour::RoundShot, Screen::ClassroomRound) => {
            shot(world, "classroom_round.png", &script);
            go(world, Tour::StartRound, STEP_FRAMES);
        }
        (Tour::StartRound, Screen::ClassroomRound) => {
            press::<StartRoundButton>(world, |_| true);
            go(world, Tour::TurnShot, SETTLE_FRAMES);
        }
        (Tour::TurnShot, Screen::ClassroomTurn) => {
            shot(world, "classroom_turn.png", &script);
            go(world, Tour::Seat, STEP_FRAMES);
        }
        (Tour::Seat, Screen::ClassroomTurn) => {
            // The captain's seat is the one offered first (it holds the initial focus).
            let mut seats =
                world.query_filtered::<Entity, (With<SeatButton>, With<InitialFocus>)>();
            let captain = seats.iter(world).next();
            if let Some(seat) = captain {
                world.trigger(Press(seat));
                go(world, Tour::Prepare(0), SETTLE_FRAMES);
            } else {
                press::<LeaderboardButton>(world, |_| true);
                go(world, Tour::BoardShot, SETTLE_FRAMES);
            }
        }
        (Tour::Prepare(i), Screen::Briefing) => {
            // The first team prepares as scripted; the second goes in unprepared.
            let first_team = world.resource::<Progress>().teams_played == 0;
            let ids = if first_team {
                script.prepare.clone()
            } else {
                vec![]
            };
            let Some(id) = ids.get(i) else {
                go(world, Tour::Start, STEP_FRAMES);
                return;
            };
            let scenario = script.scenario.clone().unwrap_or_default();
            let position = world
                .resource::<crate::game::content::ContentLibrary>()
                .library
                .scenario(&scenario)
                .and_then(|c| {
                    c.scenario
                        .preparation
                        .items
                        .iter()
                        .position(|p| p.id.0 == *id)
                });
            if let Some(key) = position.and_then(|p| digit_key(p + 1)) {
                key_press(world, key);
            }
            go(world, Tour::Prepare(i + 1), STEP_FRAMES);
        }
        (Tour::Start, Screen::Briefing) => {
            key_press(world, KeyCode::KeyS);
            go(world, Tour::Answer(0), STEP_FRAMES);
        }
        (Tour::Answer(i), Screen::Conversation) => {
            let first_team = world.resource::<Progress>().teams_played == 0;
            let Some(conv) = world.get_resource::<Conversation>() else {
                return;
            };
            if conv.session.is_ended() {
                go(world, Tour::ToDebrief, STEP_FRAMES);
                return;
            }
            let open: Vec<(String, usize)> = conv
                .choices()
                .into_iter()
                .filter_map(|c| c.number.map(|n| (c.id, n)))
                .collect();
            let number = if first_team {
                script
                    .choices
                    .get(i)
                    .and_then(|id| open.iter().find(|(c, _)| c == id))
                    .map(|(_, n)| *n)
            } else {
                open.last().map(|(_, n)| *n)
            };
            match number.and_then(digit_key) {
                Some(key) => {
                    key_press(world, key);
                    go(world, Tour::Answer(i + 1), STEP_FRAMES);
                }
                None => stop(world, format!("no answer {} on offer", i + 1)),
            }
        }
        (Tour::ToDebrief, Screen::Conversation) => {
            key_press(world, KeyCode::Enter);
            go(world, Tour::DebriefShot, SETTLE_FRAMES);
        }
        (Tour::DebriefShot, Screen::Debrief) => {
            if world.resource::<Progress>().teams_played == 1 {
                shot(world, "classroom_debrief.png", &script);
            }
            go(world, Tour::NextTeam, STEP_FRAMES);
        }
        (Tour::NextTeam, Screen::Debrief) => {
            press::<NextTeamButton>(world, |_| true);
            world.resource_mut::<Progress>().teams_played += 1;
            go(world, Tour::Seat, SETTLE_FRAMES);
        }
        (Tour::BoardShot, Screen::ClassroomBoard) => {
            shot(world, "classroom_board.png", &script);
            let mut p = world.resource_mut::<Progress>();
            p.step = Step::WaitForCaptures(0);
            p.wait = 0;
        }
        _ => {}
    }
}

fn shot(world: &mut World, name: &str, script: &Script) {
    world.resource_scope(|world, mut progress: Mut<Progress>| {
        let mut commands = world.commands();
        super::screenshot(name, script, &mut progress, &mut commands);
    });
    world.flush();
}

/// Presses a key through the keyboard messages; `super::drive` releases it next frame.
fn key_press(world: &mut World, key: KeyCode) {
    let Some(window) = first::<bevy::window::PrimaryWindow>(world, |_| true) else {
        return;
    };
    world.write_message(super::keyboard_input(key, true, window));
    world.resource_mut::<Progress>().key_up = Some(key);
}
