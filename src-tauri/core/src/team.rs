//! "Team & Abgleich": what the office sees of the laptop sync ([`crate::sync`]) in one read —
//! this laptop and the others, the open conflicts with the record each one is about (so the
//! page can lead to the event or the contact and, for someone moved back to the waiting list,
//! show whom to tell), the Anmeldestelle of every coming event — and this laptop's name.
//!
//! Reads only what `sync` keeps; the replication itself is not touched here.

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{CoreError, CoreResult};
use crate::input;
use crate::store::{self, Store, Transaction};
use crate::sync::{self, Conflict, Engine, SyncStatus};

/// Longest laptop name (it is shown in lists and travels in every sync file).
const NAME_MAX: usize = 60;

/// An open conflict with the record it is about, as far as it is shown in the app.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct TeamConflict {
    /// The conflict as the sync lists it.
    pub conflict: Conflict,
    /// The event it concerns (an event's capacity, a registration's event).
    #[ts(type = "number | null")]
    pub event_id: Option<i64>,
    /// That event's title.
    pub event_title: Option<String>,
    /// The contact it concerns (a contact, a registration's person).
    #[ts(type = "number | null")]
    pub person_id: Option<i64>,
    /// That contact's name ("Erika Muster").
    pub person_name: Option<String>,
    /// That contact's e-mail address, for telling them (a registration moved back to the
    /// waiting list).
    pub person_email: Option<String>,
}

/// Which laptop allocates the places of a coming event.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct EventDesk {
    /// The event.
    #[ts(type = "number")]
    pub event_id: i64,
    /// Its title.
    pub title: String,
    /// Its start (RFC 3339, Berlin offset).
    pub starts_at: String,
    /// Its Anmeldestelle's laptop id (`None` before the event was ever written with the sync).
    pub laptop_id: Option<String>,
    /// The Anmeldestelle's name as known here ("" when the laptop gave itself none).
    pub laptop_name: String,
    /// Whether this laptop is the Anmeldestelle.
    pub this_laptop: bool,
}

/// Everything the team page shows, read together.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct TeamOverview {
    /// This laptop, the others, waiting changes, counts.
    pub status: SyncStatus,
    /// The open conflicts, oldest first.
    pub conflicts: Vec<TeamConflict>,
    /// The coming and running events with their Anmeldestelle, soonest first.
    pub events: Vec<EventDesk>,
}

/// The team page's data.
pub fn overview(store: &mut Store) -> CoreResult<TeamOverview> {
    let status = sync::status(store)?;
    let conflicts = sync::open_conflicts(store)?;
    let conn = store.connection();
    let conflicts = conflicts
        .into_iter()
        .map(|c| with_record(conn, c))
        .collect::<CoreResult<_>>()?;
    let events = event_desks(store, &status)?;
    Ok(TeamOverview {
        status,
        conflicts,
        events,
    })
}

/// Gives this laptop its name in the team (cleaned like every one-line input; required).
pub fn set_laptop_name(tx: &Transaction<'_>, name: &str) -> CoreResult<String> {
    let clean = input::line("name", name)?;
    if clean.is_empty() {
        return Err(CoreError::invalid(
            "name",
            "Bitte einen Namen für diesen Laptop angeben, z. B. „Büro“ oder „Einlass 1“.",
        ));
    }
    if clean.chars().count() > NAME_MAX {
        return Err(CoreError::invalid(
            "name",
            format!("Der Name darf höchstens {NAME_MAX} Zeichen lang sein."),
        ));
    }
    tx.execute(
        "INSERT INTO sync_state (key, value) VALUES ('name', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [&clean],
    )?;
    Ok(clean)
}

/// The extension of a sync file ("Abgleichsdatei").
pub const SYNC_FILE_EXTENSION: &str = "abgleich";

/// A file name for this laptop's sync file now:
/// `Abgleich_<laptop name>_<Berlin date and time>.abgleich`, with characters that some file
/// systems refuse replaced.
pub fn sync_file_name(conn: &Connection) -> CoreResult<String> {
    file_name_at(conn, chrono::Utc::now())
}

fn file_name_at(conn: &Connection, now: chrono::DateTime<chrono::Utc>) -> CoreResult<String> {
    let name: String = sync::laptop_name(conn)?
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let name = name.trim_matches('-');
    let stamp = crate::time::in_berlin(now).format("%Y-%m-%d_%H-%M");
    Ok(if name.is_empty() {
        format!("Abgleich_{stamp}.{SYNC_FILE_EXTENSION}")
    } else {
        format!("Abgleich_{name}_{stamp}.{SYNC_FILE_EXTENSION}")
    })
}

