//! The classroom adapter's hands: every store call classroom mode makes. Screens trigger a
//! [`ClassroomAction`] and read through [`ClassroomStore`]; this file runs the action against
//! the results database, moves to the screen that follows, and puts any failure in
//! [`ClassroomNotice`] so the trainer sees it on the next screen. Nothing here is swallowed.

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;

use super::desk::{
    ActiveSession, ClassroomNotice, Exported, PinEntry, RoundDraft, Standing, TrainerUnlocked,
};
use crate::domain::text::Locale;
use crate::game::campaign::{OpenCampaign, Seat};
use crate::game::content::ContentLibrary;
use crate::game::records::Results;
use crate::game::settings::Settings;
use crate::game::state::{
    ClassroomScreen, Navigate, Place, PlayContext, Screen, Selection, TraineeName,
};
use crate::report::ReportData;
use crate::store::SessionInfo;

pub(super) fn plugin(app: &mut App) {
    app.add_observer(act);
}

/// What the trainer asked classroom mode to do.
#[derive(Event, Debug, Clone, PartialEq, Eq)]
pub enum ClassroomAction {
    /// Check (or, on first use, set) the PIN typed on the keypad.
    EnterPin,
    /// Start a new session with this name.
    CreateSession(String),
    /// Carry on with a session: to its teams, its round plan or the hot seat.
    ContinueSession(i64),
    /// Open a session's leaderboard.
    ReviewSession(i64),
    /// Enter a team in the active session.
    AddTeam {
        /// Team name.
        name: String,
        /// The captain, if one was named.
        captain: Option<String>,
        /// Members.
        members: Vec<String>,
    },
    /// Take a team out of the active session.
    RemoveTeam(i64),
    /// Teams are entered: plan a round, or back to the one under way.
    PlanRound,
    /// Start a round of the drafted scenarios with the seed as typed.
    StartRound(String),
    /// Seat the next team's player at the keyboard for its turn.
    SeatTeam(String),
    /// Start a campaign round: every team works this campaign's desk with the seed as typed.
    StartCampaignRound {
        /// The campaign id.
        campaign: String,
        /// The seed as typed.
        seed: String,
    },
    /// Seat the next team's player at the campaign desk.
    SeatCampaignTeam(String),
    /// End the active session.
    EndSession,
    /// Reopen the active (ended) session.
    ResumeSession,
    /// Write the HTML report and CSV: of the active session, or of everything.
    Export {
        /// The whole results database rather than the active session.
        all: bool,
    },
    /// Lock classroom mode again.
    Lock,
}

/// Reading classroom data for a screen: the only way classroom screens reach the store.
#[derive(SystemParam)]
pub struct ClassroomStore<'w> {
    results: Res<'w, Results>,
}

impl ClassroomStore<'_> {
    /// Every session, newest first.
    pub fn sessions(&self) -> Result<Vec<SessionInfo>, String> {
        self.results.with(|st| st.sessions())
    }

    /// Where a session stands.
    pub fn standing(&self, session: i64) -> Result<Standing, String> {
        Standing::load(&self.results, session)
    }

    /// Whether a PIN has been set.
    pub fn has_pin(&self) -> Result<bool, String> {
        self.results.with(|st| st.has_pin())
    }

    /// The names of the teams that have played in `session` (they cannot be removed).
    pub fn teams_that_played(&self, session: i64) -> Result<Vec<String>, String> {
        let attempts = self.results.with(|st| {
            st.attempts(&crate::store::AttemptFilter {
                session: Some(session),
                trainee: None,
            })
        })?;
        Ok(attempts.into_iter().filter_map(|a| a.team).collect())
    }

    /// The report data of `session`, with scenario titles in `locale`.
    pub fn board(
        &self,
        content: &ContentLibrary,
        locale: Locale,
        session: i64,
    ) -> Result<ReportData, String> {
        let titles = ReportData::titles(&content.library, locale);
        self.results
            .with(|st| ReportData::load(st, Some(session), titles))
    }

    /// The session's open campaign round and who is up next, if one is open.
    pub fn campaign_turn(&self, session: i64) -> Result<Option<CampaignTurn>, String> {
        campaign_turn(&self.results, session)
    }

    /// The boards of the session's campaign rounds.
    pub fn campaign_boards(
        &self,
        session: i64,
    ) -> Result<Vec<crate::domain::classroom::CampaignBoard>, String> {
        self.results.with(|st| st.campaign_boards(session))
    }

    /// Where results are kept, for the interface.
    pub fn location(&self) -> String {
        self.results.location()
    }
}

