//! Registrations: a person ↔ event link with a status, the waiting list and the status log.
//!
//! Invariants, enforced here inside one transaction per action:
//! - only `angemeldet` and `nachgerueckt` count against the capacity — defined once in
//!   [`RegistrationStatus::COUNTED`]; SQL uses [`counted_sql`], the UI a generated constant;
//! - this module is the only writer of a registration's status, person and waiting-list
//!   position: walk-ins, admissions, merges and the demo data call it;
//! - registering for a full event puts the person on the waiting list (positions 1, 2, …
//!   without gaps); a freed place goes to position 1 at once (`nachgerueckt`);
//! - every status change writes a row to `registration_status_log`.
//!
//! Attendance (who was there) is kept apart from the status, see [`attendance`].

pub mod attendance;
pub mod merge;
pub mod merge_organisations;
pub mod sessions;

use std::collections::HashMap;
use std::sync::LazyLock;

use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, CoreResult};
use crate::events::{self, Event, EventStatus};
use crate::input::{self, MAX_TEXT_CHARS};
use crate::people::{self, PersonInput};
use crate::store::{new_uid, now_utc, text_enum};
use crate::time;

use attendance::{AttendanceMark, AttendanceState};

text_enum! {
    /// Status of a registration.
    pub enum RegistrationStatus {
        /// Registered, holds a place.
        Angemeldet = "angemeldet" => "Angemeldet",
        /// On the waiting list (see the position).
        Warteliste = "warteliste" => "Warteliste",
        /// Moved up from the waiting list, holds a place.
        Nachgerueckt = "nachgerueckt" => "Nachgerückt",
        /// Cancelled (with a reason).
        Storniert = "storniert" => "Storniert",
        /// Declined by the office.
        Abgelehnt = "abgelehnt" => "Abgelehnt",
    }
}

impl RegistrationStatus {
    /// The statuses that hold one of the event's places (count against the capacity). The only
    /// definition: SQL uses [`counted_sql`], the UI the generated `CountedStatuses.ts`.
    pub const COUNTED: &'static [Self] = &[Self::Angemeldet, Self::Nachgerueckt];

    /// Whether the registration holds one of the event's places.
    pub fn is_counted(self) -> bool {
        Self::COUNTED.contains(&self)
    }
}

/// [`RegistrationStatus::COUNTED`] as an SQL list, `('angemeldet', 'nachgerueckt')`, for
/// `status IN …`; generated, so SQL and Rust cannot disagree.
pub fn counted_sql() -> &'static str {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        let quoted: Vec<String> = RegistrationStatus::COUNTED
            .iter()
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        format!("({})", quoted.join(", "))
    });
    &SQL
}

text_enum! {
    /// Role of the person at the event.
    pub enum Role {
        /// Participant.
        Teilnehmer = "teilnehmer" => "Teilnehmer*in",
        /// Speaker.
        Referent = "referent" => "Referent*in",
        /// Organising team.
        Organisation = "organisation" => "Organisation",
        /// Press.
        Presse = "presse" => "Presse",
        /// Guest.
        Gast = "gast" => "Gast",
    }
}

text_enum! {
    /// How the registration reached the office.
    pub enum Source {
        /// Web form (or its export).
        Formular = "formular" => "Formular",
        /// By phone or e-mail.
        TelefonEmail = "telefon_email" => "Telefon/E-Mail",
        /// Imported from a file.
        Import = "import" => "Import",
        /// At the door.
        VorOrt = "vor_ort" => "vor Ort",
    }
}

/// Registration and attendance figures of one event.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RegistrationCounts {
    /// Status angemeldet.
    #[ts(type = "number")]
    pub angemeldet: i64,
    /// Status nachgerückt.
    #[ts(type = "number")]
    pub nachgerueckt: i64,
    /// On the waiting list.
    #[ts(type = "number")]
    pub warteliste: i64,
    /// Cancelled.
    #[ts(type = "number")]
    pub storniert: i64,
    /// Declined.
    #[ts(type = "number")]
    pub abgelehnt: i64,
    /// Places taken (angemeldet + nachgerückt).
    #[ts(type = "number")]
    pub active: i64,
    /// Counted registrations marked present on at least one day.
    #[ts(type = "number")]
    pub anwesend: i64,
    /// Free places; `None` when the capacity is unlimited.
    #[ts(type = "number | null")]
    pub free_places: Option<i64>,
}

/// One registration with the person's data, as the lists and exports show it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RegistrationRow {
    /// Registration key.
    #[ts(type = "number")]
    pub registration_id: i64,
    /// Registration UUID.
    pub uid: String,
    /// Event key.
    #[ts(type = "number")]
    pub event_id: i64,
    /// Person key; `None` for an anonymous registration (its person was removed by the
    /// shredder or an Art. 17 erasure — then the name, e-mail and phone fields are empty).
    #[ts(type = "number | null")]
    pub person_id: Option<i64>,
    /// Salutation.
    pub salutation: String,
    /// Academic title.
    pub title: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Function.
    pub function: String,
    /// E-mail.
    pub email: String,
    /// Phone.
    pub phone: String,
    /// Organisation name.
    pub organisation: Option<String>,
    /// Organisation kind.
    pub organisation_kind: Option<people::OrgKind>,
    /// Ort / Kommune of the person.
    pub ort: String,
    /// Kreis of the organisation.
    pub kreis: Option<String>,
    /// Status.
    pub status: RegistrationStatus,
    /// Place on the waiting list (only for `warteliste`).
    #[ts(type = "number | null")]
    pub waitlist_position: Option<i64>,
    /// Why cancelled or declined.
    pub cancel_reason: String,
    /// Role.
    pub role: Role,
    /// Source.
    pub source: Source,
    /// First time at one of the office's events.
    pub first_time: bool,
    /// Flagged for the team's attention.
    pub needs_attention: bool,
    /// Comment.
    pub comment: String,
    /// When registered (UTC, RFC 3339).
    pub registered_at: String,
    /// Chosen sessions (workshops).
    #[ts(type = "Array<number>")]
    pub session_ids: Vec<i64>,
    /// Attendance marks per day and session.
    pub attendance: Vec<AttendanceMark>,
    /// Minutes of online attendance over all days (from participant reports), `None` when no
    /// report was imported for this registration.
    #[ts(type = "number | null")]
    pub minutes: Option<i64>,
    /// Recorded consent to photos and film (`None`: nothing recorded).
    pub photo_consent: Option<people::consents::ConsentState>,
    /// Recorded consent to appear on the participant list for other participants.
    pub list_consent: Option<people::consents::ConsentState>,
    /// Recorded consent to invitations to future events.
    pub invitation_consent: Option<people::consents::ConsentState>,
}

