//! Writing the document's rows into the tables (another laptop's changes, or a rebuild).
//!
//! The tables are a pure function of the document: tables in dependency order, rows in `uid`
//! order, a row whose parent is missing or that would double a unique value (the later `uid`
//! loses) is left out and listed. Writing only the changed rows gives the same tables as a
//! rebuild; when a unique value is contested the affected tables are rebuilt, so the winner
//! never depends on the order in which the changes arrived.

use std::collections::{BTreeMap, BTreeSet};

use automerge::AutoCommit;
use rusqlite::types::Value as SqlValue;
use rusqlite::{ErrorCode, OptionalExtension, Transaction, params_from_iter};

use super::doc::{self, WireRow};
use super::schema::{Schema, Table};
use crate::error::CoreResult;

/// Why a row alive in the document is not in its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Missing {
    /// It refers to a row that does not exist (deleted on another laptop, or not yet here).
    Parent,
    /// It doubles a unique value of a row with a smaller uid.
    Unique,
}

impl Missing {
    fn code(self) -> &'static str {
        match self {
            Missing::Parent => "fehlt",
            Missing::Unique => "doppelt",
        }
    }
}

enum Outcome {
    Written,
    Missing(Missing),
}

/// Brings the given rows (table → uids) in line with the document, then retries the rows left
/// out earlier. Rows that exist are written parents first; deleted rows are removed afterwards,
/// children first, so a child that was moved off a deleted parent in the same batch (the
/// shredder, a merge of contacts) is never taken along by a cascade. A row that doubled a
/// unique value is tried again after the deletions (they may have freed it); tables whose
/// unique values are still contested are rebuilt.
pub(crate) fn apply_rows(
    tx: &Transaction<'_>,
    schema: &Schema,
    doc: &AutoCommit,
    rows: &BTreeMap<String, BTreeSet<String>>,
) -> CoreResult<()> {
    cache_statements(tx, schema);
    let mut contested: BTreeSet<String> = BTreeSet::new();
    let mut doubled: Vec<(&Table, &String)> = Vec::new();
    let mut deleted: Vec<(&Table, &String)> = Vec::new();
    for table in &schema.tables {
        let Some(uids) = rows.get(&table.name) else {
            continue;
        };
        // A changed or deleted row may free a unique value an earlier loser waits for.
        if has_unique_losers(tx, &table.name)? {
            contested.insert(table.name.clone());
        }
        for uid in uids {
            if !doc::row_alive(doc, &table.name, uid)? {
                deleted.push((table, uid));
                continue;
            }
            if let Outcome::Missing(Missing::Unique) = write_row(tx, schema, doc, table, uid)? {
                doubled.push((table, uid));
            }
        }
    }
    for (table, uid) in deleted.into_iter().rev() {
        write_row(tx, schema, doc, table, uid)?;
    }
    for (table, uid) in doubled {
        if let Outcome::Missing(Missing::Unique) = write_row(tx, schema, doc, table, uid)? {
            contested.insert(table.name.clone());
        }
    }
    retry_missing(tx, schema, doc)?;
    if !contested.is_empty() {
        rebuild(tx, schema, doc, &schema.with_dependants(&contested))?;
    }
    Ok(())
}

/// Rewrites `tables` (and nothing else) from the document: all their rows are removed and
/// written again in the fixed order.
pub(crate) fn rebuild(
    tx: &Transaction<'_>,
    schema: &Schema,
    doc: &AutoCommit,
    tables: &BTreeSet<String>,
) -> CoreResult<()> {
    cache_statements(tx, schema);
    for table in schema
        .tables
        .iter()
        .rev()
        .filter(|t| tables.contains(&t.name))
    {
        tx.execute(&format!("DELETE FROM \"{}\"", table.name), [])?;
        tx.execute(
            "DELETE FROM sync_unmaterialised WHERE table_name = ?1",
            [&table.name],
        )?;
    }
    for table in schema.tables.iter().filter(|t| tables.contains(&t.name)) {
        for uid in doc::row_uids(doc, &table.name) {
            write_row(tx, schema, doc, table, &uid)?;
        }
    }
    retry_missing(tx, schema, doc)
}

/// Tries every row left out before until no more can be written.
fn retry_missing(tx: &Transaction<'_>, schema: &Schema, doc: &AutoCommit) -> CoreResult<()> {
    loop {
        let waiting: Vec<(String, String)> = tx
            .prepare("SELECT table_name, row_uid FROM sync_unmaterialised WHERE reason = 'fehlt'")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let mut ordered: Vec<(usize, &String, &String)> = waiting
            .iter()
            .filter_map(|(t, u)| schema.position(t).map(|p| (p, t, u)))
            .collect();
        ordered.sort();
        let mut progress = false;
        for (position, _, uid) in ordered {
            let table = &schema.tables[position];
            if let Outcome::Written = write_row(tx, schema, doc, table, uid)? {
                progress = true;
            }
        }
        if !progress {
            return Ok(());
        }
    }
}

