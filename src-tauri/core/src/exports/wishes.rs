//! Wünsche nach Themen: the event's wishes from the curation board, grouped as on the board
//! (group → cluster → wish), as an Excel table plus an overview sheet with the count per topic.
//! Anonymous by default; person and organisation only when the option is chosen.

use std::collections::HashMap;

use rusqlite::Connection;
use rust_xlsxwriter::Workbook;

use super::options::{ExportOptions, OptionSpec};
use super::sheet::{self, Cell, DataTable, xlsx_error};
use super::{Exporter, Rendered, wording};
use crate::error::CoreResult;
use crate::events::Event;
use crate::registrations::{self, RegistrationRow};
use crate::wishes::board::{self, WishBoard, WishCard};

/// Topic of wishes no cluster holds.
const UNASSIGNED: &str = "Nicht zugeordnet";

/// The wishes export's options in typed form.
struct WishOptions {
    with_names: bool,
    include_unassigned: bool,
}

impl WishOptions {
    fn from_options(options: &ExportOptions) -> CoreResult<Self> {
        Ok(WishOptions {
            with_names: options.flag("with_names")?,
            include_unassigned: options.flag("include_unassigned")?,
        })
    }
}

/// The Wünsche-nach-Themen exporter (id `wishes`).
pub(crate) struct Wishes;

impl Exporter for Wishes {
    fn id(&self) -> &'static str {
        "wishes"
    }

    fn label(&self) -> &'static str {
        "Wünsche nach Themen"
    }

    fn description(&self) -> &'static str {
        "Die Wünsche der Teilnehmenden in der Ordnung der Themenwand (Gruppe, Thema, Wunsch) \
         mit einer Übersicht der Anzahl je Thema; ohne Namen, wenn nicht anders gewählt."
    }

    fn file_label(&self) -> &'static str {
        "Wuensche-nach-Themen"
    }

    fn options(&self) -> Vec<OptionSpec> {
        vec![
            OptionSpec::flag(
                "with_names",
                "Person und Organisation angeben",
                "Nur für die interne Auswertung; für Präsentation und Bericht ohne Namen lassen.",
                false,
            ),
            OptionSpec::flag(
                "include_unassigned",
                "Nicht zugeordnete Wünsche aufnehmen",
                "Wünsche ohne Thema stehen am Ende unter „Nicht zugeordnet“.",
                true,
            ),
        ]
    }

    fn extension(&self, _options: &ExportOptions) -> CoreResult<&'static str> {
        Ok("xlsx")
    }

    fn render(
        &self,
        conn: &Connection,
        event: &Event,
        options: &ExportOptions,
    ) -> CoreResult<Rendered> {
        let options = WishOptions::from_options(options)?;
        let board = board::board(conn, event)?;
        let people: HashMap<i64, RegistrationRow> = if options.with_names {
            registrations::list(conn, event.id)?
                .into_iter()
                .map(|r| (r.registration_id, r))
                .collect()
        } else {
            HashMap::new()
        };
        let entries = entries(&board, options.include_unassigned);
        let table = wish_table(&entries, options.with_names.then_some(&people));
        let overview = overview_table(&entries);
        let rows = table.rows.len();
        let bytes = write_workbook(event, &table, &overview)?;
        Ok(Rendered { bytes, rows })
    }
}

/// One wish with the group and topic it is listed under.
struct Entry<'a> {
    group: &'a str,
    topic: &'a str,
    wish: &'a WishCard,
}

/// The wishes in board order: sections, their clusters, then the unassigned ones.
fn entries(board: &WishBoard, include_unassigned: bool) -> Vec<Entry<'_>> {
    let mut entries = Vec::with_capacity(board.total);
    for section in &board.sections {
        for cluster in &section.clusters {
            let group = cluster.group.as_deref().unwrap_or("");
            entries.extend(cluster.wishes.iter().map(|wish| Entry {
                group,
                topic: &cluster.label,
                wish,
            }));
        }
    }
    if include_unassigned {
        entries.extend(board.unassigned.iter().map(|wish| Entry {
            group: "",
            topic: UNASSIGNED,
            wish,
        }));
    }
    entries
}

fn wish_table(entries: &[Entry<'_>], people: Option<&HashMap<i64, RegistrationRow>>) -> DataTable {
    let mut headers: Vec<String> = ["Nr.", "Gruppe", "Thema", "Wunsch"]
        .map(String::from)
        .to_vec();
    if people.is_some() {
        headers.extend(["Person".into(), "Organisation".into()]);
    }
    let rows = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mut cells = vec![
                Cell::Number((i + 1) as f64),
                Cell::text(e.group),
                Cell::text(e.topic),
                Cell::text(e.wish.text.as_str()),
            ];
            if let Some(people) = people {
                let person = e.wish.registration_id.and_then(|id| people.get(&id));
                cells.push(Cell::text(person.map(full_name).unwrap_or_default()));
                cells.push(Cell::text(
                    person
                        .and_then(|p| p.organisation.clone())
                        .unwrap_or_default(),
                ));
            }
            cells
        })
        .collect();
    // The wish itself wraps; everything else is short.
    DataTable {
        headers,
        rows,
        wrapped: vec![3],
    }
}

/// "Dr. Anna Müller".
fn full_name(r: &RegistrationRow) -> String {
    [
        r.title.as_str(),
        r.first_name.as_str(),
        r.last_name.as_str(),
    ]
    .iter()
    .filter(|p| !p.is_empty())
    .copied()
    .collect::<Vec<_>>()
    .join(" ")
}

/// Group, topic and number of wishes, in board order.
fn overview_table(entries: &[Entry<'_>]) -> DataTable {
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut last: Option<(&str, &str)> = None;
    for e in entries {
        if last == Some((e.group, e.topic)) {
            if let Some(Cell::Number(n)) = rows.last_mut().and_then(|r| r.last_mut()) {
                *n += 1.0;
            }
            continue;
        }
        rows.push(vec![
            Cell::text(e.group),
            Cell::text(e.topic),
            Cell::Number(1.0),
        ]);
        last = Some((e.group, e.topic));
    }
    DataTable {
        headers: ["Gruppe", "Thema", "Anzahl Wünsche"]
            .map(String::from)
            .to_vec(),
        rows,
        wrapped: Vec::new(),
    }
}

fn write_workbook(event: &Event, wishes: &DataTable, overview: &DataTable) -> CoreResult<Vec<u8>> {
    let title = format!(
        "Wünsche nach Themen – {}",
        wording::title_with_number(event)
    );
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Wünsche").map_err(xlsx_error)?;
    sheet::write_table(sheet, wishes, "Wuensche")?;
    sheet::list_page_setup(sheet, &title, wishes, 0)?;
    let sheet = workbook.add_worksheet();
    sheet.set_name("Übersicht").map_err(xlsx_error)?;
    sheet::write_table(sheet, overview, "Themen")?;
    sheet::list_page_setup(sheet, &title, overview, 0)?;
    sheet::save(&mut workbook)
}