impl RegistrationRow {
    /// The attendance state for a day (whole-day mark, not a session).
    pub fn day_state(&self, day: &str) -> Option<AttendanceState> {
        self.attendance
            .iter()
            .find(|m| m.day == day && m.session_id.is_none())
            .map(|m| m.state)
    }
}

/// Registering someone for an event: an existing person or a new one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RegisterInput {
    /// Event key.
    #[ts(type = "number")]
    pub event_id: i64,
    /// An existing person …
    #[ts(type = "number | null")]
    pub person_id: Option<i64>,
    /// … or a new one (exactly one of the two).
    pub new_person: Option<PersonInput>,
    /// Role.
    pub role: Role,
    /// Source.
    pub source: Source,
    /// First time at one of the office's events.
    pub first_time: bool,
    /// Flag for the team's attention.
    pub needs_attention: bool,
    /// Comment.
    pub comment: String,
    /// Chosen sessions (workshops).
    #[ts(type = "Array<number>")]
    pub session_ids: Vec<i64>,
    /// The person's wishes for the event ("Ihre Wünsche für den heutigen Austausch"), one
    /// per entry; blank entries are ignored. The board is above this module: they are added by
    /// `wishes::register`, which registers through [`register`] first.
    pub wishes: Vec<String>,
}

impl RegisterInput {
    /// A plain participant registration by form for an existing person.
    pub fn existing(event_id: i64, person_id: i64) -> Self {
        RegisterInput {
            event_id,
            person_id: Some(person_id),
            new_person: None,
            role: Role::Teilnehmer,
            source: Source::Formular,
            first_time: false,
            needs_attention: false,
            comment: String::new(),
            session_ids: Vec::new(),
            wishes: Vec::new(),
        }
    }
}

/// The result of registering: the registration and warnings that did not stop it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RegisterOutcome {
    /// The new (or re-activated) registration.
    pub registration: RegistrationRow,
    /// German warnings, e.g. the registration deadline has passed.
    pub warnings: Vec<String>,
}

/// The result of a cancellation.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CancelOutcome {
    /// The cancelled registration.
    pub cancelled: RegistrationRow,
    /// Who moved up from the waiting list, if anyone.
    pub promoted: Option<RegistrationRow>,
}

/// Registers a person for an event. A full event puts them on the waiting list; a registration
/// after the deadline is saved with a warning; a cancelled or declined registration of the same
/// person is re-activated.
///
/// The input's `wishes` belong to the wishes module, which sits above this one: a registration
/// with wishes goes through [`crate::wishes::register`] (which calls this function); here they
/// are refused, so they can never be dropped silently.
pub fn register(tx: &Transaction<'_>, input: &RegisterInput) -> CoreResult<RegisterOutcome> {
    if input.wishes.iter().any(|w| !w.trim().is_empty()) {
        return Err(CoreError::Conflict(
            "Interner Fehler: Anmeldungen mit Wünschen gehen über wishes::register.".into(),
        ));
    }
    let input = &RegisterInput {
        comment: input::text("comment", &input.comment, MAX_TEXT_CHARS)?,
        ..input.clone()
    };
    let event = events::get(tx, input.event_id)?;
    if event.status == EventStatus::Abgesagt {
        return Err(CoreError::Conflict(
            "Die Veranstaltung ist abgesagt; Anmeldungen sind nicht möglich.".into(),
        ));
    }
    let person_id = resolve_person(tx, input)?;
    let status = status_for_new_place(tx, &event)?;
    let registration_id = match find_registration(tx, event.id, person_id)? {
        Some((id, old)) if old.is_counted() || old == RegistrationStatus::Warteliste => {
            let name = people::get_person(tx, person_id)?.display_name();
            return Err(CoreError::Conflict(format!(
                "{name} ist für diese Veranstaltung bereits erfasst (Status: {}, Nr. {id}).",
                old.label()
            )));
        }
        Some((id, old)) => {
            reactivate(tx, id, input, status)?;
            log_change(tx, id, Some(old), status, "erneut angemeldet")?;
            id
        }
        None => insert_registration(tx, input, person_id, status)?,
    };
    sessions::set_registration_sessions(tx, registration_id, &input.session_ids)?;
    Ok(RegisterOutcome {
        registration: get_row(tx, registration_id)?,
        warnings: warnings_for(&event, status),
    })
}

