//! What a conversation emits and leaves behind: its events, the transcript, the turn records
//! and the scored result with its debrief.

use serde::{Deserialize, Serialize};

use crate::domain::content::model::{Outcome, Rule, Severity, Tone};
use crate::domain::engine::scoring::{Scores, TurnJudgement};

/// Who is speaking in a transcript entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Speaker {
    /// The debtor.
    Debtor,
    /// The trainee.
    Trainee,
    /// Narration: what the trainee sees or hears.
    Narrator,
}

/// One line of the transcript.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TranscriptEntry {
    /// Who spoke.
    pub speaker: Speaker,
    /// What was said, in the session's locale.
    pub text: String,
    /// The node it belongs to.
    pub node: String,
    /// For trainee lines, the choice id.
    pub choice: Option<String>,
}

/// Something that happened, for a view to present.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// Narration before a line.
    Scene {
        /// What the trainee sees or hears.
        text: String,
    },
    /// The debtor speaks.
    DebtorSaid {
        /// The node.
        node: String,
        /// The line.
        text: String,
    },
    /// The trainee's chosen line.
    TraineeSaid {
        /// The choice id.
        choice: String,
        /// The line.
        text: String,
        /// Its tone tag.
        tone: Tone,
    },
    /// Authored feedback on the line (a practice-mode view shows it; an exam view holds it).
    Feedback {
        /// The turn, 1-based.
        turn: u32,
        /// Why it works or not.
        text: String,
        /// The principle.
        principle: Option<String>,
        /// The course document (`000` to `004`).
        course: Option<String>,
        /// Whether this was the best alternative.
        was_best: bool,
        /// The best alternative's text, when another line was better.
        better: Option<String>,
    },
    /// The debtor's mood changed.
    MoodChanged {
        /// Before.
        from: i32,
        /// After.
        to: i32,
    },
    /// The debtor's patience changed.
    PatienceChanged {
        /// Before.
        from: i32,
        /// After.
        to: i32,
    },
    /// Evidence gained.
    EvidenceGained {
        /// The item id.
        id: String,
        /// Its label.
        label: String,
    },
    /// A hidden truth uncovered.
    TruthRevealed {
        /// The truth id.
        id: String,
        /// What is true.
        text: String,
    },
    /// A flag was set.
    FlagSet {
        /// The flag.
        flag: String,
    },
    /// The trainee broke a rule.
    Violation {
        /// The rule.
        rule: Rule,
        /// Its severity.
        severity: Severity,
        /// Why it is not allowed.
        explanation: String,
    },
    /// Patience ran out or the turn limit was reached.
    CutShort {
        /// Patience ran out (`true`) or too many turns (`false`).
        patience: bool,
    },
    /// The conversation ended.
    Ended {
        /// The ending node.
        ending: String,
        /// Its outcome.
        outcome: Outcome,
        /// The summary for the debrief.
        summary: Option<String>,
    },
}

/// A choice as shown to the trainee.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChoiceView {
    /// The choice id.
    pub id: String,
    /// 1-based option number among available choices (`None` when locked).
    pub number: Option<usize>,
    /// The line.
    pub text: String,
    /// Its tone tag.
    pub tone: Tone,
    /// Whether it can be chosen now.
    pub available: bool,
    /// Why not, for locked choices.
    pub locked_reason: Option<String>,
}

/// A violation as recorded in the result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ViolationRecord {
    /// The rule.
    pub rule: Rule,
    /// Its severity.
    pub severity: Severity,
    /// The turn it happened, 1-based.
    pub turn: u32,
    /// The choice id.
    pub choice: String,
}

/// One turn, as stored for the debrief.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TurnRecord {
    /// 1-based turn number.
    pub turn: u32,
    /// The debtor node the turn was taken at.
    pub node: String,
    /// The debtor's line the trainee answered.
    pub debtor: String,
    /// The choice id.
    pub choice: String,
    /// What the trainee said.
    pub said: String,
    /// How it measured up.
    pub judgement: TurnJudgement,
    /// Evidence ids gained.
    pub gained: Vec<String>,
    /// Mood before and after.
    pub mood: (i32, i32),
}

/// One turn of the debrief.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DebriefTurn {
    /// 1-based turn number.
    pub turn: u32,
    /// The node.
    pub node: String,
    /// The debtor's line.
    pub debtor: String,
    /// The choice id.
    pub choice: String,
    /// What the trainee said.
    pub said: String,
    /// Its tone tag.
    pub tone: Tone,
    /// Share of the best tone available, 0 to 100.
    pub tone_score: f64,
    /// Persistence: position between weakest and strongest available, 0 to 100 (`None` when
    /// every option was equal).
    pub persistence_score: Option<f64>,
    /// Evidence ids gained.
    pub evidence_gained: Vec<String>,
    /// Mood before and after.
    pub mood: (i32, i32),
    /// Authored feedback.
    pub feedback: String,
    /// The principle.
    pub principle: Option<String>,
    /// The course document (`000` to `004`); stored results from before the rename call it
    /// `seed`, and still load.
    #[serde(alias = "seed")]
    pub course: Option<String>,
    /// The violation, if any.
    pub violation: Option<Rule>,
    /// Whether this was the best alternative.
    pub was_best: bool,
    /// The best alternative, when another line was better.
    pub best_alternative: Option<Alternative>,
}

/// A better line the trainee could have said.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alternative {
    /// The choice id.
    pub choice: String,
    /// The line.
    pub text: String,
    /// Its tone tag.
    pub tone: Tone,
    /// Its feedback.
    pub feedback: String,
    /// Why the trainee could not say it, when only preparation would have unlocked it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked_reason: Option<String>,
}

/// One of the scenario's drawn truths as it fell in this play, revealed in the debrief.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DrawnTruth {
    /// The draw's id.
    pub id: String,
    /// What was in doubt.
    pub label: String,
    /// The variant that held.
    pub variant: String,
    /// What was true.
    pub text: String,
}

/// The scored result of a finished conversation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttemptResult {
    /// The scenario id.
    pub scenario: String,
    /// The seed.
    pub seed: u64,
    /// The locale tag.
    pub lang: String,
    /// The trainee's name as used in the dialogue.
    pub trainee: String,
    /// SHA-256 of the content played.
    pub content_hash: String,
    /// Preparation ids ticked.
    pub prepared: Vec<String>,
    /// The outcome.
    pub outcome: Outcome,
    /// The ending id.
    pub ending: String,
    /// The ending's summary.
    pub summary: Option<String>,
    /// Whether the attempt passed.
    pub passed: bool,
    /// The pass mark.
    pub pass_mark: u32,
    /// The scores.
    pub scores: Scores,
    /// Violations, in order.
    pub violations: Vec<ViolationRecord>,
    /// Evidence ids held at the end, in the scenario's order.
    pub evidence: Vec<String>,
    /// Evidence ids not gathered, in the scenario's order.
    pub evidence_missed: Vec<String>,
    /// Hidden truth ids uncovered.
    pub truths: Vec<String>,
    /// How the scenario's drawn truths fell in this play (empty when it has none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub drawn: Vec<DrawnTruth>,
    /// Trainee turns taken.
    pub turns: u32,
    /// Everything said.
    pub transcript: Vec<TranscriptEntry>,
    /// Per-turn review.
    pub debrief: Vec<DebriefTurn>,
}
