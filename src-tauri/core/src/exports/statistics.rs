//! The "Statistik" sheet of the participant list: counts by status (all registrations), and by
//! organisation kind, Kreis (a Kommune without Kreis is a kreisfreie Stadt, other rows without
//! Kreis are "ohne Angabe"), first participation, attendance per day and per workshop (booked and
//! present) — counted registrations: angemeldet and nachgerückt.

use std::collections::BTreeMap;

use rust_xlsxwriter::{Format, FormatBorder, Workbook, Worksheet};

use super::sheet::{self, xlsx_error};
use super::wording;
use crate::error::CoreResult;
use crate::events::Event;
use crate::people::OrgKind;
use crate::registrations::attendance::AttendanceState;
use crate::registrations::sessions::Session;
use crate::registrations::{RegistrationRow, RegistrationStatus};

/// One block of the sheet: a heading, column headers and labelled rows of counts.
struct Section {
    heading: String,
    headers: Vec<String>,
    rows: Vec<(String, Vec<usize>)>,
}

impl Section {
    fn single(heading: &str, rows: Vec<(String, usize)>) -> Section {
        Section {
            heading: heading.to_owned(),
            headers: vec![String::new(), "Anzahl".into()],
            rows: rows.into_iter().map(|(l, n)| (l, vec![n])).collect(),
        }
    }
}

/// Adds the sheet "Statistik" computed from all registrations of `event`.
pub(crate) fn add_sheet(
    workbook: &mut Workbook,
    event: &Event,
    all: &[RegistrationRow],
    workshops: &[Session],
) -> CoreResult<()> {
    let counted: Vec<&RegistrationRow> = all.iter().filter(|r| r.status.is_counted()).collect();
    let mut sections = vec![
        by_status(all),
        by_org_kind(&counted),
        by_kreis(&counted),
        by_first_time(&counted),
        by_day(event, &counted)?,
    ];
    if !workshops.is_empty() {
        sections.push(by_workshop(workshops, &counted));
    }
    let sheet = workbook.add_worksheet();
    sheet.set_name("Statistik").map_err(xlsx_error)?;
    write_title(sheet, event, counted.len())?;
    let mut row = 4;
    for section in &sections {
        row = write_section(sheet, row, section)? + 1;
    }
    sheet.set_column_width(0, 38).map_err(xlsx_error)?;
    sheet.set_column_range_width(1, 4, 13).map_err(xlsx_error)?;
    // Portrait, one page wide; the title is on the sheet, so nothing repeats.
    sheet
        .set_paper_size(9)
        .set_portrait()
        .set_print_fit_to_pages(1, 0)
        .set_footer("&RSeite &P von &N");
    Ok(())
}

fn write_title(sheet: &mut Worksheet, event: &Event, counted: usize) -> CoreResult<()> {
    let title = Format::new().set_bold().set_font_size(14);
    let note = Format::new().set_italic();
    sheet
        .write_string_with_format(
            0,
            0,
            sheet::cell_text(&format!(
                "Statistik – {}",
                wording::title_with_number(event)
            )),
            &title,
        )
        .map_err(xlsx_error)?;
    sheet
        .write_string_with_format(
            1,
            0,
            format!(
                "Status: alle Anmeldungen. Alle weiteren Zahlen: angemeldete und nachgerückte \
                 Personen ({counted})."
            ),
            &note,
        )
        .map_err(xlsx_error)?;
    Ok(())
}

/// Writes a section from `row`; returns the row after it.
fn write_section(sheet: &mut Worksheet, row: u32, section: &Section) -> CoreResult<u32> {
    let heading = Format::new().set_bold().set_font_size(12);
    let header = Format::new()
        .set_bold()
        .set_border_bottom(FormatBorder::Thin);
    let total = Format::new().set_bold().set_border_top(FormatBorder::Thin);
    sheet
        .write_string_with_format(row, 0, &section.heading, &heading)
        .map_err(xlsx_error)?;
    for (c, h) in section.headers.iter().enumerate() {
        sheet
            .write_string_with_format(row + 1, sheet::excel_col(c)?, h, &header)
            .map_err(xlsx_error)?;
    }
    let mut r = row + 2;
    for (label, counts) in &section.rows {
        sheet
            .write_string(r, 0, sheet::cell_text(label))
            .map_err(xlsx_error)?;
        for (c, n) in counts.iter().enumerate() {
            sheet
                .write_number(r, sheet::excel_col(c + 1)?, *n as f64)
                .map_err(xlsx_error)?;
        }
        r += 1;
    }
    sheet
        .write_string_with_format(r, 0, "Summe", &total)
        .map_err(xlsx_error)?;
    for c in 1..section.headers.len() {
        let sum: usize = section.rows.iter().map(|(_, n)| n[c - 1]).sum();
        sheet
            .write_number_with_format(r, sheet::excel_col(c)?, sum as f64, &total)
            .map_err(xlsx_error)?;
    }
    Ok(r + 2)
}

