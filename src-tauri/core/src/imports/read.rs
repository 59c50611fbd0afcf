//! Reading an import file into rows of text cells, whatever the office received.
//!
//! Text files: the encoding is taken from a BOM, else UTF-16 is recognised by its zero bytes,
//! else valid UTF-8 is UTF-8, else `chardetng` guesses (German Excel re-saves are
//! Windows-1252). The delimiter (`,` `;` or tab) is the one that gives the most rows with the
//! same number of cells outside quotes; an Excel hint line `sep=;` wins. Quoted cells may span
//! lines. Spreadsheets (xlsx, xls, ods) are read with `calamine`, first sheet.
//!
//! Every row keeps its physical line (the first line of a multi-line record, or the sheet row),
//! so every problem can name it. Nothing here panics on malformed input: a file that cannot be
//! read at all is a German [`CoreError::InvalidFile`].

use std::io::Cursor;

use calamine::{Data, Reader};
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

use crate::error::{CoreError, CoreResult};

/// One physical row of the file: its line (1-based) and its cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRow {
    /// Physical line in the text file (first line of a multi-line record) or sheet row.
    pub line: usize,
    /// The cells, trimmed of surrounding white space only where the whole cell is blank.
    pub cells: Vec<String>,
}

impl SourceRow {
    /// Whether every cell is blank (rows like `;;;;`).
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }

    /// The trimmed cell at `index` ("" when the row is shorter).
    pub fn cell(&self, index: usize) -> &str {
        self.cells.get(index).map_or("", |c| c.trim())
    }
}

/// A file read into rows, before the header is known.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceFile {
    /// The name of the file as the user chose it (no directory).
    pub file_name: String,
    /// "UTF-8", "UTF-16LE", "UTF-16BE", "windows-1252", … or the spreadsheet type ("xlsx").
    pub encoding: String,
    /// Whether a byte order mark was found.
    pub bom: bool,
    /// The delimiter of a text file; `None` for spreadsheets.
    pub delimiter: Option<char>,
    /// Every non-empty physical row (blank lines are dropped by the reader, blank `;;;` rows
    /// are kept so they can be counted).
    pub rows: Vec<SourceRow>,
    /// Problems found while reading.
    pub problems: Vec<ReadProblem>,
}

/// A problem found while reading a file: its physical line and a German message.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ReadProblem {
    /// Physical line (sheet row for spreadsheets).
    #[ts(type = "number")]
    pub line: usize,
    /// German message.
    pub message: String,
}

/// Hard limit of the file size (a form export of 10,000 rows is a few MB).
const MAX_BYTES: usize = 200 * 1024 * 1024;

/// Reads the file at `path`.
pub fn read_path(path: &std::path::Path) -> CoreResult<SourceFile> {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let bytes = std::fs::read(path).map_err(|e| CoreError::InvalidFile {
        file: file_name.clone(),
        message: match e.kind() {
            std::io::ErrorKind::NotFound => "Die Datei gibt es nicht.".into(),
            std::io::ErrorKind::PermissionDenied => {
                "Keine Berechtigung zum Lesen (ist die Datei noch in Excel geöffnet?).".into()
            }
            _ => format!("Sie konnte nicht gelesen werden ({e})."),
        },
    })?;
    read_bytes(&file_name, &bytes)
}

/// Reads a file given as bytes; `file_name` names it in messages and decides nothing.
pub fn read_bytes(file_name: &str, bytes: &[u8]) -> CoreResult<SourceFile> {
    let invalid = |message: &str| CoreError::InvalidFile {
        file: file_name.to_owned(),
        message: message.to_owned(),
    };
    if bytes.is_empty() {
        return Err(invalid("Die Datei ist leer."));
    }
    if bytes.len() > MAX_BYTES {
        return Err(invalid("Die Datei ist größer als 200 MB."));
    }
    if let Some(kind) = spreadsheet_kind(bytes) {
        return read_spreadsheet(file_name, kind, bytes);
    }
    let (encoding, bom, text) = decode(bytes);
    if looks_binary(&text) {
        return Err(invalid(
            "Sie ist weder eine Textdatei (CSV) noch eine Excel- oder ODS-Tabelle.",
        ));
    }
    let (delimiter, body, skipped_lines) = choose_delimiter(&text);
    let (rows, problems) = parse_delimited(body, delimiter, skipped_lines);
    if rows.iter().all(SourceRow::is_blank) {
        return Err(invalid("Sie enthält keine Daten."));
    }
    Ok(SourceFile {
        file_name: file_name.to_owned(),
        encoding: encoding.name().to_owned(),
        bom,
        delimiter: Some(delimiter),
        rows,
        problems,
    })
}

