//! "Auswertung" and the Jahresbericht: what the office reached in a period — events by series
//! and format, registrations, attendance and no-shows, people and organisations, the reach into
//! NRW's 396 Kommunen and 31 Kreise ([`crate::municipalities`]), partner countries and the
//! topics of the wishes from forum to forum.
//!
//! Everything is computed from what the Datenschutz shredder keeps: a registration's
//! organisation is `COALESCE(persons.organisation_id, registrations.organisation_id)` (the
//! person's while it exists, the kept one after), status, first time and attendance stay on the
//! registration, wishes stay anonymous. A registration whose person was deleted cannot be told
//! apart from others by person, so each anonymous registration counts as one person.
//!
//! Definitions (also in the UI's explanations):
//! - an event counts when it starts in the period (Europe/Berlin dates) and is not abgesagt;
//! - *Anmeldungen*: registrations holding a place (`RegistrationStatus::COUNTED`);
//!   *Stornierungen*: cancelled ones; *Warteliste*: still waiting;
//! - *anwesend*: a registration with at least one "anwesend" mark (any status, walk-ins too);
//! - *No-Show-Quote*: registrations holding a place at a past event with recorded attendance
//!   that have no "anwesend" mark, divided by all such registrations;
//! - *Personen*, *Erstteilnehmende*, Organisationen and the reach count those present.
//!
//! Reads only: one snapshot ([`crate::store::Store::read`]) per screen.

mod annual;
mod annual_pdf;
mod drill;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Days, NaiveDate, TimeZone};
use rusqlite::{Connection, params_from_iter};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, CoreResult};
use crate::events::{EventFormat, Series};
use crate::municipalities::{self, REGIERUNGSBEZIRKE};
use crate::people::OrgKind;
use crate::registrations::RegistrationStatus;
use crate::time;

pub use annual::{
    AnnualReportSummary, ReportFormat, SHEETS, annual_report_bytes, export_annual_report,
    period_label,
};
pub use annual_pdf::{PDF_TEMPLATE, annual_report_data, annual_report_pdf};
pub use drill::{DrillKey, DrillList, DrillRow, drill};

/// The organisation a registration counts for: the person's while the person exists, the one
/// the shredder kept on the registration afterwards.
pub(crate) const REGISTRATION_ORGANISATION: &str = "COALESCE(p.organisation_id, r.organisation_id)";

/// How many topics the "Top-Themen" list and the trend show.
const TOP_TOPICS: usize = 10;
const TREND_TOPICS: usize = 6;

/// The period and series a statistic is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatsFilter {
    /// First day, Europe/Berlin ("2025-01-01").
    pub from: String,
    /// Last day, inclusive ("2025-12-31").
    pub to: String,
    /// Series to include; empty: all.
    #[serde(default)]
    pub series: Vec<Series>,
}

impl StatsFilter {
    /// The calendar year `year`, all series.
    pub fn year(year: i32) -> Self {
        StatsFilter {
            from: format!("{year:04}-01-01"),
            to: format!("{year:04}-12-31"),
            series: Vec::new(),
        }
    }

    /// The period as stored UTC instants `[start, end)`; German field errors for bad dates.
    fn instants(&self) -> CoreResult<(NaiveDate, NaiveDate, String, String)> {
        let from = time::parse_date(&self.from, "from")?;
        let to = time::parse_date(&self.to, "to")?;
        if to < from {
            return Err(CoreError::invalid(
                "to",
                "Das Ende des Zeitraums liegt vor seinem Anfang.",
            ));
        }
        let midnight = |day: NaiveDate| -> CoreResult<String> {
            let local = day.and_hms_opt(0, 0, 0).expect("midnight exists");
            let instant = chrono_tz::Europe::Berlin
                .from_local_datetime(&local)
                .earliest()
                .ok_or_else(|| CoreError::invalid("from", "Ungültiges Datum."))?;
            Ok(time::to_storage(instant.with_timezone(&chrono::Utc)))
        };
        let after = to
            .checked_add_days(Days::new(1))
            .ok_or_else(|| CoreError::invalid("to", "Ungültiges Datum."))?;
        Ok((from, to, midnight(from)?, midnight(after)?))
    }

