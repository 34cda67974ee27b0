//! `campaign`: list the campaigns, play one at the desk in the terminal (or by the JSON line
//! protocol), and simulate the built-in reference policies over many seeds.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::input::{Line, read_line};
use super::play::{JsonOut, choose, clipped, json_steps, print_choices, print_events, prompt};
use super::{Failure, parse_locale, record};
use crate::domain::campaign::{
    Action, CampaignResult, Desk, DeskState, LedgerRow, Policy, Step, simulate,
};
use crate::domain::engine::{AttemptResult, Session, Setup};
use crate::domain::library::Library;
use crate::domain::text::Locale;

/// The `campaign` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum CampaignCommand {
    /// List the campaigns.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Language of the titles.
        #[arg(long, value_parser = parse_locale, default_value = "zh-CN")]
        lang: Locale,
    },
    /// Work a campaign's desk in the terminal, or drive it with --json-steps.
    Play(CampaignPlayArgs),
    /// Play a campaign with built-in reference policies over many seeds.
    Sim {
        /// The campaign id.
        campaign: String,
        /// Policies to run (best, soft, heavy, random); default: best, soft and heavy.
        #[arg(long, value_delimiter = ',')]
        policy: Vec<Policy>,
        /// How many seeds.
        #[arg(long, default_value_t = 1)]
        seeds: u64,
        /// The first seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Language of the conversations and the review.
        #[arg(long, value_parser = parse_locale, default_value = "zh-CN")]
        lang: Locale,
        /// Print JSON (the full result when one policy runs one seed).
        #[arg(long)]
        json: bool,
    },
}

/// Arguments of `campaign play`.
#[derive(Debug, clap::Args)]
pub struct CampaignPlayArgs {
    /// The campaign id (in a classroom round, the round's campaign; it may be left out).
    #[arg(required_unless_present = "session")]
    pub campaign: Option<String>,
    /// The seed: it decides what the debtors do with what you do. Same seed and actions, same
    /// result. [default: 1; in a classroom round, the round's seed]
    #[arg(long)]
    pub seed: Option<u64>,
    /// Language.
    #[arg(long, value_parser = parse_locale, default_value = "zh-CN")]
    pub lang: Locale,
    /// The trainee's name, as debtors will use it. Given a name, the result is saved in the
    /// results database under it when the campaign ends (see --db).
    #[arg(long)]
    pub trainee: Option<String>,
    /// The trainee's team, for the results database.
    #[arg(long, requires = "trainee")]
    pub team: Option<String>,
    /// A classroom session (its id, as `report summary` lists them): the team works the
    /// campaign and seed of the session's open campaign round, and the result goes on that
    /// round's board.
    #[arg(long, requires_all = ["trainee", "team"])]
    pub session: Option<i64>,
    /// Keep the desk in this file after every action, and continue from it when it exists.
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,
    /// Line protocol for programs: one JSON object per step, one action (JSON) per stdin
    /// line; conversations use the protocol of `play --json-steps`.
    #[arg(long)]
    pub json_steps: bool,
}

/// Runs a `campaign` subcommand; `db` is the results database `play` saves into.
pub fn run(lib: &Library, command: &CampaignCommand, db: Option<&Path>) -> Result<u8, Failure> {
    match command {
        CampaignCommand::List { json, lang } => list(lib, *json, *lang),
        CampaignCommand::Play(args) => play(lib, args, db),
        CampaignCommand::Sim {
            campaign,
            policy,
            seeds,
            seed,
            lang,
            json,
        } => sim(lib, campaign, policy, *seed, *seeds, *lang, *json),
    }
}

