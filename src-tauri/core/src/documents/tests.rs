//! The documents rendered and read back as a reader would: text extraction and word boxes by
//! poppler's `pdftotext`, page sizes by `pdfinfo` (poppler-utils, installed by `make test`).

use std::process::Command;

use super::badges::{self, BadgeRequest};
use super::certificates::{self, CertificateRequest};
use super::*;
use crate::events::tests::forum_input;
use crate::events::{self, EventFormat, EventInput};
use crate::people::{self, tests::person};
use crate::registrations::attendance::{self, AttendanceState};
use crate::registrations::{self, RegisterInput, Role};

fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doc.pdf");
    std::fs::write(&file, pdf).unwrap();
    let output = Command::new(tool)
        .args(args)
        .arg(&file)
        .arg("-")
        .output()
        .unwrap_or_else(|e| {
            panic!("{tool} fehlt ({e}) – poppler-utils installieren (make deps-test)")
        });
    assert!(
        output.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The PDF's text in reading order, pages separated by form feeds.
pub(crate) fn pdf_text(pdf: &[u8]) -> String {
    poppler("pdftotext", &["-enc", "UTF-8"], pdf)
}

/// The text of each page, white space collapsed and words broken at a hyphen joined again.
fn pages(pdf: &[u8]) -> Vec<String> {
    let text = pdf_text(pdf);
    let mut pages: Vec<String> = text
        .split('\u{c}')
        .map(|p| {
            p.replace("-\n", "-")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    if pages.last().is_some_and(String::is_empty) {
        pages.pop();
    }
    pages
}

/// Width and height of every page in points, rounded.
pub(crate) fn page_sizes(pdf: &[u8]) -> Vec<(u32, u32)> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doc.pdf");
    std::fs::write(&file, pdf).unwrap();
    let output = Command::new("pdfinfo")
        .args(["-f", "1", "-l", "100000"])
        .arg(&file)
        .output()
        .expect("pdfinfo fehlt – poppler-utils installieren (make deps-test)");
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("Page") && l.contains(" size: "))
        .map(|l| {
            let dims: Vec<f64> = l
                .split(" size: ")
                .nth(1)
                .unwrap()
                .split_whitespace()
                .filter_map(|w| w.parse().ok())
                .collect();
            (dims[0].round() as u32, dims[1].round() as u32)
        })
        .collect()
}

/// A word with its box in points and its page (0-based).
#[derive(Debug)]
struct Word {
    page: usize,
    text: String,
    x_min: f64,
    y_min: f64,
    x_max: f64,
    y_max: f64,
}

fn words(pdf: &[u8]) -> Vec<Word> {
    let html = poppler("pdftotext", &["-bbox", "-enc", "UTF-8"], pdf);
    let mut words = Vec::new();
    let mut page = 0;
    let attr = |tag: &str, name: &str| -> f64 {
        let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[start..start + tag[start..].find('"').unwrap()]
            .parse()
            .unwrap()
    };
    for (index, chunk) in html.split("<page ").enumerate() {
        if index == 0 {
            continue;
        }
        page = index - 1;
        for word in chunk.split("<word ").skip(1) {
            let tag_end = word.find('>').unwrap();
            let tag = &word[..tag_end];
            let text_end = word.find("</word>").unwrap();
            words.push(Word {
                page,
                text: word[tag_end + 1..text_end]
                    .replace("&amp;", "&")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\""),
                x_min: attr(tag, "xMin"),
                y_min: attr(tag, "yMin"),
                x_max: attr(tag, "xMax"),
                y_max: attr(tag, "yMax"),
            });
        }
    }
    let _ = page;
    words
}

const MM: f64 = 72.0 / 25.4;

