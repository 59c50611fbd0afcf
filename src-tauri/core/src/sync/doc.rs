//! The Automerge document: flat keys, values converted between SQLite and Automerge.
//!
//! Layout (one root map, so rows created on two laptops at once never hide each other):
//! - `{table}/{uid}` → `true` while the row exists (deleted with the row);
//! - `{table}/{uid}/{column}` → the column's value; an integer foreign key travels as the
//!   parent row's `uid`;
//! - `_meta/format`, `_meta/schema` → the document format and the schema version of the laptop
//!   that wrote last;
//! - `_anmeldestelle/{event uid}` → the laptop that allocates the event's places.

use std::collections::BTreeMap;

use automerge::{AutoCommit, ROOT, ReadDoc, ScalarValue, Value, transaction::Transactable};
use rusqlite::types::Value as SqlValue;

use crate::error::{CoreError, CoreResult};

/// A row as it travels: column → value.
pub(crate) type WireRow = BTreeMap<String, SqlValue>;

/// The key that says whether a row exists.
pub(crate) fn row_key(table: &str, uid: &str) -> String {
    format!("{table}/{uid}")
}

/// The key of one field.
pub(crate) fn field_key(table: &str, uid: &str, column: &str) -> String {
    format!("{table}/{uid}/{column}")
}

/// What a root key names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Key<'a> {
    /// A row's existence.
    Row { table: &'a str, uid: &'a str },
    /// A field of a row.
    Field {
        table: &'a str,
        uid: &'a str,
        column: &'a str,
    },
    /// Anything else (`_meta/…`, `_anmeldestelle/…`).
    Other,
}

/// Splits a root key.
pub(crate) fn parse_key(key: &str) -> Key<'_> {
    if key.starts_with('_') {
        return Key::Other;
    }
    let mut parts = key.splitn(3, '/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(table), Some(uid), None) => Key::Row { table, uid },
        (Some(table), Some(uid), Some(column)) => Key::Field { table, uid, column },
        _ => Key::Other,
    }
}

/// SQLite value → Automerge scalar.
pub(crate) fn to_scalar(value: &SqlValue) -> ScalarValue {
    match value {
        SqlValue::Null => ScalarValue::Null,
        SqlValue::Integer(i) => ScalarValue::Int(*i),
        SqlValue::Real(f) => ScalarValue::F64(*f),
        SqlValue::Text(s) => ScalarValue::Str(s.as_str().into()),
        SqlValue::Blob(b) => ScalarValue::Bytes(b.clone()),
    }
}

/// Automerge value → SQLite value (objects and other kinds, which this app never writes, are
/// NULL).
pub(crate) fn to_sql(value: &Value<'_>) -> SqlValue {
    match value {
        Value::Scalar(s) => match s.as_ref() {
            ScalarValue::Int(i) => SqlValue::Integer(*i),
            ScalarValue::Uint(u) => SqlValue::Integer(i64::try_from(*u).unwrap_or(i64::MAX)),
            ScalarValue::F64(f) => SqlValue::Real(*f),
            ScalarValue::Str(s) => SqlValue::Text(s.to_string()),
            ScalarValue::Bytes(b) => SqlValue::Blob(b.clone()),
            ScalarValue::Boolean(b) => SqlValue::Integer(i64::from(*b)),
            ScalarValue::Timestamp(t) => SqlValue::Integer(*t),
            _ => SqlValue::Null,
        },
        Value::Object(_) => SqlValue::Null,
    }
}

/// Wraps an Automerge error as a German core error.
pub(crate) fn am_error(error: impl std::fmt::Display) -> CoreError {
    CoreError::Conflict(format!(
        "Der Abgleich konnte die Änderungen nicht lesen: {error}"
    ))
}

/// Whether the row exists in the document.
pub(crate) fn row_alive(doc: &AutoCommit, table: &str, uid: &str) -> CoreResult<bool> {
    Ok(doc
        .get(ROOT, row_key(table, uid))
        .map_err(am_error)?
        .is_some())
}

/// The row's fields as the document has them (the deterministic winner of concurrent
/// values), `None` when the row does not exist.
pub(crate) fn read_row(doc: &AutoCommit, table: &str, uid: &str) -> CoreResult<Option<WireRow>> {
    if !row_alive(doc, table, uid)? {
        return Ok(None);
    }
    let prefix = format!("{table}/{uid}/");
    let end = format!("{table}/{uid}0");
    let mut row = WireRow::new();
    for item in doc.map_range(ROOT, prefix.clone()..end) {
        let column = item.key[prefix.len()..].to_owned();
        row.insert(column, to_sql(&Value::from(item.value)));
    }
    Ok(Some(row))
}

/// Every row uid of `table` that exists in the document, sorted.
pub(crate) fn row_uids(doc: &AutoCommit, table: &str) -> Vec<String> {
    let prefix = format!("{table}/");
    let end = format!("{table}0");
    doc.map_range(ROOT, prefix.clone()..end)
        .filter_map(|item| match parse_key(&item.key) {
            Key::Row { uid, .. } => Some(uid.to_owned()),
            _ => None,
        })
        .collect()
}

/// Distinct concurrent values of a key (one entry when there is no conflict).
pub(crate) fn all_values(doc: &AutoCommit, key: &str) -> CoreResult<Vec<SqlValue>> {
    let mut values: Vec<SqlValue> = Vec::new();
    for (value, _) in doc.get_all(ROOT, key).map_err(am_error)? {
        let value = to_sql(&value);
        if !values.contains(&value) {
            values.push(value);
        }
    }
    Ok(values)
}

/// Writes `row` into the document, putting only what differs (so an unchanged field keeps its
/// concurrent values, if any, for a person to resolve). `force` puts every field.
pub(crate) fn write_row(
    doc: &mut AutoCommit,
    table: &str,
    uid: &str,
    row: &WireRow,
    force: bool,
) -> CoreResult<()> {
    let key = row_key(table, uid);
    if force || doc.get(ROOT, &key).map_err(am_error)?.is_none() {
        doc.put(ROOT, &key, true).map_err(am_error)?;
    }
    let current = read_row(doc, table, uid)?.unwrap_or_default();
    for (column, value) in row {
        if force || current.get(column) != Some(value) {
            doc.put(ROOT, field_key(table, uid, column), to_scalar(value))
                .map_err(am_error)?;
        }
    }
    Ok(())
}

/// Marks the row deleted in the document.
pub(crate) fn delete_row(doc: &mut AutoCommit, table: &str, uid: &str) -> CoreResult<()> {
    if row_alive(doc, table, uid)? {
        doc.delete(ROOT, row_key(table, uid)).map_err(am_error)?;
    }
    Ok(())
}

/// A text value of a meta key.
pub(crate) fn meta(doc: &AutoCommit, key: &str) -> CoreResult<Option<String>> {
    Ok(match doc.get(ROOT, key).map_err(am_error)? {
        Some((Value::Scalar(s), _)) => match s.as_ref() {
            ScalarValue::Str(s) => Some(s.to_string()),
            ScalarValue::Int(i) => Some(i.to_string()),
            _ => None,
        },
        _ => None,
    })
}