fn list(lib: &Library, json: bool, lang: Locale) -> Result<u8, Failure> {
    #[derive(Serialize)]
    struct Row<'a> {
        id: &'a str,
        title: &'a str,
        difficulty: &'a str,
        weeks: u32,
        accounts: usize,
        owed: f64,
    }
    let rows: Vec<Row<'_>> = lib
        .campaigns
        .values()
        .map(|c| Row {
            id: c.id.as_str(),
            title: c.title.resolve(lang),
            difficulty: c.difficulty.key(),
            weeks: c.weeks,
            accounts: c.accounts.len(),
            owed: c
                .accounts
                .iter()
                .flat_map(|a| &a.invoices)
                .map(|i| i.amount)
                .sum(),
        })
        .collect();
    if json {
        out!(
            "{}",
            serde_json::to_string_pretty(&rows).unwrap_or_default()
        );
        return Ok(0);
    }
    for (r, c) in rows.iter().zip(lib.campaigns.values()) {
        out!(
            "{:<22} {}  [{} · {} {} · {} {}]",
            r.id,
            r.title,
            c.difficulty.label(lang),
            r.weeks,
            lang.pick("周", "weeks"),
            r.accounts,
            lang.pick("个客户", "accounts")
        );
    }
    Ok(0)
}

fn open(lib: &Library, id: &str, seed: u64, lang: Locale, trainee: &str) -> Result<Desk, Failure> {
    Desk::new(lib, id, seed, lang, trainee).map_err(|e| Failure::usage(e.to_string()))
}

/// Says once on stderr when campaign `id` runs in `lang`'s fallback (see `Desk::from_parts`).
fn note_fallback(lib: &Library, id: &str, lang: Locale) {
    let Some(c) = lib.campaigns.get(id) else {
        return;
    };
    let served = lang.served_by(&c.locales).unwrap_or(lang);
    let all = lib.campaigns.values();
    super::fallback_note(
        lang,
        served,
        &format!("campaign `{id}`"),
        all.map(|c| (c.id.as_str(), c.locales.as_slice())),
    );
}

fn sim(
    lib: &Library,
    id: &str,
    policies: &[Policy],
    seed: u64,
    seeds: u64,
    lang: Locale,
    json: bool,
) -> Result<u8, Failure> {
    let policies = if policies.is_empty() {
        vec![Policy::Best, Policy::Soft, Policy::Heavy]
    } else {
        policies.to_vec()
    };
    if seeds == 0 {
        return Err(Failure::usage("--seeds must be at least 1"));
    }
    let trainee = crate::domain::engine::session::default_trainee(lang);
    note_fallback(lib, id, lang);
    if policies.len() == 1 && seeds == 1 && json {
        let desk = open(lib, id, seed, lang, trainee)?;
        let result = simulate(desk, policies[0]).map_err(|e| Failure::usage(e.to_string()))?;
        out!(
            "{}",
            serde_json::to_string_pretty(&result).unwrap_or_default()
        );
        return Ok(0);
    }
    #[derive(Serialize)]
    struct Summary {
        policy: &'static str,
        seeds: u64,
        mean_total: f64,
        min_total: f64,
        max_total: f64,
        passed: u64,
        mean_collected_share: f64,
        mean_cash: f64,
        mean_ageing: f64,
        mean_rhythm: f64,
        mean_evidence: f64,
    }
    let mut rows = Vec::new();
    for policy in policies {
        let mut results: Vec<CampaignResult> = Vec::new();
        for s in seed..seed + seeds {
            let desk = open(lib, id, s, lang, trainee)?;
            results.push(simulate(desk, policy).map_err(|e| Failure::usage(e.to_string()))?);
        }
        let n = results.len() as f64;
        let mean = |f: &dyn Fn(&CampaignResult) -> f64| {
            (results.iter().map(f).sum::<f64>() / n * 10.0).round() / 10.0
        };
        rows.push(Summary {
            policy: policy.key(),
            seeds,
            mean_total: mean(&|r| r.scores.total),
            min_total: results
                .iter()
                .map(|r| r.scores.total)
                .fold(f64::MAX, f64::min),
            max_total: results
                .iter()
                .map(|r| r.scores.total)
                .fold(f64::MIN, f64::max),
            passed: results.iter().filter(|r| r.passed).count() as u64,
            mean_collected_share: mean(&|r| 100.0 * r.collected / r.owed.max(1.0)),
            mean_cash: mean(&|r| r.scores.cash),
            mean_ageing: mean(&|r| r.scores.ageing),
            mean_rhythm: mean(&|r| r.scores.rhythm),
            mean_evidence: mean(&|r| r.scores.evidence),
        });
    }
    if json {
        out!(
            "{}",
            serde_json::to_string_pretty(&rows).unwrap_or_default()
        );
        return Ok(0);
    }
    out!(
        "{:<8} {:>6} {:>7} {:>7} {:>7} {:>7}  {:>5} {:>6} {:>6} {:>8}",
        lang.pick("策略", "policy"),
        lang.pick("种子", "seeds"),
        lang.pick("均分", "mean"),
        lang.pick("最低", "min"),
        lang.pick("最高", "max"),
        lang.pick("通过", "passed"),
        lang.pick("回款", "cash"),
        lang.pick("账龄", "ageing"),
        lang.pick("节奏", "rhythm"),
        lang.pick("证据", "evidence"),
    );
    for r in &rows {
        out!(
            "{:<8} {:>6} {:>7.1} {:>7.1} {:>7.1} {:>7}  {:>5.1} {:>6.1} {:>6.1} {:>8.1}   {}{:.0}%",
            r.policy,
            r.seeds,
            r.mean_total,
            r.min_total,
            r.max_total,
            r.passed,
            r.mean_cash,
            r.mean_ageing,
            r.mean_rhythm,
            r.mean_evidence,
            lang.pick("收回 ", "collected "),
            r.mean_collected_share
        );
    }
    Ok(0)
}

