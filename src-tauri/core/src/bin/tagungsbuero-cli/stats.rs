//! `stats` and `report`: the "Auswertung" and the Jahresbericht from the command line.
//!
//! `stats --from YYYY-MM-DD --to YYYY-MM-DD [--series forum …] --json` prints the period's
//! figures (see `tagungsbuero_core::reporting` for their definitions); `report --year YYYY --out
//! FILE.xlsx` writes the Jahresbericht (`--out FILE.pdf`: the print-ready PDF). Errors are German messages for stderr.

use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::{Map, Value, json};
use tagungsbuero_core::Store;
use tagungsbuero_core::events::Series;
use tagungsbuero_core::exports::ProtectedPaths;
use tagungsbuero_core::reporting::{self, Statistics, StatsFilter};

/// Arguments of `stats`.
#[derive(Args)]
pub struct StatsArgs {
    /// Nur diese Veranstaltung (id): Zählung nach Status, Organisationsart und Anwesenheit.
    #[arg(long, conflicts_with_all = ["from", "to", "series"])]
    pub event: Option<i64>,
    /// Erster Tag des Zeitraums (JJJJ-MM-TT).
    #[arg(long)]
    from: Option<String>,
    /// Letzter Tag des Zeitraums (JJJJ-MM-TT, einschließlich).
    #[arg(long)]
    to: Option<String>,
    /// Nur diese Veranstaltungsreihe (forum, tag, training, other; mehrfach möglich).
    #[arg(long)]
    series: Vec<String>,
    /// Als JSON ausgeben.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `report`.
#[derive(Args)]
pub struct ReportArgs {
    /// Berichtsjahr (JJJJ).
    #[arg(long)]
    year: i32,
    /// Zieldatei: .xlsx für die Excel-Arbeitsmappe mit Diagrammen, .pdf für den
    /// druckfertigen Bericht (das Format ergibt sich aus der Endung).
    #[arg(long)]
    out: PathBuf,
}

fn filter(args: &StatsArgs) -> Result<StatsFilter, String> {
    let (Some(from), Some(to)) = (&args.from, &args.to) else {
        return Err(
            "Bitte angeben, wofür die Statistik gelten soll: eine Veranstaltung mit --event ID \
             oder einen Zeitraum mit --from JJJJ-MM-TT und --to JJJJ-MM-TT."
                .to_owned(),
        );
    };
    let series = args
        .series
        .iter()
        .map(|s| {
            s.parse::<Series>().map_err(|_| {
                format!("Unbekannte Veranstaltungsreihe „{s}“ (forum, tag, training, other).")
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(StatsFilter {
        from: from.clone(),
        to: to.clone(),
        series,
    })
}

/// The JSON record of `stats --json` (a fixed contract; see tests/cli_report.rs).
pub fn record(s: &Statistics) -> Value {
    let groups = |rows: &[reporting::GroupRow]| -> Map<String, Value> {
        rows.iter()
            .map(|g| {
                (
                    g.key.clone(),
                    json!({"events": g.events, "registrations": g.registrations, "present": g.present}),
                )
            })
            .collect()
    };
    let kinds: Map<String, Value> = s
        .by_organisation_kind
        .iter()
        .map(|k| (k.key.clone(), json!(k.persons)))
        .collect();
    let bezirke: Map<String, Value> = s
        .by_regierungsbezirk
        .iter()
        .map(|b| {
            (
                b.name.clone(),
                json!({
                    "kommunen_reached": b.kommunen_reached, "kommunen_total": b.kommunen_total,
                    "kreise_reached": b.kreise_reached, "kreise_total": b.kreise_total,
                }),
            )
        })
        .collect();
    let countries: Map<String, Value> = s
        .partner_countries
        .iter()
        .map(|c| (c.country.clone(), json!(c.organisations)))
        .collect();
    json!({
        "from": s.filter.from,
        "to": s.filter.to,
        "series": s.filter.series.iter().map(|x| x.as_str()).collect::<Vec<_>>(),
        "events": s.events,
        "cancelled_events": s.cancelled_events,
        "registrations": s.registrations,
        "present": s.present,
        "cancellations": s.cancellations,
        "waitlist": s.waitlist,
        "no_shows": s.no_shows,
        "no_show_rate": s.no_show_rate,
        "distinct_persons": s.distinct_persons,
        "first_timers": s.first_timers,
        "returning": s.returning,
        "distinct_organisations": s.distinct_organisations,
        "kommunen_reached": s.kommunen_reached,
        "kreise_reached": s.kreise_reached,
        "kommunen_total": s.kommunen_total,
        "kreise_total": s.kreise_total,
        "by_organisation_kind": kinds,
        "by_series": groups(&s.by_series),
        "by_format": groups(&s.by_format),
        "by_regierungsbezirk": bezirke,
        "partner_countries": countries,
        "top_topics": s.topics.iter().map(|t| json!({"label": t.label, "wishes": t.wishes})).collect::<Vec<_>>(),
    })
}

/// Runs `stats`; returns what to print or a German error.
pub fn run(store: &mut Store, args: &StatsArgs) -> Result<String, String> {
    let filter = filter(args)?;
    let s = store
        .read(|conn| reporting::statistics(conn, &filter))
        .map_err(|e| e.to_string())?;
    if args.json {
        return Ok(record(&s).to_string());
    }
    Ok(format!(
        "{}: {} Veranstaltungen, {} Anmeldungen, {} anwesend (No-Show-Quote {} %), \
         {} Personen ({} zum ersten Mal), {} von {} Kommunen und {} von {} Kreisen erreicht.",
        reporting::period_label(&filter),
        s.events,
        s.registrations,
        s.present,
        format!("{:.1}", s.no_show_rate * 100.0).replace('.', ","),
        s.distinct_persons,
        s.first_timers,
        s.kommunen_reached,
        s.kommunen_total,
        s.kreise_reached,
        s.kreise_total
    ))
}

/// Runs `report`; returns the confirmation or a German error.
pub fn report(store: &mut Store, db: &Path, args: &ReportArgs) -> Result<String, String> {
    if !(2000..=2100).contains(&args.year) {
        return Err(format!("„{}“ ist kein gültiges Berichtsjahr.", args.year));
    }
    let summary = reporting::export_annual_report(
        store,
        &StatsFilter::year(args.year),
        &args.out,
        &ProtectedPaths::for_database(db),
    )
    .map_err(|e| e.to_string())?;
    Ok(format!(
        "{} Datei: {}",
        summary.message,
        summary.path.display()
    ))
}
