//! The SQLite store: the database guard, opening checks, pragmas, versioned migrations,
//! change stamps and transactions.
//!
//! Invariants:
//! - a database file is opened by at most one [`Store`] family at a time: the [`guard`] holds an
//!   exclusive lock next to it for the store's whole life, and a second opener (the CLI, a second
//!   app) is refused before SQLite touches the file;
//! - no directory is ever created for a database; a new file only in an existing folder;
//! - before anything can write (not even a checkpoint), a read-only connection checks that the
//!   file is a database, that its schema is not newer than this build, and `PRAGMA quick_check`;
//!   a damaged file stays readable but every write is refused;
//! - every connection runs with WAL, `foreign_keys=ON` and a busy timeout;
//! - every user action runs in one `BEGIN IMMEDIATE` transaction ([`Store::write`]), and no write
//!   goes into a file that was deleted or replaced while the store had it open;
//! - `updated_at` moves forward by at least a millisecond on every update and every delete leaves
//!   a tombstone ([`stamps`]), whatever the code path.

use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

/// The transaction every user action runs in (see [`Store::write`]).
pub use rusqlite::Transaction;
use rusqlite_migration::{M, Migrations};

use crate::error::{CoreError, CoreResult};

pub mod capture;
pub mod guard;
pub mod stamps;
mod text_enum;
pub use text_enum::labels_record_ts;
pub(crate) use text_enum::text_enum;

use guard::DatabaseGuard;
pub use guard::{FileState, FileWatch};
pub use stamps::now_stamp as now_utc;

/// The schema history, oldest first; the schema version is the number of applied entries.
/// Append only: never edit a migration that has shipped.
const MIGRATION_SQL: &[&str] = &[
    include_str!("migrations/0001_events_people_registrations.sql"),
    include_str!("migrations/0002_wishes.sql"),
    include_str!("migrations/0003_exports.sql"),
    include_str!("migrations/0004_unique_email.sql"),
    include_str!("migrations/0005_stamps_and_tombstones.sql"),
    include_str!("migrations/0006_imports.sql"),
    include_str!("migrations/0007_presentation_settings.sql"),
    include_str!("migrations/0008_privacy.sql"),
    include_str!("migrations/0009_office_settings.sql"),
    include_str!("migrations/0010_mail.sql"),
    ORGANISATION_AREAS,
    include_str!("migrations/0012_wish_evidence.sql"),
    include_str!("migrations/0013_sync.sql"),
    include_str!("migrations/0014_letterhead_images.sql"),
    include_str!("migrations/0015_sync_compaction.sql"),
];

/// Migration 0011: organisations of kind Kommune/Kreis get their official key; its hook links
/// the existing ones whose name is unambiguous ([`crate::municipalities::link_unlinked`]).
const ORGANISATION_AREAS: &str = include_str!("migrations/0011_organisation_areas.sql");

/// Migrations run with foreign keys off (a table rebuild must not cascade) and each one checks
/// the foreign keys before it commits (`PRAGMA foreign_key_check`).
static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::new(
        MIGRATION_SQL
            .iter()
            .map(|sql| {
                if *sql == ORGANISATION_AREAS {
                    M::up_with_hook(sql, |tx: &Transaction<'_>| {
                        crate::municipalities::link_unlinked(tx)?;
                        Ok(())
                    })
                } else {
                    M::up(sql)
                }
                .foreign_key_check()
            })
            .collect(),
    )
});

/// How long a writer waits for another writer before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// An open Tagungsbüro database.
pub struct Store {
    conn: Connection,
    /// The lock on the file; `None` for in-memory databases. Shared by [`Store::second_connection`].
    guard: Option<Arc<DatabaseGuard>>,
    /// What `quick_check` found on opening; writes are refused while set.
    damage: Option<String>,
    /// Whether opening created the file.
    created: bool,
    /// Runs inside every write just before it commits (the laptop sync), shared with
    /// [`Store::second_connection`].
    hook: Option<Arc<dyn CommitHook>>,
}

