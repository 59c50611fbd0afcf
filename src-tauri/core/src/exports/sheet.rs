//! A plain data table (header + typed cells) and its two outputs: an Excel table and a CSV file
//! for German Excel. Both keep user text inert:
//!
//! - **xlsx**: text is always written with `write_string`, never `write()`/formulas, so a name
//!   like `=HYPERLINK("http://x","y")` is stored as a string cell and shown as typed.
//! - **CSV**: CSV has no cell types, so Excel evaluates any field that looks like a formula. As
//!   recommended by OWASP ("CSV Injection"), every text field that starts with `=`, `+`, `-`,
//!   `@`, a tab or a carriage return gets a leading single quote (`'`), and every field is
//!   enclosed in double quotes with inner quotes doubled. The quote is visible in the cell; this
//!   also keeps phone numbers such as `+49 231 …` from being read as arithmetic.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    ExcelDateTime, Format, FormatAlign, Table, TableColumn, TableStyle, Workbook, Worksheet,
    XlsxError,
};

use crate::error::{CoreError, CoreResult};

/// Excel's limit for the text of one cell.
const MAX_CELL_CHARS: usize = 32_767;
/// Excel's limit for a page header or footer.
const MAX_HEADER_FOOTER_CHARS: usize = 255;
/// Widest column a list gets (in character widths).
const MAX_COLUMN_WIDTH: f64 = 50.0;
/// Number format of dates (TT.MM.JJJJ in every Excel locale).
pub(crate) const DATE_FORMAT: &str = "dd.mm.yyyy";

/// One cell of a [`DataTable`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    /// Text, possibly typed by a user: never a formula.
    Text(String),
    /// A number (counts, running numbers).
    Number(f64),
    /// A calendar date, written as a real Excel date.
    Date(NaiveDate),
    /// Nothing.
    Empty,
}

impl Cell {
    /// Text cell; empty text becomes [`Cell::Empty`].
    pub(crate) fn text(value: impl Into<String>) -> Cell {
        let value = value.into();
        if value.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(value)
        }
    }

    /// Approximate display width in characters.
    fn width(&self) -> usize {
        match self {
            Cell::Text(t) => t.chars().count(),
            Cell::Number(n) => n.to_string().len(),
            Cell::Date(_) => 10,
            Cell::Empty => 0,
        }
    }
}

/// A header row and rows of typed cells, rendered as an Excel table or CSV.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct DataTable {
    /// Column headers (unique).
    pub headers: Vec<String>,
    /// Rows, each as long as `headers`.
    pub rows: Vec<Vec<Cell>>,
    /// Columns whose text wraps inside the cell (long free text).
    pub wrapped: Vec<usize>,
}

impl DataTable {
    /// Column widths that fit header and content, capped at [`MAX_COLUMN_WIDTH`].
    fn column_widths(&self) -> Vec<f64> {
        let mut widths: Vec<usize> = self
            .headers
            .iter()
            // Room for the autofilter button next to the header.
            .map(|h| h.chars().count() + 3)
            .collect();
        for row in &self.rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.width());
            }
        }
        widths
            .into_iter()
            .map(|w| (w as f64 + 1.5).min(MAX_COLUMN_WIDTH))
            .collect()
    }
}

/// Maps a writer error of rust_xlsxwriter to a core error.
pub(crate) fn xlsx_error(error: XlsxError) -> CoreError {
    match error {
        XlsxError::IoError(io) => CoreError::Io(io),
        other => CoreError::Io(std::io::Error::other(format!(
            "Die Excel-Datei konnte nicht erstellt werden: {other}"
        ))),
    }
}

/// The workbook as the bytes of an .xlsx file. Zip compression level 3 (as Excel 365 uses)
/// saves about a third of the time of the default level 6 for a file about 5 % larger.
pub(crate) fn save(workbook: &mut Workbook) -> CoreResult<Vec<u8>> {
    workbook
        .set_zip_compression_level(3)
        .save_to_buffer()
        .map_err(xlsx_error)
}

