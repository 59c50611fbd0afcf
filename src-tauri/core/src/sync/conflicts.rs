//! What needs a person after an exchange: two values for one field, a row that cannot be shown,
//! an event over its capacity, a person who was told "angemeldet" and is now on the waiting
//! list. Kept in `sync_conflicts` until resolved.

use automerge::AutoCommit;
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, Transaction, params};
use serde::Serialize;
use ts_rs::TS;

use std::collections::BTreeMap;

use super::doc::{self, Key};
use super::schema::Schema;
use crate::error::CoreResult;
use crate::store;

/// One open conflict, as the UI and the CLI show it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Conflict {
    /// Local number (to resolve it).
    #[ts(type = "number")]
    pub id: i64,
    /// `feld` (two values for one field), `fehlt` (refers to a deleted row), `doppelt` (doubles
    /// a unique value), `kapazitaet` (more places taken than the capacity), `umgebucht` (was
    /// "angemeldet", now on the waiting list).
    pub kind: String,
    /// The table of the row.
    pub table: String,
    /// The row's uid.
    pub uid: String,
    /// The field, for `feld`.
    pub column: String,
    /// What happened, in German.
    pub detail: String,
    /// The concurrent values, for `feld`.
    pub values: Vec<String>,
    /// When it was found (UTC).
    pub found_at: String,
}

/// Link tables where the same link made on two laptops is one fact, not a conflict.
const SILENT_DOUBLES: &[&str] = &["attendance", "registration_sessions"];

/// Fields that change with every write and never need a person.
const IGNORED_COLUMNS: &[&str] = &["updated_at", "created_at"];

/// A value as the conflict list shows it.
pub(crate) fn text_of(value: &SqlValue) -> String {
    match value {
        SqlValue::Null => "(leer)".to_owned(),
        SqlValue::Integer(i) => i.to_string(),
        SqlValue::Real(f) => f.to_string(),
        SqlValue::Text(t) => t.clone(),
        SqlValue::Blob(b) => format!("({} Bytes)", b.len()),
    }
}

/// A German label of a row for the conflict list ("Anmeldung von Erika Muster").
pub(crate) fn describe(doc: &AutoCommit, table: &str, uid: &str) -> String {
    let field = |t: &str, u: &str, c: &str| -> String {
        doc::all_values(doc, &doc::field_key(t, u, c))
            .ok()
            .and_then(|v| v.into_iter().next())
            .map(|v| text_of(&v))
            .unwrap_or_default()
    };
    let person = |u: &str| {
        format!(
            "{} {}",
            field("persons", u, "first_name"),
            field("persons", u, "last_name")
        )
    };
    match table {
        "persons" => format!("Kontakt {}", person(uid)),
        "registrations" => {
            let p = field(table, uid, "person_id");
            let e = field(table, uid, "event_id");
            format!(
                "Anmeldung von {} zu „{}“",
                person(&p),
                field("events", &e, "title")
            )
        }
        "events" => format!("Veranstaltung „{}“", field(table, uid, "title")),
        "organisations" => format!("Organisation „{}“", field(table, uid, "name")),
        "attendance" => {
            let r = field(table, uid, "registration_id");
            let p = field("registrations", &r, "person_id");
            format!("Check-in von {}", person(&p))
        }
        _ => format!("Eintrag in {table}"),
    }
}

/// The German name of a field as the screens call it ("Ort", not `ort`); an unknown column
/// keeps its name.
pub(crate) fn column_label(column: &str) -> &str {
    match column {
        "title" => "Titel",
        "starts_at" => "Beginn",
        "ends_at" => "Ende",
        "registration_deadline" => "Anmeldeschluss",
        "capacity" => "Plätze",
        "venue" | "ort" => "Ort",
        "room" => "Raum",
        "online_link" => "Online-Link",
        "description" => "Beschreibung",
        "series" => "Reihe",
        "number" => "Nummer",
        "format" => "Format",
        "first_name" => "Vorname",
        "last_name" => "Nachname",
        "salutation" => "Anrede",
        "email" => "E-Mail",
        "phone" => "Telefon",
        "function" => "Funktion",
        "organisation_id" => "Organisation",
        "notes" => "Notizen",
        "name" => "Name",
        "kind" => "Art",
        "kreis" => "Kreis",
        "town" => "Partnerstadt",
        "country" => "Land",
        "status" => "Status",
        "waitlist_position" => "Wartelistenplatz",
        "role" => "Rolle",
        "comment" => "Kommentar",
        "cancel_reason" => "Stornogrund",
        "text" => "Text",
        "label" => "Bezeichnung",
        "cluster_id" => "Thema",
        other => other,
    }
}

