//! Drill-down: what is behind one bar of the "Auswertung" — the events of a series, the people
//! of an organisation kind, the Kommunen of a Regierungsbezirk, the organisations with partner
//! towns in a country, the events whose wishes had a topic.

use std::collections::{BTreeMap, HashMap};

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Facts, StatsFilter, kind_key, read_facts, topic_counts};
use crate::error::CoreResult;
use crate::events::{EventFormat, Series};
use crate::municipalities;
use crate::people::OrgKind;

/// The bar that was clicked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
#[ts(export)]
pub enum DrillKey {
    /// Events of a series.
    Series(Series),
    /// Events of a format.
    Format(EventFormat),
    /// People present of an organisation kind (key as in the figures, "ohne" for none).
    OrganisationKind(String),
    /// Kommunen and Kreise reached in a Regierungsbezirk.
    Bezirk(String),
    /// Organisations present with partner towns in a country.
    Country(String),
    /// Events whose wishes had this topic.
    Topic(String),
    /// People present at one event.
    Event(#[ts(type = "number")] i64),
}

/// One line of a drill-down list.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DrillRow {
    /// Main text (event title, "Nachname, Vorname", Kommune, organisation).
    pub label: String,
    /// Second column (date, organisation, Kreis, partner towns).
    pub detail: String,
    /// The number behind the line (present, participations, wishes), if any.
    #[ts(type = "number | null")]
    pub count: Option<i64>,
    /// The event, where the line is one (the UI opens it).
    #[ts(type = "number | null")]
    pub event_id: Option<i64>,
}

/// The list behind a bar.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DrillList {
    /// Heading ("Veranstaltungen: Forum Städtepartnerschaften NRW").
    pub title: String,
    /// Column headings: label, detail, count.
    pub columns: [String; 3],
    /// The lines.
    pub rows: Vec<DrillRow>,
}

fn columns(a: &str, b: &str, c: &str) -> [String; 3] {
    [a.to_owned(), b.to_owned(), c.to_owned()]
}

/// The list behind `key` for `filter` (one read of `conn`).
pub fn drill(conn: &Connection, filter: &StatsFilter, key: &DrillKey) -> CoreResult<DrillList> {
    let facts = read_facts(conn, filter)?;
    let held = || facts.events.iter().filter(|e| !e.cancelled);
    let present_at = |id: i64| {
        facts
            .regs
            .iter()
            .filter(|r| r.event_id == id && r.present)
            .count() as i64
    };
    let event_rows = |matches: &dyn Fn(&super::EventFacts) -> bool| -> Vec<DrillRow> {
        held()
            .filter(|e| matches(e))
            .map(|e| DrillRow {
                label: e.title.clone(),
                detail: german_date(&e.date),
                count: Some(present_at(e.id)),
                event_id: Some(e.id),
            })
            .collect()
    };
    Ok(match key {
        DrillKey::Series(series) => DrillList {
            title: format!("Veranstaltungen: {}", series.label()),
            columns: columns("Veranstaltung", "Datum", "anwesend"),
            rows: event_rows(&|e| e.series == *series),
        },
        DrillKey::Format(format) => DrillList {
            title: format!("Veranstaltungen: {}", format.label()),
            columns: columns("Veranstaltung", "Datum", "anwesend"),
            rows: event_rows(&|e| e.format == *format),
        },
        DrillKey::OrganisationKind(kind) => {
            let label = kind
                .parse::<OrgKind>()
                .map_or("ohne Organisation", |k| k.label());
            DrillList {
                title: format!("Teilnehmende: {label}"),
                columns: columns("Person", "Organisation", "Teilnahmen"),
                rows: people(conn, &facts, |r| kind_key(r.kind) == kind.as_str())?,
            }
        }
        DrillKey::Event(id) => {
            let title = facts
                .event(*id)
                .map_or_else(String::new, |e| e.title.clone());
            DrillList {
                title: format!("Anwesend: {title}"),
                columns: columns("Person", "Organisation", "Teilnahmen"),
                rows: people(conn, &facts, |r| r.event_id == *id)?,
            }
        }
        DrillKey::Bezirk(name) => DrillList {
            title: format!("Erreicht im Regierungsbezirk {name}"),
            columns: columns("Kommune / Kreis", "Kreis", "Teilnahmen"),
            rows: reached_in(&facts, name),
        },
        DrillKey::Country(country) => DrillList {
            title: format!("Organisationen mit Partnerstädten: {country}"),
            columns: columns("Organisation", "Partnerstädte", "Teilnahmen"),
            rows: partner_organisations(conn, &facts, country)?,
        },
        DrillKey::Topic(topic) => {
            let events: Vec<&super::EventFacts> = held().collect();
            let counts = topic_counts(conn, &events)?;
            let rows = events
                .iter()
                .filter_map(|e| {
                    counts
                        .iter()
                        .find(|(id, label, _)| *id == e.id && label == topic)
                        .map(|(_, _, n)| DrillRow {
                            label: e.title.clone(),
                            detail: german_date(&e.date),
                            count: Some(*n),
                            event_id: Some(e.id),
                        })
                })
                .collect();
            DrillList {
                title: format!("Wünsche zum Thema „{topic}“"),
                columns: columns("Veranstaltung", "Datum", "Wünsche"),
                rows,
            }
        }
    })
}

