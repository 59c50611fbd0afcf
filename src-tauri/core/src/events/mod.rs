//! Events: the forums, the Tag der Städtepartnerschaften, trainings and other meetings.
//!
//! Times are entered as Europe/Berlin wall-clock times, stored as UTC instants and returned as
//! RFC 3339 with the Berlin offset. Validation happens before anything is written.

use rusqlite::{Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, CoreResult, Validator};
use crate::input::{Cleaner, MAX_TEXT_CHARS};
use crate::store::{new_uid, now_utc, text_enum};
use crate::time;

text_enum! {
    /// The event series of the office.
    pub enum Series {
        /// Forum Städtepartnerschaften NRW (numbered, online).
        Forum = "forum" => "Forum Städtepartnerschaften NRW",
        /// Tag der Städtepartnerschaften (biennial, in person, workshops).
        Tag = "tag" => "Tag der Städtepartnerschaften",
        /// Trainings such as "Fit für die Zukunft im Städtepartnerschaftsverein".
        Training = "training" => "Schulung",
        /// Regional meetings, online exchanges and anything else.
        Other = "other" => "Sonstige",
    }
}

text_enum! {
    /// Where the event takes place.
    pub enum EventFormat {
        /// Online only.
        Online = "online" => "Online",
        /// In person.
        Praesenz = "praesenz" => "Präsenz",
        /// In person with online participation.
        Hybrid = "hybrid" => "Hybrid",
    }
}

text_enum! {
    /// Planning state of an event.
    pub enum EventStatus {
        /// Being planned, registration not open yet.
        Geplant = "geplant" => "Geplant",
        /// Registration is open.
        Offen = "offen" => "Anmeldung offen",
        /// Registration is closed.
        Geschlossen = "geschlossen" => "Anmeldung geschlossen",
        /// Took place and is finished.
        Abgeschlossen = "abgeschlossen" => "Abgeschlossen",
        /// Cancelled.
        Abgesagt = "abgesagt" => "Abgesagt",
    }
}

/// What the user enters to create or edit an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EventInput {
    /// Title, e.g. "13. Forum Städtepartnerschaften NRW".
    pub title: String,
    /// Event series.
    pub series: Series,
    /// Number within the series (forums are numbered).
    #[ts(type = "number | null")]
    pub number: Option<i64>,
    /// Start as Berlin wall-clock time, "YYYY-MM-DDTHH:MM" or "YYYY-MM-DD HH:MM".
    pub starts_at: String,
    /// End as Berlin wall-clock time.
    pub ends_at: String,
    /// Online, in person or hybrid.
    pub format: EventFormat,
    /// Place (address or room); empty for online events.
    pub venue: String,
    /// Link to the online meeting.
    pub online_link: String,
    /// Maximum of counted registrations; `None` means unlimited.
    #[ts(type = "number | null")]
    pub capacity: Option<i64>,
    /// Last day of registration, "YYYY-MM-DD" (registering later only warns).
    pub registration_deadline: Option<String>,
    /// Free description.
    pub description: String,
    /// Planning state.
    pub status: EventStatus,
    /// Organiser as printed on the Anwesenheitsliste.
    pub organiser: String,
    /// Funding line such as "Gefördert durch die Staatskanzlei NRW" (may be empty).
    pub funding_note: String,
}

/// A stored event.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Event {
    /// Database key.
    #[ts(type = "number")]
    pub id: i64,
    /// Stable UUID.
    pub uid: String,
    /// Title.
    pub title: String,
    /// Event series.
    pub series: Series,
    /// Number within the series.
    #[ts(type = "number | null")]
    pub number: Option<i64>,
    /// Start, RFC 3339 with the Berlin offset.
    pub starts_at: String,
    /// End, RFC 3339 with the Berlin offset.
    pub ends_at: String,
    /// Online, in person or hybrid.
    pub format: EventFormat,
    /// Place.
    pub venue: String,
    /// Online link.
    pub online_link: String,
    /// Capacity, `None` for unlimited.
    #[ts(type = "number | null")]
    pub capacity: Option<i64>,
    /// Last day of registration ("YYYY-MM-DD").
    pub registration_deadline: Option<String>,
    /// Description.
    pub description: String,
    /// Planning state.
    pub status: EventStatus,
    /// Organiser.
    pub organiser: String,
    /// Funding line.
    pub funding_note: String,
    /// The Berlin calendar days of the event ("YYYY-MM-DD"), one per attendance column.
    pub days: Vec<String>,
    /// Whether the event has ended.
    pub is_past: bool,
    /// Creation time (UTC).
    pub created_at: String,
    /// Last change (UTC).
    pub updated_at: String,
}

