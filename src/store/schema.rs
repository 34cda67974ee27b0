//! The results database's schema, as an ordered list of migrations. `PRAGMA user_version`
//! records how many have run; each runs once, in its own transaction. Append new migrations;
//! never edit one that has shipped.

/// Migration 1: trainees, classroom sessions, teams, rounds, attempts with their choices,
/// quiz results, and settings.
const V1: &str = r#"
CREATE TABLE trainees (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);

CREATE TABLE sessions (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    ended_at    TEXT
);

-- A team belongs to a classroom session, or to none (`play --team`).
CREATE TABLE teams (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER REFERENCES sessions(id),
    name        TEXT NOT NULL,
    captain     TEXT,
    position    INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX teams_by_session_name ON teams(ifnull(session_id, 0), name);

CREATE TABLE team_members (
    team_id     INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    trainee_id  INTEGER NOT NULL REFERENCES trainees(id),
    PRIMARY KEY (team_id, trainee_id)
);

CREATE TABLE rounds (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES sessions(id),
    number      INTEGER NOT NULL,
    seed        INTEGER NOT NULL,
    scenarios   TEXT NOT NULL,          -- JSON array of scenario ids
    started_at  TEXT NOT NULL,
    ended_at    TEXT,
    UNIQUE (session_id, number)
);

CREATE TABLE attempts (
    id              INTEGER PRIMARY KEY,
    registration    TEXT NOT NULL UNIQUE,   -- UUID, the xAPI registration
    trainee_id      INTEGER NOT NULL REFERENCES trainees(id),
    team_id         INTEGER REFERENCES teams(id),
    session_id      INTEGER REFERENCES sessions(id),
    round_id        INTEGER REFERENCES rounds(id),
    scenario        TEXT NOT NULL,
    persona         TEXT NOT NULL,
    channel         TEXT NOT NULL,
    content_hash    TEXT NOT NULL,
    seed            INTEGER NOT NULL,
    locale          TEXT NOT NULL,
    mode            TEXT NOT NULL CHECK (mode IN ('practice', 'exam')),
    started_at      TEXT NOT NULL,
    ended_at        TEXT NOT NULL,
    duration_ms     INTEGER NOT NULL,
    overall         REAL NOT NULL,
    tone            REAL NOT NULL,
    persistence     REAL NOT NULL,
    evidence        REAL NOT NULL,
    outcome         TEXT NOT NULL,
    passed          INTEGER NOT NULL,
    violations      TEXT NOT NULL,          -- JSON array of rule keys
    evidence_items  TEXT NOT NULL,          -- JSON array of evidence ids
    result          TEXT NOT NULL,          -- the full scored result, transcript included
    checksum        TEXT NOT NULL           -- SHA-256 of `result`
);
CREATE INDEX attempts_by_trainee ON attempts(trainee_id);
CREATE INDEX attempts_by_session ON attempts(session_id);

-- Every choice, for "where do trainees go wrong".
CREATE TABLE attempt_choices (
    attempt_id  INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
    turn        INTEGER NOT NULL,
    node        TEXT NOT NULL,
    choice      TEXT NOT NULL,
    was_best    INTEGER NOT NULL,
    violation   TEXT,
    PRIMARY KEY (attempt_id, turn)
);

CREATE TABLE quiz_results (
    id              INTEGER PRIMARY KEY,
    registration    TEXT NOT NULL UNIQUE,
    trainee_id      INTEGER NOT NULL REFERENCES trainees(id),
    team_id         INTEGER REFERENCES teams(id),
    session_id      INTEGER REFERENCES sessions(id),
    code            TEXT NOT NULL,
    locale          TEXT NOT NULL,
    mode            TEXT NOT NULL CHECK (mode IN ('practice', 'exam')),
    started_at      TEXT NOT NULL,
    ended_at        TEXT NOT NULL,
    duration_ms     INTEGER NOT NULL,
    score           REAL NOT NULL,
    passed          INTEGER NOT NULL,
    result          TEXT NOT NULL,
    checksum        TEXT NOT NULL
);

CREATE TABLE settings (
    key     TEXT PRIMARY KEY,
    value   TEXT NOT NULL
);
"#;

/// Migration 2: campaign results (with the full action log) and the classroom's campaign
/// rounds, where every team plays one campaign with one seed. A table of their own, so a
/// round of scenarios and a round of a campaign never have to be told apart in one row.
const V2: &str = r#"
CREATE TABLE campaign_rounds (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES sessions(id),
    number      INTEGER NOT NULL,
    campaign    TEXT NOT NULL,
    seed        INTEGER NOT NULL,
    started_at  TEXT NOT NULL,
    ended_at    TEXT,
    UNIQUE (session_id, number)
);

CREATE TABLE campaign_results (
    id              INTEGER PRIMARY KEY,
    registration    TEXT NOT NULL UNIQUE,   -- UUID, the xAPI registration
    trainee_id      INTEGER NOT NULL REFERENCES trainees(id),
    team_id         INTEGER REFERENCES teams(id),
    session_id      INTEGER REFERENCES sessions(id),
    round_id        INTEGER REFERENCES campaign_rounds(id),
    campaign        TEXT NOT NULL,
    content_hash    TEXT NOT NULL,
    seed            INTEGER NOT NULL,
    locale          TEXT NOT NULL,
    started_at      TEXT NOT NULL,
    ended_at        TEXT NOT NULL,
    duration_ms     INTEGER NOT NULL,
    total           REAL NOT NULL,
    cash            REAL NOT NULL,
    ageing          REAL NOT NULL,
    rhythm          REAL NOT NULL,
    evidence        REAL NOT NULL,
    passed          INTEGER NOT NULL,
    collected       REAL NOT NULL,
    owed            REAL NOT NULL,
    result          TEXT NOT NULL,          -- the full CampaignResult, action log included
    checksum        TEXT NOT NULL           -- SHA-256 of `result`
);
CREATE INDEX campaign_results_by_trainee ON campaign_results(trainee_id);
CREATE INDEX campaign_results_by_session ON campaign_results(session_id);
"#;

/// Migration 3: when each conversation turn was answered (for the xAPI `answered`
/// statements' timestamps), and the outbox of statements waiting for the learning record
/// store. Tables of their own, so a report still reads an older file as it is.
const V3: &str = r#"
CREATE TABLE turn_times (
    attempt_id   INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
    turn         INTEGER NOT NULL,
    answered_at  TEXT NOT NULL,           -- RFC 3339, when the trainee chose
    PRIMARY KEY (attempt_id, turn)
);

-- Statements for the LRS, written in the transaction that records their result, so a saved
-- result always has its statements queued. A statement is marked sent only after a 2xx.
CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY,
    statement_id  TEXT NOT NULL UNIQUE,   -- deterministic (UUID v5), so a resend is harmless
    registration  TEXT NOT NULL,          -- the result it belongs to
    statement     TEXT NOT NULL,          -- the statement JSON
    state         TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'refused')),
    tries         INTEGER NOT NULL DEFAULT 0,
    next_try_at   TEXT,                   -- RFC 3339; no earlier retry after a failure
    last_error    TEXT,                   -- the last failure or the LRS's reason for refusing
    queued_at     TEXT NOT NULL,
    sent_at       TEXT
);
CREATE INDEX outbox_by_state ON outbox(state, id);
CREATE INDEX outbox_by_registration ON outbox(registration);
"#;

/// Migration 4: when each quiz question was answered (for the xAPI `answered` statements'
/// timestamps and durations), as turn times are for conversations.
const V4: &str = r#"
CREATE TABLE quiz_answer_times (
    quiz_id      INTEGER NOT NULL REFERENCES quiz_results(id) ON DELETE CASCADE,
    question     INTEGER NOT NULL,        -- 1-based, in the order asked
    answered_at  TEXT NOT NULL,           -- RFC 3339, when the trainee submitted the answer
    PRIMARY KEY (quiz_id, question)
);
"#;

/// Every migration, in order; the schema version is how many have run.
pub const MIGRATIONS: &[&str] = &[V1, V2, V3, V4];

/// The schema version that added campaign results and campaign rounds: reports read an older
/// file as one without any.
pub const CAMPAIGNS: i64 = 2;

/// The schema version that added turn times and the outbox: reports read an older file as
/// one whose turns have no times and whose outbox is empty.
pub const OUTBOX: i64 = 3;

/// The schema version that added quiz answer times: reports read an older file as one whose
/// quiz answers have no times.
pub const QUIZ_TIMES: i64 = 4;
