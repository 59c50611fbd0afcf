//! Issue 13: badges and certificates printed from the event detail ("Dokumente"). The native
//! save dialog is skipped through `TAGUNGSBUERO_EXPORT_DIR` (the harness sets it); the PDF is
//! read back with poppler's `pdftotext` as a person receiving it would read it.

use std::path::Path;
use std::process::Command;

use tagungsbuero_e2e::App;

/// The PDF's text with white space collapsed, and its page count; `crop` reads only the area
/// (x, width) in points of every page (one column of badges, whose lines would otherwise
/// interleave with the neighbour's).
fn read_pdf_area(path: &Path, crop: Option<(u32, u32)>) -> (String, usize) {
    let mut command = Command::new("pdftotext");
    command.args(["-enc", "UTF-8"]);
    if let Some((x, width)) = crop {
        let (x, width) = (x.to_string(), width.to_string());
        command.args(["-x", &x, "-y", "0", "-W", &width, "-H", "842"]);
    }
    let out = command
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let pages = text.split('\u{c}').filter(|p| !p.trim().is_empty()).count();
    (text.split_whitespace().collect::<Vec<_>>().join(" "), pages)
}

fn read_pdf(path: &Path) -> (String, usize) {
    read_pdf_area(path, None)
}

fn written(app: &App) -> Vec<String> {
    std::fs::read_dir(app.export_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[tokio::test]
async fn badges_for_the_people_checked_in_are_printed_from_the_event_detail() {
    let app = App::launch_seeded().await;
    let day: i64 = app
        .db()
        .query_row("SELECT id FROM events WHERE series = 'tag'", [], |r| {
            r.get(0)
        })
        .unwrap();
    // Who was checked in, as the badge shows them: first name, then title and last name.
    let present: Vec<String> = {
        let db = app.db();
        let mut stmt = db
            .prepare(
                "SELECT p.first_name, trim(p.title || ' ' || p.last_name) FROM registrations r
                 JOIN persons p ON p.id = r.person_id
                 WHERE r.event_id = ?1 AND r.status IN ('angemeldet', 'nachgerueckt')
                   AND EXISTS (SELECT 1 FROM attendance a WHERE a.registration_id = r.id
                               AND a.session_id IS NULL AND a.state = 'anwesend')",
            )
            .unwrap();
        stmt.query_map([day], |r| {
            Ok(format!(
                "{} {}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    };
    assert!(present.len() > 8, "the demo day has people checked in");

    app.click(&format!("event-open-{day}")).await;
    app.click("event-documents").await;
    app.wait_for("documents-dialog").await;
    app.click("documents-who-present").await;
    app.fill("documents-blank", "abc").await;
    app.click("documents-submit").await;
    app.wait_for_text("field-error-blank", "ganze Zahl").await;
    app.fill("documents-blank", "3").await;
    let preview = app.text("documents-preview").await;
    assert!(
        preview.starts_with(&format!("{} Namensschilder auf", present.len() + 3)),
        "{preview}"
    );
    app.click("documents-submit").await;
    let result = app
        .wait_for_text("documents-result", "Namensschilder")
        .await;
    assert!(result.contains("davon 3 leer"), "{result}");

    let path = app
        .export_dir()
        .join(format!("{}_6-Tag_Namensschilder.pdf", {
            let day: String = app
                .db()
                .query_row(
                    "SELECT substr(starts_at, 1, 10) FROM events WHERE series = 'tag'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            day
        }));
    assert!(
        path.is_file(),
        "{} among {:?}",
        path.display(),
        written(&app)
    );
    let (_, pages) = read_pdf(&path);
    assert_eq!(pages, (present.len() + 3).div_ceil(8));
    // The two columns of the 8-up sheet: 15–105 mm and 105–195 mm (1 mm = 72/25.4 pt).
    let (left, _) = read_pdf_area(&path, Some((0, 298)));
    let (right, _) = read_pdf_area(&path, Some((298, 297)));
    let text = format!("{left} {right}");
    for name in &present {
        assert_eq!(text.matches(name.as_str()).count(), 1, "{name} in {text}");
    }
    app.close().await;
}

#[tokio::test]
async fn certificates_of_the_training_one_pdf_per_person() {
    let app = App::launch_seeded().await;
    let training: i64 = app
        .db()
        .query_row("SELECT id FROM events WHERE series = 'training'", [], |r| {
            r.get(0)
        })
        .unwrap();
    app.click(&format!("event-open-{training}")).await;
    app.click("event-documents").await;
    app.wait_for("documents-dialog").await;
    app.click("documents-kind-certificates").await;
    app.click("documents-files-per-person").await;
    app.click("documents-submit").await;
    let result = app
        .wait_for_text("documents-result", "als einzelne PDF-Dateien gespeichert")
        .await;
    let files: Vec<String> = written(&app)
        .into_iter()
        .filter(|f| f.starts_with("Teilnahmebescheinigung_"))
        .collect();
    assert!(
        result.starts_with(&format!("{} Teilnahmebescheinigungen", files.len())),
        "{result}"
    );
    assert!(files.len() > 5, "{files:?}");
    for file in &files {
        let (text, pages) = read_pdf(&app.export_dir().join(file));
        assert_eq!(pages, 1, "{file}");
        assert!(
            text.contains("Fit für die Zukunft im Städtepartnerschaftsverein"),
            "{text}"
        );
        assert!(text.contains("Umfang der Teilnahme:"), "{text}");
    }
    app.close().await;
}

#[tokio::test]
async fn certificates_go_to_the_outbox_per_e_mail() {
    let app = App::launch_seeded().await;
    let training: i64 = app
        .db()
        .query_row("SELECT id FROM events WHERE series = 'training'", [], |r| {
            r.get(0)
        })
        .unwrap();
    app.click(&format!("event-open-{training}")).await;
    app.click("event-documents").await;
    app.wait_for("documents-dialog").await;
    app.click("documents-kind-certificates").await;
    app.click("documents-files-mail").await;
    app.click("documents-submit").await;
    let message = app
        .wait_for_text("documents-mailed", "in den Postausgang gelegt")
        .await;
    let queued: i64 = app
        .db()
        .query_row(
            "SELECT count(*) FROM mail_outbox WHERE event_id = ?1 AND kind = 'teilnahmebescheinigung'",
            [training],
            |r| r.get(0),
        )
        .unwrap();
    assert!(queued > 5, "{queued}");
    assert!(
        message.starts_with(&format!("{queued} Teilnahmebescheinigungen")),
        "{message}"
    );
    // Once per person: asking again queues nothing new.
    app.click("documents-to-outbox").await;
    app.wait_for("mail-table").await;
    app.click("nav-events").await;
    app.click(&format!("event-open-{training}")).await;
    app.click("event-documents").await;
    app.click("documents-kind-certificates").await;
    app.click("documents-files-mail").await;
    app.click("documents-submit").await;
    app.wait_for_text("documents-mailed", "Keine neue Teilnahmebescheinigung")
        .await;
    app.close().await;
}

#[tokio::test]
async fn badges_for_people_selected_in_the_table() {
    let app = App::launch_seeded().await;
    let (forum, chosen): (i64, Vec<(i64, String)>) = {
        let db = app.db();
        let forum: i64 = db
            .query_row("SELECT id FROM events WHERE number = 13", [], |r| r.get(0))
            .unwrap();
        let mut stmt = db
            .prepare(
                "SELECT r.id, p.first_name || ' ' || trim(p.title || ' ' || p.last_name)
                 FROM registrations r JOIN persons p ON p.id = r.person_id
                 WHERE r.event_id = ?1 AND r.status = 'angemeldet' ORDER BY r.id LIMIT 3",
            )
            .unwrap();
        let chosen = stmt
            .query_map([forum], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        (forum, chosen)
    };
    app.click(&format!("event-open-{forum}")).await;
    for (id, _) in &chosen {
        app.click(&format!("registration-row-{id}-select")).await;
    }
    app.click("bulk-documents").await;
    app.wait_for_text("documents-selection", "3 in der Tabelle ausgewählten")
        .await;
    assert!(!app.exists("documents-who").await);
    app.click("documents-submit").await;
    app.wait_for_text("documents-result", "3 Namensschilder auf 1 Seite")
        .await;
    let file = written(&app)
        .into_iter()
        .find(|f| f.ends_with("_13-Forum_Namensschilder.pdf"))
        .expect("the badges of the 13th forum");
    let path = app.export_dir().join(file);
    let (left, _) = read_pdf_area(&path, Some((0, 298)));
    let (right, _) = read_pdf_area(&path, Some((298, 297)));
    let text = format!("{left} {right}");
    for (_, name) in &chosen {
        assert_eq!(text.matches(name.as_str()).count(), 1, "{name} in {text}");
    }
    app.close().await;
}