/// The (page, row, column) of the badge a point (in pt) lies in, if any.
fn cell(layout: &badges::BadgeLayout, page: usize, x: f64, y: f64) -> Option<(usize, i64, i64)> {
    let col = ((x / MM - layout.left) / layout.step_x).floor() as i64;
    let row = ((y / MM - layout.top) / layout.step_y).floor() as i64;
    let inside =
        (0..i64::from(layout.columns)).contains(&col) && (0..i64::from(layout.rows)).contains(&row);
    inside.then_some((page, row, col))
}

/// The text of every badge in print order (page, row, column), read from the word boxes:
/// words of a line in x order, lines top to bottom, a line ending in "-" joined to the next.
fn badge_texts(pdf: &[u8], layout: &badges::BadgeLayout) -> Vec<String> {
    let mut cells: std::collections::BTreeMap<(usize, i64, i64), Vec<Word>> = Default::default();
    for w in words(pdf) {
        if let Some(key) = cell(layout, w.page, w.x_min, w.y_min) {
            cells.entry(key).or_default().push(w);
        }
    }
    cells
        .into_values()
        .map(|mut ws| {
            ws.sort_by(|a, b| a.y_max.total_cmp(&b.y_max));
            let mut lines: Vec<Vec<Word>> = Vec::new();
            for w in ws {
                match lines.last_mut() {
                    Some(line) if (line[0].y_max - w.y_max).abs() < 2.0 => line.push(w),
                    _ => lines.push(vec![w]),
                }
            }
            let mut text = String::new();
            for mut line in lines {
                line.sort_by(|a, b| a.x_min.total_cmp(&b.x_min));
                let joined = line
                    .iter()
                    .map(|w| w.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                if !text.is_empty() && !text.ends_with('-') {
                    text.push(' ');
                }
                text.push_str(&joined);
            }
            text
        })
        .collect()
}

/// Every word lies inside the badge its top left corner is in (nothing runs over the edge into
/// the neighbour or the margin), with a tolerance for the glyphs' side bearings.
fn assert_words_inside_badges(pdf: &[u8], layout: &badges::BadgeLayout) {
    let tolerance = 0.5;
    for w in words(pdf) {
        let Some((_, row, col)) = cell(layout, w.page, w.x_min, w.y_min) else {
            panic!(
                "„{}“ (Seite {}) liegt außerhalb der Schilder",
                w.text,
                w.page + 1
            );
        };
        let right = (layout.left + col as f64 * layout.step_x + layout.width) * MM;
        let bottom = (layout.top + row as f64 * layout.step_y + layout.height) * MM;
        assert!(
            w.x_max <= right + tolerance && w.y_max <= bottom + tolerance,
            "„{}“ (Seite {}) ragt über den Rand des Schildes: {w:?}, rechts {right}, unten {bottom}",
            w.text,
            w.page + 1
        );
    }
}

/// Nothing lies behind a badge's role band: every other word of the badge ends above it.
fn assert_nothing_behind_the_role_band(pdf: &[u8], layout: &badges::BadgeLayout) {
    let bands = ["Referent*in", "Team", "Presse", "Gast"];
    let mut cells: std::collections::BTreeMap<(usize, i64, i64), Vec<Word>> = Default::default();
    for w in words(pdf) {
        if let Some(key) = cell(layout, w.page, w.x_min, w.y_min) {
            cells.entry(key).or_default().push(w);
        }
    }
    for words in cells.values() {
        let Some(band) = words.iter().find(|w| bands.contains(&w.text.as_str())) else {
            continue;
        };
        // The band is 8 mm high and its text centred: its top edge lies ~2.5 mm above the text.
        let band_top = band.y_min - 2.5 * MM;
        for w in words.iter().filter(|w| !bands.contains(&w.text.as_str())) {
            assert!(
                w.y_max <= band_top,
                "„{}“ liegt hinter der Rollenzeile: {w:?} {band:?}",
                w.text
            );
        }
    }
}

/// How many badges contain `needle`.
fn badges_with(texts: &[String], needle: &str) -> usize {
    texts.iter().filter(|t| t.contains(needle)).count()
}

/// How many images a PDF draws (`pdfimages -list`, without soft masks).
fn image_count(pdf: &[u8]) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doc.pdf");
    std::fs::write(&file, pdf).unwrap();
    let output = Command::new("pdfimages")
        .arg("-list")
        .arg(&file)
        .output()
        .expect("pdfimages (poppler-utils, make deps-test)");
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .skip(2)
        .filter(|l| l.split_whitespace().nth(2) == Some("image"))
        .count()
}

