//! The syllabus: the course topics scenarios are tagged with and quiz questions belong to.
//!
//! Drawn from ../shared/domain.md (the digest of the five course documents). Scenario `tags`
//! and quiz `topic`s must name one of these ids; the coverage table in `dialogues/README.md`
//! maps each topic to the scenarios that teach it.

/// One syllabus topic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Topic {
    /// Stable id used in content files.
    pub id: &'static str,
    /// Chinese name.
    pub zh: &'static str,
    /// English name.
    pub en: &'static str,
    /// The course document that teaches it.
    pub course: &'static str,
    /// Whether a scenario must teach it (the coverage test checks these).
    pub needs_scenario: bool,
}

const fn t(
    id: &'static str,
    zh: &'static str,
    en: &'static str,
    course: &'static str,
    needs_scenario: bool,
) -> Topic {
    Topic {
        id,
        zh,
        en,
        course,
        needs_scenario,
    }
}

/// Every topic, in teaching order.
pub const TOPICS: &[Topic] = &[
    t(
        "why_customers_owe",
        "客户为什么欠款",
        "Why customers owe",
        "002",
        false,
    ),
    t(
        "core_beliefs",
        "催款的基本理念",
        "Core beliefs of collection",
        "001",
        false,
    ),
    t(
        "excuse_already_paid",
        "托词：货款已经汇了",
        "Excuse: we already wired it",
        "001",
        true,
    ),
    t(
        "excuse_finance_away",
        "托词：财务或老板出差了",
        "Excuse: finance (or the boss) is away",
        "001",
        true,
    ),
    t(
        "excuse_triangle_debt",
        "托词：在等甲方付款（三角债）",
        "Excuse: waiting for our own client (triangle debt)",
        "001",
        true,
    ),
    t(
        "excuse_quality_dispute",
        "托词：质量、型号或数量有问题",
        "Excuse: quality, wrong model or quantity",
        "001",
        true,
    ),
    t(
        "excuse_no_money",
        "托词：现在没有钱",
        "Excuse: we have no money",
        "001",
        true,
    ),
    t("type_slow_payer", "便秘型客户", "Slow payer", "002", true),
    t("type_deductor", "克扣型客户", "Deductor", "002", true),
    t("type_evader", "逃避型客户", "Evader", "002", true),
    t("type_deceiver", "欺骗型客户", "Deceiver", "002", true),
    t(
        "type_non_malicious",
        "非恶意欠款",
        "Non-malicious debtor",
        "004",
        true,
    ),
    t(
        "ageing_before_due",
        "到期前提醒",
        "Courtesy reminder before the due date",
        "002",
        true,
    ),
    t(
        "ageing_days_overdue",
        "逾期数日",
        "A few days overdue",
        "002",
        true,
    ),
    t(
        "ageing_one_month",
        "逾期1个月",
        "One month overdue",
        "002",
        true,
    ),
    t(
        "ageing_three_months",
        "逾期3个月",
        "Three months overdue",
        "002",
        true,
    ),
    t(
        "ageing_six_months",
        "逾期6个月",
        "Six months overdue",
        "002",
        true,
    ),
    t(
        "ageing_one_year",
        "逾期1年以上",
        "A year or more overdue",
        "002",
        true,
    ),
    t(
        "reconciliation",
        "先对账再催款",
        "Reconcile the accounts first",
        "001",
        true,
    ),
    t(
        "preparation",
        "催款前的准备清单",
        "The pre-call preparation checklist",
        "001",
        true,
    ),
    t(
        "decision_maker",
        "找到能拍板付款的人",
        "Finding the person who can decide and pay",
        "002",
        true,
    ),
    t(
        "contact_left",
        "对接人离职、账目未交接",
        "A contact who left with no handover",
        "000",
        true,
    ),
    t(
        "approval_chain",
        "大公司的付款流程与审批链",
        "A large company's payment process and approval chain",
        "000",
        true,
    ),
    t(
        "phone_conduct",
        "电话催款的注意事项",
        "Phone-call conduct",
        "001",
        true,
    ),
    t(
        "visit_preparation",
        "上门催款的准备",
        "Preparing a visit",
        "002",
        true,
    ),
    t(
        "written_promise",
        "书面、签字盖章的还款承诺",
        "A written, signed and stamped payment promise",
        "002",
        true,
    ),
    t(
        "premises_reading",
        "上门判断对方是否真的没钱",
        "Reading the premises: can they really not pay?",
        "002",
        true,
    ),
    t(
        "evidence_recorded_call",
        "录音证据：确认身份、金额与到期日",
        "Recorded-call evidence: identities, amount, due date",
        "002",
        true,
    ),
    t(
        "evidence_remittance",
        "汇款凭证的细节",
        "Remittance slip details",
        "001",
        true,
    ),
    t(
        "evidence_reconciliation",
        "对账单：全称、公章与授权签字",
        "Reconciliation statements: full name, stamp, authorised signer",
        "002",
        true,
    ),
    t(
        "collection_letters",
        "三封催款函",
        "The three collection letters",
        "002",
        false,
    ),
    t(
        "rhythm_persistence",
        "催款节奏与坚持",
        "Rhythm and persistence",
        "002",
        true,
    ),
    t(
        "persuasion",
        "说服的角度",
        "Persuasion angles",
        "002",
        false,
    ),
    t(
        "partial_recovery",
        "无法全额回款时的处理",
        "When the debt cannot be fully recovered",
        "004",
        true,
    ),
    t(
        "exchange_discount_sympathy",
        "交换、优惠与悲情策略",
        "Exchange, discount and sympathy strategies",
        "004",
        true,
    ),
    t(
        "penalties",
        "欠款惩戒措施",
        "Penalties for non-payment",
        "004",
        false,
    ),
    t(
        "escalation",
        "向上汇报与升级处理",
        "Reporting upward and escalating",
        "001",
        true,
    ),
    t(
        "prohibited_conduct",
        "合法催款：禁止的行为",
        "Lawful collection: prohibited conduct",
        "002",
        true,
    ),
    t(
        "limitation_period",
        "诉讼时效",
        "The limitation period",
        "002",
        false,
    ),
    t(
        "legal_handover",
        "移交法务：支付令、财产保全与强制执行",
        "Handing over to legal: payment order, asset preservation, enforcement",
        "003",
        true,
    ),
];

