//! Typed errors of the core with German messages for the user.
//!
//! Validation errors name the offending field so the UI can show the message next to it.
//! [`ErrorDto`] is the serialisable form that crosses into the UI.

use serde::Serialize;
use ts_rs::TS;

/// Result type of every fallible core operation.
pub type CoreResult<T> = Result<T, CoreError>;

/// One invalid field of a user input, with a German message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct FieldError {
    /// Name of the input field (snake_case, as in the input type).
    pub field: String,
    /// German message shown next to the field.
    pub message: String,
}

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The input breaks one or more rules; nothing was saved.
    #[error("{}", join_messages(.0))]
    Validation(Vec<FieldError>),
    /// A referenced record does not exist.
    #[error("{what} wurde nicht gefunden.")]
    NotFound {
        /// German noun with article, e.g. "Die Veranstaltung".
        what: &'static str,
    },
    /// The action is not possible in the current state (German explanation).
    #[error("{0}")]
    Conflict(String),
    /// The e-mail address already belongs to another person (one address, one person).
    #[error(
        "Die E-Mail-Adresse {email} gehört bereits zu {name} (Nr. {person_id}). Bitte melden Sie \
         diese Person an oder führen Sie die beiden Kontakte zusammen."
    )]
    EmailTaken {
        /// The address as entered.
        email: String,
        /// The person it belongs to.
        person_id: i64,
        /// That person's name.
        name: String,
    },
    /// The database was written by a newer Tagungsbüro; it is left untouched.
    #[error(
        "Die Datenbank stammt aus einer neueren Version von Tagungsbüro (Schema-Version {found}, \
         diese Version kennt bis {known}). Bitte aktualisieren Sie Tagungsbüro; die Datei wurde nicht verändert."
    )]
    DatabaseTooNew {
        /// Schema version found in the file.
        found: usize,
        /// Highest schema version this build knows.
        known: usize,
    },
    /// Another Tagungsbüro (the app, a second window, the CLI) has the database open.
    #[error(
        "Die Datenbank {path} ist bereits geöffnet – in Tagungsbüro oder von tagungsbuero-cli. \
         Bitte schließen Sie das andere Programm zuerst: Zwei Programme auf derselben Datei können \
         Daten zerstören. Die Datei wurde nicht verändert."
    )]
    DatabaseInUse {
        /// The database path as given.
        path: String,
    },
    /// The database path names a folder.
    #[error(
        "{path} ist ein Ordner. Bitte geben Sie den Pfad einer Datenbankdatei an (z. B. …/tagungsbuero.db)."
    )]
    DatabasePathIsFolder {
        /// The path as given.
        path: String,
    },
    /// The folder of a new database does not exist; Tagungsbüro never creates it on its own.
    #[error(
        "Der Ordner {folder} existiert nicht. Tagungsbüro legt für eine Datenbank keine Ordner an – \
         bitte prüfen Sie den Pfad auf Tippfehler."
    )]
    DatabaseFolderMissing {
        /// The missing folder.
        folder: String,
    },
    /// The open database file was deleted or replaced while Tagungsbüro was running.
    #[error("{}", gone_message(path, *replaced))]
    DatabaseGone {
        /// The database path.
        path: String,
        /// Another file now lies at the path (else: the file was deleted).
        replaced: bool,
    },
    /// `PRAGMA quick_check` found damage; nothing is written into the file any more.
    #[error(
        "Die Datenbank {path} ist beschädigt ({detail}). Damit der Schaden nicht größer wird, \
         speichert Tagungsbüro nichts mehr in dieser Datei; Lesen ist weiter möglich. Bitte schließen \
         Sie Tagungsbüro, bewahren Sie die Datei für eine Reparatur auf und stellen Sie die letzte \
         Sicherung wieder her."
    )]
    DatabaseDamaged {
        /// The database path.
        path: String,
        /// The first finding of the check (English, from SQLite).
        detail: String,
    },
    /// The file is not an SQLite database at all.
    #[error(
        "Die Datei {path} ist keine Tagungsbüro-Datenbank (oder so stark beschädigt, dass sie nicht \
         gelesen werden kann). Sie wurde nicht verändert. Bitte prüfen Sie, ob Sie die richtige Datei \
         gewählt haben."
    )]
    NotADatabase {
        /// The database path.
        path: String,
    },
    /// The schema could not be brought up to date.
    #[error("Die Datenbank konnte nicht aktualisiert werden: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// An SQLite error that is not the user's fault; common causes are explained in German.
    #[error("{}", sqlite_message(.0))]
    Database(#[from] rusqlite::Error),
    /// Reading or writing a file failed.
    #[error("Datei konnte nicht gelesen oder geschrieben werden: {0}")]
    Io(#[from] std::io::Error),
    /// A file to import is malformed.
    #[error("Die Datei {file} ist fehlerhaft: {message}")]
    InvalidFile {
        /// File name as given by the user.
        file: String,
        /// German description of the problem.
        message: String,
    },
}

fn gone_message(path: &str, replaced: bool) -> String {
    if replaced {
        format!(
            "Die Datenbankdatei {path} wurde durch eine andere Datei ersetzt, während Tagungsbüro \
             lief. Damit nichts in die falsche Datei geschrieben wird, ist Speichern gesperrt. Bitte \
             starten Sie Tagungsbüro neu."
        )
    } else {
        format!(
            "Die Datenbankdatei {path} wurde gelöscht oder verschoben, während Tagungsbüro lief. \
             Es wurde nichts gespeichert. Tagungsbüro hält die Daten noch und kann die Datei \
             wiederherstellen („Datenbank wiederherstellen“)."
        )
    }
}

/// SQLite's English texts in German with advice; anything unexpected keeps SQLite's text.
fn sqlite_message(error: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode;
    let advice = match error.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            "Die Datenbank ist gerade durch einen anderen Vorgang belegt. Es wurde nichts \
             gespeichert; bitte versuchen Sie es in einem Moment noch einmal."
        }
        Some(ErrorCode::DiskFull) => {
            "Der Datenträger ist voll. Es wurde nichts gespeichert; bitte schaffen Sie Platz \
             (z. B. alte Exporte löschen) und versuchen Sie es erneut."
        }
        Some(ErrorCode::SystemIoFailure) => {
            "Die Datenbankdatei konnte nicht gelesen oder geschrieben werden (Datenträger- oder \
             Netzwerkfehler). Es wurde nichts gespeichert; bitte prüfen Sie das Laufwerk und \
             starten Sie Tagungsbüro neu."
        }
        Some(ErrorCode::ReadOnly) => {
            "Die Datenbank ist schreibgeschützt. Es wurde nichts gespeichert; bitte prüfen Sie die \
             Dateirechte oder ob die Datei auf einem schreibgeschützten Laufwerk liegt."
        }
        Some(ErrorCode::DatabaseCorrupt) => {
            "Die Datenbank ist beschädigt. Bitte schließen Sie Tagungsbüro und stellen Sie die \
             letzte Sicherung wieder her."
        }
        Some(ErrorCode::NotADatabase) => {
            "Die Datei ist keine Tagungsbüro-Datenbank oder stark beschädigt."
        }
        Some(ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
            "Die Datenbankdatei konnte nicht geöffnet werden; bitte prüfen Sie Pfad und Dateirechte."
        }
        _ => return format!("Datenbankfehler: {error}"),
    };
    advice.to_owned()
}

