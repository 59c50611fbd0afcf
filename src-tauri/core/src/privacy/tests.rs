//! Tests of retention, the shredder, Art. 17 erasure and the Art. 15 Auskunft, including the
//! property test over random histories.

use super::*;
use crate::events::tests::forum_input;
use crate::people::consents::{self, ConsentInput, ConsentSource, ConsentState, Purpose};
use crate::people::tests::person;
use crate::people::{OrgKind, OrganisationInput};
use crate::registrations::{self, RegisterInput, attendance, merge};
use crate::store::Store;

fn past_event(store: &mut Store, title: &str) -> i64 {
    let input = events::EventInput {
        title: title.into(),
        ..forum_input()
    };
    store.write(|tx| events::create(tx, input)).unwrap().id
}

fn new_person(store: &mut Store, last: &str, org: Option<i64>) -> i64 {
    store
        .write(|tx| {
            people::create_person(
                tx,
                &people::PersonInput {
                    organisation_id: org,
                    ..person(
                        "Anna",
                        last,
                        "Hürth",
                        &format!("{}@example.org", last.to_lowercase()),
                    )
                },
            )
        })
        .unwrap()
        .id
}

fn register(store: &mut Store, event: i64, person: i64) -> i64 {
    store
        .write(|tx| {
            registrations::register(
                tx,
                &RegisterInput {
                    comment: "kommt mit Rollstuhl".into(),
                    ..RegisterInput::existing(event, person)
                },
            )
        })
        .unwrap()
        .registration
        .registration_id
}

fn invite_consent(store: &mut Store, person: i64) {
    store
        .write(|tx| {
            consents::set_consents(
                tx,
                person,
                &[ConsentInput {
                    purpose: Purpose::Einladungen,
                    state: Some(ConsentState::Erteilt),
                    given_on: String::new(),
                    source: ConsentSource::Formular,
                }],
            )
        })
        .unwrap();
}

fn kommune(store: &mut Store) -> i64 {
    store
        .write(|tx| {
            people::create_organisation(
                tx,
                &OrganisationInput {
                    name: "Stadt Hürth".into(),
                    kind: OrgKind::Kommune,
                    ort: "Hürth".into(),
                    kreis: "Rhein-Erft-Kreis".into(),
                    partner_towns: Vec::new(),
                    ags: None,
                },
            )
        })
        .unwrap()
        .id
}

#[test]
fn the_shredder_keeps_statistics_and_removes_only_what_ties_people_to_the_event() {
    let mut store = Store::open_in_memory().unwrap();
    let org = kommune(&mut store);
    let forum = past_event(&mut store, "13. Forum");
    let other = past_event(&mut store, "14. Forum");
    let only_here = new_person(&mut store, "Adler", Some(org));
    let elsewhere = new_person(&mut store, "Berger", None);
    let consenting = new_person(&mut store, "Conrad", Some(org));
    let reg = register(&mut store, forum, only_here);
    register(&mut store, forum, elsewhere);
    register(&mut store, other, elsewhere);
    register(&mut store, forum, consenting);
    invite_consent(&mut store, consenting);
    store
        .write(|tx| attendance::check_in(tx, reg, Some("2025-03-13")))
        .unwrap();
    let before = store
        .read(|c| crate::statistics::event_statistics(c, forum))
        .unwrap();
    assert_eq!(before.by_organisation_kind.get("kommune"), Some(&2));

    let preview = store
        .write(|tx| preview_shred(tx, forum, LeftoverPersons::Loeschen))
        .unwrap();
    assert_eq!(
        store
            .read(|c| people::get_person(c, only_here))
            .unwrap()
            .last_name,
        "Adler"
    );
    let report = store
        .write(|tx| shred_event(tx, forum, LeftoverPersons::Loeschen))
        .unwrap();
    assert_eq!(preview, report, "the preview is the run");
    assert_eq!(
        (
            report.registrations_anonymised,
            report.persons_removed,
            report.persons_anonymised,
            report.persons_kept_registered,
            report.persons_kept_invitations,
            report.comments_removed,
            report.attendance_kept,
        ),
        (3, 1, 0, 1, 1, 3, 1)
    );
    assert_eq!(report.affected_names, ["Anna Adler"]);
    assert_eq!(report.statistics.as_ref(), Some(&before));
    let after = store
        .read(|c| crate::statistics::event_statistics(c, forum))
        .unwrap();
    assert_eq!(after, before);

    let rows = store.read(|c| registrations::list(c, forum)).unwrap();
    assert!(rows.iter().all(|r| r.person_id.is_none()
        && r.last_name.is_empty()
        && r.email.is_empty()
        && r.comment.is_empty()));
    assert!(store.read(|c| people::get_person(c, only_here)).is_err());
    assert!(store.read(|c| people::get_person(c, elsewhere)).is_ok());
    assert!(store.read(|c| people::get_person(c, consenting)).is_ok());
    // The other event still names its person.
    let rows = store.read(|c| registrations::list(c, other)).unwrap();
    assert_eq!(rows[0].person_id, Some(elsewhere));
    // The log says when, what and how many — no names.
    let log = store.read(deletion_log).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].kind, log[0].event_id, log[0].persons_removed),
        (DeletionKind::Veranstaltung, Some(forum), 1)
    );
    let retention = store.read(|c| event_retention(c, forum)).unwrap();
    assert_eq!(retention.registrations_with_persons, 0);
    assert!(retention.personal_data_deleted_at.is_some());
    // Running it again changes nothing.
    let again = store
        .write(|tx| shred_event(tx, forum, LeftoverPersons::Loeschen))
        .unwrap();
    assert_eq!(
        (again.registrations_anonymised, again.persons_removed),
        (0, 0)
    );
}