fn occurrences(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// The people of the crafted event: (first, last, ort, organisation, role).
const PEOPLE: [(&str, &str, &str, &str, Role); 11] = [
    (
        "Jürgen",
        "Müller-Lüdenscheidt",
        "Lüdenscheid",
        "Städtepartnerschaftsverein Lüdenscheid e. V.",
        Role::Teilnehmer,
    ),
    ("Łukasz", "Wróbel", "Düsseldorf", "", Role::Referent),
    (
        "Ayşe",
        "Şahin",
        "Köln",
        "Deutsch-Türkischer Freundeskreis Köln",
        Role::Teilnehmer,
    ),
    ("Işıl", "Yıldız", "Bonn", "", Role::Teilnehmer),
    (
        "Zoltán",
        "Győri",
        "Münster",
        "Stadt Münster",
        Role::Organisation,
    ),
    (
        "Олена",
        "Петренко",
        "Dortmund",
        "Партнерство міст Дортмунд – Житомир",
        Role::Teilnehmer,
    ),
    (
        "Maximiliane-Konstantina",
        "von Wolkenstein-Rodeneck-Hohenzollern",
        "Gelsenkirchen",
        "Freundeskreis der Partnerstädte Gelsenkirchen-Buer, Zenica, Olsztyn und Trabzon e. V.",
        Role::Gast,
    ),
    (
        "#set page(width: 1pt)",
        "*fett* $x$ <a> @ref",
        "Essen",
        "",
        Role::Teilnehmer,
    ),
    ("Anna", "Zimmermann", "Aachen", "", Role::Teilnehmer),
    ("Bernd", "Abendroth", "Bielefeld", "", Role::Presse),
    ("Clara", "Quast", "Hagen", "", Role::Teilnehmer),
];

struct Scenario {
    store: Store,
    event_id: i64,
    /// Registration ids in the order of [`PEOPLE`].
    ids: Vec<i64>,
    waiting: i64,
    cancelled: i64,
}

/// A two-day in-person event (10:00–16:00) with the people above registered, one more on the
/// waiting list and one cancelled.
fn scenario() -> Scenario {
    let mut store = Store::open_in_memory().unwrap();
    let input = EventInput {
        title: "Tag der Städtepartnerschaften NRW".into(),
        starts_at: "2025-06-12 10:00".into(),
        ends_at: "2025-06-13 16:00".into(),
        format: EventFormat::Praesenz,
        venue: "Gustav-Stresemann-Institut, Langer Grabenweg 68, 53175 Bonn".into(),
        online_link: String::new(),
        capacity: Some(PEOPLE.len() as i64),
        registration_deadline: None,
        description: "Workshops zu Jugendaustausch, Fördermitteln und Öffentlichkeitsarbeit."
            .into(),
        organiser:
            "Netzwerkstelle Städtepartnerschaften NRW, Auslandsgesellschaft.de e.V., Dortmund"
                .into(),
        funding_note: "Gefördert durch die Staatskanzlei des Landes Nordrhein-Westfalen".into(),
        ..forum_input()
    };
    let (event_id, ids, waiting, cancelled) = store
        .write(|tx| {
            let event = events::create(tx, input)?;
            let mut ids = Vec::new();
            for (i, (first, last, ort, org, role)) in PEOPLE.iter().enumerate() {
                let mut p = person(first, last, ort, &format!("p{i}@example.org"));
                if !org.is_empty() {
                    p.organisation_id = Some(people::find_or_create_organisation_by_name(tx, org)?);
                }
                if *first == "Zoltán" {
                    p.title = "Dr.".into();
                    p.salutation = "Herr".into();
                }
                let person = people::create_person(tx, &p)?;
                let mut reg = RegisterInput::existing(event.id, person.id);
                reg.role = *role;
                ids.push(
                    registrations::register(tx, &reg)?
                        .registration
                        .registration_id,
                );
            }
            let late = people::create_person(
                tx,
                &person("Walter", "Warteliste", "Wesel", "w@example.org"),
            )?;
            let waiting = registrations::register(tx, &RegisterInput::existing(event.id, late.id))?
                .registration
                .registration_id;
            let gone = ids[PEOPLE.len() - 1];
            registrations::cancel(tx, gone, "krank")?;
            Ok((event.id, ids, waiting, gone))
        })
        .unwrap();
    Scenario {
        store,
        event_id,
        ids,
        waiting,
        cancelled,
    }
}

fn check_in(store: &mut Store, id: i64, day: &str) {
    store
        .write(|tx| attendance::set_attendance(tx, id, Some(day), None, AttendanceState::Anwesend))
        .unwrap();
}

#[test]
fn badges_name_everyone_registered_once_sorted_by_name_on_a4_sheets() {
    let s = scenario();
    let request = BadgeRequest::new(s.event_id);
    let (pdf, named) = badges::render_badges(s.store.connection(), &request).unwrap();
    // 11 registered, one cancelled, one moved up from the waiting list in its place.
    assert_eq!(named, 11);
    assert_eq!(pdf.pages, 2);
    assert_eq!(page_sizes(&pdf.bytes), vec![(595, 842); 2]);
    let texts = badge_texts(&pdf.bytes, &badges::LAYOUTS[0]);
    assert_eq!(texts.len(), 11, "{texts:#?}");
    for (first, last, ort, org, _) in &PEOPLE[..PEOPLE.len() - 1] {
        assert_eq!(badges_with(&texts, last), 1, "{last} in {texts:#?}");
        let badge = texts.iter().find(|t| t.contains(last)).unwrap();
        // Event, first name, (title and) last name, organisation, Ort – in this order.
        let expected = ["Tag der Städtepartnerschaften NRW", first, last, org, ort];
        let mut from = 0;
        for part in expected.iter().filter(|p| !p.is_empty()) {
            let at = badge[from..]
                .find(part)
                .unwrap_or_else(|| panic!("„{part}“ after {from} in „{badge}“"));
            from += at + part.len();
        }
    }
    // The one who cancelled is not printed; the one who moved up is.
    assert_eq!(badges_with(&texts, "Quast"), 0);
    assert_eq!(badges_with(&texts, "Warteliste"), 1);
    // Sorted by last name: Abendroth, Győri, Müller-Lüdenscheidt, …, Zimmermann.
    let at = |name: &str| texts.iter().position(|t| t.contains(name)).unwrap();
    assert!(at("Abendroth") < at("Győri"));
    assert!(at("Győri") < at("Müller-Lüdenscheidt"));
    assert!(at("Müller-Lüdenscheidt") < at("Zimmermann"));
    // Title with the last name; the role band; the team is "Team"; participants have none.
    assert_eq!(badges_with(&texts, "Dr. Győri"), 1);
    for band in ["Referent*in", "Team", "Presse", "Gast"] {
        assert_eq!(badges_with(&texts, band), 1, "{band}");
    }
    assert_eq!(badges_with(&texts, "Teilnehmer"), 0);
    // The organisation survives in every script.
    assert_eq!(
        badges_with(&texts, "Партнерство міст Дортмунд – Житомир"),
        1
    );
    let _ = (s.waiting, s.cancelled);
}

#[test]
fn long_names_shrink_and_wrap_but_are_never_cut_or_run_over_the_badge() {
    let s = scenario();
    for layout in &badges::LAYOUTS {
        let request = BadgeRequest {
            layout: layout.id.to_owned(),
            ..BadgeRequest::new(s.event_id)
        };
        let (pdf, _) = badges::render_badges(s.store.connection(), &request).unwrap();
        let texts = badge_texts(&pdf.bytes, layout);
        let text = texts
            .iter()
            .find(|t| t.contains("Maximiliane"))
            .unwrap_or_else(|| panic!("{}: {texts:#?}", layout.id));
        assert!(
            text.contains("Maximiliane-Konstantina"),
            "{}: {text}",
            layout.id
        );
        assert!(
            text.contains("von Wolkenstein-Rodeneck-Hohenzollern"),
            "{}",
            layout.id
        );
        assert!(
            text.contains("Freundeskreis der Partnerstädte Gelsenkirchen-Buer, Zenica, Olsztyn und Trabzon e. V."),
            "{}",
            layout.id
        );
        assert_words_inside_badges(&pdf.bytes, layout);
        assert_nothing_behind_the_role_band(&pdf.bytes, layout);
    }
}

#[test]
fn names_are_printed_as_written_never_as_typst_markup() {
    let s = scenario();
    let (pdf, _) =
        badges::render_badges(s.store.connection(), &BadgeRequest::new(s.event_id)).unwrap();
    let text = badge_texts(&pdf.bytes, &badges::LAYOUTS[0]).join(" | ");
    assert!(text.contains("#set page(width: 1pt)"), "{text}");
    assert!(text.contains("*fett* $x$ <a> @ref"), "{text}");
    assert!(
        page_sizes(&pdf.bytes)
            .iter()
            .all(|size| *size == (595, 842))
    );
}

#[test]
fn only_present_selected_people_and_blank_badges() {
    let mut s = scenario();
    check_in(&mut s.store, s.ids[2], "2025-06-12");
    check_in(&mut s.store, s.ids[8], "2025-06-13");
    // Absent on the first day is no check-in.
    s.store
        .write(|tx| {
            attendance::set_attendance(
                tx,
                s.ids[0],
                Some("2025-06-12"),
                None,
                AttendanceState::Abwesend,
            )
        })
        .unwrap();
    let present = BadgeRequest {
        only_present: true,
        ..BadgeRequest::new(s.event_id)
    };
    let (pdf, named) = badges::render_badges(s.store.connection(), &present).unwrap();
    assert_eq!((named, pdf.pages), (2, 1));
    let texts = badge_texts(&pdf.bytes, &badges::LAYOUTS[0]);
    assert_eq!(texts.len(), 2, "{texts:#?}");
    assert!(texts[0].contains("Ayşe Şahin") && texts[1].contains("Anna Zimmermann"));

    let selected = BadgeRequest {
        registration_ids: Some(vec![s.ids[9], s.ids[1], s.waiting]),
        blank: 7,
        roles: false,
        layout: "avery-l4785".into(),
        ..BadgeRequest::new(s.event_id)
    };
    let (pdf, named) = badges::render_badges(s.store.connection(), &selected).unwrap();
    // 3 named + 7 blank = 10 = one sheet of L4785.
    assert_eq!((named, pdf.pages), (3, 1));
    let texts = badge_texts(&pdf.bytes, &badges::LAYOUTS[1]);
    // Every badge, blank ones too, carries the event title.
    assert_eq!(texts.len(), 10, "{texts:#?}");
    assert!(
        texts
            .iter()
            .all(|t| t.starts_with("Tag der Städtepartnerschaften NRW"))
    );
    assert!(texts[0].contains("Bernd Abendroth"), "{texts:#?}");
    assert!(texts[1].contains("Walter Warteliste"));
    assert!(texts[2].contains("Łukasz Wróbel"));
    assert!(
        texts[3..]
            .iter()
            .all(|t| t == "Tag der Städtepartnerschaften NRW")
    );
    assert_eq!(badges_with(&texts, "Referent*in"), 0, "roles off");

    let foreign = BadgeRequest {
        registration_ids: Some(vec![999_999]),
        ..BadgeRequest::new(s.event_id)
    };
    let err = badges::render_badges(s.store.connection(), &foreign).unwrap_err();
    assert!(
        err.to_string()
            .contains("gehört nicht zu dieser Veranstaltung")
    );
}

#[test]
fn nobody_present_is_a_german_refusal_and_blank_badges_still_print() {
    let s = scenario();
    let present = BadgeRequest {
        only_present: true,
        ..BadgeRequest::new(s.event_id)
    };
    let err = badges::render_badges(s.store.connection(), &present).unwrap_err();
    assert!(
        err.to_string().contains("Noch niemand ist eingecheckt"),
        "{err}"
    );
    let blank = BadgeRequest {
        blank: 9,
        ..present
    };
    let (pdf, named) = badges::render_badges(s.store.connection(), &blank).unwrap();
    assert_eq!((named, pdf.pages), (0, 2));
    let bad = BadgeRequest {
        layout: "a5".into(),
        ..BadgeRequest::new(s.event_id)
    };
    let err = badges::render_badges(s.store.connection(), &bad).unwrap_err();
    assert!(err.to_string().contains("Unbekanntes Format „a5“"), "{err}");
}

#[test]
fn certificates_one_page_per_person_present_with_the_hours_attended() {
    let mut s = scenario();
    // Jürgen both days, Ayşe the first, Олена online (minutes from a report), Anna absent.
    check_in(&mut s.store, s.ids[0], "2025-06-12");
    check_in(&mut s.store, s.ids[0], "2025-06-13");
    check_in(&mut s.store, s.ids[2], "2025-06-12");
    check_in(&mut s.store, s.ids[5], "2025-06-13");
    s.store
        .write(|tx| {
            tx.execute(
                "UPDATE attendance SET minutes = 95 WHERE registration_id = ?1",
                [s.ids[5]],
            )?;
            attendance::set_attendance(
                tx,
                s.ids[8],
                Some("2025-06-12"),
                None,
                AttendanceState::Abwesend,
            )?;
            Ok(())
        })
        .unwrap();
    let (pdf, people) = certificates::render_certificates(
        s.store.connection(),
        &CertificateRequest::new(s.event_id),
    )
    .unwrap();
    assert_eq!((people, pdf.pages), (3, 3));
    assert_eq!(page_sizes(&pdf.bytes), vec![(595, 842); 3]);
    let pages = pages(&pdf.bytes);
    // Sorted by last name: Müller-Lüdenscheidt, Şahin, Петренко.
    assert!(
        pages[0].contains("Jürgen Müller-Lüdenscheidt"),
        "{}",
        pages[0]
    );
    assert!(
        pages[0].contains("Umfang der Teilnahme: 12 Stunden"),
        "{}",
        pages[0]
    );
    assert!(
        pages[0].contains("12.06.2025: 6 Stunden") && pages[0].contains("13.06.2025: 6 Stunden")
    );
    assert!(pages[0].contains("in Bonn"));
    assert!(
        pages[1].contains("Ayşe Şahin") && pages[1].contains("Umfang der Teilnahme: 6 Stunden")
    );
    assert!(pages[2].contains("Олена Петренко"), "{}", pages[2]);
    assert!(pages[2].contains("1 Stunde 35 Minuten") && pages[2].contains("online"));
    for page in &pages {
        assert!(page.contains("Teilnahmebescheinigung"));
        assert!(
            page.contains("vom 12. bis 13. Juni 2025 an der Veranstaltung"),
            "{page}"
        );
        assert!(page.contains("Tag der Städtepartnerschaften NRW"));
        assert!(page.contains("Workshops zu Jugendaustausch"));
        assert!(page.contains("Netzwerkstelle Städtepartnerschaften NRW"));
        assert!(page.contains("Gefördert durch die Staatskanzlei"));
        assert!(page.contains("Dortmund, "), "place and date: {page}");
        assert_eq!(occurrences(page, "Hiermit wird bestätigt"), 1);
    }
    let all = pages.join(" ");
    assert!(!all.contains("Zimmermann") && !all.contains("Wróbel"));

    // One person's certificate for the e-mail; an absent person gets none.
    let one = certificates::certificate_pdf(s.store.connection(), s.ids[2]).unwrap();
    assert_eq!(super::tests::pages(&one).len(), 1);
    assert!(pdf_text(&one).contains("Ayşe Şahin"));
    let err = certificates::certificate_pdf(s.store.connection(), s.ids[8]).unwrap_err();
    assert!(err.to_string().contains("nicht anwesend"), "{err}");
    assert_eq!(
        certificates::certificate_file_name(s.store.connection(), s.ids[2]).unwrap(),
        "Teilnahmebescheinigung_Sahin-Ayse_2025-06-12_Tag-der-Staedtepartnerschaften-NRW.pdf"
    );
}

#[test]
fn certificates_need_someone_present() {
    let s = scenario();
    let err = certificates::render_certificates(
        s.store.connection(),
        &CertificateRequest::new(s.event_id),
    )
    .unwrap_err();
    assert!(err.to_string().contains("niemand als anwesend"), "{err}");
}

#[test]
fn german_date_phrases_and_durations() {
    let mut store = Store::open_in_memory().unwrap();
    for (starts, ends, phrase) in [
        ("2025-03-13 11:00", "2025-03-13 13:00", "am 13. März 2025"),
        (
            "2024-11-29 10:00",
            "2024-11-30 16:00",
            "vom 29. bis 30. November 2024",
        ),
        (
            "2024-11-30 10:00",
            "2024-12-01 16:00",
            "vom 30. November bis 1. Dezember 2024",
        ),
        (
            "2024-12-31 10:00",
            "2025-01-01 16:00",
            "vom 31. Dezember 2024 bis 1. Januar 2025",
        ),
    ] {
        let input = EventInput {
            starts_at: starts.into(),
            ends_at: ends.into(),
            ..forum_input()
        };
        let event = store.write(|tx| events::create(tx, input)).unwrap();
        assert_eq!(date_phrase(&event), phrase);
    }
    assert_eq!(certificates::duration_text(360), "6 Stunden");
    assert_eq!(certificates::duration_text(61), "1 Stunde 1 Minute");
    assert_eq!(certificates::duration_text(45), "45 Minuten");
}

#[test]
fn files_are_written_only_where_an_export_may_write() {
    let mut s = scenario();
    check_in(&mut s.store, s.ids[2], "2025-06-12");
    check_in(&mut s.store, s.ids[3], "2025-06-12");
    let dir = tempfile::tempdir().unwrap();
    let protected = ProtectedPaths::new().folder(&dir.path().join("config"));
    let target = dir.path().join("Schilder.pdf");
    let summary = badges::write_badges(
        &mut s.store,
        &BadgeRequest::new(s.event_id),
        &target,
        &protected,
    )
    .unwrap();
    assert_eq!(
        summary.message,
        "11 Namensschilder auf 2 Seiten gespeichert."
    );
    assert!(std::fs::read(&target).unwrap().starts_with(b"%PDF"));
    let err = badges::write_badges(
        &mut s.store,
        &BadgeRequest::new(s.event_id),
        &dir.path().join("Schilder.xlsx"),
        &protected,
    )
    .unwrap_err();
    assert!(err.to_string().contains("Endung .pdf"), "{err}");
    std::fs::create_dir(dir.path().join("config")).unwrap();
    let err = certificates::write_certificates(
        &mut s.store,
        &CertificateRequest::new(s.event_id),
        &dir.path().join("config/b.pdf"),
        &protected,
    )
    .unwrap_err();
    assert!(err.to_string().contains("keine Exporte"), "{err}");
    assert!(!dir.path().join("config/b.pdf").exists());

    let folder = dir.path().join("einzeln");
    std::fs::create_dir(&folder).unwrap();
    let summary = certificates::write_certificates_per_person(
        &mut s.store,
        &CertificateRequest::new(s.event_id),
        &folder,
        &protected,
    )
    .unwrap();
    assert_eq!((summary.files, summary.pages), (2, 2));
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "Teilnahmebescheinigung_Sahin-Ayse_2025-06-12_Tag-der-Staedtepartnerschaften-NRW.pdf",
            "Teilnahmebescheinigung_Yildiz-Isil_2025-06-12_Tag-der-Staedtepartnerschaften-NRW.pdf",
        ]
    );
    let one = std::fs::read(folder.join(&names[1])).unwrap();
    assert!(pdf_text(&one).contains("Işıl Yıldız"));
}

