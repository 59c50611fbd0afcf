//! Issue 5: an export from the UI writes the file. The native save dialog is skipped through
//! `TAGUNGSBUERO_EXPORT_DIR` (the harness sets it); the file is read back with calamine.

use calamine::{Data, Reader, Xlsx, open_workbook};
use tagungsbuero_e2e::App;

#[tokio::test]
async fn the_attendance_sheet_of_the_two_day_training_is_exported_from_the_dialog() {
    let app = App::launch_seeded().await;
    let training: i64 = app
        .db()
        .query_row("SELECT id FROM events WHERE series = 'training'", [], |r| {
            r.get(0)
        })
        .unwrap();
    app.click(&format!("event-open-{training}")).await;
    app.click("event-export").await;
    app.wait_for("export-dialog").await;
    app.click("export-exporter-attendance").await;
    app.click("export-submit").await;
    let result = app
        .wait_for_text("export-result", "Anwesenheitsliste")
        .await;

    let path = app
        .export_dir()
        .join("2024-11-29_Fit-fuer-die-Zukunft_Anwesenheitsliste.xlsx");
    let written: Vec<_> = std::fs::read_dir(app.export_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        path.is_file(),
        "expected {} among {written:?} ({result})",
        path.display()
    );

    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let cells: Vec<String> = sheet
        .cells()
        .filter_map(|(_, _, c)| match c {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    assert!(cells.iter().any(|c| c == "Anwesenheitsliste"));
    assert!(cells.iter().any(|c| c == "Unterschrift"));
    assert!(cells.iter().any(|c| c.contains("29.11.2024")));
    assert!(cells.iter().any(|c| c.contains("30.11.2024")));
    assert!(
        cells.iter().any(|c| c == "Kowalski"),
        "registered participants are listed"
    );
    app.close().await;
}
