//! Loads the demo data in `seeds/*.toml` into a store, idempotently.
//!
//! Every seeded row gets a UUID v5 derived from its seed key, so loading twice finds the rows
//! of the first run and adds nothing. The files are embedded in the binary, so `seed-demo`
//! works from any directory.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, Transaction, params};
use serde::Deserialize;

use crate::error::{CoreError, CoreResult};
use crate::events::{EventFormat, EventInput, EventStatus, Series};
use crate::people::{OrgKind, PartnerTown};
use crate::registrations::attendance::AttendanceState;
use crate::registrations::{ImportedRegistration, RegistrationStatus, Role, Source};
use crate::store::{Store, now_utc};
use crate::time;

/// The embedded seed files.
const ORGANISATIONS: &str = include_str!("../../../../seeds/organisations.toml");
const PERSONS: &str = include_str!("../../../../seeds/persons.toml");
const EVENTS: &str = include_str!("../../../../seeds/events.toml");
const REGISTRATIONS: &str = include_str!("../../../../seeds/registrations.toml");

/// Namespace of the seed UUIDs (a fixed random UUID).
const SEED_NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x6f1c_2b7e_9d4a_4c1b_8a35_0e7d_2f9b_51c3);

#[derive(Deserialize)]
struct OrganisationsFile {
    organisation: Vec<SeedOrganisation>,
}

#[derive(Deserialize)]
struct SeedOrganisation {
    key: String,
    name: String,
    kind: OrgKind,
    #[serde(default)]
    ort: String,
    #[serde(default)]
    kreis: String,
    #[serde(default)]
    partner_towns: Vec<PartnerTown>,
}

#[derive(Deserialize)]
struct PersonsFile {
    person: Vec<SeedPerson>,
}

#[derive(Deserialize)]
struct SeedPerson {
    key: String,
    #[serde(default)]
    salutation: String,
    #[serde(default)]
    title: String,
    first_name: String,
    last_name: String,
    #[serde(default)]
    function: String,
    organisation: Option<String>,
    #[serde(default)]
    ort: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    notes: String,
}

#[derive(Deserialize)]
struct EventsFile {
    event: Vec<SeedEvent>,
}

#[derive(Deserialize)]
struct SeedEvent {
    key: String,
    title: String,
    series: Series,
    number: Option<i64>,
    starts_at: String,
    ends_at: String,
    format: EventFormat,
    #[serde(default)]
    venue: String,
    #[serde(default)]
    online_link: String,
    capacity: Option<i64>,
    registration_deadline: Option<String>,
    #[serde(default)]
    description: String,
    status: EventStatus,
    #[serde(default)]
    organiser: String,
    #[serde(default)]
    funding_note: String,
    #[serde(default)]
    session: Vec<SeedSession>,
}

#[derive(Deserialize)]
struct SeedSession {
    key: String,
    name: String,
    starts_at: String,
    ends_at: String,
    #[serde(default)]
    room: String,
    capacity: Option<i64>,
}

#[derive(Deserialize)]
struct RegistrationsFile {
    registration: Vec<SeedRegistration>,
}

#[derive(Deserialize)]
struct SeedRegistration {
    event: String,
    person: String,
    status: RegistrationStatus,
    #[serde(default)]
    cancel_reason: String,
    role: Role,
    source: Source,
    #[serde(default)]
    first_time: bool,
    #[serde(default)]
    needs_attention: bool,
    #[serde(default)]
    comment: String,
    registered_at: String,
    #[serde(default)]
    sessions: Vec<String>,
    #[serde(default)]
    attendance: Vec<SeedAttendance>,
    #[serde(default)]
    wishes: Vec<String>,
}

#[derive(Deserialize)]
struct SeedAttendance {
    day: String,
    state: AttendanceState,
}

/// What one `seed-demo` run added.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SeedReport {
    /// Organisations added.
    pub organisations: usize,
    /// Persons added.
    pub persons: usize,
    /// Events added.
    pub events: usize,
    /// Registrations added.
    pub registrations: usize,
}

fn parse<T: for<'de> Deserialize<'de>>(file: &str, text: &str) -> CoreResult<T> {
    toml::from_str(text).map_err(|e| CoreError::InvalidFile {
        file: format!("seeds/{file}"),
        message: e.to_string(),
    })
}

fn seed_uid(kind: &str, key: &str) -> String {
    uuid::Uuid::new_v5(&SEED_NAMESPACE, format!("{kind}:{key}").as_bytes()).to_string()
}

