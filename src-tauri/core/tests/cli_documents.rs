//! The CLI contracts of `documents badges --event ID --out FILE.pdf [--only-present]` and
//! `documents certificates --event ID --out FILE.pdf`, run on the built binary with fresh data;
//! the PDFs are read back with poppler's `pdftotext`/`pdfinfo` (poppler-utils, `make test`).

mod common;

use std::path::Path;
use std::process::Command;

use common::{json, run, stderr};

/// The PDF's text, pages separated by form feeds, white space collapsed within a page.
fn pages(pdf: &Path) -> Vec<String> {
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut pages: Vec<String> = text
        .split('\u{c}')
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    if pages.last().is_some_and(String::is_empty) {
        pages.pop();
    }
    pages
}

fn page_count(pdf: &Path) -> usize {
    let out = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|n| n.trim().parse().unwrap())
        .unwrap()
}

fn german_failure(db: &Path, args: &[&str], expected: &str) {
    let out = run(db, args);
    assert_eq!(out.status.code(), Some(1), "{args:?}");
    let message = stderr(&out);
    assert!(message.starts_with("Fehler: "), "{message}");
    assert!(message.contains(expected), "{args:?}: {message}");
}

/// (e-mail, first name, last name, organisation, checked in)
const PEOPLE: [(&str, &str, &str, &str, bool); 5] = [
    (
        "a@example.org",
        "Jürgen",
        "Öztürk-Weiß",
        "Städtepartnerschaftsverein Hürth e. V.",
        true,
    ),
    ("b@example.org", "Łucja", "Kowałska", "Miasto Kraków", false),
    (
        "c@example.org",
        "Işıl",
        "Şimşek",
        "Dostluk Derneği İzmir",
        true,
    ),
    (
        "d@example.org",
        "Ярослава",
        "Шевченко",
        "Місто Житомир",
        true,
    ),
    ("e@example.org", "Győző", "Pál", "Szeged", false),
];