    fn includes(&self, series: Series) -> bool {
        self.series.is_empty() || self.series.contains(&series)
    }
}

/// Figures of one series or format.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct GroupRow {
    /// Key ("forum", "online").
    pub key: String,
    /// German label.
    pub label: String,
    /// Events.
    #[ts(type = "number")]
    pub events: i64,
    /// Registrations holding a place.
    #[ts(type = "number")]
    pub registrations: i64,
    /// Registrations with attendance.
    #[ts(type = "number")]
    pub present: i64,
}

/// Participants of one organisation kind.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct KindRow {
    /// Organisation kind, or "ohne" for people without an organisation.
    pub key: String,
    /// German label.
    pub label: String,
    /// Distinct persons present.
    #[ts(type = "number")]
    pub persons: i64,
    /// Distinct organisations present.
    #[ts(type = "number")]
    pub organisations: i64,
}

/// Reach in one Regierungsbezirk.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct BezirkRow {
    /// "Köln".
    pub name: String,
    /// Kommunen reached.
    #[ts(type = "number")]
    pub kommunen_reached: i64,
    /// Kommunen in the Bezirk.
    #[ts(type = "number")]
    pub kommunen_total: i64,
    /// Kreise reached.
    #[ts(type = "number")]
    pub kreise_reached: i64,
    /// Kreise in the Bezirk.
    #[ts(type = "number")]
    pub kreise_total: i64,
}

/// A Kommune or Kreis not reached yet (the office's outreach to-do list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AreaRow {
    /// AGS or Kreisschlüssel.
    pub ags: String,
    /// Name ("Hürth", "Kreis Borken").
    pub name: String,
    /// Its Kreis ("Rhein-Erft-Kreis", "kreisfreie Stadt"; empty for a Kreis).
    pub kreis: String,
    /// Its Regierungsbezirk.
    pub regierungsbezirk: String,
}

/// A partner country represented through the organisations present.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CountryRow {
    /// Country (German name as entered).
    pub country: String,
    /// Organisations present with a partner town there.
    #[ts(type = "number")]
    pub organisations: i64,
    /// Their partner towns there.
    #[ts(type = "number")]
    pub towns: i64,
}

/// A topic of the wishes.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct TopicRow {
    /// Cluster label ("Jugendaustausch").
    pub label: String,
    /// Wishes with that topic.
    #[ts(type = "number")]
    pub wishes: i64,
}

/// One event on the topic trend's axis.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct TrendEvent {
    /// Event id.
    #[ts(type = "number")]
    pub id: i64,
    /// Short label ("13. Forum", else the title).
    pub label: String,
    /// Start date (Europe/Berlin, YYYY-MM-DD).
    pub date: String,
    /// Wishes with a topic at this event.
    #[ts(type = "number")]
    pub wishes: i64,
}

/// One topic's share of the wishes per event.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct TrendTopic {
    /// Topic label.
    pub label: String,
    /// Wishes per event (same order as [`TopicTrend::events`]).
    #[ts(type = "Array<number>")]
    pub counts: Vec<i64>,
    /// Share of the event's wishes with a topic, 0–1.
    pub shares: Vec<f64>,
}

/// "Themen-Trend": how the leading topics change from event to event.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct TopicTrend {
    /// Events with wishes, by date.
    pub events: Vec<TrendEvent>,
    /// The leading topics of the period.
    pub topics: Vec<TrendTopic>,
}

/// One event of the period with its figures.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct EventRow {
    /// Event id.
    #[ts(type = "number")]
    pub id: i64,
    /// Title.
    pub title: String,
    /// Series.
    pub series: Series,
    /// Format.
    pub format: EventFormat,
    /// Start date (Europe/Berlin, YYYY-MM-DD).
    pub date: String,
    /// Registrations holding a place.
    #[ts(type = "number")]
    pub registrations: i64,
    /// Present.
    #[ts(type = "number")]
    pub present: i64,
    /// No-shows (past events with recorded attendance only).
    #[ts(type = "number")]
    pub no_shows: i64,
    /// Whether attendance was recorded for it.
    pub attendance_recorded: bool,
}

