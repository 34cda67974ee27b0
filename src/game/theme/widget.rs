//! Widgets as functions returning bundles. Text sizes are in `rem`, so the text-size setting
//! scales them all; every text node uses the embedded CJK font (the default font).

use std::borrow::Cow;

use bevy::prelude::*;
use bevy::text::FontSize;

use super::interaction::{Focusable, InteractionPalette, ModalLayer};
use super::palette;

/// A root node that fills the window: a screen's top-level container.
pub fn ui_root(name: impl Into<Cow<'static, str>>) -> impl Bundle {
    (
        Name::new(name),
        Node {
            position_type: PositionType::Absolute,
            width: percent(100),
            height: percent(100),
            flex_direction: FlexDirection::Column,
            padding: UiRect::all(px(24)),
            row_gap: px(14),
            ..default()
        },
    )
}

/// A dimmed full-window layer with a centred panel slot; focus stays inside while it is open.
pub fn modal_root(name: impl Into<Cow<'static, str>>) -> impl Bundle {
    (
        Name::new(name),
        ModalLayer,
        Node {
            position_type: PositionType::Absolute,
            width: percent(100),
            height: percent(100),
            align_items: AlignItems::Center,
            justify_content: JustifyContent::Center,
            ..default()
        },
        BackgroundColor(palette::SCRIM),
        GlobalZIndex(10),
    )
}

/// A white rounded panel laid out as a column.
pub fn panel(name: impl Into<Cow<'static, str>>) -> impl Bundle {
    (
        Name::new(name),
        Node {
            flex_direction: FlexDirection::Column,
            padding: UiRect::all(px(20)),
            row_gap: px(12),
            border_radius: BorderRadius::all(px(10)),
            min_width: px(360),
            ..default()
        },
        BackgroundColor(palette::PANEL),
    )
}

/// A horizontal row with a gap.
pub fn row(name: impl Into<Cow<'static, str>>) -> impl Bundle {
    (
        Name::new(name),
        Node {
            flex_direction: FlexDirection::Row,
            align_items: AlignItems::Center,
            column_gap: px(12),
            flex_wrap: FlexWrap::Wrap,
            row_gap: px(8),
            ..default()
        },
    )
}

/// An empty node that takes the free space in a row (pushes what follows to the far end).
pub fn spacer() -> impl Bundle {
    (
        Name::new("Spacer"),
        Node {
            flex_grow: 1.0,
            ..default()
        },
    )
}

/// A vertical column with a gap.
pub fn column(name: impl Into<Cow<'static, str>>) -> impl Bundle {
    (
        Name::new(name),
        Node {
            flex_direction: FlexDirection::Column,
            row_gap: px(8),
            ..default()
        },
    )
}

/// A vertically scrolling area that takes the remaining height.
pub fn scroll_area(name: impl Into<Cow<'static, str>>) -> impl Bundle {
    scrolling(
        name,
        Node {
            flex_grow: 1.0,
            row_gap: px(10),
            ..default()
        },
    )
}

/// `node` as a vertically scrolling column (the mouse wheel scrolls it) that may shrink to fit.
pub fn scrolling(name: impl Into<Cow<'static, str>>, node: Node) -> impl Bundle {
    (
        Name::new(name),
        bevy::ui_widgets::ScrollArea,
        Node {
            flex_direction: FlexDirection::Column,
            min_height: px(0),
            overflow: Overflow::scroll_y(),
            ..node
        },
    )
}

fn text(s: impl Into<String>, rem: f32, color: Color) -> impl Bundle {
    (
        Text(s.into()),
        TextFont {
            font_size: FontSize::Rem(rem),
            ..default()
        },
        TextColor(color),
    )
}

/// A screen title.
pub fn title(s: impl Into<String>) -> impl Bundle {
    (Name::new("Title"), text(s, 2.0, palette::PRIMARY))
}

/// A section header.
pub fn header(s: impl Into<String>) -> impl Bundle {
    (Name::new("Header"), text(s, 1.35, palette::PRIMARY))
}

/// Body text.
pub fn label(s: impl Into<String>) -> impl Bundle {
    (Name::new("Label"), text(s, 1.0, palette::TEXT))
}