fn upsert(
    tx: &Transaction<'_>,
    kind: &str,
    table: &str,
    uid: &str,
    column: &str,
    detail: &str,
) -> CoreResult<()> {
    tx.execute(
        "INSERT INTO sync_conflicts (kind, table_name, row_uid, column_name, detail, found_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (kind, table_name, row_uid, column_name) DO UPDATE
         SET detail = excluded.detail, resolved_at = NULL
         WHERE (resolved_at IS NOT NULL AND kind <> 'umgebucht') OR detail <> excluded.detail",
        params![kind, table, uid, column, detail, store::now_utc()],
    )?;
    Ok(())
}

/// Records the fields that now hold concurrent, different values.
pub(crate) fn record_fields(
    tx: &Transaction<'_>,
    doc: &AutoCommit,
    keys: &std::collections::BTreeSet<String>,
) -> CoreResult<()> {
    for key in keys {
        let Key::Field { table, uid, column } = doc::parse_key(key) else {
            continue;
        };
        if IGNORED_COLUMNS.contains(&column) {
            continue;
        }
        let values = doc::all_values(doc, key)?;
        if values.len() < 2 {
            continue;
        }
        let shown: Vec<String> = values.iter().map(|v| format!("„{}“", text_of(v))).collect();
        let detail = format!(
            "{}: „{}“ wurde auf zwei Laptops verschieden geändert ({}).",
            describe(doc, table, uid),
            column_label(column),
            shown.join(" / ")
        );
        upsert(tx, "feld", table, uid, column, &detail)?;
    }
    Ok(())
}

