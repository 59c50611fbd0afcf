//! Namensschilder: A4 sheets for badge inserts and label sheets, the first name large (long
//! names shrink, never cut), organisation and Ort, an optional role band (Referent*in, Team),
//! for everyone registered or only the people checked in, sorted by name, plus blank badges for
//! walk-ins. The layout is data ([`BadgeLayout`]); the look is `seeds/documents/badges.typ`.

use std::path::Path;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{DocumentSummary, RenderedPdf, Template, nobody, render, short_dates};
use crate::error::{CoreError, CoreResult};
use crate::events::{self, Event};
use crate::exports::{ProtectedPaths, labelled_file_name};
use crate::registrations::attendance::AttendanceState;
use crate::registrations::{self, RegistrationRow, Role};
use crate::store::Store;

/// The default badge template.
pub const TEMPLATE: Template = Template {
    name: "badges.typ",
    source: include_str!("../../../../seeds/documents/badges.typ"),
};

/// Most blank badges in one document (a few sheets for walk-ins).
pub const MAX_BLANK: u32 = 200;

/// A sheet of badges: A4 with `columns` × `rows` badges of `width` × `height` mm, the first at
/// (`left`, `top`), the next `step_x`/`step_y` mm further.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct BadgeLayout {
    /// Stable id, e.g. `a4-8-90x55`.
    pub id: &'static str,
    /// German name for the choice.
    pub label: &'static str,
    /// Badges across.
    pub columns: u32,
    /// Badges down.
    pub rows: u32,
    /// Badge width in mm.
    pub width: f64,
    /// Badge height in mm.
    pub height: f64,
    /// Left edge of the first column in mm.
    pub left: f64,
    /// Top edge of the first row in mm.
    pub top: f64,
    /// Distance from one column's left edge to the next in mm.
    pub step_x: f64,
    /// Distance from one row's top edge to the next in mm.
    pub step_y: f64,
    /// Cut marks in the margin (plain paper to cut, not pre-punched sheets).
    pub cut_marks: bool,
    /// Corner radius of the badge in mm (label sheets have rounded labels).
    pub radius: f64,
}

/// The layouts offered, the default first. Label sheets after the manufacturer's dimensions
/// (as published in gLabels' template collection).
pub const LAYOUTS: [BadgeLayout; 4] = [
    BadgeLayout {
        id: "a4-8-90x55",
        label: "Einsteckschilder 90 × 55 mm, 8 pro A4-Blatt, mit Schnittmarken",
        columns: 2,
        rows: 4,
        width: 90.0,
        height: 55.0,
        left: 15.0,
        top: 38.5,
        step_x: 90.0,
        step_y: 55.0,
        cut_marks: true,
        radius: 0.0,
    },
    BadgeLayout {
        id: "avery-l4785",
        label: "Avery Zweckform L4785 – Namensetiketten 80 × 50 mm, 10 pro Blatt",
        columns: 2,
        rows: 5,
        width: 80.0,
        height: 50.0,
        left: 18.0,
        top: 13.0,
        step_x: 95.0,
        step_y: 55.0,
        cut_marks: false,
        radius: 4.0,
    },
    BadgeLayout {
        id: "avery-c32010",
        label: "Avery Zweckform C32010 – Karten 85 × 54 mm, 10 pro Blatt (für Namensschildhüllen)",
        columns: 2,
        rows: 5,
        width: 85.0,
        height: 54.0,
        left: 14.1,
        top: 14.1,
        step_x: 94.9,
        step_y: 54.0,
        cut_marks: false,
        radius: 0.0,
    },
    BadgeLayout {
        id: "avery-c32015",
        label: "Avery Zweckform C32015 – Karten 85 × 54 mm, 8 pro Blatt (für Namensschildhüllen)",
        columns: 2,
        rows: 4,
        width: 85.0,
        height: 54.0,
        left: 17.0,
        top: 31.5,
        step_x: 91.0,
        step_y: 60.0,
        cut_marks: false,
        radius: 0.0,
    },
];

