//! The cmi5 adapter: a game opened by `dunning-dojo launch URL` (an LMS's link) starts the
//! launch on a thread of its own once the content is loaded (token, launch data, `initialized`),
//! opens the AU's scenario briefing or quiz in the learner's language and the launch's mode,
//! and when the result is saved sends it and `terminated`, also when the window is closed
//! first. What the LMS got, or why not, is shown in a banner on every screen.

use std::sync::Arc;
use std::thread::JoinHandle;

use bevy::prelude::*;
use bevy::window::RequestRedraw;

use crate::cmi5::{Launch, LaunchUrl, Options, Played, Report, Target};
use crate::domain::library::Library;
use crate::game::content::ContentLibrary;
use crate::game::quiz::QuizSetup;
use crate::game::records::{LastQuiz, LastResult, Results};
use crate::game::settings::Settings;
use crate::game::state::{AppSystems, Navigate, QuizScreen, Screen, Selection};
use crate::game::theme::{palette, widget};

pub(super) fn plugin(app: &mut App) {
    // The window plugin adds it; a game without a window (tests) has it too.
    app.add_message::<RequestRedraw>();
    app.add_systems(
        Update,
        (start, opened, finish_on_save, finished, keep_awake)
            .chain()
            .in_set(AppSystems::Act)
            .run_if(resource_exists::<Cmi5Link>),
    );
    app.add_systems(
        Update,
        show_banner
            .in_set(AppSystems::Present)
            .run_if(resource_exists::<Cmi5Link>),
    );
    app.add_systems(Last, terminate_on_exit.run_if(resource_exists::<Cmi5Link>));
}

/// Where the launch is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cmi5Stage {
    /// Waiting for the content, then asking the LMS.
    Starting,
    /// Playing what the LMS launched.
    Playing,
    /// Sending the result and `terminated`.
    Sending,
    /// Done: what the LMS got.
    Done,
    /// Stopped: why (the result, if any, is kept on this computer).
    Failed,
}

/// A launch from an LMS (inserted by the `launch` command before the game runs).
#[derive(Resource)]
pub struct Cmi5Link {
    url: LaunchUrl,
    options: Options,
    /// Where it is.
    pub stage: Cmi5Stage,
    /// What to tell the learner now.
    pub message: String,
    /// Where the LMS wants the learner next, once done.
    pub return_url: Option<String>,
    launch: Option<Launch>,
    task: Option<JoinHandle<Result<(Launch, Target), String>>>,
    sending: Option<JoinHandle<Result<(Report, Option<String>), String>>>,
    target: Option<Target>,
    version: u64,
}

impl Cmi5Link {
    /// A launch of `url` (checked by [`LaunchUrl::parse`]) with `options`.
    pub fn new(url: LaunchUrl, options: Options) -> Cmi5Link {
        Cmi5Link {
            url,
            options,
            stage: Cmi5Stage::Starting,
            message: "正在连接学习管理系统 (LMS)… / Connecting to your learning system (LMS)…"
                .into(),
            return_url: None,
            launch: None,
            task: None,
            sending: None,
            target: None,
            version: 0,
        }
    }

    fn tell(&mut self, stage: Cmi5Stage, message: impl Into<String>) {
        self.stage = stage;
        self.message = message.into();
        self.version += 1;
    }
}

/// Starts the launch on a thread once the content is loaded.
fn start(content: Res<ContentLibrary>, mut link: ResMut<Cmi5Link>) {
    if link.stage != Cmi5Stage::Starting || link.task.is_some() || !content.ready {
        return;
    }
    let lib: Arc<Library> = Arc::new(content.library.clone());
    let (url, options) = (link.url.clone(), link.options.clone());
    link.task = Some(std::thread::spawn(move || {
        Launch::start(&url, &lib, &options).map_err(|e| e.to_string())
    }));
}

/// The launch started: the briefing of its scenario, or its quiz, in its language and mode.
fn opened(
    mut link: ResMut<Cmi5Link>,
    mut settings: ResMut<Settings>,
    mut selection: ResMut<Selection>,
    mut quiz: ResMut<QuizSetup>,
    mut next: Navigate,
) {
    let Some(joined) = crate::game::finished(&mut link.task) else {
        return;
    };
    match joined {
        Ok(Ok((launch, target))) => {
            settings.locale = launch.language();
            settings.mode = launch.data().mode();
            match &target {
                Target::Scenario { id, seed } => {
                    *selection = Selection {
                        scenario: id.clone(),
                        seed: *seed,
                        prepared: Vec::new(),
                    };
                    next.to(Screen::Briefing);
                }
                Target::Quiz { spec, banks } => {
                    quiz.spec = spec.clone();
                    quiz.banks = banks.clone();
                    quiz.problem = None;
                    next.to(QuizScreen::Setup);
                }
            }
            link.launch = Some(launch);
            link.target = Some(target);
            link.tell(
                Cmi5Stage::Playing,
                "由学习管理系统 (LMS) 启动：完成后成绩会发回 LMS。/ Launched by your LMS: the result goes back to it when you finish.",
            );
        }
        Ok(Err(e)) => link.tell(Cmi5Stage::Failed, e),
        Err(_) => link.tell(Cmi5Stage::Failed, "the launch stopped unexpectedly"),
    }
}

