//! What the desk log says: every contact's result, every payment, promise and event, in words
//! for both locales. Notes hold facts (amounts, dates, kinds), never sentences, so a saved
//! campaign reads in either language.

use serde::{Deserialize, Serialize};

use super::action::{Addressees, Colleague, LetterKind, NextStep};
use crate::domain::content::model::{EventKind, Lever, Outcome};
use crate::domain::engine::format::{amount, date};
use crate::domain::text::Locale;

/// One fact for the log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "note", rename_all = "snake_case")]
pub enum Note {
    /// Nobody who decides answered.
    Unanswered,
    /// They have stopped answering calls and messages.
    WentSilent,
    /// The contact person has left; nobody who decides can be reached.
    NobodyThere,
    /// A promise to pay.
    Promised {
        /// Amount.
        amount: f64,
        /// Due date.
        due: String,
        /// Signed, stamped or written.
        written: bool,
    },
    /// A verbal promise confirmed in writing.
    ConfirmedInWriting {
        /// Amount.
        amount: f64,
        /// Due date.
        due: String,
    },
    /// They confirmed a standing promise.
    PromiseReaffirmed,
    /// They acknowledged the debt in writing.
    Acknowledged {
        /// Amount acknowledged.
        amount: f64,
    },
    /// They say they have no money until their own customer pays.
    NoCash,
    /// They put it off with an excuse.
    PutOff,
    /// They refuse to pay.
    Refused,
    /// They complain about part of the delivery and hold that part back.
    Disputes {
        /// Amount disputed.
        amount: f64,
    },
    /// A reminder message went out and was read.
    Reminded,
    /// An authored conversation was played.
    Conversation {
        /// The scenario id.
        scenario: String,
        /// How it ended.
        outcome: Outcome,
        /// Its score.
        score: f64,
        /// Whether it passed.
        passed: bool,
    },
    /// A letter went out by courier.
    LetterSent {
        /// Which.
        kind: LetterKind,
        /// To whom.
        #[serde(default, skip_serializing_if = "Addressees::is_default")]
        to: Addressees,
    },
    /// A reconciliation statement went out.
    ReconciliationSent,
    /// The statement came back signed and stamped.
    ReconciliationSigned {
        /// The disputed amount it settled.
        released: f64,
    },
    /// They would not sign it.
    ReconciliationRefused,
    /// A lever backfired: they took offence.
    Backfired {
        /// Which lever.
        lever: Lever,
    },
    /// The customer is lost.
    CustomerLost,
    /// The sales colleague helped.
    SalesHelped {
        /// The successor of a contact who left was found.
        successor: bool,
    },
    /// Your manager spoke to theirs.
    ManagerEscalated,
    /// The legal department's advice on the file.
    LegalAdvice {
        /// Whether the file is enough to act on.
        enough: bool,
    },
    /// Supply stopped.
    SupplyStopped,
    /// Handed over to the legal department.
    HandedOver,
    /// The legal department sent the file back: not enough evidence.
    LegalReturned,
    /// Recovered through the legal department.
    LegalRecovered {
        /// Amount.
        amount: f64,
    },
    /// The legal action came too late: nothing left to recover.
    LegalTooLate,
    /// A warning sign: the warehouse is being emptied.
    AssetsMoving,
    /// A malicious debtor's assets are gone.
    AssetsMoved,
    /// A payment arrived.
    Paid {
        /// Amount.
        amount: f64,
    },
    /// A promise was kept.
    PromiseKept {
        /// Amount.
        amount: f64,
    },
    /// A promise broke.
    PromiseBroken {
        /// Amount.
        amount: f64,
    },
    /// Something happened to the debtor.
    Event {
        /// What.
        kind: EventKind,
    },
    /// The after-contact log entry.
    Logged {
        /// Next step.
        next: NextStep,
        /// Its date.
        due: String,
    },
    /// Help from a colleague that changed nothing.
    ColleagueAsked {
        /// Whom.
        who: Colleague,
    },
    /// Breaking the law: a third contact in one day (harassment).
    Harassment,
    /// Breaking the law: telling the debtor's customers.
    ToTheirCustomers,
    /// The trainee left a conversation before it ended.
    LeftConversation {
        /// The scenario.
        scenario: String,
    },
    /// Breaking the law in a conversation.
    ConversationViolation {
        /// The scenario.
        scenario: String,
    },
}