/// Everything the "Auswertung" screen and the Jahresbericht show for one filter.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Statistics {
    /// The filter the figures are for.
    pub filter: StatsFilter,
    /// When they were computed (UTC, RFC 3339): the data's Stand.
    pub computed_at: String,
    /// Gebietsstand of the Kommunen/Kreise reference.
    pub reference_stand: String,
    /// Events held (not abgesagt).
    #[ts(type = "number")]
    pub events: i64,
    /// Events of the period that were abgesagt.
    #[ts(type = "number")]
    pub cancelled_events: i64,
    /// Registrations holding a place.
    #[ts(type = "number")]
    pub registrations: i64,
    /// Registrations with attendance.
    #[ts(type = "number")]
    pub present: i64,
    /// Cancelled registrations (storniert).
    #[ts(type = "number")]
    pub cancellations: i64,
    /// Registrations still on a waiting list.
    #[ts(type = "number")]
    pub waitlist: i64,
    /// Registrations holding a place at past events with recorded attendance.
    #[ts(type = "number")]
    pub past_registrations: i64,
    /// Of those, not present.
    #[ts(type = "number")]
    pub no_shows: i64,
    /// `no_shows / past_registrations` (0 when there are none).
    pub no_show_rate: f64,
    /// Distinct persons present (each anonymous registration counts as one).
    #[ts(type = "number")]
    pub distinct_persons: i64,
    /// Of those, present for the first time (first-time flag on a present registration).
    #[ts(type = "number")]
    pub first_timers: i64,
    /// `distinct_persons - first_timers`.
    #[ts(type = "number")]
    pub returning: i64,
    /// Distinct organisations present.
    #[ts(type = "number")]
    pub distinct_organisations: i64,
    /// Distinct Kommunen reached (organisations of kind Kommune linked to their AGS).
    #[ts(type = "number")]
    pub kommunen_reached: i64,
    /// Distinct Kreise reached.
    #[ts(type = "number")]
    pub kreise_reached: i64,
    /// NRW's Kommunen (396).
    #[ts(type = "number")]
    pub kommunen_total: i64,
    /// NRW's Kreise (31).
    #[ts(type = "number")]
    pub kreise_total: i64,
    /// Organisations of kind Kommune/Kreis present but not linked to an entry (not counted in
    /// the reach until linked on the Organisationen screen).
    #[ts(type = "number")]
    pub unlinked_organisations: i64,
    /// By series (all four, in order).
    pub by_series: Vec<GroupRow>,
    /// By format (all three, in order).
    pub by_format: Vec<GroupRow>,
    /// Participants by organisation kind (every kind, then "ohne Organisation").
    pub by_organisation_kind: Vec<KindRow>,
    /// Reach per Regierungsbezirk.
    pub by_regierungsbezirk: Vec<BezirkRow>,
    /// Kommunen not reached, by Bezirk, Kreis and name.
    pub kommunen_not_reached: Vec<AreaRow>,
    /// Kreise not reached.
    pub kreise_not_reached: Vec<AreaRow>,
    /// Partner countries represented, most organisations first.
    pub partner_countries: Vec<CountryRow>,
    /// Top topics of the wishes (without the catalogue's fallback "Allgemein").
    pub topics: Vec<TopicRow>,
    /// The leading topics per event.
    pub topic_trend: TopicTrend,
    /// The events of the period.
    pub event_rows: Vec<EventRow>,
}

/// One event of the period as read.
#[derive(Debug, Clone)]
struct EventFacts {
    id: i64,
    title: String,
    series: Series,
    format: EventFormat,
    number: Option<i64>,
    date: String,
    cancelled: bool,
    past: bool,
}

/// One registration of an included event, with what the statistics need.
#[derive(Debug, Clone)]
struct RegFacts {
    event_id: i64,
    person_id: Option<i64>,
    status: RegistrationStatus,
    first_time: bool,
    organisation_id: Option<i64>,
    kind: Option<OrgKind>,
    ags: Option<String>,
    present: bool,
    marked: bool,
}

/// What the period's registrations are read into; shared by the figures and the drill-down.
struct Facts {
    events: Vec<EventFacts>,
    regs: Vec<RegFacts>,
}

