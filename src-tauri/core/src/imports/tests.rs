//! Tests of the import flow against an in-memory store, one fixture per importer and quirk
//! (`tests/fixtures/imports/`, invented people with example.org addresses).

use super::*;
use crate::events::{self, EventInput};
use crate::people::{self, PersonInput};
use crate::registrations::{self, RegisterInput, RegistrationStatus, sessions};
use crate::store::Store;

macro_rules! fixture {
    ($name:literal) => {
        read::read_bytes(
            $name,
            include_bytes!(concat!("../../../../tests/fixtures/imports/", $name)),
        )
        .unwrap()
    };
}

/// The online forum the attendance fixtures were "recorded" at: 13.03.2025, 10–12 Uhr.
fn forum(store: &mut Store, capacity: Option<i64>) -> i64 {
    let input = EventInput {
        starts_at: "2025-03-13 10:00".into(),
        ends_at: "2025-03-13 12:00".into(),
        capacity,
        registration_deadline: None,
        ..crate::events::tests::forum_input()
    };
    store.write(|tx| events::create(tx, input)).unwrap().id
}

fn person(first: &str, last: &str, ort: &str, email: &str) -> PersonInput {
    crate::people::tests::person(first, last, ort, email)
}

fn request(target: ImportTarget, event_id: Option<i64>) -> ImportRequest {
    ImportRequest {
        target: Some(target),
        event_id,
        ..ImportRequest::default()
    }
}

fn run(store: &mut Store, file: &SourceFile, request: &ImportRequest) -> ImportReport {
    import(store, file, request, &mut |_, _| {}).unwrap()
}

fn count(store: &Store, table: &str) -> i64 {
    store
        .connection()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_german_excel_contact_list_in_windows_1252_with_trailing_empty_rows() {
    let mut store = Store::open_in_memory().unwrap();
    let file = fixture!("kontakte_excel_cp1252.csv");
    assert_eq!(
        (file.encoding.as_str(), file.delimiter),
        ("windows-1252", Some(';'))
    );
    let report = run(&mut store, &file, &request(ImportTarget::Contacts, None));
    assert_eq!(report.format, "contacts");
    assert_eq!(report.records, 5);
    assert_eq!(report.skipped_empty, 2);
    assert_eq!(report.new_persons, 4);
    assert_eq!(report.imported, 4);
    let formula = &report.errors[0];
    assert_eq!((formula.record, formula.line), (5, 6));
    assert!(formula.message.contains("Formel"), "{}", formula.message);
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.message.contains("Ko?odziej") && w.line == 4)
    );
    let persons = people::list_persons(store.connection()).unwrap();
    let weiss = persons.iter().find(|p| p.last_name == "Weiß").unwrap();
    assert_eq!(
        weiss.organisation.as_deref(),
        Some("Partnerschaftskomitee Unna e.V.")
    );
    assert_eq!(weiss.organisation_kind, Some(people::OrgKind::Verein));
    assert_eq!(
        count(&store, "organisations"),
        3,
        "Stadt Hürth is created once"
    );
    let kleinschmidt = persons
        .iter()
        .find(|p| p.last_name == "Kleinschmidt")
        .unwrap();
    assert_eq!(
        (
            kleinschmidt.salutation.as_str(),
            kleinschmidt.title.as_str()
        ),
        ("Frau", "Dr.")
    );
}

#[test]
fn a_known_email_fills_only_empty_fields_and_a_lost_letter_never_overwrites() {
    let mut store = Store::open_in_memory().unwrap();
    let stored = store
        .write(|tx| {
            people::create_person(
                tx,
                &PersonInput {
                    function: "Kassenwart".into(),
                    ..person("Zbigniew", "Kołodziej", "", "Z.Kolodziej@Example.org")
                },
            )
        })
        .unwrap();
    let report = run(
        &mut store,
        &fixture!("kontakte_excel_cp1252.csv"),
        &request(ImportTarget::Contacts, None),
    );
    assert_eq!((report.new_persons, report.matched_persons), (3, 1));
    let after = people::get_person(store.connection(), stored.id).unwrap();
    assert_eq!(
        after.last_name, "Kołodziej",
        "the correct stored spelling stays"
    );
    assert_eq!(
        after.function, "Kassenwart",
        "a stored value is never overwritten"
    );
    assert_eq!(after.ort, "Düren", "an empty field is filled");
    assert_eq!(
        after.organisation.as_deref(),
        Some("Städtepartnerschaftsverein Düren")
    );
    let row = report
        .rows
        .iter()
        .find(|r| r.person_id == Some(stored.id))
        .unwrap();
    assert_eq!(row.state, RowState::Known);
    assert!(row.reasons[0].contains("Ort"), "{:?}", row.reasons);
}

