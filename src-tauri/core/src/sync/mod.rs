//! Several laptops, one dataset (issue 14): the office's laptops share their data through an
//! Automerge document, offline first.
//!
//! SQLite stays the store the app reads; the Automerge document is the replicated log. Every
//! write is one transaction that changes the business rows *and* stores its Automerge change as
//! a row of `sync_chunks`: triggers queue the changed rows (`store::capture`), and the
//! [`Engine`], installed as the store's commit hook by [`attach`], turns the queue into one
//! change just before the commit. Changes from another laptop are applied to the tables by
//! `uid` in one transaction together with their chunks ([`import_bytes`]); the tables can
//! always be rebuilt from the chunks ([`rebuild`]). Rows are replicated generically (every
//! table with `uid` + `updated_at` that is not local, columns read from SQLite, integer foreign
//! keys travel as the parent's `uid`). What needs a person is listed in [`conflicts`]; places
//! are allocated by each event's Anmeldestelle ([`capacity`]).

pub mod capacity;
pub mod conflicts;
mod doc;
mod engine;
mod file;
mod history;
mod materialise;
pub mod net;
mod schema;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use automerge::ChangeHash;
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use ts_rs::TS;

pub use conflicts::Conflict;
pub use engine::{Engine, FORMAT};

use crate::error::{CoreError, CoreResult};
use crate::store::{self, Store, Transaction};

/// Installs the replication on an open store (the app and the CLI do this on opening) and,
/// once per database, takes its existing rows into the log.
pub fn attach(store: &mut Store) -> CoreResult<()> {
    if store.commit_hook().is_none() {
        store.set_commit_hook(Arc::new(Engine::new()));
    }
    if store.ensure_writable().is_err() {
        return Ok(());
    }
    compact_if_due(store)?;
    let known: Option<String> = store
        .connection()
        .query_row(
            "SELECT value FROM sync_state WHERE key = 'laptop_id'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if known.is_some() {
        return Ok(());
    }
    store.write(|tx| {
        laptop_id(tx)?;
        // Rows written before the sync existed (or by an older build) go into the log once.
        for table in store::capture::replicated_tables(tx)? {
            tx.execute(
                &format!(
                    "INSERT OR IGNORE INTO sync_pending (table_name, row_uid)
                     SELECT '{table}', uid FROM \"{table}\""
                ),
                [],
            )?;
        }
        Ok(())
    })
}

/// This laptop's id (created on first use): names it to the others and in the sync file.
pub fn laptop_id(conn: &Connection) -> CoreResult<String> {
    if let Some(id) = conn
        .query_row(
            "SELECT value FROM sync_state WHERE key = 'laptop_id'",
            [],
            |r| r.get(0),
        )
        .optional()?
    {
        return Ok(id);
    }
    let id = store::new_uid();
    conn.execute(
        "INSERT INTO sync_state (key, value) VALUES ('laptop_id', ?1)",
        [&id],
    )?;
    Ok(id)
}

fn engine(store: &Store) -> CoreResult<Arc<dyn store::CommitHook>> {
    let hook = store.commit_hook().cloned().ok_or_else(|| {
        CoreError::Conflict("Der Abgleich ist für diese Datenbank nicht eingerichtet.".to_owned())
    })?;
    if hook.as_any().downcast_ref::<Engine>().is_none() {
        return Err(CoreError::Conflict(
            "Der Abgleich ist für diese Datenbank nicht eingerichtet.".to_owned(),
        ));
    }
    Ok(hook)
}

fn with_engine<T>(store: &Store, f: impl FnOnce(&Engine) -> CoreResult<T>) -> CoreResult<T> {
    let hook = engine(store)?;
    f(hook.as_any().downcast_ref::<Engine>().expect("checked"))
}

/// Changes for another laptop, as a sync file's bytes.
#[derive(Debug, Clone)]
pub struct Package {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Number of changes in it.
    pub changes: usize,
}

fn parse_heads(json: &str) -> Vec<ChangeHash> {
    serde_json::from_str::<Vec<String>>(json)
        .unwrap_or_default()
        .iter()
        .filter_map(|h| h.parse().ok())
        .collect()
}

/// What the laptop `peer` is known to have (empty when unknown or nothing).
fn peer_heads(conn: &Connection, peer: &str) -> CoreResult<Option<Vec<ChangeHash>>> {
    let heads: Option<String> = conn
        .query_row(
            "SELECT heads FROM sync_peers WHERE laptop_id = ?1",
            [peer],
            |r| r.get(0),
        )
        .optional()?;
    Ok(heads.map(|h| parse_heads(&h)))
}