/// Writes the desk to `path` atomically (a temporary file renamed into place).
fn keep(path: &Path, desk: &Desk) -> Result<(), Failure> {
    let text = serde_json::to_string(&desk.save()).unwrap_or_default();
    crate::report::write_file(path, text.as_bytes())
        .map_err(|e| Failure::usage(format!("cannot keep the desk in {}: {e}", path.display())))
}

/// What a classroom round fixes, checked against what was asked for: the campaign and seed.
fn campaign_and_seed(
    args: &CampaignPlayArgs,
    seat: Option<&record::Seat>,
) -> Result<(String, u64), Failure> {
    let Some(seat) = seat else {
        let campaign = args.campaign.clone().unwrap_or_default();
        return Ok((campaign, args.seed.unwrap_or(1)));
    };
    let round = &seat.round;
    if let Some(asked) = args.campaign.as_deref().filter(|c| *c != round.campaign) {
        return Err(Failure::usage(format!(
            "campaign round {} of session {} is `{}`, not `{asked}`; leave the campaign out to play the round's",
            round.number, seat.session, round.campaign
        )));
    }
    if let Some(asked) = args.seed.filter(|s| *s != round.seed) {
        return Err(Failure::usage(format!(
            "campaign round {} of session {} is played with seed {}, the same for every team, not {asked}; leave --seed out",
            round.number, seat.session, round.seed
        )));
    }
    Ok((round.campaign.clone(), round.seed))
}

