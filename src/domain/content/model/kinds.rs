//! The closed vocabularies of the content format: debtor types, channels, ageing stages,
//! difficulty, tones, outcomes, the rules a collector can break and their severity.

use serde::{Deserialize, Serialize};

/// The five kinds of debtor the course distinguishes (002 第一部份第二章; 004).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DebtorType {
    /// 便秘型: pays in the end, but only after much pushing.
    SlowPayer,
    /// 克扣型: looks for reasons to pay less.
    Deductor,
    /// 逃避型: cannot be reached, dodges.
    Evader,
    /// 欺骗型: lies, for example "we already paid".
    Deceiver,
    /// 非恶意欠款: real cash-flow trouble, approval delays, misread terms.
    NonMalicious,
}

impl DebtorType {
    /// Every debtor type, in the course's order.
    pub const ALL: [DebtorType; 5] = [
        DebtorType::SlowPayer,
        DebtorType::Deductor,
        DebtorType::Evader,
        DebtorType::Deceiver,
        DebtorType::NonMalicious,
    ];

    /// The snake_case name used in files and JSON.
    pub fn key(self) -> &'static str {
        match self {
            DebtorType::SlowPayer => "slow_payer",
            DebtorType::Deductor => "deductor",
            DebtorType::Evader => "evader",
            DebtorType::Deceiver => "deceiver",
            DebtorType::NonMalicious => "non_malicious",
        }
    }

    /// A label for the interface.
    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (DebtorType::SlowPayer, true) => "便秘型",
            (DebtorType::Deductor, true) => "克扣型",
            (DebtorType::Evader, true) => "逃避型",
            (DebtorType::Deceiver, true) => "欺骗型",
            (DebtorType::NonMalicious, true) => "非恶意欠款",
            (DebtorType::SlowPayer, false) => "Slow payer",
            (DebtorType::Deductor, false) => "Deductor",
            (DebtorType::Evader, false) => "Evader",
            (DebtorType::Deceiver, false) => "Deceiver",
            (DebtorType::NonMalicious, false) => "Non-malicious",
        }
    }
}

/// How the trainee reaches the debtor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 电话催款: a phone call.
    Phone,
    /// 上门催款: an in-person visit.
    Visit,
}

impl Channel {
    /// The snake_case name used in files and JSON.
    pub fn key(self) -> &'static str {
        match self {
            Channel::Phone => "phone",
            Channel::Visit => "visit",
        }
    }

    /// A label for the interface.
    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Channel::Phone, true) => "电话催款",
            (Channel::Visit, true) => "上门拜访",
            (Channel::Phone, false) => "Phone call",
            (Channel::Visit, false) => "Office visit",
        }
    }
}

/// The debt-ageing ladder (002 第二部份第一章): the debtor's mindset changes with age.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DebtStage {
    /// A few days before the due date: a courtesy reminder.
    BeforeDue,
    /// A few days overdue.
    DaysOverdue,
    /// About one month overdue.
    OneMonth,
    /// About three months overdue.
    ThreeMonths,
    /// About six months overdue.
    SixMonths,
    /// A year or more overdue.
    OneYear,
}

impl DebtStage {
    /// Every stage, youngest first.
    pub const ALL: [DebtStage; 6] = [
        DebtStage::BeforeDue,
        DebtStage::DaysOverdue,
        DebtStage::OneMonth,
        DebtStage::ThreeMonths,
        DebtStage::SixMonths,
        DebtStage::OneYear,
    ];

    /// The snake_case name used in files and JSON.
    pub fn key(self) -> &'static str {
        match self {
            DebtStage::BeforeDue => "before_due",
            DebtStage::DaysOverdue => "days_overdue",
            DebtStage::OneMonth => "one_month",
            DebtStage::ThreeMonths => "three_months",
            DebtStage::SixMonths => "six_months",
            DebtStage::OneYear => "one_year",
        }
    }

    /// A label for the interface.
    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (DebtStage::BeforeDue, true) => "到期前提醒",
            (DebtStage::DaysOverdue, true) => "逾期数日",
            (DebtStage::OneMonth, true) => "逾期1个月",
            (DebtStage::ThreeMonths, true) => "逾期3个月",
            (DebtStage::SixMonths, true) => "逾期6个月",
            (DebtStage::OneYear, true) => "逾期1年以上",
            (DebtStage::BeforeDue, false) => "Before due date",
            (DebtStage::DaysOverdue, false) => "A few days overdue",
            (DebtStage::OneMonth, false) => "1 month overdue",
            (DebtStage::ThreeMonths, false) => "3 months overdue",
            (DebtStage::SixMonths, false) => "6 months overdue",
            (DebtStage::OneYear, false) => "1 year+ overdue",
        }
    }
}

