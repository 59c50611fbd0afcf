//! Teilnahmebescheinigungen: one page per person present, with the office's letterhead (name,
//! address, logo and signature image from the settings: [`Letterhead`]), the
//! event with its date(s) and place, the time actually attended (the scheduled hours of each
//! day checked in at the desk, the minutes of an online report), the content from the event
//! description and a place, date and signature line. One combined PDF, one PDF per person, or
//! one person's PDF as bytes ([`certificate_pdf`], attached to an e-mail).

use std::path::Path;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::badges::{chosen_rows, is_present};
use super::{
    DocumentSummary, Letterhead, RenderedPdf, Template, date_phrase, german_date, nobody, render,
};
use crate::error::{CoreError, CoreResult};
use crate::events::{self, Event, EventFormat};
use crate::exports::{ProtectedPaths, ascii_slug, labelled_file_name};
use crate::registrations::attendance::AttendanceState;
use crate::registrations::{self, RegistrationRow};
use crate::store::Store;

/// The default certificate template.
pub const TEMPLATE: Template = Template {
    name: "certificate.typ",
    source: include_str!("../../../../seeds/documents/certificate.typ"),
};

/// Whose certificates to print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CertificateRequest {
    /// Event key.
    #[ts(type = "number")]
    pub event_id: i64,
    /// Only these registrations (each must be present); `None` for everyone present.
    #[ts(type = "Array<number> | null")]
    pub registration_ids: Option<Vec<i64>>,
}

impl CertificateRequest {
    /// Everyone present at the event.
    pub fn new(event_id: i64) -> Self {
        CertificateRequest {
            event_id,
            registration_ids: None,
        }
    }
}

/// The place for "Ort, Datum" and the name under the signature line: the office's (from the
/// settings' address), else — while no address is set — the town of the event's organiser
/// ("Netzwerkstelle …, Auslandsgesellschaft.de e.V., Dortmund" → "Dortmund").
fn issued_place(letterhead: &Letterhead, event: &Event) -> String {
    if !letterhead.place.is_empty() {
        return letterhead.place.clone();
    }
    let parts: Vec<&str> = event
        .organiser
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() > 1 {
        parts.last().map(|p| city(p)).unwrap_or_default()
    } else {
        String::new()
    }
}

/// The town of an address part: "44147 Dortmund" → "Dortmund".
fn city(part: &str) -> String {
    part.trim()
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim()
        .to_owned()
}

/// Where the event took place, for "… in Bonn teilgenommen": the town of the venue's last
/// address part; "online" for online participation.
fn venue_place(event: &Event, online: bool) -> String {
    if online || event.format == EventFormat::Online {
        return "online".to_owned();
    }
    event
        .venue
        .rsplit(',')
        .next()
        .map(city)
        .filter(|c| !c.is_empty())
        .map(|c| format!("in {c}"))
        .unwrap_or_default()
}

/// "6 Stunden", "1 Stunde 30 Minuten", "45 Minuten".
pub(crate) fn duration_text(minutes: i64) -> String {
    let (hours, rest) = (minutes / 60, minutes % 60);
    let hours_text = match hours {
        0 => String::new(),
        1 => "1 Stunde".to_owned(),
        h => format!("{h} Stunden"),
    };
    let minutes_text = match rest {
        0 => String::new(),
        1 => "1 Minute".to_owned(),
        m => format!("{m} Minuten"),
    };
    match (hours_text.is_empty(), minutes_text.is_empty()) {
        (true, true) => "0 Minuten".to_owned(),
        (false, true) => hours_text,
        (true, false) => minutes_text,
        (false, false) => format!("{hours_text} {minutes_text}"),
    }
}

/// One certificate as the template receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificatePerson {
    /// "Frau Dr. Anna Müller".
    pub name: String,
    /// Organisation.
    pub organisation: String,
    /// "in Bonn" or "online".
    pub place: String,
    /// Total time attended ("5 Stunden 30 Minuten"), empty when unknown.
    pub total: String,
    /// Per day attended.
    pub days: Vec<AttendedDay>,
    /// Minutes attended in total (for tests and summaries; not printed).
    pub minutes: i64,
}

