//! The office's settings ("Einstellungen"): who organises (name and address for lists and
//! letterheads), the default funding line of new events, the retention period for personal data
//! and where and how backups are written.
//!
//! One row (table `office_settings`, migration 0009), created with defaults by the migration, so
//! reading never writes. Secrets are never settings: the backup passphrase lives in the OS
//! credential store, here only whether backups are encrypted.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, CoreResult, Validator};
use crate::input::{Cleaner, MAX_TEXT_CHARS};
use crate::store::{Transaction, now_utc};

/// Retention period when the office has not chosen one: 24 months after an event's end.
pub const DEFAULT_RETENTION_MONTHS: i64 = 24;
/// Shortest retention period in months.
pub const MIN_RETENTION_MONTHS: i64 = 1;
/// Longest retention period in months (20 years).
pub const MAX_RETENTION_MONTHS: i64 = 240;
/// Longest postal address (a few lines).
const MAX_ADDRESS_CHARS: usize = 1_000;

/// The office's settings as the UI edits them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OfficeSettings {
    /// Name of the organising office, printed as "Veranstalter/in" on lists, e.g.
    /// "Netzwerkstelle Städtepartnerschaften NRW, Auslandsgesellschaft.de e.V.".
    pub organisation_name: String,
    /// Postal address for letterheads (several lines).
    pub organisation_address: String,
    /// Default funding line (Förderhinweis) of new events, e.g. "Gefördert durch die
    /// Staatskanzlei des Landes Nordrhein-Westfalen" (may be empty).
    pub funding_note: String,
    /// Months after an event's end until its personal data is due for deletion.
    #[ts(type = "number")]
    pub retention_months: i64,
    /// Folder for backups; `None` means the `Sicherungen` folder in the app data dir.
    pub backup_folder: Option<String>,
    /// Whether backups are encrypted with the passphrase kept in the OS credential store.
    pub backup_encrypted: bool,
}

impl OfficeSettings {
    /// The settings a new database starts with (the same as migration 0009 writes).
    pub fn defaults() -> Self {
        OfficeSettings {
            organisation_name:
                "Netzwerkstelle Städtepartnerschaften NRW, Auslandsgesellschaft.de e.V.".to_owned(),
            organisation_address: String::new(),
            funding_note: String::new(),
            retention_months: DEFAULT_RETENTION_MONTHS,
            backup_folder: None,
            backup_encrypted: false,
        }
    }

    /// Cleans and checks every field; all field errors at once, in German.
    fn validated(self) -> CoreResult<Self> {
        let mut c = Cleaner::default();
        let organisation_name = c.line("organisation_name", &self.organisation_name);
        let organisation_address = c.text(
            "organisation_address",
            &self.organisation_address,
            MAX_ADDRESS_CHARS,
        );
        let funding_note = c.text("funding_note", &self.funding_note, MAX_TEXT_CHARS);
        let backup_folder = self
            .backup_folder
            .as_deref()
            .map(|f| c.line_max("backup_folder", f, MAX_TEXT_CHARS))
            .filter(|f| !f.is_empty());
        c.finish()?;
        let mut v = Validator::default();
        v.required(
            &organisation_name,
            "organisation_name",
            "Bitte geben Sie den Namen Ihrer Organisation ein – er steht als Veranstalter auf den Listen.",
        )
        .check(
            !(MIN_RETENTION_MONTHS..=MAX_RETENTION_MONTHS).contains(&self.retention_months),
            "retention_months",
            &format!(
                "Die Aufbewahrungsfrist muss zwischen {MIN_RETENTION_MONTHS} und \
                 {MAX_RETENTION_MONTHS} Monaten liegen."
            ),
        );
        if let Some(folder) = &backup_folder {
            let path = Path::new(folder);
            if !path.is_absolute() {
                v.add(
                    "backup_folder",
                    "Bitte wählen Sie einen vollständigen Ordnerpfad (z. B. über „Ordner wählen …“).",
                );
            } else if !path.is_dir() {
                v.add(
                    "backup_folder",
                    format!(
                        "Den Ordner {folder} gibt es nicht (oder der USB-Stick bzw. das \
                         Netzlaufwerk ist nicht verbunden)."
                    ),
                );
            }
        }
        v.finish()?;
        Ok(OfficeSettings {
            organisation_name,
            organisation_address,
            funding_note,
            backup_folder,
            ..self
        })
    }
}

/// The office's settings (the defaults when the row is missing, e.g. in a hand-made database).
pub fn get(conn: &Connection) -> CoreResult<OfficeSettings> {
    let found = conn
        .query_row(
            "SELECT organisation_name, organisation_address, funding_note, retention_months,
                    backup_folder, backup_encrypted
             FROM office_settings WHERE id = 1",
            [],
            |row| {
                Ok(OfficeSettings {
                    organisation_name: row.get(0)?,
                    organisation_address: row.get(1)?,
                    funding_note: row.get(2)?,
                    retention_months: row.get(3)?,
                    backup_folder: row.get(4)?,
                    backup_encrypted: row.get(5)?,
                })
            },
        )
        .optional()?;
    Ok(found.unwrap_or_else(OfficeSettings::defaults))
}

