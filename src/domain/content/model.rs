//! The content model: personas, scenarios, dialogue nodes, choices, effects and conditions.
//!
//! These types mirror the RON files one to one (see `dialogues/README.md`); serde rejects
//! unknown fields so a misspelt key is reported instead of silently ignored.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::domain::text::Text;

mod campaign;
mod kinds;
mod quiz;

pub use campaign::{
    Account, Behaviour, Campaign, Contact, EventKind, Invoice, Lever, Malicious, ScenarioUse,
    WorldEvent,
};
pub use kinds::{Channel, DebtStage, DebtorType, Difficulty, Outcome, Rule, Severity, Tone};
pub use quiz::{Question, QuestionKind, QuizBank, QuizOption};

/// A stable identifier written by the author (`[a-z0-9_]+`), used by results and debriefs.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Id(pub String);

impl Id {
    /// The identifier as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when the id uses only lowercase ASCII letters, digits and underscores.
    pub fn is_well_formed(&self) -> bool {
        !self.0.is_empty()
            && self
                .0
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Id {
    fn from(s: &str) -> Id {
        Id(s.to_owned())
    }
}

/// A debtor persona file: who the trainee is talking to and what is true about the debt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Persona {
    /// Stable id, referenced by scenarios.
    pub id: Id,
    /// The person's name.
    pub name: Text,
    /// Their company's full registered name.
    pub company: Text,
    /// Their job title.
    pub role: Text,
    /// Which kind of debtor they are.
    pub debtor_type: DebtorType,
    /// How they talk and react: a note for authors and the briefing.
    pub temperament: Text,
    /// Starting mood, -100 (hostile) to 100 (warm).
    pub mood: i32,
    /// Starting patience: each impatient or pushy turn spends some; at 0 they end the talk.
    pub patience: i32,
    /// The facts of the debt.
    pub debt: Debt,
    /// Facts the trainee can uncover by asking the right questions.
    #[serde(default)]
    pub hidden_truths: Vec<HiddenTruth>,
}

/// The facts of a debt, as the trainee's own records show them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Debt {
    /// The overdue amount in major units (yuan), at most two decimals.
    pub amount: f64,
    /// ISO 4217 currency code, for example `CNY`.
    pub currency: String,
    /// Invoice numbers making up the debt.
    pub invoices: Vec<String>,
    /// The contractual due date, `YYYY-MM-DD`.
    pub due_date: String,
    /// Days overdue on the day of the call (negative: days before the due date).
    pub days_overdue: i32,
    /// The agreed payment terms.
    pub terms: Text,
    /// Whether both sides have reconciled the accounts (对账).
    pub reconciled: bool,
    /// What was sold (pipe piles, coatings…).
    #[serde(default)]
    pub goods: Option<Text>,
}

/// Something true about the debtor that the trainee can uncover.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HiddenTruth {
    /// Stable id, referenced by `reveal` effects and `Revealed` conditions.
    pub id: Id,
    /// What is true.
    pub text: Text,
}

/// A scenario file: one conversation with one persona, and how it is scored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Stable id, used on the command line and in results.
    pub id: Id,
    /// Title shown on the scenario card.
    pub title: Text,
    /// The persona id of the debtor.
    pub persona: Id,
    /// Phone call or visit.
    pub channel: Channel,
    /// Where the debt sits on the ageing ladder.
    pub stage: DebtStage,
    /// How hard it is.
    pub difficulty: Difficulty,
    /// Locales every text must be complete in, for example `["zh-CN", "en"]`.
    pub locales: Vec<String>,
    /// The trainee's own company (the supplier), available as `{supplier}`.
    pub supplier: Text,
    /// Syllabus topics this scenario teaches (see the coverage table in the README).
    #[serde(default)]
    pub tags: Vec<String>,
    /// What the trainee learns, each citing the course document that teaches it.
    pub objectives: Vec<Objective>,
    /// Read before the call or visit.
    pub briefing: Text,
    /// What the trainee may prepare; each item they tick can unlock lines.
    #[serde(default)]
    pub preparation: Preparation,
    /// The evidence this conversation can produce.
    pub evidence: Vec<EvidenceItem>,
    /// Axis weights and pass mark.
    #[serde(default)]
    pub scoring: ScoringRules,
    /// The node the conversation starts at.
    pub start: Id,
    /// The ending used when the debtor's patience runs out or the turn limit is reached.
    pub patience_out: Id,
    /// After this many trainee turns the debtor ends the conversation (via `patience_out`).
    #[serde(default = "default_max_turns")]
    pub max_turns: u32,
    /// Facts drawn per play from the session's seed (was the money really sent? is the boss
    /// really away?): lines, conditions and scoring can depend on the variant drawn with
    /// `Truth("variant_id")`, and the debrief reveals it.
    #[serde(default)]
    pub truths: Vec<TruthDraw>,
    /// The dialogue graph.
    pub nodes: Vec<Node>,
}