fn by_status(all: &[RegistrationRow]) -> Section {
    let rows = RegistrationStatus::ALL
        .iter()
        .map(|s| {
            let n = all.iter().filter(|r| r.status == *s).count();
            (s.label().to_owned(), n)
        })
        .collect();
    Section::single("Anmeldungen nach Status", rows)
}

fn by_org_kind(counted: &[&RegistrationRow]) -> Section {
    let mut rows: Vec<(String, usize)> = OrgKind::ALL
        .iter()
        .map(|k| {
            let n = counted
                .iter()
                .filter(|r| r.organisation_kind == Some(*k))
                .count();
            (k.label().to_owned(), n)
        })
        .collect();
    let without = counted
        .iter()
        .filter(|r| r.organisation_kind.is_none())
        .count();
    rows.push(("ohne Organisation".into(), without));
    Section::single("Nach Art der Organisation", rows)
}

/// Kreise by count (largest first), then by name; kreisfreie Städte (a Kommune without Kreis)
/// and rows without any Kreis ("ohne Angabe") last, separately.
fn by_kreis(counted: &[&RegistrationRow]) -> Section {
    let mut tally: BTreeMap<&str, usize> = BTreeMap::new();
    let (mut kreisfrei, mut without) = (0, 0);
    for r in counted {
        match r.kreis.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            Some(k) => *tally.entry(k).or_default() += 1,
            None if r.organisation_kind == Some(OrgKind::Kommune) => kreisfrei += 1,
            None => without += 1,
        }
    }
    let mut rows: Vec<(String, usize)> =
        tally.into_iter().map(|(k, n)| (k.to_owned(), n)).collect();
    rows.sort_by_key(|row| std::cmp::Reverse(row.1));
    if kreisfrei > 0 {
        rows.push(("kreisfreie Stadt".into(), kreisfrei));
    }
    if without > 0 {
        rows.push(("ohne Angabe".into(), without));
    }
    Section::single("Nach Kreis", rows)
}

/// Per workshop: counted registrations that booked it, and those marked present in it.
fn by_workshop(workshops: &[Session], counted: &[&RegistrationRow]) -> Section {
    let rows = workshops
        .iter()
        .map(|w| {
            let booked = counted
                .iter()
                .filter(|r| r.session_ids.contains(&w.id))
                .count();
            let present = counted
                .iter()
                .filter(|r| {
                    r.attendance
                        .iter()
                        .any(|m| m.session_id == Some(w.id) && m.state == AttendanceState::Anwesend)
                })
                .count();
            (w.name.clone(), vec![booked, present])
        })
        .collect();
    Section {
        heading: "Workshops".into(),
        headers: vec![String::new(), "gebucht".into(), "anwesend".into()],
        rows,
    }
}

fn by_first_time(counted: &[&RegistrationRow]) -> Section {
    let first = counted.iter().filter(|r| r.first_time).count();
    Section::single(
        "Erstteilnahme",
        vec![
            ("zum ersten Mal dabei".into(), first),
            ("schon früher dabei".into(), counted.len() - first),
        ],
    )
}

fn by_day(event: &Event, counted: &[&RegistrationRow]) -> CoreResult<Section> {
    let states = [
        AttendanceState::Anwesend,
        AttendanceState::Abwesend,
        AttendanceState::Entschuldigt,
    ];
    let mut headers = vec![String::new()];
    headers.extend(states.iter().map(|s| s.label().to_owned()));
    headers.push("ohne Eintrag".into());
    let rows = event
        .days
        .iter()
        .zip(wording::event_days(event)?)
        .map(|(day, date)| {
            let mut counts: Vec<usize> = states
                .iter()
                .map(|s| {
                    counted
                        .iter()
                        .filter(|r| r.day_state(day) == Some(*s))
                        .count()
                })
                .collect();
            counts.push(
                counted
                    .iter()
                    .filter(|r| r.day_state(day).is_none())
                    .count(),
            );
            (wording::weekday_date(date), counts)
        })
        .collect();
    Ok(Section {
        heading: "Anwesenheit je Tag".into(),
        headers,
        rows,
    })
}