fn resolve_person(tx: &Transaction<'_>, input: &RegisterInput) -> CoreResult<i64> {
    match (&input.person_id, &input.new_person) {
        (Some(id), None) => Ok(people::get_person(tx, *id)?.id),
        (None, Some(new)) => Ok(people::create_person(tx, new)?.id),
        _ => Err(CoreError::invalid(
            "person_id",
            "Bitte wählen Sie eine vorhandene Person oder legen Sie eine neue an.",
        )),
    }
}

/// `angemeldet` while places are free, else `warteliste`.
fn status_for_new_place(conn: &Connection, event: &Event) -> CoreResult<RegistrationStatus> {
    let full = match event.capacity {
        Some(capacity) => active_count(conn, event.id)? >= capacity,
        None => false,
    };
    Ok(if full {
        RegistrationStatus::Warteliste
    } else {
        RegistrationStatus::Angemeldet
    })
}

fn warnings_for(event: &Event, status: RegistrationStatus) -> Vec<String> {
    let mut warnings = Vec::new();
    if let Some(deadline) = event
        .registration_deadline
        .as_deref()
        .and_then(|d| time::parse_date(d, "registration_deadline").ok())
        && time::today_in_berlin() > deadline
    {
        warnings.push(format!(
            "Die Anmeldefrist ist am {} abgelaufen – die Anmeldung wurde trotzdem gespeichert.",
            deadline.format("%d.%m.%Y")
        ));
    }
    if status == RegistrationStatus::Warteliste {
        warnings.push("Die Veranstaltung ist ausgebucht: Eintrag auf der Warteliste.".into());
    }
    warnings
}