/// A validated input, ready to store.
struct ValidEvent {
    input: EventInput,
    starts_at: String,
    ends_at: String,
    registration_deadline: Option<String>,
    venue: String,
    online_link: String,
    organiser: String,
    funding_note: String,
}

impl EventInput {
    /// The texts in their stored form ([`crate::input`]): control characters and overlong
    /// texts refused per field.
    pub fn cleaned(self) -> CoreResult<EventInput> {
        let mut c = Cleaner::default();
        let cleaned = EventInput {
            title: c.line("title", &self.title),
            venue: c.line("venue", &self.venue),
            online_link: c.line_max("online_link", &self.online_link, MAX_TEXT_CHARS),
            description: c.text("description", &self.description, MAX_TEXT_CHARS),
            organiser: c.line("organiser", &self.organiser),
            funding_note: c.text("funding_note", &self.funding_note, MAX_TEXT_CHARS),
            ..self
        };
        c.finish().map(|()| cleaned)
    }
}

/// Checks every rule of an event input and collects all field errors at once.
fn validate(input: EventInput) -> CoreResult<ValidEvent> {
    let input = input.cleaned()?;
    let mut v = Validator::default();
    v.required(&input.title, "title", "Bitte geben Sie einen Titel ein.")
        .check(
            input.number.is_some_and(|n| n < 1),
            "number",
            "Die Nummer muss eine positive Zahl sein.",
        )
        .check(
            input.capacity.is_some_and(|c| c < 0),
            "capacity",
            "Die Kapazität darf nicht negativ sein.",
        );
    let starts = collect(&mut v, time::parse_local(&input.starts_at, "starts_at"));
    let ends = collect(&mut v, time::parse_local(&input.ends_at, "ends_at"));
    if let (Some(s), Some(e)) = (starts, ends) {
        v.check(e <= s, "ends_at", "Das Ende muss nach dem Beginn liegen.");
    }
    let deadline = input
        .registration_deadline
        .as_deref()
        .filter(|d| !d.trim().is_empty())
        .and_then(|d| collect(&mut v, time::parse_date(d, "registration_deadline")));
    v.finish()?;
    let (Some(starts), Some(ends)) = (starts, ends) else {
        unreachable!("validation passed, so both times parsed");
    };
    Ok(ValidEvent {
        starts_at: time::to_storage(starts),
        ends_at: time::to_storage(ends),
        registration_deadline: deadline.map(|d| d.to_string()),
        venue: input.venue.trim().to_owned(),
        online_link: input.online_link.trim().to_owned(),
        organiser: input.organiser.trim().to_owned(),
        funding_note: input.funding_note.trim().to_owned(),
        input: EventInput {
            title: input.title.trim().to_owned(),
            ..input
        },
    })
}

/// Moves a field error of `result` into the validator, returning the value on success.
fn collect<T>(v: &mut Validator, result: CoreResult<T>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(CoreError::Validation(errors)) => {
            for e in errors {
                v.add(&e.field, e.message);
            }
            None
        }
        Err(other) => {
            v.add("", other.to_string());
            None
        }
    }
}

