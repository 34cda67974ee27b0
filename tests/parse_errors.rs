//! Authoring mistakes in a content file, through `lint`: each is reported where the mistake is
//! (`path:line:col`), with its stable code, the field it is in and what to do.

use crate::support::{fixture, run, s, stdout};

/// One broken copy of the fixture scenario: `from` replaced by `to`, and what `lint` must say.
struct Case {
    from: &'static str,
    to: &'static str,
    /// `line:col` of the first diagnostic.
    at: &'static str,
    code: &'static str,
    /// Words the message or help must contain (field names, the fix).
    says: &'static [&'static str],
}

/// Lints each case of the fixture scenario next to the fixture persona, and fails with every
/// case that went wrong.
fn check(cases: &[Case]) {
    check_file("scenario.ron", cases);
}

/// [`check`] for the base fixture `name`, linted with the other base fixtures.
fn check_file(name: &str, cases: &[Case]) {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string(fixture("base").join(name)).unwrap();
    let partners: Vec<String> = ["persona.ron", "scenario.ron"]
        .into_iter()
        .filter(|p| *p != name)
        .map(|p| s(&fixture("base").join(p)).to_owned())
        .collect();
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        assert!(
            base.contains(case.from),
            "`{}` is not in the fixture",
            case.from
        );
        let path = dir.path().join(format!("case{i}.ron"));
        std::fs::write(&path, base.replacen(case.from, case.to, 1)).unwrap();
        let mut args = vec!["lint"];
        args.extend(partners.iter().map(String::as_str));
        args.push(s(&path));
        let out = run(&args, "");
        let text = stdout(&out);
        let head = format!("{}:{}: error[{}]: ", s(&path), case.at, case.code);
        let first = text
            .lines()
            .find(|l| l.starts_with(s(&path)))
            .unwrap_or_default();
        let ok = out.status.code() == Some(1)
            && first.starts_with(&head)
            && case.says.iter().all(|w| text.contains(w));
        if !ok {
            failures.push(format!(
                "`{}` -> `{}`: expected `{head}…` saying {:?}; got:\n{text}",
                case.from, case.to, case.says
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn an_unclosed_string_is_reported_at_its_opening_quote() {
    check(&[
        // Mid-line: it used to be "expected comma" at `en`.
        Case {
            from: r#""喂，哪位？","#,
            to: r#""喂，哪位？,"#,
            at: "30:34",
            code: "DD0001",
            says: &[
                "this string is never closed",
                "line 30, col 42",
                "add the closing `\"`",
            ],
        },
        // At the end of a line: it used to be reported two lines later, at `statement`.
        Case {
            from: r#""Call {debtor} about {amount}."},"#,
            to: r#""Call {debtor} about {amount}.},"#,
            at: "13:59",
            code: "DD0001",
            says: &["this string is never closed", "line 15, col 14"],
        },
        // A value on its own line: it used to be reported on the next line.
        Case {
            from: r#"id: "test_call","#,
            to: r#"id: "test_call,"#,
            at: "3:9",
            code: "DD0001",
            says: &["this string is never closed"],
        },
        // At the end of a node: it runs on into the next choice.
        Case {
            from: r#"next: "promise"),"#,
            to: r#"next: "promise),"#,
            at: "76:109",
            code: "DD0001",
            says: &["this string is never closed", "line 77, col 22"],
        },
        Case {
            from: "// Test scenario",
            to: "/* Test scenario",
            at: "1:1",
            code: "DD0001",
            says: &["this block comment is never closed", "`*/`"],
        },
    ]);
}

#[test]
fn a_value_of_the_wrong_type_names_its_field_and_points_at_the_value() {
    check(&[
        // A number where text is expected.
        Case {
            from: r#"briefing: {"zh-CN": "给{debtor}打电话，欠款{amount}。", "en": "Call {debtor} about {amount}."},"#,
            to: "briefing: 3,",
            at: "13:15",
            code: "DD0002",
            says: &[
                "`briefing` must be a string, or a map of locale to string",
                "found the unsigned integer `3`",
            ],
        },
        // A string where a list is expected.
        Case {
            from: r#"tags: ["excuse_finance_away"],"#,
            to: r#"tags: "excuse_finance_away","#,
            at: "11:11",
            code: "DD0002",
            says: &["`tags` must be a list in square brackets"],
        },
        // An unknown enum variant.
        Case {
            from: "tone: neutral,",
            to: "tone: neutrall,",
            at: "38:84",
            code: "DD0005",
            says: &["`tone` cannot be `neutrall`", "did you mean `neutral`?"],
        },
        Case {
            from: r#"persona: "test_debtor","#,
            to: r#"persona: {"en": "x"},"#,
            at: "5:14",
            code: "DD0002",
            says: &["`persona` must be a text in double quotes"],
        },
        Case {
            from: "max_turns: 12,",
            to: "max_turns: true,",
            at: "25:16",
            code: "DD0002",
            says: &["`max_turns` must be a whole number; found `true`"],
        },
        Case {
            from: "max_turns: 12,",
            to: "max_turns: 12.5,",
            at: "25:16",
            code: "DD0002",
            says: &["`max_turns` must be a whole number; found `12.5`"],
        },
        Case {
            from: "max_turns: 12,",
            to: "max_turns: -12,",
            at: "25:16",
            code: "DD0002",
            says: &["`max_turns` cannot be negative"],
        },
        Case {
            from: r#""en": "Test call""#,
            to: r#""en": 5"#,
            at: "4:36",
            code: "DD0002",
            says: &["`title.en` must be a text in double quotes"],
        },
        Case {
            from: r#""en": "Test call""#,
            to: r#"en: "Test call""#,
            at: "4:30",
            code: "DD0002",
            says: &[
                "the key `en` must be a text in double quotes",
                r#"write `"en"`"#,
            ],
        },
        Case {
            from: "MoodBelow(-10)",
            to: r#"MoodBelow("x")"#,
            at: "47:108",
            code: "DD0002",
            says: &["the value of `MoodBelow(…)` must be a whole number"],
        },
    ]);
}

#[test]
fn brackets_and_commas_are_reported_where_they_are_missing() {
    check(&[
        // Between two fields: at the second, naming both.
        Case {
            from: "channel: phone,",
            to: "channel: phone",
            at: "7:5",
            code: "DD0001",
            says: &[
                "missing comma between the fields `channel` and `stage`",
                "add `,` after `phone` on line 6",
            ],
        },
        // Fields written flush left: still a missing comma, not an unclosed `Scenario(`.
        Case {
            from: "    channel: phone,\n    stage: one_month,",
            to: "channel: phone\nstage: one_month,",
            at: "7:1",
            code: "DD0001",
            says: &["missing comma between the fields `channel` and `stage`"],
        },
        Case {
            from: r#"["zh-CN", "en"]"#,
            to: r#"["zh-CN" "en"]"#,
            at: "9:23",
            code: "DD0001",
            says: &["missing comma between two items of `locales`"],
        },
        // A list, a map and a struct never closed: at the bracket that opened them.
        Case {
            from: r#"tags: ["excuse_finance_away"],"#,
            to: r#"tags: ["excuse_finance_away","#,
            at: "11:11",
            code: "DD0001",
            says: &[
                "the `[` of `tags` is never closed",
                "`objectives`, starts at line 12",
            ],
        },
        Case {
            from: r#"title: {"zh-CN": "测试电话", "en": "Test call"},"#,
            to: r#"title: {"zh-CN": "测试电话", "en": "Test call","#,
            at: "4:12",
            code: "DD0001",
            says: &["the `{` of `title` is never closed", "add the `}`"],
        },
        Case {
            from: r#"(id: "contact", label: {"zh-CN": "经办人电话", "en": "Contact's phone"}),"#,
            to: r#"(id: "contact", label: {"zh-CN": "经办人电话", "en": "Contact's phone"},"#,
            at: "21:9",
            code: "DD0001",
            says: &["this `(` is never closed: a `]` comes first, at line 22, col 5"],
        },
        Case {
            from: r#"seed: "001"), next: "away"),"#,
            to: r#"seed: "001"), next: "away""#,
            at: "35:17",
            code: "DD0001",
            says: &["this `(` is never closed", "line 38, col 17"],
        },
        Case {
            from: "max_turns: 12,",
            to: "max_turns: 12),",
            at: "25:18",
            code: "DD0001",
            says: &[
                "this `)` closes the value too early",
                "`nodes` at line 26, col 5",
            ],
        },
        Case {
            from: "max_turns: 12,",
            to: "max_turns 12,",
            at: "25:15",
            code: "DD0001",
            says: &["missing `:` after `max_turns`"],
        },
        Case {
            from: "\n)\n",
            to: "\n",
            at: "2:9",
            code: "DD0001",
            says: &["`Scenario(` is never closed: the file ends first"],
        },
        Case {
            from: "\n)\n",
            to: "\n)\n)\n",
            at: "89:1",
            code: "DD0001",
            says: &["an extra `)`: the `Scenario(…)` already ended (at line 88, col 1)"],
        },
    ]);
}

#[test]
fn field_mistakes_name_the_field_and_the_value_it_belongs_to() {
    check(&[
        Case {
            from: "max_turns: 12,",
            to: "max_turn: 12,",
            at: "25:5",
            code: "DD0003",
            says: &[
                "`Scenario` has no field `max_turn`",
                "did you mean `max_turns`?",
            ],
        },
        Case {
            from: "max_turns: 12,",
            to: "max_turns: 12, max_turns: 13,",
            at: "25:20",
            code: "DD0008",
            says: &[
                "`max_turns` is written twice",
                "the first is at line 25, col 5",
            ],
        },
        Case {
            from: r#"title: {"zh-CN": "测试电话", "en": "Test call"},"#,
            to: r#"title: {"zh-CN": "测试电话", "zh-CN": "Test call"},"#,
            at: "4:30",
            code: "DD0008",
            says: &["`title`: locale `zh-CN` appears twice"],
        },
        // Missing: at the value that lacks it, not at its closing bracket.
        Case {
            from: r#"feedback: (text: {"zh-CN": "绕圈子。", "en": "Beating about the bush."}), next: "open"),"#,
            to: r#"feedback: (text: {"zh-CN": "绕圈子。", "en": "Beating about the bush."})),"#,
            at: "38:17",
            code: "DD0004",
            says: &[
                "the required field `next` is missing from this `Choice` (id \"chat\")",
                "add `next: …`",
            ],
        },
        Case {
            from: "    persona: \"test_debtor\",\n",
            to: "",
            at: "2:1",
            code: "DD0004",
            says: &["the required field `persona` is missing from this `Scenario`"],
        },
        // A variant with the wrong number of values.
        Case {
            from: r#"VisitsAtLeast("open", 2)"#,
            to: r#"VisitsAtLeast("open")"#,
            at: "32:92",
            code: "DD0002",
            says: &["`VisitsAtLeast(…)` takes 2 values; found 1 value"],
        },
        Case {
            from: r#"VisitsAtLeast("open", 2)"#,
            to: r#"VisitsAtLeast("open", 2, 3)"#,
            at: "32:117",
            code: "DD0002",
            says: &["`VisitsAtLeast(…)` takes 2 values; this one is extra"],
        },
        Case {
            from: "Debtor(\n            id: \"open\"",
            to: "Debter(\n            id: \"open\"",
            at: "27:9",
            code: "DD0005",
            says: &["`nodes[0]` cannot be `Debter`", "did you mean `Debtor`?"],
        },
    ]);
}

#[test]
fn persona_and_quiz_mistakes_are_located_the_same_way() {
    check_file(
        "persona.ron",
        &[
            // A nested value missing a field, closed where it should be.
            Case {
                from: "        currency: \"CNY\",\n",
                to: "",
                at: "11:11",
                code: "DD0004",
                says: &["the required field `currency` is missing from this `Debt`"],
            },
            // Not closed: the next field of the persona would otherwise be "unknown" here.
            Case {
                from: "        reconciled: true,\n    ),\n",
                to: "        reconciled: true,\n",
                at: "11:11",
                code: "DD0001",
                says: &[
                    "the `(` of `debt` is never closed: the next field, `hidden_truths`, starts at line 19, col 5",
                ],
            },
            Case {
                from: "patience: 4,",
                to: "patience: \"4\",",
                at: "10:15",
                code: "DD0002",
                says: &["`patience` must be a whole number; found `\"4\"`"],
            },
            Case {
                from: "amount: 52000.00,",
                to: "amount: \"52000.00,",
                at: "12:17",
                code: "DD0001",
                says: &["this string is never closed"],
            },
        ],
    );
    check_file(
        "quiz.ron",
        &[
            Case {
                from: "kind: single,",
                to: "kind: singel,",
                at: "12:19",
                code: "DD0005",
                says: &["`kind` cannot be `singel`", "did you mean `single`?"],
            },
            Case {
                from: r#"answer: ["b"],"#,
                to: r#"answer: "b","#,
                at: "19:21",
                code: "DD0002",
                says: &["`answer` must be a list in square brackets"],
            },
        ],
    );
}
