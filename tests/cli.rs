//! The command line, run as a real process against the test fixtures.

use serde_json::Value;

use crate::support::{fixture, run, s, shown_numbers, stderr, stdout};

fn base() -> String {
    s(&fixture("base")).to_owned()
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(out)).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(out)))
}

#[test]
fn list_shows_the_fixture_scenario() {
    let out = run(&["--content", &base(), "list", "--json"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v[0]["id"], "test_call");
    assert_eq!(v[0]["channel"], "phone");
    let table = stdout(&run(&["--content", &base(), "list", "--lang", "en"], ""));
    assert!(table.lines().next().unwrap().starts_with("ID"));
    assert!(table.contains("Test call"));
}

#[test]
fn lint_is_clean_on_good_content_and_fails_with_located_errors() {
    let ok = run(&["lint", &base()], "");
    assert_eq!(ok.status.code(), Some(0), "{}", stdout(&ok));
    let broken = fixture("broken/dangling_next.ron");
    let bad = run(&["lint", s(&fixture("base/persona.ron")), s(&broken)], "");
    assert_eq!(bad.status.code(), Some(1));
    let text = stdout(&bad);
    let want = format!(
        "{}:59:97: error[DD0103]: node `soft_ending` does not exist",
        s(&broken)
    );
    assert!(text.contains(&want), "{text}");
    assert!(text.contains("help: did you mean `soft_end`?"), "{text}");
    let js = json(&run(
        &[
            "lint",
            "--json",
            s(&fixture("base/persona.ron")),
            s(&broken),
        ],
        "",
    ));
    assert_eq!(js["errors"], 1);
    assert_eq!(js["diagnostics"][0]["code"], 103);
}

#[test]
fn lint_of_a_missing_path_is_one_sentence() {
    let out = run(&["lint", "no/such/folder"], "");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).trim(),
        "error: no such file or folder: no/such/folder"
    );
}