/// Work that belongs to every write transaction: it runs inside the transaction just before the
/// commit, so its rows commit or roll back together with the action's (the laptop sync turns
/// the queued row changes into one replicated change here). Implemented above the store.
pub trait CommitHook: Send + Sync {
    /// Called with the open transaction after the action succeeded; an error rolls it all back.
    fn before_commit(&self, tx: &Transaction<'_>) -> CoreResult<()>;
    /// Called when the transaction did not commit after [`CommitHook::before_commit`] ran, so
    /// state the hook keeps in memory can be thrown away.
    fn after_rollback(&self);
    /// The hook as `Any`, so its owner can find its own type again.
    fn as_any(&self) -> &dyn std::any::Any;
}

/// What the read-only look at an existing file found.
struct Inspection {
    schema_version: usize,
    damage: Option<String>,
}

impl Store {
    /// Opens the database at `path` (creating the file, never its folder) and brings its schema
    /// up to date. Refuses a file another Tagungsbüro has open ([`CoreError::DatabaseInUse`]), a
    /// file that is not a database, and one from a newer version — all without changing it.
    pub fn open(path: &Path) -> CoreResult<Self> {
        let guard = DatabaseGuard::acquire(path)?;
        let exists = path.exists();
        let inspection = if exists {
            Some(inspect_read_only(path)?)
        } else {
            None
        };
        let damage = inspection.as_ref().and_then(|i| i.damage.clone());
        if let Some(found) = inspection.as_ref().map(|i| i.schema_version) {
            let known = latest_schema_version();
            if found > known {
                return Err(CoreError::DatabaseTooNew { found, known });
            }
            if let Some(detail) = &damage
                && found < known
            {
                // A damaged file is never migrated: that would write into it.
                return Err(damaged(path, detail));
            }
        }
        let mut flags = read_write_flags();
        if !exists {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let conn = Connection::open_with_flags(path, flags).map_err(|e| not_a_database(path, e))?;
        let mut store = Store {
            conn,
            guard: None,
            damage,
            created: !exists,
            hook: None,
        };
        store.prepare()?;
        guard.remember_file()?;
        store.guard = Some(Arc::new(guard));
        Ok(store)
    }

    /// Opens a private in-memory database (tests, benchmarks, the `cluster --input` CLI).
    pub fn open_in_memory() -> CoreResult<Self> {
        let mut store = Store {
            conn: Connection::open_in_memory()?,
            guard: None,
            damage: None,
            created: true,
            hook: None,
        };
        store.prepare()?;
        Ok(store)
    }

    /// A second connection to the same file under the same guard, e.g. for a worker thread.
    /// Writers of both serialise on `BEGIN IMMEDIATE`.
    pub fn second_connection(&self) -> CoreResult<Store> {
        let guard = self.guard.clone().ok_or(CoreError::Conflict(
            "Eine Datenbank im Arbeitsspeicher hat keine zweite Verbindung.".to_owned(),
        ))?;
        guard.ensure_present()?;
        let flags = read_write_flags();
        let mut store = Store {
            conn: Connection::open_with_flags(guard.path(), flags)?,
            guard: Some(guard),
            damage: self.damage.clone(),
            created: false,
            hook: self.hook.clone(),
        };
        store.prepare()?;
        Ok(store)
    }

    fn prepare(&mut self) -> CoreResult<()> {
        let conn = &mut self.conn;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        register_functions(conn)?;
        if self.damage.is_some() {
            // Read-only use of a damaged file: no pragma that could write, no migration.
            conn.pragma_update(None, "query_only", true)?;
            return Ok(());
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // SQLite's table rebuild (12 steps) needs foreign keys off while migrating.
        conn.pragma_update(None, "foreign_keys", "OFF")?;
        MIGRATIONS.to_latest(conn)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        stamps::ensure_triggers(conn)?;
        Ok(())
    }

    /// Whether opening created a new database file (the CLI says so on stderr).
    pub fn was_created(&self) -> bool {
        self.created
    }

    /// The database file, `None` for an in-memory database.
    pub fn path(&self) -> Option<&Path> {
        self.guard.as_ref().map(|g| g.path())
    }

    /// A handle for a watcher thread that reports the file's state without the store.
    pub fn file_watch(&self) -> Option<FileWatch> {
        self.guard.as_ref().map(|g| FileWatch(Arc::downgrade(g)))
    }

    /// Whether the file is still the one the store opened (cheap: one `stat`).
    pub fn file_state(&self) -> FileState {
        self.guard
            .as_ref()
            .map_or(FileState::Present, |g| g.file_state())
    }

    /// Why writes are refused, if they are: a damaged, deleted or replaced file.
    pub fn ensure_writable(&self) -> CoreResult<()> {
        if let Some(guard) = &self.guard {
            guard.ensure_present()?;
            if let Some(detail) = &self.damage {
                return Err(damaged(guard.path(), detail));
            }
        }
        Ok(())
    }

    /// Writes the still open contents of a deleted database file back to its path and continues
    /// on the restored file. A file replaced by another one is left alone (refused).
    pub fn restore_deleted_file(&mut self) -> CoreResult<PathBuf> {
        let Some(guard) = self.guard.clone() else {
            return Err(CoreError::Conflict(
                "Eine Datenbank im Arbeitsspeicher kann nicht wiederhergestellt werden.".to_owned(),
            ));
        };
        let path = guard.path().to_owned();
        match guard.file_state() {
            FileState::Present => return Ok(path),
            FileState::Replaced => return guard.ensure_present().map(|()| path),
            FileState::Deleted => {}
        }
        // `self` plus the clone above: a second connection would go on writing into the
        // deleted file after the restore.
        if Arc::strong_count(&guard) > 2 {
            return Err(CoreError::Conflict(
                "Die Datenbank wird gerade noch von einem anderen Vorgang benutzt; bitte gleich noch einmal versuchen.".to_owned(),
            ));
        }
        if !path
            .parent()
            .is_none_or(|d| d.as_os_str().is_empty() || d.is_dir())
        {
            return Err(CoreError::DatabaseFolderMissing {
                folder: path.parent().unwrap_or(&path).display().to_string(),
            });
        }
        let mut temp_name = std::ffi::OsString::from(".");
        temp_name.push(path.file_name().unwrap_or_default());
        temp_name.push(".wiederherstellung");
        let temp = path.with_file_name(temp_name);
        let _ = std::fs::remove_file(&temp);
        let target = temp.to_str().ok_or_else(|| {
            CoreError::Conflict("Der Pfad der Datenbank enthält ungültige Zeichen.".to_owned())
        })?;
        self.conn.execute("VACUUM INTO ?1", [target])?;
        // Close the old connection first: its last checkpoint goes into the deleted file and it
        // removes the old `-wal`/`-shm` names, which must not belong to the restored file.
        let old = std::mem::replace(&mut self.conn, Connection::open_in_memory()?);
        let _ = old.close();
        std::fs::rename(&temp, &path)?;
        let flags = read_write_flags();
        self.conn = Connection::open_with_flags(&path, flags)?;
        self.prepare()?;
        guard.remember_file()?;
        Ok(path)
    }

    /// Whether `quick_check` found damage on opening (writes are refused).
    pub fn is_damaged(&self) -> bool {
        self.damage.is_some()
    }

    /// Replaces the database file with `prepared` (a checked, self-contained database on the same
    /// file system, see `backup::restore`) and goes on with it: the old connection is closed
    /// (its last checkpoint goes into the old file), stale `-wal`/`-shm` are removed, the file is
    /// renamed into place while the guard's lock is held all along, then reopened and migrated.
    /// Refused while a second connection is open (it would go on with the old file).
    pub fn replace_file(&mut self, prepared: &Path) -> CoreResult<()> {
        let Some(guard) = self.guard.clone() else {
            return Err(CoreError::Conflict(
                "Eine Datenbank im Arbeitsspeicher kann nicht ersetzt werden.".to_owned(),
            ));
        };
        if Arc::strong_count(&guard) > 2 {
            return Err(CoreError::Conflict(
                "Die Datenbank wird gerade noch von einem anderen Vorgang benutzt; bitte gleich noch einmal versuchen.".to_owned(),
            ));
        }
        let path = guard.path().to_owned();
        let old = std::mem::replace(&mut self.conn, Connection::open_in_memory()?);
        old.close().map_err(|(_, e)| e)?;
        let mut result = Ok(());
        for suffix in ["-wal", "-shm", "-journal"] {
            let mut companion = path.as_os_str().to_owned();
            companion.push(suffix);
            match std::fs::remove_file(PathBuf::from(companion)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => result = Err(e),
                _ => {}
            }
        }
        let renamed = result.and_then(|()| std::fs::rename(prepared, &path));
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            #[cfg(unix)]
            if let Ok(dir) = std::fs::File::open(folder) {
                let _ = dir.sync_all();
            }
            #[cfg(not(unix))]
            let _ = folder;
        }
        // Reopened either way: on the restored file, or on the old one when the swap failed.
        self.conn = Connection::open_with_flags(&path, read_write_flags())?;
        if renamed.is_ok() {
            self.damage = None;
            self.created = false;
        }
        self.prepare()?;
        guard.remember_file()?;
        renamed.map_err(CoreError::from)
    }

    /// Runs `action` in one immediate transaction; commits on `Ok`, rolls back on `Err`.
    /// Refused up front when the file is damaged, deleted or replaced (see [`Store::ensure_writable`]).
    pub fn write<T>(
        &mut self,
        action: impl FnOnce(&Transaction<'_>) -> CoreResult<T>,
    ) -> CoreResult<T> {
        self.ensure_writable()?;
        #[cfg(test)]
        let (before, applied_before) = (
            stamps::audit::snapshot(&self.conn),
            stamps::audit::applied_writes(&self.conn),
        );
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = action(&tx)?;
        if let Some(hook) = &self.hook {
            let committed = hook
                .before_commit(&tx)
                .and_then(|()| tx.commit().map_err(CoreError::from));
            if let Err(e) = committed {
                hook.after_rollback();
                return Err(e);
            }
        } else {
            tx.commit()?;
        }
        #[cfg(test)]
        {
            let remote = stamps::audit::applied_writes(&self.conn) != applied_before;
            let after = stamps::audit::snapshot(&self.conn);
            stamps::audit::check(&self.conn, &before, &after, remote);
        }
        Ok(value)
    }

    /// Runs read-only `query` in one deferred transaction, so it sees one consistent snapshot.
    pub fn read<T>(&mut self, query: impl FnOnce(&Connection) -> CoreResult<T>) -> CoreResult<T> {
        let tx = self.conn.transaction()?;
        let value = query(&tx)?;
        tx.finish()?;
        Ok(value)
    }

    /// Installs the work every later write of this store (and of its second connections)
    /// does before it commits; replaces an earlier one.
    pub fn set_commit_hook(&mut self, hook: Arc<dyn CommitHook>) {
        self.hook = Some(hook);
    }

    /// The hook installed by [`Store::set_commit_hook`], if any.
    pub fn commit_hook(&self) -> Option<&Arc<dyn CommitHook>> {
        self.hook.as_ref()
    }

    /// The underlying connection, for read-only helpers that manage no transaction.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// How every read-write connection of a store opens the file (creation is added only for a new
/// file, see [`Store::open`]).
fn read_write_flags() -> OpenFlags {
    OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX
}

/// Looks at an existing file through a read-only connection that cannot checkpoint, so a
/// refused file is left exactly as it was (main file *and* an unmerged `-wal`).
fn inspect_read_only(path: &Path) -> CoreResult<Inspection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| not_a_database(path, e))?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    register_functions(&conn)?;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(|e| not_a_database(path, e))?;
    let schema_version = usize::try_from(version).unwrap_or(usize::MAX);
    if schema_version > latest_schema_version() {
        return Ok(Inspection {
            schema_version,
            damage: None,
        });
    }
    Ok(Inspection {
        schema_version,
        damage: quick_check(&conn)?,
    })
}

/// `PRAGMA quick_check`: `None` when the file is sound, else the first findings.
fn quick_check(conn: &Connection) -> CoreResult<Option<String>> {
    let mut stmt = match conn.prepare("PRAGMA quick_check(5)") {
        Ok(stmt) => stmt,
        Err(e) if is_corruption(&e) => return Ok(Some(e.to_string())),
        Err(e) => return Err(e.into()),
    };
    let findings: Result<Vec<String>, _> = stmt.query_map([], |row| row.get(0))?.collect();
    match findings {
        Ok(findings) if findings == ["ok"] => Ok(None),
        Ok(findings) => Ok(Some(findings.join("; "))),
        Err(e) if is_corruption(&e) => Ok(Some(e.to_string())),
        Err(e) => Err(e.into()),
    }
}

fn is_corruption(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
    )
}

fn damaged(path: &Path, detail: &str) -> CoreError {
    CoreError::DatabaseDamaged {
        path: path.display().to_string(),
        detail: detail.to_owned(),
    }
}

fn not_a_database(path: &Path, error: rusqlite::Error) -> CoreError {
    if error.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) {
        CoreError::NotADatabase {
            path: path.display().to_string(),
        }
    } else {
        error.into()
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

/// A fresh random UUID for a new row's `uid`.
pub fn new_uid() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Migration 0008 rebuilds `registrations` (person may be NULL): a database with
    /// registrations, their status log, attendance, workshops and wishes keeps all of them, the
    /// foreign keys of the other tables still point at `registrations`, and on a normal open
    /// (foreign keys on) a registration without person can be stored.
    #[test]
    fn rebuilding_registrations_keeps_every_row_and_reference() {
        let mut conn = Connection::open_in_memory().unwrap();
        register_functions(&conn).unwrap();
        conn.pragma_update(None, "foreign_keys", "OFF").unwrap();
        MIGRATIONS.to_version(&mut conn, 7).unwrap();
        let t = "2026-01-01T10:00:00.000Z";
        conn.execute_batch(&format!(
            "INSERT INTO events (id, uid, title, series, starts_at, ends_at, format, created_at, updated_at)
               VALUES (1, 'e', 'Forum', 'forum', '{t}', '2026-01-01T12:00:00.000Z', 'online', '{t}', '{t}');
             INSERT INTO persons (id, uid, first_name, last_name, created_at, updated_at)
               VALUES (1, 'p', 'Anna', 'Adler', '{t}', '{t}');
             INSERT INTO registrations (id, uid, event_id, person_id, status, registered_at, created_at, updated_at)
               VALUES (5, 'r', 1, 1, 'angemeldet', '{t}', '{t}', '{t}');
             INSERT INTO registration_status_log (uid, registration_id, changed_at, to_status, created_at, updated_at)
               VALUES ('l', 5, '{t}', 'angemeldet', '{t}', '{t}');
             INSERT INTO attendance (uid, registration_id, day, state, recorded_at, created_at, updated_at)
               VALUES ('a', 5, '2026-01-01', 'anwesend', '{t}', '{t}', '{t}');
             INSERT INTO wishes (uid, event_id, registration_id, text, created_at, updated_at)
               VALUES ('w', 1, 5, 'Ukraine', '{t}', '{t}');"
        ))
        .unwrap();
        MIGRATIONS.to_latest(&mut conn).unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        assert_eq!(
            count("SELECT count(*) FROM registrations WHERE id = 5 AND person_id = 1"),
            1
        );
        assert_eq!(
            count("SELECT count(*) FROM registration_status_log WHERE registration_id = 5"),
            1
        );
        assert_eq!(
            count("SELECT count(*) FROM attendance WHERE registration_id = 5"),
            1
        );
        assert_eq!(
            count("SELECT count(*) FROM wishes WHERE registration_id = 5"),
            1
        );
        for table in [
            "registration_status_log",
            "attendance",
            "registration_sessions",
            "wishes",
            "import_rows",
        ] {
            let target: String = conn
                .query_row(
                    &format!("SELECT \"table\" FROM pragma_foreign_key_list('{table}') WHERE \"from\" = 'registration_id'"),
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(target, "registrations", "{table}");
        }
        for index in [
            "registrations_person",
            "registrations_event_status",
            "registrations_organisation",
        ] {
            assert_eq!(
                count(&format!(
                    "SELECT count(*) FROM sqlite_master WHERE name = '{index}'"
                )),
                1
            );
        }
        conn.execute_batch(&format!(
            "INSERT INTO registrations (uid, event_id, person_id, status, registered_at, created_at, updated_at)
               VALUES ('anon', 1, NULL, 'storniert', '{t}', '{t}', '{t}');"
        ))
        .unwrap();
        // The UNIQUE (event, person) still holds for persons.
        assert!(conn
            .execute_batch(&format!(
                "INSERT INTO registrations (uid, event_id, person_id, status, registered_at, created_at, updated_at)
                   VALUES ('dup', 1, 1, 'storniert', '{t}', '{t}', '{t}');"
            ))
            .is_err());
        // A deleted event still cascades.
        conn.execute("DELETE FROM events WHERE id = 1", []).unwrap();
        assert_eq!(count("SELECT count(*) FROM attendance"), 0);
    }

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

    /// Migration 0011 links existing Kommunen/Kreise whose name is unambiguous; the others
    /// stay for the user.
    #[test]
    fn migration_0011_links_existing_kommunen_and_kreise() {
        let before = MIGRATION_SQL
            .iter()
            .position(|sql| *sql == ORGANISATION_AREAS)
            .unwrap();
        let mut conn = Connection::open_in_memory().unwrap();
        register_functions(&conn).unwrap();
        MIGRATIONS.to_version(&mut conn, before).unwrap();
        for (uid, name, kind) in [
            ("1", "Stadt Hürth", "kommune"),
            ("2", "Kreis Borken", "kreis"),
            ("3", "Stadt Bad", "kommune"),
            ("4", "Partnerschaftsverein Hürth", "verein"),
        ] {
            conn.execute(
                "INSERT INTO organisations (uid, name, kind, created_at, updated_at)
                 VALUES (?1, ?2, ?3, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')",
                [uid, name, kind],
            )
            .unwrap();
        }
        MIGRATIONS.to_latest(&mut conn).unwrap();
        let ags = |uid: &str| -> Option<String> {
            conn.query_row("SELECT ags FROM organisations WHERE uid = ?1", [uid], |r| {
                r.get(0)
            })
            .unwrap()
        };
        assert_eq!(ags("1").as_deref(), Some("05362028"));
        assert_eq!(ags("2").as_deref(), Some("05554"));
        assert_eq!(ags("3"), None, "ambiguous: left for the user");
        assert_eq!(ags("4"), None, "a Verein is not a Kommune");
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

    /// The newer version's last changes are still in the `-wal`: opening must neither
    /// checkpoint them into the main file nor delete the `-wal`.
    #[test]
    fn a_newer_database_with_an_unmerged_wal_is_refused_without_a_checkpoint() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("neu.db");
        let wal = dir.path().join("neu.db-wal");
        let writer = Connection::open(&path).unwrap();
        writer.pragma_update(None, "journal_mode", "WAL").unwrap();
        writer.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
        writer
            .execute_batch("CREATE TABLE zukunft (x); INSERT INTO zukunft VALUES (1);")
            .unwrap();
        writer.pragma_update(None, "user_version", 999).unwrap();
        writer
            .set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)
            .unwrap();
        drop(writer);
        let main_before = std::fs::read(&path).unwrap();
        let wal_before = std::fs::read(&wal).expect("the newer version left a -wal");
        assert!(!wal_before.is_empty());
        let Err(err) = Store::open(&path) else {
            panic!("a newer schema in the WAL must be refused");
        };
        assert!(
            matches!(err, CoreError::DatabaseTooNew { found: 999, .. }),
            "{err}"
        );
        assert_eq!(
            std::fs::read(&path).unwrap(),
            main_before,
            "main file rewritten"
        );
        assert_eq!(
            std::fs::read(&wal).unwrap(),
            wal_before,
            "-wal changed or deleted"
        );
    }

    #[test]
    fn a_second_store_on_the_same_file_is_refused_and_the_first_keeps_working() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let mut first = Store::open(&path).unwrap();
        assert!(first.was_created());
        let err = Store::open(&path)
            .err()
            .expect("second opener must be refused");
        assert!(matches!(err, CoreError::DatabaseInUse { .. }), "{err}");
        first
            .write(|tx| Ok(tx.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1)")?))
            .unwrap();
        drop(first);
        let again = Store::open(&path).unwrap();
        assert!(!again.was_created());
        let n: i64 = again
            .connection()
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
    }

    #[test]
    fn no_folder_is_created_for_a_mistyped_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tippfehler").join("a.db");
        let err = Store::open(&path)
            .err()
            .expect("missing folder must be refused");
        assert!(
            matches!(err, CoreError::DatabaseFolderMissing { .. }),
            "{err}"
        );
        assert!(!dir.path().join("tippfehler").exists());
    }

    #[test]
    fn a_foreign_file_is_refused_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("liste.db");
        let content = b"Name;E-Mail\nAnna;anna@example.org\n".repeat(200);
        std::fs::write(&path, &content).unwrap();
        let err = Store::open(&path).err().expect("a CSV is no database");
        assert!(matches!(err, CoreError::NotADatabase { .. }), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), content);
    }

    /// A page of a table overwritten with garbage: the store opens (the data can still be read
    /// and saved elsewhere) but refuses every write with a German explanation.
    #[test]
    fn a_damaged_database_opens_read_only_and_refuses_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kaputt.db");
        {
            let mut store = Store::open(&path).unwrap();
            store
                .write(|tx| {
                    tx.execute_batch("CREATE TABLE t (x TEXT)")?;
                    for i in 0..2000 {
                        tx.execute(
                            "INSERT INTO t VALUES (?1)",
                            [format!("Zeile {i} mit etwas Text")],
                        )?;
                    }
                    Ok(())
                })
                .unwrap();
            store
                .connection()
                .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
                .unwrap();
        }
        let mut bytes = std::fs::read(&path).unwrap();
        let page_size = 4096;
        let pages = bytes.len() / page_size;
        // Garbage over the second half of the file (table pages, never the header page).
        for page in pages / 2..pages {
            for b in &mut bytes[page * page_size + 8..page * page_size + 200] {
                *b = 0xA5;
            }
        }
        std::fs::write(&path, &bytes).unwrap();
        let mut store = Store::open(&path).expect("a damaged file stays readable");
        let err = store
            .write(|tx| Ok(tx.execute_batch("INSERT INTO t VALUES ('neu')")?))
            .unwrap_err();
        assert!(matches!(err, CoreError::DatabaseDamaged { .. }), "{err}");
        assert!(err.to_string().contains("beschädigt"), "{err}");
    }

    /// The failure of issue 8: something in the app's own process opens and closes the database
    /// and its `-wal`/`-shm` with plain file APIs (as a file dialog does), which drops SQLite's
    /// POSIX locks. The guard's lock survives, so another opener is still refused and nothing
    /// written afterwards is lost.
    #[test]
    fn closing_descriptors_of_the_database_in_process_keeps_others_out() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let mut store = Store::open(&path).unwrap();
        store
            .write(|tx| Ok(tx.execute_batch("CREATE TABLE t (x)")?))
            .unwrap();
        for suffix in ["", "-wal", "-shm"] {
            let name = format!("a.db{suffix}");
            drop(std::fs::File::open(dir.path().join(name)).unwrap());
        }
        assert!(matches!(
            Store::open(&path),
            Err(CoreError::DatabaseInUse { .. })
        ));
        store
            .write(|tx| Ok(tx.execute_batch("INSERT INTO t VALUES ('nach dem Dialog')")?))
            .unwrap();
        drop(store);
        let store = Store::open(&path).unwrap();
        let n: i64 = store
            .connection()
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
    }

    #[test]
    fn a_deleted_database_refuses_writes_and_can_be_restored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let mut store = Store::open(&path).unwrap();
        store
            .write(|tx| Ok(tx.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1)")?))
            .unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(store.file_state(), FileState::Deleted);
        let err = store
            .write(|tx| Ok(tx.execute_batch("INSERT INTO t VALUES (2)")?))
            .unwrap_err();
        assert!(
            matches!(
                err,
                CoreError::DatabaseGone {
                    replaced: false,
                    ..
                }
            ),
            "{err}"
        );
        store.restore_deleted_file().unwrap();
        assert_eq!(store.file_state(), FileState::Present);
        store
            .write(|tx| Ok(tx.execute_batch("INSERT INTO t VALUES (3)")?))
            .unwrap();
        drop(store);
        let store = Store::open(&path).unwrap();
        let values: Vec<i64> = store
            .connection()
            .prepare("SELECT x FROM t ORDER BY x")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(values, [1, 3]);
    }

    #[test]
    fn sqlite_errors_reach_the_user_in_german() {
        let busy = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            Some("database is locked".into()),
        );
        let message = CoreError::from(busy).to_string();
        assert!(message.contains("belegt"), "{message}");
        assert!(!message.contains("database is locked"), "{message}");
        for (code, word) in [
            (rusqlite::ffi::SQLITE_FULL, "voll"),
            (rusqlite::ffi::SQLITE_IOERR, "Netzwerkfehler"),
            (rusqlite::ffi::SQLITE_READONLY, "schreibgeschützt"),
        ] {
            let error = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None);
            let message = CoreError::from(error).to_string();
            assert!(message.contains(word), "{code}: {message}");
        }
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
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%' AND name NOT LIKE 'sync\\_%' ESCAPE '\\'")
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