/// "xlsx"/"ods" (zip containers) or "xls" (OLE compound file) by magic bytes.
fn spreadsheet_kind(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"PK\x03\x04") {
        let head = &bytes[..bytes.len().min(4096)];
        let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
        Some(if has(b"opendocument.spreadsheet") {
            "ods"
        } else {
            "xlsx"
        })
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Some("xls")
    } else {
        None
    }
}

/// Decodes text: BOM, then UTF-16 by zero bytes, then UTF-8, then a guess.
pub fn decode(bytes: &[u8]) -> (&'static Encoding, bool, String) {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return (encoding, true, text.into_owned());
    }
    if let Some(encoding) = utf16_by_zero_bytes(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        return (encoding, false, text.into_owned());
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (UTF_8, false, text.to_owned());
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let guessed = detector.guess(Some(b"de"), false);
    // Single-byte Western encodings decode German letters alike; name the one Excel writes.
    let encoding = if guessed == encoding_rs::WINDOWS_1250 || guessed == encoding_rs::ISO_8859_2 {
        WINDOWS_1252
    } else {
        guessed
    };
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    (encoding, false, text.into_owned())
}

/// UTF-16 without BOM: many zero bytes, almost all on odd (LE) or even (BE) positions.
fn utf16_by_zero_bytes(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 4 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for (i, b) in sample.iter().enumerate() {
        if *b == 0 {
            if i % 2 == 0 {
                even += 1;
            } else {
                odd += 1;
            }
        }
    }
    let pairs = sample.len() / 2;
    if odd * 10 >= pairs * 3 && even * 10 < odd {
        Some(UTF_16LE)
    } else if even * 10 >= pairs * 3 && odd * 10 < even {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Control characters other than tab and line breaks in more than 1 % of the text.
fn looks_binary(text: &str) -> bool {
    let sample: Vec<char> = text.chars().take(8192).collect();
    let control = sample
        .iter()
        .filter(|c| (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || **c == '\u{FFFD}')
        .count();
    control * 100 > sample.len().max(1)
}

const DELIMITERS: [char; 3] = [';', ',', '\t'];

/// The delimiter, the text to parse and how many lines were skipped before it (`sep=` hint).
fn choose_delimiter(text: &str) -> (char, &str, usize) {
    let first_line = text.lines().next().unwrap_or("").trim();
    if let Some(hint) = first_line.strip_prefix("sep=")
        && let Some(d) = hint.chars().next()
        && hint.chars().count() == 1
    {
        let rest = text.split_once('\n').map_or("", |(_, rest)| rest);
        return (d, rest, 1);
    }
    let best = DELIMITERS
        .iter()
        .copied()
        .max_by_key(|d| delimiter_score(text, *d))
        .unwrap_or(',');
    (best, text, 0)
}

/// Over the first 200 records: (rows the delimiter splits at all, rows with the most common
/// cell count, that count). The first decides: a comma inside dates ("13.03.25, 09:57") or an
/// unquoted "A;B" answer splits only some rows, the real delimiter nearly all.
fn delimiter_score(text: &str, delimiter: char) -> (usize, usize, usize) {
    let mut reader = reader_for(text, delimiter);
    let mut counts: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    let mut split = 0;
    for record in reader.byte_records().take(200) {
        let Ok(record) = record else { break };
        if record.len() > 1 {
            split += 1;
            *counts.entry(record.len()).or_default() += 1;
        }
    }
    let (modal_rows, modal_cells) = counts
        .into_iter()
        .map(|(cells, rows)| (rows, cells))
        .max()
        .unwrap_or((0, 0));
    (split, modal_rows, modal_cells)
}

fn reader_for(text: &str, delimiter: char) -> csv::Reader<&[u8]> {
    let mut delimiter_byte = [0u8; 4];
    let encoded = delimiter.encode_utf8(&mut delimiter_byte);
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(encoded.as_bytes()[0])
        .from_reader(text.as_bytes())
}

fn parse_delimited(
    text: &str,
    delimiter: char,
    skipped: usize,
) -> (Vec<SourceRow>, Vec<ReadProblem>) {
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut reader = reader_for(text, delimiter);
    let mut record = csv::ByteRecord::new();
    let mut lines = LineCounter::new(text, skipped);
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = lines.line_at(record.position().map_or(0, |p| p.byte() as usize));
                let cells = record
                    .iter()
                    .map(|c| String::from_utf8_lossy(c).into_owned())
                    .collect();
                rows.push(SourceRow { line, cells });
            }
            Err(e) => {
                let line = lines.line_at(e.position().map_or(0, |p| p.byte() as usize));
                problems.push(ReadProblem {
                    line,
                    message: format!("Unlesbarer Datensatz übersprungen ({e})."),
                });
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
            }
        }
    }
    (rows, problems)
}