fn read_facts(conn: &Connection, filter: &StatsFilter) -> CoreResult<Facts> {
    let (_, _, start, end) = filter.instants()?;
    let now = time::to_storage(chrono::Utc::now());
    let mut stmt = conn.prepare_cached(
        "SELECT id, title, series, format, number, starts_at, status, ends_at < ?3
         FROM events WHERE starts_at >= ?1 AND starts_at < ?2 ORDER BY starts_at, id",
    )?;
    let mut events = Vec::new();
    let mut rows = stmt.query(rusqlite::params![start, end, now])?;
    while let Some(r) = rows.next()? {
        let series: Series = r.get(2)?;
        if !filter.includes(series) {
            continue;
        }
        let starts: String = r.get(5)?;
        let status: String = r.get(6)?;
        events.push(EventFacts {
            id: r.get(0)?,
            title: r.get(1)?,
            series,
            format: r.get(3)?,
            number: r.get(4)?,
            date: time::in_berlin(time::from_storage(&starts)?)
                .date_naive()
                .to_string(),
            cancelled: status == "abgesagt",
            past: r.get(7)?,
        });
    }
    let held: Vec<i64> = events
        .iter()
        .filter(|e| !e.cancelled)
        .map(|e| e.id)
        .collect();
    let mut regs = Vec::new();
    if !held.is_empty() {
        let marks = vec!["?"; held.len()].join(", ");
        let sql = format!(
            "SELECT r.event_id, r.person_id, r.status, r.first_time, o.id, o.kind, o.ags,
                    EXISTS (SELECT 1 FROM attendance a
                            WHERE a.registration_id = r.id AND a.state = 'anwesend'),
                    EXISTS (SELECT 1 FROM attendance a WHERE a.registration_id = r.id)
             FROM registrations r
             LEFT JOIN persons p ON p.id = r.person_id
             LEFT JOIN organisations o ON o.id = {REGISTRATION_ORGANISATION}
             WHERE r.event_id IN ({marks})"
        );
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query(params_from_iter(held.iter()))?;
        while let Some(r) = rows.next()? {
            regs.push(RegFacts {
                event_id: r.get(0)?,
                person_id: r.get(1)?,
                status: r.get(2)?,
                first_time: r.get(3)?,
                organisation_id: r.get(4)?,
                kind: r.get(5)?,
                ags: r.get(6)?,
                present: r.get(7)?,
                marked: r.get(8)?,
            });
        }
    }
    Ok(Facts { events, regs })
}

/// A person for counting: the person's id, or the registration's own place for an anonymous one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Someone {
    Person(i64),
    Anonymous(usize),
}

impl Facts {
    fn event(&self, id: i64) -> Option<&EventFacts> {
        self.events.iter().find(|e| e.id == id)
    }

    /// Events whose attendance was recorded (at least one mark of any state).
    fn recorded_events(&self) -> HashSet<i64> {
        self.regs
            .iter()
            .filter(|r| r.marked)
            .map(|r| r.event_id)
            .collect()
    }

    fn is_no_show(&self, r: &RegFacts, recorded: &HashSet<i64>, past: &HashSet<i64>) -> bool {
        r.status.is_counted()
            && !r.present
            && recorded.contains(&r.event_id)
            && past.contains(&r.event_id)
    }

    fn present(&self) -> impl Iterator<Item = (usize, &RegFacts)> {
        self.regs.iter().enumerate().filter(|(_, r)| r.present)
    }

    fn someone(index: usize, r: &RegFacts) -> Someone {
        r.person_id
            .map_or(Someone::Anonymous(index), Someone::Person)
    }

    /// Linked Kommunen (8-digit AGS) and Kreise (5-digit key) among those present.
    fn reached(&self) -> (HashSet<&str>, HashSet<&str>) {
        let mut kommunen = HashSet::new();
        let mut kreise = HashSet::new();
        for (_, r) in self.present() {
            match (r.kind, r.ags.as_deref()) {
                (Some(OrgKind::Kommune), Some(ags)) if ags.len() == 8 => {
                    kommunen.insert(ags);
                }
                (Some(OrgKind::Kreis), Some(key)) if key.len() == 5 => {
                    kreise.insert(key);
                }
                _ => {}
            }
        }
        (kommunen, kreise)
    }
}

