//! Saved export profiles: a named, validated choice of options per exporter, e.g.
//! "Presse" for the participant list with only name, organisation and Ort.
//!
//! Profile names are unique per exporter without regard to case. Saving under an existing name
//! replaces that profile's options. Each function is meant to run in its own transaction
//! ([`crate::Store::write`] / [`crate::Store::read`]).

use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use serde::Serialize;
use ts_rs::TS;

use super::options::{ExportOptions, RawOptions};
use crate::error::{CoreError, CoreResult, Validator};
use crate::store::{new_uid, now_utc};

/// Longest profile name.
const MAX_NAME_CHARS: usize = 80;

/// A stored profile.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ExportProfile {
    /// Database key.
    #[ts(type = "number")]
    pub id: i64,
    /// Stable UUID.
    pub uid: String,
    /// Exporter id.
    pub exporter_id: String,
    /// Name chosen by the user.
    pub name: String,
    /// The complete options (every option of the exporter).
    pub options: RawOptions,
    /// Creation time (UTC).
    pub created_at: String,
    /// Last change (UTC).
    pub updated_at: String,
}

/// Saves `options` under `name` for the exporter, replacing a profile of the same name. The
/// options are validated and stored complete, defaults included.
pub fn save(
    tx: &Transaction<'_>,
    exporter_id: &str,
    name: &str,
    options: &RawOptions,
) -> CoreResult<ExportProfile> {
    let exporter = super::find(exporter_id)?;
    let name = crate::input::line("name", name)?;
    let name = name.as_str();
    let mut v = Validator::default();
    v.required(name, "name", "Bitte geben Sie dem Profil einen Namen.")
        .check(
            name.chars().count() > MAX_NAME_CHARS,
            "name",
            &format!("Der Profilname darf höchstens {MAX_NAME_CHARS} Zeichen lang sein."),
        );
    v.finish()?;
    let options = ExportOptions::resolve(exporter.label(), &exporter.options(), options)?;
    let json = serde_json::Value::Object(options.to_raw()).to_string();
    let now = now_utc();
    tx.execute(
        "INSERT INTO export_profiles (uid, exporter_id, name, options, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)
         ON CONFLICT (exporter_id, name) DO UPDATE SET options = excluded.options,
             updated_at = excluded.updated_at",
        params![new_uid(), exporter.id(), name, json, now],
    )?;
    get_by_name(tx, exporter.id(), name)
}

const PROFILE_SELECT: &str =
    "SELECT id, uid, exporter_id, name, options, created_at, updated_at FROM export_profiles";

fn from_row(r: &Row<'_>) -> rusqlite::Result<ExportProfile> {
    let options: String = r.get(4)?;
    let options = serde_json::from_str(&options).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, e.into())
    })?;
    Ok(ExportProfile {
        id: r.get(0)?,
        uid: r.get(1)?,
        exporter_id: r.get(2)?,
        name: r.get(3)?,
        options,
        created_at: r.get(5)?,
        updated_at: r.get(6)?,
    })
}

/// The profiles of one exporter (or of all when `None`), by exporter and name.
pub fn list(conn: &Connection, exporter_id: Option<&str>) -> CoreResult<Vec<ExportProfile>> {
    let mut stmt = conn.prepare(&format!(
        "{PROFILE_SELECT} WHERE ?1 IS NULL OR exporter_id = ?1 ORDER BY exporter_id, name"
    ))?;
    let rows = stmt.query_map([exporter_id], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The profile `name` (case-insensitive) of an exporter; the German error lists the
/// exporter's profiles.
pub fn get_by_name(conn: &Connection, exporter_id: &str, name: &str) -> CoreResult<ExportProfile> {
    let found = conn
        .query_row(
            &format!("{PROFILE_SELECT} WHERE exporter_id = ?1 AND name = ?2"),
            params![exporter_id, name.trim()],
            from_row,
        )
        .optional()?;
    if let Some(profile) = found {
        return Ok(profile);
    }
    let label = super::find(exporter_id)?.label();
    let names: Vec<String> = list(conn, Some(exporter_id))?
        .into_iter()
        .map(|p| format!("„{}“", p.name))
        .collect();
    let known = if names.is_empty() {
        "es gibt noch keine".to_owned()
    } else {
        format!("vorhanden: {}", names.join(", "))
    };
    Err(CoreError::invalid(
        "profile",
        format!(
            "Das Exportprofil „{}“ für „{label}“ gibt es nicht ({known}).",
            name.trim()
        ),
    ))
}

/// Deletes a profile.
pub fn delete(tx: &Transaction<'_>, id: i64) -> CoreResult<()> {
    match tx.execute("DELETE FROM export_profiles WHERE id = ?1", [id])? {
        0 => Err(CoreError::NotFound {
            what: "Das Exportprofil",
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::store::Store;

    fn columns(list: serde_json::Value) -> RawOptions {
        json!({ "columns": list }).as_object().unwrap().clone()
    }

    #[test]
    fn saving_stores_complete_options_and_replaces_by_name_without_case() {
        let mut store = Store::open_in_memory().unwrap();
        let first = store
            .write(|tx| {
                save(
                    tx,
                    "participants",
                    " Presse ",
                    &columns(json!(["last_name"])),
                )
            })
            .unwrap();
        assert_eq!(first.name, "Presse");
        assert_eq!(first.options["columns"], json!(["last_name"]));
        assert_eq!(
            first.options["format"],
            json!("xlsx"),
            "defaults are stored too"
        );
        let second = store
            .write(|tx| {
                save(
                    tx,
                    "participants",
                    "presse",
                    &columns(json!(["nr", "email"])),
                )
            })
            .unwrap();
        assert_eq!(second.id, first.id);
        assert_eq!(second.options["columns"], json!(["nr", "email"]));
        let all = list(store.connection(), Some("participants")).unwrap();
        assert_eq!(all.len(), 1);
    }

    #[test]
    fn invalid_options_or_names_save_nothing() {
        let mut store = Store::open_in_memory().unwrap();
        let err = store
            .write(|tx| save(tx, "participants", "X", &columns(json!(["shoe_size"]))))
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("„shoe_size“ ist für „Spalten“ nicht möglich")
        );
        let err = store
            .write(|tx| save(tx, "participants", "  ", &RawOptions::new()))
            .unwrap_err();
        assert!(err.to_string().contains("Namen"));
        let err = store
            .write(|tx| save(tx, "badges", "X", &RawOptions::new()))
            .unwrap_err();
        assert!(err.to_string().contains("Unbekannte Exportart „badges“"));
        assert!(list(store.connection(), None).unwrap().is_empty());
    }

    #[test]
    fn unknown_profiles_name_the_existing_ones_and_delete_removes() {
        let mut store = Store::open_in_memory().unwrap();
        let err = get_by_name(store.connection(), "attendance", "Hochkant").unwrap_err();
        assert!(err.to_string().contains("es gibt noch keine"));
        let saved = store
            .write(|tx| save(tx, "attendance", "Hochkant", &RawOptions::new()))
            .unwrap();
        let err = get_by_name(store.connection(), "attendance", "Quer").unwrap_err();
        assert!(err.to_string().contains("vorhanden: „Hochkant“"), "{err}");
        store.write(|tx| delete(tx, saved.id)).unwrap();
        assert!(list(store.connection(), None).unwrap().is_empty());
        assert!(matches!(
            store.write(|tx| delete(tx, saved.id)),
            Err(CoreError::NotFound { .. })
        ));
    }
}
