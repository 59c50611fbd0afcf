//! Datenschutz: retention (a deletion date per event), the shredder per event ("Personendaten
//! löschen"), Art. 17 erasure of a person, the Art. 15 Auskunft ([`auskunft`]) and the deletion
//! log.
//!
//! Invariants:
//! - nothing is deleted on its own: a passed deletion date is reported ([`due_events`]) until
//!   staff run the shredder;
//! - the shredder and the erasure keep every registration as an anonymous record (status, role,
//!   source, first time, organisation — copied into `registrations.organisation_id` —,
//!   attendance with minutes, workshops, status history without reasons, wishes without author),
//!   so [`crate::statistics::event_statistics`] is the same before and after;
//! - each run is one transaction; its preview is the run itself inside a savepoint that is rolled
//!   back, so preview and result cannot differ;
//! - the deletion log records when, what kind and how many — never who;
//! - after a run, [`scrub_file`] rewrites the database file (FTS merge, `VACUUM`, WAL truncated),
//!   so removed names and addresses are not left in free pages or the WAL.

pub mod auskunft;

use chrono::{Months, NaiveDate};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, CoreResult};
use crate::events;
use crate::people;
use crate::people::consents::{self, ConsentInput};
use crate::registrations::{self, RegisterInput, RegisterOutcome};
use crate::statistics::{self, EventStatistics};
use crate::store::{new_uid, now_utc, text_enum};
use crate::time;

/// The retention period in months after an event's end, from the office settings
/// (Einstellungen → Datenschutz; 24 unless changed, validated there to 1–240).
pub fn retention_months(conn: &Connection) -> CoreResult<u32> {
    Ok(u32::try_from(crate::settings::retention_months(conn)?)
        .unwrap_or(crate::settings::DEFAULT_RETENTION_MONTHS as u32))
}

/// An event's deletion date and whether personal data of it is still stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct EventRetention {
    /// Event key.
    #[ts(type = "number")]
    pub event_id: i64,
    /// Event title.
    pub title: String,
    /// Berlin date of the event's end (YYYY-MM-DD).
    pub ends_on: String,
    /// Berlin date from which the personal data should be deleted (YYYY-MM-DD).
    pub deletion_date: String,
    /// Whether the date was set by hand (otherwise: end + retention period).
    pub deletion_date_set: bool,
    /// The retention period the derived date uses (months).
    pub retention_months: u32,
    /// Registrations that still name a person.
    #[ts(type = "number")]
    pub registrations_with_persons: i64,
    /// The deletion date has passed and personal data is still stored.
    pub due: bool,
    /// When the shredder last ran for this event (UTC).
    pub personal_data_deleted_at: Option<String>,
}