/// The figures for `filter`, from one consistent read of `conn`.
pub fn statistics(conn: &Connection, filter: &StatsFilter) -> CoreResult<Statistics> {
    let facts = read_facts(conn, filter)?;
    let recorded = facts.recorded_events();
    let past: HashSet<i64> = facts
        .events
        .iter()
        .filter(|e| e.past)
        .map(|e| e.id)
        .collect();
    let held: Vec<&EventFacts> = facts.events.iter().filter(|e| !e.cancelled).collect();

    let counted = facts.regs.iter().filter(|r| r.status.is_counted()).count() as i64;
    let present = facts.regs.iter().filter(|r| r.present).count() as i64;
    let past_registrations = facts
        .regs
        .iter()
        .filter(|r| {
            r.status.is_counted() && recorded.contains(&r.event_id) && past.contains(&r.event_id)
        })
        .count() as i64;
    let no_shows = facts
        .regs
        .iter()
        .filter(|r| facts.is_no_show(r, &recorded, &past))
        .count() as i64;

    let mut persons = HashSet::new();
    let mut first_timers = HashSet::new();
    let mut organisations = HashSet::new();
    let mut kind_persons: HashMap<Option<OrgKind>, HashSet<Someone>> = HashMap::new();
    let mut kind_orgs: HashMap<Option<OrgKind>, HashSet<i64>> = HashMap::new();
    let mut unlinked = HashSet::new();
    for (i, r) in facts.present() {
        let someone = Facts::someone(i, r);
        persons.insert(someone);
        if r.first_time {
            first_timers.insert(someone);
        }
        kind_persons.entry(r.kind).or_default().insert(someone);
        if let Some(org) = r.organisation_id {
            organisations.insert(org);
            kind_orgs.entry(r.kind).or_default().insert(org);
            if matches!(r.kind, Some(OrgKind::Kommune | OrgKind::Kreis)) && r.ags.is_none() {
                unlinked.insert(org);
            }
        }
    }
    let (kommunen, kreise) = facts.reached();

    let group = |key: String, label: &str, matches: &dyn Fn(&EventFacts) -> bool| {
        let ids: HashSet<i64> = held.iter().filter(|e| matches(e)).map(|e| e.id).collect();
        let in_group = || facts.regs.iter().filter(|r| ids.contains(&r.event_id));
        GroupRow {
            key,
            label: label.to_owned(),
            events: ids.len() as i64,
            registrations: in_group().filter(|r| r.status.is_counted()).count() as i64,
            present: in_group().filter(|r| r.present).count() as i64,
        }
    };
    let by_series = Series::ALL
        .iter()
        .map(|s| group(s.as_str().to_owned(), s.label(), &|e| e.series == *s))
        .collect();
    let by_format = EventFormat::ALL
        .iter()
        .map(|f| group(f.as_str().to_owned(), f.label(), &|e| e.format == *f))
        .collect();
    let by_organisation_kind = OrgKind::ALL
        .iter()
        .map(|k| Some(*k))
        .chain([None])
        .map(|kind| KindRow {
            key: kind_key(kind).to_owned(),
            label: kind.map_or("ohne Organisation", |k| k.label()).to_owned(),
            persons: kind_persons.get(&kind).map_or(0, |s| s.len() as i64),
            organisations: kind_orgs.get(&kind).map_or(0, |s| s.len() as i64),
        })
        .collect();

    let by_regierungsbezirk = REGIERUNGSBEZIRKE
        .iter()
        .map(|name| {
            let in_bezirk = municipalities::kommunen()
                .iter()
                .filter(|k| k.regierungsbezirk == *name);
            let kreise_in = municipalities::kreise()
                .iter()
                .filter(|k| k.regierungsbezirk == *name);
            BezirkRow {
                name: (*name).to_owned(),
                kommunen_reached: in_bezirk
                    .clone()
                    .filter(|k| kommunen.contains(k.ags.as_str()))
                    .count() as i64,
                kommunen_total: in_bezirk.count() as i64,
                kreise_reached: kreise_in
                    .clone()
                    .filter(|k| kreise.contains(k.key.as_str()))
                    .count() as i64,
                kreise_total: kreise_in.count() as i64,
            }
        })
        .collect();
    let bezirk_order = |name: &str| REGIERUNGSBEZIRKE.iter().position(|b| *b == name);
    let mut kommunen_not_reached: Vec<AreaRow> = municipalities::kommunen()
        .iter()
        .filter(|k| !kommunen.contains(k.ags.as_str()))
        .map(|k| AreaRow {
            ags: k.ags.clone(),
            name: k.name.clone(),
            kreis: if k.kreisfrei {
                "kreisfreie Stadt".to_owned()
            } else {
                municipalities::kreis(&k.kreis).map_or_else(String::new, |kr| kr.name.clone())
            },
            regierungsbezirk: k.regierungsbezirk.clone(),
        })
        .collect();
    kommunen_not_reached.sort_by(|a, b| {
        (bezirk_order(&a.regierungsbezirk), &a.kreis, &a.name).cmp(&(
            bezirk_order(&b.regierungsbezirk),
            &b.kreis,
            &b.name,
        ))
    });
    let kreise_not_reached = municipalities::kreise()
        .iter()
        .filter(|k| !kreise.contains(k.key.as_str()))
        .map(|k| AreaRow {
            ags: k.key.clone(),
            name: k.name.clone(),
            kreis: String::new(),
            regierungsbezirk: k.regierungsbezirk.clone(),
        })
        .collect();

    let partner_countries = partner_countries(conn, &organisations)?;
    let (topics, topic_trend) = topics(conn, &held)?;

    let event_rows = held
        .iter()
        .map(|e| {
            let of = || facts.regs.iter().filter(|r| r.event_id == e.id);
            EventRow {
                id: e.id,
                title: e.title.clone(),
                series: e.series,
                format: e.format,
                date: e.date.clone(),
                registrations: of().filter(|r| r.status.is_counted()).count() as i64,
                present: of().filter(|r| r.present).count() as i64,
                no_shows: of()
                    .filter(|r| facts.is_no_show(r, &recorded, &past))
                    .count() as i64,
                attendance_recorded: recorded.contains(&e.id),
            }
        })
        .collect();

    Ok(Statistics {
        filter: filter.clone(),
        computed_at: crate::store::now_utc(),
        reference_stand: municipalities::STAND.to_owned(),
        events: held.len() as i64,
        cancelled_events: facts.events.iter().filter(|e| e.cancelled).count() as i64,
        registrations: counted,
        present,
        cancellations: facts
            .regs
            .iter()
            .filter(|r| r.status == RegistrationStatus::Storniert)
            .count() as i64,
        waitlist: facts
            .regs
            .iter()
            .filter(|r| r.status == RegistrationStatus::Warteliste)
            .count() as i64,
        past_registrations,
        no_shows,
        no_show_rate: if past_registrations == 0 {
            0.0
        } else {
            no_shows as f64 / past_registrations as f64
        },
        distinct_persons: persons.len() as i64,
        first_timers: first_timers.len() as i64,
        returning: (persons.len() - first_timers.len()) as i64,
        distinct_organisations: organisations.len() as i64,
        kommunen_reached: kommunen.len() as i64,
        kreise_reached: kreise.len() as i64,
        kommunen_total: municipalities::kommunen().len() as i64,
        kreise_total: municipalities::kreise().len() as i64,
        unlinked_organisations: unlinked.len() as i64,
        by_series,
        by_format,
        by_organisation_kind,
        by_regierungsbezirk,
        kommunen_not_reached,
        kreise_not_reached,
        partner_countries,
        topics,
        topic_trend,
        event_rows,
    })
}

