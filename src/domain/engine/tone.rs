//! The tone scale: what each tone tag is worth, from the floor the tone axis is measured from.

use crate::domain::content::model::Tone;

/// The lowest tone value a line can have; the tone axis measures distance from it.
pub const TONE_FLOOR: i32 = -6;

/// Base tone value of each tone tag (a choice's `effects.tone` adjusts it).
pub fn tone_base(tone: Tone) -> i32 {
    match tone {
        Tone::CourteousFirm => 4,
        Tone::CourteousSoft => 2,
        Tone::Neutral => 1,
        Tone::Vague => 0,
        Tone::Pleading => -1,
        Tone::Impatient => -2,
        Tone::Deceptive => -3,
        Tone::Aggressive => -4,
        Tone::Threatening => -6,
        Tone::Insulting => -6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tone_scale_puts_courteous_firm_on_top_and_abuse_at_the_floor() {
        let best = Tone::ALL.iter().map(|&t| tone_base(t)).max().unwrap();
        assert_eq!(best, tone_base(Tone::CourteousFirm));
        assert_eq!(tone_base(Tone::Insulting), TONE_FLOOR);
        assert!(Tone::ALL.iter().all(|&t| tone_base(t) >= TONE_FLOOR));
    }
}
