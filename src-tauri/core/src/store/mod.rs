//! The SQLite store: opening, pragmas, versioned migrations and transactions.
//!
//! Invariants:
//! - every connection runs with WAL, `foreign_keys=ON` and a busy timeout;
//! - the schema is migrated with `rusqlite_migration` on open; a database whose schema version is
//!   newer than this build knows is refused before anything is written to it;
//! - every user action runs in one `BEGIN IMMEDIATE` transaction ([`Store::write`]), so concurrent
//!   writers (two laptops on one file, two threads in tests) serialise instead of interleaving.

use std::path::Path;
use std::sync::LazyLock;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

/// The transaction every user action runs in (see [`Store::write`]).
pub use rusqlite::Transaction;
use rusqlite_migration::{M, Migrations};

use crate::error::{CoreError, CoreResult};

mod text_enum;
pub(crate) use text_enum::text_enum;

/// The schema history, oldest first; the schema version is the number of applied entries.
/// Append only: never edit a migration that has shipped.
const MIGRATION_SQL: &[&str] = &[
    include_str!("migrations/0001_events_people_registrations.sql"),
    include_str!("migrations/0002_wishes.sql"),
    include_str!("migrations/0003_exports.sql"),
    include_str!("migrations/0006_imports.sql"),
];

static MIGRATIONS: LazyLock<Migrations<'static>> =
    LazyLock::new(|| Migrations::new(MIGRATION_SQL.iter().map(|sql| M::up(sql)).collect()));

/// How long a writer waits for another writer before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// An open Tagungsbüro database.
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (or creates) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> CoreResult<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        Self::prepare(Connection::open_with_flags(path, flags)?)
    }

    /// Opens a private in-memory database (tests, benchmarks, the `cluster --input` CLI).
    pub fn open_in_memory() -> CoreResult<Self> {
        Self::prepare(Connection::open_in_memory()?)
    }

    fn prepare(mut conn: Connection) -> CoreResult<Self> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        register_functions(&conn)?;
        refuse_newer_schema(&conn)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        MIGRATIONS.to_latest(&mut conn)?;
        Ok(Store { conn })
    }

    /// Runs `action` in one immediate transaction; commits on `Ok`, rolls back on `Err`.
    pub fn write<T>(
        &mut self,
        action: impl FnOnce(&Transaction<'_>) -> CoreResult<T>,
    ) -> CoreResult<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = action(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Runs read-only `query` in one deferred transaction, so it sees one consistent snapshot.
    pub fn read<T>(&mut self, query: impl FnOnce(&Connection) -> CoreResult<T>) -> CoreResult<T> {
        let tx = self.conn.transaction()?;
        let value = query(&tx)?;
        tx.finish()?;
        Ok(value)
    }

    /// The underlying connection, for read-only helpers that manage no transaction.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// Schema version this build migrates to.
pub fn latest_schema_version() -> usize {
    MIGRATION_SQL.len()
}

/// SQL functions the queries use: `fold(text)` compares names without case and diacritics.
fn register_functions(conn: &Connection) -> CoreResult<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        "fold",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| Ok(fold(&ctx.get::<String>(0)?)),
    )?;
    Ok(())
}

/// Lower case without diacritics, ß as ss, trimmed: "  Müller " → "muller".
pub fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut folded = String::with_capacity(text.len());
    let letters = text
        .trim()
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase);
    for c in letters {
        match c {
            'ß' => folded.push_str("ss"),
            c => folded.push(c),
        }
    }
    folded
}

fn refuse_newer_schema(conn: &Connection) -> CoreResult<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    let found = usize::try_from(found).unwrap_or(usize::MAX);
    let known = latest_schema_version();
    if found > known {
        return Err(CoreError::DatabaseTooNew { found, known });
    }
    Ok(())
}

/// The current instant in UTC as RFC 3339 (second precision), for `created_at`/`updated_at`.
pub fn now_utc() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A fresh random UUID for a new row's `uid`.
pub fn new_uid() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid_and_counted() {
        MIGRATIONS
            .validate()
            .expect("migrations must apply cleanly");
        let mut conn = Connection::open_in_memory().unwrap();
        MIGRATIONS.to_latest(&mut conn).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version as usize, latest_schema_version());
    }

    #[test]
    fn a_database_from_a_newer_version_is_refused_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("neu.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "user_version", 999).unwrap();
            conn.execute_batch("CREATE TABLE zukunft (x)").unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let Err(err) = Store::open(&path) else {
            panic!("a newer schema must be refused");
        };
        assert!(matches!(err, CoreError::DatabaseTooNew { found: 999, .. }));
        assert!(err.to_string().contains("neueren Version"));
        assert_eq!(std::fs::read(&path).unwrap(), before, "file was modified");
    }

    #[test]
    fn pragmas_are_set() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("a.db")).unwrap();
        let conn = store.connection();
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        let fk: i64 = conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        assert_eq!(fk, 1);
    }

    #[test]
    fn every_table_has_id_uid_and_timestamps() {
        let store = Store::open_in_memory().unwrap();
        let conn = store.connection();
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%'")
            .unwrap();
        let tables: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(!tables.is_empty());
        for table in tables {
            let mut cols = conn
                .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
                .unwrap();
            let names: Vec<String> = cols
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            for required in ["id", "uid", "created_at", "updated_at"] {
                assert!(
                    names.iter().any(|n| n == required),
                    "{table} lacks {required}"
                );
            }
        }
    }
}