/// What an Excel cell shows at its end when its text had to be cut.
const CUT_NOTE: &str = " […gekürzt: eine Excel-Zelle fasst höchstens 32.767 Zeichen]";

/// User text as one Excel cell can hold it: without control characters (Excel would show
/// `_x0000_`), and — only for texts stored before input was limited — cut to the cell limit
/// with a visible note at the end instead of silently.
pub(crate) fn cell_text(text: &str) -> Cow<'_, str> {
    let text = without_control_chars(text);
    if text.chars().nth(MAX_CELL_CHARS).is_none() {
        return text;
    }
    let keep = MAX_CELL_CHARS - CUT_NOTE.chars().count();
    let mut cut: String = text.chars().take(keep).collect();
    cut.push_str(CUT_NOTE);
    Cow::Owned(cut)
}

/// Text without the control characters input cleaning refuses (for data stored before).
pub(crate) fn without_control_chars(text: &str) -> Cow<'_, str> {
    if text.chars().any(crate::input::is_forbidden_char) {
        Cow::Owned(
            text.chars()
                .filter(|c| !crate::input::is_forbidden_char(*c))
                .collect(),
        )
    } else {
        Cow::Borrowed(text)
    }
}

/// User text for a page header or footer: `&` starts a field code there, so it is doubled; the
/// whole header/footer may hold at most 255 characters, `reserve` of which the caller needs.
pub(crate) fn header_footer_text(text: &str, reserve: usize) -> String {
    let limit = MAX_HEADER_FOOTER_CHARS.saturating_sub(reserve);
    let mut escaped = String::with_capacity(text.len());
    let mut used = 0;
    for c in text.chars() {
        let needed = if c == '&' { 2 } else { 1 };
        if used + needed > limit {
            break;
        }
        used += needed;
        escaped.push(c);
        if c == '&' {
            escaped.push('&');
        }
    }
    escaped
}

/// Lines `text` needs when wrapped at word boundaries into `width` characters.
pub(crate) fn wrapped_lines(text: &str, width: f64) -> usize {
    let capacity = width.max(1.0) as usize;
    let mut lines = 1;
    let mut used = 0;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if used > 0 && used + 1 + len > capacity {
            lines += 1;
            used = 0;
        }
        // A word longer than the line is broken inside it.
        lines += len.saturating_sub(1) / capacity;
        used = if used == 0 {
            (len - 1) % capacity + 1
        } else {
            used + 1 + len
        };
    }
    lines
}

/// An Excel date serial for a calendar date.
pub(crate) fn excel_date(date: NaiveDate) -> CoreResult<ExcelDateTime> {
    let year = u16::try_from(date.year()).map_err(|_| {
        CoreError::Io(std::io::Error::other(format!(
            "Das Jahr {} lässt sich in Excel nicht darstellen.",
            date.year()
        )))
    })?;
    // Month and day of a NaiveDate always fit into u8.
    ExcelDateTime::from_ymd(year, date.month() as u8, date.day() as u8).map_err(xlsx_error)
}