fn has_unique_losers(tx: &Transaction<'_>, table: &str) -> CoreResult<bool> {
    Ok(tx
        .query_row(
            "SELECT 1 FROM sync_unmaterialised WHERE table_name = ?1 AND reason = 'doppelt'",
            [table],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Makes one row of the table what the document says (present with its values, or absent).
fn write_row(
    tx: &Transaction<'_>,
    schema: &Schema,
    doc: &AutoCommit,
    table: &Table,
    uid: &str,
) -> CoreResult<Outcome> {
    let Some(row) = doc::read_row(doc, &table.name, uid)? else {
        tx.execute(
            &format!("DELETE FROM \"{}\" WHERE uid = ?1", table.name),
            [uid],
        )?;
        forget_missing(tx, &table.name, uid)?;
        return Ok(Outcome::Written);
    };
    let Some(values) = local_values(tx, schema, doc, table, &row)? else {
        return leave_out(tx, table, uid, Missing::Parent);
    };
    let names: Vec<String> = table
        .columns
        .iter()
        .map(|c| format!("\"{}\"", c.name))
        .collect();
    let exists = tx
        .prepare_cached(&format!("SELECT 1 FROM \"{}\" WHERE uid = ?1", table.name))?
        .query_row([uid], |_| Ok(()))
        .optional()?
        .is_some();
    let written = if exists {
        let sets: Vec<String> = names
            .iter()
            .enumerate()
            .map(|(i, n)| format!("{n} = ?{}", i + 1))
            .collect();
        let sql = format!(
            "UPDATE \"{}\" SET {} WHERE uid = ?{}",
            table.name,
            sets.join(", "),
            names.len() + 1
        );
        let mut params = values;
        params.push(SqlValue::Text(uid.to_owned()));
        tx.prepare_cached(&sql)
            .and_then(|mut stmt| stmt.execute(params_from_iter(params)))
    } else {
        let marks: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "INSERT INTO \"{}\" ({}) VALUES ({})",
            table.name,
            names.join(", "),
            marks.join(", ")
        );
        tx.prepare_cached(&sql)
            .and_then(|mut stmt| stmt.execute(params_from_iter(values)))
    };
    match written {
        Ok(_) => {
            forget_missing(tx, &table.name, uid)?;
            Ok(Outcome::Written)
        }
        Err(e) if e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation) => {
            if exists {
                tx.execute(
                    &format!("DELETE FROM \"{}\" WHERE uid = ?1", table.name),
                    [uid],
                )?;
            }
            leave_out(tx, table, uid, Missing::Unique)
        }
        Err(e) => Err(e.into()),
    }
}

/// The row's values for this laptop's table (foreign keys as local ids), or `None` when a
/// parent it needs is not here.
fn local_values(
    tx: &Transaction<'_>,
    schema: &Schema,
    doc: &AutoCommit,
    table: &Table,
    row: &WireRow,
) -> CoreResult<Option<Vec<SqlValue>>> {
    let mut values = Vec::with_capacity(table.columns.len());
    for column in &table.columns {
        let value = row.get(&column.name).cloned().unwrap_or(SqlValue::Null);
        let value = match (&column.parent, value) {
            (Some(parent), SqlValue::Text(parent_uid)) => {
                let id: Option<i64> = tx
                    .prepare_cached(&format!("SELECT id FROM \"{parent}\" WHERE uid = ?1"))?
                    .query_row([&parent_uid], |r| r.get(0))
                    .optional()?;
                match id {
                    Some(id) => SqlValue::Integer(id),
                    // The parent was deleted on some laptop: what its foreign key does on a
                    // delete (SET NULL), else (cascade) the row cannot be shown and is listed.
                    None if column.set_null
                        && !column.not_null
                        && schema.table(parent).is_some()
                        && !doc::row_alive(doc, parent, &parent_uid)? =>
                    {
                        SqlValue::Null
                    }
                    None => return Ok(None),
                }
            }
            (_, value) => value,
        };
        values.push(value);
    }
    Ok(Some(values))
}

fn leave_out(tx: &Transaction<'_>, table: &Table, uid: &str, why: Missing) -> CoreResult<Outcome> {
    tx.execute(
        &format!("DELETE FROM \"{}\" WHERE uid = ?1", table.name),
        [uid],
    )?;
    tx.execute(
        "INSERT INTO sync_unmaterialised (table_name, row_uid, reason) VALUES (?1, ?2, ?3)
         ON CONFLICT (table_name, row_uid) DO UPDATE SET reason = excluded.reason",
        [table.name.as_str(), uid, why.code()],
    )?;
    Ok(Outcome::Missing(why))
}

fn forget_missing(tx: &Transaction<'_>, table: &str, uid: &str) -> CoreResult<()> {
    tx.prepare_cached("DELETE FROM sync_unmaterialised WHERE table_name = ?1 AND row_uid = ?2")?
        .execute([table, uid])?;
    Ok(())
}

/// Room for one statement of each kind per replicated table (the cache's default of 16 would
/// prepare them again for every row).
fn cache_statements(tx: &Transaction<'_>, schema: &Schema) {
    tx.set_prepared_statement_cache_capacity(64 + 4 * schema.tables.len());
}