/// "13.03.2025" from "2025-03-13".
fn german_date(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => format!("{d}.{m}.{y}"),
        _ => iso.to_owned(),
    }
}

/// People present in the registrations `keep` selects, with their number of participations;
/// anonymous registrations (personal data deleted) as one line with their count.
fn people(
    conn: &Connection,
    facts: &Facts,
    keep: impl Fn(&super::RegFacts) -> bool,
) -> CoreResult<Vec<DrillRow>> {
    let mut per_person: HashMap<i64, i64> = HashMap::new();
    let mut anonymous = 0;
    for r in facts.regs.iter().filter(|r| r.present && keep(r)) {
        match r.person_id {
            Some(p) => *per_person.entry(p).or_default() += 1,
            None => anonymous += 1,
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT p.last_name || ', ' || p.first_name, ifnull(o.name, '')
         FROM persons p LEFT JOIN organisations o ON o.id = p.organisation_id
         WHERE p.id = ?1",
    )?;
    let mut rows = Vec::new();
    for (id, n) in per_person {
        let (label, detail): (String, String) =
            stmt.query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.push(DrillRow {
            label,
            detail,
            count: Some(n),
            event_id: None,
        });
    }
    rows.sort_by(|a, b| {
        crate::store::fold(&a.label)
            .cmp(&crate::store::fold(&b.label))
            .then_with(|| a.detail.cmp(&b.detail))
    });
    if anonymous > 0 {
        rows.push(DrillRow {
            label: "Anonym (Personendaten gelöscht)".to_owned(),
            detail: String::new(),
            count: Some(anonymous),
            event_id: None,
        });
    }
    Ok(rows)
}

fn reached_in(facts: &Facts, bezirk: &str) -> Vec<DrillRow> {
    let mut per_area: BTreeMap<(u8, String), i64> = BTreeMap::new();
    for (_, r) in facts.present() {
        let Some(ags) = r.ags.as_deref() else {
            continue;
        };
        let in_bezirk = match r.kind {
            Some(OrgKind::Kommune) => {
                municipalities::kommune(ags).is_some_and(|k| k.regierungsbezirk == bezirk)
            }
            Some(OrgKind::Kreis) => {
                municipalities::kreis(ags).is_some_and(|k| k.regierungsbezirk == bezirk)
            }
            _ => false,
        };
        if in_bezirk {
            let order = u8::from(r.kind == Some(OrgKind::Kommune));
            *per_area.entry((order, ags.to_owned())).or_default() += 1;
        }
    }
    let mut rows: Vec<DrillRow> = per_area
        .into_iter()
        .map(|((_, ags), n)| {
            let (label, detail) = match municipalities::kommune(&ags) {
                Some(k) => (
                    k.name.clone(),
                    if k.kreisfrei {
                        "kreisfreie Stadt".to_owned()
                    } else {
                        municipalities::kreis(&k.kreis)
                            .map_or_else(String::new, |kr| kr.name.clone())
                    },
                ),
                None => (
                    municipalities::kreis(&ags).map_or_else(String::new, |k| k.name.clone()),
                    "Kreis".to_owned(),
                ),
            };
            DrillRow {
                label,
                detail,
                count: Some(n),
                event_id: None,
            }
        })
        .collect();
    rows.sort_by_key(|row| crate::store::fold(&row.label));
    rows
}

fn partner_organisations(
    conn: &Connection,
    facts: &Facts,
    country: &str,
) -> CoreResult<Vec<DrillRow>> {
    let mut participations: HashMap<i64, i64> = HashMap::new();
    for (_, r) in facts.present() {
        if let Some(org) = r.organisation_id {
            *participations.entry(org).or_default() += 1;
        }
    }
    let wanted = crate::store::fold(country);
    let mut stmt = conn.prepare_cached(
        "SELECT o.id, o.name, t.town, t.country FROM partner_towns t
         JOIN organisations o ON o.id = t.organisation_id ORDER BY o.id, t.position",
    )?;
    let mut towns: BTreeMap<i64, (String, Vec<String>)> = BTreeMap::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let org: i64 = r.get(0)?;
        let town_country: String = r.get(3)?;
        if !participations.contains_key(&org) || crate::store::fold(&town_country) != wanted {
            continue;
        }
        let entry = towns
            .entry(org)
            .or_insert_with(|| (String::new(), Vec::new()));
        entry.0 = r.get(1)?;
        entry.1.push(r.get(2)?);
    }
    let mut list: Vec<DrillRow> = towns
        .into_iter()
        .map(|(org, (name, towns))| DrillRow {
            label: name,
            detail: towns.join(", "),
            count: participations.get(&org).copied(),
            event_id: None,
        })
        .collect();
    list.sort_by_key(|row| crate::store::fold(&row.label));
    Ok(list)
}