/// The changes this laptop has and `since_peer` lacks (everything without a peer).
pub fn export_package(store: &mut Store, since_peer: Option<&str>) -> CoreResult<Package> {
    let heads = match since_peer {
        Some(peer) => peer_heads(store.connection(), peer)?.ok_or_else(|| {
            CoreError::Conflict(format!(
                "Kein Laptop mit der Kennung „{peer}“ bekannt. Bekannt sind die Laptops, von denen schon einmal Daten eingelesen wurden (tagungsbuero-cli sync status)."
            ))
        })?,
        None => Vec::new(),
    };
    package_since(store, &heads)
}

/// The changes for a laptop that says it has `announced` (Automerge heads, hex): those it
/// lacks, judged by the announced heads this laptop knows and by what `peer` had at the last
/// exchange (so two laptops that both worked offline send each other only their new work).
pub(crate) fn export_for(
    store: &mut Store,
    announced: &[String],
    peer: &str,
) -> CoreResult<Package> {
    let mut heads: Vec<ChangeHash> = announced.iter().filter_map(|h| h.parse().ok()).collect();
    heads.extend(peer_heads(store.connection(), peer)?.unwrap_or_default());
    heads.sort();
    heads.dedup();
    package_since(store, &heads)
}

/// What this laptop has (Automerge heads, hex): the greeting of a network exchange.
pub(crate) fn own_heads(store: &mut Store) -> CoreResult<Vec<String>> {
    // Rows queued by a write without the engine go into the log first.
    store.write(|_| Ok(()))?;
    let conn = store.connection();
    with_engine(store, |e| {
        e.with_doc(conn, |doc, _, _| {
            Ok(doc.get_heads().iter().map(ToString::to_string).collect())
        })
    })
}

fn package_since(store: &mut Store, heads: &[ChangeHash]) -> CoreResult<Package> {
    // Rows queued by a write without the engine go into the log first.
    store.write(|_| Ok(()))?;
    let conn = store.connection();
    let (changes, count, own_heads) = with_engine(store, |e| e.changes_since(conn, heads))?;
    let epoch = engine::current_epoch(conn)?;
    let header = file::Header {
        format: FORMAT,
        schema: i64::try_from(store::latest_schema_version()).unwrap_or(i64::MAX),
        laptop: laptop_id(conn)?,
        name: laptop_name(conn)?,
        heads: own_heads.iter().map(ToString::to_string).collect(),
        changes: count,
        epoch,
    };
    Ok(Package {
        bytes: file::encode(&header, &changes),
        changes: count,
    })
}

/// Writes the sync file to `out` (complete or not at all; never onto the database or its
/// companion files).
pub fn export_file(store: &mut Store, out: &Path, since_peer: Option<&str>) -> CoreResult<Package> {
    if let Some(db) = store.path() {
        let extension = out.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !extension.is_empty() {
            let protected = crate::exports::target::ProtectedPaths::for_database(db);
            crate::exports::target::check_target(out, extension, &protected)
                .map_err(|e| CoreError::Conflict(e.to_string()))?;
        }
    }
    let package = export_package(store, since_peer)?;
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(out.file_name().ok_or_else(|| {
        CoreError::Conflict("Bitte einen Dateinamen für die Abgleichsdatei angeben.".to_owned())
    })?);
    temp_name.push(".tmp");
    let temp = out.with_file_name(temp_name);
    std::fs::write(&temp, &package.bytes)?;
    std::fs::rename(&temp, out).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })?;
    Ok(package)
}

/// What reading another laptop's changes did.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[ts(rename = "SyncImportReport")]
pub struct ImportReport {
    /// Changes that were new here.
    pub applied: usize,
    /// Open conflicts after the import (what needs a person).
    pub conflicts: Vec<Conflict>,
}

/// What reading another laptop's data did, beyond the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Same epoch: the changes were applied.
    Applied,
    /// The other laptop had compacted: this laptop took over its history, with its own work
    /// carried over (its earlier history is gone).
    Rebased,
    /// This laptop has compacted and the other has not taken that over yet: nothing was read;
    /// the other laptop rebases when it gets this laptop's data.
    TheyRebase,
}

/// Why a sync file was not read ([`Outcome::TheyRebase`]).
const THEY_REBASE: &str = "Diese Abgleichsdatei stammt von einem Laptop, der die Verlaufsbereinigung dieses Laptops (nach einer Löschung) noch nicht übernommen hat. Bitte zuerst auf dem anderen Laptop eine Abgleichsdatei von diesem Laptop einlesen: er übernimmt dann den bereinigten Stand und bringt seine eigenen Änderungen mit. Danach geht es in beide Richtungen wie gewohnt.";

