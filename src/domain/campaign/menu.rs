//! The actions the desk offers for one account, in menu order (the caller filters them by
//! what is allowed now).

use super::action::{Action, Addressees, Colleague, LetterKind, MessageChannel, NextStep};
use super::state::AccountState;

/// How many actions an account's menu has.
pub const ITEMS: usize = 1 + 3 + 1 + 7 + 1 + 3 + 2 + 5 * 3;

/// The `i`-th action of the menu of account `account` (`None` past the end). The three letters
/// of the course go to those who decide or to the contact only; logging offers the common next
/// steps, 1, 2 or 5 working days ahead.
pub fn item(account: &str, i: usize) -> Option<Action> {
    let account = account.to_owned();
    Some(match i {
        0 => Action::Call { account },
        1..=3 => Action::Message {
            account,
            channel: MessageChannel::ALL[i - 1],
        },
        4 => Action::Visit { account },
        5..=8 => Action::Letter {
            account,
            kind: LetterKind::ALL[i - 5],
            to: Addressees::DecisionMakers,
        },
        9..=11 => Action::Letter {
            account,
            kind: LetterKind::ALL[i - 9],
            to: Addressees::ContactOnly,
        },
        12 => Action::Reconcile { account },
        13..=15 => Action::Colleague {
            account,
            who: Colleague::ALL[i - 13],
        },
        16 => Action::StopSupply { account },
        17 => Action::HandOver { account },
        18..ITEMS => Action::Log {
            account,
            next: NextStep::ALL[(i - 18) / 3],
            in_days: [1, 2, 5][(i - 18) % 3],
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
        for channel in MessageChannel::ALL {
            assert!(all.contains(&Action::Message {
                account: "a".into(),
                channel
            }));
        }
    }
}