/// The layout with this id; a German error listing the known ids otherwise.
pub fn layout(id: &str) -> CoreResult<&'static BadgeLayout> {
    LAYOUTS.iter().find(|l| l.id == id).ok_or_else(|| {
        let known: Vec<&str> = LAYOUTS.iter().map(|l| l.id).collect();
        CoreError::invalid(
            "layout",
            format!("Unbekanntes Format „{id}“ (möglich: {}).", known.join(", ")),
        )
    })
}

/// Which badges to print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BadgeRequest {
    /// Event key.
    #[ts(type = "number")]
    pub event_id: i64,
    /// Layout id (see [`LAYOUTS`]).
    pub layout: String,
    /// Only people checked in on at least one day (else everyone registered).
    pub only_present: bool,
    /// Only these registrations (selected people, printed whatever their status); `None` for
    /// the whole event.
    #[ts(type = "Array<number> | null")]
    pub registration_ids: Option<Vec<i64>>,
    /// Blank badges for walk-ins after the named ones.
    pub blank: u32,
    /// Print the role band (Referent*in, Team, Presse, Gast; nothing for participants).
    pub roles: bool,
}

impl BadgeRequest {
    /// Everyone registered for the event on the default layout, with roles, no blanks.
    pub fn new(event_id: i64) -> Self {
        BadgeRequest {
            event_id,
            layout: LAYOUTS[0].id.to_owned(),
            only_present: false,
            registration_ids: None,
            blank: 0,
            roles: true,
        }
    }
}

/// One badge as the template receives it (all strings; empty when unknown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Badge {
    /// First name, printed large.
    pub first: String,
    /// Title and last name ("Dr. Müller"); the whole name when there is no first name.
    pub name: String,
    /// Organisation.
    pub organisation: String,
    /// Ort.
    pub ort: String,
    /// Role band text, empty for participants.
    pub role: String,
}

impl Badge {
    fn blank() -> Self {
        Badge {
            first: String::new(),
            name: String::new(),
            organisation: String::new(),
            ort: String::new(),
            role: String::new(),
        }
    }

    fn of(row: &RegistrationRow, roles: bool) -> Self {
        let joined = |parts: &[&str]| {
            parts
                .iter()
                .filter(|p| !p.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ")
        };
        Badge {
            first: row.first_name.clone(),
            name: joined(&[&row.title, &row.last_name]),
            organisation: row.organisation.clone().unwrap_or_default(),
            ort: row.ort.clone(),
            role: if roles {
                role_text(row.role).to_owned()
            } else {
                String::new()
            },
        }
    }
}

/// The role band: the team is "Team" on a badge; participants get none.
fn role_text(role: Role) -> &'static str {
    match role {
        Role::Teilnehmer => "",
        Role::Organisation => "Team",
        other => other.label(),
    }
}

/// Whether the person was checked in (present) on at least one day of the event.
pub(crate) fn is_present(row: &RegistrationRow) -> bool {
    row.status.is_counted()
        && row
            .attendance
            .iter()
            .any(|m| m.session_id.is_none() && m.state == AttendanceState::Anwesend)
}

/// The registrations a document is for: the selected ones (all of this event, sorted by name),
/// else those `keep` accepts.
pub(crate) fn chosen_rows(
    conn: &Connection,
    event_id: i64,
    selected: Option<&[i64]>,
    keep: impl Fn(&RegistrationRow) -> bool,
) -> CoreResult<Vec<RegistrationRow>> {
    // A registration whose person was erased (Art. 17 DSGVO) names nobody: no document.
    let rows: Vec<RegistrationRow> = registrations::list(conn, event_id)?
        .into_iter()
        .filter(|r| r.person_id.is_some())
        .collect();
    match selected {
        Some(ids) => {
            if let Some(missing) = ids
                .iter()
                .find(|id| !rows.iter().any(|r| r.registration_id == **id))
            {
                return Err(CoreError::invalid(
                    "registration_ids",
                    format!("Die Anmeldung {missing} gehört nicht zu dieser Veranstaltung."),
                ));
            }
            Ok(rows
                .into_iter()
                .filter(|r| ids.contains(&r.registration_id))
                .collect())
        }
        None => Ok(rows.into_iter().filter(|r| keep(r)).collect()),
    }
}

