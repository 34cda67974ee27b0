//! The title screen: the trainee's name, the language, and the way in.

use bevy::input_focus::{FocusCause, InputFocus};
use bevy::prelude::*;
use bevy::text::EditableText;
use bevy::ui_widgets::observe;

use crate::domain::text::Locale;
use crate::game::chrome::settings_button;
use crate::game::classroom::TrainerUnlocked;
use crate::game::content::ContentLibrary;
use crate::game::records::Results;
use crate::game::settings::Settings;
use crate::game::state::{
    CampaignScreen, ClassroomScreen, GameOptions, Navigate, QuizScreen, Screen, TraineeName,
};
use crate::game::theme::interaction::{Hotkey, InitialFocus, Press};
use crate::game::theme::widget;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        OnEnter(Screen::Title),
        (restore_name, spawn_title_screen, report_start_up_time).chain(),
    );
    app.add_systems(Update, copy_typed_name.run_if(in_state(Screen::Title)));
}

/// The title screen's "start practising" button.
#[derive(Component, Debug)]
pub struct StartPractising;

/// The title screen's "quiz" button.
#[derive(Component, Debug)]
pub struct StartQuizSetup;

/// The title screen's "campaigns" button.
#[derive(Component, Debug)]
pub struct StartCampaign;

/// The title screen's "classroom" button.
#[derive(Component, Debug)]
pub struct StartClassroom;

/// The name typed before classroom mode took over the keyboard, restored on return.
#[derive(Resource, Debug)]
pub struct NameBeforeClassroom(pub String);

/// The name field.
#[derive(Component)]
pub struct NameField;

