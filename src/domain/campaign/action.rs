//! What a collector can do in a working day, what each costs in minutes, and its words.

use serde::{Deserialize, Serialize};

use crate::domain::text::Locale;

/// One thing done at the desk. In JSON: `{"do": "call", "account": "lianjun"}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// A phone call (plays an authored conversation when there is one for this stage).
    Call {
        /// The account id.
        account: String,
    },
    /// A WeChat, SMS or email message.
    Message {
        /// The account id.
        account: String,
        /// Which channel.
        channel: MessageChannel,
    },
    /// A collection letter sent by courier (the receipt is kept).
    Letter {
        /// The account id.
        account: String,
        /// Which letter.
        kind: LetterKind,
        /// To whom (left out in JSON: to those who decide).
        #[serde(default, skip_serializing_if = "Addressees::is_default")]
        to: Addressees,
    },
    /// A visit in person: half a day (plays an authored visit when there is one).
    Visit {
        /// The account id.
        account: String,
    },
    /// Send a reconciliation statement for them to sign and stamp.
    Reconcile {
        /// The account id.
        account: String,
    },
    /// Ask a colleague for help with the account.
    Colleague {
        /// The account id.
        account: String,
        /// Whom to ask.
        who: Colleague,
    },
    /// Stop supplying the customer until they pay.
    StopSupply {
        /// The account id.
        account: String,
    },
    /// Hand the account over to the legal department.
    HandOver {
        /// The account id.
        account: String,
    },
    /// The after-contact entry on the AR follow-up sheet: what was agreed, the next step and
    /// when.
    Log {
        /// The account id.
        account: String,
        /// The next step.
        next: NextStep,
        /// In how many working days (1–10).
        in_days: u32,
    },
    /// End the working day: the world moves.
    EndDay,
}

/// The channels of a written message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageChannel {
    /// WeChat.
    Wechat,
    /// A text message.
    Sms,
    /// Email.
    Email,
}

/// The collection letters of the course (002 第三章 第一节), and one the law forbids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LetterKind {
    /// The first letter: before the due date, from customer service, to several people.
    Reminder,
    /// The second: within 15 days overdue, from finance.
    Overdue,
    /// The third: within 30 days overdue, from the legal department.
    Legal,
    /// A letter to the debtor's own customers telling them of the debt. The course suggests
    /// "pressure through their customers"; the law forbids it (defamation, interfering with
    /// their business), and the law wins: sending it fails the campaign.
    TheirCustomers,
}

/// Who a letter goes to. The course sends the first letter "to several people" (002 第三章:
/// the debtor, the guarantor and others concerned) and says to deal only with people who decide:
/// a letter only the clerk you deal with reads moves nobody who can pay.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Addressees {
    /// The boss (the legal representative), finance and your contact, each by name.
    #[default]
    DecisionMakers,
    /// Only the person you deal with.
    ContactOnly,
}

impl Addressees {
    /// Whether this is the default (left out of JSON).
    pub fn is_default(&self) -> bool {
        *self == Addressees::default()
    }

    /// A label for the interface.
    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            Addressees::DecisionMakers => locale.pick(
                "寄给老板、财务和对接人",
                "to the boss, finance and your contact",
            ),
            Addressees::ContactOnly => locale.pick("只寄给对接人", "to your contact only"),
        }
    }
}

/// Colleagues who can help.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Colleague {
    /// The salesperson who owns the relationship.
    Sales,
    /// Your manager, to speak to their manager.
    Manager,
    /// The legal department, for advice on the file.
    Legal,
}

/// The next step written in the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NextStep {
    /// Call again.
    Call,
    /// Send a message.
    Message,
    /// Visit.
    Visit,
    /// Send a letter.
    Letter,
    /// Check that the promised payment arrived.
    CheckPayment,
}

impl NextStep {
    /// Every next step, in menu order.
    pub const ALL: [NextStep; 5] = [
        NextStep::Call,
        NextStep::Message,
        NextStep::Visit,
        NextStep::Letter,
        NextStep::CheckPayment,
    ];

    /// A label for the interface.
    pub fn label(self, locale: Locale) -> &'static str {
        let (zh, en) = match self {
            NextStep::Call => ("再打电话", "call again"),
            NextStep::Message => ("发信息", "send a message"),
            NextStep::Visit => ("上门拜访", "visit"),
            NextStep::Letter => ("寄催款函", "send a letter"),
            NextStep::CheckPayment => ("核对到账", "check the payment arrived"),
        };
        locale.pick(zh, en)
    }
}

impl LetterKind {
    /// Every letter, in the course's order.
    pub const ALL: [LetterKind; 4] = [
        LetterKind::Reminder,
        LetterKind::Overdue,
        LetterKind::Legal,
        LetterKind::TheirCustomers,
    ];