/// The badges of a request (named ones sorted by last and first name, then the blanks).
pub fn badges(conn: &Connection, request: &BadgeRequest) -> CoreResult<(Event, Vec<Badge>)> {
    let event = events::get(conn, request.event_id)?;
    if request.blank > MAX_BLANK {
        return Err(CoreError::invalid(
            "blank",
            format!("Höchstens {MAX_BLANK} leere Namensschilder auf einmal."),
        ));
    }
    let rows = chosen_rows(conn, event.id, request.registration_ids.as_deref(), |row| {
        if request.only_present {
            is_present(row)
        } else {
            row.status.is_counted()
        }
    })?;
    let mut badges: Vec<Badge> = rows.iter().map(|r| Badge::of(r, request.roles)).collect();
    badges.extend((0..request.blank).map(|_| Badge::blank()));
    if badges.is_empty() {
        return Err(nobody(if request.only_present {
            "Noch niemand ist eingecheckt – es gibt keine Namensschilder zu drucken. Für \
             Spontan-Anmeldungen können Sie leere Namensschilder drucken."
        } else {
            "Für diese Veranstaltung ist niemand angemeldet – es gibt keine Namensschilder zu \
             drucken. Für Spontan-Anmeldungen können Sie leere Namensschilder drucken."
        }));
    }
    Ok((event, badges))
}

/// Renders the badges of a request to a PDF; also returns how many people it names.
pub fn render_badges(
    conn: &Connection,
    request: &BadgeRequest,
) -> CoreResult<(RenderedPdf, usize)> {
    let layout = layout(&request.layout)?;
    let (event, badges) = badges(conn, request)?;
    let named = badges.len() - request.blank as usize;
    let data = serde_json::json!({
        "event": { "title": event.title, "dates": short_dates(&event) },
        "layout": {
            "page_width": 210.0, "page_height": 297.0,
            "columns": layout.columns, "rows": layout.rows,
            "width": layout.width, "height": layout.height,
            "left": layout.left, "top": layout.top,
            "step_x": layout.step_x, "step_y": layout.step_y,
            "cut_marks": layout.cut_marks, "radius": layout.radius,
        },
        "badges": badges,
    });
    Ok((render(TEMPLATE, &data, &[])?, named))
}

/// The suggested file name, e.g. `2025-03-13_13-Forum_Namensschilder.pdf`.
pub fn file_name(conn: &Connection, event_id: i64) -> CoreResult<String> {
    Ok(labelled_file_name(
        &events::get(conn, event_id)?,
        "Namensschilder",
        "pdf",
    ))
}

/// Renders the badges from one snapshot and writes them to `path` (checked like an export:
/// only `.pdf`, never the database or a protected folder; complete or not at all).
pub fn write_badges(
    store: &mut Store,
    request: &BadgeRequest,
    path: &Path,
    protected: &ProtectedPaths,
) -> CoreResult<DocumentSummary> {
    let protected = super::protect_own_database(store, protected);
    crate::exports::check_target(path, "pdf", &protected)?;
    let (pdf, named) = store.read(|conn| render_badges(conn, request))?;
    super::write_pdf(path, &pdf.bytes, &protected)?;
    let total = named + request.blank as usize;
    Ok(DocumentSummary {
        path: path.to_owned(),
        files: 1,
        people: named,
        pages: pdf.pages,
        message: format!(
            "{total} {} auf {} {} gespeichert{}.",
            if total == 1 {
                "Namensschild"
            } else {
                "Namensschilder"
            },
            pdf.pages,
            if pdf.pages == 1 { "Seite" } else { "Seiten" },
            if request.blank > 0 {
                format!(", davon {} leer", request.blank)
            } else {
                String::new()
            }
        ),
    })
}
