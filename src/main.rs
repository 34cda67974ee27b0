//! Entry point: parse the command line, then run a command or open the game window.

use std::process::ExitCode;

use clap::Parser;
use dunning_dojo::cli::{Cli, run};

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    let mut cli = Cli::parse();
    match cli.command.take() {
        Some(command) => run(cli, command),
        None => open_window(cli, started),
    }
}

#[cfg(feature = "game")]
fn open_window(cli: Cli, started: std::time::Instant) -> ExitCode {
    use dunning_dojo::domain::quiz::QuizSpec;
    use dunning_dojo::game::autoplay::{QuizScript, Script};
    use dunning_dojo::game::{GameOptions, run as run_game};
    let g = cli.game;
    let quiz = match g.autoplay_quiz.as_deref().map(QuizSpec::from_code) {
        None => None,
        Some(Ok(spec)) => Some(QuizScript {
            spec,
            answers: g.autoplay_answers,
            result: g.quiz_result,
        }),
        Some(Err(e)) => {
            eprintln!("error: --autoplay-quiz: {e}");
            return ExitCode::from(2);
        }
    };
    let autoplay = (g.autoplay.is_some() || quiz.is_some()).then_some(Script {
        scenario: g.autoplay,
        seed: g.autoplay_seed,
        lang: g.autoplay_lang,
        choices: g.autoplay_choices,
        prepare: g.autoplay_prepare,
        trainee: g.autoplay_trainee,
        screenshots: g.screenshots,
        result: g.result,
        quiz,
        classroom: g.autoplay_classroom,
        exit: g.exit,
    });
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
    match run_game(GameOptions {
        content_dir,
        autoplay,
        started,
        db,
    }) {
        bevy::app::AppExit::Success => ExitCode::SUCCESS,
        bevy::app::AppExit::Error(code) => ExitCode::from(code.get()),
    }
}

#[cfg(not(feature = "game"))]
fn open_window(_cli: Cli, _started: std::time::Instant) -> ExitCode {
    use clap::CommandFactory;
    eprintln!(
        "this build has no game window (built without the `game` feature); the commands are:"
    );
    let _ = Cli::command().print_help();
    ExitCode::from(2)
}