/// An open campaign round: which teams have worked the desk and which is up next.
#[derive(Debug, Clone)]
pub struct CampaignTurn {
    /// The round.
    pub round: crate::store::CampaignRoundInfo,
    /// Teams in entry order.
    pub teams: Vec<crate::store::TeamInfo>,
    /// Names of the teams with a result in this round.
    pub played: Vec<String>,
}

impl CampaignTurn {
    /// The first team without a result in the round.
    pub fn next_team(&self) -> Option<&crate::store::TeamInfo> {
        self.teams.iter().find(|t| !self.played.contains(&t.name))
    }
}

fn campaign_turn(results: &Results, session: i64) -> Result<Option<CampaignTurn>, String> {
    results.with(|st| {
        let Some(round) = st.open_campaign_round(session)? else {
            return Ok(None);
        };
        let teams = st.teams(session)?;
        let played = st
            .campaign_results(&crate::store::AttemptFilter {
                session: Some(session),
                trainee: None,
            })?
            .into_iter()
            .filter(|c| c.round == Some(round.number))
            .filter_map(|c| c.team)
            .collect();
        Ok(Some(CampaignTurn {
            round,
            teams,
            played,
        }))
    })
}

/// Everything an action may touch besides the store.
#[derive(SystemParam)]
struct Desk<'w> {
    settings: Res<'w, Settings>,
    content: Res<'w, ContentLibrary>,
    time: Res<'w, Time<Real>>,
    session: Option<Res<'w, ActiveSession>>,
    notice: ResMut<'w, ClassroomNotice>,
    exported: ResMut<'w, Exported>,
    unlocked: ResMut<'w, TrainerUnlocked>,
    pin: ResMut<'w, PinEntry>,
    draft: ResMut<'w, RoundDraft>,
    name: ResMut<'w, TraineeName>,
    selection: ResMut<'w, Selection>,
    context: ResMut<'w, PlayContext>,
    opens: MessageWriter<'w, OpenCampaign>,
    next: Navigate<'w>,
}

