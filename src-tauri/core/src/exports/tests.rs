//! End-to-end tests of the exporters: files are rendered from the demo data (or a crafted
//! event), read back with calamine, and their print setup is checked in the xlsx XML.

use std::io::{Cursor, Read};

use calamine::{Data, DataType, Range, Reader, Xlsx, open_workbook_from_rs};
use serde_json::json;

use super::*;
use crate::events::tests::forum_input;
use crate::people::{self, tests::person};
use crate::registrations::{self, RegisterInput};

fn demo() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    crate::imports::seeds::seed_demo(&mut store).unwrap();
    store
}

/// The demo event whose title starts with `prefix`.
fn event_id(store: &Store, prefix: &str) -> i64 {
    events::list(store.connection())
        .unwrap()
        .into_iter()
        .find(|e| e.title.starts_with(prefix))
        .unwrap_or_else(|| panic!("no demo event „{prefix}…“"))
        .id
}

fn request(exporter: &str, event_id: i64, options: serde_json::Value) -> ExportRequest {
    ExportRequest {
        options: options.as_object().unwrap().clone(),
        ..ExportRequest::new(exporter, event_id)
    }
}

fn render_ok(store: &Store, request: &ExportRequest) -> Rendered {
    render(store.connection(), request).unwrap()
}

fn sheet(bytes: &[u8], name: &str) -> Range<Data> {
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    workbook.worksheet_range(name).unwrap()
}

fn sheet_names(bytes: &[u8]) -> Vec<String> {
    let workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    workbook.sheet_names()
}

/// The text of one part of the xlsx package.
fn xml(bytes: &[u8], part: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    archive
        .by_name(part)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The first `<name …>` start tag in `xml`.
fn element<'a>(xml: &'a str, name: &str) -> &'a str {
    let start = xml
        .find(&format!("<{name} "))
        .unwrap_or_else(|| panic!("no <{name}>"));
    let end = start + xml[start..].find('>').unwrap();
    &xml[start..=end]
}

fn text(range: &Range<Data>, row: u32, col: u32) -> String {
    match range.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn header_row(range: &Range<Data>) -> Vec<String> {
    (0..range.width() as u32)
        .map(|c| text(range, 0, c))
        .collect()
}

fn column(range: &Range<Data>, header: &str) -> u32 {
    header_row(range)
        .iter()
        .position(|h| h == header)
        .unwrap_or_else(|| panic!("no column {header}")) as u32
}

#[test]
fn the_registry_describes_every_exporter_with_valid_defaults() {
    let infos = exporter_infos();
    let ids: Vec<&str> = infos.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "participants",
            "attendance",
            "online_attendance",
            "wishes",
            "invitations"
        ]
    );
    for (info, exporter) in infos.iter().zip(registry()) {
        assert!(!info.label.is_empty() && !info.description.is_empty());
        let defaults = ExportOptions::resolve(&info.label, &info.options, &RawOptions::new());
        assert!(defaults.is_ok(), "{}: defaults invalid", info.id);
        assert_eq!(exporter.id(), info.id);
    }
    let err = find("badges").err().unwrap();
    assert_eq!(
        err.to_string(),
        "Unbekannte Exportart „badges“ (möglich: participants, attendance, online_attendance, wishes, invitations)."
    );
}

