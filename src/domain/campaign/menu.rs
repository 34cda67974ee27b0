//! The actions the desk offers for one account, in menu order (the caller filters them by
//! what is allowed now).

use super::action::{Action, Colleague, LetterKind, MessageChannel, NextStep};
use super::state::AccountState;

/// How many actions an account's menu has.
pub const ITEMS: usize = 4 + 4 + 1 + 3 + 2 + 5 * 3;

/// The `i`-th action of the menu of account `account` (`None` past the end). Logging offers the
/// common next steps, 1, 2 or 5 working days ahead.
pub fn item(account: &str, i: usize) -> Option<Action> {
    let account = account.to_owned();
    Some(match i {
        0 => Action::Call { account },
        1 => Action::Message {
            account,
            channel: MessageChannel::Wechat,
        },
        2 => Action::Message {
            account,
            channel: MessageChannel::Email,
        },
        3 => Action::Visit { account },
        4..=7 => Action::Letter {
            account,
            kind: LetterKind::ALL[i - 4],
        },
        8 => Action::Reconcile { account },
        9..=11 => Action::Colleague {
            account,
            who: Colleague::ALL[i - 9],
        },
        12 => Action::StopSupply { account },
        13 => Action::HandOver { account },
        14..ITEMS => Action::Log {
            account,
            next: NextStep::ALL[(i - 14) / 3],
            in_days: [1, 2, 5][(i - 14) % 3],
        },
        _ => return None,
    })
}

/// Every action on the account's menu.
pub fn for_account(a: &AccountState) -> Vec<Action> {
    (0..ITEMS).filter_map(|i| item(&a.id, i)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_menu_has_every_item_once() {
        let all: Vec<Action> = (0..ITEMS).filter_map(|i| item("a", i)).collect();
        assert_eq!(all.len(), ITEMS);
        let distinct: std::collections::BTreeSet<String> =
            all.iter().map(|a| format!("{a:?}")).collect();
        assert_eq!(distinct.len(), ITEMS);
        assert!(item("a", ITEMS).is_none());
    }
}
