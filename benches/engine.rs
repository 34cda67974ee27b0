//! Benchmarks: loading and validating content (shipped and a generated 2,000-node scenario),
//! one choice on a small and a large scenario, and random-policy simulation throughput.

use std::fmt::Write;
use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dunning_dojo::domain::analysis::simulate;
use dunning_dojo::domain::content::ContentSet;
use dunning_dojo::domain::engine::{Compiled, Session, Setup};
use dunning_dojo::domain::library::Library;
use dunning_dojo::domain::text::Locale;

const PERSONA: &str = include_str!("../tests/fixtures/base/persona.ron");

/// How much text each generated node carries.
#[derive(Clone, Copy)]
enum Shape {
    /// Like the shipped content: three line variants (one conditional), four choices with
    /// feedback, both languages — about 1.3 kB of RON per node.
    Rich,
    /// One line and three choices per node, both languages — about 0.6 kB per node.
    Lean,
}

/// A generated scenario of `n` debtor nodes shaped like authored content: each node has a
/// firm line that moves on (some gather evidence), a soft line that also moves on and, in the
/// rich shape, a line that loops back once and a rule-breaking line that ends the call.
fn generated(n: usize, shape: Shape) -> String {
    let mut s = String::new();
    let items = 6;
    s.push_str("Scenario(\n  id: \"generated\",\n  title: {\"zh-CN\": \"生成\", \"en\": \"Generated\"},\n  persona: \"test_debtor\",\n  channel: phone, stage: one_month, difficulty: hard,\n  locales: [\"zh-CN\", \"en\"],\n  supplier: {\"zh-CN\": \"华建\", \"en\": \"Huajian\"},\n  objectives: [(text: {\"zh-CN\": \"坚持\", \"en\": \"Persist\"}, seed: \"002\")],\n  briefing: {\"zh-CN\": \"给{debtor}打电话。\", \"en\": \"Call {debtor}.\"},\n  evidence: [\n");
    for k in 0..items {
        let _ = writeln!(
            s,
            "    (id: \"e{k}\", label: {{\"zh-CN\": \"证据{k}\", \"en\": \"Evidence {k}\"}}),"
        );
    }
    let _ = write!(
        s,
        "  ],\n  start: \"n0\",\n  patience_out: \"hangup\",\n  max_turns: {},\n  nodes: [\n",
        n * 2 + 10
    );
    let every = (n / items).max(1);
    for i in 0..n {
        let next = if i + 1 == n {
            "done".to_owned()
        } else {
            format!("n{}", i + 1)
        };
        let gain = if i % every == 0 && i / every < items {
            format!(", gain: [\"e{}\"]", i / every)
        } else {
            String::new()
        };
        let firm = format!(
            "(id: \"firm{i}\", text: {{\"zh-CN\": \"请确认{{amount}}的付款日期。\", \"en\": \"Please confirm the date for {{amount}}.\"}}, tone: courteous_firm, effects: (persistence: 3{gain}), feedback: (text: {{\"zh-CN\": \"好。\", \"en\": \"Good.\"}}), next: \"{next}\")"
        );
        let soft = format!(
            "(id: \"soft{i}\", text: {{\"zh-CN\": \"那好吧。\", \"en\": \"Alright then.\"}}, tone: courteous_soft, effects: (persistence: -2, patience: -1), feedback: (text: {{\"zh-CN\": \"太软。\", \"en\": \"Too soft.\"}}), next: \"{next}\")"
        );
        let rude = format!(
            "(id: \"rude{i}\", text: {{\"zh-CN\": \"你这人怎么回事！\", \"en\": \"What's wrong with you!\"}}, tone: insulting, violation: (rule: insult, severity: blocker, explanation: {{\"zh-CN\": \"禁止辱骂。\", \"en\": \"No insults.\"}}), feedback: (text: {{\"zh-CN\": \"违规。\", \"en\": \"Violation.\"}}), next: \"abuse\")"
        );
        match shape {
            Shape::Lean => {
                let _ = write!(
                    s,
                    "    Debtor(id: \"n{i}\", say: [(text: {{\"zh-CN\": \"第{i}句。\", \"en\": \"Line {i}.\"}})],\n      choices: [{firm}, {soft}, {rude}]),\n"
                );
            }
            Shape::Rich => {
                let _ = write!(
                    s,
                    "    Debtor(id: \"n{i}\",\n      say: [(text: {{\"zh-CN\": \"第{i}句。\", \"en\": \"Line {i}.\"}}), (text: {{\"zh-CN\": \"第{i}句（二）。\", \"en\": \"Line {i}, again.\"}}), (text: {{\"zh-CN\": \"又来了。\", \"en\": \"You again.\"}}, when: [VisitsAtLeast(\"n{i}\", 2)])],\n      choices: [\n        {firm},\n        {soft},\n        (id: \"again{i}\", text: {{\"zh-CN\": \"您再说一遍？\", \"en\": \"Say that again?\"}}, tone: neutral, when: [VisitsBelow(\"n{i}\", 2)], effects: (persistence: 0), feedback: (text: {{\"zh-CN\": \"重复。\", \"en\": \"Repeating.\"}}), next: \"n{i}\"),\n        {rude},\n      ],\n    ),\n"
                );
            }
        }
    }
    s.push_str("    Ending(id: \"done\", outcome: verbal_promise, say: [(text: {\"zh-CN\": \"好。\", \"en\": \"OK.\"})]),\n    Ending(id: \"abuse\", outcome: violation, say: [(text: {\"zh-CN\": \"嘟。\", \"en\": \"Click.\"})]),\n    Ending(id: \"hangup\", outcome: hung_up, say: [(text: {\"zh-CN\": \"挂了。\", \"en\": \"Bye.\"})]),\n  ],\n)\n");
    s
}

