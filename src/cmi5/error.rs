//! Why a cmi5 launch cannot go on: a stable code, the problem and what to do about it.

/// What kind of problem stopped a launch; each has a stable code (see the README's "Launch
/// from an LMS (cmi5)").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The launch URL is not one the game takes, or lacks a launch parameter (`CMI5-01`).
    Url,
    /// The URL names a scenario or quiz bank the content does not have (`CMI5-02`).
    Target,
    /// The LMS's fetch URL gave no authorisation token (`CMI5-03`).
    Token,
    /// The LMS's `LMS.LaunchData` state document is missing or malformed (`CMI5-04`).
    LaunchData,
    /// The LMS's LRS could not be read (this registration's earlier results) (`CMI5-05`).
    Lrs,
    /// The LMS's LRS did not take the statements, even after retries (`CMI5-06`).
    NotDelivered,
    /// The launch was used out of order (a second verdict, anything after `terminated`)
    /// (`CMI5-07`).
    Order,
}

impl Problem {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Problem::Url => "CMI5-01",
            Problem::Target => "CMI5-02",
            Problem::Token => "CMI5-03",
            Problem::LaunchData => "CMI5-04",
            Problem::Lrs => "CMI5-05",
            Problem::NotDelivered => "CMI5-06",
            Problem::Order => "CMI5-07",
        }
    }

    /// Whether the launch URL itself is at fault (nothing was asked of the LMS yet).
    pub fn is_local(self) -> bool {
        matches!(self, Problem::Url | Problem::Target | Problem::Order)
    }
}

/// A launch that cannot go on: the problem's code, then one message saying what is wrong
/// and what to do.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{} {message}", problem.code())]
pub struct Cmi5Error {
    /// The kind of problem.
    pub problem: Problem,
    /// What is wrong and what to do.
    pub message: String,
}

impl Cmi5Error {
    /// A problem of `kind` with `message`.
    pub fn new(problem: Problem, message: impl Into<String>) -> Cmi5Error {
        Cmi5Error {
            problem,
            message: message.into(),
        }
    }
}
