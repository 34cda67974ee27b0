//! The real window: the binary under Xvfb with Mesa's software Vulkan, driven by `--autoplay`
//! and `--autoplay-quiz` through the same input path as a player. It must save distinct,
//! non-trivial PNGs and write the same results as `dunning-dojo play … --json` and
//! `dunning-dojo quiz … --json`.
//!
//! Needs `xvfb-run` and a Vulkan driver (Debian: `xvfb`, `mesa-vulkan-drivers`); `.ci/run`
//! installs them and sets `DOJO_REQUIRE_WINDOW_TEST=1`, so CI cannot skip this test. On a
//! machine without them the test says so and passes.

use std::path::Path;
use std::process::Command;

use crate::support::{root, run, stdout};

const SCENARIO: &str = "wired_it_already";
const QUIZ: &str = "5-11";
/// The seed of the scripted conversation.
const SEED: u64 = 3;

fn have_xvfb() -> bool {
    Command::new("sh")
        .args(["-c", "command -v xvfb-run"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Decodes a PNG and counts its distinct colours (sampled), failing if it is not a real image.
fn colours(path: &Path) -> (u32, u32, usize) {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let decoder = png::Decoder::new(std::io::BufReader::new(file));
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut buf = vec![0; reader.output_buffer_size().expect("a sized image")];
    let info = reader.next_frame(&mut buf).expect("PNG pixels");
    let channels = info.color_type.samples();
    let mut seen = std::collections::HashSet::new();
    for px in buf[..info.buffer_size()].chunks(channels).step_by(7) {
        seen.insert(px.to_vec());
    }
    (info.width, info.height, seen.len())
}

fn model_answer() -> (Vec<String>, Vec<String>) {
    let lib = dunning_dojo::domain::library::Library::load(&[root().join("dialogues")]);
    let c = lib.scenario(SCENARIO).expect("the scenario plays");
    // The model answer for the truths the run's seed draws.
    let drawn = c.draw_truths(SEED);
    let best = dunning_dojo::domain::analysis::model_answer_for(c, &drawn).expect("a model answer");
    (best.prepared, best.choices)
}

/// Answers to the quiz `QUIZ` as letters on screen: the first one wrong, the rest right.
fn quiz_answers(lang: &str) -> Vec<String> {
    use dunning_dojo::domain::quiz::{QuestionKind, QuizSpec, draw};
    let lib = dunning_dojo::domain::library::Library::load(&[root().join("dialogues")]);
    let locale = dunning_dojo::domain::text::Locale::from_tag(lang).unwrap();
    let banks = lib.quiz_banks_in(locale);
    let quiz = draw(&banks, &QuizSpec::from_code(QUIZ).unwrap()).unwrap();
    quiz.questions
        .iter()
        .enumerate()
        .map(|(k, d)| {
            let q = &banks[d.bank].questions[d.question];
            let mut key: Vec<String> = q.answer.clone();
            if k == 0 {
                key = match q.kind {
                    QuestionKind::TrueFalse if key == ["true"] => vec!["false".into()],
                    QuestionKind::TrueFalse => vec!["true".into()],
                    QuestionKind::Order => key.into_iter().rev().collect(),
                    _ => vec![
                        q.options
                            .iter()
                            .find(|o| !q.answer.contains(&o.id.0))
                            .unwrap()
                            .id
                            .0
                            .clone(),
                    ],
                };
            }
            key.iter()
                .map(|id| d.letter_of(q, id).unwrap().to_string())
                .collect::<String>()
        })
        .collect()
}

fn play_in_window(lang: &str) {
    let dir = tempfile::tempdir().unwrap();
    let shots = dir.path().join("shots");
    let result = dir.path().join("result.json");
    let quiz_result = dir.path().join("quiz.json");
    let db = dir.path().join("results.sqlite");
    let (prepared, choices) = model_answer();
    let answers = quiz_answers(lang).join(",");
    let bin = env!("CARGO_BIN_EXE_dunning-dojo");
    let out = Command::new("timeout")
        .args(["300", "xvfb-run", "-a", "-s", "-screen 0 1280x800x24", bin])
        .args([
            "--autoplay",
            SCENARIO,
            "--autoplay-seed",
            &SEED.to_string(),
            "--autoplay-lang",
            lang,
        ])
        .arg("--autoplay-prepare")
        .arg(prepared.join(","))
        .arg("--autoplay-choices")
        .arg(choices.join(","))
        .arg("--screenshots")
        .arg(&shots)
        .arg("--result")
        .arg(&result)
        .args(["--autoplay-quiz", QUIZ, "--autoplay-answers", &answers])
        .arg("--quiz-result")
        .arg(&quiz_result)
        .arg("--autoplay-classroom")
        .arg("--exit")
        .arg("--db")
        .arg(&db)
        .current_dir(root())
        .env("WGPU_BACKEND", "vulkan")
        .output()
        .expect("xvfb-run starts");
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the game failed ({lang}):\n{log}");

    let mut digests = Vec::new();
    for name in [
        "briefing.png",
        "conversation.png",
        "debrief.png",
        "quiz_question.png",
        "quiz_feedback.png",
        "quiz_result.png",
        "classroom_pin.png",
        "classroom_sessions.png",
        "classroom_teams.png",
        "classroom_round.png",
        "classroom_turn.png",
        "classroom_debrief.png",
        "classroom_board.png",
    ] {
        let path = shots.join(name);
        assert!(path.exists(), "{name} was not saved ({lang}):\n{log}");
        let (w, h, distinct) = colours(&path);
        assert!(w >= 640 && h >= 400, "{name} is {w}x{h}");
        assert!(distinct > 40, "{name} looks blank: {distinct} colours");
        digests.push(std::fs::read(&path).unwrap());
    }
    for (i, a) in digests.iter().enumerate() {
        assert!(
            digests[i + 1..].iter().all(|b| a != b),
            "screenshots repeat"
        );
    }

    let game: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&result).unwrap()).unwrap();
    let cli = run(
        &[
            "play",
            SCENARIO,
            "--seed",
            &SEED.to_string(),
            "--lang",
            lang,
            "--prepare",
            &prepared.join(","),
            "--choices",
            &choices.join(","),
            "--json",
        ],
        "",
    );
    let cli: serde_json::Value = serde_json::from_str(&stdout(&cli)).unwrap();
    assert_eq!(
        game, cli,
        "the window's result differs from `play --json` ({lang})"
    );
    let cli_result = cli;

    let game: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&quiz_result).unwrap()).unwrap();
    let cli = run(
        &[
            "quiz",
            "--code",
            QUIZ,
            "--lang",
            lang,
            "--answers",
            &answers,
            "--json",
        ],
        "",
    );
    let cli: serde_json::Value = serde_json::from_str(&stdout(&cli)).unwrap();
    for field in ["score", "passed", "questions", "topics", "recommendations"] {
        assert_eq!(
            game[field], cli[field],
            "the window's quiz {field} differs from `quiz --json` ({lang})"
        );
    }
    assert!(
        game["score"].as_f64().unwrap() < 100.0,
        "the first answer was wrong"
    );

    // The window kept both in the results database named by --db.
    let store = dunning_dojo::store::Store::open(&db).unwrap();
    let attempts = store
        .attempts(&dunning_dojo::store::AttemptFilter::default())
        .unwrap();
    // The practice call, then one turn per team in the classroom tour.
    assert_eq!(attempts.len(), 3, "three conversations recorded ({lang})");
    assert_eq!(attempts[0].session, None);
    assert!(
        attempts[1..]
            .iter()
            .all(|a| a.round == Some(1) && a.result.seed == 3)
    );
    let teams: Vec<_> = attempts[1..]
        .iter()
        .map(|a| a.team.clone().unwrap())
        .collect();
    assert_eq!(teams.len(), 2);
    assert_ne!(teams[0], teams[1]);
    assert!(store.has_pin().unwrap());
    assert_eq!(
        serde_json::to_value(&attempts[0].result).unwrap(),
        cli_result,
        "the stored attempt is the one played ({lang})"
    );
    let quizzes = store.quizzes(None).unwrap();
    assert_eq!(quizzes.len(), 1, "one quiz recorded ({lang})");
    assert_eq!(quizzes[0].code, QUIZ);
}

