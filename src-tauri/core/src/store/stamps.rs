//! Change stamps the later laptop sync can rely on: `updated_at` in milliseconds that never goes
//! backwards, and a tombstone for every deleted row.
//!
//! Enforced by triggers, not by convention: a code path that forgets to set `updated_at`, an undo
//! that restores an old one, a cascade delete nobody wrote down — the database corrects or records
//! all of them. [`ensure_triggers`] creates the triggers for *every* table with `uid` and
//! `updated_at` whenever a database is opened, so a table added by a later migration is covered
//! without anyone remembering to.
//!
//! The triggers are plain SQL (no functions registered by the app), so they work the same when
//! someone repairs the file with the `sqlite3` shell; they are rewritten on open whenever this
//! build's SQL differs from the file's.

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension};

use crate::error::CoreResult;

/// The table that records deletions; it has no triggers of its own.
pub const TOMBSTONES: &str = "tombstones";

/// The current instant as a stored stamp: UTC, RFC 3339, always three fractional digits, so
/// stamps compare correctly as text ("2026-11-29T16:02:12.345Z").
pub fn now_stamp() -> String {
    format_stamp(Utc::now())
}

fn format_stamp(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Tables that carry `uid` and `updated_at` (every table but the tombstones and FTS shadows).
pub fn synced_tables(conn: &Connection) -> CoreResult<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT m.name FROM sqlite_master m
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> ?1
           AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'uid')
           AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'updated_at')
         ORDER BY m.name",
    )?;
    let tables = stmt
        .query_map([TOMBSTONES], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(tables)
}

/// Now as a stamp, in SQL (SQLite keeps times in whole milliseconds internally).
const SQL_NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/// A stamp strictly later than `OLD.updated_at`: now, or one millisecond after it when the clock
/// has not moved on (two writes in one millisecond) or went backwards.
fn sql_stamp_after(previous: &str) -> String {
    format!(
        "CASE WHEN {SQL_NOW} > {previous} THEN {SQL_NOW}
              ELSE strftime('%Y-%m-%dT%H:%M:%fZ', {previous}, '+0.001 seconds') END"
    )
}

/// A random UUID v4 in SQL, for the tombstones' own `uid`.
const SQL_NEW_UID: &str = "(SELECT lower(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' ||
     substr(h, 14, 3) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(h, 18, 3) ||
     '-' || substr(h, 21, 12)) FROM (SELECT hex(randomblob(16)) AS h))";

/// True unless the laptop sync is writing another laptop's rows: those carry the stamps they
/// were given there, so every laptop ends up with the same values (see `sync_state`).
const NOT_APPLYING: &str = "NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'applying')";

/// The three triggers of one table, by name. Plain SQL only, so the rules also hold for a repair
/// with the `sqlite3` shell or any other tool that opens the file.
fn triggers_for(table: &str) -> [(String, String); 3] {
    let bump = sql_stamp_after("OLD.updated_at");
    let bump_new = sql_stamp_after("NEW.updated_at");
    [
        // Any update that does not move `updated_at` forwards (forgotten, equal within one
        // millisecond, or restored by an undo) gets a fresh, strictly later stamp. The inner
        // UPDATE does not fire this trigger again (recursive triggers are off).
        (
            format!("{table}_stamp"),
            format!(
                "CREATE TRIGGER {table}_stamp AFTER UPDATE ON {table}
                 FOR EACH ROW WHEN NEW.updated_at <= OLD.updated_at AND {NOT_APPLYING}
                 BEGIN
                     UPDATE {table} SET updated_at = {bump} WHERE id = NEW.id;
                 END"
            ),
        ),
        // Every delete — direct, by cascade or by an undo — leaves a tombstone.
        (
            format!("{table}_tombstone"),
            format!(
                "CREATE TRIGGER {table}_tombstone AFTER DELETE ON {table}
                 FOR EACH ROW
                 BEGIN
                     INSERT INTO {TOMBSTONES} (uid, table_name, row_uid, deleted_at, created_at, updated_at)
                     VALUES ({SQL_NEW_UID}, '{table}', OLD.uid, {SQL_NOW}, {SQL_NOW}, {SQL_NOW})
                     ON CONFLICT (table_name, row_uid) DO UPDATE
                     SET deleted_at = excluded.deleted_at, updated_at = excluded.updated_at;
                 END"
            ),
        ),
        // A row that comes back under its old uid (undo of a delete) is newer than its
        // tombstone: the tombstone goes and the row gets a fresh stamp.
        (
            format!("{table}_resurrect"),
            format!(
                "CREATE TRIGGER {table}_resurrect AFTER INSERT ON {table}
                 FOR EACH ROW WHEN EXISTS (
                     SELECT 1 FROM {TOMBSTONES} WHERE table_name = '{table}' AND row_uid = NEW.uid)
                 BEGIN
                     DELETE FROM {TOMBSTONES} WHERE table_name = '{table}' AND row_uid = NEW.uid;
                     UPDATE {table} SET updated_at = {bump_new} WHERE id = NEW.id AND {NOT_APPLYING};
                 END"
            ),
        ),
    ]
}

