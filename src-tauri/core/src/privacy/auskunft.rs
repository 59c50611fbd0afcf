//! Art. 15 DSGVO Auskunft: everything stored about one person — the person, the organisation,
//! consents with dates, every registration with its status history, workshops, attendance and
//! wishes, the import rows that created or changed the person, duplicates merged into them and
//! remembered display names — as JSON and as an xlsx workbook with one sheet per kind, with the
//! date of the export. Written only to the path the user chose (checked like an export).

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use rusqlite::types::ValueRef;
use rust_xlsxwriter::Workbook;
use serde::Serialize;
use serde_json::{Map, Value, json};
use ts_rs::TS;

use crate::error::{CoreError, CoreResult};
use crate::exports::sheet::{self, Cell, DataTable};
use crate::exports::{ProtectedPaths, check_target, write_atomically};
use crate::people;
use crate::store::Store;
use crate::time;

/// One kind of data: a JSON key, a sheet and its columns (JSON key, German header).
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Key in the JSON document.
    pub key: &'static str,
    /// Sheet name in the workbook.
    pub sheet: &'static str,
    /// Columns: JSON key and German header.
    pub columns: &'static [(&'static str, &'static str)],
    /// Rows, each as long as `columns`.
    pub rows: Vec<Vec<String>>,
}

/// Everything stored about one person.
#[derive(Debug, Clone, PartialEq)]
pub struct Auskunft {
    /// When the export was made (RFC 3339, Berlin offset).
    pub exported_at: String,
    /// The person's display name (file names, messages).
    pub name: String,
    /// The kinds of data, person first.
    pub sections: Vec<Section>,
}

type Columns = &'static [(&'static str, &'static str)];

const PERSON: Columns = &[
    ("salutation", "Anrede"),
    ("title", "Titel"),
    ("first_name", "Vorname"),
    ("last_name", "Nachname"),
    ("function", "Funktion"),
    ("ort", "Ort"),
    ("email", "E-Mail"),
    ("phone", "Telefon"),
    ("notes", "Notizen"),
    ("created_at", "Angelegt am"),
    ("updated_at", "Zuletzt geändert am"),
];
const ORGANISATION: Columns = &[
    ("name", "Name"),
    ("kind", "Art"),
    ("ort", "Ort"),
    ("kreis", "Kreis"),
    ("partner_towns", "Partnerstädte"),
];
const CONSENTS: Columns = &[
    ("purpose", "Zweck"),
    ("state", "Stand"),
    ("given_on", "Datum"),
    ("source", "Quelle"),
    ("updated_at", "Erfasst am"),
];
const REGISTRATIONS: Columns = &[
    ("event", "Veranstaltung"),
    ("event_starts_at", "Beginn"),
    ("status", "Status"),
    ("waitlist_position", "Wartelistenplatz"),
    ("role", "Rolle"),
    ("source", "Quelle"),
    ("first_time", "Zum ersten Mal"),
    ("comment", "Kommentar"),
    ("cancel_reason", "Grund der Stornierung"),
    ("registered_at", "Angemeldet am"),
];
const STATUS_HISTORY: Columns = &[
    ("event", "Veranstaltung"),
    ("changed_at", "Zeitpunkt"),
    ("from_status", "Von"),
    ("to_status", "Nach"),
    ("reason", "Grund"),
];
const WORKSHOPS: Columns = &[("event", "Veranstaltung"), ("workshop", "Workshop")];
const ATTENDANCE: Columns = &[
    ("event", "Veranstaltung"),
    ("day", "Tag"),
    ("workshop", "Workshop"),
    ("state", "Anwesenheit"),
    ("minutes", "Minuten (online)"),
    ("joined_at", "Erster Beitritt"),
    ("left_at", "Letztes Verlassen"),
];
const WISHES: Columns = &[("event", "Veranstaltung"), ("text", "Wunsch")];
const IMPORTS: Columns = &[
    ("file_name", "Datei"),
    ("importer", "Importart"),
    ("imported_at", "Importiert am"),
    ("line", "Zeile"),
    ("created", "Person angelegt"),
];
const MERGED: Columns = &[
    ("at", "Zeitpunkt"),
    ("summary", "Zusammenfassung"),
    ("details", "Daten der zusammengeführten Person"),
];
const ALIASES: Columns = &[("alias", "Anzeigename (Videokonferenz)")];

/// Rows of `sql` (one `?1` parameter) as text; NULL becomes empty, stored UTC instants of
/// columns whose key ends in `_at` become Berlin time.
fn rows(conn: &Connection, sql: &str, id: i64, columns: Columns) -> CoreResult<Vec<Vec<String>>> {
    let mut stmt = conn.prepare(sql)?;
    let mut query = stmt.query([id])?;
    let mut out = Vec::new();
    while let Some(row) = query.next()? {
        let mut values = Vec::with_capacity(columns.len());
        for (index, (key, _)) in columns.iter().enumerate() {
            let text = match row.get_ref(index)? {
                ValueRef::Null => String::new(),
                ValueRef::Integer(i) => i.to_string(),
                ValueRef::Real(f) => f.to_string(),
                ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t).into_owned(),
            };
            let text = if key.ends_with("_at") && !text.is_empty() {
                time::stored_to_berlin_rfc3339(&text).unwrap_or(text)
            } else {
                text
            };
            values.push(text);
        }
        out.push(values);
    }
    Ok(out)
}

