//! Teilnehmendenliste: one row per registration with a free choice and order of columns, as an
//! Excel table (with an optional Statistik sheet) or as CSV for German Excel.

use std::collections::HashMap;

use rusqlite::Connection;
use rust_xlsxwriter::Workbook;

use super::options::{ExportOptions, OptionKind, OptionSpec};
use super::sheet::{self, Cell, DataTable};
use super::statistics;
use super::{Exporter, Rendered, wording};
use crate::error::{CoreError, CoreResult};
use crate::events::Event;
use crate::people::consents::ConsentState;
use crate::registrations::{self, RegistrationRow, RegistrationStatus, sessions};

/// A column the user can choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Nr,
    Salutation,
    Title,
    FirstName,
    LastName,
    Function,
    Organisation,
    OrganisationKind,
    Ort,
    Kreis,
    Email,
    Phone,
    Status,
    RegisteredAt,
    Role,
    FirstTime,
    Workshops,
    Attendance,
    OnlineMinutes,
    Comment,
}

impl Column {
    const ALL: [Column; 20] = [
        Column::Nr,
        Column::Salutation,
        Column::Title,
        Column::FirstName,
        Column::LastName,
        Column::Function,
        Column::Organisation,
        Column::OrganisationKind,
        Column::Ort,
        Column::Kreis,
        Column::Email,
        Column::Phone,
        Column::Status,
        Column::RegisteredAt,
        Column::Role,
        Column::FirstTime,
        Column::Workshops,
        Column::Attendance,
        Column::OnlineMinutes,
        Column::Comment,
    ];

    fn id(self) -> &'static str {
        match self {
            Column::Nr => "nr",
            Column::Salutation => "salutation",
            Column::Title => "title",
            Column::FirstName => "first_name",
            Column::LastName => "last_name",
            Column::Function => "function",
            Column::Organisation => "organisation",
            Column::OrganisationKind => "organisation_kind",
            Column::Ort => "ort",
            Column::Kreis => "kreis",
            Column::Email => "email",
            Column::Phone => "phone",
            Column::Status => "status",
            Column::RegisteredAt => "registered_at",
            Column::Role => "role",
            Column::FirstTime => "first_time",
            Column::Workshops => "workshops",
            Column::Attendance => "attendance",
            Column::OnlineMinutes => "online_minutes",
            Column::Comment => "comment",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Column::Nr => "Nr.",
            Column::Salutation => "Anrede",
            Column::Title => "Titel",
            Column::FirstName => "Vorname",
            Column::LastName => "Nachname",
            Column::Function => "Funktion",
            Column::Organisation => "Organisation",
            Column::OrganisationKind => "Art der Organisation",
            Column::Ort => "Ort/Kommune",
            Column::Kreis => "Kreis",
            Column::Email => "E-Mail",
            Column::Phone => "Telefon",
            Column::Status => "Status",
            Column::RegisteredAt => "Angemeldet am",
            Column::Role => "Rolle",
            Column::FirstTime => "Erstteilnahme",
            Column::Workshops => "Workshops",
            Column::Attendance => "Anwesenheit je Tag",
            Column::OnlineMinutes => "Online-Minuten",
            Column::Comment => "Kommentar",
        }
    }

    fn parse(id: &str) -> CoreResult<Column> {
        Column::ALL
            .into_iter()
            .find(|c| c.id() == id)
            .ok_or_else(|| CoreError::invalid("columns", format!("Unbekannte Spalte „{id}“.")))
    }
}

/// Columns chosen when the user has not chosen any: minimal — no e-mail or phone unless chosen
/// (a list may be handed on; Datenschutz).
const DEFAULT_COLUMNS: [Column; 12] = [
    Column::Nr,
    Column::Salutation,
    Column::LastName,
    Column::FirstName,
    Column::Organisation,
    Column::OrganisationKind,
    Column::Ort,
    Column::Status,
    Column::RegisteredAt,
    Column::FirstTime,
    Column::Workshops,
    Column::Attendance,
];

/// Statuses listed when the user has not chosen: everyone counted plus the waiting list.
const DEFAULT_STATUSES: [RegistrationStatus; 3] = [
    RegistrationStatus::Angemeldet,
    RegistrationStatus::Nachgerueckt,
    RegistrationStatus::Warteliste,
];

/// The participant list's options in typed form.
struct ParticipantOptions {
    columns: Vec<Column>,
    statuses: Vec<RegistrationStatus>,
    statistics: bool,
    csv: bool,
    /// Only people who consented to appear on the list for other participants.
    only_list_consent: bool,
}

