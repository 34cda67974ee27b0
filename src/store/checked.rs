//! Reading stored rows defensively: each row's result is checked against its stored SHA-256
//! and parsed, and a row that fails is set aside by id instead of stopping the whole read.

use rusqlite::Row;

use super::{Result, StoreError, checksum_bytes};

/// A stored row that could not be read as it was written, and why; exports leave it out and
/// name it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// `attempt` or `quiz result`.
    pub kind: &'static str,
    /// Its row id.
    pub id: i64,
    /// What is wrong with it.
    pub why: String,
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} #{}: {}", self.kind, self.id, self.why)
    }
}

impl Skipped {
    /// Sets aside `kind` #`id` for the reason given.
    pub(super) fn of(kind: &'static str, id: i64) -> impl Fn(String) -> Skipped + Copy {
        move |why| Skipped { kind, id, why }
    }

    pub(super) fn into_error(self) -> StoreError {
        StoreError::Damaged {
            what: format!("{} #{}", self.kind, self.id),
            why: self.why,
        }
    }
}

/// Rows read with the damaged ones set aside.
#[derive(Clone, Debug)]
pub struct Checked<T> {
    /// The rows that read back as written.
    pub rows: Vec<T>,
    /// The rows left out.
    pub skipped: Vec<Skipped>,
}

impl<T> Checked<T> {
    /// Reads `rows`, each parsed by `parse`; a row that fails is set aside, an error of SQLite
    /// itself stops the read.
    pub(super) fn gather<R>(
        rows: impl Iterator<Item = RowRead<R>>,
        parse: impl Fn(R) -> std::result::Result<T, Skipped>,
    ) -> Result<Checked<T>> {
        let mut out = Checked {
            rows: Vec::new(),
            skipped: Vec::new(),
        };
        for row in rows {
            match row?.and_then(&parse) {
                Ok(t) => out.rows.push(t),
                Err(s) => out.skipped.push(s),
            }
        }
        Ok(out)
    }

    /// The rows, or an error naming the first damaged one.
    pub(super) fn strict(self) -> Result<Vec<T>> {
        match self.skipped.into_iter().next() {
            Some(s) => Err(s.into_error()),
            None => Ok(self.rows),
        }
    }
}

/// A row read, or set aside when a column does not convert (a field that is not valid UTF-8,
/// a number where text belongs). Errors of SQLite itself still stop the read.
pub(super) type RowRead<T> = rusqlite::Result<std::result::Result<T, Skipped>>;

pub(super) fn row_read<T>(
    kind: &'static str,
    row: &Row<'_>,
    read: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
) -> RowRead<T> {
    let id: i64 = row.get(0)?;
    match read(row) {
        Ok(t) => Ok(Ok(t)),
        Err(
            e @ (rusqlite::Error::FromSqlConversionFailure(..)
            | rusqlite::Error::InvalidColumnType(..)
            | rusqlite::Error::IntegralValueOutOfRange(..)
            | rusqlite::Error::Utf8Error(..)),
        ) => Ok(Err(Skipped {
            kind,
            id,
            why: format!("a stored field does not read back ({e})"),
        })),
        Err(e) => Err(e),
    }
}

/// The stored result's bytes, checked against the stored checksum and parsed.
pub(super) fn checked_result<T: serde::de::DeserializeOwned>(
    kind: &'static str,
    id: i64,
    bytes: &[u8],
    sum: &str,
) -> std::result::Result<T, Skipped> {
    let skip = Skipped::of(kind, id);
    if checksum_bytes(bytes) != sum {
        return Err(skip(
            "stored result fails its checksum (edited or damaged)".into(),
        ));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|e| skip(format!("stored result is not valid UTF-8 ({e})")))?;
    serde_json::from_str(text).map_err(|e| skip(format!("stored result does not parse ({e})")))
}