/// Collects everything stored about a person.
pub fn collect(conn: &Connection, person_id: i64) -> CoreResult<Auskunft> {
    let person = people::get_person(conn, person_id)?;
    let section = |key, sheet, columns: Columns, sql: &str| -> CoreResult<Section> {
        Ok(Section {
            key,
            sheet,
            columns,
            rows: rows(conn, sql, person_id, columns)?,
        })
    };
    let registrations = "SELECT id FROM registrations WHERE person_id = ?1";
    let sections = vec![
        section(
            "person",
            "Person",
            PERSON,
            "SELECT salutation, title, first_name, last_name, function, ort, email, phone, notes,
                    created_at, updated_at FROM persons WHERE id = ?1",
        )?,
        section(
            "organisation",
            "Organisation",
            ORGANISATION,
            "SELECT o.name, o.kind, o.ort, o.kreis,
                    (SELECT group_concat(t.town || CASE WHEN t.country <> '' THEN ' (' || t.country || ')' ELSE '' END, ', ')
                       FROM partner_towns t WHERE t.organisation_id = o.id)
             FROM persons p JOIN organisations o ON o.id = p.organisation_id WHERE p.id = ?1",
        )?,
        section(
            "consents",
            "Einwilligungen",
            CONSENTS,
            "SELECT purpose, state, given_on, source, updated_at FROM consents
             WHERE person_id = ?1 ORDER BY purpose",
        )?,
        section(
            "registrations",
            "Anmeldungen",
            REGISTRATIONS,
            "SELECT e.title, e.starts_at, r.status, r.waitlist_position, r.role, r.source,
                    CASE r.first_time WHEN 1 THEN 'ja' ELSE 'nein' END, r.comment,
                    r.cancel_reason, r.registered_at
             FROM registrations r JOIN events e ON e.id = r.event_id
             WHERE r.person_id = ?1 ORDER BY e.starts_at",
        )?,
        section(
            "status_history",
            "Statusverlauf",
            STATUS_HISTORY,
            &format!(
                "SELECT e.title, l.changed_at, l.from_status, l.to_status, l.reason
                 FROM registration_status_log l JOIN registrations r ON r.id = l.registration_id
                 JOIN events e ON e.id = r.event_id
                 WHERE l.registration_id IN ({registrations}) ORDER BY l.changed_at, l.id"
            ),
        )?,
        section(
            "workshops",
            "Workshops",
            WORKSHOPS,
            &format!(
                "SELECT e.title, s.name FROM registration_sessions rs
                 JOIN sessions s ON s.id = rs.session_id JOIN events e ON e.id = s.event_id
                 WHERE rs.registration_id IN ({registrations}) ORDER BY s.starts_at"
            ),
        )?,
        section(
            "attendance",
            "Anwesenheit",
            ATTENDANCE,
            &format!(
                "SELECT e.title, a.day, s.name, a.state, a.minutes, a.joined_at, a.left_at
                 FROM attendance a JOIN registrations r ON r.id = a.registration_id
                 JOIN events e ON e.id = r.event_id LEFT JOIN sessions s ON s.id = a.session_id
                 WHERE a.registration_id IN ({registrations}) ORDER BY a.day, s.starts_at"
            ),
        )?,
        section(
            "wishes",
            "Wünsche",
            WISHES,
            &format!(
                "SELECT e.title, w.text FROM wishes w JOIN events e ON e.id = w.event_id
                 WHERE w.registration_id IN ({registrations}) ORDER BY e.starts_at, w.id"
            ),
        )?,
        section(
            "imports",
            "Importe",
            IMPORTS,
            "SELECT run.file_name, run.importer_id, run.created_at, ir.line,
                    CASE ir.person_created WHEN 1 THEN 'ja' ELSE 'nein' END
             FROM import_rows ir JOIN import_runs run ON run.id = ir.run_id
             WHERE ir.person_id = ?1 ORDER BY run.created_at, ir.line",
        )?,
        section(
            "merged_duplicates",
            "Zusammengeführt",
            MERGED,
            "SELECT at, summary, details FROM person_history WHERE person_id = ?1 ORDER BY at",
        )?,
        section(
            "display_names",
            "Anzeigenamen",
            ALIASES,
            "SELECT alias FROM person_aliases WHERE person_id = ?1 ORDER BY alias",
        )?,
    ];
    Ok(Auskunft {
        exported_at: time::in_berlin(chrono::Utc::now())
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        name: person.display_name(),
        sections,
    })
}