/// How hard the scenario is for a new collector.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Difficulty {
    /// First week on the job.
    Easy,
    /// Needs the trained answers to the classic excuses.
    Medium,
    /// A seasoned evader or deceiver; little patience.
    Hard,
}

impl Difficulty {
    /// The snake_case name used in files and JSON.
    pub fn key(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Medium => "medium",
            Difficulty::Hard => "hard",
        }
    }

    /// A label for the interface.
    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Difficulty::Easy, true) => "入门",
            (Difficulty::Medium, true) => "进阶",
            (Difficulty::Hard, true) => "高难",
            (Difficulty::Easy, false) => "Easy",
            (Difficulty::Medium, false) => "Medium",
            (Difficulty::Hard, false) => "Hard",
        }
    }
}

/// The tone of a trainee's line: the tone axis is scored from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    /// 礼貌而又坚定: polite and firm, the course's ideal.
    CourteousFirm,
    /// Polite but yielding.
    CourteousSoft,
    /// Matter-of-fact.
    Neutral,
    /// Unclear, no concrete ask.
    Vague,
    /// Begging rather than asking.
    Pleading,
    /// Irritated, rushing the debtor.
    Impatient,
    /// Hostile pressure.
    Aggressive,
    /// Insulting or humiliating the debtor.
    Insulting,
    /// Threatening the debtor.
    Threatening,
    /// Saying something untrue.
    Deceptive,
}

impl Tone {
    /// Every tone tag.
    pub const ALL: [Tone; 10] = [
        Tone::CourteousFirm,
        Tone::CourteousSoft,
        Tone::Neutral,
        Tone::Vague,
        Tone::Pleading,
        Tone::Impatient,
        Tone::Aggressive,
        Tone::Insulting,
        Tone::Threatening,
        Tone::Deceptive,
    ];

    /// The snake_case name used in files and JSON.
    pub fn key(self) -> &'static str {
        match self {
            Tone::CourteousFirm => "courteous_firm",
            Tone::CourteousSoft => "courteous_soft",
            Tone::Neutral => "neutral",
            Tone::Vague => "vague",
            Tone::Pleading => "pleading",
            Tone::Impatient => "impatient",
            Tone::Aggressive => "aggressive",
            Tone::Insulting => "insulting",
            Tone::Threatening => "threatening",
            Tone::Deceptive => "deceptive",
        }
    }

    /// A label for the interface.
    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Tone::CourteousFirm, true) => "礼貌坚定",
            (Tone::CourteousSoft, true) => "礼貌退让",
            (Tone::Neutral, true) => "中性",
            (Tone::Vague, true) => "含糊",
            (Tone::Pleading, true) => "央求",
            (Tone::Impatient, true) => "不耐烦",
            (Tone::Aggressive, true) => "咄咄逼人",
            (Tone::Insulting, true) => "辱骂",
            (Tone::Threatening, true) => "威胁",
            (Tone::Deceptive, true) => "欺瞒",
            (Tone::CourteousFirm, false) => "Courteous & firm",
            (Tone::CourteousSoft, false) => "Courteous & soft",
            (Tone::Neutral, false) => "Neutral",
            (Tone::Vague, false) => "Vague",
            (Tone::Pleading, false) => "Pleading",
            (Tone::Impatient, false) => "Impatient",
            (Tone::Aggressive, false) => "Aggressive",
            (Tone::Insulting, false) => "Insulting",
            (Tone::Threatening, false) => "Threatening",
            (Tone::Deceptive, false) => "Deceptive",
        }
    }
}