/// The retention period in months after an event's end (for the deletion dates).
pub fn retention_months(conn: &Connection) -> CoreResult<i64> {
    Ok(get(conn)?.retention_months)
}

/// Validates and stores the settings; returns them as stored (cleaned).
pub fn save(tx: &Transaction<'_>, settings: OfficeSettings) -> CoreResult<OfficeSettings> {
    let s = settings.validated()?;
    let now = now_utc();
    let changed = tx.execute(
        "INSERT INTO office_settings (id, uid, organisation_name, organisation_address,
             funding_note, retention_months, backup_folder, backup_encrypted, created_at, updated_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
         ON CONFLICT (id) DO UPDATE SET
             organisation_name = excluded.organisation_name,
             organisation_address = excluded.organisation_address,
             funding_note = excluded.funding_note,
             retention_months = excluded.retention_months,
             backup_folder = excluded.backup_folder,
             backup_encrypted = excluded.backup_encrypted,
             updated_at = excluded.updated_at",
        params![
            SETTINGS_UID,
            s.organisation_name,
            s.organisation_address,
            s.funding_note,
            s.retention_months,
            s.backup_folder,
            s.backup_encrypted,
            now,
        ],
    )?;
    if changed != 1 {
        return Err(CoreError::Conflict(
            "Die Einstellungen konnten nicht gespeichert werden.".to_owned(),
        ));
    }
    get(tx)
}

/// The fixed uid of the one settings row (as in migration 0009).
const SETTINGS_UID: &str = "5e771095-0f1c-5e77-9a5e-000000000001";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    #[test]
    fn a_new_database_has_the_defaults() {
        let mut store = Store::open_in_memory().unwrap();
        let settings = store.read(get).unwrap();
        assert_eq!(settings, OfficeSettings::defaults());
        assert_eq!(store.read(retention_months).unwrap(), 24);
    }

    #[test]
    fn saving_cleans_and_stores_every_field() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in_memory().unwrap();
        let folder = dir.path().display().to_string();
        let saved = store
            .write(|tx| {
                save(
                    tx,
                    OfficeSettings {
                        organisation_name: "  Partnerschaftsverein\nMusterstadt ".to_owned(),
                        organisation_address: " Marktplatz 1\r\n12345 Musterstadt \n".to_owned(),
                        funding_note: "Gefördert durch das Land NRW".to_owned(),
                        retention_months: 36,
                        backup_folder: Some(format!(" {folder} ")),
                        backup_encrypted: true,
                    },
                )
            })
            .unwrap();
        assert_eq!(saved.organisation_name, "Partnerschaftsverein Musterstadt");
        assert_eq!(
            saved.organisation_address,
            "Marktplatz 1\n12345 Musterstadt"
        );
        assert_eq!(saved.retention_months, 36);
        assert_eq!(saved.backup_folder.as_deref(), Some(folder.as_str()));
        assert!(saved.backup_encrypted);
        assert_eq!(store.read(get).unwrap(), saved);
        // An empty folder means the default folder again.
        let reset = store
            .write(|tx| {
                save(
                    tx,
                    OfficeSettings {
                        backup_folder: Some("  ".to_owned()),
                        ..saved.clone()
                    },
                )
            })
            .unwrap();
        assert_eq!(reset.backup_folder, None);
    }

    #[test]
    fn invalid_settings_are_refused_per_field_in_german_and_nothing_is_saved() {
        let mut store = Store::open_in_memory().unwrap();
        let err = store
            .write(|tx| {
                save(
                    tx,
                    OfficeSettings {
                        organisation_name: "   ".to_owned(),
                        retention_months: 0,
                        backup_folder: Some("/gibt/es/nicht/sicherungen".to_owned()),
                        ..OfficeSettings::defaults()
                    },
                )
            })
            .unwrap_err();
        let CoreError::Validation(fields) = &err else {
            panic!("expected field errors, got {err}");
        };
        let named: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            named,
            ["organisation_name", "retention_months", "backup_folder"]
        );
        assert!(fields[1].message.contains("zwischen 1 und 240 Monaten"));
        assert!(fields[2].message.contains("gibt es nicht"));
        let relative = store
            .write(|tx| {
                save(
                    tx,
                    OfficeSettings {
                        backup_folder: Some("Sicherungen".to_owned()),
                        ..OfficeSettings::defaults()
                    },
                )
            })
            .unwrap_err();
        assert!(relative.to_string().contains("vollständigen Ordnerpfad"));
        let control = store
            .write(|tx| {
                save(
                    tx,
                    OfficeSettings {
                        funding_note: "Gefördert\u{0}".to_owned(),
                        ..OfficeSettings::defaults()
                    },
                )
            })
            .unwrap_err();
        assert!(control.to_string().contains("Steuerzeichen"));
        assert_eq!(store.read(get).unwrap(), OfficeSettings::defaults());
    }

    #[test]
    fn the_retention_period_is_checked_by_the_schema_too() {
        let store = Store::open_in_memory().unwrap();
        let err = store
            .connection()
            .execute("UPDATE office_settings SET retention_months = 0", [])
            .unwrap_err();
        assert!(err.to_string().contains("CHECK"), "{err}");
    }
}