#[test]
fn leftover_persons_can_be_anonymised_instead_of_deleted() {
    let mut store = Store::open_in_memory().unwrap();
    let org = kommune(&mut store);
    let forum = past_event(&mut store, "13. Forum");
    let p = new_person(&mut store, "Adler", Some(org));
    register(&mut store, forum, p);
    let report = store
        .write(|tx| shred_event(tx, forum, LeftoverPersons::Anonymisieren))
        .unwrap();
    assert_eq!((report.persons_removed, report.persons_anonymised), (0, 1));
    let left = store.read(|c| people::get_person(c, p)).unwrap();
    assert_eq!(
        (
            left.display_name().as_str(),
            left.email.as_str(),
            left.organisation_id
        ),
        ("Anonym Person", "", Some(org))
    );
    assert!(
        store
            .read(|c| people::search(c, "Adler", 10))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn an_event_that_has_not_ended_is_not_shredded() {
    let mut store = Store::open_in_memory().unwrap();
    let input = events::EventInput {
        starts_at: "2099-03-13 11:00".into(),
        ends_at: "2099-03-13 13:00".into(),
        registration_deadline: None,
        ..forum_input()
    };
    let future = store.write(|tx| events::create(tx, input)).unwrap().id;
    let err = store
        .write(|tx| shred_event(tx, future, LeftoverPersons::Loeschen))
        .unwrap_err();
    assert!(err.to_string().contains("noch nicht vorbei"), "{err}");
}

#[test]
fn erasure_anonymises_every_registration_and_removes_the_person() {
    let mut store = Store::open_in_memory().unwrap();
    let forum = past_event(&mut store, "13. Forum");
    let other = past_event(&mut store, "14. Forum");
    let p = new_person(&mut store, "Adler", None);
    register(&mut store, forum, p);
    register(&mut store, other, p);
    invite_consent(&mut store, p);
    let stats = |store: &mut Store, e| {
        store
            .read(|c| crate::statistics::event_statistics(c, e))
            .unwrap()
    };
    let before = (stats(&mut store, forum), stats(&mut store, other));
    let preview = store.write(|tx| preview_erase(tx, p)).unwrap();
    assert!(store.read(|c| people::get_person(c, p)).is_ok());
    let report = store.write(|tx| erase_person(tx, p)).unwrap();
    assert_eq!(preview, report);
    assert_eq!(
        (report.registrations_anonymised, report.persons_removed),
        (2, 1)
    );
    assert!(store.read(|c| people::get_person(c, p)).is_err());
    assert!(
        store
            .read(|c| consents::consents_of(c, p))
            .unwrap()
            .is_empty()
    );
    assert_eq!(before, (stats(&mut store, forum), stats(&mut store, other)));
    let log = store.read(deletion_log).unwrap();
    assert_eq!((log[0].kind, log[0].event_id), (DeletionKind::Person, None));
}

#[test]
fn the_deletion_date_is_derived_from_the_retention_period_and_can_be_set() {
    let mut store = Store::open_in_memory().unwrap();
    let forum = past_event(&mut store, "13. Forum");
    let p = new_person(&mut store, "Adler", None);
    register(&mut store, forum, p);
    let r = store.read(|c| event_retention(c, forum)).unwrap();
    assert_eq!(
        (
            r.ends_on.as_str(),
            r.deletion_date.as_str(),
            r.deletion_date_set
        ),
        ("2025-03-13", "2027-03-13", false)
    );
    let on = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
    assert!(
        store
            .read(|c| due_events_on(c, on("2027-03-12")))
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.read(|c| due_events_on(c, on("2027-03-13"))).unwrap()[0].event_id,
        forum
    );
    let set = store
        .write(|tx| set_deletion_date(tx, forum, Some("2025-06-30")))
        .unwrap();
    assert_eq!(
        (set.deletion_date.as_str(), set.deletion_date_set),
        ("2025-06-30", true)
    );
    assert!(set.due);
    let err = store
        .write(|tx| set_deletion_date(tx, forum, Some("2025-03-01")))
        .unwrap_err();
    assert!(matches!(err, CoreError::Validation(_)));
    let reset = store
        .write(|tx| set_deletion_date(tx, forum, None))
        .unwrap();
    assert_eq!(reset.deletion_date, "2027-03-13");
    // Done once no registration names a person.
    store
        .write(|tx| shred_event(tx, forum, LeftoverPersons::Loeschen))
        .unwrap();
    assert!(
        store
            .read(|c| due_events_on(c, on("2030-01-01")))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn the_auskunft_holds_every_kind_of_data_as_json_and_xlsx() {
    let mut store = Store::open_in_memory().unwrap();
    let org = kommune(&mut store);
    let forum = past_event(&mut store, "13. Forum");
    let p = new_person(&mut store, "Adler", Some(org));
    let reg = register(&mut store, forum, p);
    invite_consent(&mut store, p);
    store
        .write(|tx| attendance::check_in(tx, reg, Some("2025-03-13")))
        .unwrap();
    store
        .write(|tx| registrations::cancel(tx, reg, "krank").map(|_| ()))
        .unwrap();
    let auskunft = store.read(|c| auskunft::collect(c, p)).unwrap();
    let json = auskunft.to_json();
    assert_eq!(json["person"]["email"], "adler@example.org");
    assert_eq!(json["organisation"]["name"], "Stadt Hürth");
    assert_eq!(json["consents"][0]["purpose"], "einladungen");
    assert_eq!(json["registrations"][0]["status"], "storniert");
    assert_eq!(json["status_history"].as_array().unwrap().len(), 2);
    assert_eq!(json["attendance"][0]["state"], "anwesend");
    assert!(json["exported_at"].as_str().unwrap().len() >= 20);
    let bytes = auskunft.to_xlsx().unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut workbook = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/workbook.xml").unwrap(), &mut workbook)
        .unwrap();
    for sheet in [
        "Auskunft",
        "Person",
        "Einwilligungen",
        "Anmeldungen",
        "Statusverlauf",
        "Anwesenheit",
        "Wünsche",
        "Importe",
        "Zusammengeführt",
    ] {
        assert!(workbook.contains(&format!("name=\"{sheet}\"")), "{sheet}");
    }
}

/// A small deterministic generator (xorshift64*), so a failing history can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Property: random histories of registrations, cancellations, check-ins, merges and shredding
/// never change an event's statistics when the shredder or an erasure runs, and after erasure
/// the person's name and e-mail are nowhere in the bytes of the database file or its WAL.
#[test]
fn random_histories_keep_statistics_and_leave_no_trace_of_erased_persons() {
    let mut erased = 0;
    for seed in 1..=12u64 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("eigenschaft.db");
        let mut store = Store::open(&path).unwrap();
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let org = kommune(&mut store);
        let events = [
            past_event(&mut store, "13. Forum"),
            past_event(&mut store, "14. Forum"),
        ];
        let mut persons: Vec<(i64, String, String)> = Vec::new();
        for i in 0..8 {
            let last = format!(
                "Qz{}Wv{seed}x{i}",
                ["Kow", "Lem", "Mar", "Nol"][rng.below(4)]
            );
            let id = new_person(
                &mut store,
                &last,
                if rng.below(2) == 0 { Some(org) } else { None },
            );
            if rng.below(3) == 0 {
                invite_consent(&mut store, id);
            }
            persons.push((
                id,
                last.clone(),
                format!("{}@example.org", last.to_lowercase()),
            ));
        }
        let stats = |store: &mut Store| -> Vec<crate::statistics::EventStatistics> {
            events
                .iter()
                .map(|e| {
                    store
                        .read(|c| crate::statistics::event_statistics(c, *e))
                        .unwrap()
                })
                .collect()
        };
        let alive = |store: &mut Store, persons: &[(i64, String, String)]| -> Vec<usize> {
            (0..persons.len())
                .filter(|i| store.read(|c| people::get_person(c, persons[*i].0)).is_ok())
                .collect()
        };
        for _ in 0..40 {
            let live = alive(&mut store, &persons);
            let event = events[rng.below(2)];
            match rng.below(6) {
                0 | 1 if !live.is_empty() => {
                    let who = persons[live[rng.below(live.len())]].0;
                    let _ = store.write(|tx| {
                        registrations::register(tx, &RegisterInput::existing(event, who))
                    });
                }
                2 => {
                    let rows = store.read(|c| registrations::list(c, event)).unwrap();
                    if !rows.is_empty() {
                        let id = rows[rng.below(rows.len())].registration_id;
                        let _ = store.write(|tx| registrations::cancel(tx, id, "verhindert"));
                    }
                }
                3 => {
                    let rows = store.read(|c| registrations::list(c, event)).unwrap();
                    if !rows.is_empty() {
                        let id = rows[rng.below(rows.len())].registration_id;
                        let _ = store.write(|tx| attendance::check_in(tx, id, Some("2025-03-13")));
                    }
                }
                4 if live.len() >= 2 => {
                    let a = live[rng.below(live.len())];
                    let b = live[rng.below(live.len())];
                    if a != b {
                        let _ = store
                            .write(|tx| merge::merge_persons(tx, persons[a].0, persons[b].0, None));
                    }
                }
                _ => {
                    let before = stats(&mut store);
                    let leftover = if rng.below(2) == 0 {
                        LeftoverPersons::Loeschen
                    } else {
                        LeftoverPersons::Anonymisieren
                    };
                    store.write(|tx| shred_event(tx, event, leftover)).unwrap();
                    assert_eq!(
                        stats(&mut store),
                        before,
                        "seed {seed}: shredding changed statistics"
                    );
                }
            }
        }
        let live = alive(&mut store, &persons);
        let Some(&victim) = live.first() else {
            continue;
        };
        let (id, last, email) = persons[victim].clone();
        let person = store.read(|c| people::get_person(c, id)).unwrap();
        if person.last_name != last {
            continue; // anonymised by the shredder: nothing of the name left to find
        }
        let before = stats(&mut store);
        store.write(|tx| erase_person(tx, id)).unwrap();
        assert_eq!(
            stats(&mut store),
            before,
            "seed {seed}: erasure changed statistics"
        );
        scrub_file(store.connection()).unwrap();
        erased += 1;
        let mut bytes = std::fs::read(&path).unwrap();
        let wal = dir.path().join("eigenschaft.db-wal");
        if wal.exists() {
            bytes.extend(std::fs::read(&wal).unwrap());
        }
        let haystack = String::from_utf8_lossy(&bytes).to_lowercase();
        for needle in [
            last.to_lowercase(),
            email.clone(),
            email.split('@').next().unwrap().to_owned(),
        ] {
            assert!(
                !haystack.contains(&needle),
                "seed {seed}: „{needle}“ is still in the file"
            );
        }
    }
    assert!(erased >= 6, "only {erased} histories ended with an erasure");
}
