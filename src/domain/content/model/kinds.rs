//! The closed vocabularies of the content format: debtor types, channels, ageing stages,
//! difficulty, tones, outcomes, the rules a collector can break and their severity.

use serde::{Deserialize, Serialize};

use crate::domain::text::Locale;

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
    pub fn label(self, locale: Locale) -> &'static str {
        let (zh, en) = match self {
            DebtorType::SlowPayer => ("便秘型", "Slow payer"),
            DebtorType::Deductor => ("克扣型", "Deductor"),
            DebtorType::Evader => ("逃避型", "Evader"),
            DebtorType::Deceiver => ("欺骗型", "Deceiver"),
            DebtorType::NonMalicious => ("非恶意欠款", "Non-malicious"),
        };
        locale.pick(zh, en)
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
    pub fn label(self, locale: Locale) -> &'static str {
        let (zh, en) = match self {
            Channel::Phone => ("电话催款", "Phone call"),
            Channel::Visit => ("上门拜访", "Office visit"),
        };
        locale.pick(zh, en)
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
    pub fn label(self, locale: Locale) -> &'static str {
        let (zh, en) = match self {
            DebtStage::BeforeDue => ("到期前提醒", "Before due date"),
            DebtStage::DaysOverdue => ("逾期数日", "A few days overdue"),
            DebtStage::OneMonth => ("逾期1个月", "1 month overdue"),
            DebtStage::ThreeMonths => ("逾期3个月", "3 months overdue"),
            DebtStage::SixMonths => ("逾期6个月", "6 months overdue"),
            DebtStage::OneYear => ("逾期1年以上", "1 year+ overdue"),
        };
        locale.pick(zh, en)
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
    pub fn label(self, locale: Locale) -> &'static str {
        let (zh, en) = match self {
            Difficulty::Easy => ("入门", "Easy"),
            Difficulty::Medium => ("进阶", "Medium"),
            Difficulty::Hard => ("高难", "Hard"),
        };
        locale.pick(zh, en)
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
    pub fn label(self, locale: Locale) -> &'static str {
        let (zh, en) = match self {
            Tone::CourteousFirm => ("礼貌坚定", "Courteous & firm"),
            Tone::CourteousSoft => ("礼貌退让", "Courteous & soft"),
            Tone::Neutral => ("中性", "Neutral"),
            Tone::Vague => ("含糊", "Vague"),
            Tone::Pleading => ("央求", "Pleading"),
            Tone::Impatient => ("不耐烦", "Impatient"),
            Tone::Aggressive => ("咄咄逼人", "Aggressive"),
            Tone::Insulting => ("辱骂", "Insulting"),
            Tone::Threatening => ("威胁", "Threatening"),
            Tone::Deceptive => ("欺瞒", "Deceptive"),
        };
        locale.pick(zh, en)
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
    pub fn label(self, locale: Locale) -> &'static str {
        let (zh, en) = match self {
            Outcome::Paid => ("全额回款", "Paid"),
            Outcome::WrittenPromise => ("书面还款承诺", "Written promise"),
            Outcome::InstalmentPlan => ("分期还款计划", "Instalment plan"),
            Outcome::VerbalPromise => ("口头承诺", "Verbal promise"),
            Outcome::PartialPayment => ("部分回款", "Partial payment"),
            Outcome::Escalated => ("升级处理", "Escalated"),
            Outcome::Refused => ("对方拒付", "Refused"),
            Outcome::HungUp => ("对方挂断", "Hung up"),
            Outcome::Violation => ("违规终止", "Violation"),
        };
        locale.pick(zh, en)
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
    pub fn label(self, locale: Locale) -> &'static str {
        let (zh, en) = match self {
            Rule::Threat => ("威胁恐吓", "Threats"),
            Rule::Insult => ("辱骂", "Insults"),
            Rule::Humiliation => ("侮辱羞辱", "Humiliation"),
            Rule::Defamation => ("诽谤", "Defamation"),
            Rule::FalseLegalClaim => ("虚假的法律恐吓", "False legal threat"),
            Rule::ThirdPartyDisclosure => ("向无关第三方泄露欠款", "Disclosure to third parties"),
            Rule::LostTemper => ("失控发脾气", "Losing one's temper"),
            Rule::FabricatedEvidence => ("伪造证据", "Fabricated evidence"),
            Rule::IllegalDetention => ("非法拘禁", "Illegal detention"),
            Rule::Assault => ("故意伤害", "Assault"),
            Rule::Trespass => ("私闯民宅", "Trespass"),
            Rule::SeizingGoods => ("强行拿物抵债", "Seizing goods"),
            Rule::UnauthorisedConcession => ("擅自让利", "Unauthorised concession"),
            Rule::Misrepresentation => ("误导对方", "Misrepresentation"),
        };
        locale.pick(zh, en)
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
    pub fn label(self, locale: Locale) -> &'static str {
        let (zh, en) = match self {
            Severity::Blocker => ("直接判为不通过", "fails the attempt"),
            Severity::Major => ("扣15分", "−15 points"),
            Severity::Minor => ("扣5分", "−5 points"),
        };
        locale.pick(zh, en)
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
