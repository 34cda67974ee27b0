//! What can go wrong while playing a conversation.

/// What can go wrong while playing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlayError {
    /// The choice id is not one of the current node's choices.
    #[error("`{id}` is not a choice here; the choices are: {}", .available.join(", "))]
    UnknownChoice {
        /// What was asked for.
        id: String,
        /// The ids that can be chosen now.
        available: Vec<String>,
    },
    /// The choice exists but its conditions do not hold.
    #[error("`{id}` cannot be chosen now: {reason}")]
    ChoiceLocked {
        /// The choice.
        id: String,
        /// Why.
        reason: String,
    },
    /// The option number is not in the list.
    #[error("option {number} does not exist; choose 1 to {count}")]
    NoSuchOption {
        /// The number given.
        number: usize,
        /// How many options there are.
        count: usize,
    },
    /// The conversation is over.
    #[error("the conversation has ended")]
    Ended,
    /// The scenario is not written in this locale.
    #[error("scenario `{scenario}` is not available in `{locale}`; it is written in {}", .supported.join(", "))]
    UnsupportedLocale {
        /// The scenario.
        scenario: String,
        /// The locale asked for.
        locale: String,
        /// The locales it declares.
        supported: Vec<String>,
    },
    /// A preparation id the scenario does not have.
    #[error("`{id}` is not on this scenario's preparation checklist; the items are: {}", .items.join(", "))]
    UnknownPrep {
        /// The id given.
        id: String,
        /// The checklist ids.
        items: Vec<String>,
    },
    /// More preparation than the scenario allows time for.
    #[error("there is time to prepare {budget} items, not {given}")]
    OverBudget {
        /// The limit.
        budget: u32,
        /// How many were given.
        given: usize,
    },
    /// No choice can be offered (content that failed validation).
    #[error(
        "node `{node}` offers no choice in this situation; run `dunning-dojo lint` on the scenario"
    )]
    DeadEnd {
        /// The node.
        node: String,
    },
    /// A drawn-truth variant the scenario does not declare, or two for the same draw.
    #[error("`{id}` is not a drawn truth of this scenario (or its draw is already fixed); the variants are: {}", .variants.join(", "))]
    UnknownTruth {
        /// The id given.
        id: String,
        /// The variant ids.
        variants: Vec<String>,
    },
    /// A saved session belongs to other content.
    #[error(
        "this save was made on a different version of scenario `{scenario}` and cannot be resumed"
    )]
    StaleSave {
        /// The scenario.
        scenario: String,
    },
}