/// Applies a sync file's (or an exchange's) bytes in one transaction: the chunks, the rows, the
/// capacity rule, the conflicts. Data from a laptop on another history epoch is taken over
/// with this laptop's work carried onto it ([`history`]) or refused in German when that laptop
/// has to take over this one's first.
pub fn import_bytes(store: &mut Store, data: &[u8]) -> CoreResult<ImportReport> {
    let (report, outcome) = import_outcome(store, data)?;
    if outcome == Outcome::TheyRebase {
        return Err(CoreError::Conflict(THEY_REBASE.to_owned()));
    }
    Ok(report)
}

/// [`import_bytes`] with what it did (the network exchange needs to know).
pub(crate) fn import_outcome(
    store: &mut Store,
    data: &[u8],
) -> CoreResult<(ImportReport, Outcome)> {
    let (header, changes) = file::decode(data)?;
    let hook = engine(store)?;
    let engine = hook.as_any().downcast_ref::<Engine>().expect("checked");
    let (applied, outcome) = store.write(|tx| {
        let own = laptop_id(tx)?;
        let (applied, outcome) = match engine.relation(tx, &header.epoch)? {
            history::Relation::Same => (engine.apply(tx, changes)?.changes, Outcome::Applied),
            history::Relation::Older => return Ok((0, Outcome::TheyRebase)),
            history::Relation::Other => {
                if !engine.rebase_onto(tx, changes)? {
                    return Ok((0, Outcome::TheyRebase));
                }
                (header.changes, Outcome::Rebased)
            }
        };
        // A shredded event stays shredded whatever arrives (DSGVO): these are local writes
        // of this transaction and travel back like any other. Shredding what arrived logs a
        // deletion, and the history is compacted right after this transaction.
        crate::privacy::shred_arrivals(tx)?;
        engine.with_doc(tx, |doc, schema, _| {
            capacity::reconcile(tx, doc, &own)?;
            conflicts::refresh(tx, doc, schema)
        })?;
        if header.laptop != own {
            remember_peer(tx, &header)?;
        }
        Ok((applied, outcome))
    })?;
    compact_if_due(store)?;
    Ok((
        ImportReport {
            applied,
            conflicts: open_conflicts(store)?,
        },
        outcome,
    ))
}

/// Starts a fresh history epoch now: the chunks are replaced by one compacted document with
/// today's state, so values deleted from the tables (Art. 17, the shredder) are gone from the
/// replicated log too, and the database file is rewritten without them. The other laptops take
/// the new epoch over at their next exchange, keeping their own new work ([`history`]).
pub fn compact(store: &mut Store) -> CoreResult<()> {
    let hook = engine(store)?;
    let engine = hook.as_any().downcast_ref::<Engine>().expect("checked");
    store.write(|tx| {
        engine.compact(tx)?;
        tx.execute("DELETE FROM sync_state WHERE key = 'compaction_due'", [])?;
        Ok(())
    })?;
    crate::privacy::scrub_file(store.connection())
}

/// What every deletion (Art. 17 erasure, the shredder) is followed by: the history is compacted
/// (a logged deletion marks it due, see migration 0015) and the file rewritten.
pub fn after_deletion(store: &mut Store) -> CoreResult<()> {
    if !compact_if_due(store)? {
        crate::privacy::scrub_file(store.connection())?;
    }
    Ok(())
}