/// Writes `table` at A1 as an Excel table named `name` (autofilter, banded rows), freezes the
/// header row and sizes the columns to their content.
pub(crate) fn write_table(sheet: &mut Worksheet, table: &DataTable, name: &str) -> CoreResult<()> {
    let columns: Vec<TableColumn> = table
        .headers
        .iter()
        .map(|h| TableColumn::new().set_header(h))
        .collect();
    let excel_table = Table::new()
        .set_name(name)
        .set_style(TableStyle::Medium2)
        .set_banded_rows(true)
        .set_autofilter(true)
        .set_columns(&columns);
    // An Excel table needs at least one data row, even an empty one.
    let last_row = excel_row(table.rows.len().max(1))?;
    let last_col = excel_col(table.headers.len().max(1) - 1)?;
    sheet
        .add_table(0, 0, last_row, last_col, &excel_table)
        .map_err(xlsx_error)?;
    // Rows in order after the header: a worksheet in constant-memory mode needs that.
    let formats = CellFormats {
        date: Format::new()
            .set_num_format(DATE_FORMAT)
            .set_align(FormatAlign::Left)
            .set_align(FormatAlign::Top),
        wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        top: Format::new().set_align(FormatAlign::Top),
        // With multi-line rows every cell starts at the top, next to the wrapped text.
        align_top: !table.wrapped.is_empty(),
    };
    let widths = table.column_widths();
    for (r, row) in table.rows.iter().enumerate() {
        let r = excel_row(r + 1)?;
        for (c, cell) in row.iter().enumerate() {
            let wrap = table.wrapped.contains(&c);
            write_cell(sheet, r, excel_col(c)?, cell, &formats, wrap)?;
        }
        let lines = wrapped_row_lines(table, row, &widths);
        if lines > 1 {
            // Excel does not grow rows for wrapped text on its own.
            sheet
                .set_row_height(r, lines as f64 * 15.0)
                .map_err(xlsx_error)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    for (c, width) in widths.into_iter().enumerate() {
        sheet
            .set_column_width(excel_col(c)?, width)
            .map_err(xlsx_error)?;
    }
    Ok(())
}

/// Lines the tallest wrapped cell of `row` needs.
fn wrapped_row_lines(table: &DataTable, row: &[Cell], widths: &[f64]) -> usize {
    table
        .wrapped
        .iter()
        .filter_map(|&c| match (row.get(c), widths.get(c)) {
            // 11 pt text fits about 1.1 characters per column-width unit.
            (Some(Cell::Text(text)), Some(width)) => Some(wrapped_lines(text, (width - 1.0) * 1.1)),
            _ => None,
        })
        .max()
        .unwrap_or(1)
}

/// Formats of data cells.
struct CellFormats {
    date: Format,
    wrap: Format,
    top: Format,
    align_top: bool,
}

fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    formats: &CellFormats,
    wrap: bool,
) -> CoreResult<()> {
    match cell {
        Cell::Text(text) if wrap => {
            sheet.write_string_with_format(row, col, cell_text(text), &formats.wrap)
        }
        Cell::Text(text) if formats.align_top => {
            sheet.write_string_with_format(row, col, cell_text(text), &formats.top)
        }
        Cell::Text(text) => sheet.write_string(row, col, cell_text(text)),
        Cell::Number(n) if formats.align_top => {
            sheet.write_number_with_format(row, col, *n, &formats.top)
        }
        Cell::Number(n) => sheet.write_number(row, col, *n),
        Cell::Date(date) => {
            sheet.write_datetime_with_format(row, col, excel_date(*date)?, &formats.date)
        }
        Cell::Empty => return Ok(()),
    }
    .map_err(xlsx_error)?;
    Ok(())
}

/// A row index as Excel's row number type.
pub(crate) fn excel_row(index: usize) -> CoreResult<u32> {
    u32::try_from(index)
        .ok()
        .filter(|r| *r < 1_048_576)
        .ok_or_else(|| too_large("Zeilen"))
}

/// A column index as Excel's column number type.
pub(crate) fn excel_col(index: usize) -> CoreResult<u16> {
    u16::try_from(index)
        .ok()
        .filter(|c| *c < 16_384)
        .ok_or_else(|| too_large("Spalten"))
}

fn too_large(what: &str) -> CoreError {
    CoreError::Conflict(format!(
        "Die Liste hat mehr {what}, als Excel darstellen kann."
    ))
}

/// Character widths (Excel's default font) on an A4 landscape page at 100 % (27.7 cm paper
/// minus the default margins, about 0.19 cm per character).
const A4_LANDSCAPE_CHARS: f64 = 137.0;
/// Smallest print scale that stays readable (11 pt → 7.7 pt).
pub(crate) const MIN_PRINT_SCALE: u16 = 70;

/// How a list is fitted to the paper's width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PrintFit {
    /// All columns on one page width (scaled down to at most [`MIN_PRINT_SCALE`]).
    OnePage,
    /// Two pages wide, the leading (name) columns repeated on the second.
    TwoPages,
    /// Printed at [`MIN_PRINT_SCALE`] over as many pages as it needs, names repeated.
    MinimumScale,
}

