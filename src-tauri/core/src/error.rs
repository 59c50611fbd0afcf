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
    /// The schema could not be brought up to date.
    #[error("Die Datenbank konnte nicht aktualisiert werden: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// An SQLite error that is not the user's fault.
    #[error("Datenbankfehler: {0}")]
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