/// Compacts when a deletion since the last compaction asks for it (also after a crash between
/// the deletion and its compaction: [`attach`] runs this). Whether it compacted.
fn compact_if_due(store: &mut Store) -> CoreResult<bool> {
    let due = store
        .connection()
        .query_row(
            "SELECT 1 FROM sync_state WHERE key = 'compaction_due'",
            [],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    if !due || engine(store).is_err() || store.ensure_writable().is_err() {
        return Ok(false);
    }
    compact(store)?;
    Ok(true)
}

fn remember_peer(tx: &Transaction<'_>, header: &file::Header) -> CoreResult<()> {
    tx.execute(
        "INSERT INTO sync_peers (laptop_id, name, heads, last_contact) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (laptop_id) DO UPDATE SET
             name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE sync_peers.name END,
             heads = excluded.heads, last_contact = excluded.last_contact",
        params![
            header.laptop,
            header.name,
            serde_json::to_string(&header.heads).expect("strings serialise"),
            store::now_utc()
        ],
    )?;
    Ok(())
}

/// Reads a sync file and applies it ([`import_bytes`]).
pub fn import_file(store: &mut Store, path: &Path) -> CoreResult<ImportReport> {
    let data = std::fs::read(path).map_err(|e| {
        CoreError::Conflict(format!(
            "Die Abgleichsdatei {} kann nicht gelesen werden: {e}",
            path.display()
        ))
    })?;
    import_bytes(store, &data)
}

/// The open conflicts with their concurrent values.
pub fn open_conflicts(store: &mut Store) -> CoreResult<Vec<Conflict>> {
    let mut list = conflicts::open_conflicts(store.connection())?;
    if list.iter().any(|c| c.kind == "feld") {
        let conn = store.connection();
        with_engine(store, |e| {
            e.with_doc(conn, |doc, _, _| {
                for conflict in &mut list {
                    conflict.values = conflicts::values_of(doc, conflict)?;
                }
                Ok(())
            })
        })?;
    }
    Ok(list)
}

/// Rewrites every replicated table from the chunks alone (a repair; tests prove it yields the
/// same tables).
pub fn rebuild(store: &mut Store) -> CoreResult<()> {
    let hook = engine(store)?;
    let engine = hook.as_any().downcast_ref::<Engine>().expect("checked");
    store.write(|tx| {
        engine.rebuild(tx)?;
        engine.with_doc(tx, |doc, schema, _| conflicts::refresh(tx, doc, schema))
    })
}

/// Every replicated row as it travels (foreign keys as uids, no local ids), tables and rows
/// sorted: two laptops that are in sync have equal dumps.
pub fn dump(conn: &Connection) -> CoreResult<BTreeMap<String, Vec<Vec<serde_json::Value>>>> {
    let schema = schema::Schema::read(conn)?;
    let mut all = BTreeMap::new();
    for table in &schema.tables {
        let sql = format!(
            "SELECT {} FROM \"{}\" t ORDER BY t.uid",
            table.wire_select(),
            table.name
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([], |r| {
            (0..table.columns.len())
                .map(|i| {
                    Ok(match r.get::<_, SqlValue>(i)? {
                        SqlValue::Null => serde_json::Value::Null,
                        SqlValue::Integer(v) => v.into(),
                        SqlValue::Real(v) => v.into(),
                        SqlValue::Text(v) => v.into(),
                        SqlValue::Blob(v) => v.len().into(),
                    })
                })
                .collect::<Result<Vec<_>, rusqlite::Error>>()
        })?;
        all.insert(table.name.clone(), rows.collect::<Result<_, _>>()?);
    }
    Ok(all)
}

/// The name this laptop gives itself in the team (empty until set).
pub fn laptop_name(conn: &Connection) -> CoreResult<String> {
    Ok(conn
        .query_row("SELECT value FROM sync_state WHERE key = 'name'", [], |r| {
            r.get(0)
        })
        .optional()?
        .unwrap_or_default())
}

/// One other laptop of the team.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Peer {
    /// Its laptop id.
    pub laptop_id: String,
    /// Its name.
    pub name: String,
    /// Last exchange with it (UTC), if any.
    pub last_contact: Option<String>,
    /// Changes of this laptop it does not have yet, as far as known.
    pub waiting: usize,
}

/// The sync state for the header and the team page.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SyncStatus {
    /// This laptop's id.
    pub laptop_id: String,
    /// This laptop's name.
    pub name: String,
    /// The other laptops it has exchanged data with.
    pub peers: Vec<Peer>,
    /// Changes of this laptop that at least one other laptop lacks (the header's "… Änderungen
    /// warten"); all own changes while there is no other laptop.
    pub waiting: usize,
    /// Open conflicts.
    pub conflicts: usize,
    /// Stored chunks.
    #[ts(type = "number")]
    pub chunks: i64,
    /// Size of the chunk table's payload in bytes.
    #[ts(type = "number")]
    pub chunk_bytes: i64,
    /// When the history was last compacted after a deletion (UTC), if ever.
    pub compacted_at: Option<String>,
}