/// One day attended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttendedDay {
    /// "12.06.2025".
    pub date: String,
    /// "6 Stunden".
    pub duration: String,
}

/// The certificate of one registration: per day present, the online minutes of that day if a
/// report was imported, else the day's scheduled window.
fn person(event: &Event, row: &RegistrationRow) -> CoreResult<CertificatePerson> {
    let windows = crate::imports::online::day_windows(event)?;
    let mut days = Vec::new();
    let mut total = 0;
    let mut online = false;
    for (day, from, to) in &windows {
        let Some(mark) = row
            .attendance
            .iter()
            .find(|m| m.session_id.is_none() && &m.day == day)
        else {
            continue;
        };
        if mark.state != AttendanceState::Anwesend {
            continue;
        }
        online |= mark.minutes.is_some();
        let minutes = mark
            .minutes
            .unwrap_or_else(|| (*to - *from).num_minutes().max(0));
        total += minutes;
        let date = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
            .map(german_date)
            .unwrap_or_else(|_| day.clone());
        days.push(AttendedDay {
            date,
            duration: duration_text(minutes),
        });
    }
    let name = [
        row.salutation.as_str(),
        row.title.as_str(),
        row.first_name.as_str(),
        row.last_name.as_str(),
    ]
    .iter()
    .filter(|p| !p.is_empty())
    .copied()
    .collect::<Vec<_>>()
    .join(" ");
    Ok(CertificatePerson {
        name,
        organisation: row.organisation.clone().unwrap_or_default(),
        place: venue_place(event, online),
        total: if days.is_empty() {
            String::new()
        } else {
            duration_text(total)
        },
        days,
        minutes: total,
    })
}

/// The people of a request, sorted by name; a selected person who was not present is refused.
pub fn people(
    conn: &Connection,
    request: &CertificateRequest,
) -> CoreResult<(Event, Vec<CertificatePerson>)> {
    let event = events::get(conn, request.event_id)?;
    let rows = chosen_rows(
        conn,
        event.id,
        request.registration_ids.as_deref(),
        is_present,
    )?;
    if let Some(absent) = rows.iter().find(|r| !is_present(r)) {
        return Err(CoreError::Conflict(format!(
            "{} {} war bei dieser Veranstaltung nicht anwesend – Teilnahmebescheinigungen gibt es \
             nur für Anwesende.",
            absent.first_name, absent.last_name
        )));
    }
    if rows.is_empty() {
        return Err(nobody(
            "Bei dieser Veranstaltung ist niemand als anwesend erfasst – Teilnahmebescheinigungen \
             gibt es nur für Anwesende (Check-in oder importierter Teilnahmebericht).",
        ));
    }
    let people = rows
        .iter()
        .map(|r| person(&event, r))
        .collect::<CoreResult<_>>()?;
    Ok((event, people))
}

fn render_people(
    letterhead: &Letterhead,
    event: &Event,
    people: &[CertificatePerson],
) -> CoreResult<RenderedPdf> {
    // The signatory is the office: its name without the legal body after the first comma.
    let signatory = letterhead
        .name
        .split(',')
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned();
    let data = serde_json::json!({
        "letterhead": letterhead.json(),
        "event": {
            "title": event.title,
            "date_phrase": date_phrase(event),
            "description": event.description,
            "funding_note": event.funding_note,
        },
        "issued": {
            "place": issued_place(letterhead, event),
            "date": german_date(crate::time::today_in_berlin()),
        },
        "signature": {
            "name": signatory,
            "role": "",
            "image": letterhead.signature_path(),
        },
        "people": people,
    });
    render(TEMPLATE, &data, &letterhead.assets())
}

/// Renders the certificates of a request into one PDF (one page per person); also returns how
/// many people it holds.
pub fn render_certificates(
    conn: &Connection,
    request: &CertificateRequest,
) -> CoreResult<(RenderedPdf, usize)> {
    let (event, people) = people(conn, request)?;
    let letterhead = Letterhead::from_settings(conn)?;
    Ok((render_people(&letterhead, &event, &people)?, people.len()))
}