/// The fit of columns `total` character widths wide, of which `repeated` are repeated on every
/// page width: never smaller than [`MIN_PRINT_SCALE`] (13 columns squeezed onto one A4 width
/// once printed at about 4.5 pt).
pub(crate) fn print_fit(total: f64, repeated: f64) -> PrintFit {
    let page = A4_LANDSCAPE_CHARS * 100.0 / f64::from(MIN_PRINT_SCALE);
    if total <= page {
        PrintFit::OnePage
    } else if total + repeated <= 2.0 * page {
        PrintFit::TwoPages
    } else {
        PrintFit::MinimumScale
    }
}

/// Page setup of a printed list: A4 landscape, fitted to the width by [`print_fit`] (the first
/// `repeat_columns` columns — the names — repeated on every page width when it needs more than
/// one), the header row on every page, the title in the page header and page numbers in the
/// footer.
pub(crate) fn list_page_setup(
    sheet: &mut Worksheet,
    title: &str,
    table: &DataTable,
    repeat_columns: usize,
) -> CoreResult<()> {
    let widths = table.column_widths();
    let total: f64 = widths.iter().sum();
    let repeated: f64 = widths.iter().take(repeat_columns).sum();
    sheet
        .set_paper_size(9)
        .set_landscape()
        .set_header(format!("&L&\"-,Bold\"{}", header_footer_text(title, 20)))
        .set_footer("&RSeite &P von &N");
    let fit = print_fit(total, repeated);
    match fit {
        PrintFit::OnePage => sheet.set_print_fit_to_pages(1, 0),
        PrintFit::TwoPages => sheet.set_print_fit_to_pages(2, 0),
        PrintFit::MinimumScale => sheet.set_print_scale(MIN_PRINT_SCALE),
    };
    if fit != PrintFit::OnePage && repeat_columns > 0 {
        sheet
            .set_repeat_columns(0, excel_col(repeat_columns - 1)?)
            .map_err(xlsx_error)?;
    }
    sheet.set_repeat_rows(0, 0).map_err(xlsx_error)?;
    Ok(())
}

/// A text field made inert for spreadsheet programs (see the module documentation).
pub(crate) fn csv_safe(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

/// The table as CSV for German Excel: UTF-8 with byte order mark, semicolons, CRLF line ends,
/// every field quoted, dates as TT.MM.JJJJ, text neutralised with [`csv_safe`].
pub(crate) fn to_csv(table: &DataTable) -> CoreResult<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::from(*b"\xEF\xBB\xBF"));
    for header in &table.headers {
        writer
            .write_field(csv_safe(header).as_bytes())
            .map_err(csv_error)?;
    }
    writer.write_record(None::<&[u8]>).map_err(csv_error)?;
    for row in &table.rows {
        for cell in row {
            writer
                .write_field(csv_field(cell).as_bytes())
                .map_err(csv_error)?;
        }
        writer.write_record(None::<&[u8]>).map_err(csv_error)?;
    }
    writer.into_inner().map_err(csv_error)
}

fn csv_field(cell: &Cell) -> Cow<'_, str> {
    match cell {
        Cell::Text(text) => match without_control_chars(text) {
            Cow::Borrowed(text) => csv_safe(text),
            Cow::Owned(text) => Cow::Owned(csv_safe(&text).into_owned()),
        },
        Cell::Number(n) => Cow::Owned(n.to_string()),
        Cell::Date(date) => Cow::Owned(date.format("%d.%m.%Y").to_string()),
        Cell::Empty => Cow::Borrowed(""),
    }
}

