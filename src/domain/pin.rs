//! The classroom PIN's attempt limit: after a few wrong PINs in a row the keypad makes the
//! trainer wait, longer each time, so the PIN cannot be guessed by trying every number.
//! Pure arithmetic over elapsed time, so it is tested without a clock.

use std::time::Duration;

/// Wrong PINs allowed in a row before the keypad makes the trainer wait.
pub const FREE_TRIES: u32 = 5;
/// The first wait; each further wrong PIN doubles it.
pub const FIRST_WAIT: Duration = Duration::from_secs(30);
/// The longest wait.
pub const LONGEST_WAIT: Duration = Duration::from_secs(300);

/// Wrong PINs in a row and when the keypad opens again.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PinThrottle {
    wrong_in_a_row: u32,
    open_at: Option<Duration>,
}

impl PinThrottle {
    /// How long the trainer must still wait at `now` (time since the program started), or
    /// `None` when a PIN may be tried.
    pub fn wait_left(&self, now: Duration) -> Option<Duration> {
        self.open_at
            .and_then(|at| at.checked_sub(now))
            .filter(|d| !d.is_zero())
    }

    /// Records a wrong PIN at `now`; returns the wait it starts, if any.
    pub fn wrong(&mut self, now: Duration) -> Option<Duration> {
        self.wrong_in_a_row += 1;
        let over = self.wrong_in_a_row.checked_sub(FREE_TRIES)?;
        let wait = FIRST_WAIT
            .saturating_mul(2u32.saturating_pow(over.min(16)))
            .min(LONGEST_WAIT);
        self.open_at = Some(now + wait);
        Some(wait)
    }

    /// Records the right PIN: the count starts again.
    pub fn right(&mut self) {
        *self = PinThrottle::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: Duration = Duration::from_secs(100);

    #[test]
    fn five_wrong_pins_are_free_then_the_keypad_waits_longer_each_time() {
        let mut t = PinThrottle::default();
        for _ in 0..FREE_TRIES - 1 {
            assert_eq!(t.wrong(T0), None);
            assert_eq!(t.wait_left(T0), None);
        }
        assert_eq!(t.wrong(T0), Some(FIRST_WAIT));
        assert_eq!(t.wait_left(T0), Some(FIRST_WAIT));
        assert_eq!(
            t.wait_left(T0 + Duration::from_secs(10)),
            Some(Duration::from_secs(20))
        );
        assert_eq!(t.wait_left(T0 + FIRST_WAIT), None);
        let later = T0 + FIRST_WAIT;
        assert_eq!(t.wrong(later), Some(FIRST_WAIT * 2));
        for _ in 0..20 {
            t.wrong(later);
        }
        assert_eq!(t.wait_left(later), Some(LONGEST_WAIT));
    }

    #[test]
    fn the_right_pin_resets_the_count() {
        let mut t = PinThrottle::default();
        for _ in 0..FREE_TRIES + 2 {
            t.wrong(T0);
        }
        t.right();
        assert_eq!(t.wait_left(T0), None);
        assert_eq!(t.wrong(T0), None);
    }

    #[test]
    fn three_hundred_guesses_take_hours_not_seconds() {
        // The review typed 300 wrong PINs in 29 s; now each guess after the fifth waits.
        let mut t = PinThrottle::default();
        let mut now = Duration::ZERO;
        for _ in 0..300 {
            if let Some(w) = t.wait_left(now) {
                now += w;
            }
            t.wrong(now);
        }
        assert!(now > Duration::from_secs(20 * 3600), "{now:?}");
    }
}