/// The key of an organisation kind in the figures ("ohne" for none).
fn kind_key(kind: Option<OrgKind>) -> &'static str {
    kind.map_or("ohne", OrgKind::as_str)
}

fn partner_countries(
    conn: &Connection,
    organisations: &HashSet<i64>,
) -> CoreResult<Vec<CountryRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT organisation_id, country FROM partner_towns WHERE trim(country) <> ''",
    )?;
    let mut per_country: BTreeMap<String, (String, HashSet<i64>, i64)> = BTreeMap::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let org: i64 = r.get(0)?;
        if !organisations.contains(&org) {
            continue;
        }
        let country: String = r.get(1)?;
        let entry = per_country
            .entry(crate::store::fold(&country))
            .or_insert_with(|| (country.clone(), HashSet::new(), 0));
        entry.1.insert(org);
        entry.2 += 1;
    }
    let mut countries: Vec<CountryRow> = per_country
        .into_values()
        .map(|(country, orgs, towns)| CountryRow {
            country,
            organisations: orgs.len() as i64,
            towns,
        })
        .collect();
    countries.sort_by(|a, b| {
        b.organisations
            .cmp(&a.organisations)
            .then(b.towns.cmp(&a.towns))
            .then_with(|| crate::store::fold(&a.country).cmp(&crate::store::fold(&b.country)))
    });
    Ok(countries)
}