/// The rows left out of their tables: (table, uid) → reason.
fn left_out(tx: &Transaction<'_>) -> CoreResult<BTreeMap<(String, String), String>> {
    let rows = tx
        .prepare("SELECT table_name, row_uid, reason FROM sync_unmaterialised")?
        .query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The parents (table, uid) a row of the document refers to.
fn parents_of(doc: &AutoCommit, schema: &Schema, table: &str, uid: &str) -> Vec<(String, String)> {
    let Some(t) = schema.table(table) else {
        return Vec::new();
    };
    let row = doc::read_row(doc, table, uid)
        .ok()
        .flatten()
        .unwrap_or_default();
    t.columns
        .iter()
        .filter_map(|c| match (&c.parent, row.get(&c.name)) {
            (Some(p), Some(SqlValue::Text(u))) => Some((p.clone(), u.clone())),
            _ => None,
        })
        .collect()
}

/// Rows left out because of `(table, uid)`, directly or through other left-out rows.
pub(crate) fn left_out_dependants(
    tx: &Transaction<'_>,
    doc: &AutoCommit,
    schema: &Schema,
    table: &str,
    uid: &str,
) -> CoreResult<Vec<(String, String)>> {
    let all = left_out(tx)?;
    let mut found: Vec<(String, String)> = vec![(table.to_owned(), uid.to_owned())];
    loop {
        let before = found.len();
        for key in all.keys() {
            if !found.contains(key)
                && parents_of(doc, schema, &key.0, &key.1)
                    .iter()
                    .any(|p| found.contains(p))
            {
                found.push(key.clone());
            }
        }
        if found.len() == before {
            found.remove(0);
            return Ok(found);
        }
    }
}

/// Lists rows left out of their tables (only the first of a chain: a registration, not also
/// its status log) and closes conflicts that no longer hold.
pub(crate) fn refresh(tx: &Transaction<'_>, doc: &AutoCommit, schema: &Schema) -> CoreResult<()> {
    let all = left_out(tx)?;
    let missing: Vec<(String, String, String)> = all
        .iter()
        // Two desks checking in the same person, or choosing the same workshop for them: both
        // marks stay in the log, one is shown; nothing for a person to decide.
        .filter(|((table, _), reason)| {
            !(SILENT_DOUBLES.contains(&table.as_str()) && reason.as_str() == "doppelt")
        })
        .filter(|((table, uid), _)| {
            !parents_of(doc, schema, table, uid)
                .iter()
                .any(|p| all.contains_key(p))
        })
        .map(|((t, u), r)| (t.clone(), u.clone(), r.clone()))
        .collect();
    for (table, uid, reason) in &missing {
        let what = describe(doc, table, uid);
        let detail = if reason == "doppelt" {
            format!(
                "{what} wurde auf zwei Laptops doppelt angelegt; gezeigt wird der andere Eintrag. Bitte prüfen und zusammenführen."
            )
        } else {
            format!(
                "{what} verweist auf einen Eintrag, der auf einem anderen Laptop gelöscht wurde, und wird deshalb nicht angezeigt. Bitte neu erfassen oder verwerfen."
            )
        };
        upsert(tx, reason, table, uid, "", &detail)?;
    }
    let now = store::now_utc();
    tx.execute(
        "UPDATE sync_conflicts SET resolved_at = ?1
         WHERE resolved_at IS NULL AND kind IN ('fehlt', 'doppelt') AND NOT EXISTS (
             SELECT 1 FROM sync_unmaterialised m
             WHERE m.table_name = sync_conflicts.table_name AND m.row_uid = sync_conflicts.row_uid)",
        [&now],
    )?;
    let fields: Vec<(i64, String, String, String)> = tx
        .prepare(
            "SELECT id, table_name, row_uid, column_name FROM sync_conflicts
             WHERE resolved_at IS NULL AND kind = 'feld'",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<Result<_, _>>()?;
    for (id, table, uid, column) in fields {
        if doc::all_values(doc, &doc::field_key(&table, &uid, &column))?.len() < 2 {
            tx.execute(
                "UPDATE sync_conflicts SET resolved_at = ?2 WHERE id = ?1",
                params![id, now],
            )?;
        }
    }
    Ok(())
}

/// Records an event or registration conflict found by the capacity rule.
pub(crate) fn record(
    tx: &Transaction<'_>,
    kind: &str,
    table: &str,
    uid: &str,
    detail: &str,
) -> CoreResult<()> {
    upsert(tx, kind, table, uid, "", detail)
}

/// Closes a conflict of `kind` for a row (the capacity rule found it settled).
pub(crate) fn close(tx: &Transaction<'_>, kind: &str, table: &str, uid: &str) -> CoreResult<()> {
    tx.execute(
        "UPDATE sync_conflicts SET resolved_at = ?4
         WHERE kind = ?1 AND table_name = ?2 AND row_uid = ?3 AND resolved_at IS NULL",
        params![kind, table, uid, store::now_utc()],
    )?;
    Ok(())
}

/// The open conflicts, oldest first.
pub fn open_conflicts(conn: &Connection) -> CoreResult<Vec<Conflict>> {
    let mut stmt = conn.prepare(
        "SELECT id, kind, table_name, row_uid, column_name, detail, found_at FROM sync_conflicts
         WHERE resolved_at IS NULL ORDER BY found_at, id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Conflict {
            id: r.get(0)?,
            kind: r.get(1)?,
            table: r.get(2)?,
            uid: r.get(3)?,
            column: r.get(4)?,
            detail: r.get(5)?,
            values: Vec::new(),
            found_at: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The concurrent values of a field conflict, as text.
pub(crate) fn values_of(doc: &AutoCommit, conflict: &Conflict) -> CoreResult<Vec<String>> {
    if conflict.kind != "feld" {
        return Ok(Vec::new());
    }
    let key = doc::field_key(&conflict.table, &conflict.uid, &conflict.column);
    Ok(doc::all_values(doc, &key)?.iter().map(text_of).collect())
}