fn csv_error(error: impl std::fmt::Display) -> CoreError {
    CoreError::Io(std::io::Error::other(error.to_string()))
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_wide_list_is_never_printed_below_the_minimum_scale() {
        // 13 default columns of a real forum: about 250 character widths.
        assert_eq!(print_fit(120.0, 30.0), PrintFit::OnePage);
        assert_eq!(print_fit(195.0, 30.0), PrintFit::OnePage);
        assert_eq!(print_fit(250.0, 30.0), PrintFit::TwoPages);
        assert_eq!(print_fit(380.0, 30.0), PrintFit::MinimumScale);
    }

    use super::*;

    #[test]
    fn formula_starts_are_neutralised_for_csv_and_others_kept() {
        for dangerous in ["=1+1", "+cmd", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(csv_safe(dangerous), format!("'{dangerous}"));
        }
        assert_eq!(csv_safe("Müller"), "Müller");
        assert_eq!(csv_safe("a=b"), "a=b");
        assert_eq!(csv_safe(""), "");
    }

    #[test]
    fn csv_has_bom_semicolons_quotes_and_german_dates() {
        let table = DataTable {
            headers: vec!["Name".into(), "Am".into(), "Nr.".into()],
            rows: vec![vec![
                Cell::text("Meier; \"Kalle\""),
                Cell::Date(NaiveDate::from_ymd_opt(2025, 3, 13).unwrap()),
                Cell::Number(7.0),
            ]],
            wrapped: Vec::new(),
        };
        let bytes = to_csv(&table).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert_eq!(
            text,
            "\"Name\";\"Am\";\"Nr.\"\r\n\"Meier; \"\"Kalle\"\"\";\"13.03.2025\";\"7\"\r\n"
        );
    }

    #[test]
    fn header_text_doubles_ampersands_and_respects_the_limit() {
        assert_eq!(header_footer_text("Müller & Söhne", 0), "Müller && Söhne");
        let long = "x".repeat(400);
        assert_eq!(header_footer_text(&long, 55).chars().count(), 200);
    }

    #[test]
    fn overlong_cell_text_is_cut_at_excels_limit_with_a_visible_note() {
        let long = "ä".repeat(40_000);
        let cut = cell_text(&long);
        assert_eq!(cut.chars().count(), MAX_CELL_CHARS);
        assert!(cut.ends_with("höchstens 32.767 Zeichen]"));
        assert_eq!(cell_text("kurz"), "kurz");
    }

    #[test]
    fn control_characters_stored_earlier_reach_neither_xlsx_nor_csv() {
        assert_eq!(cell_text("A\0B\u{1b}C\nD"), "ABC\nD");
        let table = DataTable {
            headers: vec!["Name".into()],
            rows: vec![vec![Cell::text("Null\0Byte")]],
            wrapped: Vec::new(),
        };
        let csv = String::from_utf8(to_csv(&table).unwrap()).unwrap();
        assert!(csv.contains("\"NullByte\""), "{csv:?}");
    }

    #[test]
    fn widths_fit_the_longest_entry_but_stay_readable() {
        let table = DataTable {
            headers: vec!["Nr.".into(), "Kommentar".into()],
            rows: vec![vec![Cell::Number(1.0), Cell::text("x".repeat(200))]],
            wrapped: Vec::new(),
        };
        assert_eq!(table.column_widths(), [7.5, MAX_COLUMN_WIDTH]);
    }

    #[test]
    fn wrapping_counts_lines_at_word_boundaries() {
        assert_eq!(wrapped_lines("", 20.0), 1);
        assert_eq!(wrapped_lines("Stadt Hürth", 20.0), 1);
        assert_eq!(
            wrapped_lines("Deutsch-Französische Gesellschaft Münster", 20.0),
            2
        );
        assert_eq!(
            wrapped_lines("Deutsch-Französische Gesellschaft Münster-Orléans", 20.0),
            3
        );
        assert_eq!(wrapped_lines("Städtepartnerschaftsverein", 10.0), 3);
    }
}
