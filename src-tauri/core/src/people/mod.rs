//! Contacts: persons and the organisations they belong to (Kommunen, Kreise, Vereine …).
//!
//! Invariants: a person belongs to at most one organisation; one e-mail address belongs to at
//! most one person (a unique index on the normalised address, checked here first for a German
//! message); the type-ahead index `persons_fts` is kept in step by triggers of the schema, so no
//! code path can forget it. Merging two persons lives in `registrations::merge`, which may call
//! both this module and the registrations.

pub mod consents;
mod duplicates;
mod history;
mod organisations;
mod search;

pub use duplicates::{
    DuplicateCandidate, DuplicatePair, DuplicateReason, duplicate_pairs, find_duplicates,
};
pub use history::{HistoryAction, HistoryEntry, add_history, move_history, person_history};
pub use organisations::{
    OrgKind, Organisation, OrganisationInput, PartnerTown, area_candidates, area_kind,
    create_organisation, find_or_create_organisation_by_name, get_organisation, list_organisations,
    organisation_duplicate_pairs, update_organisation,
};
pub(crate) use search::fts_query as fts_query_for_desk;
pub use search::search;

use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, CoreResult, Validator};
use crate::input::{Cleaner, MAX_TEXT_CHARS};
use crate::store::{new_uid, now_utc};

/// What the user enters for a person.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PersonInput {
    /// "Frau", "Herr" or empty.
    pub salutation: String,
    /// Academic title, e.g. "Dr.".
    pub title: String,
    /// First name (required).
    pub first_name: String,
    /// Last name (required).
    pub last_name: String,
    /// Function, e.g. "Vorsitzende" or "Partnerschaftsbeauftragter".
    pub function: String,
    /// The organisation, if any.
    #[ts(type = "number | null")]
    pub organisation_id: Option<i64>,
    /// Ort / Kommune.
    pub ort: String,
    /// E-mail address (optional, but checked when given).
    pub email: String,
    /// Phone number.
    pub phone: String,
    /// Internal notes.
    pub notes: String,
}

/// A stored person with the name and kind of their organisation.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Person {
    /// Database key.
    #[ts(type = "number")]
    pub id: i64,
    /// Stable UUID.
    pub uid: String,
    /// "Frau", "Herr" or empty.
    pub salutation: String,
    /// Academic title.
    pub title: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Function.
    pub function: String,
    /// Organisation key.
    #[ts(type = "number | null")]
    pub organisation_id: Option<i64>,
    /// Organisation name.
    pub organisation: Option<String>,
    /// Organisation kind.
    pub organisation_kind: Option<OrgKind>,
    /// Ort / Kommune.
    pub ort: String,
    /// E-mail.
    pub email: String,
    /// Phone.
    pub phone: String,
    /// Internal notes.
    pub notes: String,
    /// Creation time (UTC).
    pub created_at: String,
    /// Last change (UTC).
    pub updated_at: String,
    /// Recorded consent to invitations to future events (`None`: nothing recorded); lists mark
    /// persons without it and the Einladungsverteiler leaves them out.
    pub invitation_consent: Option<consents::ConsentState>,
}

