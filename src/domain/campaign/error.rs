//! What can go wrong at the desk, in words that say what to do.

use super::action::Action;

/// A campaign error.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CampaignError {
    /// No campaign has this id.
    #[error("no campaign is called `{id}` (known: {})", known.join(", "))]
    UnknownCampaign {
        /// The id asked for.
        id: String,
        /// The campaigns loaded.
        known: Vec<String>,
    },
    /// The campaign is not written in this locale.
    #[error("campaign `{campaign}` is not written in {locale}")]
    UnsupportedLocale {
        /// The campaign.
        campaign: String,
        /// The locale asked for.
        locale: String,
    },
    /// The campaign's start is not a date (validation reports it too).
    #[error("campaign `{campaign}` has no valid start date")]
    BadCalendar {
        /// The campaign.
        campaign: String,
    },
    /// No account has this id.
    #[error("no account is called `{id}` (accounts: {})", known.join(", "))]
    UnknownAccount {
        /// The id given.
        id: String,
        /// The accounts.
        known: Vec<String>,
    },
    /// The action is not allowed now.
    #[error("not allowed now: {why}")]
    NotAllowed {
        /// The action.
        action: Action,
        /// Why.
        why: String,
    },
    /// The campaign is over.
    #[error("the campaign is over")]
    Over,
    /// A conversation must be finished first.
    #[error("a conversation is in progress: finish it first")]
    ConversationPending,
    /// No conversation is in progress.
    #[error("no conversation is in progress")]
    NoConversation,
    /// A conversation could not be played (a recorded one no longer replays, or one stopped
    /// before an ending).
    #[error("the conversation `{scenario}` {why}")]
    Conversation {
        /// The scenario.
        scenario: String,
        /// What went wrong.
        why: String,
    },
    /// The result is of another conversation.
    #[error("that is not the conversation the desk is waiting for (`{expected}`)")]
    WrongConversation {
        /// The scenario expected.
        expected: String,
    },
    /// The save is from another version of the campaign or its scenarios.
    #[error(
        "the saved campaign `{campaign}` was played on other content (the campaign or one of its scenarios changed since): start it again"
    )]
    ContentChanged {
        /// The campaign.
        campaign: String,
    },
    /// The save's format is unknown.
    #[error("this saved campaign has format version {found}, which this build does not read")]
    BadVersion {
        /// The version found.
        found: u32,
    },
}