/// The stored columns of a validated event, as named SQL parameters.
fn column_params(e: &ValidEvent) -> [(&'static str, &dyn rusqlite::ToSql); 14] {
    [
        (":title", &e.input.title),
        (":series", &e.input.series),
        (":number", &e.input.number),
        (":starts_at", &e.starts_at),
        (":ends_at", &e.ends_at),
        (":format", &e.input.format),
        (":venue", &e.venue),
        (":online_link", &e.online_link),
        (":capacity", &e.input.capacity),
        (":registration_deadline", &e.registration_deadline),
        (":description", &e.input.description),
        (":status", &e.input.status),
        (":organiser", &e.organiser),
        (":funding_note", &e.funding_note),
    ]
}

/// Creates an event.
pub fn create(tx: &Transaction<'_>, input: EventInput) -> CoreResult<Event> {
    let e = validate(input)?;
    let (uid, now) = (new_uid(), now_utc());
    let mut params = column_params(&e).to_vec();
    params.extend([(":uid", &uid as &dyn rusqlite::ToSql), (":now", &now)]);
    tx.execute(
        "INSERT INTO events (uid, title, series, number, starts_at, ends_at, format, venue,
             online_link, capacity, registration_deadline, description, status, organiser,
             funding_note, created_at, updated_at)
         VALUES (:uid, :title, :series, :number, :starts_at, :ends_at, :format, :venue,
             :online_link, :capacity, :registration_deadline, :description, :status, :organiser,
             :funding_note, :now, :now)",
        params.as_slice(),
    )?;
    get(tx, tx.last_insert_rowid())
}

/// Changes an event's own fields. Only [`crate::registrations::update_event`] calls it: a
/// changed capacity concerns the registrations (no drop below the places taken, freed places go
/// to the waiting list), which are not this module's to decide.
pub(crate) fn update(tx: &Transaction<'_>, id: i64, input: EventInput) -> CoreResult<Event> {
    get(tx, id)?;
    let e = validate(input)?;
    let now = now_utc();
    let mut params = column_params(&e).to_vec();
    params.extend([(":id", &id as &dyn rusqlite::ToSql), (":now", &now)]);
    tx.execute(
        "UPDATE events SET title = :title, series = :series, number = :number,
             starts_at = :starts_at, ends_at = :ends_at, format = :format, venue = :venue,
             online_link = :online_link, capacity = :capacity,
             registration_deadline = :registration_deadline, description = :description,
             status = :status, organiser = :organiser, funding_note = :funding_note,
             updated_at = :now
         WHERE id = :id",
        params.as_slice(),
    )?;
    get(tx, id)
}

const EVENT_COLUMNS: &str = "id, uid, title, series, number, starts_at, ends_at, format, venue,
     online_link, capacity, registration_deadline, description, status, organiser, funding_note,
     created_at, updated_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<(Event, String, String)> {
    let starts: String = row.get(5)?;
    let ends: String = row.get(6)?;
    let event = Event {
        id: row.get(0)?,
        uid: row.get(1)?,
        title: row.get(2)?,
        series: row.get(3)?,
        number: row.get(4)?,
        starts_at: String::new(),
        ends_at: String::new(),
        format: row.get(7)?,
        venue: row.get(8)?,
        online_link: row.get(9)?,
        capacity: row.get(10)?,
        registration_deadline: row.get(11)?,
        description: row.get(12)?,
        status: row.get(13)?,
        organiser: row.get(14)?,
        funding_note: row.get(15)?,
        days: Vec::new(),
        is_past: false,
        created_at: row.get(16)?,
        updated_at: row.get(17)?,
    };
    Ok((event, starts, ends))
}

/// Fills the derived time fields from the stored UTC instants.
fn with_times(
    (mut event, starts, ends): (Event, String, String),
    now: chrono::DateTime<chrono::Utc>,
) -> CoreResult<Event> {
    let (s, e) = (time::from_storage(&starts)?, time::from_storage(&ends)?);
    event.starts_at = time::stored_to_berlin_rfc3339(&starts)?;
    event.ends_at = time::stored_to_berlin_rfc3339(&ends)?;
    event.days = time::berlin_days(s, e)
        .iter()
        .map(|d| d.to_string())
        .collect();
    event.is_past = e < now;
    Ok(event)
}

/// Loads one event.
pub fn get(conn: &Connection, id: i64) -> CoreResult<Event> {
    let raw = conn
        .query_row(
            &format!("SELECT {EVENT_COLUMNS} FROM events WHERE id = ?1"),
            [id],
            from_row,
        )
        .optional()?
        .ok_or(CoreError::NotFound {
            what: "Die Veranstaltung",
        })?;
    with_times(raw, chrono::Utc::now())
}

