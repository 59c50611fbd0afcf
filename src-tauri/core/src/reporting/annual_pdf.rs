//! The Jahresbericht as a print-ready PDF: the same sections as the xlsx ([`super::SHEETS`]),
//! typeset by the embedded Typst engine ([`crate::documents::render`]) from
//! `seeds/documents/annual_report.typ`. Charts are drawn by the template from the figures; every
//! chart has its numbers as a table next to it. Only counts and public names — no personal data.
//!
//! The letterhead (name, address, logo) and the footer's Förderhinweis come from the office's
//! settings ([`crate::settings`]).

use chrono::Utc;
use serde_json::{Value, json};

use super::{GroupRow, Statistics};
use crate::documents::{self, Letterhead, RenderedPdf, Template};
use crate::error::CoreResult;
use crate::municipalities;
use crate::time;

/// The template (embedded; `seeds/documents/annual_report.typ`).
pub const PDF_TEMPLATE: Template = Template {
    name: "annual_report.typ",
    source: include_str!("../../../../seeds/documents/annual_report.typ"),
};

/// "1.234" (German thousands separator).
fn int(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// "12,3 %" for a share 0–1.
fn share(x: f64) -> String {
    format!("{:.1} %", x * 100.0).replace('.', ",")
}

/// "13.03.2025" from "2025-03-13".
fn german_date(iso: &str) -> String {
    match iso.split('-').collect::<Vec<_>>().as_slice() {
        [y, m, d] => format!("{d}.{m}.{y}"),
        _ => iso.to_owned(),
    }
}

/// A series of a bar chart: its name, values and the values as printed.
fn series(name: &str, values: &[i64]) -> Value {
    json!({
        "name": name,
        "values": values,
        "shown": values.iter().map(|v| int(*v)).collect::<Vec<_>>(),
    })
}

fn bars(title: &str, labels: Vec<String>, series: Vec<Value>) -> Value {
    json!({ "kind": "bars", "title": title, "labels": labels, "series": series })
}

/// A table whose first column is text and the others numbers.
fn table(title: &str, headers: &[&str], rows: Vec<Vec<String>>) -> Value {
    let numeric: Vec<bool> = (0..headers.len()).map(|i| i > 0).collect();
    table_with(title, headers, &numeric, rows)
}

/// A table with the numeric (right-aligned) columns marked.
fn table_with(title: &str, headers: &[&str], numeric: &[bool], rows: Vec<Vec<String>>) -> Value {
    json!({ "kind": "table", "title": title, "headers": headers, "numeric": numeric, "rows": rows })
}

fn note(text: &str) -> Value {
    json!({ "kind": "note", "text": text })
}

fn group_blocks(rows: &[GroupRow], what: &str, chart: &str, values: &[&str]) -> Vec<Value> {
    let labels: Vec<String> = rows.iter().map(|g| g.label.clone()).collect();
    let pick = |name: &str| -> Vec<i64> {
        rows.iter()
            .map(|g| match name {
                "Veranstaltungen" => g.events,
                "Anmeldungen" => g.registrations,
                _ => g.present,
            })
            .collect()
    };
    vec![
        bars(
            chart,
            labels,
            values.iter().map(|v| series(v, &pick(v))).collect(),
        ),
        table(
            "",
            &[what, "Veranstaltungen", "Anmeldungen", "Anwesend"],
            rows.iter()
                .map(|g| {
                    vec![
                        g.label.clone(),
                        int(g.events),
                        int(g.registrations),
                        int(g.present),
                    ]
                })
                .collect(),
        ),
    ]
}

/// The report's data as the template reads it (`/data.json`).
pub fn annual_report_data(stats: &Statistics, letterhead: &Letterhead) -> Value {
    let s = stats;
    let stand = time::in_berlin(time::from_storage(&s.computed_at).unwrap_or_else(|_| Utc::now()))
        .format("%d.%m.%Y, %H:%M Uhr")
        .to_string();
    let year = s.filter.from.get(..4).unwrap_or_default();
    let whole_year =
        s.filter.from == format!("{year}-01-01") && s.filter.to == format!("{year}-12-31");
    let title = if whole_year {
        format!("Jahresbericht {year}")
    } else {
        "Bericht".to_owned()
    };
    let period = super::period_label(&s.filter);
    let series_label = if s.filter.series.is_empty() {
        "alle Veranstaltungsreihen".to_owned()
    } else {
        s.filter
            .series
            .iter()
            .map(|x| x.label())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let figures: Vec<Vec<String>> = [
        ("Veranstaltungen", int(s.events)),
        ("Anmeldungen", int(s.registrations)),
        ("Anwesend (Teilnahmen)", int(s.present)),
        ("Personen (anwesend)", int(s.distinct_persons)),
        ("davon zum ersten Mal", int(s.first_timers)),
        ("Organisationen", int(s.distinct_organisations)),
        ("No-Show-Quote", share(s.no_show_rate)),
        (
            "Kommunen erreicht",
            format!("{} von {}", int(s.kommunen_reached), int(s.kommunen_total)),
        ),
        (
            "Kreise erreicht",
            format!("{} von {}", int(s.kreise_reached), int(s.kreise_total)),
        ),
        ("Partnerländer", int(s.partner_countries.len() as i64)),
    ]
    .into_iter()
    .map(|(label, value)| vec![label.to_owned(), value])
    .collect();

    let mut sections = Vec::new();

    // Veranstaltungen
    let mut blocks = group_blocks(
        &s.by_series,
        "Reihe",
        "Anmeldungen und Teilnahmen nach Reihe",
        &["Anmeldungen", "Anwesend"],
    );
    blocks.extend(group_blocks(
        &s.by_format,
        "Format",
        "Veranstaltungen nach Format",
        &["Veranstaltungen"],
    ));
    blocks.push(table(
        "Die Veranstaltungen",
        &[
            "Veranstaltung",
            "Datum",
            "Reihe",
            "Format",
            "Anmeldungen",
            "Anwesend",
        ],
        s.event_rows
            .iter()
            .map(|e| {
                vec![
                    e.title.clone(),
                    german_date(&e.date),
                    e.series.label().to_owned(),
                    e.format.label().to_owned(),
                    int(e.registrations),
                    int(e.present),
                ]
            })
            .collect(),
    ));
    sections.push(json!({ "title": "Veranstaltungen", "blocks": blocks }));

    // Teilnahme
    let participation = [
        ("Anmeldungen", s.registrations),
        ("Anwesend", s.present),
        ("Stornierungen", s.cancellations),
        ("Warteliste", s.waitlist),
        ("No-Shows", s.no_shows),
    ];
    let people = [
        ("Zum ersten Mal dabei", s.first_timers),
        ("Wiederkehrend", s.returning),
    ];
    let blocks = vec![
        bars(
            "Anmeldungen und Teilnahme",
            participation.iter().map(|(l, _)| (*l).to_owned()).collect(),
            vec![series(
                "Anzahl",
                &participation.iter().map(|(_, v)| *v).collect::<Vec<_>>(),
            )],
        ),
        table(
            "",
            &["Teilnahme", "Anzahl"],
            participation
                .iter()
                .map(|(l, v)| vec![(*l).to_owned(), int(*v)])
                .collect(),
        ),
        bars(
            "Erstteilnehmende und Wiederkehrende",
            people.iter().map(|(l, _)| (*l).to_owned()).collect(),
            vec![series(
                "Personen",
                &people.iter().map(|(_, v)| *v).collect::<Vec<_>>(),
            )],
        ),
        table(
            "",
            &["Personen (anwesend)", "Anzahl"],
            people
                .iter()
                .map(|(l, v)| vec![(*l).to_owned(), int(*v)])
                .collect(),
        ),
        table(
            "Weitere Kennzahlen",
            &["Kennzahl", "Wert"],
            vec![
                vec![
                    "Anmeldungen vergangener Veranstaltungen mit Anwesenheit".to_owned(),
                    int(s.past_registrations),
                ],
                vec!["No-Show-Quote".to_owned(), share(s.no_show_rate)],
                vec![
                    "Abgesagte Veranstaltungen".to_owned(),
                    int(s.cancelled_events),
                ],
            ],
        ),
    ];
    sections.push(json!({ "title": "Teilnahme", "blocks": blocks }));

    // Organisationen
    let kinds = &s.by_organisation_kind;
    let blocks = vec![
        bars(
            "Teilnehmende nach Art der Organisation",
            kinds.iter().map(|k| k.label.clone()).collect(),
            vec![
                series(
                    "Personen",
                    &kinds.iter().map(|k| k.persons).collect::<Vec<_>>(),
                ),
                series(
                    "Organisationen",
                    &kinds.iter().map(|k| k.organisations).collect::<Vec<_>>(),
                ),
            ],
        ),
        table(
            "",
            &["Art der Organisation", "Personen", "Organisationen"],
            kinds
                .iter()
                .map(|k| vec![k.label.clone(), int(k.persons), int(k.organisations)])
                .collect(),
        ),
    ];
    sections.push(json!({ "title": "Organisationen", "blocks": blocks }));

    // Reichweite
    let bezirke = &s.by_regierungsbezirk;
    let mut rows: Vec<Vec<String>> = bezirke
        .iter()
        .map(|b| {
            vec![
                b.name.clone(),
                int(b.kommunen_reached),
                int(b.kommunen_total),
                int(b.kreise_reached),
                int(b.kreise_total),
            ]
        })
        .collect();
    rows.push(vec![
        "NRW".to_owned(),
        int(s.kommunen_reached),
        int(s.kommunen_total),
        int(s.kreise_reached),
        int(s.kreise_total),
    ]);
    let mut groups: Vec<Value> = bezirke
        .iter()
        .filter_map(|b| {
            let items: Vec<String> = s
                .kommunen_not_reached
                .iter()
                .filter(|k| k.regierungsbezirk == b.name)
                .map(|k| k.name.clone())
                .collect();
            (!items.is_empty()).then(|| {
                json!({
                    "title": format!("Regierungsbezirk {} ({} Kommunen)", b.name, items.len()),
                    "items": items,
                })
            })
        })
        .collect();
    if !s.kreise_not_reached.is_empty() {
        groups.push(json!({
            "title": format!("Kreise ({})", s.kreise_not_reached.len()),
            "items": s.kreise_not_reached.iter().map(|k| k.name.clone()).collect::<Vec<_>>(),
        }));
    }
    let mut blocks = vec![
        bars(
            "Erreichte Kommunen nach Regierungsbezirk",
            bezirke.iter().map(|b| b.name.clone()).collect(),
            vec![
                series(
                    "erreicht",
                    &bezirke
                        .iter()
                        .map(|b| b.kommunen_reached)
                        .collect::<Vec<_>>(),
                ),
                series(
                    "gesamt",
                    &bezirke.iter().map(|b| b.kommunen_total).collect::<Vec<_>>(),
                ),
            ],
        ),
        table(
            "",
            &[
                "Regierungsbezirk",
                "Kommunen erreicht",
                "Kommunen gesamt",
                "Kreise erreicht",
                "Kreise gesamt",
            ],
            rows,
        ),
    ];
    if s.unlinked_organisations > 0 {
        blocks.push(note(&format!(
            "{} teilnehmende Organisation(en) der Art Kommune oder Kreis sind keinem Eintrag \
             des Gemeindeverzeichnisses zugeordnet und hier nicht mitgezählt.",
            int(s.unlinked_organisations)
        )));
    }
    if !groups.is_empty() {
        blocks.push(json!({
            "kind": "list",
            "title": "Noch nicht erreicht",
            "groups": groups,
        }));
    }
    sections.push(json!({ "title": "Reichweite", "blocks": blocks }));

    // Partnerländer
    let countries = &s.partner_countries;
    let blocks = if countries.is_empty() {
        vec![note(
            "Für die teilnehmenden Organisationen sind keine Partnerstädte erfasst.",
        )]
    } else {
        vec![
            bars(
                "Partnerländer der teilnehmenden Organisationen",
                countries.iter().map(|c| c.country.clone()).collect(),
                vec![series(
                    "Organisationen",
                    &countries
                        .iter()
                        .map(|c| c.organisations)
                        .collect::<Vec<_>>(),
                )],
            ),
            table(
                "",
                &["Partnerland", "Organisationen", "Partnerstädte"],
                countries
                    .iter()
                    .map(|c| vec![c.country.clone(), int(c.organisations), int(c.towns)])
                    .collect(),
            ),
        ]
    };
    sections.push(json!({ "title": "Partnerländer", "blocks": blocks }));

    // Themen
    let mut blocks = Vec::new();
    if s.topics.is_empty() {
        blocks.push(note("Im Zeitraum wurden keine Wünsche Themen zugeordnet."));
    } else {
        blocks.push(bars(
            "Top-Themen der Wünsche",
            s.topics.iter().map(|t| t.label.clone()).collect(),
            vec![series(
                "Wünsche",
                &s.topics.iter().map(|t| t.wishes).collect::<Vec<_>>(),
            )],
        ));
        blocks.push(table(
            "",
            &["Thema der Wünsche", "Wünsche"],
            s.topics
                .iter()
                .map(|t| vec![t.label.clone(), int(t.wishes)])
                .collect(),
        ));
    }
    let trend = &s.topic_trend;
    if !trend.events.is_empty() && !trend.topics.is_empty() {
        blocks.push(json!({
            "kind": "trend",
            "title": "Themen-Trend von Veranstaltung zu Veranstaltung (Anteil der Wünsche)",
            "events": trend.events.iter().map(|e| e.label.clone()).collect::<Vec<_>>(),
            "topics": trend.topics.iter().map(|t| json!({
                "name": t.label,
                "values": t.shares,
                "shown": t.shares.iter().map(|x| share(*x)).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        }));
        let mut headers = vec!["Thema"];
        headers.extend(trend.events.iter().map(|e| e.label.as_str()));
        blocks.push(table(
            "",
            &headers,
            trend
                .topics
                .iter()
                .map(|t| {
                    std::iter::once(t.label.clone())
                        .chain(t.shares.iter().map(|x| share(*x)))
                        .collect()
                })
                .collect(),
        ));
    }
    sections.push(json!({ "title": "Themen", "blocks": blocks }));

    json!({
        "title": title,
        "letterhead": letterhead.json(),
        "cover": {
            "period": period,
            "series": series_label,
            "stand": stand,
            "reference": municipalities::SOURCE,
            "note": "Nur Zahlen, keine personenbezogenen Daten. Anwesend: mindestens eine \
                     Anwesenheit erfasst; No-Show-Quote: Anmeldungen vergangener Veranstaltungen \
                     mit erfasster Anwesenheit ohne Anwesenheit; Personen und Reichweite zählen \
                     Anwesende (anonymisierte Anmeldungen je eine Person).",
            "figures": figures,
        },
        "footer": if letterhead.funding_note.is_empty() { period } else { letterhead.funding_note.clone() },
        "sections": sections,
    })
}

/// The Jahresbericht of `stats` as a PDF, with the office's `letterhead`.
pub fn annual_report_pdf(stats: &Statistics, letterhead: &Letterhead) -> CoreResult<RenderedPdf> {
    documents::render(
        PDF_TEMPLATE,
        &annual_report_data(stats, letterhead),
        &letterhead.assets(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_german() {
        assert_eq!(int(0), "0");
        assert_eq!(int(999), "999");
        assert_eq!(int(1234), "1.234");
        assert_eq!(int(1_234_567), "1.234.567");
        assert_eq!(share(0.1234), "12,3 %");
    }
}