/// Creates the stamp, tombstone and resurrect triggers of every synced table, and replaces one
/// whose SQL differs from this build's. Writes nothing when all are current (the usual case).
pub(super) fn ensure_triggers(conn: &Connection) -> CoreResult<()> {
    let mut existing =
        conn.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1")?;
    let mut changes = Vec::new();
    let replicated = super::capture::replicated_tables(conn)?;
    for table in synced_tables(conn)? {
        let capture = replicated
            .contains(&table)
            .then(|| super::capture::triggers_for(&table));
        for (name, sql) in triggers_for(&table)
            .into_iter()
            .chain(capture.into_iter().flatten())
        {
            let current: Option<String> = existing.query_row([&name], |r| r.get(0)).optional()?;
            match current {
                Some(current) if current == sql => {}
                Some(_) => changes.push(format!("DROP TRIGGER {name}; {sql};")),
                None => changes.push(format!("{sql};")),
            }
        }
    }
    drop(existing);
    if changes.is_empty() {
        return Ok(());
    }
    conn.execute_batch(&format!("BEGIN IMMEDIATE; {} COMMIT;", changes.join("\n")))
        .inspect_err(|_| {
            let _ = conn.execute_batch("ROLLBACK");
        })?;
    Ok(())
}

/// A check that runs after *every* `Store::write` of every unit test (so every core command the
/// tests exercise is covered without a list to forget): each row whose content changed has a
/// strictly later `updated_at`, each vanished row has a tombstone, and every stamp has the
/// fixed millisecond form.
#[cfg(test)]
pub(super) mod audit {
    use std::collections::HashMap;

    use rusqlite::Connection;

    /// Per table: uid → (updated_at, created_at, every other column as JSON).
    pub type Snapshot = HashMap<String, HashMap<String, (String, String, String)>>;

