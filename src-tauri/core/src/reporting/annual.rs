//! The Jahresbericht for the funder: an xlsx with a cover sheet (period, the data's Stand, the
//! reference's source) and one sheet per section, every figure a real number and every section
//! with a native Excel chart over its table. Only counts and public names (events, Kommunen,
//! countries, topics) — no personal data.

use std::path::{Path, PathBuf};

use chrono::Utc;
use rust_xlsxwriter::{Chart, ChartLegendPosition, Format, FormatAlign, Workbook, Worksheet};
use serde::Serialize;
use ts_rs::TS;

use super::{GroupRow, Statistics, StatsFilter, statistics};
use crate::documents::Letterhead;
use crate::error::CoreResult;
use crate::exports::sheet::{cell_text, save, xlsx_error};
use crate::exports::target::{ProtectedPaths, check_target};
use crate::exports::write_atomically;
use crate::municipalities;
use crate::store::Store;
use crate::time;

/// The outcome of [`export_annual_report`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AnnualReportSummary {
    /// The file written.
    #[ts(type = "string")]
    pub path: PathBuf,
    /// File size in bytes.
    #[ts(type = "number")]
    pub bytes: usize,
    /// The format written.
    pub format: ReportFormat,
    /// Sections (sheets of the workbook; sections of the PDF after its cover).
    #[ts(type = "number")]
    pub sheets: usize,
    /// Pages of the PDF (0 for the workbook).
    #[ts(type = "number")]
    pub pages: usize,
    /// German confirmation.
    pub message: String,
}

/// The Jahresbericht's file formats, chosen by the target's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum ReportFormat {
    /// Excel workbook with native charts (`.xlsx`).
    Xlsx,
    /// Print-ready PDF (`.pdf`).
    Pdf,
}

impl ReportFormat {
    /// `.pdf` gives the PDF, anything else the workbook (whose target check then asks for
    /// `.xlsx`).
    pub fn of_path(path: &Path) -> Self {
        match path.extension() {
            Some(ext) if ext.eq_ignore_ascii_case("pdf") => ReportFormat::Pdf,
            _ => ReportFormat::Xlsx,
        }
    }

    /// The file extension without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Xlsx => "xlsx",
            ReportFormat::Pdf => "pdf",
        }
    }
}

/// Sheet names, in order (also what the tests read back).
pub const SHEETS: [&str; 7] = [
    "Deckblatt",
    "Veranstaltungen",
    "Teilnahme",
    "Organisationen",
    "Reichweite",
    "Partnerländer",
    "Themen",
];

/// "13.03.2025" from a "2025-03-13".
fn german_date(iso: &str) -> String {
    match iso.split('-').collect::<Vec<_>>().as_slice() {
        [y, m, d] => format!("{d}.{m}.{y}"),
        _ => iso.to_owned(),
    }
}

/// The period in words: "Kalenderjahr 2025" or "01.03.2025 – 30.06.2025".
pub fn period_label(filter: &StatsFilter) -> String {
    let year = filter.from.get(..4).unwrap_or_default();
    if filter.from == format!("{year}-01-01") && filter.to == format!("{year}-12-31") {
        format!("Kalenderjahr {year}")
    } else {
        format!(
            "{} – {}",
            german_date(&filter.from),
            german_date(&filter.to)
        )
    }
}

/// Rows a chart takes below its table (300 px at the default 20 px per row, plus a gap).
const CHART_ROWS: u32 = 17;

/// A4 portrait, fit to one page wide (as long as needed), sheet name and page numbers in the
/// footer.
fn page_setup(sheet: &mut Worksheet) {
    sheet.set_paper_size(9);
    sheet.set_portrait();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    sheet.set_footer("&L&A&RSeite &P von &N");
}

struct Formats {
    title: Format,
    bold: Format,
    header: Format,
    percent: Format,
    wrap: Format,
}

impl Formats {
    fn new() -> Self {
        Formats {
            title: Format::new().set_bold().set_font_size(16),
            bold: Format::new().set_bold(),
            header: Format::new()
                .set_bold()
                .set_background_color("#DCE6F1")
                .set_border_bottom(rust_xlsxwriter::FormatBorder::Thin),
            percent: Format::new()
                .set_num_format("0.0 %")
                .set_align(FormatAlign::Right),
            wrap: Format::new().set_text_wrap(),
        }
    }
}