fn find_registration(
    conn: &Connection,
    event_id: i64,
    person_id: i64,
) -> CoreResult<Option<(i64, RegistrationStatus)>> {
    Ok(conn
        .query_row(
            "SELECT id, status FROM registrations WHERE event_id = ?1 AND person_id = ?2",
            [event_id, person_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

fn next_waitlist_position(conn: &Connection, event_id: i64) -> CoreResult<i64> {
    Ok(conn.query_row(
        "SELECT ifnull(max(waitlist_position), 0) + 1 FROM registrations
         WHERE event_id = ?1 AND status = 'warteliste'",
        [event_id],
        |r| r.get(0),
    )?)
}

fn insert_registration(
    tx: &Transaction<'_>,
    input: &RegisterInput,
    person_id: i64,
    status: RegistrationStatus,
) -> CoreResult<i64> {
    let position = match status {
        RegistrationStatus::Warteliste => Some(next_waitlist_position(tx, input.event_id)?),
        _ => None,
    };
    let now = now_utc();
    tx.execute(
        "INSERT INTO registrations (uid, event_id, person_id, status, waitlist_position, role,
             source, first_time, needs_attention, comment, registered_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?11)",
        params![
            new_uid(),
            input.event_id,
            person_id,
            status,
            position,
            input.role,
            input.source,
            input.first_time,
            input.needs_attention,
            input.comment.trim(),
            now,
        ],
    )?;
    let id = tx.last_insert_rowid();
    log_change(tx, id, None, status, "")?;
    Ok(id)
}

fn reactivate(
    tx: &Transaction<'_>,
    id: i64,
    input: &RegisterInput,
    status: RegistrationStatus,
) -> CoreResult<()> {
    let position = match status {
        RegistrationStatus::Warteliste => Some(next_waitlist_position(tx, input.event_id)?),
        _ => None,
    };
    let now = now_utc();
    tx.execute(
        "UPDATE registrations SET status = ?2, waitlist_position = ?3, cancel_reason = '',
             role = ?4, source = ?5, first_time = ?6, needs_attention = ?7, comment = ?8,
             registered_at = ?9, updated_at = ?9
         WHERE id = ?1",
        params![
            id,
            status,
            position,
            input.role,
            input.source,
            input.first_time,
            input.needs_attention,
            input.comment.trim(),
            now
        ],
    )?;
    Ok(())
}

/// Appends a status change to the log.
fn log_change(
    tx: &Transaction<'_>,
    registration_id: i64,
    from: Option<RegistrationStatus>,
    to: RegistrationStatus,
    reason: &str,
) -> CoreResult<()> {
    let now = now_utc();
    tx.execute(
        "INSERT INTO registration_status_log (uid, registration_id, changed_at, from_status,
             to_status, reason, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?3, ?3)",
        params![new_uid(), registration_id, now, from, to, reason],
    )?;
    Ok(())
}

/// Cancels a registration; a freed place goes to the first on the waiting list at once.
pub fn cancel(
    tx: &Transaction<'_>,
    registration_id: i64,
    reason: &str,
) -> CoreResult<CancelOutcome> {
    let old = get_row(tx, registration_id)?;
    if matches!(
        old.status,
        RegistrationStatus::Storniert | RegistrationStatus::Abgelehnt
    ) {
        return Err(CoreError::Conflict(format!(
            "Die Anmeldung von {} {} ist bereits {}.",
            old.first_name,
            old.last_name,
            old.status.label().to_lowercase()
        )));
    }
    leave(tx, &old, RegistrationStatus::Storniert, reason)?;
    let promoted = fill_from_waitlist(tx, old.event_id, "Platz frei geworden")?;
    Ok(CancelOutcome {
        cancelled: get_row(tx, registration_id)?,
        promoted: promoted.into_iter().next(),
    })
}

/// Moves a registration to `storniert` or `abgelehnt` and closes the gap on the waiting list.
fn leave(
    tx: &Transaction<'_>,
    row: &RegistrationRow,
    to: RegistrationStatus,
    reason: &str,
) -> CoreResult<()> {
    tx.execute(
        "UPDATE registrations SET status = ?2, waitlist_position = NULL, cancel_reason = ?3,
             updated_at = ?4 WHERE id = ?1",
        params![row.registration_id, to, reason.trim(), now_utc()],
    )?;
    log_change(tx, row.registration_id, Some(row.status), to, reason)?;
    renumber_waitlist(tx, row.event_id)
}

/// Gives free places to the waiting list in order; returns who moved up.
pub fn fill_from_waitlist(
    tx: &Transaction<'_>,
    event_id: i64,
    reason: &str,
) -> CoreResult<Vec<RegistrationRow>> {
    let capacity = events::get(tx, event_id)?.capacity;
    let mut promoted = Vec::new();
    loop {
        if let Some(c) = capacity
            && active_count(tx, event_id)? >= c
        {
            break;
        }
        let Some(first) = first_on_waitlist(tx, event_id)? else {
            break;
        };
        tx.execute(
            "UPDATE registrations SET status = 'nachgerueckt', waitlist_position = NULL,
                 updated_at = ?2 WHERE id = ?1",
            params![first, now_utc()],
        )?;
        log_change(
            tx,
            first,
            Some(RegistrationStatus::Warteliste),
            RegistrationStatus::Nachgerueckt,
            reason,
        )?;
        promoted.push(get_row(tx, first)?);
    }
    renumber_waitlist(tx, event_id)?;
    Ok(promoted)
}

fn first_on_waitlist(conn: &Connection, event_id: i64) -> CoreResult<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM registrations WHERE event_id = ?1 AND status = 'warteliste'
             ORDER BY waitlist_position, registered_at, id LIMIT 1",
            [event_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// Moves a counted registration to the top of the waiting list, logged with `reason`. Used by
/// the laptop sync when merging other laptops' registrations put an event over its capacity
/// (`sync::capacity`); does nothing for a registration that holds no place.
pub fn return_to_waitlist(
    tx: &Transaction<'_>,
    registration_id: i64,
    reason: &str,
) -> CoreResult<()> {
    let row = get_row(tx, registration_id)?;
    if !row.status.is_counted() {
        return Ok(());
    }
    tx.execute(
        "UPDATE registrations SET status = 'warteliste', waitlist_position = 0, updated_at = ?2
         WHERE id = ?1",
        params![registration_id, now_utc()],
    )?;
    log_change(
        tx,
        registration_id,
        Some(row.status),
        RegistrationStatus::Warteliste,
        reason,
    )?;
    renumber_waitlist(tx, row.event_id)
}

/// Renumbers the waiting list of an event to 1, 2, 3 … in its current order.
pub fn renumber_waitlist(tx: &Transaction<'_>, event_id: i64) -> CoreResult<()> {
    tx.execute(
        "UPDATE registrations SET waitlist_position = (
             SELECT count(*) FROM registrations w
             WHERE w.event_id = registrations.event_id AND w.status = 'warteliste'
               AND (w.waitlist_position, w.id) <= (registrations.waitlist_position, registrations.id))
         WHERE event_id = ?1 AND status = 'warteliste'",
        [event_id],
    )?;
    Ok(())
}

/// Changes the status of several registrations at once (the table's bulk action).
///
/// Allowed: any active or waiting registration → `storniert` / `abgelehnt`; `warteliste` →
/// `nachgerueckt` (needs a free place); `storniert` / `abgelehnt` → `angemeldet` (or the waiting
/// list when full). Places freed by the change go to the waiting list.
pub fn set_status(
    tx: &Transaction<'_>,
    registration_ids: &[i64],
    to: RegistrationStatus,
    reason: &str,
) -> CoreResult<Vec<RegistrationRow>> {
    let mut events_touched = Vec::new();
    for &id in registration_ids {
        let row = get_row(tx, id)?;
        if row.status == to {
            continue;
        }
        apply_status(tx, &row, to, reason)?;
        if !events_touched.contains(&row.event_id) {
            events_touched.push(row.event_id);
        }
    }
    for event_id in events_touched {
        fill_from_waitlist(tx, event_id, "Platz frei geworden")?;
    }
    registration_ids.iter().map(|&id| get_row(tx, id)).collect()
}

fn apply_status(
    tx: &Transaction<'_>,
    row: &RegistrationRow,
    to: RegistrationStatus,
    reason: &str,
) -> CoreResult<()> {
    use RegistrationStatus as S;
    let name = format!("{} {}", row.first_name, row.last_name);
    match (row.status, to) {
        (_, S::Storniert | S::Abgelehnt) => leave(tx, row, to, reason),
        (S::Warteliste, S::Nachgerueckt | S::Angemeldet) => {
            let event = events::get(tx, row.event_id)?;
            if status_for_new_place(tx, &event)? == S::Warteliste {
                return Err(CoreError::Conflict(format!(
                    "{name} kann nicht nachrücken: Die Veranstaltung ist ausgebucht."
                )));
            }
            move_to(tx, row, S::Nachgerueckt, None, reason)
        }
        (S::Storniert | S::Abgelehnt, S::Angemeldet | S::Warteliste) => {
            let event = events::get(tx, row.event_id)?;
            let status = status_for_new_place(tx, &event)?;
            let position = match status {
                S::Warteliste => Some(next_waitlist_position(tx, row.event_id)?),
                _ => None,
            };
            move_to(tx, row, status, position, reason)
        }
        (from, to) => Err(CoreError::Conflict(format!(
            "Der Status von {name} kann nicht von „{}“ auf „{}“ geändert werden.",
            from.label(),
            to.label()
        ))),
    }
}

fn move_to(
    tx: &Transaction<'_>,
    row: &RegistrationRow,
    to: RegistrationStatus,
    position: Option<i64>,
    reason: &str,
) -> CoreResult<()> {
    tx.execute(
        "UPDATE registrations SET status = ?2, waitlist_position = ?3, cancel_reason = '',
             updated_at = ?4 WHERE id = ?1",
        params![row.registration_id, to, position, now_utc()],
    )?;
    log_change(tx, row.registration_id, Some(row.status), to, reason)?;
    renumber_waitlist(tx, row.event_id)
}

/// How a walk-in or an admission changed a registration, so its undo restores it exactly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum RegistrationChange {
    /// The action created the registration — and the person, when `person_created`.
    Created {
        /// Whether the person was created by the same action.
        person_created: bool,
    },
    /// The action changed the status; this was the state before.
    StatusChanged {
        /// Status before.
        from: RegistrationStatus,
        /// Place on the waiting list before.
        #[ts(type = "number | null")]
        waitlist_position: Option<i64>,
        /// Reason of a cancellation before.
        cancel_reason: String,
    },
}

/// Registers a person who turned up at the door (source "vor Ort"): counted even when the event
/// is full, because the person is in the room. Returns the registration and what changed; `None`
/// when the person already held a place (nothing to register, only the check-in).
///
/// Someone on the waiting list is refused here: admitting them over the capacity is the
/// organiser's decision ([`admit_over_capacity`]).
pub fn admit_walk_in(
    tx: &Transaction<'_>,
    event_id: i64,
    person_id: Option<i64>,
    new_person: Option<PersonInput>,
) -> CoreResult<(i64, Option<RegistrationChange>)> {
    let existing = match person_id {
        Some(pid) => find_registration(tx, event_id, pid)?,
        None => None,
    };
    let change = match existing {
        Some((id, status)) if status.is_counted() => return Ok((id, None)),
        Some((id, RegistrationStatus::Warteliste)) => {
            let row = get_row(tx, id)?;
            return Err(CoreError::Conflict(format!(
                "{} {} steht auf der Warteliste (Platz {}). Die Veranstaltung ist voll – \
                 „Trotzdem einlassen“ überschreitet die Kapazität.",
                row.first_name,
                row.last_name,
                row.waitlist_position.unwrap_or(0)
            )));
        }
        Some((id, from)) => {
            let row = get_row(tx, id)?;
            RegistrationChange::StatusChanged {
                from,
                waitlist_position: None,
                cancel_reason: row.cancel_reason,
            }
        }
        None => RegistrationChange::Created {
            person_created: person_id.is_none(),
        },
    };
    let input = RegisterInput {
        event_id,
        person_id,
        new_person,
        role: Role::Teilnehmer,
        source: Source::VorOrt,
        first_time: false,
        needs_attention: false,
        comment: String::new(),
        session_ids: Vec::new(),
        wishes: Vec::new(),
    };
    let row = register(tx, &input)?.registration;
    if row.status == RegistrationStatus::Warteliste {
        move_to(
            tx,
            &row,
            RegistrationStatus::Angemeldet,
            None,
            "vor Ort erschienen",
        )?;
    }
    Ok((row.registration_id, Some(change)))
}

/// Admits someone from the waiting list although the event is full (the organiser's decision
/// at the door): the registration moves up (`nachgerueckt`) over the capacity, logged as such.
pub fn admit_over_capacity(
    tx: &Transaction<'_>,
    registration_id: i64,
) -> CoreResult<RegistrationChange> {
    let row = get_row(tx, registration_id)?;
    if row.status != RegistrationStatus::Warteliste {
        return Err(CoreError::Conflict(format!(
            "{} {} steht nicht auf der Warteliste (Status: {}).",
            row.first_name,
            row.last_name,
            row.status.label()
        )));
    }
    let event = events::get(tx, row.event_id)?;
    let reason = if status_for_new_place(tx, &event)? == RegistrationStatus::Warteliste {
        "trotzdem eingelassen – Entscheidung der Veranstalter, Kapazität überschritten"
    } else {
        "vor Ort eingelassen"
    };
    move_to(tx, &row, RegistrationStatus::Nachgerueckt, None, reason)?;
    Ok(RegistrationChange::StatusChanged {
        from: row.status,
        waitlist_position: row.waitlist_position,
        cancel_reason: row.cancel_reason,
    })
}

/// Undoes what [`admit_walk_in`] or [`admit_over_capacity`] did to a registration: a created
/// registration is removed (with the person, if the walk-in created them and they have no other
/// registration); a changed status is restored, back to the same place on the waiting list.
/// Returns the registration when it still exists.
pub fn undo_change(
    tx: &Transaction<'_>,
    registration_id: i64,
    change: &RegistrationChange,
) -> CoreResult<Option<RegistrationRow>> {
    let row = get_row(tx, registration_id)?;
    if !row.status.is_counted() {
        return Err(CoreError::Conflict(format!(
            "Der Einlass von {} {} kann nicht mehr rückgängig gemacht werden: Der Status ist \
             inzwischen „{}“.",
            row.first_name,
            row.last_name,
            row.status.label()
        )));
    }
    match change {
        RegistrationChange::Created { person_created } => {
            tx.execute("DELETE FROM registrations WHERE id = ?1", [registration_id])?;
            let others: i64 = tx.query_row(
                "SELECT count(*) FROM registrations WHERE person_id = ?1",
                [row.person_id],
                |r| r.get(0),
            )?;
            if *person_created
                && others == 0
                && let Some(person_id) = row.person_id
            {
                people::delete_person(tx, person_id)?;
            }
            fill_from_waitlist(tx, row.event_id, "Platz frei geworden")?;
            Ok(None)
        }
        RegistrationChange::StatusChanged {
            from,
            waitlist_position,
            cancel_reason,
        } => {
            let position = match (from, waitlist_position) {
                (RegistrationStatus::Warteliste, Some(p)) => {
                    // Back to the old place: everyone from there on moves down one.
                    tx.execute(
                        "UPDATE registrations SET waitlist_position = waitlist_position + 1,
                             updated_at = ?3
                         WHERE event_id = ?1 AND status = 'warteliste' AND waitlist_position >= ?2",
                        params![row.event_id, p, now_utc()],
                    )?;
                    Some(*p)
                }
                (RegistrationStatus::Warteliste, None) => {
                    Some(next_waitlist_position(tx, row.event_id)?)
                }
                _ => None,
            };
            tx.execute(
                "UPDATE registrations SET status = ?2, waitlist_position = ?3, cancel_reason = ?4,
                     updated_at = ?5 WHERE id = ?1",
                params![registration_id, from, position, cancel_reason, now_utc()],
            )?;
            log_change(
                tx,
                registration_id,
                Some(row.status),
                *from,
                "Einlass rückgängig gemacht",
            )?;
            renumber_waitlist(tx, row.event_id)?;
            fill_from_waitlist(tx, row.event_id, "Platz frei geworden")?;
            Ok(Some(get_row(tx, registration_id)?))
        }
    }
}

/// Moves a registration to another person (merging two contacts) and logs it; the status
/// stays. Refused when that person is already registered for the event.
pub fn reassign_person(
    tx: &Transaction<'_>,
    registration_id: i64,
    person_id: i64,
    reason: &str,
) -> CoreResult<()> {
    let row = get_row(tx, registration_id)?;
    if let Some((other, _)) = find_registration(tx, row.event_id, person_id)? {
        return Err(CoreError::Conflict(format!(
            "Die Person ist für diese Veranstaltung bereits erfasst (Anmeldung Nr. {other})."
        )));
    }
    tx.execute(
        "UPDATE registrations SET person_id = ?2, updated_at = ?3 WHERE id = ?1",
        params![registration_id, person_id, now_utc()],
    )?;
    log_change(tx, registration_id, Some(row.status), row.status, reason)
}

/// A registration as the demo data (and later imports) bring it: with its status and time.
#[derive(Debug, Clone)]
pub struct ImportedRegistration<'a> {
    /// Stable UUID (seeds derive it from their keys).
    pub uid: &'a str,
    /// Event key.
    pub event_id: i64,
    /// Person key.
    pub person_id: i64,
    /// Status as recorded elsewhere.
    pub status: RegistrationStatus,
    /// Why cancelled or declined.
    pub cancel_reason: &'a str,
    /// Role.
    pub role: Role,
    /// Source.
    pub source: Source,
    /// First time at one of the office's events.
    pub first_time: bool,
    /// Flagged for the team's attention.
    pub needs_attention: bool,
    /// Comment.
    pub comment: &'a str,
    /// When registered (UTC, RFC 3339).
    pub registered_at: &'a str,
    /// Why the log entry is written, e.g. "Demodaten".
    pub log_reason: &'a str,
}