impl Auskunft {
    /// The JSON document: `exported_at`, `person` and `organisation` as objects (organisation
    /// `null` when none), every other kind as an array of objects.
    pub fn to_json(&self) -> Value {
        let mut doc = Map::new();
        doc.insert("exported_at".into(), json!(self.exported_at));
        for section in &self.sections {
            let objects: Vec<Value> = section
                .rows
                .iter()
                .map(|row| {
                    Value::Object(
                        section
                            .columns
                            .iter()
                            .zip(row)
                            .map(|((key, _), value)| ((*key).to_owned(), json!(value)))
                            .collect(),
                    )
                })
                .collect();
            let value = if matches!(section.key, "person" | "organisation") {
                objects.into_iter().next().unwrap_or(Value::Null)
            } else {
                Value::Array(objects)
            };
            doc.insert(section.key.to_owned(), value);
        }
        Value::Object(doc)
    }

    /// The workbook: a sheet "Auskunft" with the date of the export and what each sheet holds,
    /// then one sheet per kind (a table with German headers; an empty kind says "keine Daten").
    pub fn to_xlsx(&self) -> CoreResult<Vec<u8>> {
        let mut workbook = Workbook::new();
        let cover = workbook.add_worksheet();
        cover.set_name("Auskunft").map_err(sheet::xlsx_error)?;
        let mut cover_rows = vec![
            vec![Cell::text("Auskunft nach Art. 15 DSGVO"), Cell::Empty],
            vec![Cell::text("Person"), Cell::text(self.name.clone())],
            vec![
                Cell::text("Stand der Daten"),
                Cell::text(self.exported_at.clone()),
            ],
        ];
        for section in &self.sections {
            cover_rows.push(vec![
                Cell::text(section.sheet),
                Cell::text(format!("{} Einträge", section.rows.len())),
            ]);
        }
        sheet::write_table(
            cover,
            &DataTable {
                headers: vec!["Inhalt".into(), "Angabe".into()],
                rows: cover_rows,
                wrapped: Vec::new(),
            },
            "Uebersicht",
        )?;
        for (index, section) in self.sections.iter().enumerate() {
            let ws = workbook.add_worksheet();
            ws.set_name(section.sheet).map_err(sheet::xlsx_error)?;
            let table = DataTable {
                headers: section
                    .columns
                    .iter()
                    .map(|(_, h)| (*h).to_owned())
                    .collect(),
                rows: section
                    .rows
                    .iter()
                    .map(|row| {
                        row.iter()
                            .map(|v| Cell::text(sheet::cell_text(v)))
                            .collect()
                    })
                    .collect(),
                wrapped: Vec::new(),
            };
            sheet::write_table(ws, &table, &format!("Daten{index}"))?;
        }
        sheet::save(&mut workbook)
    }
}

/// The suggested file name, e.g. `2026-11-29_Auskunft-Art15_Adler-Anna.xlsx`.
pub fn suggested_file_name(
    conn: &Connection,
    person_id: i64,
    extension: &str,
) -> CoreResult<String> {
    let person = people::get_person(conn, person_id)?;
    let name = crate::exports::file_name::ascii_slug(&format!(
        "{} {}",
        person.last_name, person.first_name
    ));
    Ok(format!(
        "{}_Auskunft-Art15_{}.{}",
        time::today_in_berlin().format("%Y-%m-%d"),
        if name.is_empty() {
            "Person".to_owned()
        } else {
            name
        },
        if extension == "json" { "json" } else { "xlsx" }
    ))
}

/// Format of an Auskunft file, by the chosen file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Xlsx,
    Json,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AuskunftSummary {
    /// The file written.
    #[ts(type = "string")]
    pub path: PathBuf,
    /// Bytes written.
    #[ts(type = "number")]
    pub bytes: usize,
    /// German confirmation.
    pub message: String,
}

/// Writes the Auskunft of a person to `path` (`.xlsx` or `.json`, by its extension), complete
/// or not at all; the path must pass [`check_target`] against `protected` and the store's own
/// database.
pub fn export_to_file(
    store: &mut Store,
    person_id: i64,
    path: &Path,
    protected: &ProtectedPaths,
) -> CoreResult<AuskunftSummary> {
    let format = if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    {
        Format::Json
    } else {
        Format::Xlsx
    };
    let extension = match format {
        Format::Xlsx => "xlsx",
        Format::Json => "json",
    };
    let own = store
        .connection()
        .path()
        .filter(|p| !p.is_empty())
        .map(PathBuf::from);
    let protected = match own {
        Some(db) => protected.clone().database(&db),
        None => protected.clone(),
    };
    check_target(path, extension, &protected)?;
    let auskunft = store.read(|conn| collect(conn, person_id))?;
    let bytes = match format {
        Format::Xlsx => auskunft.to_xlsx()?,
        Format::Json => serde_json::to_vec_pretty(&auskunft.to_json())
            .map_err(|e| CoreError::Io(std::io::Error::other(e.to_string())))?,
    };
    write_atomically(path, &bytes)?;
    Ok(AuskunftSummary {
        path: path.to_owned(),
        bytes: bytes.len(),
        message: format!("Auskunft für {} gespeichert.", auskunft.name),
    })
}
