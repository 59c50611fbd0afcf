//! Einladungsverteiler: the people who consented to invitations to future events — of this
//! event's registrations (default) or of all contacts — with their e-mail, for inviting to the
//! next event. Persons without that consent (or who withdrew it) are never on it.

use rusqlite::Connection;
use rust_xlsxwriter::Workbook;

use super::options::{ExportOptions, OptionSpec};
use super::sheet::{self, Cell, DataTable};
use super::{Exporter, Rendered, wording};
use crate::error::CoreResult;
use crate::events::Event;

/// The Einladungsverteiler exporter (id `invitations`).
pub(crate) struct Invitations;

const HEADERS: [&str; 8] = [
    "Anrede",
    "Titel",
    "Vorname",
    "Nachname",
    "Organisation",
    "Ort/Kommune",
    "E-Mail",
    "Einwilligung vom",
];

impl Exporter for Invitations {
    fn id(&self) -> &'static str {
        "invitations"
    }

    fn label(&self) -> &'static str {
        "Einladungsverteiler"
    }

    fn description(&self) -> &'static str {
        "Personen mit Einwilligung in Einladungen zu künftigen Veranstaltungen, mit E-Mail – \
         Personen ohne diese Einwilligung stehen nie darauf."
    }

    fn file_label(&self) -> &'static str {
        "Einladungsverteiler"
    }

    fn options(&self) -> Vec<OptionSpec> {
        vec![OptionSpec::choice(
            "scope",
            "Wer",
            "Angemeldete dieser Veranstaltung (ohne Stornierte und Abgelehnte) oder alle Kontakte.",
            &[
                ("event", "Angemeldete dieser Veranstaltung"),
                ("all", "alle Kontakte"),
            ],
            "event",
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
        let only_event = options.text("scope")? == "event";
        let mut stmt = conn.prepare(
            "SELECT p.salutation, p.title, p.first_name, p.last_name, ifnull(o.name, ''), p.ort,
                    p.email, c.given_on
             FROM persons p
             JOIN consents c ON c.person_id = p.id AND c.purpose = 'einladungen'
                            AND c.state = 'erteilt'
             LEFT JOIN organisations o ON o.id = p.organisation_id
             WHERE p.email <> ''
               AND (?1 = 0 OR EXISTS (SELECT 1 FROM registrations r
                                       WHERE r.person_id = p.id AND r.event_id = ?2
                                         AND r.status NOT IN ('storniert', 'abgelehnt')))
             ORDER BY fold(p.last_name), fold(p.first_name), p.id",
        )?;
        let rows: Vec<Vec<Cell>> = stmt
            .query_map(rusqlite::params![only_event, event.id], |r| {
                (0..HEADERS.len())
                    .map(|i| {
                        r.get::<_, String>(i)
                            .map(|t| Cell::text(sheet::cell_text(&t)))
                    })
                    .collect::<Result<Vec<_>, _>>()
            })?
            .collect::<Result<_, _>>()?;
        let table = DataTable {
            headers: HEADERS.iter().map(|h| (*h).to_owned()).collect(),
            rows,
            wrapped: Vec::new(),
        };
        let mut workbook = Workbook::new();
        let ws = workbook.add_worksheet();
        ws.set_name("Einladungsverteiler")
            .map_err(sheet::xlsx_error)?;
        sheet::write_table(ws, &table, "Einladungsverteiler")?;
        sheet::list_page_setup(
            ws,
            &format!(
                "Einladungsverteiler – {}",
                wording::title_with_number(event)
            ),
            &table,
            4,
        )?;
        Ok(Rendered {
            bytes: sheet::save(&mut workbook)?,
            rows: table.rows.len(),
        })
    }
}