fn join_messages(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| e.message.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

impl CoreError {
    /// A validation error on a single field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        CoreError::Validation(vec![FieldError {
            field: field.to_owned(),
            message: message.into(),
        }])
    }

    /// A short technical name of the error, without any data from it (for the log file, which
    /// must never hold names, e-mail addresses or paths the user typed).
    pub fn code(&self) -> &'static str {
        match self {
            CoreError::Validation(_) => "validation",
            CoreError::NotFound { .. } => "not_found",
            CoreError::Conflict(_) => "conflict",
            CoreError::EmailTaken { .. } => "email_taken",
            CoreError::DatabaseTooNew { .. } => "database_too_new",
            CoreError::DatabaseInUse { .. } => "database_in_use",
            CoreError::DatabasePathIsFolder { .. } => "database_path_is_folder",
            CoreError::DatabaseFolderMissing { .. } => "database_folder_missing",
            CoreError::DatabaseGone { .. } => "database_gone",
            CoreError::DatabaseDamaged { .. } => "database_damaged",
            CoreError::NotADatabase { .. } => "not_a_database",
            CoreError::Migration(_) => "migration",
            CoreError::Database(_) => "sqlite",
            CoreError::Io(_) => "io",
            CoreError::InvalidFile { .. } => "invalid_file",
        }
    }
}