/// Stores a registration with a status decided elsewhere (demo data, imports); a waiting-list
/// entry goes to the end of the list. Logged with `log_reason`. Returns the new key.
pub fn insert_imported(tx: &Transaction<'_>, r: &ImportedRegistration<'_>) -> CoreResult<i64> {
    let position = match r.status {
        RegistrationStatus::Warteliste => Some(next_waitlist_position(tx, r.event_id)?),
        _ => None,
    };
    tx.execute(
        "INSERT INTO registrations (uid, event_id, person_id, status, waitlist_position,
             cancel_reason, role, source, first_time, needs_attention, comment, registered_at,
             created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
        params![
            r.uid,
            r.event_id,
            r.person_id,
            r.status,
            position,
            r.cancel_reason,
            r.role,
            r.source,
            r.first_time,
            r.needs_attention,
            r.comment,
            r.registered_at,
            // The row is new to this database now, whenever the person registered: the sync
            // compares `updated_at`, not the historical registration time.
            now_utc()
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.execute(
        "INSERT INTO registration_status_log (uid, registration_id, changed_at, from_status,
             to_status, reason, created_at, updated_at)
         VALUES (?1, ?2, ?3, NULL, ?4, ?5, ?6, ?6)",
        params![
            new_uid(),
            id,
            r.registered_at,
            r.status,
            r.log_reason,
            now_utc()
        ],
    )?;
    Ok(id)
}

/// One entry of a registration's status history.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct StatusChange {
    /// When (UTC).
    pub changed_at: String,
    /// Previous status (`None` for the first registration).
    pub from_status: Option<RegistrationStatus>,
    /// New status.
    pub to_status: RegistrationStatus,
    /// Why.
    pub reason: String,
}