fn retention_of(
    conn: &Connection,
    event_id: i64,
    months: u32,
    today: NaiveDate,
) -> CoreResult<EventRetention> {
    let (title, ends_at, set, deleted_at, with_persons): (
        String,
        String,
        Option<String>,
        Option<String>,
        i64,
    ) = conn
        .query_row(
            "SELECT title, ends_at, deletion_date, personal_data_deleted_at,
                    (SELECT count(*) FROM registrations r
                      WHERE r.event_id = e.id AND r.person_id IS NOT NULL)
             FROM events e WHERE id = ?1",
            [event_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?
        .ok_or(CoreError::NotFound {
            what: "Die Veranstaltung",
        })?;
    let ends_on = time::in_berlin(time::from_storage(&ends_at)?).date_naive();
    let deletion = match &set {
        Some(date) => time::parse_date(date, "deletion_date")?,
        None => ends_on
            .checked_add_months(Months::new(months))
            .unwrap_or(NaiveDate::MAX),
    };
    Ok(EventRetention {
        event_id,
        title,
        ends_on: ends_on.format("%Y-%m-%d").to_string(),
        deletion_date: deletion.format("%Y-%m-%d").to_string(),
        deletion_date_set: set.is_some(),
        retention_months: months,
        registrations_with_persons: with_persons,
        due: deletion <= today && with_persons > 0,
        personal_data_deleted_at: deleted_at,
    })
}

/// The deletion date of one event.
pub fn event_retention(conn: &Connection, event_id: i64) -> CoreResult<EventRetention> {
    let months = retention_months(conn)?;
    retention_of(conn, event_id, months, time::today_in_berlin())
}

/// Events whose deletion date has passed while personal data of them is still stored (the app
/// says so on start, in the event list and on the event), earliest date first.
pub fn due_events(conn: &Connection) -> CoreResult<Vec<EventRetention>> {
    due_events_on(conn, time::today_in_berlin())
}

/// [`due_events`] as of `today`.
pub fn due_events_on(conn: &Connection, today: NaiveDate) -> CoreResult<Vec<EventRetention>> {
    let months = retention_months(conn)?;
    let ids: Vec<i64> = conn
        .prepare(
            "SELECT DISTINCT event_id FROM registrations WHERE person_id IS NOT NULL ORDER BY 1",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut due = Vec::new();
    for id in ids {
        let retention = retention_of(conn, id, months, today)?;
        if retention.due {
            due.push(retention);
        }
    }
    due.sort_by(|a, b| a.deletion_date.cmp(&b.deletion_date));
    Ok(due)
}

/// Sets an event's deletion date by hand (`None`: back to end + retention period). A date before
/// the event's end is refused.
pub fn set_deletion_date(
    tx: &Transaction<'_>,
    event_id: i64,
    date: Option<&str>,
) -> CoreResult<EventRetention> {
    let current = event_retention(tx, event_id)?;
    let stored = match date.map(str::trim).filter(|d| !d.is_empty()) {
        Some(text) => {
            let date = time::parse_date(text, "deletion_date")?;
            if date.format("%Y-%m-%d").to_string() < current.ends_on {
                return Err(CoreError::invalid(
                    "deletion_date",
                    "Das Löschdatum kann nicht vor dem Ende der Veranstaltung liegen.",
                ));
            }
            Some(date.format("%Y-%m-%d").to_string())
        }
        None => None,
    };
    tx.execute(
        "UPDATE events SET deletion_date = ?2, updated_at = ?3 WHERE id = ?1",
        params![event_id, stored, now_utc()],
    )?;
    event_retention(tx, event_id)
}

text_enum! {
    /// What happens to a person the shredder leaves without registration and without consent to
    /// invitations.
    pub enum LeftoverPersons {
        /// The contact is deleted with everything attached to it.
        Loeschen = "loeschen" => "Kontakt löschen",
        /// The contact stays as an anonymous record (organisation kept, name "Anonym",
        /// no e-mail, phone, Ort, notes, consents, history).
        Anonymisieren = "anonymisieren" => "Kontakt anonymisieren",
    }
}

/// What the shredder or an erasure removed (or, in a preview, would remove) and what stays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DeletionReport {
    /// Registrations that lost their person.
    #[ts(type = "number")]
    pub registrations_anonymised: i64,
    /// Contacts deleted.
    #[ts(type = "number")]
    pub persons_removed: i64,
    /// Contacts anonymised.
    #[ts(type = "number")]
    pub persons_anonymised: i64,
    /// Contacts kept because they are registered for another event.
    #[ts(type = "number")]
    pub persons_kept_registered: i64,
    /// Contacts kept because they consented to invitations.
    #[ts(type = "number")]
    pub persons_kept_invitations: i64,
    /// Registration comments and cancel reasons removed.
    #[ts(type = "number")]
    pub comments_removed: i64,
    /// Wishes kept without author.
    #[ts(type = "number")]
    pub wishes_kept: i64,
    /// Attendance marks kept (anonymous).
    #[ts(type = "number")]
    pub attendance_kept: i64,
    /// Names of the contacts deleted or anonymised, for the preview on screen (never logged).
    pub affected_names: Vec<String>,
    /// The statistics of the event (shredder only), the same before and after.
    pub statistics: Option<EventStatistics>,
}

/// The registrations of `filter` (an SQL condition on `registrations`) with a person become
/// anonymous; returns (registrations, comments removed, persons they named).
fn anonymise_registrations(
    tx: &Transaction<'_>,
    filter: &str,
    param: i64,
) -> CoreResult<(i64, i64, Vec<i64>)> {
    let scope = format!("{filter} AND person_id IS NOT NULL");
    let persons: Vec<i64> = tx
        .prepare(&format!(
            "SELECT DISTINCT person_id FROM registrations WHERE {scope} ORDER BY 1"
        ))?
        .query_map([param], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let comments: i64 = tx.query_row(
        &format!(
            "SELECT count(*) FROM registrations
             WHERE {scope} AND (comment <> '' OR cancel_reason <> '')"
        ),
        [param],
        |r| r.get(0),
    )?;
    // The status history stays (when, from, to), its free-text reasons go.
    tx.execute(
        &format!(
            "UPDATE registration_status_log SET reason = ''
             WHERE reason <> '' AND registration_id IN (SELECT id FROM registrations WHERE {scope})"
        ),
        [param],
    )?;
    // An import row ties the anonymous registration to the file row and the person: it goes.
    tx.execute(
        &format!(
            "DELETE FROM import_rows
             WHERE registration_id IN (SELECT id FROM registrations WHERE {scope})"
        ),
        [param],
    )?;
    let count = tx.execute(
        &format!(
            "UPDATE registrations SET
                 organisation_id = (SELECT p.organisation_id FROM persons p
                                     WHERE p.id = registrations.person_id),
                 person_id = NULL, comment = '', cancel_reason = '', needs_attention = 0,
                 updated_at = ?2
             WHERE {scope}"
        ),
        params![param, now_utc()],
    )?;
    Ok((count as i64, comments, persons))
}

/// Removes what hangs on a person besides registrations: import rows (file fingerprints and
/// previous values), history (merged duplicates' data), aliases, consents.
fn clear_person_traces(tx: &Transaction<'_>, person_id: i64) -> CoreResult<()> {
    for sql in [
        "DELETE FROM import_rows WHERE person_id = ?1",
        "DELETE FROM person_history WHERE person_id = ?1",
        "DELETE FROM person_aliases WHERE person_id = ?1",
        "DELETE FROM consents WHERE person_id = ?1",
    ] {
        tx.execute(sql, [person_id])?;
    }
    Ok(())
}

fn remove_person(tx: &Transaction<'_>, person_id: i64) -> CoreResult<()> {
    clear_person_traces(tx, person_id)?;
    people::delete_person(tx, person_id)
}

fn anonymise_person(tx: &Transaction<'_>, person_id: i64) -> CoreResult<()> {
    clear_person_traces(tx, person_id)?;
    tx.execute(
        "UPDATE persons SET salutation = '', title = '', first_name = 'Anonym',
             last_name = 'Person', function = '', ort = '', email = '', phone = '', notes = '',
             updated_at = ?2
         WHERE id = ?1",
        params![person_id, now_utc()],
    )?;
    Ok(())
}

/// Merges the type-ahead index so deleted names leave its segments too.
fn optimise_search_index(tx: &Transaction<'_>) -> CoreResult<()> {
    tx.execute_batch("INSERT INTO persons_fts (persons_fts) VALUES ('optimize')")?;
    Ok(())
}

fn has_invitation_consent(tx: &Transaction<'_>, person_id: i64) -> CoreResult<bool> {
    Ok(tx
        .query_row(
            "SELECT 1 FROM consents
             WHERE person_id = ?1 AND purpose = 'einladungen' AND state = 'erteilt'",
            [person_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

fn log_deletion(
    tx: &Transaction<'_>,
    kind: &str,
    event_id: Option<i64>,
    report: &DeletionReport,
) -> CoreResult<()> {
    let now = now_utc();
    tx.execute(
        "INSERT INTO deletion_log (uid, at, kind, event_id, registrations_anonymised,
             persons_removed, persons_anonymised, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?2, ?2)",
        params![
            new_uid(),
            now,
            kind,
            event_id,
            report.registrations_anonymised,
            report.persons_removed,
            report.persons_anonymised
        ],
    )?;
    Ok(())
}

fn kept_counts(tx: &Transaction<'_>, filter: &str, param: i64) -> CoreResult<(i64, i64)> {
    let count = |sql: &str| -> CoreResult<i64> {
        Ok(tx.query_row(&sql.replace("{filter}", filter), [param], |r| r.get(0))?)
    };
    Ok((
        count(
            "SELECT count(*) FROM wishes WHERE registration_id IN (SELECT id FROM registrations WHERE {filter})",
        )?,
        count(
            "SELECT count(*) FROM attendance WHERE registration_id IN (SELECT id FROM registrations WHERE {filter})",
        )?,
    ))
}

/// The shredder ("Personendaten löschen") for a past event: its registrations become anonymous,
/// and the persons it leaves without any registration and without consent to invitations are
/// deleted or anonymised (`leftover`). One transaction (the caller's); logged without names.
pub fn shred_event(
    tx: &Transaction<'_>,
    event_id: i64,
    leftover: LeftoverPersons,
) -> CoreResult<DeletionReport> {
    let event = events::get(tx, event_id)?;
    if !event.is_past {
        return Err(CoreError::Conflict(format!(
            "„{}“ ist noch nicht vorbei. Personendaten einer Veranstaltung werden erst nach ihrem \
             Ende gelöscht.",
            event.title
        )));
    }
    let before = statistics::event_statistics(tx, event_id)?;
    let (wishes_kept, attendance_kept) = kept_counts(tx, "event_id = ?1", event_id)?;
    let (registrations, comments, persons) =
        anonymise_registrations(tx, "event_id = ?1", event_id)?;
    let mut report = DeletionReport {
        registrations_anonymised: registrations,
        persons_removed: 0,
        persons_anonymised: 0,
        persons_kept_registered: 0,
        persons_kept_invitations: 0,
        comments_removed: comments,
        wishes_kept,
        attendance_kept,
        affected_names: Vec::new(),
        statistics: None,
    };
    for person_id in persons {
        let remaining: i64 = tx.query_row(
            "SELECT count(*) FROM registrations WHERE person_id = ?1",
            [person_id],
            |r| r.get(0),
        )?;
        if remaining > 0 {
            report.persons_kept_registered += 1;
            continue;
        }
        if has_invitation_consent(tx, person_id)? {
            report.persons_kept_invitations += 1;
            continue;
        }
        report
            .affected_names
            .push(people::get_person(tx, person_id)?.display_name());
        match leftover {
            LeftoverPersons::Loeschen => {
                remove_person(tx, person_id)?;
                report.persons_removed += 1;
            }
            LeftoverPersons::Anonymisieren => {
                anonymise_person(tx, person_id)?;
                report.persons_anonymised += 1;
            }
        }
    }
    report.affected_names.sort();
    tx.execute(
        "UPDATE events SET personal_data_deleted_at = ?2, updated_at = ?2 WHERE id = ?1",
        params![event_id, now_utc()],
    )?;
    let after = statistics::event_statistics(tx, event_id)?;
    if after != before {
        return Err(CoreError::Conflict(
            "Die Statistik der Veranstaltung hätte sich geändert; es wurde nichts gelöscht."
                .to_owned(),
        ));
    }
    report.statistics = Some(after);
    optimise_search_index(tx)?;
    log_deletion(tx, "veranstaltung", Some(event_id), &report)?;
    Ok(report)
}

/// Keeps shredded events shredded when data arrives from another laptop (the laptop sync runs
/// this after every import, in the import's transaction): a registration made or a comment
/// written on a laptop that had not heard of the shredding yet is anonymised again, and the
/// persons it leaves behind are removed as by the shredder. Returns the events shredded again.
/// An event whose shredding fails (it would change the statistics) is left as it is.
pub fn shred_arrivals(tx: &Transaction<'_>) -> CoreResult<usize> {
    let events: Vec<i64> = tx
        .prepare(
            "SELECT DISTINCT e.id FROM events e JOIN registrations r ON r.event_id = e.id
             WHERE e.personal_data_deleted_at IS NOT NULL
               AND (r.person_id IS NOT NULL OR r.comment <> '' OR r.cancel_reason <> '')
             ORDER BY e.id",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut shredded = 0;
    for event_id in events {
        tx.execute_batch("SAVEPOINT shred_arrivals")?;
        // Comments written elsewhere on registrations that were already anonymous.
        let cleared = tx.execute(
            "UPDATE registrations SET comment = '', cancel_reason = '', updated_at = ?2
             WHERE event_id = ?1 AND person_id IS NULL AND (comment <> '' OR cancel_reason <> '')",
            params![event_id, now_utc()],
        );
        match cleared
            .map_err(CoreError::from)
            .and_then(|_| shred_event(tx, event_id, LeftoverPersons::Loeschen))
        {
            Ok(_) => {
                tx.execute_batch("RELEASE shred_arrivals")?;
                shredded += 1;
            }
            Err(_) => tx.execute_batch("ROLLBACK TO shred_arrivals; RELEASE shred_arrivals")?,
        }
    }
    Ok(shredded)
}

/// Runs `action` inside a savepoint that is rolled back: the preview of a deletion is the
/// deletion itself, so preview and result cannot differ.
fn rolled_back<T>(
    tx: &Transaction<'_>,
    action: impl FnOnce(&Transaction<'_>) -> CoreResult<T>,
) -> CoreResult<T> {
    tx.execute_batch("SAVEPOINT privacy_preview")?;
    let result = action(tx);
    tx.execute_batch("ROLLBACK TO privacy_preview; RELEASE privacy_preview")?;
    result
}

/// What [`shred_event`] would do, writing nothing.
pub fn preview_shred(
    tx: &Transaction<'_>,
    event_id: i64,
    leftover: LeftoverPersons,
) -> CoreResult<DeletionReport> {
    rolled_back(tx, |tx| shred_event(tx, event_id, leftover))
}

/// Art. 17 erasure: every registration of the person becomes anonymous (as in the shredder) and
/// the person is deleted with consents, history, aliases and import traces. One transaction
/// (the caller's); logged without names.
pub fn erase_person(tx: &Transaction<'_>, person_id: i64) -> CoreResult<DeletionReport> {
    let person = people::get_person(tx, person_id)?;
    let (wishes_kept, attendance_kept) = kept_counts(tx, "person_id = ?1", person_id)?;
    let (registrations, comments, _) = anonymise_registrations(tx, "person_id = ?1", person_id)?;
    remove_person(tx, person_id)?;
    optimise_search_index(tx)?;
    let report = DeletionReport {
        registrations_anonymised: registrations,
        persons_removed: 1,
        persons_anonymised: 0,
        persons_kept_registered: 0,
        persons_kept_invitations: 0,
        comments_removed: comments,
        wishes_kept,
        attendance_kept,
        affected_names: vec![person.display_name()],
        statistics: None,
    };
    log_deletion(tx, "person", None, &report)?;
    Ok(report)
}

/// What [`erase_person`] would do, writing nothing.
pub fn preview_erase(tx: &Transaction<'_>, person_id: i64) -> CoreResult<DeletionReport> {
    rolled_back(tx, |tx| erase_person(tx, person_id))
}

/// Rewrites the database file after a deletion so nothing removed survives in it: the search
/// index is merged, `VACUUM` rebuilds the file without free pages and the WAL is checkpointed
/// and truncated. Runs outside a transaction (call it after the deletion's commit).
pub fn scrub_file(conn: &Connection) -> CoreResult<()> {
    conn.execute_batch("INSERT INTO persons_fts (persons_fts) VALUES ('optimize')")?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    conn.execute_batch("VACUUM")?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(())
}

text_enum! {
    /// What a deletion log entry was.
    pub enum DeletionKind {
        /// The shredder of one event.
        Veranstaltung = "veranstaltung" => "Personendaten einer Veranstaltung gelöscht",
        /// An Art. 17 erasure of one person.
        Person = "person" => "Person gelöscht (Art. 17)",
    }
}

/// One entry of the deletion log: when, what kind, how many — never who.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeletionLogEntry {
    /// When (UTC).
    pub at: String,
    /// What kind.
    pub kind: DeletionKind,
    /// The event (shredder), if it still exists.
    #[ts(type = "number | null")]
    pub event_id: Option<i64>,
    /// Registrations anonymised.
    #[ts(type = "number")]
    pub registrations_anonymised: i64,
    /// Contacts deleted.
    #[ts(type = "number")]
    pub persons_removed: i64,
    /// Contacts anonymised.
    #[ts(type = "number")]
    pub persons_anonymised: i64,
}

/// The deletion log, newest first.
pub fn deletion_log(conn: &Connection) -> CoreResult<Vec<DeletionLogEntry>> {
    let mut stmt = conn.prepare(
        "SELECT at, kind, event_id, registrations_anonymised, persons_removed, persons_anonymised
         FROM deletion_log ORDER BY at DESC, id DESC",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(DeletionLogEntry {
            at: r.get(0)?,
            kind: r.get(1)?,
            event_id: r.get(2)?,
            registrations_anonymised: r.get(3)?,
            persons_removed: r.get(4)?,
            persons_anonymised: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Registers someone (with wishes, through [`crate::wishes::register`]) and records the consents
/// given in the registration form, in one transaction.
pub fn register_with_consents(
    tx: &Transaction<'_>,
    input: &RegisterInput,
    given: &[ConsentInput],
) -> CoreResult<RegisterOutcome> {
    let outcome = crate::wishes::register(tx, input)?;
    let Some(person_id) = outcome.registration.person_id else {
        return Ok(outcome);
    };
    if given.is_empty() {
        return Ok(outcome);
    }
    consents::set_consents(tx, person_id, given)?;
    Ok(RegisterOutcome {
        registration: registrations::get_row(tx, outcome.registration.registration_id)?,
        warnings: outcome.warnings,
    })
}

#[cfg(test)]
mod tests;