/// A fact drawn once per play: one of its variants holds for the whole conversation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TruthDraw {
    /// Stable id of the question (`money_sent`).
    pub id: Id,
    /// What is in doubt, for the debrief ("Was the money really sent?").
    pub label: Text,
    /// The possible answers; one is drawn per play in proportion to `weight`.
    pub variants: Vec<TruthVariant>,
}

/// One possible answer to a [`TruthDraw`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TruthVariant {
    /// Stable id, unique in the scenario, tested with `Truth("id")`.
    pub id: Id,
    /// Relative chance of being drawn (default 1).
    #[serde(default = "default_weight")]
    pub weight: u32,
    /// What was true in this play, revealed in the debrief.
    pub text: Text,
}

fn default_max_turns() -> u32 {
    40
}

/// A learning objective and the course document it comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    /// What the trainee should be able to do.
    pub text: Text,
    /// The course document, `000` to `004` (written `seed:` in files from before the
    /// rename, which still load).
    #[serde(alias = "seed")]
    pub course: String,
    /// The section of that document, if useful.
    #[serde(default)]
    pub section: Option<Text>,
}

/// The pre-call preparation checklist (001 要点提示; 004 回款前的准备).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preparation {
    /// How many items the trainee has time to prepare; `None` means all of them.
    #[serde(default)]
    pub budget: Option<u32>,
    /// The items to choose from.
    #[serde(default)]
    pub items: Vec<PrepItem>,
}

/// One thing the trainee can prepare before the conversation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrepItem {
    /// Stable id, tested with `Prepared("id")`.
    pub id: Id,
    /// What to prepare.
    pub label: Text,
    /// Why it matters; shown in the debrief.
    pub why: Text,
    /// How a visit scene shows it when prepared: a paper on the desk, or a colleague beside
    /// the trainee. Omit for things that are not seen (timing, research).
    #[serde(default)]
    pub shows_as: Option<ShowsAs>,
}

/// How a prepared item appears in a visit scene.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShowsAs {
    /// A document on the desk.
    Document,
    /// A second person from the trainee's company.
    Colleague,
}

/// A piece of evidence this scenario can produce.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceItem {
    /// Stable id, gained with `gain: ["id"]`.
    pub id: Id,
    /// What it is, for the checklist.
    pub label: Text,
    /// How much it counts on the evidence axis (positive).
    #[serde(default = "default_weight")]
    pub weight: u32,
}

fn default_weight() -> u32 {
    1
}

/// Axis weights and the pass mark.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringRules {
    /// Relative weight of each axis in the overall score.
    #[serde(default)]
    pub weights: Weights,
    /// Overall score needed to pass, 0 to 100.
    #[serde(default = "default_pass_mark")]
    pub pass_mark: u32,
}

impl Default for ScoringRules {
    fn default() -> Self {
        ScoringRules {
            weights: Weights::default(),
            pass_mark: default_pass_mark(),
        }
    }
}

fn default_pass_mark() -> u32 {
    70
}

/// Relative axis weights; equal by default.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    /// Weight of the tone axis.
    #[serde(default = "one")]
    pub tone: f64,
    /// Weight of the persistence axis.
    #[serde(default = "one")]
    pub persistence: f64,
    /// Weight of the evidence axis.
    #[serde(default = "one")]
    pub evidence: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            tone: 1.0,
            persistence: 1.0,
            evidence: 1.0,
        }
    }
}

fn one() -> f64 {
    1.0
}

/// A node of the dialogue graph.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Node {
    /// The debtor speaks and the trainee answers.
    Debtor(DebtorNode),
    /// The conversation ends here.
    Ending(EndingNode),
}