fn load(text: &str) -> Library {
    Library::build(
        ContentSet::from_sources([
            (PathBuf::from("persona.ron"), PERSONA.to_owned()),
            (PathBuf::from("generated.ron"), text.to_owned()),
        ]),
        None,
    )
}

fn compiled(lib: &Library, id: &str) -> Arc<Compiled> {
    Arc::clone(
        lib.scenario(id)
            .unwrap_or_else(|| panic!("{id} did not load: {}", lib.render_diagnostics())),
    )
}

fn dialogues() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("dialogues")
}

fn bench_load(c: &mut Criterion) {
    let shipped = dialogues();
    c.bench_function("load+validate shipped dialogues/", |b| {
        b.iter(|| black_box(Library::load(std::slice::from_ref(&shipped))));
    });
    // A hot reload: one file saved again, the rest reused from the previous library.
    let previous = Library::load(std::slice::from_ref(&shipped));
    let set = ContentSet::load(std::slice::from_ref(&shipped));
    let sources: Vec<(PathBuf, String)> = set
        .files
        .iter()
        .map(|f| {
            let edited = f.path.ends_with("wired_it_already.ron");
            let text = if edited {
                format!("{}\n// edited\n", f.text)
            } else {
                f.text.clone()
            };
            (f.path.clone(), text)
        })
        .collect();
    c.bench_function(
        "rebuild shipped dialogues/ after saving one scenario",
        |b| {
            b.iter(|| {
                black_box(Library::build(
                    ContentSet::from_sources(sources.clone()),
                    Some(&previous),
                ))
            });
        },
    );
    for (name, shape) in [("rich", Shape::Rich), ("lean", Shape::Lean)] {
        let text = generated(2000, shape);
        let _ = compiled(&load(&text), "generated");
        c.bench_function(
            &format!(
                "load+validate generated 2000-node scenario ({name}, {} kB)",
                text.len() / 1024
            ),
            |b| {
                b.iter(|| black_box(load(black_box(&text))));
            },
        );
    }
    // Parsing alone, to show how much of the above is the RON reader.
    let text = generated(2000, Shape::Rich);
    c.bench_function("parse only: generated 2000-node scenario (rich)", |b| {
        b.iter(|| {
            black_box(ContentSet::from_sources([(
                PathBuf::from("g.ron"),
                black_box(text.clone()),
            )]))
        });
    });
}

/// Plays one firm answer at turn 1 of a fresh session (start is outside the timing).
fn bench_choice(c: &mut Criterion) {
    let small_lib = load(&generated(20, Shape::Rich));
    let large_lib = load(&generated(2000, Shape::Rich));
    for (name, lib) in [
        ("choice on a 20-node scenario", &small_lib),
        ("choice on a 2000-node scenario", &large_lib),
    ] {
        let content = compiled(lib, "generated");
        let (fresh, _) = Session::start(&content, 1, Locale::ZhCn, Setup::default()).unwrap();
        c.bench_function(name, |b| {
            b.iter_batched(
                || fresh.clone(),
                |mut s| black_box(s.choose("firm0").unwrap()),
                criterion::BatchSize::SmallInput,
            );
        });
    }
}