impl ParticipantOptions {
    fn from_options(options: &ExportOptions) -> CoreResult<Self> {
        let columns = options
            .list("columns")?
            .iter()
            .map(|id| Column::parse(id))
            .collect::<CoreResult<_>>()?;
        let statuses = options
            .list("statuses")?
            .iter()
            .map(|s| {
                s.parse()
                    .map_err(|e: String| CoreError::invalid("statuses", e))
            })
            .collect::<CoreResult<_>>()?;
        Ok(ParticipantOptions {
            columns,
            statuses,
            statistics: options.flag("statistics")?,
            csv: options.text("format")? == "csv",
            only_list_consent: options.flag("only_list_consent")?,
        })
    }
}

/// The Teilnehmendenliste exporter (id `participants`).
pub(crate) struct Participants;

impl Exporter for Participants {
    fn id(&self) -> &'static str {
        "participants"
    }

    fn label(&self) -> &'static str {
        "Teilnehmendenliste"
    }

    fn description(&self) -> &'static str {
        "Eine Zeile je Anmeldung mit frei wählbaren Spalten, nach Nachname und Vorname sortiert; \
         als Excel-Tabelle mit Filter (optional mit Statistik) oder als CSV für Excel."
    }

    fn file_label(&self) -> &'static str {
        "Teilnehmendenliste"
    }

    fn options(&self) -> Vec<OptionSpec> {
        let columns: Vec<(&str, &str)> = Column::ALL.iter().map(|c| (c.id(), c.label())).collect();
        let default_columns: Vec<&str> = DEFAULT_COLUMNS.iter().map(|c| c.id()).collect();
        let statuses: Vec<(&str, &str)> = RegistrationStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect();
        let default_statuses: Vec<&str> = DEFAULT_STATUSES.iter().map(|s| s.as_str()).collect();
        vec![
            OptionSpec::list(
                OptionKind::Columns,
                "columns",
                "Spalten",
                "Auswahl und Reihenfolge der Spalten. „Anwesenheit je Tag“ ergibt eine Spalte je \
                 Veranstaltungstag; „Workshops“ entfällt bei Veranstaltungen ohne Workshops.",
                &columns,
                &default_columns,
            ),
            OptionSpec::list(
                OptionKind::Multi,
                "statuses",
                "Status",
                "Welche Anmeldungen aufgeführt werden.",
                &statuses,
                &default_statuses,
            ),
            OptionSpec::flag(
                "only_list_consent",
                "nur mit Einwilligung zur Teilnehmendenliste",
                "Für eine Liste, die an andere Teilnehmende geht: nur Personen, die eingewilligt \
                 haben, dass ihr Name auf der Teilnehmendenliste steht.",
                false,
            ),
            OptionSpec::flag(
                "statistics",
                "Blatt „Statistik“",
                "Zählungen nach Status, Art der Organisation, Kreis, Erstteilnahme und \
                 Anwesenheit je Tag (nur Excel).",
                false,
            ),
            OptionSpec::choice(
                "format",
                "Dateiformat",
                "CSV ist durch Semikolons getrennt und UTF-8-kodiert (für deutsches Excel).",
                &[
                    ("xlsx", "Excel-Arbeitsmappe (.xlsx)"),
                    ("csv", "CSV für Excel (.csv)"),
                ],
                "xlsx",
            ),
        ]
    }

    fn extension(&self, options: &ExportOptions) -> CoreResult<&'static str> {
        Ok(if ParticipantOptions::from_options(options)?.csv {
            "csv"
        } else {
            "xlsx"
        })
    }

    fn render(
        &self,
        conn: &Connection,
        event: &Event,
        options: &ExportOptions,
    ) -> CoreResult<Rendered> {
        let options = ParticipantOptions::from_options(options)?;
        let all = registrations::list(conn, event.id)?;
        let table = build_table(conn, event, &all, &options)?;
        let rows = table.rows.len();
        let bytes = if options.csv {
            sheet::to_csv(&table)?
        } else {
            // The leading name columns are repeated when the list is printed over two widths.
            let names = options
                .columns
                .iter()
                .take_while(|c| {
                    matches!(
                        c,
                        Column::Nr | Column::Salutation | Column::LastName | Column::FirstName
                    )
                })
                .count();
            let statistics = if options.statistics {
                Some((&all[..], sessions::list_sessions(conn, event.id)?))
            } else {
                None
            };
            write_workbook(event, &table, names, statistics)?
        };
        Ok(Rendered { bytes, rows })
    }
}

/// What a row needs besides the registration: event days and workshop names.
struct Context {
    days: Vec<String>,
    session_names: HashMap<i64, String>,
}