fn spawn_title_screen(
    settings: Res<Settings>,
    content: Res<ContentLibrary>,
    name: Res<TraineeName>,
    results: Res<Results>,
    mut focus: ResMut<InputFocus>,
    mut commands: Commands,
) {
    let s = settings.clone();
    let (errors, warnings) = content.library.tally();
    let playable = content.library.scenarios.len();
    let problems = format!(
        "{} ({errors} / {warnings})",
        s.t(
            "内容问题：错误 / 警告",
            "Content problems: errors / warnings"
        )
    );
    let summary = format!(
        "{playable} {}",
        s.t("个练习场景可用", "scenarios ready to practise")
    );
    // zh-TW has no interface strings of its own (`Locale::interface`): say so, in zh-TW.
    let zh_tw_note = (s.locale == Locale::ZhTw).then(|| {
        let offered = content
            .library
            .scenarios
            .values()
            .filter(|p| Locale::ZhTw.served_by(&p.compiled.scenario.locales) == Some(Locale::ZhTw))
            .count();
        format!(
            "繁體中文：{offered} 個場景有繁體中文版（場景卡片上標示「繁體中文」）；其他場景以簡體中文進行，介面也是簡體中文。"
        )
    });
    let name_field = commands
        .spawn((NameField, widget::text_field(&name.0, 360.0, 1.2)))
        .id();
    let root = commands
        .spawn((
            widget::ui_root("Title screen"),
            DespawnOnExit(Screen::Title),
            children![
                (widget::row("Top bar"), children![widget::spacer(), settings_button(&s)]),
                widget::title("催款道场 · Dunning Dojo"),
                widget::label(s.t(
                    "练习电话催款和上门催款：礼貌而又坚定，守住目标，留下证据。",
                    "Practise collection calls and visits: polite and firm, back to the goal, and leave with evidence.",
                )),
                widget::header(s.t("你的名字", "Your name")),
                widget::muted(s.t(
                    "对方会这样称呼你。支持中文输入法。",
                    "The debtor will call you this. Chinese input methods work here.",
                )),
            ],
        ))
        .id();
    commands.entity(root).add_child(name_field);
    commands.entity(root).with_children(|p| {
        p.spawn(widget::header(s.t("语言 / Language", "Language / 语言")));
        p.spawn(widget::row("Language choice"))
            .with_children(|row| {
                for locale in Locale::ALL {
                    row.spawn((
                        widget::option_button(locale.native_name(), s.locale == locale),
                        observe(move |_: On<Press>, mut s: ResMut<Settings>| s.locale = locale),
                    ));
                }
            });
        if let Some(note) = zh_tw_note {
            p.spawn(widget::muted(note));
        }
        p.spawn(widget::muted(summary));
        p.spawn(widget::row("Actions")).with_children(|row| {
            row.spawn((
                StartPractising,
                InitialFocus,
                widget::button_primary(s.t("开始练习", "Start practising")),
                observe(|_: On<Press>, mut next: Navigate| {
                    next.to(Screen::ScenarioSelect);
                }),
            ));
            row.spawn((
                StartQuizSetup,
                Hotkey(KeyCode::KeyQ),
                widget::button_secondary(s.t("知识自测 (Q)", "Self-assessment quiz (Q)")),
                observe(|_: On<Press>, mut next: Navigate| {
                    next.to(QuizScreen::Setup);
                }),
            ));
            row.spawn((
                StartCampaign,
                Hotkey(KeyCode::KeyK),
                widget::button_secondary(s.t("催收战役 (K)", "Campaigns (K)")),
                observe(|_: On<Press>, mut next: Navigate| {
                    next.to(CampaignScreen::Select);
                }),
            ));
            row.spawn((
                StartClassroom,
                Hotkey(KeyCode::KeyC),
                widget::button_secondary(s.t("课堂模式 (C)", "Classroom (C)")),
                observe(
                    |_: On<Press>,
                     unlocked: Res<TrainerUnlocked>,
                     name: Res<TraineeName>,
                     mut next: Navigate,
                     mut commands: Commands| {
                        // Hot-seat turns set the name to whoever plays; it comes back after.
                        commands.insert_resource(NameBeforeClassroom(name.0.clone()));
                        next.to(if unlocked.0 {
                            ClassroomScreen::Sessions
                        } else {
                            ClassroomScreen::Pin
                        });
                    },
                ),
            ));
            row.spawn((
                widget::button_secondary(problems),
                observe(|_: On<Press>, mut next: Navigate| {
                    next.to(Screen::ContentErrors);
                }),
            ));
            row.spawn((
                widget::button_secondary(s.t("退出", "Quit")),
                observe(|_: On<Press>, mut exit: MessageWriter<AppExit>| {
                    exit.write(AppExit::Success);
                }),
            ));
        });
        p.spawn(widget::muted(s.t(
            "键盘：Tab / 方向键 移动，Enter 确认，Q 知识自测，K 催收战役，C 课堂模式，Esc 返回，F2 设置。",
            "Keyboard: Tab / arrows move, Enter presses, Q quiz, K campaigns, C classroom, Esc goes back, F2 settings.",
        )));
        if let Some(problem) = &results.problem {
            p.spawn(widget::colored(
                format!(
                    "{} {problem}",
                    s.t("成绩不会保存：", "Results are NOT being saved:")
                ),
                0.95,
                crate::game::theme::palette::BAD,
            ));
        }
    });
    if name.0.is_empty() {
        focus.set(name_field, FocusCause::Navigated);
    }
}

fn restore_name(
    saved: Option<Res<NameBeforeClassroom>>,
    mut name: ResMut<TraineeName>,
    mut commands: Commands,
) {
    if let Some(saved) = saved {
        name.0 = saved.0.clone();
        commands.remove_resource::<NameBeforeClassroom>();
    }
}

/// Keeps the typed name as it changes (the field is gone once the screen is left).
fn copy_typed_name(
    fields: Query<&EditableText, (With<NameField>, Changed<EditableText>)>,
    mut name: ResMut<TraineeName>,
) {
    if let Ok(field) = fields.single() {
        let typed = field.value().to_string().trim().to_owned();
        if name.0 != typed {
            name.0 = typed;
        }
    }
}

fn report_start_up_time(options: Option<Res<GameOptions>>, mut reported: Local<bool>) {
    if let Some(o) = options
        && !*reported
    {
        *reported = true;
        info!(
            "start-up: title screen ready {} ms after launch",
            o.started.elapsed().as_millis()
        );
    }
}
