//! The actions the desk offers for one account, in menu order (the caller filters them by
//! what is allowed now).

use super::action::{Action, Colleague, LetterKind, MessageChannel, NextStep};
use super::state::AccountState;

/// Every action on the account's menu. Logging offers the common next steps.
pub fn for_account(a: &AccountState) -> Vec<Action> {
    let account = || a.id.clone();
    let mut out = vec![
        Action::Call { account: account() },
        Action::Message {
            account: account(),
            channel: MessageChannel::Wechat,
        },
        Action::Message {
            account: account(),
            channel: MessageChannel::Email,
        },
        Action::Visit { account: account() },
    ];
    out.extend(LetterKind::ALL.map(|kind| Action::Letter {
        account: account(),
        kind,
    }));
    out.push(Action::Reconcile { account: account() });
    out.extend(Colleague::ALL.map(|who| Action::Colleague {
        account: account(),
        who,
    }));
    out.push(Action::StopSupply { account: account() });
    out.push(Action::HandOver { account: account() });
    for next in NextStep::ALL {
        for in_days in [1, 2, 5] {
            out.push(Action::Log {
                account: account(),
                next,
                in_days,
            });
        }
    }
    out
}
