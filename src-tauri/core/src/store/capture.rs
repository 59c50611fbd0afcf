//! Which tables travel to the other laptops, and the triggers that queue every change of their
//! rows in `sync_pending` — whatever the code path (a cascade, an undo, a repair with the
//! `sqlite3` shell), so the laptop sync cannot miss a row.
//!
//! A table is replicated when it has `uid` and `updated_at` (see [`super::stamps`]) and is not
//! local to this laptop. Local tables are named `local_*` or listed in [`LOCAL_TABLES`]; every
//! other new table is replicated without anyone having to remember it.

use rusqlite::Connection;

use crate::error::CoreResult;

/// Tables with `uid` and `updated_at` that stay on this laptop: its import history (undo works
/// on the rows this laptop imported), its saved import mappings and export profiles, the undo
/// stack of the wishes board, and its e-mail: the outbox (a message is queued and sent only by
/// the laptop whose action caused it, so no message goes out twice) and the mail server
/// settings (each laptop sends through its own account; the password is in its own credential
/// store). Tables named `local_*` are local as well.
pub const LOCAL_TABLES: &[&str] = &[
    "import_runs",
    "import_rows",
    "import_mappings",
    "export_profiles",
    "wish_undo",
    "mail_outbox",
    "mail_settings",
];

/// Columns of replicated tables that stay on this laptop: where its backups go and whether they
/// are encrypted with the passphrase in its own credential store (a folder path of one laptop
/// means nothing on another).
pub const LOCAL_COLUMNS: &[(&str, &str)] = &[
    ("office_settings", "backup_folder"),
    ("office_settings", "backup_encrypted"),
];

/// Whether `table` stays on this laptop.
pub fn is_local_table(table: &str) -> bool {
    LOCAL_TABLES.contains(&table) || table.starts_with("local_")
}

/// The replicated tables, by name.
pub fn replicated_tables(conn: &Connection) -> CoreResult<Vec<String>> {
    Ok(super::stamps::synced_tables(conn)?
        .into_iter()
        .filter(|t| !is_local_table(t))
        .collect())
}

/// The three triggers that queue the changed rows of `table`. An update queues the old and the
/// new `uid` (a changed `uid` is a delete plus an insert to the other laptops).
pub(super) fn triggers_for(table: &str) -> [(String, String); 3] {
    // No `OR IGNORE`: an outer statement's conflict clause would override it inside a trigger.
    let queue = |uid: &str| {
        format!(
            "INSERT INTO sync_pending (table_name, row_uid) SELECT '{table}', {uid}
             WHERE NOT EXISTS (
                 SELECT 1 FROM sync_pending WHERE table_name = '{table}' AND row_uid = {uid});"
        )
    };
    let (new, old) = (queue("NEW.uid"), queue("OLD.uid"));
    [
        (
            format!("{table}_sync_insert"),
            format!(
                "CREATE TRIGGER {table}_sync_insert AFTER INSERT ON {table}
                 FOR EACH ROW BEGIN {new} END"
            ),
        ),
        (
            format!("{table}_sync_update"),
            format!(
                "CREATE TRIGGER {table}_sync_update AFTER UPDATE ON {table}
                 FOR EACH ROW BEGIN {new} {old} END"
            ),
        ),
        (
            format!("{table}_sync_delete"),
            format!(
                "CREATE TRIGGER {table}_sync_delete AFTER DELETE ON {table}
                 FOR EACH ROW BEGIN {old} END"
            ),
        ),
    ]
}