/// All events, upcoming first (soonest first), then past ones (latest first).
pub fn list(conn: &Connection) -> CoreResult<Vec<Event>> {
    let now = chrono::Utc::now();
    let mut stmt = conn.prepare(&format!(
        "SELECT {EVENT_COLUMNS} FROM events
         ORDER BY ends_at < ?1, CASE WHEN ends_at < ?1 THEN '' ELSE starts_at END,
                  starts_at DESC"
    ))?;
    let rows = stmt.query_map([time::to_storage(now)], from_row)?;
    rows.map(|raw| with_times(raw?, now)).collect()
}

/// The event of `series` with `number`, other than `except` (a duplicate number in a series is
/// allowed but the form warns about it).
pub fn with_number(
    conn: &Connection,
    series: Series,
    number: i64,
    except: Option<i64>,
) -> CoreResult<Option<Event>> {
    let id: Option<i64> = conn
        .query_row(
            "SELECT id FROM events WHERE series = ?1 AND number = ?2 AND id IS NOT ?3
             ORDER BY starts_at LIMIT 1",
            rusqlite::params![series, number, except],
            |r| r.get(0),
        )
        .optional()?;
    id.map(|id| get(conn, id)).transpose()
}

/// A prefilled input for the next event of the same series ("Nächstes Forum anlegen"): the next
/// free number (after the highest of the series, also in the title), same settings, dates 13
/// weeks later, status "geplant". The online link is not copied (a new meeting needs a new link).
pub fn next_in_series_draft(conn: &Connection, id: i64) -> CoreResult<EventInput> {
    let event = get(conn, id)?;
    let highest: Option<i64> = conn.query_row(
        "SELECT max(number) FROM events WHERE series = ?1",
        [&event.series],
        |r| r.get(0),
    )?;
    let next_number = event.number.map(|n| n.max(highest.unwrap_or(n)) + 1);
    let title = match (event.number, next_number) {
        (Some(n), Some(next)) => renumber_title(&event.title, n, next),
        _ => event.title.clone(),
    };
    // Shift the wall-clock time, not the instant, so 11:00 stays 11:00 across a DST change.
    let shift = chrono::Duration::weeks(13);
    let shifted = |rfc: &str| -> CoreResult<String> {
        let local = time::in_berlin(time::from_storage(rfc)?).naive_local() + shift;
        Ok(local.format("%Y-%m-%dT%H:%M").to_string())
    };
    Ok(EventInput {
        title,
        series: event.series,
        number: next_number,
        starts_at: shifted(&event.starts_at)?,
        ends_at: shifted(&event.ends_at)?,
        format: event.format,
        venue: event.venue,
        online_link: String::new(),
        capacity: event.capacity,
        registration_deadline: None,
        description: event.description,
        status: EventStatus::Geplant,
        organiser: event.organiser,
        funding_note: event.funding_note,
    })
}