#[test]
fn the_real_window_plays_a_call_and_a_quiz_in_both_languages() {
    if !have_xvfb() {
        assert!(
            std::env::var_os("DOJO_REQUIRE_WINDOW_TEST").is_none(),
            "xvfb-run is missing but DOJO_REQUIRE_WINDOW_TEST is set: install xvfb and mesa-vulkan-drivers"
        );
        eprintln!("skipped: xvfb-run is not installed (apt-get install xvfb mesa-vulkan-drivers)");
        return;
    }
    for lang in ["zh-CN", "en"] {
        play_in_window(lang);
    }
}

/// Works `CAMPAIGN` through the desk by key presses, then as a classroom campaign round of two
/// teams: the campaign cards, the desk at the start and on day 3 (also with a contact to log),
/// the report, the hot seat and the board must be real, distinct PNGs; the result must be the
/// one the terminal's line protocol gives for the same actions; and all three desks are in the
/// results database.
fn campaign_in_window(lang: &str) {
    const CAMPAIGN: &str = "first_month_desk";
    let dir = tempfile::tempdir().unwrap();
    let shots = dir.path().join("shots");
    let result = dir.path().join("campaign.json");
    let db = dir.path().join("results.sqlite");
    let bin = env!("CARGO_BIN_EXE_dunning-dojo");
    let out = Command::new("timeout")
        .args(["300", "xvfb-run", "-a", "-s", "-screen 0 1280x800x24", bin])
        .args(["--autoplay-campaign", CAMPAIGN, "--autoplay-seed", "3"])
        .args(["--autoplay-lang", lang])
        .arg("--screenshots")
        .arg(&shots)
        .arg("--campaign-result")
        .arg(&result)
        .arg("--autoplay-classroom-campaign")
        .arg("--exit")
        .arg("--db")
        .arg(&db)
        .current_dir(root())
        .env("WGPU_BACKEND", "vulkan")
        .output()
        .expect("xvfb-run starts");
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the game failed ({lang}):\n{log}");
    let mut digests = Vec::new();
    for name in [
        "campaign_select.png",
        "campaign_desk.png",
        "campaign_desk_day3.png",
        "campaign_desk_logging.png",
        "campaign_report.png",
        "classroom_campaign_turn.png",
        "classroom_campaign_report.png",
        "classroom_campaign_board.png",
    ] {
        let path = shots.join(name);
        assert!(path.exists(), "{name} was not saved ({lang}):\n{log}");
        let (w, h, distinct) = colours(&path);
        assert!(w >= 640 && h >= 400, "{name} is {w}x{h}");
        assert!(distinct > 40, "{name} looks blank: {distinct} colours");
        digests.push(std::fs::read(&path).unwrap());
    }
    for (i, a) in digests.iter().enumerate() {
        assert!(
            digests[i + 1..].iter().all(|b| a != b),
            "screenshots repeat"
        );
    }
    let text = std::fs::read_to_string(&result).unwrap();
    let game: serde_json::Value = serde_json::from_str(&text).unwrap();
    let actions = game["actions"].as_array().expect("the action log");
    assert!(
        actions.len() > 40,
        "the desk was worked: {} actions",
        actions.len()
    );
    let input: String = actions
        .iter()
        .map(|r| format!("{}\n", r["action"]))
        .collect();
    let cli = run(
        &[
            "campaign",
            "play",
            CAMPAIGN,
            "--seed",
            "3",
            "--lang",
            lang,
            "--json-steps",
        ],
        &input,
    );
    let last: serde_json::Value =
        serde_json::from_str(stdout(&cli).lines().last().unwrap()).unwrap();
    assert_eq!(
        game, last,
        "the window's campaign differs from the terminal's ({lang})"
    );
}

#[test]
fn the_real_window_works_a_campaign_desk_in_both_languages() {
    if !have_xvfb() {
        assert!(
            std::env::var_os("DOJO_REQUIRE_WINDOW_TEST").is_none(),
            "xvfb-run is missing but DOJO_REQUIRE_WINDOW_TEST is set: install xvfb and mesa-vulkan-drivers"
        );
        eprintln!("skipped: xvfb-run is not installed (apt-get install xvfb mesa-vulkan-drivers)");
        return;
    }
    for lang in ["zh-CN", "en"] {
        campaign_in_window(lang);
    }
}