impl Person {
    /// "Dr. Anna Beispiel".
    pub fn display_name(&self) -> String {
        [self.title.as_str(), &self.first_name, &self.last_name]
            .iter()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl PersonInput {
    /// The input in its stored form ([`crate::input`]): one-line fields normalised, control
    /// characters and overlong texts refused per field.
    pub fn cleaned(&self) -> CoreResult<PersonInput> {
        let mut c = Cleaner::default();
        let cleaned = PersonInput {
            salutation: c.line("salutation", &self.salutation),
            title: c.line("title", &self.title),
            first_name: c.line("first_name", &self.first_name),
            last_name: c.line("last_name", &self.last_name),
            function: c.line("function", &self.function),
            organisation_id: self.organisation_id,
            ort: c.line("ort", &self.ort),
            email: c.line("email", &self.email),
            phone: c.line("phone", &self.phone),
            notes: c.text("notes", &self.notes, MAX_TEXT_CHARS),
        };
        c.finish().map(|()| cleaned)
    }
}

fn validate(input: &PersonInput) -> CoreResult<()> {
    let mut v = Validator::default();
    v.required(
        &input.first_name,
        "first_name",
        "Bitte geben Sie einen Vornamen ein.",
    )
    .required(
        &input.last_name,
        "last_name",
        "Bitte geben Sie einen Nachnamen ein.",
    )
    .email(&input.email, "email");
    v.finish()
}

fn check_organisation(conn: &Connection, id: Option<i64>) -> CoreResult<()> {
    let Some(id) = id else { return Ok(()) };
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM organisations WHERE id = ?1)",
        [id],
        |r| r.get(0),
    )?;
    if exists {
        Ok(())
    } else {
        Err(CoreError::invalid(
            "organisation_id",
            "Die gewählte Organisation gibt es nicht (mehr).",
        ))
    }
}

/// Refuses an e-mail address that belongs to another person than `except_id`.
fn check_email_free(conn: &Connection, email: &str, except_id: Option<i64>) -> CoreResult<()> {
    if email.trim().is_empty() {
        return Ok(());
    }
    let owner = conn
        .query_row(
            "SELECT id, first_name || ' ' || last_name FROM persons
             WHERE email_key = lower(trim(?1)) AND id IS NOT ?2",
            params![email, except_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match owner {
        Some((person_id, name)) => Err(CoreError::EmailTaken {
            email: email.trim().to_owned(),
            person_id,
            name,
        }),
        None => Ok(()),
    }
}

/// Creates a person. An e-mail address of another person is refused
/// ([`CoreError::EmailTaken`]); a similar name in the same Ort is not: the UI warns with
/// [`find_duplicates`] first and lets the user decide.
pub fn create_person(tx: &Transaction<'_>, input: &PersonInput) -> CoreResult<Person> {
    let input = &input.cleaned()?;
    validate(input)?;
    check_organisation(tx, input.organisation_id)?;
    check_email_free(tx, &input.email, None)?;
    let now = now_utc();
    tx.execute(
        "INSERT INTO persons (uid, salutation, title, first_name, last_name, function,
             organisation_id, ort, email, phone, notes, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
        params![
            new_uid(),
            input.salutation.trim(),
            input.title.trim(),
            input.first_name.trim(),
            input.last_name.trim(),
            input.function.trim(),
            input.organisation_id,
            input.ort.trim(),
            input.email.trim(),
            input.phone.trim(),
            input.notes,
            now,
        ],
    )?;
    get_person(tx, tx.last_insert_rowid())
}

/// Changes a person; an e-mail address of another person is refused
/// ([`CoreError::EmailTaken`]).
pub fn update_person(tx: &Transaction<'_>, id: i64, input: &PersonInput) -> CoreResult<Person> {
    get_person(tx, id)?;
    let input = &input.cleaned()?;
    validate(input)?;
    check_organisation(tx, input.organisation_id)?;
    check_email_free(tx, &input.email, Some(id))?;
    tx.execute(
        "UPDATE persons SET salutation = ?2, title = ?3, first_name = ?4, last_name = ?5,
             function = ?6, organisation_id = ?7, ort = ?8, email = ?9, phone = ?10, notes = ?11,
             updated_at = ?12
         WHERE id = ?1",
        params![
            id,
            input.salutation.trim(),
            input.title.trim(),
            input.first_name.trim(),
            input.last_name.trim(),
            input.function.trim(),
            input.organisation_id,
            input.ort.trim(),
            input.email.trim(),
            input.phone.trim(),
            input.notes,
            now_utc(),
        ],
    )?;
    get_person(tx, id)
}

/// Deletes a person. Only for callers that have moved or undone everything that hangs on the
/// person first (merge, undo of a walk-in); registrations would go by cascade.
pub fn delete_person(tx: &Transaction<'_>, id: i64) -> CoreResult<()> {
    if tx.execute("DELETE FROM persons WHERE id = ?1", [id])? == 0 {
        return Err(CoreError::NotFound { what: "Die Person" });
    }
    Ok(())
}

/// Columns of [`person_from_row`], from `persons p LEFT JOIN organisations o`.
pub(crate) const PERSON_COLUMNS: &str = "p.id, p.uid, p.salutation, p.title, p.first_name,
    p.last_name, p.function, p.organisation_id, o.name, o.kind, p.ort, p.email, p.phone, p.notes,
    p.created_at, p.updated_at,
    (SELECT c.state FROM consents c WHERE c.person_id = p.id AND c.purpose = 'einladungen')";

/// Reads a row selected with [`PERSON_COLUMNS`].
pub(crate) fn person_from_row(row: &Row<'_>) -> rusqlite::Result<Person> {
    Ok(Person {
        id: row.get(0)?,
        uid: row.get(1)?,
        salutation: row.get(2)?,
        title: row.get(3)?,
        first_name: row.get(4)?,
        last_name: row.get(5)?,
        function: row.get(6)?,
        organisation_id: row.get(7)?,
        organisation: row.get(8)?,
        organisation_kind: row.get(9)?,
        ort: row.get(10)?,
        email: row.get(11)?,
        phone: row.get(12)?,
        notes: row.get(13)?,
        created_at: row.get(14)?,
        updated_at: row.get(15)?,
        invitation_consent: row.get(16)?,
    })
}

/// Loads one person.
pub fn get_person(conn: &Connection, id: i64) -> CoreResult<Person> {
    conn.query_row(
        &format!(
            "SELECT {PERSON_COLUMNS} FROM persons p
             LEFT JOIN organisations o ON o.id = p.organisation_id WHERE p.id = ?1"
        ),
        [id],
        person_from_row,
    )
    .optional()?
    .ok_or(CoreError::NotFound { what: "Die Person" })
}

/// Finds the person with this e-mail address (case-insensitive; at most one has it).
pub fn find_by_email(conn: &Connection, email: &str) -> CoreResult<Option<Person>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {PERSON_COLUMNS} FROM persons p
                 LEFT JOIN organisations o ON o.id = p.organisation_id
                 WHERE p.email_key = lower(trim(?1)) AND p.email_key <> ''
                 ORDER BY p.updated_at DESC, p.id DESC LIMIT 1"
            ),
            [email],
            person_from_row,
        )
        .optional()?)
}