/// Looks up the row with a seed UID in `table`; `None` when not seeded yet.
fn seeded_id(tx: &Transaction<'_>, table: &str, uid: &str) -> CoreResult<Option<i64>> {
    Ok(tx
        .query_row(
            &format!("SELECT id FROM {table} WHERE uid = ?1"),
            [uid],
            |r| r.get(0),
        )
        .optional()?)
}

/// Loads the embedded demo data; running it again adds nothing. One transaction.
pub fn seed_demo(store: &mut Store) -> CoreResult<SeedReport> {
    let organisations: OrganisationsFile = parse("organisations.toml", ORGANISATIONS)?;
    let persons: PersonsFile = parse("persons.toml", PERSONS)?;
    let events: EventsFile = parse("events.toml", EVENTS)?;
    let registrations: RegistrationsFile = parse("registrations.toml", REGISTRATIONS)?;
    store.write(|tx| {
        let mut report = SeedReport::default();
        let orgs = seed_organisations(tx, &organisations.organisation, &mut report)?;
        let people = seed_persons(tx, &persons.person, &orgs, &mut report)?;
        let (event_ids, session_ids) = seed_events(tx, &events.event, &mut report)?;
        let refs = Refs {
            persons: &people,
            events: &event_ids,
            sessions: &session_ids,
        };
        seed_registrations(tx, &registrations.registration, &refs, &mut report)?;
        Ok(report)
    })
}

fn seed_organisations(
    tx: &Transaction<'_>,
    list: &[SeedOrganisation],
    report: &mut SeedReport,
) -> CoreResult<HashMap<String, i64>> {
    let mut ids = HashMap::new();
    for o in list {
        let uid = seed_uid("organisation", &o.key);
        let id = match seeded_id(tx, "organisations", &uid)? {
            Some(id) => id,
            None => {
                let now = now_utc();
                // Kommunen and Kreise linked to their official entry, as the form would.
                let ags = crate::people::area_kind(o.kind).and_then(|kind| {
                    match crate::municipalities::candidates(kind, &o.name, &o.ort, &o.kreis)
                        .as_slice()
                    {
                        [only] => Some(only.ags.clone()),
                        _ => None,
                    }
                });
                tx.execute(
                    "INSERT INTO organisations (uid, name, kind, ort, kreis, ags, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                    params![uid, o.name, o.kind, o.ort, o.kreis, ags, now],
                )?;
                let id = tx.last_insert_rowid();
                for (i, t) in o.partner_towns.iter().enumerate() {
                    tx.execute(
                        "INSERT INTO partner_towns (uid, organisation_id, town, country, position, created_at, updated_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                        params![seed_uid("partner_town", &format!("{}:{i}", o.key)), id, t.town, t.country, i as i64, now],
                    )?;
                }
                report.organisations += 1;
                id
            }
        };
        ids.insert(o.key.clone(), id);
    }
    Ok(ids)
}

fn seed_persons(
    tx: &Transaction<'_>,
    list: &[SeedPerson],
    orgs: &HashMap<String, i64>,
    report: &mut SeedReport,
) -> CoreResult<HashMap<String, i64>> {
    let mut ids = HashMap::new();
    for p in list {
        let uid = seed_uid("person", &p.key);
        let id =
            match seeded_id(tx, "persons", &uid)? {
                Some(id) => id,
                None => {
                    let organisation_id = p
                        .organisation
                        .as_ref()
                        .map(|k| lookup(orgs, k, "Organisation"))
                        .transpose()?;
                    let now = now_utc();
                    tx.execute(
                    "INSERT INTO persons (uid, salutation, title, first_name, last_name, function,
                         organisation_id, ort, email, phone, notes, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
                    params![
                        uid, p.salutation, p.title, p.first_name, p.last_name, p.function,
                        organisation_id, p.ort, p.email, p.phone, p.notes, now
                    ],
                )?;
                    report.persons += 1;
                    tx.last_insert_rowid()
                }
            };
        ids.insert(p.key.clone(), id);
    }
    Ok(ids)
}

type SessionIds = HashMap<(String, String), i64>;