/// The status history of a registration, oldest first.
pub fn status_history(conn: &Connection, registration_id: i64) -> CoreResult<Vec<StatusChange>> {
    let mut stmt = conn.prepare(
        "SELECT changed_at, from_status, to_status, reason FROM registration_status_log
         WHERE registration_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([registration_id], |r| {
        Ok(StatusChange {
            changed_at: r.get(0)?,
            from_status: r.get(1)?,
            to_status: r.get(2)?,
            reason: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Changes the details of a registration that are not its status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RegistrationDetails {
    /// Role.
    pub role: Role,
    /// Source.
    pub source: Source,
    /// First time at one of the office's events.
    pub first_time: bool,
    /// Flag for the team's attention.
    pub needs_attention: bool,
    /// Comment.
    pub comment: String,
    /// Chosen sessions.
    #[ts(type = "Array<number>")]
    pub session_ids: Vec<i64>,
}

/// Updates role, source, flags, comment and sessions of a registration.
pub fn update_details(
    tx: &Transaction<'_>,
    registration_id: i64,
    details: &RegistrationDetails,
) -> CoreResult<RegistrationRow> {
    get_row(tx, registration_id)?;
    let comment = input::text("comment", &details.comment, MAX_TEXT_CHARS)?;
    tx.execute(
        "UPDATE registrations SET role = ?2, source = ?3, first_time = ?4, needs_attention = ?5,
             comment = ?6, updated_at = ?7 WHERE id = ?1",
        params![
            registration_id,
            details.role,
            details.source,
            details.first_time,
            details.needs_attention,
            comment,
            now_utc()
        ],
    )?;
    sessions::set_registration_sessions(tx, registration_id, &details.session_ids)?;
    get_row(tx, registration_id)
}

/// Anonymous registrations (no person) keep their organisation in `r.organisation_id`, so the
/// organisation is `COALESCE(p.organisation_id, r.organisation_id)` everywhere.
const ROW_SELECT: &str = "SELECT r.id, r.uid, r.event_id, r.person_id, ifnull(p.salutation, ''),
        ifnull(p.title, ''), ifnull(p.first_name, ''), ifnull(p.last_name, ''),
        ifnull(p.function, ''), ifnull(p.email, ''), ifnull(p.phone, ''), o.name, o.kind,
        ifnull(p.ort, ''), o.kreis,
        r.status, r.waitlist_position, r.cancel_reason, r.role, r.source, r.first_time,
        r.needs_attention, r.comment, r.registered_at,
        (SELECT c.state FROM consents c WHERE c.person_id = r.person_id AND c.purpose = 'fotos'),
        (SELECT c.state FROM consents c
          WHERE c.person_id = r.person_id AND c.purpose = 'teilnehmendenliste'),
        (SELECT c.state FROM consents c WHERE c.person_id = r.person_id AND c.purpose = 'einladungen')
    FROM registrations r
    LEFT JOIN persons p ON p.id = r.person_id
    LEFT JOIN organisations o ON o.id = COALESCE(p.organisation_id, r.organisation_id)";

fn row_from(r: &Row<'_>) -> rusqlite::Result<RegistrationRow> {
    Ok(RegistrationRow {
        registration_id: r.get(0)?,
        uid: r.get(1)?,
        event_id: r.get(2)?,
        person_id: r.get(3)?,
        salutation: r.get(4)?,
        title: r.get(5)?,
        first_name: r.get(6)?,
        last_name: r.get(7)?,
        function: r.get(8)?,
        email: r.get(9)?,
        phone: r.get(10)?,
        organisation: r.get(11)?,
        organisation_kind: r.get(12)?,
        ort: r.get(13)?,
        kreis: r.get(14)?,
        status: r.get(15)?,
        waitlist_position: r.get(16)?,
        cancel_reason: r.get(17)?,
        role: r.get(18)?,
        source: r.get(19)?,
        first_time: r.get(20)?,
        needs_attention: r.get(21)?,
        comment: r.get(22)?,
        registered_at: r.get(23)?,
        session_ids: Vec::new(),
        attendance: Vec::new(),
        minutes: None,
        photo_consent: r.get(24)?,
        list_consent: r.get(25)?,
        invitation_consent: r.get(26)?,
    })
}

/// Loads one registration with sessions and attendance.
pub fn get_row(conn: &Connection, registration_id: i64) -> CoreResult<RegistrationRow> {
    let mut row = conn
        .query_row(
            &format!("{ROW_SELECT} WHERE r.id = ?1"),
            [registration_id],
            row_from,
        )
        .optional()?
        .ok_or(CoreError::NotFound {
            what: "Die Anmeldung",
        })?;
    row.session_ids = sessions::session_ids_of(conn, registration_id)?;
    row.attendance = attendance::marks_of(conn, registration_id)?;
    row.minutes = online_minutes(&row.attendance);
    Ok(row)
}

/// All registrations of an event, sorted by last and first name, with sessions and attendance.
pub fn list(conn: &Connection, event_id: i64) -> CoreResult<Vec<RegistrationRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{ROW_SELECT} WHERE r.event_id = ?1
         ORDER BY r.person_id IS NULL, fold(ifnull(p.last_name, '')), fold(ifnull(p.first_name, '')), r.id"
    ))?;
    let mut rows: Vec<RegistrationRow> = stmt
        .query_map([event_id], row_from)?
        .collect::<Result<_, _>>()?;
    let mut session_map = sessions::session_ids_for_event(conn, event_id)?;
    let mut marks = attendance::marks_for_event(conn, event_id)?;
    for row in &mut rows {
        row.session_ids = session_map.remove(&row.registration_id).unwrap_or_default();
        row.attendance = marks.remove(&row.registration_id).unwrap_or_default();
        row.minutes = online_minutes(&row.attendance);
    }
    Ok(rows)
}

/// The sum of the online minutes of the whole-day marks, `None` when no mark has minutes.
fn online_minutes(marks: &[AttendanceMark]) -> Option<i64> {
    marks
        .iter()
        .filter(|m| m.session_id.is_none())
        .filter_map(|m| m.minutes)
        .reduce(|a, b| a + b)
}

/// The registration of the person with this e-mail for an event (CLI look-ups).
pub fn find_by_email(conn: &Connection, event_id: i64, email: &str) -> CoreResult<RegistrationRow> {
    let id: Option<i64> = conn
        .query_row(
            &format!(
                "SELECT r.id FROM registrations r JOIN persons p ON p.id = r.person_id
             WHERE r.event_id = ?1 AND p.email_key = lower(trim(?2))
             ORDER BY (r.status IN {} OR r.status = 'warteliste') DESC, r.id DESC
             LIMIT 1",
                counted_sql()
            ),
            params![event_id, email],
            |r| r.get(0),
        )
        .optional()?;
    match id {
        Some(id) => get_row(conn, id),
        None => Err(CoreError::NotFound {
            what: "Eine Anmeldung mit dieser E-Mail-Adresse",
        }),
    }
}

static COUNTS_SELECT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT r.event_id,
            sum(r.status = 'angemeldet'), sum(r.status = 'nachgerueckt'),
            sum(r.status = 'warteliste'), sum(r.status = 'storniert'), sum(r.status = 'abgelehnt'),
            sum(r.status IN {counted} AND EXISTS (
                SELECT 1 FROM attendance a WHERE a.registration_id = r.id AND a.state = 'anwesend')),
            e.capacity, sum(r.status IN {counted})
        FROM registrations r JOIN events e ON e.id = r.event_id",
        counted = counted_sql()
    )
});