/// Wishes per topic and event, without the catalogue's fallback cluster ("Allgemein").
fn topic_counts(conn: &Connection, events: &[&EventFacts]) -> CoreResult<Vec<(i64, String, i64)>> {
    if events.is_empty() {
        return Ok(Vec::new());
    }
    let fallback = Some(crate::store::fold(
        &crate::wishes::topics::catalogue(conn)?.fallback,
    ));
    let marks = vec!["?"; events.len()].join(", ");
    let sql = format!(
        "SELECT w.event_id, c.label, count(*) FROM wishes w
         JOIN wish_clusters c ON c.id = w.cluster_id
         WHERE w.event_id IN ({marks})
         GROUP BY w.event_id, c.label"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params_from_iter(events.iter().map(|e| e.id)), |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    let mut found = Vec::new();
    for row in rows {
        let row = row?;
        if fallback.as_deref() != Some(crate::store::fold(&row.1).as_str()) {
            found.push(row);
        }
    }
    Ok(found)
}

fn topics(conn: &Connection, events: &[&EventFacts]) -> CoreResult<(Vec<TopicRow>, TopicTrend)> {
    let counts = topic_counts(conn, events)?;
    let mut totals: HashMap<&str, i64> = HashMap::new();
    for (_, label, n) in &counts {
        *totals.entry(label.as_str()).or_default() += n;
    }
    let mut topics: Vec<TopicRow> = totals
        .iter()
        .map(|(label, wishes)| TopicRow {
            label: (*label).to_owned(),
            wishes: *wishes,
        })
        .collect();
    topics.sort_by(|a, b| b.wishes.cmp(&a.wishes).then_with(|| a.label.cmp(&b.label)));
    let with_wishes: Vec<&EventFacts> = events
        .iter()
        .copied()
        .filter(|e| counts.iter().any(|(id, _, _)| *id == e.id))
        .collect();
    let per_event = |id: i64| -> i64 {
        counts
            .iter()
            .filter(|(e, _, _)| *e == id)
            .map(|(_, _, n)| n)
            .sum()
    };
    let trend_events: Vec<TrendEvent> = with_wishes
        .iter()
        .map(|e| TrendEvent {
            id: e.id,
            label: short_label(e),
            date: e.date.clone(),
            wishes: per_event(e.id),
        })
        .collect();
    let trend_topics = topics
        .iter()
        .take(TREND_TOPICS)
        .map(|t| {
            let counts: Vec<i64> = trend_events
                .iter()
                .map(|e| {
                    counts
                        .iter()
                        .find(|(id, label, _)| *id == e.id && *label == t.label)
                        .map_or(0, |(_, _, n)| *n)
                })
                .collect();
            let shares = counts
                .iter()
                .zip(&trend_events)
                .map(|(n, e)| {
                    if e.wishes == 0 {
                        0.0
                    } else {
                        *n as f64 / e.wishes as f64
                    }
                })
                .collect();
            TrendTopic {
                label: t.label.clone(),
                counts,
                shares,
            }
        })
        .collect();
    topics.truncate(TOP_TOPICS);
    Ok((
        topics,
        TopicTrend {
            events: trend_events,
            topics: trend_topics,
        },
    ))
}

/// "13. Forum" for a numbered forum, else the title.
fn short_label(e: &EventFacts) -> String {
    match (e.series, e.number) {
        (Series::Forum, Some(n)) => format!("{n}. Forum"),
        (Series::Tag, Some(n)) => format!("{n}. Tag"),
        _ => e.title.clone(),
    }
}

#[cfg(test)]
mod tests;