/// Physical line numbers from byte offsets (the csv reader's own line count lags behind).
struct LineCounter<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str, skipped: usize) -> Self {
        LineCounter {
            bytes: text.as_bytes(),
            offset: 0,
            line: 1 + skipped,
        }
    }

    /// The line of the record starting at `byte` (blank lines before it skipped); offsets
    /// only grow.
    fn line_at(&mut self, byte: usize) -> usize {
        let mut target = byte.min(self.bytes.len()).max(self.offset);
        while target < self.bytes.len() && matches!(self.bytes[target], b'\r' | b'\n') {
            target += 1;
        }
        self.line += self.bytes[self.offset..target]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.offset = target;
        self.line
    }
}

fn read_spreadsheet(file_name: &str, kind: &'static str, bytes: &[u8]) -> CoreResult<SourceFile> {
    let invalid = |message: String| CoreError::InvalidFile {
        file: file_name.to_owned(),
        message,
    };
    // calamine is robust, but a malformed container must never take the app down.
    let opened = std::panic::catch_unwind(|| {
        let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))?;
        match workbook.worksheet_range_at(0) {
            Some(range) => range.map(Some),
            None => Ok(None),
        }
    });
    let range = match opened {
        Ok(Ok(Some(range))) => range,
        Ok(Ok(None)) => return Err(invalid("Die Tabelle hat kein Arbeitsblatt.".into())),
        Ok(Err(e)) => {
            return Err(invalid(format!(
                "Die {kind}-Tabelle konnte nicht gelesen werden ({e})."
            )));
        }
        Err(_) => {
            return Err(invalid(format!(
                "Die {kind}-Tabelle ist beschädigt und konnte nicht gelesen werden."
            )));
        }
    };
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let first_col = range.start().map_or(0, |(_, c)| c as usize);
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (offset, cells) in range.rows().enumerate() {
        let line = first_row + offset + 1;
        let mut texts = vec![String::new(); first_col];
        for cell in cells {
            texts.push(cell_text(cell, line, &mut problems));
        }
        let row = SourceRow { line, cells: texts };
        if !row.is_blank() || !rows.is_empty() {
            rows.push(row);
        }
    }
    if rows.iter().all(SourceRow::is_blank) {
        return Err(invalid(
            "Das erste Arbeitsblatt enthält keine Daten.".into(),
        ));
    }
    Ok(SourceFile {
        file_name: file_name.to_owned(),
        encoding: kind.to_owned(),
        bom: false,
        delimiter: None,
        rows,
        problems,
    })
}