#[test]
fn importing_the_same_file_twice_adds_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    let event = forum(&mut store, None);
    let file = fixture!("google_forms.csv");
    let first = run(
        &mut store,
        &file,
        &request(ImportTarget::Registrations, Some(event)),
    );
    assert!(first.imported > 0);
    let (persons, registrations) = (count(&store, "persons"), count(&store, "registrations"));
    let second = run(
        &mut store,
        &file,
        &request(ImportTarget::Registrations, Some(event)),
    );
    assert_eq!((second.imported, second.new_persons), (0, 0));
    assert_eq!(count(&store, "persons"), persons);
    assert_eq!(count(&store, "registrations"), registrations);
    let contacts = fixture!("kontakte_excel_cp1252.csv");
    run(
        &mut store,
        &contacts,
        &request(ImportTarget::Contacts, None),
    );
    let persons = count(&store, "persons");
    let again = run(
        &mut store,
        &contacts,
        &request(ImportTarget::Contacts, None),
    );
    assert_eq!((again.imported, count(&store, "persons")), (0, persons));
    assert!(
        again
            .rows
            .iter()
            .all(|r| matches!(r.state, RowState::Skipped | RowState::Error))
    );
}

#[test]
fn google_forms_resubmission_consent_no_and_a_possible_duplicate() {
    let mut store = Store::open_in_memory().unwrap();
    let event = forum(&mut store, None);
    let hoffmann = store
        .write(|tx| {
            people::create_person(
                tx,
                &person("Thomas", "Hoffmann", "Soest", "t.hoffmann@example.org"),
            )
        })
        .unwrap();
    let file = fixture!("google_forms.csv");
    let report = run(
        &mut store,
        &file,
        &request(ImportTarget::Registrations, Some(event)),
    );
    assert_eq!(report.format, "google_forms");
    assert_eq!(report.records, 5);
    // Ute Brand sent the form twice: the later row (record 3) wins.
    let first = &report.rows[0];
    assert_eq!(first.state, RowState::Skipped);
    assert!(first.reasons[0].contains("Datensatz 3"));
    // Karl Koch said no to Datenschutz.
    let error = report.errors.iter().find(|e| e.record == 4).unwrap();
    assert_eq!(error.field, Some(Field::ConsentPrivacy));
    assert_eq!(error.line, 5);
    // Thomas Hoffmann from Soest with another e-mail: review, created as a separate person.
    assert_eq!(report.review.len(), 1);
    assert_eq!(report.review[0].candidate_person_id, hoffmann.id);
    assert_eq!(report.review[0].record, 5);
    let twin = report.rows[4].person_id.unwrap();
    assert_ne!(twin, hoffmann.id);
    let notes = people::get_person(store.connection(), twin).unwrap().notes;
    assert!(notes.contains("Mögliche Dublette"), "{notes}");
    let duplicates = people::find_duplicates(
        store.connection(),
        &people::get_person(store.connection(), twin)
            .map(|p| person(&p.first_name, &p.last_name, &p.ort, ""))
            .unwrap(),
        Some(twin),
    )
    .unwrap();
    assert_eq!(
        duplicates[0].person.id, hoffmann.id,
        "the duplicate view shows the pair"
    );
    assert_eq!((report.imported, report.new_persons), (3, 3));
    let rows = registrations::list(store.connection(), event).unwrap();
    let ute = rows.iter().find(|r| r.last_name == "Brand").unwrap();
    assert_eq!(ute.source, registrations::Source::Import);
    let wishes: Vec<String> = store
        .connection()
        .prepare("SELECT text FROM wishes WHERE registration_id = ?1 ORDER BY id")
        .unwrap()
        .query_map([ute.registration_id], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        wishes,
        ["Partner in der Ukraine finden; Versicherung bei Reisen"]
    );
    let log: i64 = store
        .connection()
        .query_row("SELECT count(*) FROM registration_status_log", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(log, 3, "every registration went through the desk's rules");
}

#[test]
fn a_review_case_resolved_as_the_same_person_fills_that_person() {
    let mut store = Store::open_in_memory().unwrap();
    let event = forum(&mut store, None);
    let hoffmann = store
        .write(|tx| {
            people::create_person(
                tx,
                &person("Thomas", "Hoffmann", "Soest", "t.hoffmann@example.org"),
            )
        })
        .unwrap();
    let file = fixture!("google_forms.csv");
    let mut req = request(ImportTarget::Registrations, Some(event));
    let preview = preview(&mut store, &file, &req, &mut |_, _| {}).unwrap();
    assert_eq!(preview.review.len(), 1);
    assert_eq!(
        count(&store, "registrations"),
        0,
        "the preview writes nothing"
    );
    assert_eq!(count(&store, "import_runs"), 0);
    req.decisions.push(ReviewDecision {
        record: preview.review[0].record,
        same_person_id: Some(hoffmann.id),
    });
    let report = run(&mut store, &file, &req);
    assert!(report.review.is_empty());
    assert_eq!((report.new_persons, report.matched_persons), (2, 1));
    let rows = registrations::list(store.connection(), event).unwrap();
    assert!(rows.iter().any(|r| r.person_id == Some(hoffmann.id)));
}

#[test]
fn wpforms_multi_line_workshops_wishes_consent_label_and_the_waiting_list() {
    let mut store = Store::open_in_memory().unwrap();
    let event = forum(&mut store, Some(2));
    let session = |name: &str, from: &str, to: &str| sessions::SessionInput {
        name: name.into(),
        starts_at: format!("2025-03-13 {from}"),
        ends_at: format!("2025-03-13 {to}"),
        room: String::new(),
        capacity: None,
    };
    let (jugend, foerder) = store
        .write(|tx| {
            Ok((
                sessions::create_session(
                    tx,
                    event,
                    &session("Workshop Jugendaustausch", "10:30", "11:00"),
                )?
                .id,
                sessions::create_session(
                    tx,
                    event,
                    &session("Workshop Fördermittel", "11:00", "11:30"),
                )?
                .id,
            ))
        })
        .unwrap();
    let weiss = store
        .write(|tx| {
            people::create_person(tx, &person("Jörg", "Weiß", "", "joerg.weiss@example.org"))
        })
        .unwrap();
    let file = fixture!("wpforms_bom.csv");
    assert!(file.bom);
    let report = run(
        &mut store,
        &file,
        &request(ImportTarget::Registrations, Some(event)),
    );
    assert_eq!(report.format, "registrations");
    assert_eq!(report.records, 4);
    // Mehmet left the required consent empty.
    assert!(
        report
            .errors
            .iter()
            .any(|e| e.record == 3 && e.field == Some(Field::ConsentPrivacy))
    );
    let rows = registrations::list(store.connection(), event).unwrap();
    let berg = rows.iter().find(|r| r.last_name == "von Berg").unwrap();
    assert_eq!(
        (berg.title.as_str(), berg.first_name.as_str()),
        ("Prof. Dr.", "Anna-Lena")
    );
    let mut booked = berg.session_ids.clone();
    booked.sort();
    assert_eq!(booked, [jugend, foerder]);
    let known = rows.iter().find(|r| r.person_id == Some(weiss.id)).unwrap();
    assert_eq!(known.status, RegistrationStatus::Angemeldet);
    let dubois = rows.iter().find(|r| r.last_name == "Dubois").unwrap();
    assert_eq!(
        dubois.status,
        RegistrationStatus::Warteliste,
        "capacity 2: the third waits"
    );
    assert_eq!(dubois.waitlist_position, Some(1));
    let wishes: i64 = store
        .connection()
        .query_row(
            "SELECT count(*) FROM wishes WHERE registration_id = ?1",
            [dubois.registration_id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(wishes, 2, "a multi-line answer is one wish per line");
    let consents: String = store
        .connection()
        .query_row(
            "SELECT consents FROM import_rows WHERE registration_id = ?1",
            [berg.registration_id],
            |r| r.get(0),
        )
        .unwrap();
    assert!(consents.contains("\"privacy\":true"), "{consents}");
    // … and recorded as the person's consent, source "Import".
    let recorded = store
        .read(|c| crate::people::consents::consents_of(c, berg.person_id.unwrap()))
        .unwrap();
    let privacy = recorded
        .iter()
        .find(|c| c.purpose == crate::people::consents::Purpose::Datenschutz)
        .expect("the privacy consent is recorded");
    assert_eq!(
        (privacy.state, privacy.source),
        (
            crate::people::consents::ConsentState::Erteilt,
            crate::people::consents::ConsentSource::Import
        )
    );
}

#[test]
fn contact_form_7_security_alert_formula_names_and_newest_first() {
    let mut store = Store::open_in_memory().unwrap();
    let event = forum(&mut store, None);
    let report = run(
        &mut store,
        &fixture!("cf7_flamingo.csv"),
        &request(ImportTarget::Registrations, Some(event)),
    );
    assert_eq!(report.format, "contact_form_7");
    let formula = report.errors.iter().find(|e| e.record == 2).unwrap();
    assert!(formula.message.contains("Formel"));
    // The older submission (record 3, 16.02.) loses against the newer one on top.
    assert_eq!(report.rows[2].state, RowState::Skipped);
    let rows = registrations::list(store.connection(), event).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0].comment, "-- bitte vegetarisch",
        "free text stays text"
    );
}

#[test]
fn a_summary_block_above_the_header_and_multi_line_remarks() {
    let mut store = Store::open_in_memory().unwrap();
    let event = forum(&mut store, None);
    let report = run(
        &mut store,
        &fixture!("gravity_summary_semicolon.csv"),
        &request(ImportTarget::Registrations, Some(event)),
    );
    assert_eq!(report.header_line, 4);
    assert_eq!((report.records, report.skipped_empty), (2, 2));
    assert_eq!(report.rows[1].line, 7, "the record after a two-line cell");
    let rows = registrations::list(store.connection(), event).unwrap();
    let inge = rows.iter().find(|r| r.first_name == "Inge").unwrap();
    assert_eq!(inge.comment, "Ich komme\netwas später");
}

#[test]
fn utf16_big_endian_with_a_combined_name_column() {
    let mut store = Store::open_in_memory().unwrap();
    let file = fixture!("kontakte_utf16be.txt");
    assert_eq!(
        (file.encoding.as_str(), file.delimiter),
        ("UTF-16BE", Some('\t'))
    );
    let report = run(&mut store, &file, &request(ImportTarget::Contacts, None));
    assert_eq!(report.new_persons, 2);
    let persons = people::list_persons(store.connection()).unwrap();
    let ute = persons.iter().find(|p| p.first_name == "Ute").unwrap();
    assert_eq!(ute.last_name, "Berg");
    assert_eq!(ute.organisation.as_deref(), Some("Stadt Bergheim"));
}

/// A Microsoft Forms export: the "E-Mail" column is the anonymous account, the e-mail question
/// is found by content; the completion time is an Excel date.
fn microsoft_forms_xlsx() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let header = [
        "ID",
        "Startzeit",
        "Fertigstellungszeit",
        "E-Mail",
        "Name",
        "Ihre E-Mail-Adresse",
        "Kommune",
        "Datenschutz",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let date = rust_xlsxwriter::Format::new().set_num_format("dd.mm.yyyy hh:mm");
    let rows = [
        ("Ute Brand", "ute.brand@example.org", "Stadt Unna"),
        ("Olena Kovalenko", "olena.kovalenko@example.org", "Dortmund"),
    ];
    for (i, (name, email, kommune)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write_number(r, 0, f64::from(r)).unwrap();
        sheet
            .write_number_with_format(r, 1, 45707.5, &date)
            .unwrap();
        sheet
            .write_number_with_format(r, 2, 45707.5868055556, &date)
            .unwrap();
        sheet.write_string(r, 3, "anonymous").unwrap();
        sheet.write_string(r, 4, *name).unwrap();
        sheet.write_string(r, 5, *email).unwrap();
        sheet.write_string(r, 6, *kommune).unwrap();
        sheet.write_string(r, 7, "Ja").unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn microsoft_forms_xlsx_decides_the_email_column_by_content() {
    let mut store = Store::open_in_memory().unwrap();
    let event = forum(&mut store, None);
    let file = read::read_bytes("antworten.xlsx", &microsoft_forms_xlsx()).unwrap();
    assert_eq!((file.encoding.as_str(), file.delimiter), ("xlsx", None));
    assert_eq!(file.rows[1].cells[2], "2025-02-19 14:05:00");
    let report = run(
        &mut store,
        &file,
        &request(ImportTarget::Registrations, Some(event)),
    );
    assert_eq!(report.format, "microsoft_forms");
    assert_eq!(report.mapping.column(Field::Email), Some(5));
    assert_eq!(report.imported, 2);
    let rows = registrations::list(store.connection(), event).unwrap();
    assert!(rows.iter().all(|r| r.email.ends_with("@example.org")));
}

#[test]
fn inspecting_shows_format_encoding_header_and_a_sample() {
    let store = Store::open_in_memory().unwrap();
    let file = fixture!("zoom_en_summary.csv");
    let seen = inspect(
        store.connection(),
        &file,
        &request(ImportTarget::Attendance, Some(1)),
    )
    .unwrap();
    assert_eq!((seen.importer_id.as_str(), seen.header_line), ("zoom", 4));
    assert_eq!(seen.sniffed[0].importer_id, "zoom");
    assert_eq!(seen.delimiter.as_deref(), Some(","));
    assert_eq!(seen.sample.len(), 6);
    assert_eq!(seen.mapping.column(Field::JoinTime), Some(2));
}

#[test]
fn a_saved_mapping_is_offered_again_for_the_same_header_row() {
    let mut store = Store::open_in_memory().unwrap();
    let event = forum(&mut store, None);
    let file = fixture!("gravity_summary_semicolon.csv");
    let req = request(ImportTarget::Registrations, Some(event));
    let prepared = prepare(store.connection(), &file, &req).unwrap();
    let mut mapping = prepared.mapping.clone();
    mapping.fields[4] = None; // no remarks, please
    store
        .write(|tx| {
            mapping::save_mapping(
                tx,
                ImportTarget::Registrations,
                "Anmeldeformular Website",
                &mapping,
            )
        })
        .unwrap();
    let again = prepare(store.connection(), &file, &req).unwrap();
    assert_eq!(again.saved_mappings, ["Anmeldeformular Website"]);
    assert_eq!(again.mapping.fields[4], None);
    let named = ImportRequest {
        mapping_name: Some("anmeldeformular website".into()),
        ..req.clone()
    };
    assert_eq!(
        prepare(store.connection(), &file, &named).unwrap().mapping,
        mapping
    );
    let unknown = ImportRequest {
        mapping_name: Some("Gibt es nicht".into()),
        ..req
    };
    assert!(
        prepare(store.connection(), &file, &unknown)
            .unwrap_err()
            .to_string()
            .contains("Gibt es nicht")
    );
}

#[test]
fn undo_deletes_what_the_last_import_created_and_restores_filled_fields() {
    let mut store = Store::open_in_memory().unwrap();
    let event = forum(&mut store, Some(2));
    let weiss = store
        .write(|tx| {
            people::create_person(tx, &person("Jörg", "Weiß", "", "joerg.weiss@example.org"))
        })
        .unwrap();
    let waiting = store
        .write(|tx| {
            people::create_person(
                tx,
                &person("Inge", "Schäfer", "Bocholt", "inge@example.org"),
            )
        })
        .unwrap();
    let (organisations, persons) = (count(&store, "organisations"), count(&store, "persons"));
    let report = run(
        &mut store,
        &fixture!("wpforms_bom.csv"),
        &request(ImportTarget::Registrations, Some(event)),
    );
    assert_eq!(report.imported, 3);
    // After the import, someone else joins the waiting list at the desk.
    store
        .write(|tx| registrations::register(tx, &RegisterInput::existing(event, waiting.id)))
        .unwrap();
    let undo = store.write(history::undo_last).unwrap();
    assert_eq!(
        (undo.registrations, undo.persons, undo.restored_persons),
        (3, 2, 1)
    );
    assert_eq!(count(&store, "persons"), persons);
    assert_eq!(count(&store, "organisations"), organisations);
    assert_eq!(
        people::get_person(store.connection(), weiss.id)
            .unwrap()
            .ort,
        ""
    );
    let rows = registrations::list(store.connection(), event).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0].status,
        RegistrationStatus::Nachgerueckt,
        "the freed place went to the waiting list"
    );
    // The same file can be imported again after undo.
    let again = run(
        &mut store,
        &fixture!("wpforms_bom.csv"),
        &request(ImportTarget::Registrations, Some(event)),
    );
    assert_eq!(again.imported, 3);
    store.write(history::undo_last).unwrap();
    let err = store.write(history::undo_last).unwrap_err();
    assert!(err.to_string().contains("keinen Import"), "{err}");
}

#[test]
fn undo_refuses_when_an_imported_row_was_changed_since() {
    let mut store = Store::open_in_memory().unwrap();
    let event = forum(&mut store, None);
    run(
        &mut store,
        &fixture!("cf7_flamingo.csv"),
        &request(ImportTarget::Registrations, Some(event)),
    );
    let id = registrations::list(store.connection(), event).unwrap()[0].registration_id;
    store
        .connection()
        .execute("UPDATE registrations SET comment = 'geändert', updated_at = '2999-01-01T00:00:00Z' WHERE id = ?1", [id])
        .unwrap();
    let err = store.write(history::undo_last).unwrap_err();
    assert!(err.to_string().contains("seitdem geändert"), "{err}");
    assert_eq!(count(&store, "registrations"), 1);
}

/// Registers Ute Brand and Olena Kovalenko for the forum.
fn forum_with_two(store: &mut Store) -> (i64, i64, i64) {
    let event = forum(store, None);
    let ids = store
        .write(|tx| {
            let ute = people::create_person(
                tx,
                &person("Ute", "Brand", "Unna", "ute.brand@example.org"),
            )?
            .id;
            let olena = people::create_person(
                tx,
                &person(
                    "Olena",
                    "Kovalenko",
                    "Dortmund",
                    "olena.kovalenko@example.org",
                ),
            )?
            .id;
            registrations::register(tx, &RegisterInput::existing(event, ute))?;
            registrations::register(tx, &RegisterInput::existing(event, olena))?;
            Ok((ute, olena))
        })
        .unwrap();
    (event, ids.0, ids.1)
}

fn minutes_of(report: &ImportReport, person: i64) -> (i64, bool) {
    let p = report
        .participants
        .iter()
        .find(|p| p.person_id == person)
        .unwrap();
    (p.minutes, p.present)
}

#[test]
fn zoom_english_with_summary_block_waiting_room_and_parallel_devices() {
    let mut store = Store::open_in_memory().unwrap();
    let (event, ute, olena) = forum_with_two(&mut store);
    let report = run(
        &mut store,
        &fixture!("zoom_en_summary.csv"),
        &request(ImportTarget::Attendance, Some(event)),
    );
    assert_eq!(report.format, "zoom");
    assert_eq!(report.header_line, 4);
    assert_eq!(report.records, 6);
    assert_eq!(report.min_minutes, Some(60));
    // 09:59:30–11:10 and the iPad 10:45–11:58, clipped to 10:00: one span of 118 minutes.
    assert_eq!(minutes_of(&report, ute), (118, true));
    assert_eq!(
        minutes_of(&report, olena),
        (20, false),
        "matched by name without e-mail"
    );
    let unmatched: Vec<&str> = report
        .unmatched
        .iter()
        .map(|u| u.display_name.as_str())
        .collect();
    assert_eq!(unmatched, ["Netzwerkstelle (Host)", "+49 2233 555"]);
    assert!(
        report
            .rows
            .iter()
            .any(|r| r.state == RowState::Skipped && r.reasons[0].contains("Warteraum"))
    );
    let rows = registrations::list(store.connection(), event).unwrap();
    let ute_row = rows.iter().find(|r| r.person_id == Some(ute)).unwrap();
    assert_eq!(ute_row.minutes, Some(118));
    assert_eq!(
        ute_row.day_state("2025-03-13"),
        Some(registrations::attendance::AttendanceState::Anwesend)
    );
    let olena_row = rows.iter().find(|r| r.person_id == Some(olena)).unwrap();
    assert_eq!(
        olena_row.day_state("2025-03-13"),
        Some(registrations::attendance::AttendanceState::Abwesend)
    );
    // Importing the same report again adds nothing.
    let again = run(
        &mut store,
        &fixture!("zoom_en_summary.csv"),
        &request(ImportTarget::Attendance, Some(event)),
    );
    assert_eq!(again.imported, 0);
}

#[test]
fn zoom_german_with_last_name_first_and_german_dates() {
    let mut store = Store::open_in_memory().unwrap();
    let (event, ute, olena) = forum_with_two(&mut store);
    let mut req = request(ImportTarget::Attendance, Some(event));
    req.min_minutes = Some(20);
    let report = run(&mut store, &fixture!("zoom_de.csv"), &req);
    assert_eq!(report.format, "zoom");
    assert_eq!(minutes_of(&report, ute), (115, true));
    assert_eq!(minutes_of(&report, olena), (28, true));
}

#[test]
fn teams_german_utf16_sections_use_the_activities() {
    let mut store = Store::open_in_memory().unwrap();
    let (event, ute, olena) = forum_with_two(&mut store);
    let file = fixture!("teams_de_utf16.csv");
    assert_eq!(
        (file.encoding.as_str(), file.delimiter),
        ("UTF-16LE", Some('\t'))
    );
    let report = run(
        &mut store,
        &file,
        &request(ImportTarget::Attendance, Some(event)),
    );
    assert_eq!(report.format, "teams");
    assert_eq!(minutes_of(&report, ute), (118, true));
    assert_eq!(
        minutes_of(&report, olena),
        (35, false),
        "two joins, 15 + 20 minutes"
    );
    assert_eq!(report.unmatched.len(), 1);
}

#[test]
fn teams_english_without_bom_caps_by_the_in_meeting_duration() {
    let mut store = Store::open_in_memory().unwrap();
    let (event, ute, _) = forum_with_two(&mut store);
    let file = fixture!("teams_en_utf16_nobom.csv");
    assert_eq!((file.encoding.as_str(), file.bom), ("UTF-16LE", false));
    let report = run(
        &mut store,
        &file,
        &request(ImportTarget::Attendance, Some(event)),
    );
    assert_eq!(report.format, "teams");
    assert_eq!(minutes_of(&report, ute), (62, true));
}

#[test]
fn the_older_teams_log_and_a_generic_table() {
    let mut store = Store::open_in_memory().unwrap();
    let (event, ute, olena) = forum_with_two(&mut store);
    let report = run(
        &mut store,
        &fixture!("teams_log_de.csv"),
        &request(ImportTarget::Attendance, Some(event)),
    );
    assert_eq!(report.format, "teams_log");
    assert_eq!(minutes_of(&report, ute), (90, true));
    assert_eq!(minutes_of(&report, olena), (10, false));
    let report = run(
        &mut store,
        &fixture!("attendance_generic.csv"),
        &request(ImportTarget::Attendance, Some(event)),
    );
    assert_eq!(report.format, "attendance_csv");
    assert_eq!(
        minutes_of(&report, ute),
        (80, true),
        "overlapping rows count once"
    );
    assert_eq!(report.unmatched[0].display_name, "Referent Extern");
    // Undo of the last attendance import puts back the marks of the one before.
    store.write(history::undo_last).unwrap();
    let rows = registrations::list(store.connection(), event).unwrap();
    assert_eq!(
        rows.iter()
            .find(|r| r.person_id == Some(ute))
            .unwrap()
            .minutes,
        Some(90)
    );
}

#[test]
fn a_manual_match_is_remembered_for_the_next_report() {
    let mut store = Store::open_in_memory().unwrap();
    let (event, ute, _) = forum_with_two(&mut store);
    let mut req = request(ImportTarget::Attendance, Some(event));
    req.manual_matches.push(ManualMatch {
        display_name: "+49 2233 555".into(),
        person_id: ute,
    });
    run(&mut store, &fixture!("zoom_en_summary.csv"), &req);
    let aliases = count(&store, "person_aliases");
    assert_eq!(aliases, 1);
    let next = forum(&mut store, None);
    store
        .write(|tx| registrations::register(tx, &RegisterInput::existing(next, ute)))
        .unwrap();
    let report = run(
        &mut store,
        &fixture!("zoom_en_summary.csv"),
        &request(ImportTarget::Attendance, Some(next)),
    );
    assert!(
        report
            .unmatched
            .iter()
            .all(|u| u.display_name != "+49 2233 555")
    );
}

#[test]
fn files_that_are_not_tables_are_german_errors() {
    let mut store = Store::open_in_memory().unwrap();
    let file = read::read_bytes(
        "notiz.txt",
        "Liebe Kolleginnen,\nanbei die Liste.\n".as_bytes(),
    )
    .unwrap();
    let err = import(
        &mut store,
        &file,
        &request(ImportTarget::Contacts, None),
        &mut |_, _| {},
    )
    .unwrap_err();
    assert!(err.to_string().contains("keine Kopfzeile"), "{err}");
    let event = forum(&mut store, None);
    let contacts = fixture!("kontakte_excel_cp1252.csv");
    let err = import(
        &mut store,
        &contacts,
        &request(ImportTarget::Attendance, Some(event)),
        &mut |_, _| {},
    )
    .unwrap_err();
    assert!(matches!(err, CoreError::InvalidFile { .. }), "{err}");
}

#[test]
fn every_importer_is_described_and_sniffing_picks_the_right_one() {
    let infos = importer_infos();
    assert!(
        infos
            .iter()
            .all(|i| !i.label.is_empty() && !i.fields.is_empty())
    );
    let ids: Vec<&str> = infos.iter().map(|i| i.id.as_str()).collect();
    for id in [
        "contacts",
        "registrations",
        "zoom",
        "teams",
        "teams_log",
        "attendance_csv",
    ] {
        assert!(ids.contains(&id), "{id}");
    }
    let best = |file: &SourceFile, target| sniff(file, target)[0].importer_id.clone();
    assert_eq!(
        best(&fixture!("zoom_de.csv"), ImportTarget::Attendance),
        "zoom"
    );
    assert_eq!(
        best(&fixture!("teams_de_utf16.csv"), ImportTarget::Attendance),
        "teams"
    );
    assert_eq!(
        best(
            &fixture!("attendance_generic.csv"),
            ImportTarget::Attendance
        ),
        "attendance_csv"
    );
    assert_eq!(
        best(&fixture!("wpforms_bom.csv"), ImportTarget::Registrations),
        "registrations"
    );
}

/// A tiny deterministic generator (xorshift), so the test needs no extra crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn random_bytes_and_truncated_files_never_panic() {
    let mut store = Store::open_in_memory().unwrap();
    let event = forum(&mut store, None);
    let fixtures: Vec<&[u8]> = vec![
        include_bytes!("../../../../tests/fixtures/imports/kontakte_excel_cp1252.csv"),
        include_bytes!("../../../../tests/fixtures/imports/wpforms_bom.csv"),
        include_bytes!("../../../../tests/fixtures/imports/google_forms.csv"),
        include_bytes!("../../../../tests/fixtures/imports/zoom_en_summary.csv"),
        include_bytes!("../../../../tests/fixtures/imports/teams_de_utf16.csv"),
        include_bytes!("../../../../tests/fixtures/imports/teams_log_de.csv"),
    ];
    let xlsx = microsoft_forms_xlsx();
    let mut inputs: Vec<Vec<u8>> = Vec::new();
    for f in fixtures.iter().copied().chain([xlsx.as_slice()]) {
        for cut in (0..f.len()).step_by(f.len() / 25 + 1) {
            inputs.push(f[..cut].to_vec());
        }
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..150 {
        let len = (rng.next() % 600) as usize;
        let alphabet = b";,\t\"\n\r aZ\xc3\xa4\x00\xff\xfe=@+-?0123456789:/.";
        let soup: Vec<u8> = (0..len)
            .map(|_| {
                let r = rng.next();
                if r.is_multiple_of(3) {
                    (r >> 8) as u8
                } else {
                    alphabet[(r >> 16) as usize % alphabet.len()]
                }
            })
            .collect();
        inputs.push(soup);
    }
    let mut corrupt = xlsx.clone();
    for i in (100..corrupt.len()).step_by(97) {
        corrupt[i] ^= 0x5a;
    }
    inputs.push(corrupt);
    for bytes in inputs {
        let Ok(file) = read::read_bytes("x.csv", &bytes) else {
            continue;
        };
        for target in [
            ImportTarget::Contacts,
            ImportTarget::Registrations,
            ImportTarget::Attendance,
        ] {
            let req = request(target, Some(event));
            let _ = preview(&mut store, &file, &req, &mut |_, _| {});
        }
    }
    assert_eq!(count(&store, "persons"), 0, "previews never write");
}

#[test]
fn the_online_proof_lists_minutes_first_join_and_last_leave() {
    use calamine::{Data, Reader};
    let mut store = Store::open_in_memory().unwrap();
    let (event, _, _) = forum_with_two(&mut store);
    run(
        &mut store,
        &fixture!("zoom_en_summary.csv"),
        &request(ImportTarget::Attendance, Some(event)),
    );
    let request = crate::exports::ExportRequest::new("online_attendance", event);
    let rendered = crate::exports::render(store.connection(), &request).unwrap();
    assert_eq!(rendered.rows, 1, "only the present person by default");
    let mut book =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(rendered.bytes)).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) => f.to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    let ute = rows
        .iter()
        .find(|r| r.get(1).is_some_and(|c| c == "Brand"))
        .unwrap();
    assert_eq!(&ute[4..7], ["13.03.2025 10:00", "13.03.2025 11:58", "118"]);
    assert!(
        rows.iter()
            .any(|r| r.iter().any(|c| c.contains("Richtigkeit bestätigt")))
    );
    let participants = crate::exports::ExportRequest {
        options: [(
            "columns".to_owned(),
            serde_json::json!(["last_name", "online_minutes"]),
        )]
        .into_iter()
        .collect(),
        ..crate::exports::ExportRequest::new("participants", event)
    };
    assert!(crate::exports::render(store.connection(), &participants).is_ok());
}