/// The launched result was saved: send it, then `terminated`, on a thread.
fn finish_on_save(
    attempt: Option<Res<LastResult>>,
    quiz: Option<Res<LastQuiz>>,
    results: Res<Results>,
    mut link: ResMut<Cmi5Link>,
) {
    if link.stage != Cmi5Stage::Playing {
        return;
    }
    let launched = match &link.target {
        Some(Target::Scenario { id, .. }) => Some(id.clone()),
        _ => None,
    };
    let scenario = launched.is_some();
    // Only the launched scenario's result is the AU's (the learner may have left it and
    // practised another meanwhile).
    let saved = if let Some(id) = &launched {
        attempt
            .filter(|r| r.is_changed() && r.result.scenario == *id)
            .map(|r| r.saved.clone())
    } else {
        quiz.filter(|r| r.is_changed()).map(|r| r.saved.clone())
    };
    let Some(saved) = saved else {
        return;
    };
    let Some(mut launch) = link.launch.take() else {
        return;
    };
    // The stored row is what the LMS is told about (the same as every export).
    let stored = saved.and_then(|id| {
        if scenario {
            results
                .with(|s| s.attempt(id))?
                .map(|a| SavedResult::Attempt(Box::new(a)))
                .ok_or_else(|| format!("attempt {id} is not in the results database"))
        } else {
            let all = results.with(|s| s.quizzes(None))?;
            all.into_iter()
                .find(|q| q.id == id)
                .map(|q| SavedResult::Quiz(Box::new(q)))
                .ok_or_else(|| format!("quiz result {id} is not in the results database"))
        }
    });
    link.tell(
        Cmi5Stage::Sending,
        "正在把成绩发回 LMS… / Sending the result to your LMS…",
    );
    link.sending = Some(std::thread::spawn(move || {
        let sent = match &stored {
            Ok(SavedResult::Attempt(a)) => Some(launch.finish(Played::Attempt(a))),
            Ok(SavedResult::Quiz(q)) => Some(launch.finish(Played::Quiz(q))),
            // Not saved here: the LMS gets no result, only the end of the session.
            Err(_) => None,
        };
        let return_url = launch.return_url().map(str::to_owned);
        let ended = launch.terminate();
        match (stored, sent, ended) {
            (Err(why), _, Ok(_)) => Err(format!(
                "the result was not saved on this computer ({why}), so it was not sent to the LMS"
            )),
            (_, Some(Err(e)), _) | (_, _, Err(e)) => Err(e.to_string()),
            (_, Some(Ok(report)), Ok(_)) => Ok((report, return_url)),
            (_, None, Ok(report)) => Ok((report, return_url)),
        }
    }));
}

/// What was played, as stored.
enum SavedResult {
    Attempt(Box<crate::store::StoredAttempt>),
    Quiz(Box<crate::store::StoredQuiz>),
}

fn finished(mut link: ResMut<Cmi5Link>) {
    let Some(joined) = crate::game::finished(&mut link.sending) else {
        return;
    };
    match joined {
        Ok(Ok((report, return_url))) => {
            let withheld: Vec<String> = report
                .withheld
                .iter()
                .map(|w| format!("{} ({})", w.verb, w.why))
                .collect();
            let mut text = format!(
                "LMS 已收到：{} / The LMS got: {}",
                report.sent.join(", "),
                report.sent.join(", ")
            );
            if !withheld.is_empty() {
                text.push_str(&format!(" · cmi5 kept back: {}", withheld.join("; ")));
            }
            if let Some(url) = &return_url {
                text.push_str(&format!(" · 返回 / back: {url}"));
            }
            link.return_url = return_url;
            link.tell(Cmi5Stage::Done, text);
        }
        Ok(Err(e)) => link.tell(
            Cmi5Stage::Failed,
            format!("LMS 没有收到成绩 / The LMS did NOT get the result: {e}"),
        ),
        Err(_) => link.tell(Cmi5Stage::Failed, "sending to the LMS stopped unexpectedly"),
    }
}

/// While the LMS is being asked, frames keep coming (a desktop app otherwise waits for input).
fn keep_awake(link: Res<Cmi5Link>, mut redraw: MessageWriter<RequestRedraw>) {
    if link.task.is_some() || link.sending.is_some() {
        redraw.write(RequestRedraw);
    }
}

/// Closing the window before the result went: the LMS is still told the session ended.
fn terminate_on_exit(mut exits: MessageReader<AppExit>, mut link: ResMut<Cmi5Link>) {
    if exits.read().next().is_none() {
        return;
    }
    if let Some(launch) = link.launch.take()
        && let Err(e) = launch.terminate()
    {
        error!("the LMS was not told the session ended: {e}");
    }
    if let Some(task) = link.sending.take() {
        let _ = task.join();
    }
}

#[derive(Component)]
struct Cmi5Banner;

fn show_banner(
    link: Res<Cmi5Link>,
    banners: Query<Entity, With<Cmi5Banner>>,
    mut commands: Commands,
    mut shown: Local<Option<u64>>,
) {
    if *shown == Some(link.version) {
        return;
    }
    *shown = Some(link.version);
    for e in &banners {
        commands.entity(e).despawn();
    }
    let color = match link.stage {
        Cmi5Stage::Failed => palette::BAD,
        Cmi5Stage::Done => palette::GOOD,
        _ => palette::MUTED,
    };
    commands.spawn((
        Cmi5Banner,
        Name::new("cmi5 banner"),
        Node {
            position_type: PositionType::Absolute,
            bottom: px(6),
            left: px(24),
            right: px(24),
            ..default()
        },
        GlobalZIndex(10),
        children![widget::colored(link.message.clone(), 0.85, color)],
    ));
}
