//! Entering a session's teams: a name, a captain and the members, one team at a time. Teams
//! can be added later too (a latecomer team joins from the next turn).

use bevy::prelude::*;
use bevy::text::EditableText;
use bevy::ui_widgets::observe;

use super::actions::{ClassroomAction, ClassroomStore};
use super::desk::{ActiveSession, ClassroomNotice, Standing};
use crate::game::settings::Settings;
use crate::game::state::ClassroomScreen;
use crate::game::theme::interaction::{InitialFocus, Press};
use crate::game::theme::{palette, widget};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        OnEnter(ClassroomScreen::Teams),
        (spawn_teams_screen).run_if(resource_exists::<ActiveSession>),
    );
}

/// Which field of the team form.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamField {
    /// The team's name.
    Name,
    /// Its captain.
    Captain,
    /// The other members, separated by commas.
    Members,
}

/// Adds the team in the form.
#[derive(Component, Debug)]
pub struct AddTeamButton;

/// Removes the team with this id (only offered before it has played).
#[derive(Component, Debug, Clone, Copy)]
pub struct RemoveTeam(pub i64);

/// Goes on to plan the next round.
#[derive(Component, Debug)]
pub struct PlanRoundButton;

fn spawn_teams_screen(
    settings: Res<Settings>,
    store: ClassroomStore,
    session: Res<ActiveSession>,
    mut notice: ResMut<ClassroomNotice>,
    mut commands: Commands,
) {
    let s = settings.clone();
    let (standing, standing_error) = match store.standing(session.id) {
        Ok(standing) => (standing, None),
        Err(e) => (Standing::default(), Some(e)),
    };
    let root = commands
        .spawn(super::desk::classroom_root(
            &s,
            "Classroom teams screen",
            ClassroomScreen::Teams,
            format!("{} · {}", session.name, s.t("队伍", "Teams")),
        ))
        .id();
    if let Some(e) = standing_error {
        commands
            .entity(root)
            .with_child(super::desk::unreadable(&s, &e));
    }
    commands.entity(root).with_children(|p| {
        p.spawn(widget::muted(s.t(
            "每队一个名字、一位队长和队员。队员名之间用逗号或顿号分开。",
            "Each team has a name, a captain and members. Separate member names with commas.",
        )));
    });
    let form = commands.spawn(widget::row("Team form")).id();
    commands.entity(root).add_child(form);
    for (field, label, width) in [
        (TeamField::Name, s.t("队名", "Team"), 220.0),
        (TeamField::Captain, s.t("队长", "Captain"), 180.0),
        (TeamField::Members, s.t("队员", "Members"), 420.0),
    ] {
        let col = commands.spawn(widget::column("Field")).id();
        commands.entity(form).add_child(col);
        commands.entity(col).with_children(|c| {
            c.spawn(widget::muted(label));
        });
        let input = commands
            .spawn((field, widget::text_field("", width, 1.0)))
            .id();
        commands.entity(col).add_child(input);
    }
    commands.entity(root).with_children(|p| {
        p.spawn(widget::row("Team actions")).with_children(|row| {
            row.spawn((
                AddTeamButton,
                widget::button_primary(s.t("加入这一队", "Add this team")),
                observe(add_team),
            ));
            row.spawn((
                PlanRoundButton,
                InitialFocus,
                widget::button_secondary(if standing.rounds == 0 {
                    s.t("录完了，安排第一轮 →", "Done: plan the first round →")
                } else {
                    s.t("回到轮次 →", "Back to the round →")
                }),
                observe(|_: On<Press>, mut commands: Commands| {
                    commands.trigger(ClassroomAction::PlanRound);
                }),
            ));
        });
        if let Some(n) = notice.0.take() {
            p.spawn(widget::colored(n, 1.0, palette::BAD));
        }
        p.spawn(widget::header(format!(
            "{} ({})",
            s.t("已录入的队伍", "Teams entered"),
            standing.teams.len()
        )));
    });
    // Teams that have played cannot be removed; if that cannot be read, none is offered for
    // removal and the trainer is told why.
    let played_teams = match store.teams_that_played(session.id) {
        Ok(teams) => Some(teams),
        Err(e) => {
            commands.entity(root).with_children(|p| {
                p.spawn(widget::colored(e, 0.95, palette::BAD));
            });
            None
        }
    };
    let list = commands.spawn(widget::scroll_area("Team list")).id();
    commands.entity(root).add_child(list);
    commands.entity(list).with_children(|p| {
        for t in &standing.teams {
            let played = played_teams.as_ref().is_none_or(|p| p.contains(&t.name));
            p.spawn(widget::note("Team", palette::PRIMARY))
                .with_children(|n| {
                    n.spawn(widget::row("Team name")).with_children(|row| {
                        row.spawn(widget::label(t.name.clone()));
                        // A team entered by mistake can go until it has played.
                        if !played {
                            row.spawn((
                                RemoveTeam(t.id),
                                widget::button_secondary(s.t("删除这一队", "Remove")),
                                observe(remove_team),
                            ));
                        }
                    });
                    n.spawn(widget::muted(format!(
                        "{}{} · {}{}",
                        s.t("队长：", "Captain: "),
                        t.captain.clone().unwrap_or_else(|| "–".into()),
                        s.t("队员：", "Members: "),
                        if t.members.is_empty() {
                            "–".to_owned()
                        } else {
                            t.members.join(s.t("、", ", "))
                        }
                    )));
                });
        }
    });
}

/// Splits typed member names on the separators people use (commas, the Chinese enumeration
/// comma, semicolons, new lines).
pub fn split_members(text: &str) -> Vec<String> {
    text.split([',', '，', '、', ';', '；', '\n'])
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(str::to_owned)
        .collect()
}

fn add_team(_: On<Press>, fields: Query<(&TeamField, &EditableText)>, mut commands: Commands) {
    let value = |which: TeamField| {
        fields
            .iter()
            .find(|(f, _)| **f == which)
            .map_or_else(String::new, |(_, t)| t.value().to_string())
    };
    let captain = value(TeamField::Captain);
    commands.trigger(ClassroomAction::AddTeam {
        name: value(TeamField::Name),
        captain: Some(captain.trim().to_owned()).filter(|c| !c.is_empty()),
        members: split_members(&value(TeamField::Members)),
    });
}

fn remove_team(press: On<Press>, buttons: Query<&RemoveTeam>, mut commands: Commands) {
    if let Ok(RemoveTeam(id)) = buttons.get(press.0).copied() {
        commands.trigger(ClassroomAction::RemoveTeam(id));
    }
}

#[cfg(test)]
mod tests {
    use super::split_members;

    #[test]
    fn member_lists_split_on_chinese_and_latin_separators() {
        assert_eq!(
            split_members("王芳、李雷，韩梅梅, Tom ; ;"),
            vec!["王芳", "李雷", "韩梅梅", "Tom"]
        );
        assert!(split_members("  ").is_empty());
    }
}