#[test]
fn scripted_play_prints_the_result_object() {
    let out = run(
        &[
            "--content",
            &base(),
            "play",
            "test_call",
            "--seed",
            "3",
            "--lang",
            "en",
            "--choices",
            "intro,who_covers,fix_date",
            "--json",
        ],
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    for key in [
        "scenario",
        "seed",
        "lang",
        "outcome",
        "ending",
        "passed",
        "scores",
        "violations",
        "evidence",
        "transcript",
        "debrief",
    ] {
        assert!(v.get(key).is_some(), "missing `{key}`");
    }
    assert_eq!(v["outcome"], "verbal_promise");
    assert_eq!(v["passed"], true);
    assert_eq!(v["scores"]["overall"], 100.0);
    assert_eq!(v["transcript"][1]["speaker"], "trainee");
    assert_eq!(v["transcript"][1]["choice"], "intro");
    assert_eq!(v["debrief"].as_array().unwrap().len(), 3);
}

#[test]
fn the_same_seed_gives_byte_identical_json_and_numbers_equal_ids() {
    let args = |choices: &str| {
        stdout(&run(
            &[
                "--content",
                &base(),
                "play",
                "test_call",
                "--seed",
                "11",
                "--choices",
                choices,
                "--json",
            ],
            "",
        ))
    };
    let a = args("chat,intro,who_covers,fix_date");
    assert_eq!(a, args("chat,intro,who_covers,fix_date"));
    let numbers = shown_numbers(11, "chat,intro,who_covers,fix_date");
    assert_eq!(a, args(&numbers));
}

#[test]
fn the_order_shown_changes_with_the_seed_and_the_json_steps_numbers_match_it() {
    let first_ids: std::collections::BTreeSet<String> = (1..=12)
        .map(|seed| {
            let out = run(
                &[
                    "--content",
                    &base(),
                    "play",
                    "test_call",
                    "--json-steps",
                    "--seed",
                    &seed.to_string(),
                ],
                "",
            );
            let first: Value =
                serde_json::from_str(stdout(&out).lines().next().expect("a first step")).unwrap();
            let choices = first["choices"].as_array().unwrap().clone();
            // Numbers run 1..n over the available lines, in the order of the array.
            let numbers: Vec<u64> = choices
                .iter()
                .filter_map(|c| c["number"].as_u64())
                .collect();
            assert_eq!(numbers, (1..=numbers.len() as u64).collect::<Vec<_>>());
            choices[0]["id"].as_str().unwrap().to_owned()
        })
        .collect();
    assert!(
        first_ids.len() >= 2,
        "twelve seeds always show the same line first: {first_ids:?}"
    );
}

#[test]
fn violations_are_reported_with_their_turn() {
    let v = json(&run(
        &[
            "--content",
            &base(),
            "play",
            "test_call",
            "--choices",
            "intro,yell,who_covers,fix_date",
            "--json",
        ],
        "",
    ));
    assert_eq!(v["passed"], false);
    assert_eq!(v["violations"][0]["rule"], "lost_temper");
    assert_eq!(v["violations"][0]["turn"], 2);
}

#[test]
fn bad_input_gets_one_clear_sentence_and_a_non_zero_exit() {
    let unknown = run(&["--content", &base(), "play", "test_cal"], "");
    assert_eq!(unknown.status.code(), Some(2));
    assert_eq!(
        stderr(&unknown).trim(),
        "error: unknown scenario `test_cal`; did you mean `test_call`?"
    );
    let bad_choice = run(
        &[
            "--content",
            &base(),
            "play",
            "test_call",
            "--choices",
            "intro,shout",
        ],
        "",
    );
    assert_eq!(bad_choice.status.code(), Some(2));
    assert!(stderr(&bad_choice).contains("choice 2 (`shout`): `shout` is not a choice here; the choices are: who_covers, wait, yell, discount"), "{}", stderr(&bad_choice));
    let short = run(
        &[
            "--content",
            &base(),
            "play",
            "test_call",
            "--choices",
            "intro",
        ],
        "",
    );
    assert_eq!(short.status.code(), Some(2));
    assert!(stderr(&short).contains("has not ended after 1 choice(s)"));
    let lang = run(
        &["--content", &base(), "play", "test_call", "--lang", "fr"],
        "",
    );
    assert_eq!(lang.status.code(), Some(2));
    assert!(stderr(&lang).contains("unknown language `fr`"));
    for o in [&unknown, &bad_choice, &short, &lang] {
        assert!(!stderr(o).contains("panicked"));
    }
}

#[test]
fn interactive_play_reads_numbers_from_stdin() {
    // Preparation prompt (none), then three answers.
    let out = run(
        &[
            "--content",
            &base(),
            "play",
            "test_call",
            "--lang",
            "en",
            "--seed",
            "2",
        ],
        &format!(
            "\n{}\n",
            shown_numbers(2, "intro,who_covers,fix_date").replace(',', "\n")
        ),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Before you start, prepare"), "{text}");
    let intro = shown_numbers(2, "intro");
    assert!(
        text.contains(&format!("{intro}. Ms Sun, this is Alex from Huajian Piles")),
        "{text}"
    );
    assert!(text.contains("==== Debrief ===="), "{text}");
    assert!(text.contains("Overall: 100 / 70   PASSED"), "{text}");
}

#[test]
fn json_steps_speaks_one_object_per_turn() {
    let out = run(
        &[
            "--content",
            &base(),
            "play",
            "test_call",
            "--json-steps",
            "--seed",
            "4",
        ],
        "intro\nnope\nwho_covers\nfix_date\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines[0]["turn"], 1);
    assert!(
        lines[0]["choices"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == "intro" && c["available"] == true)
    );
    assert!(
        lines[1]["choices"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == "cite_statement" && c["available"] == false)
    );
    assert!(
        lines[2]["error"]
            .as_str()
            .unwrap()
            .contains("`nope` is not a choice here")
    );
    let last = lines.last().unwrap();
    assert_eq!(last["outcome"], "verbal_promise");
    assert_eq!(last["seed"], 4);
}

#[test]
fn sim_reports_rates_and_exhaustive_paths() {
    let v = json(&run(
        &[
            "--content",
            &base(),
            "sim",
            "test_call",
            "--runs",
            "300",
            "--json",
        ],
        "",
    ));
    assert_eq!(v["runs"], 300);
    let rate = v["pass_rate"].as_f64().unwrap();
    assert!((0.0..1.0).contains(&rate) && rate > 0.0, "{rate}");
    let e = json(&run(
        &[
            "--content",
            &base(),
            "sim",
            "test_call",
            "--exhaustive",
            "--json",
        ],
        "",
    ));
    assert_eq!(e["best"]["scores"]["overall"], 100.0);
    assert_eq!(e["worst"]["passed"], false);
    assert!(e["unreached_endings"].as_array().unwrap().is_empty());
    assert!(e["paths"].as_u64().unwrap() > 10);
}

#[test]
fn graph_writes_dot_and_mermaid() {
    let dot = stdout(&run(
        &[
            "--content",
            &base(),
            "graph",
            "test_call",
            "--format",
            "dot",
        ],
        "",
    ));
    assert!(dot.starts_with("digraph \"test_call\""));
    assert!(
        dot.contains("\"away\" -> \"cover\" [label=\"who_covers (courteous_firm)\"];"),
        "{dot}"
    );
    assert!(dot.contains("color=red"));
    let mer = stdout(&run(
        &[
            "--content",
            &base(),
            "graph",
            "test_call",
            "--format",
            "mermaid",
        ],
        "",
    ));
    assert!(mer.starts_with("flowchart TD"));
    assert!(
        mer.contains("n_away -->|\"⚠ yell (aggressive)\"| n_away"),
        "{mer}"
    );
}

#[test]
fn a_scripted_quiz_grades_each_kind_and_recommends_scenarios() {
    // Quiz code 3 in English shows the options in a fixed order (see `--print`).
    let printed = stdout(&run(
        &[
            "--content",
            &base(),
            "quiz",
            "--count",
            "5",
            "--seed",
            "3",
            "--lang",
            "en",
            "--print",
            "--json",
        ],
        "",
    ));
    let layout: Value = serde_json::from_str(&printed).unwrap();
    let questions = layout["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 5);
    // Answer every question right, by looking up the letters of the right option ids.
    let key = |id: &str| -> Vec<&str> {
        match id {
            "q_single" => vec!["b"],
            "q_multiple" => vec!["a", "c"],
            "q_order" => vec!["service", "finance", "legal"],
            "q_best_reply" => vec!["a"],
            _ => vec![],
        }
    };
    let answers: Vec<String> = questions
        .iter()
        .map(|q| {
            if q["kind"] == "true_false" {
                return "f".to_owned();
            }
            let letter = |opt: &str| {
                q["options"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|o| o["id"] == opt)
                    .unwrap()["letter"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            };
            key(q["id"].as_str().unwrap())
                .iter()
                .map(|o| letter(o))
                .collect::<Vec<_>>()
                .join("+")
        })
        .collect();
    let right = json(&run(
        &[
            "--content",
            &base(),
            "quiz",
            "--count",
            "5",
            "--seed",
            "3",
            "--lang",
            "en",
            "--answers",
            &answers.join(","),
            "--json",
        ],
        "",
    ));
    assert_eq!(right["score"], 100.0);
    assert_eq!(right["passed"], true);
    assert!(right["recommended"].as_array().unwrap().is_empty());
    // Everything wrong: the first option each time (never right here) and true for the statement.
    let wrong: Vec<String> = questions
        .iter()
        .map(|q| match q["kind"].as_str().unwrap() {
            "true_false" => "t".to_owned(),
            "order" => "c-b-a".to_owned(),
            _ => {
                let right_ids = key(q["id"].as_str().unwrap());
                q["options"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|o| !right_ids.contains(&o["id"].as_str().unwrap()))
                    .unwrap()["letter"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            }
        })
        .collect();
    let bad = json(&run(
        &[
            "--content",
            &base(),
            "quiz",
            "--count",
            "5",
            "--seed",
            "3",
            "--lang",
            "en",
            "--answers",
            &wrong.join(","),
            "--json",
        ],
        "",
    ));
    assert_eq!(bad["passed"], false);
    assert!(bad["score"].as_f64().unwrap() < 40.0);
    let topics = bad["topics"].as_array().unwrap();
    assert_eq!(topics.len(), 5);
    // The finance-away question recommends the fixture call.
    assert!(
        bad["recommended"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["scenario"] == "test_call"),
        "{bad}"
    );
}

#[test]
fn the_same_quiz_code_gives_the_same_quiz() {
    let a = stdout(&run(
        &[
            "--content",
            &base(),
            "quiz",
            "--count",
            "5",
            "--seed",
            "11",
            "--print",
            "--json",
        ],
        "",
    ));
    assert_eq!(
        a,
        stdout(&run(
            &[
                "--content",
                &base(),
                "quiz",
                "--count",
                "5",
                "--seed",
                "11",
                "--print",
                "--json"
            ],
            ""
        ))
    );
    let differs = (12..30).any(|seed| {
        stdout(&run(
            &[
                "--content",
                &base(),
                "quiz",
                "--count",
                "5",
                "--seed",
                &seed.to_string(),
                "--print",
                "--json",
            ],
            "",
        )) != a
    });
    assert!(differs);
}

#[test]
fn quiz_input_errors_are_one_sentence() {
    let bad_letter = run(
        &[
            "--content",
            &base(),
            "quiz",
            "--count",
            "1",
            "--topic",
            "prohibited_conduct",
            "--answers",
            "x",
        ],
        "",
    );
    assert_eq!(bad_letter.status.code(), Some(2));
    assert!(
        stderr(&bad_letter).contains("answer 1 (`x`): answer T (true) or F (false)"),
        "{}",
        stderr(&bad_letter)
    );
    let count = run(
        &[
            "--content",
            &base(),
            "quiz",
            "--count",
            "2",
            "--answers",
            "a",
        ],
        "",
    );
    assert!(stderr(&count).contains("the quiz has 2 question(s) but 1 answer(s) were given"));
    let topic = run(&["--content", &base(), "quiz", "--topic", "nonsense"], "");
    assert!(stderr(&topic).contains("`nonsense` is not a syllabus topic"));
    let none = run(&["--content", &base(), "quiz", "--topic", "penalties"], "");
    assert_eq!(
        stderr(&none).trim(),
        "error: no question matches topic penalties"
    );
}

#[test]
fn an_interactive_quiz_explains_each_answer() {
    let out = run(
        &[
            "--content",
            &base(),
            "quiz",
            "--count",
            "1",
            "--topic",
            "prohibited_conduct",
            "--lang",
            "en",
        ],
        "maybe\nf\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("answer T (true) or F (false)"), "{text}");
    assert!(
        text.contains("✓ Right — Seizing goods as payment is prohibited (002)."),
        "{text}"
    );
    assert!(text.contains("Score 100.0 / 70   PASSED"), "{text}");
}
