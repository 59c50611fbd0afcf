//! The replicated log of one database: the Automerge document in memory, kept equal to the
//! chunk table, and the two ways rows enter it — a local write (before it commits) and changes
//! from another laptop.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, MutexGuard};

use automerge::{
    ActorId, AutoCommit, Change, ChangeHash, PatchAction, ROOT, ReadDoc, transaction::Transactable,
};
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::doc::{self, Key, WireRow};
use super::history;
use super::materialise;
use super::schema::Schema;
use crate::error::CoreResult;
use crate::store::{self, CommitHook};

/// The document format this build writes and reads.
pub const FORMAT: i64 = 1;

/// The log of one database file, shared by its connections (see [`crate::Store::set_commit_hook`]).
pub struct Engine {
    inner: Mutex<Inner>,
}

/// The document and how far it has read the chunk table.
struct Inner {
    doc: Option<AutoCommit>,
    /// The highest `sync_chunks.id` the document contains.
    seen: i64,
    schema: Option<Schema>,
    /// Fields to write even when unchanged (a resolved conflict), by table and uid.
    force: BTreeSet<(String, String)>,
    /// The epoch (`sync_state.epoch`) the document was loaded in: another connection or
    /// process that compacted or rebased makes it stale (see [`super::history`]).
    epoch: String,
}

/// What applying changes from another laptop did.
#[derive(Debug, Clone, Default)]
pub(crate) struct Applied {
    /// Changes that were new here.
    pub changes: usize,
}