impl Node {
    /// The node's id.
    pub fn id(&self) -> &Id {
        match self {
            Node::Debtor(n) => &n.id,
            Node::Ending(n) => &n.id,
        }
    }

    /// The debtor's line variants.
    pub fn lines(&self) -> &[Line] {
        match self {
            Node::Debtor(n) => &n.say,
            Node::Ending(n) => &n.say,
        }
    }

    /// Narration shown before the line (what the trainee sees or hears).
    pub fn scene(&self) -> Option<&Text> {
        match self {
            Node::Debtor(n) => n.scene.as_ref(),
            Node::Ending(n) => n.scene.as_ref(),
        }
    }
}

/// A debtor turn: a line (one of several variants) and the trainee's possible answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DebtorNode {
    /// Stable id.
    pub id: Id,
    /// Narration before the line: what the trainee sees or hears.
    #[serde(default)]
    pub scene: Option<Text>,
    /// Line variants; see [`Line`] for how one is picked.
    pub say: Vec<Line>,
    /// The trainee's answers.
    pub choices: Vec<Choice>,
}

/// An ending node: the debtor's closing line and the outcome.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndingNode {
    /// Stable id.
    pub id: Id,
    /// What kind of ending this is.
    pub outcome: Outcome,
    /// Narration before the closing line.
    #[serde(default)]
    pub scene: Option<Text>,
    /// Closing line variants.
    pub say: Vec<Line>,
    /// What reaching this ending does (for example gains the signed promise).
    #[serde(default)]
    pub effects: Effects,
    /// A one-sentence account of the result for the debrief.
    #[serde(default)]
    pub summary: Option<Text>,
}

/// One variant of a debtor line.
///
/// Variants whose `when` holds and that have conditions are preferred over unconditional
/// ones (so a mood-dependent reaction wins when its mood applies); among the candidates one
/// is drawn with the session's seeded generator, in proportion to `weight`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// What the debtor says.
    pub text: Text,
    /// Conditions that must all hold.
    #[serde(default)]
    pub when: Vec<Condition>,
    /// Relative chance among candidates.
    #[serde(default = "default_weight")]
    pub weight: u32,
}

/// A trainee answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Stable id, unique within the scenario.
    pub id: Id,
    /// What the trainee says.
    pub text: Text,
    /// The tone of the line.
    pub tone: Tone,
    /// Conditions that must all hold for the choice to be offered.
    #[serde(default)]
    pub when: Vec<Condition>,
    /// Show the choice greyed out, with the reason, when its conditions fail.
    #[serde(default)]
    pub show_locked: bool,
    /// The reason shown when locked; generated from the conditions when absent.
    #[serde(default)]
    pub locked_hint: Option<Text>,
    /// What the choice does.
    #[serde(default)]
    pub effects: Effects,
    /// Set when the line breaks the law or the course's prohibited conduct.
    #[serde(default)]
    pub violation: Option<Violation>,
    /// Why it works or not.
    pub feedback: Feedback,
    /// The node the conversation moves to.
    pub next: Id,
}

/// The effects of a choice or an ending.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Effects {
    /// Adjustment to the tone value of the choice's tone tag.
    #[serde(default)]
    pub tone: i32,
    /// Persistence value of the choice: positive for returning to the goal.
    #[serde(default)]
    pub persistence: i32,
    /// Evidence points beyond the items gained.
    #[serde(default)]
    pub evidence: i32,
    /// Change to the debtor's mood.
    #[serde(default)]
    pub mood: i32,
    /// Change to the debtor's patience.
    #[serde(default)]
    pub patience: i32,
    /// Evidence items gained.
    #[serde(default)]
    pub gain: Vec<Id>,
    /// Flags set.
    #[serde(default)]
    pub set: Vec<Id>,
    /// Flags cleared.
    #[serde(default)]
    pub clear: Vec<Id>,
    /// Hidden truths of the persona uncovered.
    #[serde(default)]
    pub reveal: Vec<Id>,
}

/// A line that breaks the law or the course's rules.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Violation {
    /// Which rule it breaks.
    pub rule: Rule,
    /// How serious it is; a `blocker` fails the attempt whatever the score.
    pub severity: Severity,
    /// Why it is not allowed.
    pub explanation: Text,
}