fn money(v: f64, l: Locale) -> String {
    amount(v, "CNY", l)
}

fn lever_label(lever: Lever, l: Locale) -> &'static str {
    let (zh, en) = match lever {
        Lever::Reconciliation => ("对账", "the reconciliation"),
        Lever::Visit => ("上门", "the visit"),
        Lever::Letter => ("催款函", "the letter"),
        Lever::LegalLetter => ("律师函", "the legal letter"),
        Lever::Manager => ("领导出面", "the escalation"),
        Lever::Sales => ("销售出面", "the sales colleague"),
        Lever::StopSupply => ("停止供货", "the supply stop"),
    };
    l.pick(zh, en)
}

impl Note {
    /// The note in words.
    pub fn text(&self, l: Locale) -> String {
        let zh = l.interface() == Locale::ZhCn;
        match self {
            Note::Unanswered => l.pick("无人接听，没找到能拍板的人。", "No answer from anyone who decides.").into(),
            Note::WentSilent => l.pick("对方不再接电话、不回信息了。", "They have stopped answering calls and messages.").into(),
            Note::NobodyThere => l.pick("原对接人已离职，接电话的人说不清也做不了主。", "The contact has left; whoever answers knows nothing and decides nothing.").into(),
            Note::Promised { amount, due, written } => match (zh, written) {
                (true, true) => format!("对方书面承诺{}前付{}（签字盖章）。", date(due, l), money(*amount, l)),
                (true, false) => format!("对方口头答应{}前付{}。", date(due, l), money(*amount, l)),
                (false, true) => format!("Signed and stamped promise: {} by {}.", money(*amount, l), date(due, l)),
                (false, false) => format!("Verbal promise: {} by {}.", money(*amount, l), date(due, l)),
            },
            Note::ConfirmedInWriting { amount, due } => if zh {
                format!("对方在信息里书面确认：{}前付{}。", date(due, l), money(*amount, l))
            } else {
                format!("Confirmed in writing by message: {} by {}.", money(*amount, l), date(due, l))
            },
            Note::PromiseReaffirmed => l.pick("对方确认付款安排不变。", "They confirm the payment is still on schedule.").into(),
            Note::Acknowledged { amount } => if zh {
                format!("对方回信息确认欠款{}。", money(*amount, l))
            } else {
                format!("They replied confirming they owe {}.", money(*amount, l))
            },
            Note::NoCash => l.pick("对方说账上没钱，要等他们的客户回款。", "They say there is no cash until their own customer pays them.").into(),
            Note::PutOff => l.pick("对方推说再等等，没给具体日期。", "They put it off without a date.").into(),
            Note::Refused => l.pick("对方拒绝付款。", "They refuse to pay.").into(),
            Note::Disputes { amount } => if zh {
                format!("对方说部分货有问题，扣着{}不付。", money(*amount, l))
            } else {
                format!("They claim part of the delivery was faulty and hold back {}.", money(*amount, l))
            },
            Note::Reminded => l.pick("提醒信息已读。", "The reminder was read.").into(),
            Note::Conversation { scenario, outcome, score, passed } => format!(
                "{}「{}」：{}，{}{:.0}{}",
                l.pick("对话", "Conversation "),
                scenario,
                outcome.label(l),
                l.pick("得分", "score "),
                score,
                if *passed { l.pick("（合格）", " (passed)") } else { l.pick("（不合格）", " (not passed)") }
            ),
            Note::LetterSent { kind, to } => format!(
                "{}{}{}",
                l.pick("已快递寄出，留存快递回执：", "Sent by courier, receipt kept: "),
                kind.label(l),
                match to {
                    Addressees::DecisionMakers => "",
                    Addressees::ContactOnly => l.pick("（只寄给了对接人，老板和财务没有看到）", " (to your contact only: the boss and finance never saw it)"),
                }
            ),
            Note::ReconciliationSent => l.pick("对账单已寄出，请对方签字盖章寄回。", "Reconciliation statement sent for signature and stamp.").into(),
            Note::ReconciliationSigned { released } => if *released > 0.0 {
                if zh { format!("对账单签字盖章寄回；争议的{}对清了。", money(*released, l)) } else { format!("The statement came back signed and stamped; the disputed {} is settled.", money(*released, l)) }
            } else {
                l.pick("对账单签字盖章寄回。", "The statement came back signed and stamped.").into()
            },
            Note::ReconciliationRefused => l.pick("对方拒绝在对账单上盖章。", "They refuse to stamp the reconciliation statement.").into(),
            Note::Backfired { lever } => if zh {
                format!("{}适得其反：对方觉得被冒犯，关系变僵。", lever_label(*lever, l))
            } else {
                format!("{} backfired: they took offence and dug in.", capitalise(lever_label(*lever, l)))
            },
            Note::CustomerLost => l.pick("客户流失：对方表示不再合作。", "Customer lost: they will not order again.").into(),
            Note::SalesHelped { successor } => if *successor {
                l.pick("销售同事找到了接任的对接人。", "The sales colleague found the contact's successor.").into()
            } else {
                l.pick("销售同事出面沟通了一次。", "The sales colleague spoke to them.").into()
            },
            Note::ManagerEscalated => l.pick("部门经理与对方领导通了电话。", "Your manager spoke to their manager.").into(),
            Note::LegalAdvice { enough } => if *enough {
                l.pick("法务：证据够了，可以移交。", "Legal: the file is enough to act on.").into()
            } else {
                l.pick("法务：证据不足——需要盖章的对账单或书面确认，加上有回执的催款函。", "Legal: not enough — they need a stamped statement or a written acknowledgement, and a letter with a receipt.").into()
            },
            Note::SupplyStopped => l.pick("已暂停供货。", "Supply stopped.").into(),
            Note::HandedOver => l.pick("已移交法务部。", "Handed over to the legal department.").into(),
            Note::LegalReturned => l.pick("法务退回：证据不足，无法起诉。", "Legal sent the file back: not enough evidence to sue.").into(),
            Note::LegalRecovered { amount } => if zh {
                format!("法务追回{}。", money(*amount, l))
            } else {
                format!("Recovered through legal: {}.", money(*amount, l))
            },
            Note::LegalTooLate => l.pick("法务介入太晚：对方资产已转移，追不回来了。", "Legal came too late: the assets are gone."
            ).into(),
            Note::AssetsMoving => l.pick("销售听说对方仓库在往外拉货。", "Sales hears their warehouse is being emptied.").into(),
            Note::AssetsMoved => l.pick("对方资产已转移。", "Their assets have been moved.").into(),
            Note::Paid { amount } => if zh { format!("到账{}。", money(*amount, l)) } else { format!("Payment received: {}.", money(*amount, l)) },
            Note::PromiseKept { amount } => if zh { format!("承诺兑现，到账{}。", money(*amount, l)) } else { format!("Promise kept: {} received.", money(*amount, l)) },
            Note::PromiseBroken { amount } => if zh { format!("承诺的{}没有到账。", money(*amount, l)) } else { format!("The promised {} did not arrive.", money(*amount, l)) },
            Note::Event { kind } => match kind {
                EventKind::ClientPays => l.pick("对方的客户回款了，账上有钱了。", "Their own customer paid them: they have cash now.").into(),
                EventKind::CashShort => l.pick("对方资金紧张。", "Their cash has run short.").into(),
                EventKind::ContactLeaves => l.pick("对方的对接人离职了，没有交接。", "Their contact person left without a handover.").into(),
            },
            Note::Logged { next, due } => format!("{}{}（{}）", l.pick("跟进表：下一步", "Follow-up sheet: next, "), next.label(l), date(due, l)),
            Note::ColleagueAsked { who } => format!("{}{}", l.pick("求助：", "Asked "), who.label(l)),
            Note::Harassment => l.pick("一天内第三次联系同一客户：这是骚扰，属违法催收。", "A third contact with one customer in a day: that is harassment, unlawful collection.").into(),
            Note::ToTheirCustomers => l.pick("向对方的客户告知欠款：侵犯名誉、干扰经营，违法——法律优先于课程里“通过其客户施压”的说法。", "Telling their customers about the debt: defamation and interference with their business, unlawful — the law wins over the course's \"pressure through their customers\".").into(),
            Note::LeftConversation { scenario } => format!(
                "{}「{}」{}",
                l.pick("对话", "You left the conversation "),
                scenario,
                l.pick("中途挂断，没谈出结果；对方不太高兴。", " before it ended: no result, and they were not pleased.")
            ),
            Note::ConversationViolation { scenario } => format!("{}「{}」", l.pick("对话中违规：", "Broke the rules in the conversation "), scenario),
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}