#[test]
fn badges_and_certificates_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("buero.db");
    let event = json(
        &db,
        &[
            "events",
            "create",
            "--title",
            "Weiterbildung Fördermittel",
            "--starts-at",
            "2099-05-13 10:00",
            "--ends-at",
            "2099-05-13 16:30",
            "--format",
            "praesenz",
            "--json",
        ],
    );
    let id = event["id"].as_i64().unwrap().to_string();
    for (email, first, last, org, present) in PEOPLE {
        json(
            &db,
            &[
                "register",
                "--event",
                &id,
                "--email",
                email,
                "--first-name",
                first,
                "--last-name",
                last,
                "--organisation",
                org,
            ],
        );
        if present {
            json(&db, &["checkin", "--event", &id, "--email", email]);
        }
    }

    // All registered people, one sheet of 8.
    let badges = dir.path().join("Namensschilder.pdf");
    let out = run(
        &db,
        &[
            "documents",
            "badges",
            "--event",
            &id,
            "--out",
            badges.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("5 Namensschilder auf 1 Seite gespeichert."),
        "{said}"
    );
    assert!(said.contains("Namensschilder.pdf"), "{said}");
    assert_eq!(page_count(&badges), 1);
    let text = pages(&badges).join(" ");
    for (_, first, last, org, _) in PEOPLE {
        assert_eq!(text.matches(first).count(), 1, "{first}: {text}");
        assert_eq!(text.matches(last).count(), 1, "{last}: {text}");
        assert!(text.contains(org), "{org}: {text}");
    }

    // Only the people checked in.
    let present = dir.path().join("anwesend.pdf");
    let out = run(
        &db,
        &[
            "documents",
            "badges",
            "--event",
            &id,
            "--out",
            present.to_str().unwrap(),
            "--only-present",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = pages(&present).join(" ");
    for (_, first, last, _, checked_in) in PEOPLE {
        assert_eq!(
            text.matches(last).count(),
            usize::from(checked_in),
            "{last}: {text}"
        );
        assert_eq!(
            text.matches(first).count(),
            usize::from(checked_in),
            "{first}"
        );
    }

    // Certificates: one page per person present, with the 6½ hours of the day.
    let certificates = dir.path().join("Bescheinigungen.pdf");
    let out = run(
        &db,
        &[
            "documents",
            "certificates",
            "--event",
            &id,
            "--out",
            certificates.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("3 Teilnahmebescheinigungen gespeichert."),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(page_count(&certificates), 3);
    let pages = pages(&certificates);
    let present: Vec<_> = PEOPLE.iter().filter(|p| p.4).collect();
    for (page, (_, first, last, _, _)) in pages.iter().zip(&present) {
        assert!(page.contains(&format!("{first} {last}")), "{page}");
        assert!(page.contains("Teilnahmebescheinigung"));
        assert!(page.contains("Weiterbildung Fördermittel"));
        assert!(page.contains("am 13. Mai 2099"), "{page}");
        assert!(page.contains("6 Stunden 30 Minuten"), "{page}");
        for (_, other_first, other_last, _, _) in PEOPLE {
            if other_last != *last {
                assert!(
                    !page.contains(other_last) && !page.contains(other_first),
                    "{page}"
                );
            }
        }
    }
}

#[test]
fn documents_refuse_wrong_targets_and_events_in_german() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("buero.db");
    let event = json(
        &db,
        &[
            "events",
            "create",
            "--title",
            "Forum",
            "--starts-at",
            "2099-05-13 10:00",
            "--ends-at",
            "2099-05-13 12:00",
            "--json",
        ],
    );
    let id = event["id"].as_i64().unwrap().to_string();
    json(
        &db,
        &[
            "register",
            "--event",
            &id,
            "--email",
            "x@example.org",
            "--first-name",
            "Xaver",
            "--last-name",
            "Ypsilon",
        ],
    );
    let xlsx = dir.path().join("Schilder.xlsx");
    german_failure(
        &db,
        &[
            "documents",
            "badges",
            "--event",
            &id,
            "--out",
            xlsx.to_str().unwrap(),
        ],
        "Endung .pdf",
    );
    assert!(!xlsx.exists());
    german_failure(
        &db,
        &[
            "documents",
            "badges",
            "--event",
            &id,
            "--out",
            db.to_str().unwrap(),
        ],
        "Endung .pdf",
    );
    let db_as_pdf = dir.path().join("buero.db-wal");
    german_failure(
        &db,
        &[
            "documents",
            "certificates",
            "--event",
            &id,
            "--out",
            db_as_pdf.to_str().unwrap(),
        ],
        "Endung .pdf",
    );
    let pdf = dir.path().join("b.pdf");
    german_failure(
        &db,
        &[
            "documents",
            "badges",
            "--event",
            "999",
            "--out",
            pdf.to_str().unwrap(),
        ],
        "Die Veranstaltung wurde nicht gefunden.",
    );
    german_failure(
        &db,
        &[
            "documents",
            "badges",
            "--event",
            &id,
            "--out",
            pdf.to_str().unwrap(),
            "--only-present",
        ],
        "Noch niemand ist eingecheckt",
    );
    german_failure(
        &db,
        &[
            "documents",
            "certificates",
            "--event",
            &id,
            "--out",
            pdf.to_str().unwrap(),
        ],
        "niemand als anwesend",
    );
    assert!(!pdf.exists());
    let only_blank = run(
        &db,
        &[
            "documents",
            "badges",
            "--event",
            &id,
            "--out",
            pdf.to_str().unwrap(),
            "--only-present",
            "--blank",
            "3",
        ],
    );
    assert!(only_blank.status.success(), "{}", stderr(&only_blank));
    assert!(
        String::from_utf8_lossy(&only_blank.stdout)
            .contains("3 Namensschilder auf 1 Seite gespeichert, davon 3 leer.")
    );
}