/// Authored feedback on a choice.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Feedback {
    /// Why it works or not, in one or two sentences.
    pub text: Text,
    /// The principle it illustrates.
    #[serde(default)]
    pub principle: Option<Text>,
    /// The course document it comes from, `000` to `004` (`seed:` in older files).
    #[serde(default, alias = "seed")]
    pub course: Option<String>,
}

/// A condition on the conversation state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Condition {
    /// The flag is set.
    Flag(Id),
    /// The evidence item has been gained.
    Has(Id),
    /// The trainee prepared this checklist item.
    Prepared(Id),
    /// The persona's hidden truth has been uncovered.
    Revealed(Id),
    /// This variant of one of the scenario's drawn `truths` holds in this play.
    Truth(Id),
    /// Mood is at least this value.
    MoodAtLeast(i32),
    /// Mood is below this value.
    MoodBelow(i32),
    /// Patience is at least this value.
    PatienceAtLeast(i32),
    /// Patience is below this value.
    PatienceBelow(i32),
    /// The node has been entered at least this many times (the current visit counts).
    VisitsAtLeast(Id, u32),
    /// The node has been entered fewer than this many times (the current visit counts).
    VisitsBelow(Id, u32),
    /// At least this many trainee turns have been taken.
    TurnAtLeast(u32),
    /// Every inner condition holds.
    All(Vec<Condition>),
    /// At least one inner condition holds.
    Any(Vec<Condition>),
    /// The inner condition does not hold.
    Not(Box<Condition>),
}

/// The course documents content may cite (the files in `../shared/seeds/`), with their
/// subjects.
pub const COURSE_DOCUMENTS: &[(&str, &str, &str)] = &[
    (
        "000",
        "催款方式与客户类型（课程大纲）",
        "Collection methods and customer types (course outline)",
    ),
    (
        "001",
        "应收帐款催收方法：电话催款",
        "Receivables collection by phone",
    ),
    (
        "002",
        "催款策略及战术技巧",
        "Collection strategy and tactics",
    ),
    ("003", "公司催款培训", "Company collection training"),
    ("004", "非恶意欠款处理", "Handling non-malicious debts"),
];

/// True when `course` names one of the course documents.
pub fn is_known_course(course: &str) -> bool {
    COURSE_DOCUMENTS.iter().any(|(id, _, _)| *id == course)
}

/// The course names trainees read, by document: content and screens cite the course by
/// name, never by file number ("电话催款课程·托词四" / "Phone collection course, excuse 4").
pub const COURSES: &[(&str, &str, &str)] = &[
    ("000", "催款技巧课程", "Collection skills course"),
    ("001", "电话催款课程", "Phone collection course"),
    ("002", "催款策略课程", "Collection strategy course"),
    ("003", "公司催款培训", "Company collection training"),
    ("004", "非恶意欠款课程", "Non-malicious debt course"),
];

/// The course names as zh-TW content writes them, by document id: a citation in a zh-TW text
/// names the course in Traditional characters. (The interface shows the Simplified names, as it
/// shows all its strings to zh-TW: see `Locale::interface`.)
pub const COURSES_ZH_TW: &[(&str, &str)] = &[
    ("000", "催款技巧課程"),
    ("001", "電話催款課程"),
    ("002", "催款策略課程"),
    ("003", "公司催款培訓"),
    ("004", "非惡意欠款課程"),
];

/// How a trainee-facing text cites a course document: its course name (`电话催款课程`,
/// `Phone collection course`), or the id as written if unknown.
pub fn course_citation(course: &str, locale: crate::domain::text::Locale) -> String {
    COURSES
        .iter()
        .find(|(id, _, _)| *id == course)
        .map_or(course.to_owned(), |(_, zh, en)| {
            locale.pick(zh, en).to_owned()
        })
}

/// Whether `text` cites a course: by its name (either language) or its document number.
pub fn cites_a_course(text: &str) -> bool {
    COURSES
        .iter()
        .any(|(id, zh, en)| text.contains(id) || text.contains(zh) || text.contains(en))
        || COURSES_ZH_TW.iter().any(|(_, tw)| text.contains(tw))
}