fn play(lib: &Library, args: &CampaignPlayArgs, db: Option<&Path>) -> Result<u8, Failure> {
    let started_at = crate::store::now();
    let trainee = args
        .trainee
        .clone()
        .unwrap_or_else(|| crate::domain::engine::session::default_trainee(args.lang).to_owned());
    // The names, the database and the classroom round are checked before the desk opens, so
    // none is found wrong after the trainee's weeks are spent.
    let mut store = match args.trainee.as_deref() {
        Some(name) => {
            record::check_names(name, args.team.as_deref())?;
            Some(record::open_for_saving(db, lib)?)
        }
        None => None,
    };
    let mut seat = match (&store, args.session, args.team.as_deref()) {
        (Some(store), Some(session), Some(team)) => {
            Some(record::classroom_round(store, session, team)?)
        }
        _ => None,
    };
    let (campaign, seed) = campaign_and_seed(args, seat.as_ref())?;
    let mut desk = match args.save.as_deref().filter(|p| p.exists()) {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                Failure::usage(format!(
                    "cannot read the saved desk {}: {e}",
                    path.display()
                ))
            })?;
            let state: DeskState = serde_json::from_str(&text).map_err(|e| {
                Failure::usage(format!(
                    "{} is not a saved campaign desk ({e}); move it away to start afresh",
                    path.display()
                ))
            })?;
            if let Some(seat) = &seat
                && (state.campaign != campaign || state.seed != seed)
            {
                return Err(Failure::usage(format!(
                    "the desk saved in {} is `{}` with seed {}, but campaign round {} is `{campaign}` with seed {seed}; pass another --save file",
                    path.display(),
                    state.campaign,
                    state.seed,
                    seat.round.number
                )));
            }
            let desk = Desk::restore(lib, state).map_err(|e| Failure::usage(e.to_string()))?;
            // Played again, a finished desk would print (and save) the same result twice.
            if desk.is_over() {
                return Err(Failure::usage(format!(
                    "the campaign kept in {} is finished (its result was shown when it ended); move the file away, or pass another --save file, to start afresh",
                    path.display()
                )));
            }
            desk
        }
        None => {
            note_fallback(lib, &campaign, args.lang);
            open(lib, &campaign, seed, args.lang, &trainee)?
        }
    };
    // Saved before anything of the result is printed (a closed stdout cannot stop it); a
    // failure is told after the result, which is always shown.
    let mut save = |result: &CampaignResult| match (&mut store, args.trainee.as_deref()) {
        (Some(store), Some(trainee)) => record::save_campaign(
            store,
            &record::CampaignPlay {
                trainee,
                team: args.team.as_deref(),
                classroom: seat.take(),
                started_at,
            },
            result,
        ),
        _ => record::Saved::NotAsked,
    };
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut out = JsonOut::default();
    let locale = desk.locale();
    let mut shown = desk.state().log.len();
    while !desk.is_over() {
        let allowed = desk.allowed();
        if args.json_steps {
            out.line(
                &serde_json::to_string(&step_json(&desk, &allowed, shown)).unwrap_or_default(),
            );
        } else {
            print_desk(&desk, &allowed, shown);
        }
        shown = desk.state().log.len();
        let action = if args.json_steps {
            read_json_action(&mut input, &mut out, &allowed)?
        } else {
            match read_menu_action(&mut input, &allowed, locale)? {
                Some(a) => a,
                None => {
                    out!("{}", locale.pick("已离开办公桌。", "You left the desk."));
                    if args.save.is_some() {
                        out!("{}", locale.pick("进度已保存，下次用同一个 --save 文件继续。", "Your desk is kept: run again with the same --save file to continue."));
                    }
                    return Ok(0);
                }
            }
        };
        match desk.apply(action) {
            Ok(Step::Done(_)) => {}
            Ok(Step::Conversation(pending)) => {
                let scenario = desk
                    .scenario(&pending.scenario)
                    .ok_or_else(|| Failure::usage("the conversation's scenario is gone"))?;
                let setup = Setup {
                    prepared: Vec::new(),
                    trainee: Some(desk.state().trainee.clone()),
                    truths: Vec::new(),
                };
                let (mut session, opening) =
                    Session::start(&scenario.compiled, pending.seed, locale, setup)
                        .map_err(|e| Failure::usage(e.to_string()))?;
                let result = if args.json_steps {
                    out.line(
                        &serde_json::json!({"conversation": {
                            "account": desk.state().accounts[pending.account].id,
                            "scenario": pending.scenario,
                            "seed": pending.seed,
                        }})
                        .to_string(),
                    );
                    let r =
                        json_steps(&mut session, opening, &mut input, &mut out, &mut Vec::new())?;
                    out.line(&serde_json::to_string(&r).unwrap_or_default());
                    r
                } else {
                    converse(&mut session, opening, &mut input, locale)?
                };
                let choices = result.debrief.iter().map(|t| t.choice.clone()).collect();
                desk.finish_conversation(&result, choices)
                    .map_err(|e| Failure::usage(e.to_string()))?;
            }
            Err(e) => {
                if args.json_steps {
                    out.line(&serde_json::json!({ "error": e.to_string() }).to_string());
                } else {
                    out!("  {e}");
                }
            }
        }
        if let Some(path) = &args.save {
            keep(path, &desk)?;
        }
    }
    let result = desk
        .result()
        .ok_or_else(|| Failure::usage("the campaign has not ended"))?;
    let saved = save(&result);
    if args.json_steps {
        out.line(&serde_json::to_string(&result).unwrap_or_default());
        return out.finish(saved);
    }
    print_result(&result, locale);
    saved.finish()
}

