//! The colours of the interface: calm office tones, with clear signals for pass, fail and focus.

use bevy::prelude::*;

/// Window background.
pub const BACKGROUND: Color = Color::srgb(0.93, 0.94, 0.92);
/// Panels and cards.
pub const PANEL: Color = Color::srgb(1.0, 1.0, 1.0);
/// A slightly darker panel, for headers and the desk.
pub const PANEL_DARK: Color = Color::srgb(0.86, 0.88, 0.85);
/// Deep teal: headings and primary buttons.
pub const PRIMARY: Color = Color::srgb(0.09, 0.36, 0.40);
/// Primary button, hovered.
pub const PRIMARY_HOVER: Color = Color::srgb(0.12, 0.45, 0.50);
/// Primary button, pressed.
pub const PRIMARY_PRESSED: Color = Color::srgb(0.06, 0.27, 0.30);
/// Secondary buttons.
pub const SECONDARY: Color = Color::srgb(0.80, 0.84, 0.82);
/// Secondary button, hovered.
pub const SECONDARY_HOVER: Color = Color::srgb(0.74, 0.79, 0.77);
/// Secondary button, pressed.
pub const SECONDARY_PRESSED: Color = Color::srgb(0.66, 0.72, 0.70);
/// Body text.
pub const TEXT: Color = Color::srgb(0.12, 0.14, 0.14);
/// Secondary text.
pub const MUTED: Color = Color::srgb(0.40, 0.44, 0.43);
/// Text on primary.
pub const ON_PRIMARY: Color = Color::srgb(0.98, 0.99, 0.98);
/// Keyboard focus ring.
pub const FOCUS: Color = Color::srgb(0.95, 0.62, 0.10);
/// Good: passed, evidence gained, best choice.
pub const GOOD: Color = Color::srgb(0.18, 0.55, 0.30);
/// Caution: warnings, middling scores.
pub const CAUTION: Color = Color::srgb(0.80, 0.55, 0.10);
/// Bad: failed, violations.
pub const BAD: Color = Color::srgb(0.75, 0.20, 0.18);
/// The debtor's speech bubble.
pub const DEBTOR_BUBBLE: Color = Color::srgb(0.96, 0.93, 0.86);
/// The trainee's speech bubble.
pub const TRAINEE_BUBBLE: Color = Color::srgb(0.85, 0.92, 0.93);
/// Narration text.
pub const NARRATION: Color = Color::srgb(0.35, 0.38, 0.45);
/// Phone handset body and call screen.
pub const PHONE: Color = Color::srgb(0.16, 0.18, 0.22);
/// The wooden desk of a visit.
pub const DESK: Color = Color::srgb(0.55, 0.40, 0.27);
/// Skin-neutral figure colour for people drawn across the desk.
pub const FIGURE: Color = Color::srgb(0.42, 0.47, 0.58);
/// The trainee's colleague.
pub const COLLEAGUE: Color = Color::srgb(0.30, 0.52, 0.48);
/// Paper documents.
pub const PAPER: Color = Color::srgb(0.98, 0.97, 0.92);
/// A modal backdrop.
pub const SCRIM: Color = Color::srgba(0.05, 0.07, 0.08, 0.55);

/// Colour for a 0–100 score.
pub fn score_color(score: f64) -> Color {
    if score >= 80.0 {
        GOOD
    } else if score >= 60.0 {
        CAUTION
    } else {
        BAD
    }
}

/// Colour for the debtor's mood, -100 (hostile) to 100 (warm).
pub fn mood_color(mood: i32) -> Color {
    if mood >= 20 {
        GOOD
    } else if mood > -20 {
        CAUTION
    } else {
        BAD
    }
}