/// The topic with this id.
pub fn topic(id: &str) -> Option<&'static Topic> {
    TOPICS.iter().find(|t| t.id == id)
}

/// The coverage table (Markdown): each topic, the course document, and the scenarios tagged
/// with it. `scenarios` are `(id, tags)` pairs; rows list scenario ids in sorted order.
pub fn coverage_table<'a>(scenarios: impl IntoIterator<Item = (&'a str, &'a [String])>) -> String {
    let scenarios: Vec<(&str, &[String])> = scenarios.into_iter().collect();
    let mut out = String::from(
        "| topic id | 中文 | English | course document | scenarios that teach it |\n|---|---|---|---|---|\n",
    );
    for t in TOPICS {
        let mut ids: Vec<&str> = scenarios
            .iter()
            .filter(|(_, tags)| tags.iter().any(|g| g == t.id))
            .map(|(id, _)| *id)
            .collect();
        ids.sort_unstable();
        let taught = if ids.is_empty() {
            if t.needs_scenario {
                "**none yet**".to_owned()
            } else {
                "(quiz only)".to_owned()
            }
        } else {
            ids.iter()
                .map(|i| format!("`{i}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {taught} |\n",
            t.id, t.zh, t.en, t.course
        ));
    }
    out
}

/// Topics that need a scenario but have none among `scenarios`.
pub fn uncovered<'a>(
    scenarios: impl IntoIterator<Item = (&'a str, &'a [String])>,
) -> Vec<&'static str> {
    let scenarios: Vec<(&str, &[String])> = scenarios.into_iter().collect();
    TOPICS
        .iter()
        .filter(|t| t.needs_scenario)
        .filter(|t| {
            !scenarios
                .iter()
                .any(|(_, tags)| tags.iter().any(|g| g == t.id))
        })
        .map(|t| t.id)
        .collect()
}

/// Every topic id, for suggestions.
pub fn ids() -> Vec<&'static str> {
    TOPICS.iter().map(|t| t.id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::content::model::is_known_course;

    #[test]
    fn topic_ids_are_unique_and_cite_known_courses() {
        let mut ids = ids();
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate topic id");
        assert!(TOPICS.iter().all(|t| is_known_course(t.course)));
        assert!(topic("excuse_no_money").is_some());
    }
}
