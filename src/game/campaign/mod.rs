//! Campaign mode in the window: choosing a campaign, the desk (calendar, ledger, actions,
//! log) and the end-of-campaign report. The adapter owns the domain desk; the screens present.

mod adapter;
mod desk;
mod report;
mod select;

use bevy::prelude::*;

pub use adapter::{ActiveDesk, DeskDo, OpenCampaign, Seat, save_path};
pub use desk::{AddresseesButton, DeskAccount, DeskActionButton, EndDayButton, LogDaysButton};
pub use select::{CampaignCard, SeedOverride};

pub(super) fn plugin(app: &mut App) {
    app.add_plugins((
        adapter::plugin,
        select::plugin,
        desk::plugin,
        report::plugin,
    ));
}