#[test]
fn newer_zoom_exports_in_sentence_case_and_a_pretix_list() {
    let mut store = Store::open_in_memory().unwrap();
    let (event, ute, _) = forum_with_two(&mut store);
    let report = run(
        &mut store,
        &fixture!("zoom_en_sentence_case.csv"),
        &request(ImportTarget::Attendance, Some(event)),
    );
    assert_eq!((report.format.as_str(), report.header_line), ("zoom", 4));
    assert_eq!(minutes_of(&report, ute), (60, true));
    assert_eq!(report.unmatched[0].display_name, "Attendee 7 (Olena K.)");
    let report = run(
        &mut store,
        &fixture!("pretix_orders.csv"),
        &request(ImportTarget::Registrations, Some(event)),
    );
    assert_eq!(
        (report.imported, report.new_persons, report.matched_persons),
        (1, 1, 1)
    );
    let rows = registrations::list(store.connection(), event).unwrap();
    let jutta = rows.iter().find(|r| r.last_name == "Kleinschmidt").unwrap();
    assert_eq!(
        (jutta.title.as_str(), jutta.organisation.as_deref()),
        ("Dr.", Some("Stadt Hürth"))
    );
}

#[test]
fn a_two_day_online_training_gets_minutes_per_day() {
    let mut store = Store::open_in_memory().unwrap();
    let input = EventInput {
        starts_at: "2024-11-29 10:00".into(),
        ends_at: "2024-11-30 16:00".into(),
        capacity: None,
        registration_deadline: None,
        ..crate::events::tests::forum_input()
    };
    let event = store.write(|tx| events::create(tx, input)).unwrap().id;
    let ute = store
        .write(|tx| {
            let id = people::create_person(
                tx,
                &person("Ute", "Brand", "Unna", "ute.brand@example.org"),
            )?
            .id;
            registrations::register(tx, &RegisterInput::existing(event, id))?;
            Ok(id)
        })
        .unwrap();
    let csv = "Name;E-Mail;Beitritt;Verlassen\n\
               Ute Brand;ute.brand@example.org;29.11.2024 09:30;29.11.2024 16:30\n\
               Ute Brand;ute.brand@example.org;30.11.2024 10:00;30.11.2024 11:00\n";
    let file = read::read_bytes("training.csv", csv.as_bytes()).unwrap();
    let report = run(
        &mut store,
        &file,
        &request(ImportTarget::Attendance, Some(event)),
    );
    assert_eq!(report.min_minutes, Some(180), "half of 10–16 Uhr");
    assert_eq!(minutes_of(&report, ute), (360 + 60, true));
    let row = &registrations::list(store.connection(), event).unwrap()[0];
    use registrations::attendance::AttendanceState::{Abwesend, Anwesend};
    assert_eq!(row.day_state("2024-11-29"), Some(Anwesend));
    assert_eq!(
        row.day_state("2024-11-30"),
        Some(Abwesend),
        "one hour of six"
    );
}