    /// Reads every synced table.
    pub fn snapshot(conn: &Connection) -> Snapshot {
        let mut all = Snapshot::new();
        for table in super::synced_tables(conn).expect("tables") {
            let columns: Vec<String> = conn
                .prepare("SELECT name FROM pragma_table_xinfo(?1) WHERE name <> 'updated_at'")
                .unwrap()
                .query_map([&table], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            let content = columns
                .iter()
                // JSON holds no BLOBs (a letterhead image): compare those as hex.
                .map(|c| {
                    format!("CASE WHEN typeof(\"{c}\") = 'blob' THEN hex(\"{c}\") ELSE \"{c}\" END")
                })
                .collect::<Vec<_>>()
                .join(", ");
            let rows = conn
                .prepare(&format!(
                    "SELECT uid, updated_at, created_at, json_array({content}) FROM {table}"
                ))
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            all.insert(table, rows);
        }
        all
    }

    fn is_stamp(value: &str) -> bool {
        value.len() == 24 && value.ends_with('Z') && value.as_bytes()[19] == b'.'
    }

    /// How many writes applied other laptops' rows (see `sync::engine`).
    pub fn applied_writes(conn: &Connection) -> String {
        conn.query_row(
            "SELECT ifnull((SELECT value FROM sync_state WHERE key = 'applied_writes'), '0')",
            [],
            |r| r.get(0),
        )
        .unwrap()
    }

    /// Panics with the table and row when a write broke the stamp rules. A write that applied
    /// another laptop's rows (`remote`) keeps their stamps; only tombstones are checked then.
    pub fn check(conn: &Connection, before: &Snapshot, after: &Snapshot, remote: bool) {
        for (table, rows) in after {
            let old = before.get(table);
            for (uid, (updated, created, content)) in rows {
                assert!(is_stamp(updated), "{table} {uid}: updated_at „{updated}“");
                assert!(is_stamp(created), "{table} {uid}: created_at „{created}“");
                if let Some((old_updated, _, old_content)) = old.and_then(|o| o.get(uid))
                    && old_content != content
                    && !remote
                {
                    assert!(
                        updated > old_updated,
                        "{table} {uid}: content changed but updated_at {old_updated} → {updated}"
                    );
                }
            }
        }
        for (table, rows) in before {
            for uid in rows.keys() {
                if after.get(table).is_some_and(|a| a.contains_key(uid)) {
                    continue;
                }
                let tombstones: i64 = conn
                    .query_row(
                        "SELECT count(*) FROM tombstones WHERE table_name = ?1 AND row_uid = ?2",
                        [table, uid],
                        |r| r.get(0),
                    )
                    .unwrap();
                assert_eq!(tombstones, 1, "{table} {uid} deleted without a tombstone");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn stamps_have_fixed_width_and_move_strictly_forward() {
        let now = now_stamp();
        assert_eq!(now.len(), "2026-11-29T16:02:12.345Z".len(), "{now}");
        let store = Store::open_in_memory().unwrap();
        let after = |previous: &str| -> String {
            store
                .connection()
                .query_row(
                    &format!("SELECT {}", sql_stamp_after("?1")),
                    [previous],
                    |r| r.get(0),
                )
                .unwrap()
        };
        assert_eq!(
            after("2999-01-01T00:00:00.000Z"),
            "2999-01-01T00:00:00.001Z"
        );
        assert_eq!(
            after("2999-01-01T00:00:00.999Z"),
            "2999-01-01T00:00:01.000Z"
        );
        assert!(after("2001-01-01T00:00:00.000Z") >= now);
    }

    /// The audit that runs after every write in the unit tests does catch a broken rule.
    #[test]
    #[should_panic(expected = "without a tombstone")]
    fn the_write_audit_catches_a_delete_without_a_tombstone() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO organisations (uid, name, kind, created_at, updated_at)
                     VALUES ('org-1', 'Partnerschaftsverein', 'verein',
                             '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
                    [],
                )?;
                Ok(())
            })
            .unwrap();
        store
            .connection()
            .execute_batch("DROP TRIGGER organisations_tombstone")
            .unwrap();
        store
            .write(|tx| Ok(tx.execute_batch("DELETE FROM organisations")?))
            .unwrap();
    }

    #[test]
    fn every_synced_table_has_all_three_triggers() {
        let store = Store::open_in_memory().unwrap();
        let conn = store.connection();
        let tables = synced_tables(conn).unwrap();
        assert!(tables.len() >= 17, "{tables:?}");
        for table in &tables {
            for (name, _) in triggers_for(table) {
                let found: bool = conn
                    .query_row(
                        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
                        [&name],
                        |r| r.get(0),
                    )
                    .unwrap();
                assert!(found, "trigger {name} missing");
            }
        }
    }

    /// For every table: an update that forgets `updated_at` or sets it back still moves it
    /// forward, and a delete leaves a tombstone. Rows are inserted through the table's own
    /// columns with minimal values, so the test covers tables added later without change.
    #[test]
    fn every_table_stamps_updates_and_tombstones_deletes() {
        let mut store = Store::open_in_memory().unwrap();
        let tables = synced_tables(store.connection()).unwrap();
        store
            .write(|tx| {
                tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
                for table in &tables {
                    insert_minimal_row(tx, table)?;
                    let uid = "00000000-0000-4000-8000-000000000001";
                    let before: String = tx.query_row(
                        &format!("SELECT updated_at FROM {table} WHERE uid = ?1"),
                        [uid],
                        |r| r.get(0),
                    )?;
                    // Forgotten: uid rewritten to itself, updated_at untouched.
                    tx.execute(&format!("UPDATE {table} SET uid = uid WHERE uid = ?1"), [uid])?;
                    let after_forgotten: String = tx.query_row(
                        &format!("SELECT updated_at FROM {table} WHERE uid = ?1"),
                        [uid],
                        |r| r.get(0),
                    )?;
                    assert!(after_forgotten > before, "{table}: {before} → {after_forgotten}");
                    // Set backwards, as an undo restoring an old snapshot would.
                    tx.execute(
                        &format!("UPDATE {table} SET updated_at = '2001-01-01T00:00:00.000Z' WHERE uid = ?1"),
                        [uid],
                    )?;
                    let after_undo: String = tx.query_row(
                        &format!("SELECT updated_at FROM {table} WHERE uid = ?1"),
                        [uid],
                        |r| r.get(0),
                    )?;
                    assert!(after_undo > after_forgotten, "{table}: went backwards to {after_undo}");
                    tx.execute(&format!("DELETE FROM {table} WHERE uid = ?1"), [uid])?;
                    let tombstones: i64 = tx.query_row(
                        "SELECT count(*) FROM tombstones WHERE table_name = ?1 AND row_uid = ?2",
                        [table.as_str(), uid],
                        |r| r.get(0),
                    )?;
                    assert_eq!(tombstones, 1, "{table}: no tombstone");
                }
                Ok(())
            })
            .unwrap();
    }

    /// Inserts one row with a fixed uid, filling every NOT NULL column without default with a
    /// value of its declared type (foreign keys deferred by the caller).
    fn insert_minimal_row(tx: &rusqlite::Transaction<'_>, table: &str) -> CoreResult<()> {
        let mut stmt = tx.prepare(
            "SELECT name, type FROM pragma_table_xinfo(?1)
             WHERE \"notnull\" = 1 AND dflt_value IS NULL AND pk = 0 AND hidden = 0",
        )?;
        let columns: Vec<(String, String)> = stmt
            .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let mut names = Vec::new();
        let mut values = Vec::new();
        for (name, kind) in columns {
            let value = match name.as_str() {
                "uid" => "'00000000-0000-4000-8000-000000000001'".to_owned(),
                "created_at" | "updated_at" => "'2020-01-01T00:00:00.000Z'".to_owned(),
                _ if kind.to_ascii_uppercase().contains("INT") => "1".to_owned(),
                _ => "'{}'".to_owned(),
            };
            names.push(name);
            values.push(value);
        }
        // CHECK constraints of some tables reject the placeholder; try the row with CHECKs off.
        tx.execute_batch("PRAGMA ignore_check_constraints = ON")?;
        let inserted = tx.execute(
            &format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                names.join(", "),
                values.join(", ")
            ),
            [],
        );
        tx.execute_batch("PRAGMA ignore_check_constraints = OFF")?;
        inserted?;
        Ok(())
    }
}