/// A cell of a table: a number, a share (0–1, shown in percent) or text.
enum Value {
    Number(i64),
    Share(f64),
    Text(String),
}

/// Writes a table with a header at (`row`, 0) and returns the row after it.
fn table(
    sheet: &mut Worksheet,
    f: &Formats,
    row: u32,
    headers: &[&str],
    rows: &[Vec<Value>],
) -> CoreResult<u32> {
    for (c, h) in headers.iter().enumerate() {
        sheet
            .write_string_with_format(row, c as u16, *h, &f.header)
            .map_err(xlsx_error)?;
    }
    for (i, values) in rows.iter().enumerate() {
        let r = row + 1 + i as u32;
        for (c, v) in values.iter().enumerate() {
            let c = c as u16;
            match v {
                Value::Number(n) => sheet.write_number(r, c, *n as f64),
                Value::Share(x) => sheet.write_number_with_format(r, c, *x, &f.percent),
                Value::Text(t) => sheet.write_string(r, c, cell_text(t)),
            }
            .map_err(xlsx_error)?;
        }
    }
    Ok(row + 1 + rows.len() as u32)
}

/// A bar/column chart over `values_col` of the table whose first data row is `first` and last
/// `last`, categories in column 0.
fn chart_over(
    mut chart: Chart,
    sheet_name: &str,
    title: &str,
    first: u32,
    last: u32,
    series: &[(u16, &str)],
) -> Chart {
    chart.title().set_name(title);
    for (col, name) in series {
        chart
            .add_series()
            .set_name(*name)
            .set_categories((sheet_name, first, 0, last, 0))
            .set_values((sheet_name, first, *col, last, *col));
    }
    if series.len() < 2 {
        chart.legend().set_hidden();
    } else {
        chart.legend().set_position(ChartLegendPosition::Bottom);
    }
    chart.set_width(640).set_height(300);
    chart
}

fn group_rows(rows: &[GroupRow]) -> Vec<Vec<Value>> {
    rows.iter()
        .map(|g| {
            vec![
                Value::Text(g.label.clone()),
                Value::Number(g.events),
                Value::Number(g.registrations),
                Value::Number(g.present),
            ]
        })
        .collect()
}