/// One person's certificate as PDF bytes (for an e-mail attachment); refused when the person
/// was not present.
pub fn certificate_pdf(conn: &Connection, registration_id: i64) -> CoreResult<Vec<u8>> {
    let row = registrations::get_row(conn, registration_id)?;
    let request = CertificateRequest {
        event_id: row.event_id,
        registration_ids: Some(vec![registration_id]),
    };
    Ok(render_certificates(conn, &request)?.0.bytes)
}

/// The file name of one person's certificate, e.g.
/// `Teilnahmebescheinigung_Mueller-Anna_2025-03-13_13-Forum.pdf`.
pub fn certificate_file_name(conn: &Connection, registration_id: i64) -> CoreResult<String> {
    let row = registrations::get_row(conn, registration_id)?;
    let event = events::get(conn, row.event_id)?;
    Ok(person_file_name(&event, &row))
}

fn person_file_name(event: &Event, row: &RegistrationRow) -> String {
    let mut person = ascii_slug(&format!("{} {}", row.last_name, row.first_name));
    if person.is_empty() {
        person = format!("Anmeldung-{}", row.registration_id);
    }
    let dated = labelled_file_name(event, "", "pdf");
    // "2025-03-13_13-Forum_.pdf" → "2025-03-13_13-Forum"
    let dated = dated.trim_end_matches(".pdf").trim_end_matches('_');
    format!("Teilnahmebescheinigung_{person}_{dated}.pdf")
}

/// The suggested file name of the combined PDF, e.g.
/// `2025-03-13_13-Forum_Teilnahmebescheinigungen.pdf`.
pub fn file_name(conn: &Connection, event_id: i64) -> CoreResult<String> {
    Ok(labelled_file_name(
        &events::get(conn, event_id)?,
        "Teilnahmebescheinigungen",
        "pdf",
    ))
}

fn summary(path: &Path, files: usize, people: usize, pages: usize) -> DocumentSummary {
    let noun = if people == 1 {
        "Teilnahmebescheinigung"
    } else {
        "Teilnahmebescheinigungen"
    };
    DocumentSummary {
        path: path.to_owned(),
        files,
        people,
        pages,
        message: if files == 1 {
            format!("{people} {noun} gespeichert.")
        } else {
            format!("{people} {noun} als einzelne PDF-Dateien gespeichert.")
        },
    }
}

/// Renders the certificates from one snapshot into one PDF at `path` (checked like an export).
pub fn write_certificates(
    store: &mut Store,
    request: &CertificateRequest,
    path: &Path,
    protected: &ProtectedPaths,
) -> CoreResult<DocumentSummary> {
    let protected = super::protect_own_database(store, protected);
    crate::exports::check_target(path, "pdf", &protected)?;
    let (pdf, people) = store.read(|conn| render_certificates(conn, request))?;
    super::write_pdf(path, &pdf.bytes, &protected)?;
    Ok(summary(path, 1, people, pdf.pages))
}

/// Writes one PDF per person into `folder` (named by [`certificate_file_name`]'s scheme; an
/// existing file of that name is replaced). Every file passes the export target check.
pub fn write_certificates_per_person(
    store: &mut Store,
    request: &CertificateRequest,
    folder: &Path,
    protected: &ProtectedPaths,
) -> CoreResult<DocumentSummary> {
    let protected = super::protect_own_database(store, protected);
    if !folder.is_dir() {
        return Err(CoreError::invalid(
            "path",
            format!("Den Ordner {} gibt es nicht.", folder.display()),
        ));
    }
    let files = store.read(|conn| {
        let (event, people) = people(conn, request)?;
        let letterhead = Letterhead::from_settings(conn)?;
        let rows = chosen_rows(
            conn,
            event.id,
            request.registration_ids.as_deref(),
            is_present,
        )?;
        rows.iter()
            .zip(&people)
            .map(|(row, person)| {
                let path = folder.join(person_file_name(&event, row));
                crate::exports::check_target(&path, "pdf", &protected)?;
                let pdf = render_people(&letterhead, &event, std::slice::from_ref(person))?;
                Ok((path, pdf))
            })
            .collect::<CoreResult<Vec<_>>>()
    })?;
    let pages = files.iter().map(|(_, pdf)| pdf.pages).sum();
    for (path, pdf) in &files {
        super::write_pdf(path, &pdf.bytes, &protected)?;
    }
    Ok(summary(folder, files.len(), files.len(), pages))
}