/// All persons sorted by last and first name (the contacts list).
pub fn list_persons(conn: &Connection) -> CoreResult<Vec<Person>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {PERSON_COLUMNS} FROM persons p
         LEFT JOIN organisations o ON o.id = p.organisation_id
         ORDER BY fold(p.last_name), fold(p.first_name), p.id"
    ))?;
    let rows = stmt.query_map([], person_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::store::Store;

    /// A valid person input for tests across the crate.
    pub fn person(first: &str, last: &str, ort: &str, email: &str) -> PersonInput {
        PersonInput {
            first_name: first.into(),
            last_name: last.into(),
            ort: ort.into(),
            email: email.into(),
            ..PersonInput::default()
        }
    }

    /// The editable part of a stored person.
    pub fn person_input_of(p: &Person) -> PersonInput {
        PersonInput {
            salutation: p.salutation.clone(),
            title: p.title.clone(),
            first_name: p.first_name.clone(),
            last_name: p.last_name.clone(),
            function: p.function.clone(),
            organisation_id: p.organisation_id,
            ort: p.ort.clone(),
            email: p.email.clone(),
            phone: p.phone.clone(),
            notes: p.notes.clone(),
        }
    }

    #[test]
    fn names_are_stored_normalised_and_control_characters_refused() {
        let mut store = Store::open_in_memory().unwrap();
        let stored = store
            .write(|tx| create_person(tx, &person(" Anna\n", "Mu\u{308}ller ", "Köln", "")))
            .unwrap();
        assert_eq!(
            (stored.first_name.as_str(), stored.last_name.as_str()),
            ("Anna", "Müller")
        );
        let Err(CoreError::Validation(errors)) =
            store.write(|tx| create_person(tx, &person("An\0na", "B", "Köln\u{7}", "")))
        else {
            panic!("control characters must be refused");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["first_name", "ort"]);
        let long = PersonInput {
            notes: "x".repeat(MAX_TEXT_CHARS + 1),
            ..person("A", "B", "", "")
        };
        assert!(store.write(|tx| create_person(tx, &long)).is_err());
    }

    #[test]
    fn emoji_in_names_are_stored_and_found() {
        let mut store = Store::open_in_memory().unwrap();
        let stored = store
            .write(|tx| create_person(tx, &person("Jürgen 🎉", "Schmitz", "Köln 🇩🇪", "")))
            .unwrap();
        assert_eq!(stored.first_name, "Jürgen 🎉");
        assert_eq!(stored.ort, "Köln 🇩🇪");
        let hits = search::search(store.connection(), "jürgen", 5).unwrap();
        assert_eq!(hits[0].first_name, "Jürgen 🎉");
    }

    #[test]
    fn missing_names_and_bad_email_are_rejected() {
        let mut store = Store::open_in_memory().unwrap();
        let Err(CoreError::Validation(errors)) =
            store.write(|tx| create_person(tx, &person("", " ", "Köln", "kein-at")))
        else {
            panic!("expected validation errors");
        };
        assert_eq!(errors.len(), 3);
        assert!(errors.iter().any(|e| e.message.contains("E-Mail")));
    }

    #[test]
    fn email_lookup_ignores_case_and_spaces() {
        let mut store = Store::open_in_memory().unwrap();
        let p = store
            .write(|tx| create_person(tx, &person("Jörg", "Weiß", "Köln", "J.Weiss@Example.org")))
            .unwrap();
        let found = find_by_email(store.connection(), " j.weiss@example.ORG ")
            .unwrap()
            .unwrap();
        assert_eq!(found.id, p.id);
    }

    #[test]
    fn one_email_belongs_to_one_person_on_create_and_update() {
        let mut store = Store::open_in_memory().unwrap();
        let anna = store
            .write(|tx| create_person(tx, &person("Anna", "Adler", "Köln", "anna@example.org")))
            .unwrap();
        let ben = store
            .write(|tx| create_person(tx, &person("Ben", "Bauer", "Bonn", "")))
            .unwrap();
        let created =
            store.write(|tx| create_person(tx, &person("A.", "Adler", "", " ANNA@example.org")));
        let Err(CoreError::EmailTaken {
            person_id, name, ..
        }) = &created
        else {
            panic!("expected EmailTaken, got {created:?}");
        };
        assert_eq!((*person_id, name.as_str()), (anna.id, "Anna Adler"));
        let message = created.unwrap_err().to_string();
        assert!(
            message.contains("gehört bereits zu Anna Adler (Nr. 1)"),
            "{message}"
        );
        let mut input = person("Ben", "Bauer", "Bonn", "Anna@Example.org");
        let updated = store.write(|tx| update_person(tx, ben.id, &input));
        assert!(matches!(updated, Err(CoreError::EmailTaken { .. })));
        // Keeping one's own address, and several persons without one, are fine.
        input.email = String::new();
        store.write(|tx| update_person(tx, ben.id, &input)).unwrap();
        let own = PersonInput {
            phone: "0221 1".into(),
            ..person("Anna", "Adler", "Köln", "anna@example.org")
        };
        store.write(|tx| update_person(tx, anna.id, &own)).unwrap();
        // The schema refuses it too, whatever the code path.
        let raw = store.write(|tx| {
            tx.execute(
                "INSERT INTO persons (uid, first_name, last_name, email, created_at, updated_at)
                 VALUES ('x', 'X', 'Y', 'anna@EXAMPLE.org ', '', '')",
                [],
            )?;
            Ok(())
        });
        assert!(raw.is_err(), "the unique index refuses a second address");
    }
}