fn seed_events(
    tx: &Transaction<'_>,
    list: &[SeedEvent],
    report: &mut SeedReport,
) -> CoreResult<(HashMap<String, i64>, SessionIds)> {
    let mut events = HashMap::new();
    let mut sessions = HashMap::new();
    for e in list {
        let uid = seed_uid("event", &e.key);
        let id = match seeded_id(tx, "events", &uid)? {
            Some(id) => id,
            None => {
                let created = crate::events::create(tx, event_input(e))?;
                tx.execute(
                    "UPDATE events SET uid = ?2 WHERE id = ?1",
                    params![created.id, uid],
                )?;
                report.events += 1;
                created.id
            }
        };
        for s in &e.session {
            let session_uid = seed_uid("session", &format!("{}:{}", e.key, s.key));
            let session_id = match seeded_id(tx, "sessions", &session_uid)? {
                Some(id) => id,
                None => {
                    let input = crate::registrations::sessions::SessionInput {
                        name: s.name.clone(),
                        starts_at: s.starts_at.clone(),
                        ends_at: s.ends_at.clone(),
                        room: s.room.clone(),
                        capacity: s.capacity,
                    };
                    let created = crate::registrations::sessions::create_session(tx, id, &input)?;
                    tx.execute(
                        "UPDATE sessions SET uid = ?2 WHERE id = ?1",
                        params![created.id, session_uid],
                    )?;
                    created.id
                }
            };
            sessions.insert((e.key.clone(), s.key.clone()), session_id);
        }
        events.insert(e.key.clone(), id);
    }
    Ok((events, sessions))
}

fn event_input(e: &SeedEvent) -> EventInput {
    EventInput {
        title: e.title.clone(),
        series: e.series,
        number: e.number,
        starts_at: e.starts_at.clone(),
        ends_at: e.ends_at.clone(),
        format: e.format,
        venue: e.venue.clone(),
        online_link: e.online_link.clone(),
        capacity: e.capacity,
        registration_deadline: e.registration_deadline.clone(),
        description: e.description.clone(),
        status: e.status,
        organiser: e.organiser.clone(),
        funding_note: e.funding_note.clone(),
    }
}

/// Key → id maps of the rows seeded so far.
struct Refs<'a> {
    persons: &'a HashMap<String, i64>,
    events: &'a HashMap<String, i64>,
    sessions: &'a SessionIds,
}

fn seed_registrations(
    tx: &Transaction<'_>,
    list: &[SeedRegistration],
    refs: &Refs<'_>,
    report: &mut SeedReport,
) -> CoreResult<()> {
    for r in list {
        let uid = seed_uid("registration", &format!("{}:{}", r.event, r.person));
        if seeded_id(tx, "registrations", &uid)?.is_some() {
            continue;
        }
        let event_id = lookup(refs.events, &r.event, "Veranstaltung")?;
        let person_id = lookup(refs.persons, &r.person, "Person")?;
        let registered_at = time::to_storage(time::parse_local(&r.registered_at, "registered_at")?);
        let registration_id = crate::registrations::insert_imported(
            tx,
            &ImportedRegistration {
                uid: &uid,
                event_id,
                person_id,
                status: r.status,
                cancel_reason: &r.cancel_reason,
                role: r.role,
                source: r.source,
                first_time: r.first_time,
                needs_attention: r.needs_attention,
                comment: &r.comment,
                registered_at: &registered_at,
                log_reason: "Demodaten",
            },
        )?;
        let sessions: Vec<i64> = r
            .sessions
            .iter()
            .map(|s| {
                refs.sessions
                    .get(&(r.event.clone(), s.clone()))
                    .copied()
                    .ok_or_else(|| unknown("Workshop", s))
            })
            .collect::<CoreResult<_>>()?;
        crate::registrations::sessions::set_registration_sessions(tx, registration_id, &sessions)?;
        for a in &r.attendance {
            crate::registrations::attendance::set_attendance(
                tx,
                registration_id,
                Some(&a.day),
                None,
                a.state,
            )?;
        }
        crate::wishes::board::add_for_registration(tx, event_id, registration_id, &r.wishes)?;
        report.registrations += 1;
    }
    Ok(())
}

fn lookup(map: &HashMap<String, i64>, key: &str, what: &str) -> CoreResult<i64> {
    map.get(key).copied().ok_or_else(|| unknown(what, key))
}

fn unknown(what: &str, key: &str) -> CoreError {
    CoreError::InvalidFile {
        file: "seeds".into(),
        message: format!("{what} „{key}“ ist nicht definiert."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeding_twice_adds_nothing_the_second_time() {
        let mut store = Store::open_in_memory().unwrap();
        let first = seed_demo(&mut store).unwrap();
        assert!(first.persons >= 60, "at least 60 persons: {first:?}");
        assert!(first.events >= 5);
        let events_with_registrations: i64 = store
            .connection()
            .query_row(
                "SELECT count(DISTINCT event_id) FROM registrations",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(events_with_registrations >= 3);
        let second = seed_demo(&mut store).unwrap();
        assert_eq!(second, SeedReport::default());
    }
}