impl Engine {
    /// An engine that loads the document when it is first needed.
    pub fn new() -> Self {
        Engine {
            inner: Mutex::new(Inner {
                doc: None,
                seen: 0,
                schema: None,
                force: BTreeSet::new(),
                epoch: String::new(),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Forgets the document (it is read from the chunks again when needed).
    pub(crate) fn invalidate(&self) {
        let mut inner = self.lock();
        inner.doc = None;
        inner.seen = 0;
        inner.schema = None;
    }

    /// Runs `f` with the document brought up to date with the chunk table; on error the
    /// document is thrown away, so it never holds what the database does not.
    pub(crate) fn with_doc<T>(
        &self,
        conn: &Connection,
        f: impl FnOnce(&mut AutoCommit, &Schema, &mut BTreeSet<(String, String)>) -> CoreResult<T>,
    ) -> CoreResult<T> {
        let mut inner = self.lock();
        let result = inner.load(conn).and_then(|()| {
            let Inner {
                doc, schema, force, ..
            } = &mut *inner;
            f(
                doc.as_mut().expect("loaded"),
                schema.as_ref().expect("loaded"),
                force,
            )
        });
        if result.is_err() {
            inner.doc = None;
            inner.seen = 0;
        }
        result
    }

    /// Turns the queued local changes into one change stored as a chunk.
    pub(crate) fn capture(&self, tx: &Transaction<'_>) -> CoreResult<usize> {
        let pending: Vec<(String, String)> = tx
            .prepare("SELECT table_name, row_uid FROM sync_pending ORDER BY table_name, row_uid")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        if pending.is_empty() {
            return Ok(0);
        }
        let count = pending.len();
        self.with_doc(tx, |doc, schema, force| {
            for (table_name, uid) in &pending {
                let Some(table) = schema.table(table_name) else {
                    continue;
                };
                let row: Option<WireRow> = tx
                    .query_row(
                        &format!(
                            "SELECT {} FROM \"{}\" t WHERE t.uid = ?1",
                            table.wire_select(),
                            table.name
                        ),
                        [uid],
                        |r| {
                            let mut row = WireRow::new();
                            for (i, c) in table.columns.iter().enumerate() {
                                row.insert(c.name.clone(), r.get::<_, SqlValue>(i)?);
                            }
                            Ok(row)
                        },
                    )
                    .optional()?;
                match row {
                    Some(row) => {
                        let forced = force.remove(&(table_name.clone(), uid.clone()));
                        doc::write_row(doc, table_name, uid, &row, forced)?;
                        let tombstone = history::tombstone_key(table_name, uid);
                        if doc.get(ROOT, &tombstone).map_err(doc::am_error)?.is_some() {
                            doc.delete(ROOT, &tombstone).map_err(doc::am_error)?;
                        }
                        if table_name == "events" {
                            claim_anmeldestelle(tx, doc, uid)?;
                        }
                    }
                    None => {
                        if doc::row_alive(doc, table_name, uid)? {
                            doc::delete_row(doc, table_name, uid)?;
                            // Remembered (a uid, no data) so a laptop that rebases after a
                            // compaction never brings the row back.
                            doc.put(ROOT, history::tombstone_key(table_name, uid), true)
                                .map_err(doc::am_error)?;
                        }
                    }
                }
            }
            stamp_meta(doc)?;
            tx.execute("DELETE FROM sync_pending", [])?;
            commit_local(tx, doc)?;
            Ok(count)
        })
        .inspect(|_| self.note_seen(tx))
    }

    fn note_seen(&self, conn: &Connection) {
        if let Ok(max) = max_chunk(conn) {
            let mut inner = self.lock();
            if inner.doc.is_some() {
                inner.seen = max;
            }
        }
    }

    /// Applies changes from another laptop (Automerge change chunks, concatenated) in the
    /// caller's transaction: stores the new ones as chunks and writes their rows.
    pub(crate) fn apply(&self, tx: &Transaction<'_>, bytes: &[u8]) -> CoreResult<Applied> {
        // Local rows queued by a write without the engine go into the log first.
        self.capture(tx)?;
        let applied = self.with_doc(tx, |doc, schema, _| {
            let before = doc.get_heads();
            doc.load_incremental(bytes).map_err(doc::am_error)?;
            let mut new: Vec<Change> = doc.get_changes(&before);
            if new.is_empty() {
                return Ok(Applied::default());
            }
            let now = store::now_utc();
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO sync_chunks (hash, kind, bytes, created_at)
                 VALUES (?1, 'remote', ?2, ?3)",
            )?;
            for change in &mut new {
                insert.execute(params![
                    change.hash().to_string(),
                    change.bytes().as_ref(),
                    now
                ])?;
            }
            drop(insert);
            // Every key the new changes wrote: a concurrent value that did not win shows in no
            // patch, but it is a conflict all the same.
            let mut written: BTreeSet<String> = BTreeSet::new();
            for change in &new {
                for op in change.decode().operations {
                    if let automerge::legacy::Key::Map(key) = op.key {
                        written.insert(key.to_string());
                    }
                }
            }
            let after = doc.get_heads();
            let patches = doc.diff(&before, &after);
            let mut rows: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
            for patch in patches {
                let key = match patch.action {
                    PatchAction::PutMap { key, .. } | PatchAction::DeleteMap { key } => key,
                    _ => continue,
                };
                if let Key::Row { table, uid } | Key::Field { table, uid, .. } =
                    doc::parse_key(&key)
                {
                    rows.entry(table.to_owned())
                        .or_default()
                        .insert(uid.to_owned());
                }
            }
            write_from_doc(tx, schema, doc, |tx| {
                materialise::apply_rows(tx, schema, doc, &rows)
            })?;
            super::conflicts::record_fields(tx, doc, &written)?;
            Ok(Applied { changes: new.len() })
        })?;
        self.note_seen(tx);
        Ok(applied)
    }

    /// Rewrites every replicated table from the chunks alone.
    pub(crate) fn rebuild(&self, tx: &Transaction<'_>) -> CoreResult<()> {
        self.capture(tx)?;
        self.invalidate();
        self.with_doc(tx, |doc, schema, _| {
            let all = schema.tables.iter().map(|t| t.name.clone()).collect();
            write_from_doc(tx, schema, doc, |tx| {
                materialise::rebuild(tx, schema, doc, &all)
            })
        })
    }

    /// Changes the other side lacks when it has `heads` (all changes for none).
    pub(crate) fn changes_since(
        &self,
        conn: &Connection,
        heads: &[ChangeHash],
    ) -> CoreResult<(Vec<u8>, usize, Vec<ChangeHash>)> {
        self.with_doc(conn, |doc, _, _| {
            let known: Vec<ChangeHash> = heads
                .iter()
                .filter(|h| doc.get_change_by_hash(h).is_some())
                .copied()
                .collect();
            let mut changes = doc.get_changes(&known);
            let mut bytes = Vec::new();
            for change in &mut changes {
                bytes.extend_from_slice(change.bytes().as_ref());
            }
            Ok((bytes, changes.len(), doc.get_heads()))
        })
    }

    /// Starts a fresh epoch from the current state: the chunks are replaced by one compacted
    /// document, so no earlier value survives in them (see [`super::history`]). The tables do
    /// not change.
    pub(crate) fn compact(&self, tx: &Transaction<'_>) -> CoreResult<()> {
        self.capture(tx)?;
        let fresh = self.with_doc(tx, |doc, _, _| history::compacted(doc))?;
        self.replace(tx, fresh, &BTreeSet::new(), &BTreeSet::new(), false)
    }

    /// How another laptop's epoch relates to this laptop's.
    pub(crate) fn relation(
        &self,
        conn: &Connection,
        their_epoch: &str,
    ) -> CoreResult<history::Relation> {
        self.with_doc(conn, |doc, _, _| history::relation(doc, their_epoch))
    }

    /// Takes over another laptop's document of a different epoch (`bytes`: all its changes)
    /// with this laptop's work carried over ([`history::rebase`]). `false` when the other
    /// laptop is the one to rebase; nothing is written then.
    pub(crate) fn rebase_onto(&self, tx: &Transaction<'_>, bytes: &[u8]) -> CoreResult<bool> {
        self.capture(tx)?;
        let mut theirs = AutoCommit::new();
        theirs.load_incremental(bytes).map_err(doc::am_error)?;
        let foreign: BTreeSet<ChangeHash> = theirs
            .get_changes_meta(&[])
            .into_iter()
            .map(|c| c.hash)
            .collect();
        match self.with_doc(tx, |mine, _, _| history::rebase(mine, theirs))? {
            Some(rebased) => {
                self.replace(tx, rebased.doc, &foreign, &rebased.written, true)?;
                if rebased.compact {
                    tx.execute(
                        "INSERT OR REPLACE INTO sync_state (key, value) VALUES ('compaction_due', '1')",
                        [],
                    )?;
                }
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Continues with `doc` (a compaction or a rebase onto another laptop's epoch): its changes
    /// replace every chunk, the rows whose state differs are rewritten, the keys in `written`
    /// are checked for conflicts. `foreign` are the changes that came from the other laptop;
    /// `rows_differ` is false for a compaction (same state: no row to rewrite).
    pub(crate) fn replace(
        &self,
        tx: &Transaction<'_>,
        mut new: AutoCommit,
        foreign: &BTreeSet<ChangeHash>,
        written: &BTreeSet<String>,
        rows_differ: bool,
    ) -> CoreResult<()> {
        let rows = if rows_differ {
            self.with_doc(tx, |old, _, _| history::changed_rows(old, &new))?
        } else {
            BTreeMap::new()
        };
        tx.execute("DELETE FROM sync_chunks", [])?;
        let now = store::now_utc();
        let mut insert = tx.prepare_cached(
            "INSERT INTO sync_chunks (hash, kind, bytes, created_at) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for mut change in new.get_changes(&[]) {
            let kind = if foreign.contains(&change.hash()) {
                "remote"
            } else {
                "local"
            };
            insert.execute(params![
                change.hash().to_string(),
                kind,
                change.bytes().as_ref(),
                now
            ])?;
        }
        drop(insert);
        let epoch = history::epoch_of(&new)?;
        tx.execute(
            "INSERT OR REPLACE INTO sync_state (key, value) VALUES ('epoch', ?1)",
            [&epoch],
        )?;
        // What the other laptops had was named in the old epoch's terms.
        tx.execute("UPDATE sync_peers SET heads = '[]'", [])?;
        {
            let mut inner = self.lock();
            inner.doc = Some(new.with_actor(ActorId::random()));
            inner.epoch = epoch;
            inner.seen = max_chunk(tx)?;
        }
        self.with_doc(tx, |doc, schema, _| {
            write_from_doc(tx, schema, doc, |tx| {
                materialise::apply_rows(tx, schema, doc, &rows)
            })?;
            super::conflicts::record_fields(tx, doc, written)
        })
    }

    /// Marks a row so the next capture writes all its fields, even unchanged ones (the person
    /// chose a value of a conflict: that choice must supersede every concurrent value).
    pub(crate) fn force_row(&self, table: &str, uid: &str) {
        self.lock().force.insert((table.to_owned(), uid.to_owned()));
    }
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

impl CommitHook for Engine {
    fn before_commit(&self, tx: &Transaction<'_>) -> CoreResult<()> {
        self.capture(tx).map(|_| ())
    }

    fn after_rollback(&self) {
        self.invalidate();
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

impl Inner {
    /// Reads the chunks the document does not have yet (all of them the first time).
    fn load(&mut self, conn: &Connection) -> CoreResult<()> {
        if self.schema.is_none() {
            self.schema = Some(Schema::read(conn)?);
        }
        let epoch = current_epoch(conn)?;
        if self.doc.is_some() && self.epoch != epoch {
            self.doc = None;
            self.seen = 0;
        }
        self.epoch = epoch;
        let max = max_chunk(conn)?;
        if self.doc.is_some() && max == self.seen {
            return Ok(());
        }
        let doc = self
            .doc
            .get_or_insert_with(|| AutoCommit::new().with_actor(ActorId::random()));
        let mut stmt = conn.prepare("SELECT bytes FROM sync_chunks WHERE id > ?1 ORDER BY id")?;
        let mut bytes = Vec::new();
        for chunk in stmt.query_map([self.seen], |r| r.get::<_, Vec<u8>>(0))? {
            bytes.extend_from_slice(&chunk?);
        }
        if !bytes.is_empty() {
            doc.load_incremental(&bytes).map_err(doc::am_error)?;
        }
        self.seen = max;
        Ok(())
    }
}

/// The epoch recorded with the chunks (see [`super::history`]).
pub(crate) fn current_epoch(conn: &Connection) -> CoreResult<String> {
    Ok(conn
        .query_row(
            "SELECT value FROM sync_state WHERE key = 'epoch'",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_else(|| history::INITIAL.to_owned()))
}

fn max_chunk(conn: &Connection) -> CoreResult<i64> {
    Ok(
        conn.query_row("SELECT ifnull(max(id), 0) FROM sync_chunks", [], |r| {
            r.get(0)
        })?,
    )
}

/// Commits the document's open change and stores it as a chunk.
fn commit_local(tx: &Transaction<'_>, doc: &mut AutoCommit) -> CoreResult<()> {
    if let Some(hash) = doc.commit() {
        let mut change = doc
            .get_last_local_change()
            .expect("a change was just committed");
        tx.execute(
            "INSERT INTO sync_chunks (hash, kind, bytes, created_at) VALUES (?1, 'local', ?2, ?3)",
            params![hash.to_string(), change.bytes().as_ref(), store::now_utc()],
        )?;
    }
    Ok(())
}

/// Writes the format and schema version into the document when they differ.
fn stamp_meta(doc: &mut AutoCommit) -> CoreResult<()> {
    let schema = i64::try_from(store::latest_schema_version()).unwrap_or(i64::MAX);
    if doc::meta(doc, "_meta/format")? != Some(FORMAT.to_string()) {
        doc.put(ROOT, "_meta/format", FORMAT)
            .map_err(doc::am_error)?;
    }
    if doc::meta(doc, "_meta/schema")? != Some(schema.to_string()) {
        doc.put(ROOT, "_meta/schema", schema)
            .map_err(doc::am_error)?;
    }
    Ok(())
}

/// The first laptop that writes an event allocates its places (see `sync::capacity`).
fn claim_anmeldestelle(
    tx: &Transaction<'_>,
    doc: &mut AutoCommit,
    event_uid: &str,
) -> CoreResult<()> {
    let key = format!("_anmeldestelle/{event_uid}");
    if doc::meta(doc, &key)?.is_none() {
        let laptop = super::laptop_id(tx)?;
        doc.put(ROOT, key, laptop).map_err(doc::am_error)?;
    }
    Ok(())
}

/// Runs `write` with the stamps off (rows keep the stamps they travel with) and drops the row
/// queue it fills: those rows come from the document, they are not local changes.
fn write_from_doc(
    tx: &Transaction<'_>,
    schema: &Schema,
    doc: &AutoCommit,
    write: impl FnOnce(&Transaction<'_>) -> CoreResult<()>,
) -> CoreResult<()> {
    tx.execute(
        "INSERT OR REPLACE INTO sync_state (key, value) VALUES ('applying', '1')",
        [],
    )?;
    write(tx)?;
    // Counts the writes that carry other laptops' stamps (the unit tests' stamp audit skips
    // them: their rows keep the stamps they travel with).
    tx.execute(
        "INSERT INTO sync_state (key, value) VALUES ('applied_writes', '1')
         ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
        [],
    )?;
    // A cascade may have removed rows the document still has (a registration made on one
    // laptop while the event was deleted on another): they are listed, never silently gone.
    let touched: Vec<(String, String)> = tx
        .prepare("SELECT table_name, row_uid FROM sync_pending")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (table, uid) in touched {
        if schema.table(&table).is_none() || !doc::row_alive(doc, &table, &uid)? {
            continue;
        }
        let present = tx
            .prepare_cached(&format!("SELECT 1 FROM \"{table}\" WHERE uid = ?1"))?
            .query_row([&uid], |_| Ok(()))
            .optional()?
            .is_some();
        if !present {
            tx.execute(
                "INSERT OR IGNORE INTO sync_unmaterialised (table_name, row_uid, reason)
                 VALUES (?1, ?2, 'fehlt')",
                [&table, &uid],
            )?;
        }
    }
    tx.execute("DELETE FROM sync_state WHERE key = 'applying'", [])?;
    tx.execute("DELETE FROM sync_pending", [])?;
    Ok(())
}
