//! Campaign results in the trainer's exports and the classroom, through the binary: the CSV
//! table of campaigns, one valid xAPI statement per result, the HTML section with a chart per
//! result, the summary; a damaged campaign row named and left out of every export; a file from
//! before campaign mode still reported; and a classroom campaign round's board.

use std::collections::BTreeMap;

use dunning_dojo::domain::campaign::Policy;
use dunning_dojo::report::csv::CAMPAIGN_HEADER;
use dunning_dojo::report::xapi::DEFAULT_BASE;
use dunning_dojo::store::{AttemptFilter, Store};
use rusqlite::Connection;

use crate::campaign_records::{
    CAMPAIGN, campaign_play, end_every_day, played, record, three_desks,
};
use crate::cli_faults::Stdout;
use crate::store::valid_statement;
use crate::support::{fixture, run, s, stderr, stdout, verb_of};

/// Rows of a CSV export (the BOM stripped), header first.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// `report` of `db` with the fixture campaign's titles.
fn report(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    let campaign = fixture("campaign");
    let base = fixture("base");
    run(
        &[
            &["--content", s(&base), "--content", s(&campaign)],
            &["--db", s(db), "report"][..],
            args,
        ]
        .concat(),
        "",
    )
}

#[test]
fn every_export_holds_each_campaign_result() {
    let dir = tempfile::tempdir().unwrap();
    let db = three_desks(dir.path());
    let stored = Store::open(&db)
        .unwrap()
        .campaign_results(&AttemptFilter::default())
        .unwrap();
    assert_eq!(stored.len(), 3);

    // CSV: a table of its own, one row per result, numbers a spreadsheet sums.
    let o = report(&db, &["csv", "--what", "campaigns", "--lang", "en"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with('\u{feff}'));
    assert!(stdout(&o).contains("\r\n"));
    let rows = csv_rows(&stdout(&o));
    assert_eq!(rows[0], CAMPAIGN_HEADER);
    assert_eq!(rows.len(), 4);
    let col = |name: &str| CAMPAIGN_HEADER.iter().position(|h| *h == name).unwrap();
    for (row, c) in rows[1..].iter().zip(&stored) {
        let r = &c.result;
        assert_eq!(row[col("campaign_result")], c.id.to_string());
        assert_eq!(row[col("campaign")], CAMPAIGN);
        assert_eq!(row[col("title")], "Test desk");
        assert_eq!(row[col("total")], r.scores.total.to_string());
        assert_eq!(row[col("rhythm")], r.scores.rhythm.to_string());
        assert_eq!(row[col("passed")], r.passed.to_string());
        assert_eq!(row[col("duration_s")], "1500.250");
        assert_eq!(row[col("actions")], r.actions.len().to_string());
        let num = |name: &str| row[col(name)].parse::<f64>().unwrap();
        assert_eq!(num("collected"), r.collected);
        assert_eq!(num("owed"), 70_000.0);
        let left: f64 = ["not_due", "collecting", "doubtful", "bad", "dead"]
            .iter()
            .map(|g| num(&format!("left_{g}")))
            .sum();
        assert!((left + r.collected - r.owed).abs() < 0.01, "{row:?}");
    }
    assert_eq!(rows[1][col("trainee")], "王芳");
    assert_eq!(rows[1][col("team")], "猛虎队");
    assert_eq!(
        rows[3][col("trainee")],
        "'=1+1",
        "a formula start is neutralised"
    );
    // The attempts table says where the campaigns are.
    let o = report(&db, &["csv"]);
    assert!(o.status.success());
    assert_eq!(
        csv_rows(&stdout(&o)).len(),
        1,
        "no attempts, only the header"
    );
    assert!(
        stderr(&o).contains(
            "the 3 campaign result(s) are a table of their own: `report csv --what campaigns`"
        ),
        "{}",
        stderr(&o)
    );
    let o = report(&db, &["xapi", "--what", "campaigns"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--what chooses the table of `report csv`"));

    // xAPI: four valid statements per result (initialized, completed, the verdict with the
    // score, terminated), the same ids on every export.
    let o = report(&db, &["xapi", "--lang", "en"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let all: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(all.len(), 12);
    for st in &all {
        valid_statement(st);
    }
    let verbs: Vec<String> = all.iter().map(verb_of).collect();
    assert_eq!(
        &verbs[..4],
        ["initialized", "completed", verbs[2].as_str(), "terminated"]
    );
    let verdicts: Vec<&serde_json::Value> = all
        .iter()
        .filter(|st| ["passed", "failed"].contains(&verb_of(st).as_str()))
        .collect();
    for (st, c) in verdicts.into_iter().zip(&stored) {
        let r = &c.result;
        let verb = if r.passed { "passed" } else { "failed" };
        assert_eq!(
            st["verb"]["id"],
            format!("http://adlnet.gov/expapi/verbs/{verb}")
        );
        assert_eq!(
            st["object"]["id"],
            format!("{DEFAULT_BASE}campaigns/{CAMPAIGN}")
        );
        assert_eq!(st["object"]["definition"]["name"]["en"], "Test desk");
        assert_eq!(st["context"]["registration"], c.registration.to_string());
        let score = &st["result"]["score"];
        assert_eq!(score["raw"], r.scores.total.round() as i64);
        assert_eq!(score["scaled"], r.scores.total / 100.0);
        assert_eq!(
            (score["min"].as_f64(), score["max"].as_f64()),
            (Some(0.0), Some(100.0))
        );
        assert_eq!(st["result"]["success"], r.passed);
        assert_eq!(st["result"]["duration"], "PT1500.250S");
        let ext = &st["result"]["extensions"];
        let part = |name: &str| ext[format!("{DEFAULT_BASE}extensions/{name}")].clone();
        assert_eq!(part("total"), r.scores.total);
        assert_eq!(part("cash"), r.scores.cash);
        assert_eq!(part("ageing"), r.scores.ageing);
        assert_eq!(part("rhythm"), r.scores.rhythm);
        assert_eq!(part("evidence"), r.scores.evidence);
        assert_eq!(part("collected"), r.collected);
        assert_eq!(part("owed"), r.owed);
    }
    assert_eq!(all[0]["context"]["team"]["name"], "猛虎队");
    let again = report(&db, &["xapi", "--lang", "en"]);
    assert_eq!(
        stdout(&again),
        stdout(&o),
        "statement ids are deterministic"
    );

    // HTML: the table and one chart per result, in both languages.
    for (lang, caption, line) in [
        ("en", "Ageing and cash, week by week", "Collected so far"),
        ("zh-CN", "每周账龄与累计回款", "累计回款"),
    ] {
        let o = report(&db, &["html", "--lang", lang]);
        assert!(o.status.success(), "{}", stderr(&o));
        let page = stdout(&o);
        assert_eq!(page.matches("<svg").count(), 3, "one chart per result");
        assert_eq!(page.matches(caption).count(), 3);
        assert!(page.contains(line));
        assert!(page.contains("=1+1"));
        assert!(page.contains(if lang == "en" {
            "Test desk"
        } else {
            "测试应收台"
        }));
    }

    // The summary lists them.
    let o = report(&db, &["summary", "--lang", "en"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let section = &text[text.find("== Campaigns ==").expect("a campaigns section")..];
    for c in &stored {
        assert!(section.contains(&format!("#{} ", c.id)), "{section}");
        assert!(
            section.contains(&format!("total {:.1}", c.result.scores.total)),
            "{section}"
        );
    }
}

#[test]
fn a_damaged_campaign_row_is_named_and_left_out_of_every_export() {
    let dir = tempfile::tempdir().unwrap();
    let db = three_desks(dir.path());
    Connection::open(&db)
        .unwrap()
        .execute_batch(
            "UPDATE campaign_results SET result = json_set(result, '$.scores.total', 100,
                '$.passed', json('true')), total = 100 WHERE id = 2;
             UPDATE campaign_results SET result = CAST(substr(CAST(result AS BLOB), 1, 40)
                || X'FFFE' || substr(CAST(result AS BLOB), 43) AS TEXT) WHERE id = 3;",
        )
        .unwrap();
    for args in [
        &["csv", "--what", "campaigns"][..],
        &["csv"],
        &["xapi"],
        &["html"],
        &["summary"],
    ] {
        let o = report(&db, &[args, &["--lang", "en"]].concat());
        assert_eq!(o.status.code(), Some(3), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        for id in [2, 3] {
            assert!(
                err.contains(&format!(
                    "skipped campaign result #{id}: stored result fails its checksum (edited or damaged)"
                )),
                "{args:?}: {err}"
            );
        }
        assert!(err.contains("2 damaged row(s)"), "{err}");
        let text = stdout(&o);
        if args != ["csv"] {
            assert!(text.contains("王芳"), "{args:?} lost the good row: {text}");
        }
        assert!(!text.contains("李雷"), "{args:?} kept the edited row");
        assert!(!text.contains("=1+1"), "{args:?} kept the damaged row");
    }
    let o = report(&db, &["csv", "--what", "campaigns"]);
    assert_eq!(
        csv_rows(&stdout(&o)).len(),
        2,
        "the header and the good row"
    );
}

#[test]
fn a_results_file_from_before_campaigns_is_reported_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.sqlite");
    Store::open(&db)
        .unwrap()
        .create_session("old class")
        .unwrap();
    Connection::open(&db)
        .unwrap()
        .execute_batch(
            "DROP TABLE campaign_results; DROP TABLE campaign_rounds;
             PRAGMA user_version = 1; PRAGMA wal_checkpoint(TRUNCATE);",
        )
        .unwrap();
    let before = std::fs::read(&db).unwrap();
    for args in [&["summary"][..], &["csv", "--what", "campaigns"], &["html"]] {
        let o = report(&db, args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    }
    let o = report(&db, &["summary", "--lang", "en"]);
    assert!(stdout(&o).contains("old class"), "{}", stdout(&o));
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "a report changed the file"
    );
}

/// The team names of the board of campaign round 1 in a summary, in the order shown.
fn board_order(summary: &str) -> Vec<String> {
    let start = summary
        .find("Campaign round 1:")
        .expect("the board is shown");
    summary[start..]
        .lines()
        .skip(1)
        .take_while(|l| {
            l.starts_with("      ")
                && l.trim_start()
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_digit())
        })
        .map(|l| l.split_whitespace().nth(1).unwrap().to_owned())
        .collect()
}

#[test]
fn a_classroom_campaign_round_ranks_its_teams_by_total_then_collected() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("class.sqlite");
    let seed = 2;
    let (session, round) = {
        let mut store = Store::open(&db).unwrap();
        let session = store.create_session("华东 12月").unwrap();
        for team in ["Red", "Blue", "Green", "Idle"] {
            store.add_team(Some(session), team, None, &[]).unwrap();
        }
        let round = store.start_campaign_round(session, CAMPAIGN, seed).unwrap();
        (session, round)
    };
    // Red works the desk through the terminal, by the line protocol, never picking up the
    // phone; the round's campaign and seed are taken from the round.
    let sid = session.to_string();
    let args = [
        "--session",
        &sid,
        "--team",
        "Red",
        "--trainee",
        "Wang",
        "--lang",
        "en",
        "--json-steps",
    ];
    let out = campaign_play(dir.path(), &db, &args, &end_every_day(), Stdout::Piped);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("(session 华东 12月, campaign round 1, team Red)"),
        "{}",
        stderr(&out)
    );
    // Blue and Green by the reference policies, Green with two desks (its figures are means).
    let mut store = Store::open(&db).unwrap();
    let teams: BTreeMap<String, i64> = store
        .teams(session)
        .unwrap()
        .into_iter()
        .map(|t| (t.name, t.id))
        .collect();
    record(
        &mut store,
        &played(seed, Policy::Best),
        "李雷",
        Some(teams["Blue"]),
        Some(round.id),
    );
    record(
        &mut store,
        &played(seed, Policy::Heavy),
        "韩梅梅",
        Some(teams["Green"]),
        Some(round.id),
    );
    record(
        &mut store,
        &played(seed, Policy::Soft),
        "Tom",
        Some(teams["Green"]),
        Some(round.id),
    );
    let results = store
        .campaign_results(&AttemptFilter {
            session: Some(session),
            trainee: None,
        })
        .unwrap();
    assert_eq!(results.len(), 4);
    assert!(
        results
            .iter()
            .all(|r| r.round == Some(1) && r.result.seed == seed)
    );
    // The expected order, from the stored figures: mean total, then mean share collected.
    let mut expected: Vec<(String, f64, f64)> = ["Red", "Blue", "Green"]
        .iter()
        .map(|team| {
            let mine: Vec<_> = results
                .iter()
                .filter(|r| r.team.as_deref() == Some(*team))
                .map(|r| &r.result)
                .collect();
            let n = mine.len() as f64;
            let mean = |f: &dyn Fn(&dunning_dojo::domain::campaign::CampaignResult) -> f64| {
                (mine.iter().map(|r| f(r)).sum::<f64>() / n * 10.0).round() / 10.0
            };
            (
                (*team).to_owned(),
                mean(&|r| r.scores.total),
                mean(&|r| 100.0 * r.collected / r.owed),
            )
        })
        .collect();
    expected.sort_by(|a, b| {
        b.1.total_cmp(&a.1)
            .then(b.2.total_cmp(&a.2))
            .then(a.0.cmp(&b.0))
    });
    let mut want: Vec<String> = expected.iter().map(|e| e.0.clone()).collect();
    want.push("Idle".to_owned());
    let boards = store.campaign_boards(session).unwrap();
    let api: Vec<&str> = boards[0]
        .standings
        .iter()
        .map(|t| t.team.as_str())
        .collect();
    assert_eq!(api, want);
    assert_eq!(boards[0].best_team.as_deref(), Some(want[0].as_str()));
    assert_eq!(
        boards[0].standings[want.iter().position(|t| t == "Green").unwrap()].results,
        2
    );
    drop(store);

    let o = report(&db, &["summary", "--session", &sid, "--lang", "en"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert_eq!(board_order(&text), want, "{text}");
    assert!(text.contains(&format!("Best desk: {}", want[0])), "{text}");
    assert!(text.contains("(no result yet)"), "{text}");
    assert!(text.contains(" · 1 campaign rounds"), "{text}");
    assert!(
        !text.contains("tone"),
        "no board of scenario rounds: {text}"
    );
    let o = report(&db, &["html", "--session", &sid, "--lang", "en"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = stdout(&o);
    assert!(page.contains("Campaign round 1: Test desk"), "{page}");
    assert!(page.contains(&format!("Best desk: <strong>{}</strong>", want[0])));
    // A chart per campaign result; a session of campaign rounds only has no board of
    // scenario rounds to chart.
    assert_eq!(page.matches("<svg").count(), 4);
    assert!(!page.contains("Team score per round"));
}
