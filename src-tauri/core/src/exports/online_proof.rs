//! Teilnahmenachweis (online): who took part in an online event according to the imported
//! participant reports (Zoom, Teams), with first join, last leave and minutes, and the
//! organiser's confirmation line — the record funders accept for online formats.

use rusqlite::Connection;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};

use super::options::{ExportOptions, OptionSpec};
use super::sheet::{self, xlsx_error};
use super::{Exporter, Rendered, wording};
use crate::error::CoreResult;
use crate::events::Event;
use crate::store::fold;

/// The confirmation printed below the list.
const CONFIRMATION: &str = "Die Angaben beruhen auf dem Teilnahmebericht der Videokonferenz \
     (Beitritts- und Austrittszeiten; parallele Geräte einer Person zählen einmal). Die \
     Richtigkeit bestätigt:";

/// The Teilnahmenachweis (online) exporter (id `online_attendance`).
pub(crate) struct OnlineProof;

/// One line of the proof.
struct Line {
    last_name: String,
    first_name: String,
    organisation: String,
    joined_at: Option<String>,
    left_at: Option<String>,
    minutes: i64,
    present: bool,
}

fn lines(conn: &Connection, event_id: i64, only_present: bool) -> CoreResult<Vec<Line>> {
    let mut stmt = conn.prepare(
        "SELECT p.last_name, p.first_name, ifnull(o.name, ''), min(a.joined_at), max(a.left_at),
                sum(a.minutes), max(a.state = 'anwesend')
         FROM attendance a
         JOIN registrations r ON r.id = a.registration_id
         JOIN persons p ON p.id = r.person_id
         LEFT JOIN organisations o ON o.id = p.organisation_id
         WHERE r.event_id = ?1 AND a.session_id IS NULL AND a.minutes IS NOT NULL
         GROUP BY r.id",
    )?;
    let mut lines: Vec<Line> = stmt
        .query_map([event_id], |r| {
            Ok(Line {
                last_name: r.get(0)?,
                first_name: r.get(1)?,
                organisation: r.get(2)?,
                joined_at: r.get(3)?,
                left_at: r.get(4)?,
                minutes: r.get(5)?,
                present: r.get(6)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    lines.retain(|l| l.present || !only_present);
    lines.sort_by_key(|l| (fold(&l.last_name), fold(&l.first_name)));
    Ok(lines)
}

/// "13.03.2025 10:01" in Berlin time.
fn berlin(stored: Option<&str>) -> String {
    stored
        .and_then(|s| crate::time::from_storage(s).ok())
        .map(|t| {
            crate::time::in_berlin(t)
                .format("%d.%m.%Y %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

impl Exporter for OnlineProof {
    fn id(&self) -> &'static str {
        "online_attendance"
    }

    fn label(&self) -> &'static str {
        "Teilnahmenachweis (online)"
    }

    fn description(&self) -> &'static str {
        "Nachweis der Online-Teilnahme aus den importierten Zoom-/Teams-Berichten: Name, \
         Organisation, erster Beitritt, letztes Verlassen und Minuten, mit der Bestätigung der \
         Veranstalterin / des Veranstalters."
    }

    fn file_label(&self) -> &'static str {
        "Teilnahmenachweis-online"
    }

    fn options(&self) -> Vec<OptionSpec> {
        vec![OptionSpec::flag(
            "only_present",
            "Nur Anwesende",
            "Sonst stehen auch Personen auf der Liste, die die Mindestdauer nicht erreicht haben.",
            true,
        )]
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
        let lines = lines(conn, event.id, options.flag("only_present")?)?;
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.set_name("Teilnahmenachweis").map_err(xlsx_error)?;
        let title = Format::new().set_bold().set_font_size(16);
        let bold = Format::new().set_bold();
        let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        let header = Format::new()
            .set_bold()
            .set_border(FormatBorder::Thin)
            .set_background_color("D9D9D9")
            .set_text_wrap();
        let cell = Format::new().set_border(FormatBorder::Thin);
        let line = Format::new()
            .set_border_top(FormatBorder::Thin)
            .set_font_size(9);
        let w = |e| xlsx_error(e);
        sheet
            .write_string_with_format(0, 0, "Teilnahmenachweis (online)", &title)
            .map_err(w)?;
        let facts = [
            ("Veranstaltung:", wording::title_with_number(event)),
            ("Datum und Zeit:", wording::dates_and_times(event)?),
            ("Veranstalter/in:", event.organiser.trim().to_owned()),
        ];
        for (i, (label, value)) in facts.iter().enumerate() {
            let row = i as u32 + 1;
            sheet
                .write_string_with_format(row, 0, *label, &bold)
                .map_err(w)?;
            sheet
                .merge_range(row, 1, row, 6, &sheet::cell_text(value), &wrap)
                .map_err(w)?;
        }
        let top = facts.len() as u32 + 2;
        let headers = [
            "Nr.",
            "Name",
            "Vorname",
            "Organisation",
            "Erster Beitritt",
            "Letztes Verlassen",
            "Minuten",
        ];
        for (c, h) in headers.iter().enumerate() {
            sheet
                .write_string_with_format(top, c as u16, *h, &header)
                .map_err(w)?;
        }
        for (i, l) in lines.iter().enumerate() {
            let row = top + 1 + i as u32;
            sheet
                .write_number_with_format(row, 0, (i + 1) as f64, &cell)
                .map_err(w)?;
            let texts = [
                l.last_name.as_str(),
                &l.first_name,
                &l.organisation,
                &berlin(l.joined_at.as_deref()),
                &berlin(l.left_at.as_deref()),
            ];
            for (c, text) in texts.iter().enumerate() {
                sheet
                    .write_string_with_format(row, c as u16 + 1, sheet::cell_text(text), &cell)
                    .map_err(w)?;
            }
            sheet
                .write_number_with_format(row, 6, l.minutes as f64, &cell)
                .map_err(w)?;
        }
        let after = top + 2 + lines.len() as u32;
        sheet
            .merge_range(after, 0, after + 1, 6, CONFIRMATION, &wrap)
            .map_err(w)?;
        let sign = after + 5;
        sheet
            .merge_range(sign, 0, sign, 2, "Ort, Datum", &line)
            .map_err(w)?;
        sheet
            .merge_range(sign, 4, sign, 6, "Unterschrift Veranstalter/in", &line)
            .map_err(w)?;
        for (c, width) in [5.0, 20.0, 16.0, 30.0, 17.0, 17.0, 9.0].iter().enumerate() {
            sheet.set_column_width(c as u16, *width).map_err(w)?;
        }
        // Seven fixed columns fit one A4 portrait width at a readable size.
        sheet
            .set_paper_size(9)
            .set_portrait()
            .set_header(format!(
                "&L&\"-,Bold\"{}",
                sheet::header_footer_text(&wording::title_with_number(event), 20)
            ))
            .set_footer("&RSeite &P von &N")
            .set_print_fit_to_pages(1, 0);
        sheet.set_repeat_rows(top, top).map_err(w)?;
        Ok(Rendered {
            bytes: sheet::save(&mut workbook)?,
            rows: lines.len(),
        })
    }
}