/// One step of the line protocol.
#[derive(Serialize)]
struct StepJson<'a> {
    day: u32,
    date: String,
    week: u32,
    minutes_left: u32,
    ledger: Vec<LedgerRow>,
    log: Vec<String>,
    allowed: &'a [Action],
}

fn step_json<'a>(desk: &Desk, allowed: &'a [Action], shown: usize) -> StepJson<'a> {
    let locale = desk.locale();
    StepJson {
        day: desk.state().day + 1,
        date: desk.today().to_string(),
        week: desk.state().day / 5 + 1,
        minutes_left: desk.minutes_left(),
        ledger: desk.ledger(),
        log: desk.state().log[shown..]
            .iter()
            .map(|l| log_text(desk, l, locale))
            .collect(),
        allowed,
    }
}

fn log_text(desk: &Desk, line: &crate::domain::campaign::LogLine, locale: Locale) -> String {
    let who = line
        .account
        .map(|k| format!("{}{}", desk.account_name(k), locale.pick("：", ": ")))
        .unwrap_or_default();
    format!("{}{}", who, line.note.text(locale))
}

fn read_json_action(
    input: &mut impl BufRead,
    out: &mut JsonOut,
    allowed: &[Action],
) -> Result<Action, Failure> {
    loop {
        let line = match read_line(input) {
            Ok(Line::End) => return Err(Failure::usage("stdin ended before the campaign did")),
            Ok(Line::Text(line)) => line,
            Ok(Line::Bad(why)) => {
                out.line(&serde_json::json!({ "error": why }).to_string());
                continue;
            }
            Err(e) => return Err(Failure::usage(format!("cannot read stdin: {e}"))),
        };
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if let Ok(n) = line.parse::<usize>()
            && let Some(a) = n.checked_sub(1).and_then(|i| allowed.get(i))
        {
            return Ok(a.clone());
        }
        match serde_json::from_str::<Action>(line) {
            Ok(a) => return Ok(a),
            Err(e) => out.line(
                &serde_json::json!({ "error": format!("not an action ({e}); send one of `allowed`, e.g. {{\"do\":\"end_day\"}}") })
                    .to_string(),
            ),
        }
    }
}