/// The sync state of this laptop.
pub fn status(store: &mut Store) -> CoreResult<SyncStatus> {
    store.write(|_| Ok(()))?;
    let conn = store.connection();
    let id = laptop_id(conn)?;
    let mut peers: Vec<Peer> = conn
        .prepare(
            "SELECT laptop_id, name, last_contact, heads FROM sync_peers ORDER BY name, laptop_id",
        )?
        .query_map([], |r| {
            Ok((
                Peer {
                    laptop_id: r.get(0)?,
                    name: r.get(1)?,
                    last_contact: r.get(2)?,
                    waiting: 0,
                },
                r.get::<_, String>(3)?,
            ))
        })?
        .map(|row| {
            let (peer, heads) = row?;
            let heads = parse_heads(&heads);
            let waiting = with_engine(store, |e| e.changes_since(conn, &heads).map(|c| c.1))?;
            Ok(Peer { waiting, ..peer })
        })
        .collect::<CoreResult<_>>()?;
    peers.sort_by(|a, b| a.name.cmp(&b.name));
    let own: i64 = conn.query_row(
        "SELECT count(*) FROM sync_chunks WHERE kind = 'local'",
        [],
        |r| r.get(0),
    )?;
    let own = usize::try_from(own).unwrap_or(0);
    let waiting = if peers.is_empty() {
        own
    } else {
        peers.iter().map(|p| p.waiting).max().unwrap_or(0)
    };
    let (chunks, chunk_bytes) = conn.query_row(
        "SELECT count(*), ifnull(sum(length(bytes)), 0) FROM sync_chunks",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(SyncStatus {
        laptop_id: id,
        name: laptop_name(conn)?,
        peers,
        waiting,
        conflicts: conflicts::open_conflicts(conn)?.len(),
        chunks,
        chunk_bytes,
        compacted_at: with_engine(store, |e| {
            e.with_doc(conn, |doc, _, _| history::compacted_at(doc))
        })?,
    })
}

/// Resolves an open conflict: for `feld` the chosen value (one of the concurrent values, as
/// listed) becomes the field's value on every laptop; a row that cannot be shown (`fehlt`,
/// `doppelt`) is discarded on every laptop; the others are marked done.
pub fn resolve_conflict(store: &mut Store, id: i64, choice: Option<&str>) -> CoreResult<()> {
    let list = open_conflicts(store)?;
    let conflict = list
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| CoreError::NotFound {
            what: "Der Konflikt",
        })?;
    let hook = engine(store)?;
    let engine = hook.as_any().downcast_ref::<Engine>().expect("checked");
    store.write(|tx| {
        match conflict.kind.as_str() {
            "feld" => {
                let choice = choice.ok_or_else(|| {
                    CoreError::Conflict("Bitte einen der beiden Werte wählen.".to_owned())
                })?;
                if !conflict.values.iter().any(|v| v == choice) {
                    return Err(CoreError::Conflict(format!(
                        "„{choice}“ ist keiner der Werte dieses Konflikts."
                    )));
                }
                let (value, parent) = engine.with_doc(tx, |doc, schema, _| {
                    let key = doc::field_key(&conflict.table, &conflict.uid, &conflict.column);
                    let value = doc::all_values(doc, &key)?
                        .into_iter()
                        .find(|v| conflicts::text_of(v) == choice)
                        .unwrap_or(SqlValue::Null);
                    let parent = schema.table(&conflict.table).and_then(|t| {
                        t.columns
                            .iter()
                            .find(|c| c.name == conflict.column)
                            .and_then(|c| c.parent.clone())
                    });
                    Ok((value, parent))
                })?;
                let column = conflict.column.replace('"', "");
                let table = conflict.table.replace('"', "");
                let sql = match parent {
                    Some(parent) => format!(
                        "UPDATE \"{table}\" SET \"{column}\" = (SELECT id FROM \"{parent}\" WHERE uid = ?1) WHERE uid = ?2"
                    ),
                    None => format!("UPDATE \"{table}\" SET \"{column}\" = ?1 WHERE uid = ?2"),
                };
                tx.execute(&sql, params![value, conflict.uid])?;
                tx.execute(
                    "INSERT OR IGNORE INTO sync_pending (table_name, row_uid) VALUES (?1, ?2)",
                    [&conflict.table, &conflict.uid],
                )?;
                engine.force_row(&conflict.table, &conflict.uid);
            }
            "fehlt" | "doppelt" => {
                // The row and what hangs on it (its status log, say) are discarded everywhere.
                let mut rows = engine.with_doc(tx, |doc, schema, _| {
                    conflicts::left_out_dependants(tx, doc, schema, &conflict.table, &conflict.uid)
                })?;
                rows.push((conflict.table.clone(), conflict.uid.clone()));
                for (table, uid) in rows {
                    tx.execute(
                        "INSERT OR IGNORE INTO sync_pending (table_name, row_uid) VALUES (?1, ?2)",
                        [&table, &uid],
                    )?;
                    tx.execute(
                        "DELETE FROM sync_unmaterialised WHERE table_name = ?1 AND row_uid = ?2",
                        [&table, &uid],
                    )?;
                }
            }
            _ => {}
        }
        tx.execute(
            "UPDATE sync_conflicts SET resolved_at = ?2 WHERE id = ?1",
            params![id, store::now_utc()],
        )?;
        Ok(())
    })
}

#[cfg(test)]
mod tests;
