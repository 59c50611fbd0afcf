//! Anwesenheitsliste: a print-ready A4 form that participants sign, as funders accept it.
//!
//! What German adult-education and programme funders ask for: a header with the event, every
//! date and the times, place and organiser (and the funding line); per person Name, Vorname and
//! a handwritten Unterschrift — one signature per day for multi-day courses — without
//! addresses; no ditto marks; the organiser confirms at the end. Rows are pre-filled with the
//! registered persons (sorted by name), followed by blank rows for walk-ins.
//!
//! Print setup: A4, landscape (portrait as option), all columns on one page width, the column
//! headers repeated on every page, "Seite X von Y" in the footer, borders on the whole grid.

use rusqlite::Connection;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet};

use super::options::{ExportOptions, OptionSpec};
use super::sheet::{self, excel_col, xlsx_error};
use super::{Exporter, Rendered, wording};
use crate::error::CoreResult;
use crate::events::Event;
use crate::people::consents::ConsentState;
use crate::registrations::{self, RegistrationRow, RegistrationStatus};

/// Printed below the header block, above the table.
const CONSENT_NOTE: &str = "Mit meiner Unterschrift bestätige ich meine Teilnahme. Die Liste \
     dient ausschließlich dem Nachweis der Teilnahme gegenüber dem Zuwendungsgeber.";
/// Added to the note when the photo column is printed.
const PHOTO_NOTE: &str = " Foto-Einwilligung: Bitte ankreuzen, wenn Sie mit Fotos von sich in \
     der Berichterstattung über die Veranstaltung einverstanden sind.";

/// The attendance sheet's options in typed form.
struct AttendanceOptions {
    portrait: bool,
    photo_consent: bool,
    walk_in_rows: u32,
    include_waitlist: bool,
}

impl AttendanceOptions {
    fn from_options(options: &ExportOptions) -> CoreResult<Self> {
        Ok(AttendanceOptions {
            portrait: options.text("orientation")? == "portrait",
            photo_consent: options.flag("photo_consent")?,
            walk_in_rows: options.number("walk_in_rows")?,
            include_waitlist: options.flag("include_waitlist")?,
        })
    }

    fn lists(&self, status: RegistrationStatus) -> bool {
        status.is_counted() || (self.include_waitlist && status == RegistrationStatus::Warteliste)
    }
}

/// The Anwesenheitsliste exporter (id `attendance`).
pub(crate) struct Attendance;

