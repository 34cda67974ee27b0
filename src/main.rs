//! Entry point: parse the command line, then run a command or open the game window.

use std::process::ExitCode;

use clap::Parser;
use dunning_dojo::cli::{Cli, run};

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    let mut cli = Cli::parse();
    match cli.command.take() {
        #[cfg(feature = "game")]
        Some(dunning_dojo::cli::Command::Launch(args)) if !args.in_terminal() => {
            // A launch from an LMS opens the window on what it launched.
            match dunning_dojo::cli::launch_for_window(&cli, &args) {
                Ok((url, options, trainee)) => {
                    let link = dunning_dojo::game::cmi5::Cmi5Link::new(url, options);
                    open_window(cli, started, Some((link, trainee)))
                }
                Err(code) => code,
            }
        }
        Some(command) => run(cli, command),
        None => open_window(cli, started, None),
    }
}

#[cfg(feature = "game")]
fn open_window(
    cli: Cli,
    started: std::time::Instant,
    launch: Option<(dunning_dojo::game::cmi5::Cmi5Link, String)>,
) -> ExitCode {
    use dunning_dojo::game::{GameOptions, run as run_game};
    #[cfg(feature = "scripted")]
    let plan = match scripted_plan(&cli) {
        Ok(plan) => plan,
        Err(code) => return code,
    };
    // Without a display winit cannot open a window (and would panic): say so plainly.
    #[cfg(target_os = "linux")]
    if ["DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET"]
        .iter()
        .all(|v| std::env::var_os(v).is_none())
    {
        eprintln!(
            "error: no display to open the game window on (DISPLAY and WAYLAND_DISPLAY are unset); run it in a desktop session, or use the commands: dunning-dojo --help"
        );
        return ExitCode::from(2);
    }
    let content_dir = cli
        .content
        .first()
        .cloned()
        .unwrap_or_else(|| "dialogues".into());
    if !content_dir.is_dir() {
        eprintln!(
            "error: the content folder `{}` does not exist; run from the project folder or pass --content",
            content_dir.display()
        );
        return ExitCode::from(2);
    }
    let db = match dunning_dojo::store::resolve_path(cli.db.as_deref()) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    #[cfg(feature = "scripted")]
    let (continuous, scripted) = (plan.is_some(), move |app: &mut bevy::app::App| {
        if let Some(plan) = plan {
            dunning_dojo::game::scripted::from_plan(app, plan);
        }
    });
    #[cfg(not(feature = "scripted"))]
    let (continuous, scripted) = (false, |_: &mut bevy::app::App| {});
    let extra = move |app: &mut bevy::app::App| {
        if let Some((link, trainee)) = launch {
            app.insert_resource(link);
            app.insert_resource(dunning_dojo::game::state::TraineeName(trainee));
        }
        scripted(app);
    };
    let options = GameOptions {
        content_dir,
        continuous,
        started,
        db,
    };
    match run_game(options, extra) {
        bevy::app::AppExit::Success => ExitCode::SUCCESS,
        bevy::app::AppExit::Error(code) => ExitCode::from(code.get()),
    }
}

/// The scripted run the `--autoplay…` flags ask for, if any.
#[cfg(all(feature = "game", feature = "scripted"))]
fn scripted_plan(cli: &Cli) -> Result<Option<dunning_dojo::game::scripted::Plan>, ExitCode> {
    use dunning_dojo::domain::quiz::QuizSpec;
    use dunning_dojo::game::scripted::{Plan, QuizPlan};
    let g = &cli.game;
    let quiz = match g.autoplay_quiz.as_deref().map(QuizSpec::from_code) {
        None => None,
        Some(Ok(spec)) => Some(QuizPlan {
            spec,
            answers: g.autoplay_answers.clone(),
            result: g.quiz_result.clone(),
        }),
        Some(Err(e)) => {
            eprintln!("error: --autoplay-quiz: {e}");
            return Err(ExitCode::from(2));
        }
    };
    let campaign =
        g.autoplay_campaign
            .clone()
            .map(|id| dunning_dojo::game::scripted::CampaignPlan {
                id,
                seed: g.autoplay_seed,
                accounts: g.autoplay_campaign_accounts,
                result: g.campaign_result.clone(),
            });
    let lrs = g
        .autoplay_lrs
        .clone()
        .map(|endpoint| dunning_dojo::game::scripted::LrsPlan {
            endpoint,
            key: g.autoplay_lrs_key.clone(),
            secret: std::env::var(dunning_dojo::lrs::config::ENV_SECRET).unwrap_or_default(),
        });
    Ok(
        (g.autoplay.is_some() || quiz.is_some() || campaign.is_some() || lrs.is_some()).then(
            || Plan {
                scenario: g.autoplay.clone(),
                seed: g.autoplay_seed,
                lang: g.autoplay_lang,
                choices: g.autoplay_choices.clone(),
                prepare: g.autoplay_prepare.clone(),
                trainee: g.autoplay_trainee.clone(),
                screenshots: g.screenshots.clone(),
                result: g.result.clone(),
                quiz,
                classroom: g.autoplay_classroom,
                campaign,
                classroom_campaign: g.autoplay_classroom_campaign,
                lrs,
                exit: g.exit,
            },
        ),
    )
}

#[cfg(not(feature = "game"))]
fn open_window(_cli: Cli, _started: std::time::Instant, _launch: Option<()>) -> ExitCode {
    use clap::CommandFactory;
    eprintln!(
        "this build has no game window (built without the `game` feature); the commands are:"
    );
    let _ = Cli::command().print_help();
    ExitCode::from(2)
}