/// A cell as text: dates as "YYYY-MM-DD HH:MM:SS" (Berlin wall clock), whole numbers without
/// a decimal point.
fn cell_text(cell: &Data, line: usize, problems: &mut Vec<ReadProblem>) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "ja" } else { "nein" }.to_owned(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            None => dt.as_f64().to_string(),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => {
            problems.push(ReadProblem {
                line,
                message: format!("Zelle mit Excel-Fehler {e} als leer gelesen."),
            });
            String::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
        for unit in text.encode_utf16() {
            out.extend_from_slice(&unit.to_le_bytes());
        }
        out
    }

    #[test]
    fn encodings_are_recognised_by_bom_zero_bytes_and_content() {
        let text = "Vorname;Nachname\nJörg;Weiß\n";
        let f = read_bytes("a.csv", text.as_bytes()).unwrap();
        assert_eq!((f.encoding.as_str(), f.bom), ("UTF-8", false));
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        let f = read_bytes("a.csv", &bom).unwrap();
        assert_eq!((f.encoding.as_str(), f.bom), ("UTF-8", true));
        assert_eq!(
            f.rows[0].cells[0], "Vorname",
            "the BOM is not part of the header"
        );
        let f = read_bytes("a.csv", &utf16le(text, true)).unwrap();
        assert_eq!(f.encoding, "UTF-16LE");
        assert_eq!(f.rows[1].cells[1], "Weiß");
        let f = read_bytes("a.csv", &utf16le(text, false)).unwrap();
        assert_eq!((f.encoding.as_str(), f.bom), ("UTF-16LE", false));
        let be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(read_bytes("a.csv", &be).unwrap().encoding, "UTF-16BE");
        let (cp1252, _, _) =
            WINDOWS_1252.encode("Vorname;Nachname;Ort\nJörg;Weiß;Köln\nÄnne;Groß;Düren\n");
        let f = read_bytes("a.csv", &cp1252).unwrap();
        assert_eq!(f.encoding, "windows-1252");
        assert_eq!(f.rows[2].cells, ["Änne", "Groß", "Düren"]);
    }

    #[test]
    fn the_delimiter_is_the_one_with_consistent_columns_outside_quotes() {
        let semicolon = "Name;Ort;Bemerkung\n\"Berg, Anna\";Köln;\"a, b, c\"\nUte Brand;Unna;x\n";
        assert_eq!(
            read_bytes("a.csv", semicolon.as_bytes()).unwrap().delimiter,
            Some(';')
        );
        let comma = "Name,Ort,Bemerkung\n\"Berg; Anna\",Köln,\"a; b; c\"\nUte,Unna,x\n";
        assert_eq!(
            read_bytes("a.csv", comma.as_bytes()).unwrap().delimiter,
            Some(',')
        );
        let tab = "Name\tOrt\nAnna, B.\tKöln\nUte; C.\tUnna\n";
        assert_eq!(
            read_bytes("a.csv", tab.as_bytes()).unwrap().delimiter,
            Some('\t')
        );
        let hinted = "sep=;\nName;Ort\nAnna,B;Köln\n";
        let f = read_bytes("a.csv", hinted.as_bytes()).unwrap();
        assert_eq!(f.delimiter, Some(';'));
        assert_eq!(f.rows[0].line, 2);
    }

    #[test]
    fn multi_line_cells_keep_the_line_of_their_record() {
        let text = "Name;Wünsche\nAnna;\"Jugend\nFinanzierung\"\nUte;Schulen\n;;\n";
        let f = read_bytes("a.csv", text.as_bytes()).unwrap();
        assert_eq!(f.rows[1].cells[1], "Jugend\nFinanzierung");
        assert_eq!(f.rows[1].line, 2);
        assert_eq!(f.rows[2].line, 4);
        assert!(f.rows[3].is_blank());
    }

    #[test]
    fn unreadable_input_is_a_german_error() {
        let err = read_bytes("leer.csv", b"").unwrap_err();
        assert!(err.to_string().contains("leer"));
        let err = read_bytes("bild.csv", &[0u8, 1, 2, 3, 4, 5, 6, 7, 200, 201, 3, 3]).unwrap_err();
        assert!(matches!(err, CoreError::InvalidFile { .. }), "{err}");
        let err = read_bytes("kaputt.xlsx", b"PK\x03\x04kaputt").unwrap_err();
        assert!(err.to_string().contains("xlsx"), "{err}");
    }
}