/// The Jahresbericht of `stats` as xlsx bytes.
pub fn annual_report_bytes(stats: &Statistics) -> CoreResult<Vec<u8>> {
    let f = Formats::new();
    let mut workbook = Workbook::new();
    let stand =
        time::in_berlin(time::from_storage(&stats.computed_at).unwrap_or_else(|_| Utc::now()))
            .format("%d.%m.%Y, %H:%M Uhr")
            .to_string();

    // Deckblatt
    {
        let sheet = workbook.add_worksheet();
        sheet.set_name(SHEETS[0]).map_err(xlsx_error)?;
        page_setup(sheet);
        sheet.set_column_width(0, 28).map_err(xlsx_error)?;
        sheet.set_column_width(1, 70).map_err(xlsx_error)?;
        sheet
            .write_string_with_format(
                0,
                0,
                "Jahresbericht – Netzwerkstelle Städtepartnerschaften NRW",
                &f.title,
            )
            .map_err(xlsx_error)?;
        let series = if stats.filter.series.is_empty() {
            "alle Veranstaltungsreihen".to_owned()
        } else {
            stats
                .filter
                .series
                .iter()
                .map(|s| s.label())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let lines = [
            ("Zeitraum", period_label(&stats.filter)),
            ("Veranstaltungsreihen", series),
            ("Stand der Daten", stand.clone()),
            (
                "Kommunen und Kreise",
                format!("{} (Gebietsstand {})", municipalities::SOURCE, german_date(&stats.reference_stand)),
            ),
            (
                "Hinweis",
                "Nur Zahlen, keine personenbezogenen Daten. Anwesend: mindestens eine Anwesenheit erfasst; No-Show-Quote: Anmeldungen vergangener Veranstaltungen mit erfasster Anwesenheit ohne Anwesenheit; Personen und Reichweite zählen Anwesende (anonymisierte Anmeldungen je eine Person).".to_owned(),
            ),
        ];
        for (i, (label, value)) in lines.iter().enumerate() {
            let r = 2 + i as u32;
            // Wrapped texts get their height (LibreOffice does not grow rows by itself).
            let wrapped = value.chars().count().div_ceil(75).max(1);
            if wrapped > 1 {
                sheet
                    .set_row_height(r, 15.0 * wrapped as f64)
                    .map_err(xlsx_error)?;
            }
            sheet
                .write_string_with_format(r, 0, *label, &f.bold)
                .map_err(xlsx_error)?;
            sheet
                .write_string_with_format(r, 1, value, &f.wrap)
                .map_err(xlsx_error)?;
        }
        let figures = [
            ("Veranstaltungen", Value::Number(stats.events)),
            ("Anmeldungen", Value::Number(stats.registrations)),
            ("Anwesend (Teilnahmen)", Value::Number(stats.present)),
            ("Personen (anwesend)", Value::Number(stats.distinct_persons)),
            ("davon zum ersten Mal", Value::Number(stats.first_timers)),
            (
                "Organisationen",
                Value::Number(stats.distinct_organisations),
            ),
            ("No-Show-Quote", Value::Share(stats.no_show_rate)),
            ("Kommunen erreicht", Value::Number(stats.kommunen_reached)),
            ("Kommunen in NRW", Value::Number(stats.kommunen_total)),
            ("Kreise erreicht", Value::Number(stats.kreise_reached)),
            ("Kreise in NRW", Value::Number(stats.kreise_total)),
            (
                "Partnerländer",
                Value::Number(stats.partner_countries.len() as i64),
            ),
        ];
        let rows: Vec<Vec<Value>> = figures
            .into_iter()
            .map(|(label, v)| vec![Value::Text(label.to_owned()), v])
            .collect();
        table(sheet, &f, 9, &["Kennzahl", "Wert"], &rows)?;
    }

    // Veranstaltungen
    {
        let name = SHEETS[1];
        let sheet = workbook.add_worksheet();
        sheet.set_name(name).map_err(xlsx_error)?;
        page_setup(sheet);
        sheet.set_column_width(0, 44).map_err(xlsx_error)?;
        for c in 1..7 {
            sheet.set_column_width(c, 16).map_err(xlsx_error)?;
        }
        sheet.set_column_width(2, 30).map_err(xlsx_error)?;
        let headers = ["Reihe", "Veranstaltungen", "Anmeldungen", "Anwesend"];
        let end = table(sheet, &f, 0, &headers, &group_rows(&stats.by_series))?;
        let chart = chart_over(
            Chart::new_column(),
            name,
            "Veranstaltungen und Teilnahmen nach Reihe",
            1,
            end - 1,
            &[(2, "Anmeldungen"), (3, "Anwesend")],
        );
        sheet.insert_chart(end + 1, 0, &chart).map_err(xlsx_error)?;
        let mut headers = headers;
        headers[0] = "Format";
        let start = end + 1 + CHART_ROWS;
        let end = table(sheet, &f, start, &headers, &group_rows(&stats.by_format))?;
        let chart = chart_over(
            Chart::new_column(),
            name,
            "Veranstaltungen nach Format",
            start + 1,
            end - 1,
            &[(1, "Veranstaltungen")],
        );
        sheet.insert_chart(end + 1, 0, &chart).map_err(xlsx_error)?;
        let rows: Vec<Vec<Value>> = stats
            .event_rows
            .iter()
            .map(|e| {
                vec![
                    Value::Text(e.title.clone()),
                    Value::Text(german_date(&e.date)),
                    Value::Text(e.series.label().to_owned()),
                    Value::Text(e.format.label().to_owned()),
                    Value::Number(e.registrations),
                    Value::Number(e.present),
                ]
            })
            .collect();
        table(
            sheet,
            &f,
            end + 1 + CHART_ROWS,
            &[
                "Veranstaltung",
                "Datum",
                "Reihe",
                "Format",
                "Anmeldungen",
                "Anwesend",
            ],
            &rows,
        )?;
    }

    // Teilnahme
    {
        let name = SHEETS[2];
        let sheet = workbook.add_worksheet();
        sheet.set_name(name).map_err(xlsx_error)?;
        page_setup(sheet);
        sheet.set_column_width(0, 58).map_err(xlsx_error)?;
        sheet.set_column_width(1, 14).map_err(xlsx_error)?;
        let rows = vec![
            vec![
                Value::Text("Anmeldungen".into()),
                Value::Number(stats.registrations),
            ],
            vec![Value::Text("Anwesend".into()), Value::Number(stats.present)],
            vec![
                Value::Text("Stornierungen".into()),
                Value::Number(stats.cancellations),
            ],
            vec![
                Value::Text("Warteliste".into()),
                Value::Number(stats.waitlist),
            ],
            vec![
                Value::Text("No-Shows".into()),
                Value::Number(stats.no_shows),
            ],
        ];
        let end = table(sheet, &f, 0, &["Teilnahme", "Anzahl"], &rows)?;
        let chart = chart_over(
            Chart::new_bar(),
            name,
            "Anmeldungen und Teilnahme",
            1,
            end - 1,
            &[(1, "Anzahl")],
        );
        sheet.insert_chart(end + 1, 0, &chart).map_err(xlsx_error)?;
        let start = end + 1 + CHART_ROWS;
        let rows = vec![
            vec![
                Value::Text("Zum ersten Mal dabei".into()),
                Value::Number(stats.first_timers),
            ],
            vec![
                Value::Text("Wiederkehrend".into()),
                Value::Number(stats.returning),
            ],
        ];
        let end2 = table(sheet, &f, start, &["Personen (anwesend)", "Anzahl"], &rows)?;
        let mut pie = Chart::new_pie();
        pie.title().set_name("Erstteilnehmende und Wiederkehrende");
        pie.add_series()
            .set_categories((name, start + 1, 0, end2 - 1, 0))
            .set_values((name, start + 1, 1, end2 - 1, 1));
        pie.set_width(640).set_height(300);
        sheet.insert_chart(end2 + 1, 0, &pie).map_err(xlsx_error)?;
        table(
            sheet,
            &f,
            end2 + 1 + CHART_ROWS,
            &["Kennzahl", "Wert"],
            &[
                vec![
                    Value::Text("Anmeldungen vergangener Veranstaltungen mit Anwesenheit".into()),
                    Value::Number(stats.past_registrations),
                ],
                vec![
                    Value::Text("No-Show-Quote".into()),
                    Value::Share(stats.no_show_rate),
                ],
                vec![
                    Value::Text("Abgesagte Veranstaltungen".into()),
                    Value::Number(stats.cancelled_events),
                ],
            ],
        )?;
    }

    // Organisationen
    {
        let name = SHEETS[3];
        let sheet = workbook.add_worksheet();
        sheet.set_name(name).map_err(xlsx_error)?;
        page_setup(sheet);
        sheet.set_column_width(0, 36).map_err(xlsx_error)?;
        sheet.set_column_width(1, 14).map_err(xlsx_error)?;
        sheet.set_column_width(2, 16).map_err(xlsx_error)?;
        let rows: Vec<Vec<Value>> = stats
            .by_organisation_kind
            .iter()
            .map(|k| {
                vec![
                    Value::Text(k.label.clone()),
                    Value::Number(k.persons),
                    Value::Number(k.organisations),
                ]
            })
            .collect();
        let end = table(
            sheet,
            &f,
            0,
            &["Art der Organisation", "Personen", "Organisationen"],
            &rows,
        )?;
        let chart = chart_over(
            Chart::new_bar(),
            name,
            "Teilnehmende nach Art der Organisation",
            1,
            end - 1,
            &[(1, "Personen")],
        );
        sheet.insert_chart(end + 1, 0, &chart).map_err(xlsx_error)?;
    }

    // Reichweite
    {
        let name = SHEETS[4];
        let sheet = workbook.add_worksheet();
        sheet.set_name(name).map_err(xlsx_error)?;
        page_setup(sheet);
        sheet.set_column_width(0, 30).map_err(xlsx_error)?;
        for c in 1..5 {
            sheet.set_column_width(c, 17).map_err(xlsx_error)?;
        }
        sheet.set_column_width(1, 26).map_err(xlsx_error)?;
        let mut rows: Vec<Vec<Value>> = stats
            .by_regierungsbezirk
            .iter()
            .map(|b| {
                vec![
                    Value::Text(b.name.clone()),
                    Value::Number(b.kommunen_reached),
                    Value::Number(b.kommunen_total),
                    Value::Number(b.kreise_reached),
                    Value::Number(b.kreise_total),
                ]
            })
            .collect();
        let bezirke = rows.len() as u32;
        rows.push(vec![
            Value::Text("NRW".into()),
            Value::Number(stats.kommunen_reached),
            Value::Number(stats.kommunen_total),
            Value::Number(stats.kreise_reached),
            Value::Number(stats.kreise_total),
        ]);
        let headers = [
            "Regierungsbezirk",
            "Kommunen erreicht",
            "Kommunen gesamt",
            "Kreise erreicht",
            "Kreise gesamt",
        ];
        let end = table(sheet, &f, 0, &headers, &rows)?;
        let chart = chart_over(
            Chart::new_column(),
            name,
            "Erreichte Kommunen nach Regierungsbezirk",
            1,
            bezirke,
            &[(1, "erreicht"), (2, "gesamt")],
        );
        sheet.insert_chart(end + 1, 0, &chart).map_err(xlsx_error)?;
        let list: Vec<Vec<Value>> = stats
            .kommunen_not_reached
            .iter()
            .map(|k| {
                vec![
                    Value::Text(k.name.clone()),
                    Value::Text(k.kreis.clone()),
                    Value::Text(k.regierungsbezirk.clone()),
                    Value::Text(k.ags.clone()),
                ]
            })
            .collect();
        let end = table(
            sheet,
            &f,
            end + 1 + CHART_ROWS,
            &[
                "Noch nicht erreicht: Kommune",
                "Kreis",
                "Regierungsbezirk",
                "AGS",
            ],
            &list,
        )?;
        let list: Vec<Vec<Value>> = stats
            .kreise_not_reached
            .iter()
            .map(|k| {
                vec![
                    Value::Text(k.name.clone()),
                    Value::Text(String::new()),
                    Value::Text(k.regierungsbezirk.clone()),
                    Value::Text(k.ags.clone()),
                ]
            })
            .collect();
        table(
            sheet,
            &f,
            end + 1,
            &[
                "Noch nicht erreicht: Kreis",
                "",
                "Regierungsbezirk",
                "Schlüssel",
            ],
            &list,
        )?;
    }

    // Partnerländer
    {
        let name = SHEETS[5];
        let sheet = workbook.add_worksheet();
        sheet.set_name(name).map_err(xlsx_error)?;
        page_setup(sheet);
        sheet.set_column_width(0, 30).map_err(xlsx_error)?;
        sheet.set_column_width(1, 16).map_err(xlsx_error)?;
        sheet.set_column_width(2, 16).map_err(xlsx_error)?;
        let rows: Vec<Vec<Value>> = stats
            .partner_countries
            .iter()
            .map(|c| {
                vec![
                    Value::Text(c.country.clone()),
                    Value::Number(c.organisations),
                    Value::Number(c.towns),
                ]
            })
            .collect();
        let end = table(
            sheet,
            &f,
            0,
            &["Partnerland", "Organisationen", "Partnerstädte"],
            &rows,
        )?;
        if !rows.is_empty() {
            let chart = chart_over(
                Chart::new_bar(),
                name,
                "Partnerländer der teilnehmenden Organisationen",
                1,
                end - 1,
                &[(1, "Organisationen")],
            );
            sheet.insert_chart(end + 1, 0, &chart).map_err(xlsx_error)?;
        }
    }

    // Themen
    {
        let name = SHEETS[6];
        let sheet = workbook.add_worksheet();
        sheet.set_name(name).map_err(xlsx_error)?;
        page_setup(sheet);
        sheet.set_column_width(0, 36).map_err(xlsx_error)?;
        let rows: Vec<Vec<Value>> = stats
            .topics
            .iter()
            .map(|t| vec![Value::Text(t.label.clone()), Value::Number(t.wishes)])
            .collect();
        let end = table(sheet, &f, 0, &["Thema der Wünsche", "Wünsche"], &rows)?;
        if !rows.is_empty() {
            let chart = chart_over(
                Chart::new_bar(),
                name,
                "Top-Themen der Wünsche",
                1,
                end - 1,
                &[(1, "Wünsche")],
            );
            sheet.insert_chart(end + 1, 0, &chart).map_err(xlsx_error)?;
        }
        let trend = &stats.topic_trend;
        if !trend.events.is_empty() && !trend.topics.is_empty() {
            let start = end + 1 + if rows.is_empty() { 0 } else { CHART_ROWS };
            let mut headers: Vec<&str> = vec!["Themen-Trend (Anteil der Wünsche)"];
            headers.extend(trend.events.iter().map(|e| e.label.as_str()));
            let rows: Vec<Vec<Value>> = trend
                .topics
                .iter()
                .map(|t| {
                    std::iter::once(Value::Text(t.label.clone()))
                        .chain(t.shares.iter().map(|s| Value::Share(*s)))
                        .collect()
                })
                .collect();
            let end = table(sheet, &f, start, &headers, &rows)?;
            let mut line = Chart::new_line();
            line.title()
                .set_name("Themen-Trend von Veranstaltung zu Veranstaltung");
            let last_col = trend.events.len() as u16;
            for r in start + 1..end {
                line.add_series()
                    .set_name((name, r, 0))
                    .set_categories((name, start, 1, start, last_col))
                    .set_values((name, r, 1, r, last_col));
            }
            line.y_axis().set_num_format("0 %");
            line.legend().set_position(ChartLegendPosition::Bottom);
            line.set_width(640).set_height(320);
            sheet.insert_chart(end + 1, 0, &line).map_err(xlsx_error)?;
        }
    }
    save(&mut workbook)
}

/// Computes the figures for `filter` from one snapshot and writes the Jahresbericht to `path`:
/// a PDF when it ends in `.pdf`, else the xlsx (the path must pass [`check_target`] for its
/// format; the store's own database is always protected). The PDF's letterhead comes from the
/// office's settings. The file appears complete or not at all.
pub fn export_annual_report(
    store: &mut Store,
    filter: &StatsFilter,
    path: &Path,
    protected: &ProtectedPaths,
) -> CoreResult<AnnualReportSummary> {
    let own_database = store
        .connection()
        .path()
        .filter(|p| !p.is_empty())
        .map(PathBuf::from);
    let protected = match own_database {
        Some(db) => protected.clone().database(&db),
        None => protected.clone(),
    };
    let format = ReportFormat::of_path(path);
    check_target(path, format.extension(), &protected)?;
    let (bytes, pages, what) = match format {
        ReportFormat::Xlsx => {
            let stats = store.read(|conn| statistics(conn, filter))?;
            let bytes = annual_report_bytes(&stats)?;
            let what = format!("mit {} Tabellenblättern", SHEETS.len());
            (bytes, 0, what)
        }
        ReportFormat::Pdf => {
            let (stats, letterhead) = store
                .read(|conn| Ok((statistics(conn, filter)?, Letterhead::from_settings(conn)?)))?;
            let pdf = super::annual_report_pdf(&stats, &letterhead)?;
            let what = format!(
                "als PDF mit {} {}",
                pdf.pages,
                if pdf.pages == 1 { "Seite" } else { "Seiten" }
            );
            (pdf.bytes, pdf.pages, what)
        }
    };
    write_atomically(path, &bytes)?;
    Ok(AnnualReportSummary {
        path: path.to_owned(),
        bytes: bytes.len(),
        format,
        sheets: SHEETS.len(),
        pages,
        message: format!(
            "Jahresbericht ({}) {what} gespeichert.",
            period_label(filter),
        ),
    })
}