impl Exporter for Attendance {
    fn id(&self) -> &'static str {
        "attendance"
    }

    fn label(&self) -> &'static str {
        "Anwesenheitsliste"
    }

    fn description(&self) -> &'static str {
        "Druckfertige Liste zum Unterschreiben (A4) für den Nachweis gegenüber Fördergebern: \
         eine Unterschriftenspalte je Veranstaltungstag, Leerzeilen für Nachmeldungen und die \
         Bestätigung der Veranstalterin / des Veranstalters."
    }

    fn file_label(&self) -> &'static str {
        "Anwesenheitsliste"
    }

    fn options(&self) -> Vec<OptionSpec> {
        vec![
            OptionSpec::choice(
                "orientation",
                "Ausrichtung",
                "Querformat bietet mehr Platz für Unterschriften.",
                &[("landscape", "Querformat"), ("portrait", "Hochformat")],
                "landscape",
            ),
            OptionSpec::flag(
                "photo_consent",
                "Spalte „Foto-Einwilligung ☐“",
                "Ein Kästchen je Person zum Ankreuzen.",
                false,
            ),
            OptionSpec::number(
                "walk_in_rows",
                "Leerzeilen für Nachmeldungen",
                "Leere, nummerierte Zeilen am Ende der Liste.",
                10,
                0,
                200,
            ),
            OptionSpec::flag(
                "include_waitlist",
                "Warteliste aufnehmen",
                "Sonst stehen nur angemeldete und nachgerückte Personen auf der Liste.",
                false,
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
        let options = AttendanceOptions::from_options(options)?;
        // Anonymous registrations (after the shredder) have nobody to sign.
        let persons: Vec<RegistrationRow> = registrations::list(conn, event.id)?
            .into_iter()
            .filter(|r| r.person_id.is_some() && options.lists(r.status))
            .collect();
        let layout = Layout::new(event, &options)?;
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.set_name("Anwesenheitsliste").map_err(xlsx_error)?;
        write_form(sheet, event, &layout, &persons)?;
        Ok(Rendered {
            bytes: sheet::save(&mut workbook)?,
            rows: persons.len(),
        })
    }
}

/// Column widths, the signature days and row heights for one orientation.
struct Layout {
    portrait: bool,
    /// Whether the photo-consent column is printed (after "Ort").
    photo_consent: bool,
    /// Fixed columns: header and width.
    columns: Vec<(&'static str, f64)>,
    /// One signature column per day: header ("Fr, 29.11.2024").
    days: Vec<String>,
    signature_width: f64,
    row_height: f64,
    walk_in_rows: u32,
}

impl Layout {
    fn new(event: &Event, options: &AttendanceOptions) -> CoreResult<Layout> {
        let p = options.portrait;
        let mut columns = vec![
            ("Nr.", 5.0),
            ("Name", if p { 16.0 } else { 22.0 }),
            ("Vorname", if p { 13.0 } else { 17.0 }),
            ("Organisation/Institution", if p { 27.0 } else { 32.0 }),
            ("Ort", if p { 15.0 } else { 16.0 }),
        ];
        if options.photo_consent {
            columns.push(("Foto-Einwilligung ☐", 14.0));
        }
        let days: Vec<String> = wording::event_days(event)?
            .into_iter()
            .map(wording::weekday_date)
            .collect();
        let (room, widest) = if p { (36.0, 26.0) } else { (52.0, 38.0) };
        let signature_width = (room / days.len() as f64).clamp(18.0, widest);
        Ok(Layout {
            portrait: p,
            photo_consent: options.photo_consent,
            columns,
            days,
            signature_width,
            row_height: if p { 34.0 } else { 30.0 },
            walk_in_rows: options.walk_in_rows,
        })
    }

    fn first_signature_col(&self) -> usize {
        self.columns.len()
    }

    fn last_col(&self) -> CoreResult<u16> {
        excel_col(self.columns.len() + self.days.len() - 1)
    }

    /// Approximate width of columns `from..` in characters.
    fn width_from(&self, from: usize) -> f64 {
        let fixed: f64 = self.columns.iter().skip(from).map(|(_, w)| w).sum();
        fixed + self.signature_width * self.days.len() as f64
    }
}

/// The cell formats of the form.
struct Formats {
    title: Format,
    event: Format,
    label: Format,
    value: Format,
    note: Format,
    header: Format,
    cell: Format,
    center: Format,
    checkbox: Format,
    bold: Format,
    line: Format,
}

impl Formats {
    fn new() -> Formats {
        let grid = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter)
            .set_font_size(10);
        Formats {
            title: Format::new().set_bold().set_font_size(18),
            event: Format::new()
                .set_bold()
                .set_font_size(13)
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            label: Format::new().set_bold().set_align(FormatAlign::Top),
            value: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            note: Format::new()
                .set_italic()
                .set_font_size(9)
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            header: Format::new()
                .set_bold()
                .set_border(FormatBorder::Thin)
                .set_background_color("D9D9D9")
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            cell: grid.clone().set_text_wrap().set_indent(1),
            center: grid.clone().set_align(FormatAlign::Center),
            checkbox: grid.set_align(FormatAlign::Center).set_font_size(14),
            bold: Format::new().set_bold(),
            line: Format::new()
                .set_border_top(FormatBorder::Thin)
                .set_font_size(9)
                .set_align(FormatAlign::Top),
        }
    }
}

fn write_form(
    sheet: &mut Worksheet,
    event: &Event,
    layout: &Layout,
    persons: &[RegistrationRow],
) -> CoreResult<()> {
    let f = Formats::new();
    let next = write_header_block(sheet, event, layout, &f)?;
    let (first_header, last_header) = write_column_headers(sheet, next, layout, &f)?;
    let mut row = last_header + 1;
    for (i, person) in persons.iter().enumerate() {
        write_person_row(sheet, row, i + 1, Some(person), layout, &f)?;
        row += 1;
    }
    for i in 0..layout.walk_in_rows as usize {
        write_person_row(sheet, row, persons.len() + i + 1, None, layout, &f)?;
        row += 1;
    }
    write_confirmation(sheet, row + 1, layout, &f)?;
    set_widths(sheet, layout)?;
    page_setup(sheet, event, layout, first_header, last_header)
}

/// Title and the event's facts; returns the first row after the block.
fn write_header_block(
    sheet: &mut Worksheet,
    event: &Event,
    layout: &Layout,
    f: &Formats,
) -> CoreResult<u32> {
    let last = layout.last_col()?;
    sheet
        .write_string_with_format(0, 0, "Anwesenheitsliste", &f.title)
        .map_err(xlsx_error)?;
    sheet.set_row_height(0, 28).map_err(xlsx_error)?;
    let title = wording::title_with_number(event);
    merge(sheet, 1, 0, last, &title, &f.event)?;
    sheet
        .set_row_height(1, line_height(&title, layout.width_from(0) * 0.85, 18.0))
        .map_err(xlsx_error)?;
    let organiser = event.organiser.trim();
    let facts = vec![
        ("Datum und Zeit:", wording::dates_and_times(event)?),
        ("Ort:", wording::place(event)),
        ("Veranstalter/in:", organiser.to_owned()),
    ];
    let mut row = 2;
    for (label, value) in &facts {
        write_fact(sheet, row, label, value, layout, f)?;
        row += 1;
    }
    let funding = event.funding_note.trim();
    if !funding.is_empty() {
        merge(sheet, row, 0, last, funding, &f.value)?;
        let height = line_height(funding, layout.width_from(0), 15.0);
        sheet.set_row_height(row, height).map_err(xlsx_error)?;
        row += 1;
    }
    Ok(row + 1)
}

/// "Label: value" with the value merged across the rest of the width (and wrapped).
fn write_fact(
    sheet: &mut Worksheet,
    row: u32,
    label: &str,
    value: &str,
    layout: &Layout,
    f: &Formats,
) -> CoreResult<()> {
    sheet
        .merge_range(row, 0, row, 1, label, &f.label)
        .map_err(xlsx_error)?;
    merge(sheet, row, 2, layout.last_col()?, value, &f.value)?;
    let height = line_height(value, layout.width_from(2), 15.0);
    sheet.set_row_height(row, height).map_err(xlsx_error)?;
    Ok(())
}

/// Writes user text across `first..=last` of one row (a single cell needs no merge).
fn merge(
    sheet: &mut Worksheet,
    row: u32,
    first: u16,
    last: u16,
    text: &str,
    format: &Format,
) -> CoreResult<()> {
    let text = sheet::cell_text(text);
    if first == last {
        sheet.write_string_with_format(row, first, text, format)
    } else {
        sheet.merge_range(row, first, row, last, &text, format)
    }
    .map_err(xlsx_error)?;
    Ok(())
}

/// Row height for wrapped `text` in a merged area `width` characters wide.
fn line_height(text: &str, width: f64, per_line: f64) -> f64 {
    let lines = (text.chars().count() as f64 / width.max(1.0))
        .ceil()
        .max(1.0);
    lines * per_line
}

/// The hint and the table header (two rows with the days under "Unterschrift" for multi-day
/// events); returns the first and last header row.
fn write_column_headers(
    sheet: &mut Worksheet,
    row: u32,
    layout: &Layout,
    f: &Formats,
) -> CoreResult<(u32, u32)> {
    let note = if layout.photo_consent {
        format!("{CONSENT_NOTE}{PHOTO_NOTE}")
    } else {
        CONSENT_NOTE.to_owned()
    };
    merge(sheet, row, 0, layout.last_col()?, &note, &f.note)?;
    sheet
        .set_row_height(row, line_height(&note, layout.width_from(0) * 1.1, 12.0))
        .map_err(xlsx_error)?;
    let top = row + 2;
    let two_rows = layout.days.len() > 1;
    let bottom = if two_rows { top + 1 } else { top };
    for (c, (header, _)) in layout.columns.iter().enumerate() {
        let c = excel_col(c)?;
        if two_rows {
            sheet.merge_range(top, c, bottom, c, header, &f.header)
        } else {
            sheet.write_string_with_format(top, c, *header, &f.header)
        }
        .map_err(xlsx_error)?;
    }
    write_signature_headers(sheet, top, bottom, layout, f)?;
    let header_height = if layout.photo_consent { 32 } else { 24 };
    sheet
        .set_row_height(top, header_height)
        .map_err(xlsx_error)?;
    if two_rows {
        sheet.set_row_height(bottom, 18).map_err(xlsx_error)?;
    }
    Ok((top, bottom))
}

fn write_signature_headers(
    sheet: &mut Worksheet,
    top: u32,
    bottom: u32,
    layout: &Layout,
    f: &Formats,
) -> CoreResult<()> {
    let first = excel_col(layout.first_signature_col())?;
    let last = layout.last_col()?;
    if top == bottom {
        sheet
            .write_string_with_format(top, first, "Unterschrift", &f.header)
            .map_err(xlsx_error)?;
        return Ok(());
    }
    sheet
        .merge_range(top, first, top, last, "Unterschrift", &f.header)
        .map_err(xlsx_error)?;
    for (i, day) in layout.days.iter().enumerate() {
        sheet
            .write_string_with_format(bottom, first + excel_col(i)?, day, &f.header)
            .map_err(xlsx_error)?;
    }
    Ok(())
}

/// A numbered row, pre-filled with a person or blank for a walk-in; every cell has borders.
fn write_person_row(
    sheet: &mut Worksheet,
    row: u32,
    nr: usize,
    person: Option<&RegistrationRow>,
    layout: &Layout,
    f: &Formats,
) -> CoreResult<()> {
    sheet
        .write_number_with_format(row, 0, nr as f64, &f.center)
        .map_err(xlsx_error)?;
    let texts: [&str; 4] = match person {
        Some(p) => [
            &p.last_name,
            &p.first_name,
            p.organisation.as_deref().unwrap_or(""),
            &p.ort,
        ],
        None => [""; 4],
    };
    for (c, text) in texts.iter().enumerate() {
        sheet
            .write_string_with_format(row, excel_col(c + 1)?, sheet::cell_text(text), &f.cell)
            .map_err(xlsx_error)?;
    }
    if layout.photo_consent {
        // The recorded consent where there is one; a box to tick otherwise.
        let mark = match person.and_then(|p| p.photo_consent) {
            Some(ConsentState::Erteilt) => "☒ ja",
            Some(ConsentState::Widerrufen) => "nein",
            None => "☐",
        };
        sheet
            .write_string_with_format(row, 5, mark, &f.checkbox)
            .map_err(xlsx_error)?;
    }
    for c in layout.first_signature_col()..=usize::from(layout.last_col()?) {
        sheet
            .write_blank(row, excel_col(c)?, &f.cell)
            .map_err(xlsx_error)?;
    }
    let lines = texts
        .iter()
        .zip(layout.columns.iter().skip(1))
        // 10 pt text fits about 1.15 characters per column-width unit; minus the indent.
        .map(|(text, (_, width))| sheet::wrapped_lines(text, (width - 1.5) * 1.15))
        .max()
        .unwrap_or(1);
    let height = layout.row_height.max(lines as f64 * 12.5 + 5.0);
    sheet.set_row_height(row, height).map_err(xlsx_error)?;
    Ok(())
}

/// The organiser's confirmation with lines for place/date and signature.
fn write_confirmation(
    sheet: &mut Worksheet,
    row: u32,
    layout: &Layout,
    f: &Formats,
) -> CoreResult<()> {
    let last = layout.last_col()?;
    sheet
        .write_string_with_format(
            row,
            0,
            "Bestätigung der Veranstalterin / des Veranstalters",
            &f.bold,
        )
        .map_err(xlsx_error)?;
    merge(
        sheet,
        row + 1,
        0,
        last,
        "Hiermit wird bestätigt, dass die oben eingetragenen Personen an der Veranstaltung \
         teilgenommen haben. Anzahl der Unterschriften: ________",
        &f.value,
    )?;
    let lines = row + 3;
    sheet.set_row_height(lines - 1, 36).map_err(xlsx_error)?;
    sheet
        .merge_range(lines, 0, lines, 2, "Ort, Datum", &f.line)
        .map_err(xlsx_error)?;
    merge(
        sheet,
        lines,
        4,
        last,
        "Unterschrift der Veranstalterin / des Veranstalters (Name in Druckbuchstaben)",
        &f.line,
    )?;
    Ok(())
}

fn set_widths(sheet: &mut Worksheet, layout: &Layout) -> CoreResult<()> {
    for (c, (_, width)) in layout.columns.iter().enumerate() {
        sheet
            .set_column_width(excel_col(c)?, *width)
            .map_err(xlsx_error)?;
    }
    let first = excel_col(layout.first_signature_col())?;
    for c in first..=layout.last_col()? {
        sheet
            .set_column_width(c, layout.signature_width)
            .map_err(xlsx_error)?;
    }
    Ok(())
}

fn page_setup(
    sheet: &mut Worksheet,
    event: &Event,
    layout: &Layout,
    first_header: u32,
    last_header: u32,
) -> CoreResult<()> {
    if layout.portrait {
        sheet.set_portrait();
    } else {
        sheet.set_landscape();
    }
    let title = sheet::header_footer_text(&event.title, 60);
    sheet
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true)
        .set_margins(0.4, 0.4, 0.5, 0.6, 0.25, 0.3)
        .set_screen_gridlines(false)
        .set_footer(format!(
            "&L&8Anwesenheitsliste – {title}&R&8Seite &P von &N"
        ));
    sheet
        .set_repeat_rows(first_header, last_header)
        .map_err(xlsx_error)?;
    Ok(())
}
