//! Look and feel: palette, the embedded CJK font, reusable widgets and their interaction.

pub mod font;
pub mod interaction;
pub mod palette;
pub mod widget;

use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.add_plugins((font::plugin, interaction::plugin));
}