fn counts_from(r: &Row<'_>) -> rusqlite::Result<(i64, RegistrationCounts)> {
    let angemeldet: i64 = r.get(1)?;
    let nachgerueckt: i64 = r.get(2)?;
    let active: i64 = r.get(8)?;
    let capacity: Option<i64> = r.get(7)?;
    Ok((
        r.get(0)?,
        RegistrationCounts {
            angemeldet,
            nachgerueckt,
            warteliste: r.get(3)?,
            storniert: r.get(4)?,
            abgelehnt: r.get(5)?,
            active,
            anwesend: r.get(6)?,
            free_places: capacity.map(|c| (c - active).max(0)),
        },
    ))
}

/// Changes an event. The capacity may not drop below the places taken, and places freed by a
/// larger capacity go to the waiting list at once (logged as "Kapazität erhöht").
pub fn update_event(tx: &Transaction<'_>, id: i64, input: events::EventInput) -> CoreResult<Event> {
    if let Some(capacity) = input.capacity {
        let taken = active_count(tx, id)?;
        if capacity < taken {
            return Err(CoreError::invalid(
                "capacity",
                format!(
                    "Die Kapazität ({capacity}) ist kleiner als die Zahl der Angemeldeten ({taken})."
                ),
            ));
        }
    }
    let event = events::update(tx, id, input)?;
    fill_from_waitlist(tx, id, "Kapazität erhöht")?;
    Ok(event)
}