/// Replaces a leading "13." by "14." ("13. Forum …" → "14. Forum …").
fn renumber_title(title: &str, number: i64, next: i64) -> String {
    let prefix = format!("{number}.");
    match title.strip_prefix(&prefix) {
        Some(rest) => format!("{next}.{rest}"),
        None => title.to_owned(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::store::Store;

    /// A valid one-day online forum, for tests across the crate.
    pub fn forum_input() -> EventInput {
        EventInput {
            title: "13. Forum Städtepartnerschaften NRW".into(),
            series: Series::Forum,
            number: Some(13),
            starts_at: "2025-03-13 11:00".into(),
            ends_at: "2025-03-13 13:00".into(),
            format: EventFormat::Online,
            venue: String::new(),
            online_link: "https://example.org/forum".into(),
            capacity: Some(80),
            registration_deadline: Some("2025-03-11".into()),
            description: "Offenes Austauschformat".into(),
            status: EventStatus::Offen,
            organiser: "Netzwerkstelle Städtepartnerschaften NRW".into(),
            funding_note: String::new(),
        }
    }

    #[test]
    fn create_and_read_back_with_berlin_times() {
        let mut store = Store::open_in_memory().unwrap();
        let event = store.write(|tx| create(tx, forum_input())).unwrap();
        assert_eq!(event.starts_at, "2025-03-13T11:00:00+01:00");
        assert_eq!(event.ends_at, "2025-03-13T13:00:00+01:00");
        assert_eq!(event.days, ["2025-03-13"]);
        assert!(event.is_past);
        let stored: String = store
            .connection()
            .query_row("SELECT starts_at FROM events", [], |r| r.get(0))
            .unwrap();
        assert_eq!(stored, "2025-03-13T10:00:00Z");
    }

    #[test]
    fn end_before_start_and_negative_capacity_are_rejected_and_nothing_is_saved() {
        let mut store = Store::open_in_memory().unwrap();
        let input = EventInput {
            ends_at: "2025-03-13 10:00".into(),
            capacity: Some(-1),
            title: "  ".into(),
            ..forum_input()
        };
        let Err(CoreError::Validation(errors)) = store.write(|tx| create(tx, input)) else {
            panic!("expected validation errors");
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["title", "capacity", "ends_at"]);
        assert!(errors[2].message.contains("Ende"));
        let n: i64 = store
            .connection()
            .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
    }

    #[test]
    fn next_forum_draft_increments_number_and_title() {
        let mut store = Store::open_in_memory().unwrap();
        let event = store.write(|tx| create(tx, forum_input())).unwrap();
        let next = store
            .write(|tx| create(tx, next_in_series_draft(tx, event.id)?))
            .unwrap();
        assert_eq!(next.title, "14. Forum Städtepartnerschaften NRW");
        assert_eq!(next.number, Some(14));
        assert_eq!(next.status, EventStatus::Geplant);
        assert_eq!(next.starts_at, "2025-06-12T11:00:00+02:00");
        assert_eq!(next.capacity, Some(80));
        assert_eq!(next.online_link, "", "the old meeting link is not copied");
    }

    #[test]
    fn next_forum_takes_the_next_free_number_and_duplicates_are_found() {
        let mut store = Store::open_in_memory().unwrap();
        let fifteen = store
            .write(|tx| {
                create(
                    tx,
                    EventInput {
                        title: "15. Forum Städtepartnerschaften NRW".into(),
                        number: Some(15),
                        ..forum_input()
                    },
                )
            })
            .unwrap();
        let sixteen = store
            .write(|tx| {
                create(
                    tx,
                    EventInput {
                        title: "16. Forum Städtepartnerschaften NRW".into(),
                        number: Some(16),
                        ..forum_input()
                    },
                )
            })
            .unwrap();
        let training = store
            .write(|tx| {
                create(
                    tx,
                    EventInput {
                        series: Series::Training,
                        number: Some(40),
                        ..forum_input()
                    },
                )
            })
            .unwrap();
        let draft = next_in_series_draft(store.connection(), fifteen.id).unwrap();
        assert_eq!(
            draft.number,
            Some(17),
            "16 exists; other series do not count"
        );
        assert_eq!(draft.title, "17. Forum Städtepartnerschaften NRW");
        let conn = store.connection();
        let dup = with_number(conn, Series::Forum, 16, None).unwrap();
        assert_eq!(dup.map(|e| e.id), Some(sixteen.id));
        assert!(
            with_number(conn, Series::Forum, 16, Some(sixteen.id))
                .unwrap()
                .is_none()
        );
        assert!(
            with_number(conn, Series::Forum, 40, None)
                .unwrap()
                .is_none()
        );
        assert_eq!(
            with_number(conn, Series::Training, 40, None)
                .unwrap()
                .map(|e| e.id),
            Some(training.id)
        );
    }

    #[test]
    fn upcoming_events_come_first() {
        let mut store = Store::open_in_memory().unwrap();
        let past = store.write(|tx| create(tx, forum_input())).unwrap();
        let future_input = EventInput {
            starts_at: "2099-01-01 10:00".into(),
            ends_at: "2099-01-01 12:00".into(),
            ..forum_input()
        };
        let future = store.write(|tx| create(tx, future_input)).unwrap();
        let ids: Vec<i64> = list(store.connection())
            .unwrap()
            .iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(ids, [future.id, past.id]);
    }
}