/// A person's id, name and address by uid.
fn person(conn: &Connection, uid: &str) -> CoreResult<Option<(i64, String, Option<String>)>> {
    Ok(conn
        .query_row(
            "SELECT id, trim(first_name || ' ' || last_name), nullif(email, '')
             FROM persons WHERE uid = ?1",
            [uid],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

fn with_record(conn: &Connection, conflict: Conflict) -> CoreResult<TeamConflict> {
    let mut found = TeamConflict {
        conflict,
        event_id: None,
        event_title: None,
        person_id: None,
        person_name: None,
        person_email: None,
    };
    let uid = found.conflict.uid.clone();
    let mut person_uid = None;
    match found.conflict.table.as_str() {
        "events" => {
            if let Some((id, title)) = conn
                .query_row("SELECT id, title FROM events WHERE uid = ?1", [&uid], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?
            {
                found.event_id = Some(id);
                found.event_title = Some(title);
            }
        }
        "registrations" => {
            if let Some((id, title, person)) = conn
                .query_row(
                    "SELECT e.id, e.title, p.uid FROM registrations r
                     JOIN events e ON e.id = r.event_id
                     LEFT JOIN persons p ON p.id = r.person_id
                     WHERE r.uid = ?1",
                    [&uid],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, Option<String>>(2)?)),
                )
                .optional()?
            {
                found.event_id = Some(id);
                found.event_title = Some(title);
                person_uid = person;
            }
        }
        "persons" => person_uid = Some(uid),
        _ => {}
    }
    if let Some((id, name, email)) = match person_uid {
        Some(uid) => person(conn, &uid)?,
        None => None,
    } {
        found.person_id = Some(id);
        found.person_name = Some(name);
        found.person_email = email;
    }
    Ok(found)
}

fn event_desks(store: &Store, status: &SyncStatus) -> CoreResult<Vec<EventDesk>> {
    let conn = store.connection();
    let rows: Vec<(i64, String, String, String)> = conn
        .prepare(
            "SELECT id, uid, title, starts_at FROM events
             WHERE ends_at >= ?1 ORDER BY starts_at, id",
        )?
        .query_map([store::now_utc()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<Result<_, _>>()?;
    let hook = store.commit_hook().cloned();
    let engine = hook
        .as_ref()
        .and_then(|h| h.as_any().downcast_ref::<Engine>());
    let mut desks = Vec::with_capacity(rows.len());
    for (event_id, uid, title, starts_at) in rows {
        let laptop_id = match engine {
            Some(engine) => {
                engine.with_doc(conn, |doc, _, _| sync::capacity::anmeldestelle(doc, &uid))?
            }
            None => None,
        };
        let this_laptop = laptop_id.as_deref() == Some(status.laptop_id.as_str());
        let laptop_name = match &laptop_id {
            Some(_) if this_laptop => status.name.clone(),
            Some(id) => status
                .peers
                .iter()
                .find(|p| &p.laptop_id == id)
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            None => String::new(),
        };
        desks.push(EventDesk {
            event_id,
            title,
            starts_at: crate::time::stored_to_berlin_rfc3339(&starts_at)?,
            laptop_id,
            laptop_name,
            this_laptop,
        });
    }
    Ok(desks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{self, tests::forum_input};
    use crate::people::{self, tests::person};
    use crate::registrations::{self, RegisterInput};

    fn replica(name: &str) -> Store {
        let mut store = Store::open_in_memory().unwrap();
        sync::attach(&mut store).unwrap();
        store.write(|tx| set_laptop_name(tx, name)).unwrap();
        store
    }

    fn send(from: &mut Store, to: &mut Store) {
        let package = sync::export_package(from, None).unwrap();
        sync::import_bytes(to, &package.bytes).unwrap();
    }

    fn event(store: &mut Store, capacity: i64) -> i64 {
        let input = events::EventInput {
            capacity: Some(capacity),
            starts_at: "2099-03-13 11:00".into(),
            ends_at: "2099-03-13 13:00".into(),
            registration_deadline: None,
            ..forum_input()
        };
        store.write(|tx| events::create(tx, input)).unwrap().id
    }

    fn register(store: &mut Store, event_uid: &str, n: usize) {
        store
            .write(|tx| {
                let event: i64 =
                    tx.query_row("SELECT id FROM events WHERE uid = ?1", [event_uid], |r| {
                        r.get(0)
                    })?;
                let p = people::create_person(
                    tx,
                    &person(
                        "Vorname",
                        &format!("Nachname{n}"),
                        "Köln",
                        &format!("p{n}@example.org"),
                    ),
                )?;
                registrations::register(tx, &RegisterInput::existing(event, p.id))
            })
            .unwrap();
    }

    #[test]
    fn the_name_is_cleaned_required_and_travels_to_the_other_laptop() {
        let mut office = replica("  Büro \n Laptop ");
        assert_eq!(
            sync::laptop_name(office.connection()).unwrap(),
            "Büro Laptop"
        );
        let empty = office.write(|tx| set_laptop_name(tx, "   ")).unwrap_err();
        let long = office
            .write(|tx| set_laptop_name(tx, &"x".repeat(61)))
            .unwrap_err();
        for error in [empty, long] {
            assert!(
                matches!(&error, CoreError::Validation(f) if f[0].field == "name"),
                "{error:?}"
            );
        }
        let mut desk = replica("Einlass 1");
        send(&mut office, &mut desk);
        let on_desk = overview(&mut desk).unwrap();
        assert_eq!(on_desk.status.name, "Einlass 1");
        assert_eq!(on_desk.status.peers[0].name, "Büro Laptop");
    }

    #[test]
    fn the_sync_file_is_named_after_the_laptop_and_the_berlin_time() {
        let mut office = replica("Büro: Tisch/2");
        let noon_utc = chrono::DateTime::parse_from_rfc3339("2026-07-01T10:05:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(
            file_name_at(office.connection(), noon_utc).unwrap(),
            "Abgleich_Büro--Tisch-2_2026-07-01_12-05.abgleich"
        );
        office
            .write(|tx| {
                tx.execute("DELETE FROM sync_state WHERE key = 'name'", [])?;
                Ok(())
            })
            .unwrap();
        assert_eq!(
            file_name_at(office.connection(), noon_utc).unwrap(),
            "Abgleich_2026-07-01_12-05.abgleich"
        );
    }

    #[test]
    fn every_coming_event_names_its_anmeldestelle_on_every_laptop() {
        let mut office = replica("Büro");
        let id = event(&mut office, 10);
        let mut desk = replica("Einlass");
        send(&mut office, &mut desk);
        send(&mut desk, &mut office);
        let here = overview(&mut office).unwrap().events;
        assert_eq!(here.len(), 1);
        assert_eq!(here[0].event_id, id);
        assert!(here[0].this_laptop);
        assert_eq!(here[0].laptop_name, "Büro");
        assert!(
            here[0].starts_at.starts_with("2099-03-13T11:00"),
            "{}",
            here[0].starts_at
        );
        let there = overview(&mut desk).unwrap().events;
        assert!(!there[0].this_laptop);
        assert_eq!(there[0].laptop_name, "Büro");
        assert_eq!(there[0].laptop_id, here[0].laptop_id);
    }

    #[test]
    fn a_person_moved_back_to_the_waiting_list_is_listed_with_event_name_and_address() {
        let mut office = replica("Büro");
        let id = event(&mut office, 1);
        let uid: String = office
            .connection()
            .query_row("SELECT uid FROM events WHERE id = ?1", [id], |r| r.get(0))
            .unwrap();
        let mut desk = replica("Einlass");
        send(&mut office, &mut desk);
        register(&mut office, &uid, 1);
        register(&mut desk, &uid, 2);
        send(&mut desk, &mut office);
        let conflicts = overview(&mut office).unwrap().conflicts;
        let moved = conflicts
            .iter()
            .find(|c| c.conflict.kind == "umgebucht")
            .unwrap_or_else(|| panic!("{conflicts:?}"));
        assert_eq!(moved.event_id, Some(id));
        assert_eq!(
            moved.event_title.as_deref(),
            Some(forum_input().title.as_str())
        );
        let name = moved.person_name.clone().unwrap();
        assert!(name.starts_with("Vorname Nachname"), "{name}");
        let email = moved.person_email.clone().unwrap();
        assert_eq!(&email[..1], "p");
        let person_id: i64 = office
            .connection()
            .query_row("SELECT id FROM persons WHERE email = ?1", [&email], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(moved.person_id, Some(person_id));
    }
}