/// Secondary, quieter text.
pub fn muted(s: impl Into<String>) -> impl Bundle {
    (Name::new("Muted"), text(s, 0.85, palette::MUTED))
}

/// Text in a given colour and size.
pub fn colored(s: impl Into<String>, rem: f32, color: Color) -> impl Bundle {
    (Name::new("Text"), text(s, rem, color))
}

fn button_base(
    s: impl Into<String>,
    background: (Color, Color, Color),
    text_color: Color,
) -> impl Bundle {
    (
        Name::new("Button"),
        Button,
        Focusable,
        Node {
            padding: UiRect::axes(px(18), px(10)),
            justify_content: JustifyContent::Center,
            align_items: AlignItems::Center,
            border_radius: BorderRadius::all(px(8)),
            ..default()
        },
        Outline::new(px(3), px(2), Color::NONE),
        BackgroundColor(background.0),
        InteractionPalette {
            none: background.0,
            hovered: background.1,
            pressed: background.2,
        },
        children![(Name::new("Button text"), text(s, 1.0, text_color))],
    )
}

/// A primary action button. Attach its action with `observe(|_: On<Press>| …)`.
pub fn button_primary(s: impl Into<String>) -> impl Bundle {
    button_base(
        s,
        (
            palette::PRIMARY,
            palette::PRIMARY_HOVER,
            palette::PRIMARY_PRESSED,
        ),
        palette::ON_PRIMARY,
    )
}

/// A secondary button.
pub fn button_secondary(s: impl Into<String>) -> impl Bundle {
    button_base(
        s,
        (
            palette::SECONDARY,
            palette::SECONDARY_HOVER,
            palette::SECONDARY_PRESSED,
        ),
        palette::TEXT,
    )
}

/// A full-width secondary button with left-aligned text, for long lines such as answers.
pub fn button_wide(s: impl Into<String>) -> impl Bundle {
    (
        Name::new("Wide button"),
        Button,
        Focusable,
        Node {
            width: percent(100),
            padding: UiRect::axes(px(14), px(8)),
            justify_content: JustifyContent::FlexStart,
            align_items: AlignItems::Center,
            border_radius: BorderRadius::all(px(8)),
            ..default()
        },
        Outline::new(px(3), px(2), Color::NONE),
        BackgroundColor(palette::SECONDARY),
        InteractionPalette {
            none: palette::SECONDARY,
            hovered: palette::SECONDARY_HOVER,
            pressed: palette::SECONDARY_PRESSED,
        },
        children![(Name::new("Button text"), text(s, 1.0, palette::TEXT))],
    )
}

/// A small secondary button, for dense panels (the campaign desk's actions).
pub fn button_small(s: impl Into<String>) -> impl Bundle {
    (
        Name::new("Button"),
        Button,
        Focusable,
        Node {
            padding: UiRect::axes(px(10), px(5)),
            justify_content: JustifyContent::Center,
            align_items: AlignItems::Center,
            border_radius: BorderRadius::all(px(6)),
            ..default()
        },
        Outline::new(px(3), px(2), Color::NONE),
        BackgroundColor(palette::SECONDARY),
        InteractionPalette {
            none: palette::SECONDARY,
            hovered: palette::SECONDARY_HOVER,
            pressed: palette::SECONDARY_PRESSED,
        },
        children![(Name::new("Button text"), text(s, 0.85, palette::TEXT))],
    )
}

/// A toggle-like button that shows whether it is selected.
pub fn option_button(s: impl Into<String>, selected: bool) -> impl Bundle {
    if selected {
        button_base(
            s,
            (
                palette::PRIMARY,
                palette::PRIMARY_HOVER,
                palette::PRIMARY_PRESSED,
            ),
            palette::ON_PRIMARY,
        )
    } else {
        button_base(
            s,
            (
                palette::SECONDARY,
                palette::SECONDARY_HOVER,
                palette::SECONDARY_PRESSED,
            ),
            palette::TEXT,
        )
    }
}

/// A labelled horizontal bar for a 0–100 value.
pub fn score_bar(label_text: impl Into<String>, value: f64, width_px: f32) -> impl Bundle {
    score_bar_with_label_width(label_text, value, 150.0, width_px)
}