/// Collects validation errors of one input, field by field.
#[derive(Debug, Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    /// Records `message` for `field` when `failed` holds.
    pub fn check(&mut self, failed: bool, field: &str, message: &str) -> &mut Self {
        if failed {
            self.add(field, message);
        }
        self
    }

    /// Records `message` for `field`.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    /// Requires a non-blank text.
    pub fn required(&mut self, value: &str, field: &str, message: &str) -> &mut Self {
        self.check(value.trim().is_empty(), field, message)
    }

    /// Accepts an empty string or a plausible e-mail address.
    pub fn email(&mut self, value: &str, field: &str) -> &mut Self {
        let value = value.trim();
        self.check(
            !value.is_empty() && !is_plausible_email(value),
            field,
            "Die E-Mail-Adresse ist ungültig (Beispiel: name@beispiel.de).",
        )
    }

    /// `Ok(())` when no error was recorded.
    pub fn finish(self) -> CoreResult<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(CoreError::Validation(self.errors))
        }
    }
}

/// A pragmatic e-mail check: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn is_plausible_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && !value.chars().any(char::is_whitespace)
        && domain.split('.').count() >= 2
        && domain.split('.').all(|part| !part.is_empty())
}

/// Kind of an [`ErrorDto`], for the UI to decide how to show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorKind {
    /// Field errors to show next to the fields.
    Validation,
    /// Missing record.
    NotFound,
    /// Not possible in the current state.
    Conflict,
    /// Anything else (database, file, version).
    Internal,
}

/// The error as the UI receives it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ErrorDto {
    /// What kind of error this is.
    pub kind: ErrorKind,
    /// German message for the whole error.
    pub message: String,
    /// Per-field messages (only for validation errors).
    pub fields: Vec<FieldError>,
}

impl From<&CoreError> for ErrorDto {
    fn from(error: &CoreError) -> Self {
        let (kind, fields) = match error {
            CoreError::Validation(fields) => (ErrorKind::Validation, fields.clone()),
            CoreError::EmailTaken { .. } => (
                ErrorKind::Validation,
                vec![FieldError {
                    field: "email".into(),
                    message: error.to_string(),
                }],
            ),
            CoreError::NotFound { .. } => (ErrorKind::NotFound, Vec::new()),
            CoreError::Conflict(_) => (ErrorKind::Conflict, Vec::new()),
            _ => (ErrorKind::Internal, Vec::new()),
        };
        ErrorDto {
            kind,
            message: error.to_string(),
            fields,
        }
    }
}

impl From<CoreError> for ErrorDto {
    fn from(error: CoreError) -> Self {
        ErrorDto::from(&error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_check_accepts_usual_and_rejects_malformed_addresses() {
        assert!(is_plausible_email("a.mueller@example.org"));
        assert!(!is_plausible_email("a.mueller@example"));
        assert!(!is_plausible_email("a mueller@example.org"));
        assert!(!is_plausible_email("@example.org"));
        assert!(!is_plausible_email("a@@example.org"));
        assert!(!is_plausible_email("a@example..org"));
    }

    #[test]
    fn validator_collects_all_field_errors() {
        let mut v = Validator::default();
        v.required("", "first_name", "Vorname fehlt.")
            .required(" ", "last_name", "Nachname fehlt.")
            .email("x", "email");
        let Err(CoreError::Validation(errors)) = v.finish() else {
            panic!("expected validation errors");
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["first_name", "last_name", "email"]);
    }
}