#[test]
fn participant_list_has_default_columns_sorted_rows_and_real_dates() {
    let store = demo();
    let forum = event_id(&store, "13. Forum");
    let rendered = render_ok(&store, &ExportRequest::new("participants", forum));
    let range = sheet(&rendered.bytes, "Teilnehmende");
    assert_eq!(
        header_row(&range),
        [
            "Nr.",
            "Anrede",
            "Nachname",
            "Vorname",
            "Organisation",
            "Art der Organisation",
            "Ort/Kommune",
            "Status",
            "Angemeldet am",
            "Erstteilnahme",
            "Anwesenheit 13.03.2025",
        ],
        "no Workshops column for an event without workshops"
    );
    let listed = registrations::list(store.connection(), forum).unwrap();
    let counted: Vec<_> = listed.iter().filter(|r| r.status.is_counted()).collect();
    assert_eq!(rendered.rows, counted.len(), "cancelled ones are left out");
    assert_eq!(range.height(), counted.len() + 1);

    let names: Vec<(String, String)> = (1..range.height() as u32)
        .map(|r| (text(&range, r, 2), text(&range, r, 3)))
        .collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|(last, first)| (crate::store::fold(last), crate::store::fold(first)));
    assert_eq!(names, sorted, "sorted by Nachname, Vorname");
    assert_eq!(range.get_value((1, 0)), Some(&Data::Float(1.0)));

    let first = counted[0];
    assert_eq!(text(&range, 1, 2), first.last_name);
    let date_col = column(&range, "Angemeldet am");
    let cell = range.get_value((1, date_col)).unwrap();
    assert!(cell.is_datetime(), "Angemeldet am is a date, got {cell:?}");
    assert_eq!(
        cell.as_date(),
        Some(wording::berlin_date(&first.registered_at).unwrap())
    );
    let styles = xml(&rendered.bytes, "xl/styles.xml");
    assert!(styles.contains(r#"formatCode="dd.mm.yyyy""#));
}

#[test]
fn participant_list_is_an_excel_table_with_frozen_header_and_fitted_widths() {
    let store = demo();
    let forum = event_id(&store, "13. Forum");
    let rendered = render_ok(&store, &ExportRequest::new("participants", forum));
    let table = xml(&rendered.bytes, "xl/tables/table1.xml");
    assert!(table.contains(r#"name="Teilnehmende""#));
    assert!(table.contains("<autoFilter"));
    assert!(table.contains(r#"showRowStripes="1""#));
    let sheet_xml = xml(&rendered.bytes, "xl/worksheets/sheet1.xml");
    assert!(
        sheet_xml.contains(
            r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
        )
    );
    assert!(sheet_xml.contains("<col "), "column widths are set");
    assert!(sheet_xml.contains(r#"orientation="landscape""#));
}

#[test]
fn workshops_and_one_attendance_column_per_day_are_filled() {
    let store = demo();
    let tag = event_id(&store, "6. Tag");
    let rendered = render_ok(&store, &ExportRequest::new("participants", tag));
    let range = sheet(&rendered.bytes, "Teilnehmende");
    let workshops = column(&range, "Workshops");
    let with_workshop = (1..range.height() as u32)
        .filter(|r| !text(&range, *r, workshops).is_empty())
        .count();
    assert!(with_workshop > 0, "someone chose a workshop");

    let training = event_id(&store, "Fit für die Zukunft");
    let options = json!({"columns": ["last_name", "first_name", "attendance"]});
    let rendered = render_ok(&store, &request("participants", training, options));
    let range = sheet(&rendered.bytes, "Teilnehmende");
    assert_eq!(
        header_row(&range),
        [
            "Nachname",
            "Vorname",
            "Anwesenheit 29.11.2024",
            "Anwesenheit 30.11.2024"
        ]
    );
    let rows = registrations::list(store.connection(), training).unwrap();
    let first = rows.iter().find(|r| r.status.is_counted()).unwrap();
    let expected = first
        .day_state("2024-11-30")
        .map(|s| s.label().to_owned())
        .unwrap_or_default();
    assert_eq!(text(&range, 1, 3), expected);
}

#[test]
fn status_filter_and_waiting_list_positions() {
    let store = demo();
    let next = event_id(&store, "15. Forum");
    let options = json!({"statuses": ["warteliste"], "columns": ["last_name", "status"]});
    let rendered = render_ok(&store, &request("participants", next, options));
    let range = sheet(&rendered.bytes, "Teilnehmende");
    assert_eq!(rendered.rows, 3);
    let mut statuses: Vec<String> = (1..4).map(|r| text(&range, r, 1)).collect();
    statuses.sort();
    assert_eq!(
        statuses,
        ["Warteliste (1)", "Warteliste (2)", "Warteliste (3)"]
    );
}

#[test]
fn statistics_sheet_counts_status_kinds_first_timers_and_days() {
    let store = demo();
    let training = event_id(&store, "Fit für die Zukunft");
    let rendered = render_ok(
        &store,
        &request("participants", training, json!({"statistics": true})),
    );
    assert_eq!(sheet_names(&rendered.bytes), ["Teilnehmende", "Statistik"]);
    let stats = sheet(&rendered.bytes, "Statistik");
    let counts = registrations::counts(store.connection(), training).unwrap();
    let value_after = |label: &str| -> f64 {
        let row = (0..stats.height() as u32)
            .find(|r| text(&stats, *r, 0) == label)
            .unwrap_or_else(|| panic!("no row {label}"));
        match stats.get_value((row, 1)) {
            Some(Data::Float(n)) => *n,
            other => panic!("{label}: {other:?}"),
        }
    };
    assert_eq!(value_after("Angemeldet"), counts.angemeldet as f64);
    assert_eq!(value_after("Nachgerückt"), counts.nachgerueckt as f64);
    assert_eq!(value_after("Storniert"), counts.storniert as f64);
    let rows = registrations::list(store.connection(), training).unwrap();
    let present_day_one = rows
        .iter()
        .filter(|r| r.status.is_counted())
        .filter(|r| {
            r.day_state("2024-11-29") == Some(registrations::attendance::AttendanceState::Anwesend)
        })
        .count();
    assert_eq!(value_after("Fr, 29.11.2024"), present_day_one as f64);
    let first_timers = rows
        .iter()
        .filter(|r| r.status.is_counted() && r.first_time)
        .count();
    assert_eq!(value_after("zum ersten Mal dabei"), first_timers as f64);
}

/// An event with a person whose name and data try to become formulas.
fn hostile_store() -> (Store, i64) {
    let mut store = Store::open_in_memory().unwrap();
    let event_id = store
        .write(|tx| {
            let event = events::create(tx, forum_input())?;
            let org = people::find_or_create_organisation_by_name(tx, "@SUM(1+1)")?;
            let mut input = person(
                "+cmd",
                r#"=HYPERLINK("http://x","y")"#,
                "-2+3",
                "a@example.org",
            );
            input.organisation_id = Some(org);
            input.phone = "+49 231 1234".into();
            let p = people::create_person(tx, &input)?;
            let mut registration = RegisterInput::existing(event.id, p.id);
            registration.comment = "=1+1".into();
            registrations::register(tx, &registration)?;
            Ok(event.id)
        })
        .unwrap();
    (store, event_id)
}

#[test]
fn user_text_never_becomes_a_formula_in_xlsx() {
    let (store, event) = hostile_store();
    let options =
        json!({"columns": ["last_name", "first_name", "organisation", "ort", "phone", "comment"]});
    for exporter in ["participants", "attendance"] {
        let rendered = render_ok(
            &store,
            &request(
                exporter,
                event,
                if exporter == "participants" {
                    options.clone()
                } else {
                    json!({})
                },
            ),
        );
        let sheet_xml = xml(&rendered.bytes, "xl/worksheets/sheet1.xml");
        assert!(
            !sheet_xml.contains("<f>"),
            "{exporter}: a formula was written"
        );
    }
    let rendered = render_ok(&store, &request("participants", event, options));
    let range = sheet(&rendered.bytes, "Teilnehmende");
    let expected = [
        r#"=HYPERLINK("http://x","y")"#,
        "+cmd",
        "@SUM(1+1)",
        "-2+3",
        "+49 231 1234",
        "=1+1",
    ];
    for (c, want) in expected.iter().enumerate() {
        assert_eq!(
            range.get_value((1, c as u32)),
            Some(&Data::String((*want).to_owned())),
            "column {c}"
        );
    }
}

#[test]
fn csv_is_semicolon_separated_utf8_with_bom_and_neutralised() {
    let (store, event) = hostile_store();
    let options = json!({"format": "csv", "columns": ["nr", "last_name", "first_name", "organisation", "registered_at"]});
    let req = request("participants", event, options);
    let rendered = render_ok(&store, &req);
    assert!(rendered.bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(rendered.bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(
        lines[0],
        r#""Nr.";"Nachname";"Vorname";"Organisation";"Angemeldet am""#
    );
    let today = crate::time::today_in_berlin().format("%d.%m.%Y");
    assert_eq!(
        lines[1],
        format!(r#""1";"'=HYPERLINK(""http://x"",""y"")";"'+cmd";"'@SUM(1+1)";"{today}""#)
    );
    assert!(
        suggested_file_name(store.connection(), &req)
            .unwrap()
            .ends_with("_13-Forum_Teilnehmendenliste.csv")
    );
}

/// Signature-related cells of the training's attendance sheet.
#[test]
fn attendance_sheet_has_a_signature_column_per_day_and_walk_in_rows() {
    let store = demo();
    let training = event_id(&store, "Fit für die Zukunft");
    let rendered = render_ok(&store, &ExportRequest::new("attendance", training));
    let range = sheet(&rendered.bytes, "Anwesenheitsliste");
    assert_eq!(text(&range, 0, 0), "Anwesenheitsliste");
    assert_eq!(
        text(&range, 1, 0),
        "Fit für die Zukunft im Städtepartnerschaftsverein"
    );
    let facts: Vec<(String, String)> = (2..5)
        .map(|r| (text(&range, r, 0), text(&range, r, 2)))
        .collect();
    assert_eq!(facts[0].0, "Datum und Zeit:");
    assert_eq!(
        facts[0].1,
        "Fr, 29.11.2024, ab 10:00 Uhr und Sa, 30.11.2024, bis 16:00 Uhr"
    );
    assert_eq!(
        facts[1].1,
        "Gustav-Stresemann-Institut (GSI), Langer Grabenweg 68, 53175 Bonn"
    );
    assert!(
        facts[2]
            .1
            .starts_with("Netzwerkstelle Städtepartnerschaften NRW")
    );
    assert_eq!(
        text(&range, 5, 0),
        "Gefördert durch die Staatskanzlei des Landes Nordrhein-Westfalen"
    );

    let header = (0..range.height() as u32)
        .find(|r| text(&range, *r, 0) == "Nr.")
        .expect("header row");
    let headers: Vec<String> = (0..7).map(|c| text(&range, header, c)).collect();
    assert_eq!(
        headers,
        [
            "Nr.",
            "Name",
            "Vorname",
            "Organisation/Institution",
            "Ort",
            "Unterschrift",
            ""
        ]
    );
    assert_eq!(text(&range, header + 1, 5), "Fr, 29.11.2024");
    assert_eq!(text(&range, header + 1, 6), "Sa, 30.11.2024");
    assert_eq!(range.width(), 7, "exactly one signature column per day");

    let listed: Vec<_> = registrations::list(store.connection(), training)
        .unwrap()
        .into_iter()
        .filter(|r| r.status.is_counted())
        .collect();
    assert_eq!(rendered.rows, listed.len());
    let first_person = header + 2;
    for (i, r) in listed.iter().enumerate() {
        let row = first_person + i as u32;
        assert_eq!(text(&range, row, 1), r.last_name);
        assert_eq!(text(&range, row, 2), r.first_name);
    }
    let after = first_person + listed.len() as u32;
    for i in 0..10 {
        assert_eq!(
            range.get_value((after + i, 0)),
            Some(&Data::Float((listed.len() + 1 + i as usize) as f64))
        );
        assert_eq!(text(&range, after + i, 1), "", "walk-in rows are blank");
    }
    assert_eq!(
        text(&range, after + 11, 0),
        "Bestätigung der Veranstalterin / des Veranstalters"
    );
    assert_eq!(text(&range, after + 14, 0), "Ort, Datum");
}

#[test]
fn attendance_sheet_print_setup_is_a4_landscape_fit_to_width_with_repeated_headers() {
    let store = demo();
    let training = event_id(&store, "Fit für die Zukunft");
    let rendered = render_ok(&store, &ExportRequest::new("attendance", training));
    let sheet_xml = xml(&rendered.bytes, "xl/worksheets/sheet1.xml");
    let page_setup = element(&sheet_xml, "pageSetup");
    assert!(page_setup.contains(r#"paperSize="9""#), "A4: {page_setup}");
    assert!(page_setup.contains(r#"orientation="landscape""#));
    // fitToWidth defaults to 1 when absent; fitToHeight="0" means as many pages as needed.
    assert!(page_setup.contains(r#"fitToHeight="0""#));
    assert!(!page_setup.contains("fitToWidth") || page_setup.contains(r#"fitToWidth="1""#));
    assert!(sheet_xml.contains(r#"<pageSetUpPr fitToPage="1"/>"#));
    assert!(sheet_xml.contains("Seite &amp;P von &amp;N"));
    assert!(
        sheet_xml.contains(r#"ht="30" customHeight="1""#),
        "rows tall enough to sign"
    );
    let styles = xml(&rendered.bytes, "xl/styles.xml");
    assert!(styles.contains(r#"<left style="thin">"#), "grid borders");
    let workbook = xml(&rendered.bytes, "xl/workbook.xml");
    assert!(
        workbook.contains(r#"<definedName name="_xlnm.Print_Titles" localSheetId="0">Anwesenheitsliste!$10:$11</definedName>"#),
        "{workbook}"
    );

    let portrait = request(
        "attendance",
        training,
        json!({"orientation": "portrait", "walk_in_rows": 0}),
    );
    let rendered = render_ok(&store, &portrait);
    let sheet_xml = xml(&rendered.bytes, "xl/worksheets/sheet1.xml");
    assert!(element(&sheet_xml, "pageSetup").contains(r#"orientation="portrait""#));
}

#[test]
fn attendance_sheet_options_photo_column_and_waiting_list() {
    let store = demo();
    let next = event_id(&store, "15. Forum");
    let plain = render_ok(&store, &ExportRequest::new("attendance", next));
    let options = json!({"photo_consent": true, "include_waitlist": true, "walk_in_rows": 0});
    let full = render_ok(&store, &request("attendance", next, options));
    assert_eq!(full.rows, plain.rows + 3, "three on the waiting list");
    let range = sheet(&full.bytes, "Anwesenheitsliste");
    let header = (0..range.height() as u32)
        .find(|r| text(&range, *r, 0) == "Nr.")
        .unwrap();
    assert_eq!(text(&range, header, 5), "Foto-Einwilligung ☐");
    assert_eq!(text(&range, header, 6), "Unterschrift");
    assert_eq!(text(&range, header + 1, 5), "☐");
    assert_eq!(range.height() as u32, header + 1 + full.rows as u32 + 5);
    assert_eq!(text(&range, 1, 0), "15. Forum Städtepartnerschaften NRW");
    assert_eq!(text(&range, 3, 2), "online");
}

#[test]
fn profiles_are_applied_and_overridden_by_explicit_options() {
    let mut store = demo();
    let forum = event_id(&store, "13. Forum");
    let columns = json!({"columns": ["last_name", "first_name", "email"]});
    store
        .write(|tx| profiles::save(tx, "participants", "Mailing", columns.as_object().unwrap()))
        .unwrap();
    let mut req = ExportRequest::new("participants", forum);
    req.profile = Some("mailing".into());
    let rendered = render_ok(&store, &req);
    let range = sheet(&rendered.bytes, "Teilnehmende");
    assert_eq!(header_row(&range), ["Nachname", "Vorname", "E-Mail"]);

    req.options = json!({"format": "csv"}).as_object().unwrap().clone();
    let rendered = render_ok(&store, &req);
    assert!(
        rendered
            .bytes
            .starts_with(b"\xEF\xBB\xBF\"Nachname\";\"Vorname\";\"E-Mail\"")
    );

    req.profile = Some("Presse".into());
    let err = render(store.connection(), &req).err().unwrap();
    assert!(err.to_string().contains(
        "Das Exportprofil „Presse“ für „Teilnehmendenliste“ gibt es nicht (vorhanden: „Mailing“)"
    ));
}

#[test]
fn unknown_options_and_events_are_german_errors() {
    let store = demo();
    let forum = event_id(&store, "13. Forum");
    let err = render(
        store.connection(),
        &request("attendance", forum, json!({"farbe": "rot"})),
    )
    .err()
    .unwrap();
    assert!(
        err.to_string()
            .starts_with("Unbekannte Option „farbe“ für „Anwesenheitsliste“")
    );
    let err = render(store.connection(), &ExportRequest::new("attendance", 999))
        .err()
        .unwrap();
    assert_eq!(err.to_string(), "Die Veranstaltung wurde nicht gefunden.");
}

#[test]
fn export_to_file_writes_the_whole_file_and_names_it() {
    let mut store = demo();
    let forum = event_id(&store, "13. Forum");
    let dir = tempfile::tempdir().unwrap();
    let req = ExportRequest::new("attendance", forum);
    let name = suggested_file_name(store.connection(), &req).unwrap();
    assert_eq!(name, "2025-03-13_13-Forum_Anwesenheitsliste.xlsx");
    let path = dir.path().join(&name);
    std::fs::write(&path, b"old content").unwrap();
    let summary = export_to_file(&mut store, &req, &path, &ProtectedPaths::new()).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(summary.bytes, bytes.len());
    assert!(summary.message.starts_with("Anwesenheitsliste mit "));
    assert_eq!(
        sheet(&bytes, "Anwesenheitsliste").get_value((0, 0)),
        Some(&Data::String("Anwesenheitsliste".into()))
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left behind");

    let missing = dir.path().join("fehlt").join("x.xlsx");
    let err = export_to_file(&mut store, &req, &missing, &ProtectedPaths::new())
        .err()
        .unwrap();
    assert!(err.to_string().contains("Den Ordner für"), "{err}");
}

#[test]
fn an_export_never_overwrites_the_live_database_and_writes_only_its_extension() {
    let dir = tempfile::tempdir().unwrap();
    // A database whose name even carries an exporter's extension.
    let db = dir.path().join("daten.xlsx");
    let mut store = Store::open(&db).unwrap();
    crate::imports::seeds::seed_demo(&mut store).unwrap();
    let forum = event_id(&store, "13. Forum");
    let req = ExportRequest::new("participants", forum);
    let wal = dir.path().join("daten.xlsx-wal");
    for target in [db.clone(), wal.clone(), dir.path().join("./daten.xlsx")] {
        let Err(CoreError::Validation(errors)) =
            export_to_file(&mut store, &req, &target, &ProtectedPaths::new())
        else {
            panic!("{} must be refused", target.display());
        };
        assert_eq!(errors[0].field, "path");
    }
    let err = export_to_file(&mut store, &req, &db, &ProtectedPaths::new())
        .err()
        .unwrap();
    assert!(err.to_string().contains("gehört zur Datenbank"), "{err}");
    let err = export_to_file(
        &mut store,
        &req,
        &dir.path().join("autostart.desktop"),
        &ProtectedPaths::new(),
    )
    .err()
    .unwrap();
    assert!(err.to_string().contains("Endung .xlsx"), "{err}");
    let config = dir.path().join("config");
    std::fs::create_dir_all(config.join("autostart")).unwrap();
    let protected = ProtectedPaths::new().folder(&config);
    let err = export_to_file(
        &mut store,
        &req,
        &config.join("autostart/liste.xlsx"),
        &protected,
    )
    .err()
    .unwrap();
    assert!(err.to_string().contains("keine Exporte"), "{err}");
    // The database is intact and still in use.
    drop(store);
    let mut again = Store::open(&db).unwrap();
    assert!(again.read(events::list).unwrap().len() > 1);
    let fine = dir.path().join("liste.xlsx");
    export_to_file(&mut again, &req, &fine, &protected).unwrap();
    assert!(fine.exists());
}

#[test]
fn an_export_removes_temporaries_a_killed_export_left_and_follows_no_links() {
    let mut store = demo();
    let forum = event_id(&store, "13. Forum");
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("liste.xlsx");
    let own = dir.path().join(".liste.xlsx.tmp");
    let old = dir.path().join(".andere.csv.tmp");
    let fresh = dir.path().join(".laeuft.csv.tmp");
    let foreign = dir.path().join(".fremd.tmp");
    for file in [&own, &old, &fresh, &foreign] {
        std::fs::write(file, b"halb geschrieben").unwrap();
    }
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7_200);
    std::fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(two_hours_ago)
        .unwrap();
    let req = ExportRequest::new("participants", forum);
    export_to_file(&mut store, &req, &target, &ProtectedPaths::new()).unwrap();
    assert!(target.exists());
    assert!(!own.exists() && !old.exists(), "stale temporaries removed");
    assert!(fresh.exists(), "a running export elsewhere is left alone");
    assert!(foreign.exists(), "files of other naming are left alone");

    #[cfg(unix)]
    {
        let victim = dir.path().join("wichtig.txt");
        std::fs::write(&victim, b"bleibt").unwrap();
        std::os::unix::fs::symlink(&victim, &own).unwrap();
        export_to_file(&mut store, &req, &target, &ProtectedPaths::new()).unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"bleibt");
    }
}

#[test]
fn an_event_without_registrations_still_gives_a_valid_table() {
    let mut store = Store::open_in_memory().unwrap();
    let event = store.write(|tx| events::create(tx, forum_input())).unwrap();
    let rendered = render_ok(&store, &ExportRequest::new("participants", event.id));
    assert_eq!(rendered.rows, 0);
    let range = sheet(&rendered.bytes, "Teilnehmende");
    assert_eq!(text(&range, 0, 0), "Nr.");
    assert_eq!(range.height(), 1, "header and one empty table row");
}

/// The 13th forum's demo wishes, clustered by a suggestion run as on the board.
fn clustered_forum() -> (Store, i64, crate::wishes::board::WishBoard) {
    let mut store = demo();
    let forum = event_id(&store, "13. Forum");
    let event = crate::events::get(store.connection(), forum).unwrap();
    crate::wishes::board::run_suggestions_in(&mut store, &event).unwrap();
    let board = crate::wishes::board::board(store.connection(), &event).unwrap();
    assert!(board.total > 0 && !board.sections.is_empty(), "demo wishes");
    (store, forum, board)
}

#[test]
fn wishes_are_listed_by_group_and_topic_without_names_by_default() {
    let (store, forum, board) = clustered_forum();
    let rendered = render_ok(&store, &ExportRequest::new("wishes", forum));
    assert_eq!(sheet_names(&rendered.bytes), ["Wünsche", "Übersicht"]);
    let range = sheet(&rendered.bytes, "Wünsche");
    assert_eq!(header_row(&range), ["Nr.", "Gruppe", "Thema", "Wunsch"]);
    assert_eq!(rendered.rows, board.total);

    let mut expected: Vec<(String, String, String)> = Vec::new();
    for section in &board.sections {
        for cluster in &section.clusters {
            let group = cluster.group.clone().unwrap_or_default();
            for wish in &cluster.wishes {
                expected.push((group.clone(), cluster.label.clone(), wish.text.clone()));
            }
        }
    }
    for wish in &board.unassigned {
        expected.push((String::new(), "Nicht zugeordnet".into(), wish.text.clone()));
    }
    let listed: Vec<(String, String, String)> = (1..range.height() as u32)
        .map(|r| (text(&range, r, 1), text(&range, r, 2), text(&range, r, 3)))
        .collect();
    assert_eq!(listed, expected);

    let overview = sheet(&rendered.bytes, "Übersicht");
    assert_eq!(header_row(&overview), ["Gruppe", "Thema", "Anzahl Wünsche"]);
    let counted: f64 = (1..overview.height() as u32)
        .map(|r| match overview.get_value((r, 2)) {
            Some(Data::Float(n)) => *n,
            other => panic!("count expected, got {other:?}"),
        })
        .sum();
    assert_eq!(counted, board.total as f64);
}

#[test]
fn wishes_name_person_and_organisation_only_when_chosen() {
    let (store, forum, board) = clustered_forum();
    let options = json!({"with_names": true, "include_unassigned": false});
    let rendered = render_ok(&store, &request("wishes", forum, options));
    let range = sheet(&rendered.bytes, "Wünsche");
    assert_eq!(
        header_row(&range),
        ["Nr.", "Gruppe", "Thema", "Wunsch", "Person", "Organisation"]
    );
    assert_eq!(rendered.rows, board.total - board.unassigned.len());
    let first = &board.sections[0].clusters[0].wishes[0];
    let registration =
        registrations::get_row(store.connection(), first.registration_id.unwrap()).unwrap();
    assert_eq!(text(&range, 1, 3), first.text);
    assert!(text(&range, 1, 4).ends_with(&format!(
        "{} {}",
        registration.first_name, registration.last_name
    )));
    assert_eq!(
        text(&range, 1, 5),
        registration.organisation.unwrap_or_default()
    );
}

#[test]
fn a_wide_participant_list_prints_two_pages_wide_with_the_names_repeated() {
    let store = demo();
    let day = event_id(&store, "6. Tag");
    // The 13 default columns do not fit one A4 width readably: two widths, names repeated.
    let rendered = render_ok(&store, &ExportRequest::new("participants", day));
    let sheet_xml = xml(&rendered.bytes, "xl/worksheets/sheet1.xml");
    let page_setup = element(&sheet_xml, "pageSetup");
    assert!(
        page_setup.contains(r#"orientation="landscape""#),
        "{page_setup}"
    );
    assert!(page_setup.contains(r#"fitToWidth="2""#), "{page_setup}");
    let workbook = xml(&rendered.bytes, "xl/workbook.xml");
    assert!(
        workbook.contains("Teilnehmende!$A:$D,Teilnehmende!$1:$1"),
        "Nr, Anrede, Name, Vorname on every page: {workbook}"
    );

    // A few columns stay on one page width without repeated columns.
    let narrow = request(
        "participants",
        day,
        json!({"columns": ["last_name", "first_name", "organisation", "status"]}),
    );
    let rendered = render_ok(&store, &narrow);
    let sheet_xml = xml(&rendered.bytes, "xl/worksheets/sheet1.xml");
    let page_setup = element(&sheet_xml, "pageSetup");
    assert!(!page_setup.contains("fitToWidth") || page_setup.contains(r#"fitToWidth="1""#));
    let workbook = xml(&rendered.bytes, "xl/workbook.xml");
    assert!(workbook.contains("Teilnehmende!$1:$1") && !workbook.contains("$A:$"));
}

#[test]
fn statistics_sheet_counts_workshops_and_tells_kreisfreie_staedte_from_missing_kreise() {
    let store = demo();
    let day = event_id(&store, "6. Tag");
    let rendered = render_ok(
        &store,
        &request("participants", day, json!({"statistics": true})),
    );
    let stats = sheet(&rendered.bytes, "Statistik");
    let number = |row: u32, col: u32| match stats.get_value((row, col)) {
        Some(Data::Float(n)) => *n as usize,
        other => panic!("({row}, {col}): {other:?}"),
    };
    let row_of = |label: &str| {
        (0..stats.height() as u32)
            .find(|r| text(&stats, *r, 0) == label)
            .unwrap_or_else(|| panic!("no row {label}"))
    };
    let rows = registrations::list(store.connection(), day).unwrap();
    let counted: Vec<_> = rows.iter().filter(|r| r.status.is_counted()).collect();
    let workshops = registrations::sessions::list_sessions(store.connection(), day).unwrap();
    assert!(!workshops.is_empty());
    for w in &workshops {
        let booked = counted
            .iter()
            .filter(|r| r.session_ids.contains(&w.id))
            .count();
        let present = counted
            .iter()
            .filter(|r| {
                r.attendance.iter().any(|m| {
                    m.session_id == Some(w.id)
                        && m.state == registrations::attendance::AttendanceState::Anwesend
                })
            })
            .count();
        let row = row_of(&w.name);
        assert_eq!(
            (number(row, 1), number(row, 2)),
            (booked, present),
            "{}",
            w.name
        );
    }
    let kreisfrei = counted
        .iter()
        .filter(|r| {
            r.kreis.as_deref().unwrap_or("").trim().is_empty()
                && r.organisation_kind == Some(crate::people::OrgKind::Kommune)
        })
        .count();
    assert!(kreisfrei > 0, "the demo has Städte like Dortmund");
    assert_eq!(number(row_of("kreisfreie Stadt"), 1), kreisfrei);
    let missing = counted
        .iter()
        .filter(|r| {
            r.kreis.as_deref().unwrap_or("").trim().is_empty()
                && r.organisation_kind != Some(crate::people::OrgKind::Kommune)
        })
        .count();
    if missing > 0 {
        assert_eq!(number(row_of("ohne Angabe"), 1), missing);
    }
}

/// Datenschutz: the participant list can leave out everyone without consent to appear on it, the
/// Anwesenheitsliste shows recorded photo consents, and the Einladungsverteiler lists only
/// persons who consented to invitations.
#[test]
fn consents_shape_the_participant_list_the_photo_column_and_the_invitation_list() {
    use crate::people::consents::{
        ConsentInput, ConsentSource, ConsentState, Purpose, set_consents,
    };
    let mut store = Store::open_in_memory().unwrap();
    let forum = store
        .write(|tx| events::create(tx, forum_input()))
        .unwrap()
        .id;
    let mut ids = Vec::new();
    for (last, email) in [
        ("Adler", "a@example.org"),
        ("Berger", "b@example.org"),
        ("Conrad", "c@example.org"),
    ] {
        let p = store
            .write(|tx| people::create_person(tx, &person("Anna", last, "Unna", email)))
            .unwrap()
            .id;
        store
            .write(|tx| registrations::register(tx, &RegisterInput::existing(forum, p)))
            .unwrap();
        ids.push(p);
    }
    let consent = |purpose, state| ConsentInput {
        purpose,
        state: Some(state),
        given_on: String::new(),
        source: ConsentSource::Formular,
    };
    store
        .write(|tx| {
            set_consents(
                tx,
                ids[0],
                &[
                    consent(Purpose::Teilnehmendenliste, ConsentState::Erteilt),
                    consent(Purpose::Fotos, ConsentState::Erteilt),
                    consent(Purpose::Einladungen, ConsentState::Erteilt),
                ],
            )?;
            set_consents(
                tx,
                ids[1],
                &[
                    consent(Purpose::Teilnehmendenliste, ConsentState::Widerrufen),
                    consent(Purpose::Fotos, ConsentState::Widerrufen),
                    consent(Purpose::Einladungen, ConsentState::Widerrufen),
                ],
            )
        })
        .unwrap();
    let names = |bytes: &[u8], sheet_name: &str, header: &str| -> Vec<String> {
        let range = sheet(bytes, sheet_name);
        let col = column(&range, header);
        (1..range.height() as u32)
            .map(|r| text(&range, r, col))
            .collect()
    };
    let all = render_ok(&store, &ExportRequest::new("participants", forum));
    assert_eq!(
        names(&all.bytes, "Teilnehmende", "Nachname"),
        ["Adler", "Berger", "Conrad"]
    );
    let consenting = render_ok(
        &store,
        &request("participants", forum, json!({"only_list_consent": true})),
    );
    assert_eq!(
        names(&consenting.bytes, "Teilnehmende", "Nachname"),
        ["Adler"]
    );

    let attendance = render_ok(
        &store,
        &request("attendance", forum, json!({"photo_consent": true})),
    );
    let range = sheet(&attendance.bytes, "Anwesenheitsliste");
    let marks: Vec<String> = (0..range.height() as u32)
        .filter(|r| ["Adler", "Berger", "Conrad"].contains(&text(&range, *r, 1).as_str()))
        .map(|r| text(&range, r, 5))
        .collect();
    assert_eq!(marks, ["☒ ja", "nein", "☐"]);

    let invitations = render_ok(&store, &ExportRequest::new("invitations", forum));
    assert_eq!(invitations.rows, 1);
    assert_eq!(
        names(&invitations.bytes, "Einladungsverteiler", "E-Mail"),
        ["a@example.org"]
    );
}