/// [`score_bar`] with a wider (or narrower) label column, for long labels such as topics.
pub fn score_bar_with_label_width(
    label_text: impl Into<String>,
    value: f64,
    label_px: f32,
    width_px: f32,
) -> impl Bundle {
    let fill = (value.clamp(0.0, 100.0) / 100.0) as f32;
    (
        Name::new("Score bar"),
        Node {
            flex_direction: FlexDirection::Row,
            align_items: AlignItems::Center,
            column_gap: px(10),
            ..default()
        },
        children![
            (
                Node {
                    width: px(label_px),
                    ..default()
                },
                children![text(label_text, 1.0, palette::TEXT)],
            ),
            (
                Name::new("Bar track"),
                Node {
                    width: px(width_px),
                    height: px(18),
                    border_radius: BorderRadius::all(px(9)),
                    ..default()
                },
                BackgroundColor(palette::PANEL_DARK),
                children![(
                    Name::new("Bar fill"),
                    Node {
                        width: percent(fill * 100.0),
                        height: percent(100),
                        border_radius: BorderRadius::all(px(9)),
                        ..default()
                    },
                    BackgroundColor(palette::score_color(value)),
                )],
            ),
            text(format!("{value:.1}"), 1.0, palette::score_color(value)),
        ],
    )
}

/// A white note with a coloured bar on its left: feedback, a diagnostic, a turn under review.
pub fn note(name: &'static str, bar: Color) -> impl Bundle {
    (
        Name::new(name),
        Node {
            flex_direction: FlexDirection::Column,
            padding: UiRect::all(px(10)),
            row_gap: px(4),
            border_radius: BorderRadius::all(px(8)),
            border: UiRect::left(px(4)),
            ..default()
        },
        BorderColor::all(bar),
        BackgroundColor(palette::PANEL),
    )
}

/// A full-width tinted box with text: an option shown after it was marked.
pub fn marked_line(s: impl Into<String>, tint: Color) -> impl Bundle {
    (
        Name::new("Marked line"),
        Node {
            width: percent(100),
            padding: UiRect::axes(px(14), px(8)),
            border_radius: BorderRadius::all(px(8)),
            border: UiRect::left(px(4)),
            ..default()
        },
        BorderColor::all(tint),
        BackgroundColor(tint.with_alpha(0.15)),
        children![text(s, 1.0, palette::TEXT)],
    )
}

/// A one-line text field (focusable; Chinese input methods work in it).
pub fn text_field(initial: &str, width_px: f32, rem: f32) -> impl Bundle {
    (
        Name::new("Text field"),
        Focusable,
        bevy::text::EditableText::new(initial),
        TextFont {
            font_size: FontSize::Rem(rem),
            ..default()
        },
        TextColor(palette::TEXT),
        bevy::text::TextCursorStyle::default(),
        field_frame(width_px),
    )
}

/// The box of a one-line field: size, border, background and the focus outline.
pub fn field_frame(width_px: f32) -> impl Bundle {
    (
        Node {
            width: px(width_px),
            padding: UiRect::axes(px(12), px(8)),
            border: UiRect::all(px(2)),
            border_radius: BorderRadius::all(px(6)),
            ..default()
        },
        BorderColor::all(palette::PRIMARY),
        BackgroundColor(palette::PANEL),
        Outline::new(px(3), px(2), Color::NONE),
    )
}

/// A small rounded tag.
pub fn chip(s: impl Into<String>, color: Color) -> impl Bundle {
    (
        Name::new("Chip"),
        Node {
            padding: UiRect::axes(px(10), px(4)),
            border_radius: BorderRadius::all(px(12)),
            ..default()
        },
        BackgroundColor(color.with_alpha(0.15)),
        children![text(s, 0.85, color)],
    )
}

/// A flat coloured rectangle, for drawing simple scenes.
pub fn shape(name: &'static str, color: Color, node: Node) -> impl Bundle {
    (Name::new(name), node, BackgroundColor(color))
}

/// A fixed-width table cell (rows of these make the classroom tables).
pub fn cell(s: impl Into<String>, width_px: f32, color: Color) -> impl Bundle {
    (
        Name::new("Cell"),
        Node {
            width: px(width_px),
            flex_shrink: 0.0,
            ..default()
        },
        children![text(s, 0.95, color)],
    )
}