/// How a conversation ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Paid in full (or the transfer is verified in progress).
    Paid,
    /// A written, signed and stamped payment promise.
    WrittenPromise,
    /// An agreed instalment plan with dates.
    InstalmentPlan,
    /// A promise by word only: not a payment, weak evidence.
    VerbalPromise,
    /// Part paid now, the rest agreed.
    PartialPayment,
    /// Handed on: to a manager, the legal department, a letter.
    Escalated,
    /// The debtor refuses.
    Refused,
    /// The debtor hung up or showed the trainee out.
    HungUp,
    /// The conversation ended because the trainee broke the rules.
    Violation,
}

impl Outcome {
    /// Every outcome kind.
    pub const ALL: [Outcome; 9] = [
        Outcome::Paid,
        Outcome::WrittenPromise,
        Outcome::InstalmentPlan,
        Outcome::VerbalPromise,
        Outcome::PartialPayment,
        Outcome::Escalated,
        Outcome::Refused,
        Outcome::HungUp,
        Outcome::Violation,
    ];

    /// The snake_case name used in files and JSON.
    pub fn key(self) -> &'static str {
        match self {
            Outcome::Paid => "paid",
            Outcome::WrittenPromise => "written_promise",
            Outcome::InstalmentPlan => "instalment_plan",
            Outcome::VerbalPromise => "verbal_promise",
            Outcome::PartialPayment => "partial_payment",
            Outcome::Escalated => "escalated",
            Outcome::Refused => "refused",
            Outcome::HungUp => "hung_up",
            Outcome::Violation => "violation",
        }
    }

    /// A label for the interface.
    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Outcome::Paid, true) => "全额回款",
            (Outcome::WrittenPromise, true) => "书面还款承诺",
            (Outcome::InstalmentPlan, true) => "分期还款计划",
            (Outcome::VerbalPromise, true) => "口头承诺",
            (Outcome::PartialPayment, true) => "部分回款",
            (Outcome::Escalated, true) => "升级处理",
            (Outcome::Refused, true) => "对方拒付",
            (Outcome::HungUp, true) => "对方挂断",
            (Outcome::Violation, true) => "违规终止",
            (Outcome::Paid, false) => "Paid",
            (Outcome::WrittenPromise, false) => "Written promise",
            (Outcome::InstalmentPlan, false) => "Instalment plan",
            (Outcome::VerbalPromise, false) => "Verbal promise",
            (Outcome::PartialPayment, false) => "Partial payment",
            (Outcome::Escalated, false) => "Escalated",
            (Outcome::Refused, false) => "Refused",
            (Outcome::HungUp, false) => "Hung up",
            (Outcome::Violation, false) => "Violation",
        }
    }
}

/// The rules a collector can break (002 第四章第三节 催款方式合法, and the course's conduct).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// 威胁: threatening the debtor or their family, business or safety.
    Threat,
    /// 辱骂: swearing at or insulting the debtor.
    Insult,
    /// 侮辱: humiliating the debtor, in private or in front of others.
    Humiliation,
    /// 诽谤: spreading false, damaging statements about the debtor.
    Defamation,
    /// Claiming legal action that has not been taken, or that the law does not allow.
    FalseLegalClaim,
    /// Telling people with no part in the debt about it to shame the debtor.
    ThirdPartyDisclosure,
    /// 发脾气: losing one's temper.
    LostTemper,
    /// 伪造证据: fabricating or doctoring evidence.
    FabricatedEvidence,
    /// 非法拘禁: keeping someone from leaving.
    IllegalDetention,
    /// 故意伤害: violence against a person.
    Assault,
    /// 私闯民宅: entering a home or premises by force.
    Trespass,
    /// 强行拿物抵债: taking goods as payment.
    SeizingGoods,
    /// Offering a concession (discount, waived penalty) the company has not approved.
    UnauthorisedConcession,
    /// Misleading the debtor about facts.
    Misrepresentation,
}

impl Rule {
    /// Every rule, in catalogue order.
    pub const ALL: [Rule; 14] = [
        Rule::Threat,
        Rule::Insult,
        Rule::Humiliation,
        Rule::Defamation,
        Rule::FalseLegalClaim,
        Rule::ThirdPartyDisclosure,
        Rule::LostTemper,
        Rule::FabricatedEvidence,
        Rule::IllegalDetention,
        Rule::Assault,
        Rule::Trespass,
        Rule::SeizingGoods,
        Rule::UnauthorisedConcession,
        Rule::Misrepresentation,
    ];