/// Deletes an event with its sessions, registrations, attendance and wishes (one transaction;
/// the store's triggers leave a tombstone for every deleted row). An event with registrations
/// (of any status) is only deleted when `confirm_title` is its exact title — otherwise a field
/// error on `confirm_title` says so; such an event is usually cancelled ("abgesagt") instead.
pub fn delete_event(tx: &Transaction<'_>, id: i64, confirm_title: Option<&str>) -> CoreResult<()> {
    let event = events::get(tx, id)?;
    let registrations: i64 = tx.query_row(
        "SELECT count(*) FROM registrations WHERE event_id = ?1",
        [id],
        |r| r.get(0),
    )?;
    if registrations > 0 && confirm_title.map(str::trim) != Some(event.title.as_str()) {
        let what = if registrations == 1 {
            "eine Anmeldung".to_owned()
        } else {
            format!("{registrations} Anmeldungen")
        };
        return Err(CoreError::invalid(
            "confirm_title",
            format!(
                "Die Veranstaltung hat {what}. Zum Löschen bitte den Titel genau so eintippen, wie er oben steht."
            ),
        ));
    }
    tx.execute("DELETE FROM events WHERE id = ?1", [id])?;
    Ok(())
}

/// Places taken (angemeldet + nachgerückt) of an event; the cheap check behind every
/// registration.
pub fn active_count(conn: &Connection, event_id: i64) -> CoreResult<i64> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM registrations WHERE event_id = ?1 AND status IN {}",
            counted_sql()
        ))?
        .query_row([event_id], |r| r.get(0))?)
}

/// Counts of one event.
pub fn counts(conn: &Connection, event_id: i64) -> CoreResult<RegistrationCounts> {
    let found = conn
        .query_row(
            &format!(
                "{} WHERE r.event_id = ?1 GROUP BY r.event_id",
                *COUNTS_SELECT
            ),
            [event_id],
            counts_from,
        )
        .optional()?;
    match found {
        Some((_, counts)) => Ok(counts),
        None => {
            let capacity: Option<i64> = conn
                .query_row(
                    "SELECT capacity FROM events WHERE id = ?1",
                    [event_id],
                    |r| r.get(0),
                )
                .optional()?
                .flatten();
            Ok(RegistrationCounts {
                free_places: capacity,
                ..RegistrationCounts::default()
            })
        }
    }
}

/// Counts of every event that has registrations, by event key.
pub fn counts_for_all_events(conn: &Connection) -> CoreResult<HashMap<i64, RegistrationCounts>> {
    let mut stmt = conn.prepare(&format!("{} GROUP BY r.event_id", *COUNTS_SELECT))?;
    let rows = stmt.query_map([], counts_from)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod desk_tests;
#[cfg(test)]
mod merge_tests;
#[cfg(test)]
mod tests;