fn bench_sim(c: &mut Criterion) {
    let lib = Library::load(&[dialogues()]);
    let mut group = c.benchmark_group("sim");
    for (id, p) in &lib.scenarios {
        let probe = simulate(&p.compiled, 200, 1);
        group.throughput(Throughput::Elements(probe.choices as u64));
        group.bench_function(format!("200 random runs of {id}"), |b| {
            b.iter(|| black_box(simulate(&p.compiled, 200, 1)));
        });
    }
    group.finish();
}

/// Drawing a 20-question quiz from the shipped banks and grading it, as the quiz screen does.
fn bench_quiz(c: &mut Criterion) {
    use dunning_dojo::domain::quiz::{QuizSpec, draw, grade};
    let lib = Library::load(&[dialogues()]);
    let banks = lib.quiz_banks_in(dunning_dojo::domain::text::Locale::ZhCn);
    let spec = QuizSpec {
        count: 20,
        seed: 4821,
        ..QuizSpec::default()
    };
    c.bench_function(
        "quiz: draw 20 of the shipped questions and grade them",
        |b| {
            b.iter(|| {
                let quiz = draw(&banks, &spec).expect("the banks have questions");
                let keys: Vec<Vec<String>> = quiz
                    .questions
                    .iter()
                    .map(|d| banks[d.bank].questions[d.question].answer.clone())
                    .collect();
                grade(&banks, &quiz, &keys, lib.scenario_tags())
            })
        },
    );
}

/// Committing one finished attempt to a results file on disk (WAL, full sync), as the game does
/// before each debrief; and the leaderboard of a 10-team, 5-round session read back from it.
fn bench_store(c: &mut Criterion) {
    use dunning_dojo::domain::mode::Mode;
    use dunning_dojo::store::{NewAttempt, Store};
    let lib = Library::load(&[dialogues()]);
    let id = "big_company_approval_chain";
    let compiled = compiled(&lib, id);
    let (mut session, _) =
        Session::start(&compiled, 3, Locale::ZhCn, Setup::default()).expect("starts");
    while !session.is_ended() {
        let n = session
            .choices()
            .iter()
            .find_map(|v| v.number)
            .expect("an open choice");
        session.choose_number(n).expect("plays");
    }
    let result = session.result().expect("ended");
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut store = Store::open(&dir.path().join("bench.sqlite")).expect("opens");
    let at = dunning_dojo::store::now();
    let attempt = |team, round| NewAttempt {
        trainee: "王芳",
        team,
        round,
        persona: &compiled.persona.id.0,
        channel: "phone",
        mode: Mode::Practice,
        started_at: at,
        ended_at: at,
        turn_times: &[],
        result: &result,
    };
    c.bench_function("store: commit one attempt (file, WAL, full sync)", |b| {
        b.iter(|| store.record_attempt(&attempt(None, None)).expect("saves"))
    });
    let session_id = store.create_session("bench").expect("session");
    let teams: Vec<i64> = (0..10)
        .map(|t| {
            store
                .add_team(Some(session_id), &format!("team {t}"), None, &[])
                .expect("team")
        })
        .collect();
    for _ in 0..5 {
        let round = store
            .start_round(session_id, 1, &[id.to_owned()])
            .expect("round");
        for &t in &teams {
            store
                .record_attempt(&attempt(Some(t), Some(round.id)))
                .expect("saves");
        }
    }
    c.bench_function("store: leaderboard of 10 teams × 5 rounds", |b| {
        b.iter(|| store.leaderboard(session_id).expect("reads"))
    });
    // With an LRS set, the same commit also renders and queues the attempt's statements.
    let statements =
        dunning_dojo::report::xapi::Xapi::new(dunning_dojo::report::xapi::DEFAULT_BASE, "zh-CN")
            .with_catalog(dunning_dojo::report::xapi::Catalog::from_library(&lib));
    store.queue_statements(Some(Arc::new(statements)));
    c.bench_function("store: commit one attempt and queue its statements", |b| {
        b.iter(|| store.record_attempt(&attempt(None, None)).expect("saves"))
    });
}

criterion_group!(
    benches,
    bench_load,
    bench_choice,
    bench_sim,
    bench_quiz,
    bench_store
);
criterion_main!(benches);