#[test]
fn the_demo_day_prints_a_badge_for_everyone_registered() {
    let mut store = Store::open_in_memory().unwrap();
    crate::imports::seeds::seed_demo(&mut store).unwrap();
    let day = events::list(store.connection())
        .unwrap()
        .into_iter()
        .find(|e| e.title.contains("Tag der Städtepartnerschaften"))
        .unwrap();
    let rows = registrations::list(store.connection(), day.id).unwrap();
    let counted: Vec<_> = rows.iter().filter(|r| r.status.is_counted()).collect();
    let (pdf, named) =
        badges::render_badges(store.connection(), &BadgeRequest::new(day.id)).unwrap();
    assert_eq!(named, counted.len());
    assert_eq!(pdf.pages, counted.len().div_ceil(8));
    let text = pages(&pdf.bytes).join(" ");
    for r in counted {
        assert!(text.contains(&r.last_name), "{}", r.last_name);
    }
}

#[test]
fn certificates_take_the_letterhead_logo_and_signature_from_the_settings() {
    use super::letterhead::{self, ImageKind};
    let mut s = scenario();
    check_in(&mut s.store, s.ids[2], "2025-06-12");
    s.store
        .write(|tx| {
            let mut settings = crate::settings::get(tx)?;
            settings.organisation_name =
                "Netzwerkstelle Städtepartnerschaften NRW, Auslandsgesellschaft.de e.V.".into();
            settings.organisation_address =
                "Steinstraße 48\n44147 Dortmund\nnetzwerk@example.org".into();
            crate::settings::save(tx, settings)?;
            letterhead::set_image(
                tx,
                ImageKind::Logo,
                "logo.png",
                include_bytes!("../../../../tests/fixtures/letterhead/logo.png"),
            )?;
            letterhead::set_image(
                tx,
                ImageKind::Signature,
                "unterschrift.png",
                include_bytes!("../../../../tests/fixtures/letterhead/signature.png"),
            )
        })
        .unwrap();
    let pdf = certificates::certificate_pdf(s.store.connection(), s.ids[2]).unwrap();
    let text = pdf_text(&pdf);
    assert!(text.contains("Steinstraße 48"), "{text}");
    assert!(text.contains("netzwerk@example.org"));
    assert!(
        text.contains("Dortmund, "),
        "place from the address: {text}"
    );
    // Both images are drawn.
    assert_eq!(image_count(&pdf), 2);
    // Without them the page has none.
    s.store
        .write(|tx| {
            letterhead::remove_image(tx, ImageKind::Logo)?;
            letterhead::remove_image(tx, ImageKind::Signature)
        })
        .unwrap();
    let plain = certificates::certificate_pdf(s.store.connection(), s.ids[2]).unwrap();
    assert_eq!(image_count(&plain), 0);
}
