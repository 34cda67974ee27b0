//! The shipped CJK font (a Noto Sans SC subset, see `assets/fonts/README.md`) becomes Bevy's
//! default font, so every text node shows Chinese, Latin and `¥` without naming a font.

use bevy::prelude::*;
use bevy::text::Font;

/// The font file, embedded so the game never starts without glyphs.
pub const CJK_FONT: &[u8] = include_bytes!("../../../assets/fonts/NotoSansSC-DojoSubset.otf");

pub(super) fn plugin(app: &mut App) {
    // Text support may be absent in headless tests; there is then nothing to draw with it.
    if let Some(mut fonts) = app.world_mut().get_resource_mut::<Assets<Font>>() {
        let inserted = fonts.insert(AssetId::default(), Font::from_bytes(CJK_FONT.to_vec()));
        if let Err(e) = inserted {
            error!("could not install the CJK font: {e}");
        }
    }
}