    /// A label for the interface.
    pub fn label(self, locale: Locale) -> &'static str {
        let (zh, en) = match self {
            LetterKind::Reminder => (
                "第一封：到期提醒函（客服部）",
                "1st: reminder (customer service)",
            ),
            LetterKind::Overdue => (
                "第二封：逾期催款函（财务部）",
                "2nd: overdue notice (finance)",
            ),
            LetterKind::Legal => (
                "第三封：律师函（法务部）",
                "3rd: legal letter (legal department)",
            ),
            LetterKind::TheirCustomers => ("致对方客户的告知函", "A letter to their customers"),
        };
        locale.pick(zh, en)
    }
}

impl MessageChannel {
    /// Every channel.
    pub const ALL: [MessageChannel; 3] = [
        MessageChannel::Wechat,
        MessageChannel::Sms,
        MessageChannel::Email,
    ];

    /// A label for the interface.
    pub fn label(self, locale: Locale) -> &'static str {
        let (zh, en) = match self {
            MessageChannel::Wechat => ("微信", "WeChat"),
            MessageChannel::Sms => ("短信", "SMS"),
            MessageChannel::Email => ("邮件", "email"),
        };
        locale.pick(zh, en)
    }
}

impl Colleague {
    /// Every colleague.
    pub const ALL: [Colleague; 3] = [Colleague::Sales, Colleague::Manager, Colleague::Legal];

    /// A label for the interface.
    pub fn label(self, locale: Locale) -> &'static str {
        let (zh, en) = match self {
            Colleague::Sales => ("销售同事", "the sales colleague"),
            Colleague::Manager => (
                "部门经理（对接对方领导）",
                "your manager (to their manager)",
            ),
            Colleague::Legal => ("法务部（咨询证据）", "legal (advice on the file)"),
        };
        locale.pick(zh, en)
    }
}

impl Action {
    /// Minutes of the working day the action takes.
    pub fn minutes(&self) -> u32 {
        match self {
            Action::Call { .. } => 30,
            Action::Message { .. } => 15,
            Action::Letter { .. } => 60,
            Action::Visit { .. } => 240,
            Action::Reconcile { .. } => 60,
            Action::Colleague { .. } => 30,
            Action::StopSupply { .. } => 30,
            Action::HandOver { .. } => 120,
            Action::Log { .. } => 10,
            Action::EndDay => 0,
        }
    }

    /// The account the action concerns.
    pub fn account(&self) -> Option<&str> {
        match self {
            Action::Call { account }
            | Action::Message { account, .. }
            | Action::Letter { account, .. }
            | Action::Visit { account }
            | Action::Reconcile { account }
            | Action::Colleague { account, .. }
            | Action::StopSupply { account }
            | Action::HandOver { account }
            | Action::Log { account, .. } => Some(account),
            Action::EndDay => None,
        }
    }

    /// Whether it touches the debtor (counts towards the course's rhythm of contacts).
    pub fn is_touch(&self) -> bool {
        matches!(
            self,
            Action::Call { .. }
                | Action::Message { .. }
                | Action::Letter { .. }
                | Action::Visit { .. }
        )
    }

    /// A short description for logs and menus (`Call`, `Letter: 2nd …`).
    pub fn label(&self, locale: Locale) -> String {
        match self {
            Action::Call { .. } => locale.pick("打电话", "Call").to_owned(),
            Action::Message { channel, .. } => {
                format!(
                    "{}{}",
                    locale.pick("发", "Message by "),
                    channel.label(locale)
                )
            }
            Action::Letter { kind, to, .. } => {
                let mut label = format!("{}{}", locale.pick("寄", "Send "), kind.label(locale));
                if *kind != LetterKind::TheirCustomers {
                    label.push_str(locale.pick("，", ", "));
                    label.push_str(to.label(locale));
                }
                label
            }
            Action::Visit { .. } => locale
                .pick("上门拜访（半天）", "Visit (half a day)")
                .to_owned(),
            Action::Reconcile { .. } => locale
                .pick(
                    "寄对账单请对方盖章",
                    "Send a reconciliation statement to sign",
                )
                .to_owned(),
            Action::Colleague { who, .. } => {
                format!("{}{}", locale.pick("求助：", "Ask "), who.label(locale))
            }
            Action::StopSupply { .. } => locale.pick("暂停供货", "Stop supply").to_owned(),
            Action::HandOver { .. } => locale.pick("移交法务", "Hand over to legal").to_owned(),
            Action::Log { next, in_days, .. } => format!(
                "{}{}（{}{}）",
                locale.pick("记录跟进：下一步", "Log: next, "),
                next.label(locale),
                in_days,
                locale.pick("个工作日后", " working days")
            ),
            Action::EndDay => locale.pick("结束今天", "End the day").to_owned(),
        }
    }
}
