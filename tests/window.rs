//! The real window: the binary under Xvfb with Mesa's software Vulkan, driven by `--autoplay`
//! through the same input path as a player. It must save three distinct, non-trivial PNGs and
//! write the same result JSON as `dunning-dojo play … --json`.
//!
//! Needs `xvfb-run` and a Vulkan driver (Debian: `xvfb`, `mesa-vulkan-drivers`); `.ci/run`
//! installs them and sets `DOJO_REQUIRE_WINDOW_TEST=1`, so CI cannot skip this test. On a
//! machine without them the test says so and passes.

use std::path::Path;
use std::process::Command;

use crate::support::{root, run, stdout};

const SCENARIO: &str = "wired_it_already";

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
    let lib = dunning_dojo::domain::content::Library::load(&[root().join("dialogues")]);
    let c = lib.scenario(SCENARIO).expect("the scenario plays");
    let best = dunning_dojo::domain::analysis::model_answer(c).expect("a model answer");
    (best.prepared, best.choices)
}

fn play_in_window(lang: &str) {
    let dir = tempfile::tempdir().unwrap();
    let shots = dir.path().join("shots");
    let result = dir.path().join("result.json");
    let (prepared, choices) = model_answer();
    let bin = env!("CARGO_BIN_EXE_dunning-dojo");
    let out = Command::new("timeout")
        .args(["300", "xvfb-run", "-a", "-s", "-screen 0 1280x800x24", bin])
        .args([
            "--autoplay",
            SCENARIO,
            "--autoplay-seed",
            "3",
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
        .arg("--exit")
        .current_dir(root())
        .env("WGPU_BACKEND", "vulkan")
        .output()
        .expect("xvfb-run starts");
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the game failed ({lang}):\n{log}");

    let mut digests = Vec::new();
    for name in ["briefing.png", "conversation.png", "debrief.png"] {
        let path = shots.join(name);
        assert!(path.exists(), "{name} was not saved ({lang}):\n{log}");
        let (w, h, distinct) = colours(&path);
        assert!(w >= 640 && h >= 400, "{name} is {w}x{h}");
        assert!(distinct > 40, "{name} looks blank: {distinct} colours");
        digests.push(std::fs::read(&path).unwrap());
    }
    assert!(
        digests[0] != digests[1] && digests[1] != digests[2] && digests[0] != digests[2],
        "screenshots repeat"
    );

    let game: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&result).unwrap()).unwrap();
    let cli = run(
        &[
            "play",
            SCENARIO,
            "--seed",
            "3",
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
}

#[test]
fn the_real_window_plays_a_call_in_both_languages() {
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