#[test]
fn teams_with_an_empty_activities_section_uses_the_participants() {
    let mut store = Store::open_in_memory().unwrap();
    let (event, ute, _) = forum_with_two(&mut store);
    let text = "1. Summary\nMeeting title\tForum\n\n2. Participants\n\
                Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tRole\n\
                Ute Brand\t3/13/25, 10:00:00 AM\t3/13/25, 11:30:00 AM\t1h 30m 0s\tute.brand@example.org\tAttendee\n\n\
                3. In-Meeting Activities\nName\tJoin Time\tLeave Time\tDuration\tEmail\tRole\n";
    let file = read::read_bytes("teams.csv", text.as_bytes()).unwrap();
    let report = run(
        &mut store,
        &file,
        &request(ImportTarget::Attendance, Some(event)),
    );
    assert_eq!(report.format, "teams");
    assert_eq!(minutes_of(&report, ute), (90, true));
}

#[test]
fn salutations_are_normalised() {
    let mut store = Store::open_in_memory().unwrap();
    let csv = "Anrede;Vorname;Nachname\nFr.;Ute;Brand\nHerr;Jörg;Weiß\nDivers;Kim;Berg\n";
    let file = read::read_bytes("k.csv", csv.as_bytes()).unwrap();
    run(&mut store, &file, &request(ImportTarget::Contacts, None));
    let salutations: Vec<String> = people::list_persons(store.connection())
        .unwrap()
        .into_iter()
        .map(|p| p.salutation)
        .collect();
    assert_eq!(
        salutations,
        ["", "Frau", "Herr"],
        "sorted by last name: Berg, Brand, Weiß"
    );
}