/// Runs one classroom action: store call, then the next screen; a failure is kept in the
/// notice and the screen it came from is shown again.
fn act(action: On<ClassroomAction>, results: Res<Results>, mut desk: Desk, mut commands: Commands) {
    let session = desk.session.as_deref().cloned();
    let outcome = match (action.event().clone(), session) {
        (ClassroomAction::EnterPin, _) => {
            enter_pin(&results, &mut desk);
            return;
        }
        (ClassroomAction::CreateSession(name), _) => results
            .with(|st| st.create_session(&name))
            .map(|id| {
                commands.insert_resource(ActiveSession {
                    id,
                    name: name.trim().to_owned(),
                });
                Place::from(ClassroomScreen::Teams)
            })
            .map_err(|e| (e, Place::from(ClassroomScreen::Sessions))),
        (ClassroomAction::ContinueSession(id), _) => continue_session(&results, id)
            .map(|(active, to)| {
                commands.insert_resource(active);
                to
            })
            .map_err(|e| (e, Place::from(ClassroomScreen::Sessions))),
        (ClassroomAction::ReviewSession(id), _) => open_session(&results, id)
            .map(|active| {
                commands.insert_resource(active);
                Place::from(ClassroomScreen::Board)
            })
            .map_err(|e| (e, Place::from(ClassroomScreen::Sessions))),
        (ClassroomAction::Export { all: true }, _) => {
            // Free practice and every session: the trainer's whole picture.
            export(&results, &mut desk, None, ClassroomScreen::Sessions.into())
        }
        (ClassroomAction::Lock, _) => {
            desk.unlocked.0 = false;
            Ok(Place::from(Screen::Title))
        }
        (_, None) => Err((
            desk.settings
                .t("没有打开的培训场次。", "No classroom session is open.")
                .to_owned(),
            Place::from(ClassroomScreen::Sessions),
        )),
        (
            ClassroomAction::AddTeam {
                name,
                captain,
                members,
            },
            Some(s),
        ) => results
            .with(|st| st.add_team(Some(s.id), &name, captain.as_deref(), &members))
            .map(|_| Place::from(ClassroomScreen::Teams))
            // The form is rebuilt empty; say what was refused so it can be typed again.
            .map_err(|e| (format!("{e} ({name})"), Place::from(ClassroomScreen::Teams))),
        (ClassroomAction::RemoveTeam(id), Some(_)) => results
            .with(|st| st.remove_team(id))
            .map(|()| Place::from(ClassroomScreen::Teams))
            .map_err(|e| (e, Place::from(ClassroomScreen::Teams))),
        (ClassroomAction::PlanRound, Some(s)) => plan_round(&results, &desk, s.id),
        (ClassroomAction::StartRound(typed), Some(s)) => {
            start_round(&results, &mut desk, s.id, &typed)
        }
        (ClassroomAction::SeatTeam(trainee), Some(s)) => {
            seat_team(&results, &mut desk, s.id, trainee)
        }
        (ClassroomAction::StartCampaignRound { campaign, seed }, Some(s)) => {
            start_campaign_round(&results, &desk, s.id, &campaign, &seed)
        }
        (ClassroomAction::SeatCampaignTeam(trainee), Some(s)) => {
            seat_campaign_team(&results, &mut desk, s.id, trainee)
        }
        (ClassroomAction::EndSession, Some(s)) => results
            .with(|st| st.end_session(s.id))
            .map(|()| Place::from(ClassroomScreen::Sessions))
            .map_err(|e| (e, Place::from(ClassroomScreen::Board))),
        (ClassroomAction::ResumeSession, Some(s)) => results
            .with(|st| st.resume_session(s.id))
            .map(|()| Place::from(ClassroomScreen::Board))
            .map_err(|e| (e, Place::from(ClassroomScreen::Board))),
        (ClassroomAction::Export { all: false }, Some(s)) => export(
            &results,
            &mut desk,
            Some(s.id),
            ClassroomScreen::Board.into(),
        ),
    };
    match outcome {
        Ok(to) => desk.next.to(to),
        Err((message, back_to)) => {
            error!("classroom: {message}");
            desk.notice.0 = Some(message);
            desk.next.to(back_to);
        }
    }
}

type Outcome = Result<Place, (String, Place)>;

fn open_session(results: &Results, id: i64) -> Result<ActiveSession, String> {
    results.with(|st| {
        let info = st.session(id)?;
        Ok(ActiveSession {
            id,
            name: info.name,
        })
    })
}

/// Reopens a session and picks the screen it needs next: no teams yet, enter them; no round
/// yet, plan one; otherwise the hot seat.
fn continue_session(results: &Results, id: i64) -> Result<(ActiveSession, Place), String> {
    results.with(|st| st.resume_session(id))?;
    let active = open_session(results, id)?;
    let standing = Standing::load(results, id)?;
    let campaign_waiting = campaign_turn(results, id)?.is_some_and(|t| t.next_team().is_some());
    let to = if standing.teams.is_empty() {
        ClassroomScreen::Teams
    } else if campaign_waiting {
        ClassroomScreen::CampaignTurn
    } else if standing.round.is_none() {
        ClassroomScreen::Round
    } else {
        ClassroomScreen::Turn
    };
    Ok((active, to.into()))
}

fn plan_round(results: &Results, desk: &Desk, session: i64) -> Outcome {
    let st =
        Standing::load(results, session).map_err(|e| (e, Place::from(ClassroomScreen::Teams)))?;
    if st.teams.is_empty() {
        Err((
            desk.settings
                .t("先录入至少一队。", "Enter at least one team first.")
                .to_owned(),
            Place::from(ClassroomScreen::Teams),
        ))
    } else if st.round.is_none() {
        Ok(Place::from(ClassroomScreen::Round))
    } else {
        Ok(Place::from(ClassroomScreen::Turn))
    }
}