fn print_desk(desk: &Desk, allowed: &[Action], shown: usize) {
    let l = desk.locale();
    for line in &desk.state().log[shown..] {
        out!("  · {}", log_text(desk, line, l));
    }
    out!(
        "\n== {} {} · {} {} · {} {} ==",
        desk.today(),
        l.pick("第", "day"),
        desk.state().day + 1,
        l.pick("天", ""),
        desk.minutes_left(),
        l.pick("分钟可用", "minutes left")
    );
    for row in desk.ledger() {
        let money = |v| crate::domain::engine::format::amount(v, "CNY", l);
        let promise = row.promise.as_ref().map_or(String::new(), |p| {
            format!(
                " · {}{} {}",
                if p.written {
                    l.pick("书面承诺", "signed promise")
                } else {
                    l.pick("口头承诺", "verbal promise")
                },
                money(p.amount),
                p.due
            )
        });
        out!(
            "  {:<18} {} {} · {} · {}{}{}",
            row.account,
            row.company,
            money(row.left),
            row.age
                .map_or(String::new(), |a| format!("{a}{}", l.pick("天", " days"))),
            row.last_contact.as_deref().map_or(
                l.pick("未联系", "no contact yet").to_owned(),
                |d| format!("{}{d}", l.pick("上次联系 ", "last contact "))
            ),
            promise,
            if row.status == "open" {
                String::new()
            } else {
                format!(" [{}]", row.status)
            }
        );
    }
    for (i, a) in allowed.iter().enumerate() {
        let who = a.account().unwrap_or("");
        out!("  {:>3}. {:<18} {}", i + 1, who, a.label(l));
    }
}

fn read_menu_action(
    input: &mut impl BufRead,
    allowed: &[Action],
    l: Locale,
) -> Result<Option<Action>, Failure> {
    loop {
        let Some(line) = prompt(input, "> ")? else {
            return Ok(None);
        };
        let line = line.trim();
        if line.eq_ignore_ascii_case("q") {
            return Ok(None);
        }
        if let Ok(n) = line.parse::<usize>()
            && let Some(a) = n.checked_sub(1).and_then(|i| allowed.get(i))
        {
            return Ok(Some(a.clone()));
        }
        out!(
            "  {}",
            l.pick(
                "请输入上面的编号（q 离开）。",
                "Type one of the numbers above (q to leave)."
            )
        );
    }
}

fn converse(
    session: &mut Session,
    opening: Vec<crate::domain::engine::Event>,
    input: &mut impl BufRead,
    l: Locale,
) -> Result<AttemptResult, Failure> {
    print_events(&opening, l, true);
    while !session.is_ended() {
        print_choices(&session.choices(), l);
        let Some(line) = prompt(input, "> ")? else {
            return Err(Failure::usage(l.pick(
                "输入已结束，对话未完成",
                "input ended before the conversation did",
            )));
        };
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match choose(session, line, &mut Vec::new()) {
            Ok(events) => print_events(&events, l, true),
            Err(e) => out!("  {}", clipped(e)),
        }
    }
    session
        .result()
        .ok_or_else(|| Failure::usage("the conversation has not ended"))
}

fn print_result(r: &CampaignResult, l: Locale) {
    let money = |v| crate::domain::engine::format::amount(v, "CNY", l);
    out!(
        "\n== {} ==\n{} {:.1}/100 {}",
        l.pick("战役结束", "Campaign over"),
        l.pick("总分", "Score"),
        r.scores.total,
        if r.passed {
            l.pick("通过", "PASSED")
        } else {
            l.pick("未通过", "NOT PASSED")
        }
    );
    out!(
        "{} {:.1}/40 · {} {:.1}/20 · {} {:.1}/20 · {} {:.1}/20",
        l.pick("回款", "cash"),
        r.scores.cash,
        l.pick("账龄", "ageing"),
        r.scores.ageing,
        l.pick("节奏", "rhythm"),
        r.scores.rhythm,
        l.pick("证据", "evidence"),
        r.scores.evidence
    );
    out!(
        "{} {} / {}",
        l.pick("收回", "Collected"),
        money(r.collected),
        money(r.owed)
    );
    for b in &r.blockers {
        out!("  × {b}");
    }
    out!("{}", l.pick("转折点：", "Turning points:"));
    for t in &r.turning_points {
        out!("  {} {} {}", if t.good { "+" } else { "-" }, t.date, t.text);
    }
}