fn build_table(
    conn: &Connection,
    event: &Event,
    all: &[RegistrationRow],
    options: &ParticipantOptions,
) -> CoreResult<DataTable> {
    let session_names: HashMap<i64, String> = sessions::list_sessions(conn, event.id)?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let columns: Vec<Column> = options
        .columns
        .iter()
        .copied()
        .filter(|c| *c != Column::Workshops || !session_names.is_empty())
        .collect();
    let context = Context {
        days: event.days.clone(),
        session_names,
    };
    let headers = columns
        .iter()
        .map(|c| headers_of(*c, &context))
        .collect::<CoreResult<Vec<_>>>()?
        .concat();
    let rows = all
        .iter()
        .filter(|r| options.statuses.contains(&r.status))
        .filter(|r| !options.only_list_consent || r.list_consent == Some(ConsentState::Erteilt))
        .enumerate()
        .map(|(i, r)| row_cells(&columns, i + 1, r, &context))
        .collect::<CoreResult<_>>()?;
    Ok(DataTable {
        headers,
        rows,
        wrapped: Vec::new(),
    })
}

fn headers_of(column: Column, context: &Context) -> CoreResult<Vec<String>> {
    if column != Column::Attendance {
        return Ok(vec![column.label().to_owned()]);
    }
    context
        .days
        .iter()
        .map(|d| {
            let day = crate::time::parse_date(d, "days")?;
            Ok(format!("Anwesenheit {}", wording::date(day)))
        })
        .collect()
}

fn row_cells(
    columns: &[Column],
    nr: usize,
    r: &RegistrationRow,
    context: &Context,
) -> CoreResult<Vec<Cell>> {
    let mut cells = Vec::with_capacity(columns.len() + context.days.len());
    for column in columns {
        match column {
            Column::Attendance => cells.extend(attendance_cells(r, &context.days)),
            Column::RegisteredAt => {
                cells.push(Cell::Date(wording::berlin_date(&r.registered_at)?));
            }
            Column::Nr => cells.push(Cell::Number(nr as f64)),
            Column::OnlineMinutes => cells.push(match r.minutes {
                Some(minutes) => Cell::Number(minutes as f64),
                None => Cell::Empty,
            }),
            other => cells.push(Cell::text(text_of(*other, r, context))),
        }
    }
    Ok(cells)
}

fn attendance_cells<'a>(
    r: &'a RegistrationRow,
    days: &'a [String],
) -> impl Iterator<Item = Cell> + 'a {
    days.iter().map(|day| match r.day_state(day) {
        Some(state) => Cell::text(state.label()),
        None => Cell::Empty,
    })
}

fn text_of(column: Column, r: &RegistrationRow, context: &Context) -> String {
    match column {
        Column::Salutation => r.salutation.clone(),
        Column::Title => r.title.clone(),
        Column::FirstName => r.first_name.clone(),
        Column::LastName => r.last_name.clone(),
        Column::Function => r.function.clone(),
        Column::Organisation => r.organisation.clone().unwrap_or_default(),
        Column::OrganisationKind => r
            .organisation_kind
            .map(|k| k.label().to_owned())
            .unwrap_or_default(),
        Column::Ort => r.ort.clone(),
        Column::Kreis => r.kreis.clone().unwrap_or_default(),
        Column::Email => r.email.clone(),
        Column::Phone => r.phone.clone(),
        Column::Status => status_text(r),
        Column::Role => r.role.label().to_owned(),
        Column::FirstTime => if r.first_time { "ja" } else { "nein" }.to_owned(),
        Column::Workshops => workshop_names(r, &context.session_names),
        Column::Comment => r.comment.clone(),
        Column::Nr | Column::RegisteredAt | Column::Attendance | Column::OnlineMinutes => {
            String::new()
        }
    }
}

/// "Warteliste (3)" for waiting-list entries, else the status label.
fn status_text(r: &RegistrationRow) -> String {
    match r.waitlist_position {
        Some(p) => format!("{} ({p})", r.status.label()),
        None => r.status.label().to_owned(),
    }
}

fn workshop_names(r: &RegistrationRow, names: &HashMap<i64, String>) -> String {
    let chosen: Vec<&str> = r
        .session_ids
        .iter()
        .filter_map(|id| names.get(id).map(String::as_str))
        .collect();
    chosen.join("; ")
}

fn write_workbook(
    event: &Event,
    table: &DataTable,
    name_columns: usize,
    statistics_of: Option<(&[RegistrationRow], Vec<sessions::Session>)>,
) -> CoreResult<Vec<u8>> {
    let mut workbook = Workbook::new();
    // Rows are streamed to a temporary file with inline strings: for long lists about a third
    // faster than the in-memory worksheet and with flat memory use.
    let sheet = workbook
        .add_worksheet_with_constant_memory()
        .map_err(sheet::xlsx_error)?;
    sheet.set_name("Teilnehmende").map_err(sheet::xlsx_error)?;
    sheet::write_table(sheet, table, "Teilnehmende")?;
    sheet::list_page_setup(
        sheet,
        &format!("Teilnehmendenliste – {}", wording::title_with_number(event)),
        table,
        name_columns,
    )?;
    if let Some((all, workshops)) = statistics_of {
        statistics::add_sheet(&mut workbook, event, all, &workshops)?;
    }
    sheet::save(&mut workbook)
}