    /// The snake_case name used in files and JSON.
    pub fn key(self) -> &'static str {
        match self {
            Rule::Threat => "threat",
            Rule::Insult => "insult",
            Rule::Humiliation => "humiliation",
            Rule::Defamation => "defamation",
            Rule::FalseLegalClaim => "false_legal_claim",
            Rule::ThirdPartyDisclosure => "third_party_disclosure",
            Rule::LostTemper => "lost_temper",
            Rule::FabricatedEvidence => "fabricated_evidence",
            Rule::IllegalDetention => "illegal_detention",
            Rule::Assault => "assault",
            Rule::Trespass => "trespass",
            Rule::SeizingGoods => "seizing_goods",
            Rule::UnauthorisedConcession => "unauthorised_concession",
            Rule::Misrepresentation => "misrepresentation",
        }
    }

    /// Prohibited conduct: the course makes these an automatic fail, so they must be blockers.
    pub fn is_prohibited_conduct(self) -> bool {
        !matches!(self, Rule::UnauthorisedConcession | Rule::Misrepresentation)
    }

    /// A label for the interface.
    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Rule::Threat, true) => "威胁恐吓",
            (Rule::Insult, true) => "辱骂",
            (Rule::Humiliation, true) => "侮辱羞辱",
            (Rule::Defamation, true) => "诽谤",
            (Rule::FalseLegalClaim, true) => "虚假的法律恐吓",
            (Rule::ThirdPartyDisclosure, true) => "向无关第三方泄露欠款",
            (Rule::LostTemper, true) => "失控发脾气",
            (Rule::FabricatedEvidence, true) => "伪造证据",
            (Rule::IllegalDetention, true) => "非法拘禁",
            (Rule::Assault, true) => "故意伤害",
            (Rule::Trespass, true) => "私闯民宅",
            (Rule::SeizingGoods, true) => "强行拿物抵债",
            (Rule::UnauthorisedConcession, true) => "擅自让利",
            (Rule::Misrepresentation, true) => "误导对方",
            (Rule::Threat, false) => "Threats",
            (Rule::Insult, false) => "Insults",
            (Rule::Humiliation, false) => "Humiliation",
            (Rule::Defamation, false) => "Defamation",
            (Rule::FalseLegalClaim, false) => "False legal threat",
            (Rule::ThirdPartyDisclosure, false) => "Disclosure to third parties",
            (Rule::LostTemper, false) => "Losing one's temper",
            (Rule::FabricatedEvidence, false) => "Fabricated evidence",
            (Rule::IllegalDetention, false) => "Illegal detention",
            (Rule::Assault, false) => "Assault",
            (Rule::Trespass, false) => "Trespass",
            (Rule::SeizingGoods, false) => "Seizing goods",
            (Rule::UnauthorisedConcession, false) => "Unauthorised concession",
            (Rule::Misrepresentation, false) => "Misrepresentation",
        }
    }
}

/// How serious a violation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Fails the attempt whatever the score.
    Blocker,
    /// Costs 15 points of the overall score.
    Major,
    /// Costs 5 points of the overall score.
    Minor,
}

impl Severity {
    /// Points taken off the overall score (a blocker fails outright instead).
    pub fn penalty(self) -> f64 {
        match self {
            Severity::Blocker => 0.0,
            Severity::Major => 15.0,
            Severity::Minor => 5.0,
        }
    }

    /// A label for the interface.
    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Severity::Blocker, true) => "直接判为不通过",
            (Severity::Major, true) => "扣15分",
            (Severity::Minor, true) => "扣5分",
            (Severity::Blocker, false) => "fails the attempt",
            (Severity::Major, false) => "−15 points",
            (Severity::Minor, false) => "−5 points",
        }
    }

    /// The snake_case name used in files and JSON.
    pub fn key(self) -> &'static str {
        match self {
            Severity::Blocker => "blocker",
            Severity::Major => "major",
            Severity::Minor => "minor",
        }
    }
}