fn start_round(results: &Results, desk: &mut Desk, session: i64, typed: &str) -> Outcome {
    let refused = |zh: &'static str, en: &'static str| {
        Err((
            desk.settings.t(zh, en).to_owned(),
            ClassroomScreen::Round.into(),
        ))
    };
    let Ok(seed) = typed.trim().parse::<u64>() else {
        return refused(
            "种子要填一个非负整数。",
            "The seed is a whole number, 0 or more.",
        );
    };
    if desk.draft.scenarios.is_empty() {
        return refused("至少选一个场景。", "Pick at least one scenario.");
    }
    results
        .with(|st| st.start_round(session, seed, &desk.draft.scenarios))
        .map_err(|e| (e, Place::from(ClassroomScreen::Round)))?;
    desk.draft.scenarios.clear();
    Ok(Place::from(ClassroomScreen::Turn))
}

/// Seats `trainee` for the next team's turn: the briefing of the round's next scenario, with
/// the result to be filed under the team and round.
fn seat_team(results: &Results, desk: &mut Desk, session: i64, trainee: String) -> Outcome {
    let standing =
        Standing::load(results, session).map_err(|e| (e, Place::from(ClassroomScreen::Turn)))?;
    let (Some(round), Some((team, scenario))) = (standing.round.clone(), standing.next_turn())
    else {
        return Err((
            desk.settings
                .t(
                    "这一轮已经没有待上场的队伍。",
                    "No team is waiting in this round.",
                )
                .to_owned(),
            Place::from(ClassroomScreen::Turn),
        ));
    };
    if desk.content.library.scenario(scenario).is_none() {
        return Err((
            format!(
                "{} `{scenario}`",
                desk.settings.t(
                    "这个场景现在无法游玩（内容有错误）：",
                    "This scenario cannot be played now (its content has errors):"
                )
            ),
            Place::from(ClassroomScreen::Turn),
        ));
    }
    desk.name.0 = trainee;
    *desk.selection = Selection {
        scenario: scenario.to_owned(),
        seed: round.seed,
        prepared: Vec::new(),
    };
    *desk.context = PlayContext::ClassroomTurn {
        team: team.id,
        round: round.id,
    };
    Ok(Place::from(Screen::Briefing))
}

fn start_campaign_round(
    results: &Results,
    desk: &Desk,
    session: i64,
    campaign: &str,
    typed: &str,
) -> Outcome {
    let Ok(seed) = typed.trim().parse::<u64>() else {
        return Err((
            desk.settings
                .t(
                    "种子要填一个非负整数。",
                    "The seed is a whole number, 0 or more.",
                )
                .to_owned(),
            ClassroomScreen::Round.into(),
        ));
    };
    results
        .with(|st| st.start_campaign_round(session, campaign, seed))
        .map_err(|e| (e, Place::from(ClassroomScreen::Round)))?;
    Ok(Place::from(ClassroomScreen::CampaignTurn))
}

/// Seats `trainee` for the next team's turn at the campaign desk: the round's campaign and
/// seed, the result to be filed under the team and round (a desk the team left half-way is
/// continued).
fn seat_campaign_team(
    results: &Results,
    desk: &mut Desk,
    session: i64,
    trainee: String,
) -> Outcome {
    let here = Place::from(ClassroomScreen::CampaignTurn);
    let turn = campaign_turn(results, session).map_err(|e| (e, here))?;
    let Some((turn, team)) = turn.and_then(|t| t.next_team().cloned().map(|team| (t, team))) else {
        return Err((
            desk.settings
                .t(
                    "这一轮已经没有待上场的队伍。",
                    "No team is waiting in this round.",
                )
                .to_owned(),
            here,
        ));
    };
    if !desk
        .content
        .library
        .campaigns
        .contains_key(&turn.round.campaign)
    {
        return Err((
            format!(
                "{} `{}`",
                desk.settings.t(
                    "这个战役现在无法进行（内容有错误）：",
                    "This campaign cannot be played now (its content has errors):"
                ),
                turn.round.campaign
            ),
            here,
        ));
    }
    desk.name.0 = trainee;
    *desk.context = PlayContext::Practice;
    desk.opens.write(OpenCampaign {
        id: turn.round.campaign.clone(),
        seed: turn.round.seed,
        resume: true,
        seat: Some(Seat {
            team: team.id,
            round: turn.round.id,
        }),
    });
    // The adapter shows the desk once it is open.
    Ok(here)
}

/// Writes the HTML report and the CSVs (attempts, and campaigns when there are any) of one
/// session (or of everything) as `report html|csv` would, into a `reports` folder beside the results database (the system's temp folder for a
/// database in memory); returns the files written.
fn export_report(
    results: &Results,
    content: &ContentLibrary,
    locale: Locale,
    session: Option<i64>,
) -> Result<String, String> {
    let titles = crate::report::ReportData::titles(&content.library, locale);
    let (data, folder) = results.with(|st| {
        let data = crate::report::ReportData::load(st, session, titles)?;
        let folder = st
            .path()
            .and_then(|p| p.parent())
            .map_or_else(std::env::temp_dir, |d| d.to_path_buf())
            .join("reports");
        Ok((data, folder))
    })?;
    let now = crate::store::now();
    let stem = match session {
        Some(id) => format!("session-{id}-{}", now.strftime("%Y%m%d-%H%M%S")),
        None => format!("all-results-{}", now.strftime("%Y%m%d-%H%M%S")),
    };
    let html = crate::report::html::render(&data, locale, &crate::store::stamp(now));
    let csv = crate::report::csv::render(&data).map_err(|e| e.to_string())?;
    let mut outputs = vec![("html", html), ("csv", csv)];
    // Campaign results are a table of their own (one header per file keeps Excel's filters).
    if !data.campaigns.is_empty() {
        let campaigns = crate::report::csv::render_campaigns(&data).map_err(|e| e.to_string())?;
        outputs.push(("campaigns.csv", campaigns));
    }
    std::fs::create_dir_all(&folder)
        .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    let mut files = Vec::new();
    for (ext, text) in outputs {
        let path = folder.join(format!("{stem}.{ext}"));
        // Whole or not at all, as `report -o` writes.
        crate::report::write_file(&path, text.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        files.push(path.display().to_string());
    }
    Ok(files.join(" · "))
}

fn export(results: &Results, desk: &mut Desk, session: Option<i64>, back: Place) -> Outcome {
    let files = export_report(results, &desk.content, desk.settings.locale, session)
        .map_err(|e| (e, back))?;
    desk.exported.0 = Some(files);
    Ok(back)
}

/// Checks the typed PIN, or sets it on first use (typed twice); wrong PINs in a row make the
/// trainer wait before the next try.
fn enter_pin(results: &Results, desk: &mut Desk) {
    let s = desk.settings.clone();
    let entry = &mut *desk.pin;
    let typed = std::mem::take(&mut entry.digits);
    let now = desk.time.elapsed();
    let waiting = |left: std::time::Duration| {
        format!(
            "{} {} {}",
            s.t("密码错误次数太多，请等", "Too many wrong PINs: wait"),
            left.as_secs().max(1),
            s.t("秒再试。", "seconds before the next try.")
        )
    };
    if let Some(left) = entry.throttle.wait_left(now) {
        entry.message = Some(waiting(left));
        return;
    }
    let outcome = match results.with(|st| st.has_pin()) {
        Err(e) => Err(e),
        Ok(true) => match results.with(|st| st.check_pin(&typed)) {
            Ok(true) => {
                entry.throttle.right();
                Ok(())
            }
            Ok(false) => Err(match entry.throttle.wrong(now) {
                Some(wait) => waiting(wait),
                None => s
                    .t("密码不对，请再试一次。", "Wrong PIN; try again.")
                    .into(),
            }),
            Err(e) => Err(e),
        },
        Ok(false) if typed.len() < 4 => Err(s
            .t("密码至少 4 位数字。", "A PIN has at least 4 digits.")
            .into()),
        Ok(false) => match entry.first.take() {
            None => {
                entry.first = Some(typed);
                Err(s
                    .t("请再输入一次以确认。", "Type it again to confirm.")
                    .into())
            }
            Some(first) if first == typed => results.with(|st| st.set_pin(&typed)),
            Some(_) => Err(s
                .t(
                    "两次输入不一致，请重新设置。",
                    "The two entries differ; start again.",
                )
                .into()),
        },
    };
    match outcome {
        Ok(()) => {
            desk.unlocked.0 = true;
            desk.next.to(ClassroomScreen::Sessions);
        }
        Err(message) => entry.message = Some(message),
    }
}
