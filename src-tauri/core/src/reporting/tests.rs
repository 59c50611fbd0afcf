//! The figures on the demo data against SQL written separately from the implementation (one
//! query per figure, no shared code), the drill-down, the shredder's invariance and the xlsx.

use std::io::Read;

use rusqlite::Connection;

use super::*;
use crate::imports::seeds::seed_demo;
use crate::store::Store;

fn demo() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    seed_demo(&mut store).unwrap();
    store
}

fn scalar(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Registrations of the held 2025 events, written out by hand (Berlin dates of the demo).
const IN_2025: &str = "SELECT r.* FROM registrations r JOIN events e ON e.id = r.event_id
     WHERE e.starts_at >= '2024-12-31T23:00:00Z' AND e.starts_at < '2025-12-31T23:00:00Z'
       AND e.status <> 'abgesagt'";

#[test]
fn demo_figures_for_2025_match_independent_sql() {
    let store = demo();
    let conn = store.connection();
    let stats = statistics(conn, &StatsFilter::year(2025)).unwrap();

    let present_regs = format!(
        "SELECT * FROM ({IN_2025}) x
         WHERE EXISTS (SELECT 1 FROM attendance a WHERE a.registration_id = x.id AND a.state = 'anwesend')"
    );
    let expected_events = scalar(
        conn,
        "SELECT count(*) FROM events WHERE strftime('%Y', starts_at, '+1 hour') = '2025' AND status <> 'abgesagt'",
    );
    assert_eq!(stats.events, expected_events);
    assert_eq!(
        stats.events, 3,
        "13. and 14. Forum, 6. Tag der Städtepartnerschaften"
    );
    assert_eq!(
        stats.registrations,
        scalar(
            conn,
            &format!(
                "SELECT count(*) FROM ({IN_2025}) WHERE status IN ('angemeldet', 'nachgerueckt')"
            )
        )
    );
    assert_eq!(
        stats.present,
        scalar(conn, &format!("SELECT count(*) FROM ({present_regs})"))
    );
    assert_eq!(
        stats.cancellations,
        scalar(
            conn,
            &format!("SELECT count(*) FROM ({IN_2025}) WHERE status = 'storniert'")
        )
    );
    // All 2025 events are past and have attendance: every place-holder without a mark is a no-show.
    let no_shows = scalar(
        conn,
        &format!(
            "SELECT count(*) FROM ({IN_2025}) x WHERE status IN ('angemeldet', 'nachgerueckt')
             AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.registration_id = x.id AND a.state = 'anwesend')"
        ),
    );
    assert_eq!(stats.no_shows, no_shows);
    assert!((stats.no_show_rate - no_shows as f64 / stats.registrations as f64).abs() < 1e-12);
    assert_eq!(
        stats.distinct_persons,
        scalar(
            conn,
            &format!("SELECT count(DISTINCT person_id) FROM ({present_regs})")
        )
    );
    assert_eq!(
        stats.first_timers,
        scalar(
            conn,
            &format!("SELECT count(DISTINCT person_id) FROM ({present_regs}) WHERE first_time = 1")
        )
    );
    assert_eq!(
        stats.distinct_organisations,
        scalar(
            conn,
            &format!(
                "SELECT count(DISTINCT p.organisation_id) FROM ({present_regs}) x
                 JOIN persons p ON p.id = x.person_id WHERE p.organisation_id IS NOT NULL"
            )
        )
    );
    let reached = |kind: &str| {
        scalar(
            conn,
            &format!(
                "SELECT count(DISTINCT o.ags) FROM ({present_regs}) x
                 JOIN persons p ON p.id = x.person_id JOIN organisations o ON o.id = p.organisation_id
                 WHERE o.kind = '{kind}' AND o.ags IS NOT NULL"
            ),
        )
    };
    assert_eq!(stats.kommunen_reached, reached("kommune"));
    assert_eq!(stats.kreise_reached, reached("kreis"));
    assert!(stats.kommunen_reached > 0 && stats.kreise_reached > 0);
    assert_eq!((stats.kommunen_total, stats.kreise_total), (396, 31));
    assert_eq!(
        stats.kommunen_not_reached.len() as i64,
        396 - stats.kommunen_reached
    );
    for kind in OrgKind::ALL {
        let row = stats
            .by_organisation_kind
            .iter()
            .find(|k| k.key == kind.as_str())
            .unwrap();
        let expected = scalar(
            conn,
            &format!(
                "SELECT count(DISTINCT x.person_id) FROM ({present_regs}) x
                 JOIN persons p ON p.id = x.person_id JOIN organisations o ON o.id = p.organisation_id
                 WHERE o.kind = '{}'",
                kind.as_str()
            ),
        );
        assert_eq!(row.persons, expected, "{kind:?}");
    }
    let kinds_total: i64 = stats.by_organisation_kind.iter().map(|k| k.persons).sum();
    assert_eq!(kinds_total, stats.distinct_persons);
    let series_events: i64 = stats.by_series.iter().map(|s| s.events).sum();
    assert_eq!(series_events, stats.events);
    let forum = stats.by_series.iter().find(|s| s.key == "forum").unwrap();
    assert_eq!(forum.events, 2);
    let bezirke: i64 = stats
        .by_regierungsbezirk
        .iter()
        .map(|b| b.kommunen_reached)
        .sum();
    assert_eq!(bezirke, stats.kommunen_reached);
    let countries = scalar(
        conn,
        &format!(
            "SELECT count(DISTINCT lower(t.country)) FROM ({present_regs}) x
             JOIN persons p ON p.id = x.person_id JOIN partner_towns t ON t.organisation_id = p.organisation_id
             WHERE trim(t.country) <> ''"
        ),
    );
    assert_eq!(stats.partner_countries.len() as i64, countries);
}

#[test]
fn series_filter_and_custom_period() {
    let store = demo();
    let conn = store.connection();
    let forums = StatsFilter {
        series: vec![Series::Forum],
        ..StatsFilter::year(2025)
    };
    let stats = statistics(conn, &forums).unwrap();
    assert_eq!(stats.events, 2);
    // Only the 13. Forum (13.03.2025) in the first half year.
    let spring = StatsFilter {
        from: "2025-01-01".into(),
        to: "2025-03-13".into(),
        series: Vec::new(),
    };
    let stats = statistics(conn, &spring).unwrap();
    assert_eq!(stats.events, 1);
    assert_eq!(stats.event_rows[0].date, "2025-03-13");
    let wrong = StatsFilter {
        from: "2025-12-31".into(),
        to: "2025-01-01".into(),
        series: Vec::new(),
    };
    assert!(matches!(
        statistics(conn, &wrong),
        Err(CoreError::Validation(_))
    ));
    let bad = StatsFilter {
        from: "31.12.2025".into(),
        ..StatsFilter::year(2025)
    };
    assert!(matches!(
        statistics(conn, &bad),
        Err(CoreError::Validation(_))
    ));
}

#[test]
fn a_bar_lists_what_is_behind_it() {
    let store = demo();
    let conn = store.connection();
    let filter = StatsFilter::year(2025);
    let stats = statistics(conn, &filter).unwrap();
    let list = drill(conn, &filter, &DrillKey::Series(Series::Forum)).unwrap();
    assert_eq!(list.rows.len(), 2);
    assert!(list.rows.iter().all(|r| r.event_id.is_some()));
    let kommune = stats
        .by_organisation_kind
        .iter()
        .find(|k| k.key == "kommune")
        .unwrap();
    let list = drill(conn, &filter, &DrillKey::OrganisationKind("kommune".into())).unwrap();
    assert_eq!(list.rows.len() as i64, kommune.persons);
    assert!(list.rows.iter().all(|r| r.label.contains(", ")));
    let koeln = stats
        .by_regierungsbezirk
        .iter()
        .find(|b| b.name == "Köln")
        .unwrap();
    let list = drill(conn, &filter, &DrillKey::Bezirk("Köln".into())).unwrap();
    assert_eq!(
        list.rows.iter().filter(|r| r.detail != "Kreis").count() as i64,
        koeln.kommunen_reached
    );
    if let Some(country) = stats.partner_countries.first() {
        let list = drill(conn, &filter, &DrillKey::Country(country.country.clone())).unwrap();
        assert_eq!(list.rows.len() as i64, country.organisations);
    }
    let event = stats.event_rows[0].clone();
    let list = drill(conn, &filter, &DrillKey::Event(event.id)).unwrap();
    let listed: i64 = list.rows.iter().filter_map(|r| r.count).sum();
    assert_eq!(listed, event.present);
}

#[test]
fn topics_and_their_trend_from_forum_to_forum() {
    let mut store = demo();
    let forums: Vec<i64> = {
        let conn = store.connection();
        let mut stmt = conn
            .prepare("SELECT id FROM events WHERE series = 'forum' ORDER BY starts_at")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    for id in &forums {
        let event = crate::events::get(store.connection(), *id).unwrap();
        crate::wishes::board::run_suggestions_in(&mut store, &event).unwrap();
    }
    let conn = store.connection();
    let stats = statistics(conn, &StatsFilter::year(2025)).unwrap();
    assert!(!stats.topics.is_empty());
    let expected_top: i64 = scalar(
        conn,
        &format!(
            "SELECT count(*) FROM wishes w JOIN wish_clusters c ON c.id = w.cluster_id
             WHERE c.label = '{}' AND w.event_id IN (SELECT id FROM events
               WHERE starts_at >= '2024-12-31T23:00:00Z' AND starts_at < '2025-12-31T23:00:00Z')",
            stats.topics[0].label.replace('\'', "''")
        ),
    );
    assert_eq!(stats.topics[0].wishes, expected_top);
    let fallback = crate::wishes::topics::catalogue(conn).unwrap().fallback;
    assert!(stats.topics.iter().all(|t| t.label != fallback));
    let trend = &stats.topic_trend;
    assert!(trend.events.iter().any(|e| e.label == "13. Forum"));
    for topic in &trend.topics {
        assert_eq!(topic.shares.len(), trend.events.len());
        for (share, (count, event)) in topic
            .shares
            .iter()
            .zip(topic.counts.iter().zip(&trend.events))
        {
            assert!((share - *count as f64 / event.wishes as f64).abs() < 1e-12);
        }
    }
    let list = drill(
        conn,
        &StatsFilter::year(2025),
        &DrillKey::Topic(stats.topics[0].label.clone()),
    )
    .unwrap();
    let total: i64 = list.rows.iter().filter_map(|r| r.count).sum();
    assert_eq!(total, stats.topics[0].wishes);
}

#[test]
fn a_year_without_events_has_zero_figures() {
    let store = demo();
    let stats = statistics(store.connection(), &StatsFilter::year(2030)).unwrap();
    assert_eq!(
        (stats.events, stats.registrations, stats.present),
        (0, 0, 0)
    );
    assert_eq!(stats.no_show_rate, 0.0);
    assert_eq!(stats.kommunen_not_reached.len(), 396);
    assert!(stats.topic_trend.events.is_empty());
}

/// Reads the xlsx's parts: the sheets through calamine, the chart parts from the zip.
fn read_back(bytes: &[u8]) -> (calamine::Xlsx<std::io::Cursor<Vec<u8>>>, Vec<String>) {
    use calamine::Reader;
    let workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    assert_eq!(workbook.sheet_names(), SHEETS.map(String::from).to_vec());
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut charts = Vec::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).unwrap();
        if file.name().unwrap().starts_with("xl/charts/chart") {
            let mut xml = String::new();
            file.read_to_string(&mut xml).unwrap();
            charts.push(xml);
        }
    }
    (workbook, charts)
}

#[test]
fn the_annual_report_has_real_numbers_and_native_charts() {
    use calamine::{Data, Reader};
    let store = demo();
    let stats = statistics(store.connection(), &StatsFilter::year(2025)).unwrap();
    let bytes = annual_report_bytes(&stats).unwrap();
    let (mut workbook, charts) = read_back(&bytes);
    assert!(charts.len() >= 7, "{} charts", charts.len());
    assert!(charts.iter().any(|c| c.contains("<c:barChart>")));
    assert!(charts.iter().any(|c| c.contains("<c:pieChart>")));
    assert!(charts.iter().any(|c| c.contains("Reichweite")));
    let cover = workbook.worksheet_range("Deckblatt").unwrap();
    let value_of = |label: &str| {
        let row = cover
            .rows()
            .find(|r| r.first() == Some(&Data::String(label.to_owned())))
            .unwrap_or_else(|| panic!("{label} on the cover"));
        row[1].clone()
    };
    assert_eq!(
        value_of("Zeitraum"),
        Data::String("Kalenderjahr 2025".into())
    );
    assert_eq!(
        value_of("Veranstaltungen"),
        Data::Float(stats.events as f64)
    );
    assert_eq!(
        value_of("Kommunen erreicht"),
        Data::Float(stats.kommunen_reached as f64)
    );
    assert_eq!(value_of("Kommunen in NRW"), Data::Float(396.0));
    assert_eq!(value_of("No-Show-Quote"), Data::Float(stats.no_show_rate));
    let reach = workbook.worksheet_range("Reichweite").unwrap();
    let nrw = reach
        .rows()
        .find(|r| r.first() == Some(&Data::String("NRW".into())))
        .unwrap();
    assert_eq!(nrw[1], Data::Float(stats.kommunen_reached as f64));
    assert_eq!(nrw[4], Data::Float(31.0));
    // No personal data: no e-mail address, no person's name anywhere in the file's cells.
    let names: Vec<String> = {
        let mut stmt = store
            .connection()
            .prepare("SELECT last_name || ', ' || first_name FROM persons")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    for sheet in SHEETS {
        let range = workbook.worksheet_range(sheet).unwrap();
        for cell in range.cells() {
            if let Data::String(text) = cell.2 {
                assert!(!text.contains('@'), "{sheet}: {text}");
                assert!(!names.contains(text), "{sheet}: {text}");
            }
        }
    }
}

#[test]
fn the_annual_report_goes_only_where_allowed() {
    let mut store = demo();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("Jahresbericht 2025.xlsx");
    let summary = export_annual_report(
        &mut store,
        &StatsFilter::year(2025),
        &target,
        &crate::exports::target::ProtectedPaths::new(),
    )
    .unwrap();
    assert_eq!(summary.sheets, SHEETS.len());
    assert_eq!(
        std::fs::metadata(&target).unwrap().len() as usize,
        summary.bytes
    );
    let csv = dir.path().join("bericht.csv");
    assert!(
        export_annual_report(
            &mut store,
            &StatsFilter::year(2025),
            &csv,
            &crate::exports::target::ProtectedPaths::new()
        )
        .is_err()
    );
    assert!(!csv.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn the_annual_report_as_pdf_has_every_section_and_the_figures() {
    use crate::documents::tests::pdf_text;
    let mut store = demo();
    let forums: Vec<i64> = {
        let mut stmt = store
            .connection()
            .prepare("SELECT id FROM events WHERE series = 'forum'")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    for id in forums {
        let event = crate::events::get(store.connection(), id).unwrap();
        crate::wishes::board::run_suggestions_in(&mut store, &event).unwrap();
    }
    store
        .write(|tx| {
            let mut s = crate::settings::get(tx)?;
            s.organisation_address = "Steinstraße 48\n44147 Dortmund\nTelefon 0231 838000".into();
            s.funding_note = "Gefördert durch die Staatskanzlei NRW".into();
            crate::settings::save(tx, s)
        })
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("Jahresbericht 2025.PDF");
    let started = std::time::Instant::now();
    let summary = export_annual_report(
        &mut store,
        &StatsFilter::year(2025),
        &target,
        &crate::exports::target::ProtectedPaths::new(),
    )
    .unwrap();
    eprintln!("Jahresbericht-PDF: {:?}", started.elapsed());
    assert_eq!(summary.format, ReportFormat::Pdf);
    assert!(
        summary.pages >= 1 + SHEETS.len() - 1,
        "{} pages",
        summary.pages
    );
    assert!(summary.message.contains("als PDF"), "{}", summary.message);
    let bytes = std::fs::read(&target).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    let text = pdf_text(&bytes)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let stats = statistics(store.connection(), &StatsFilter::year(2025)).unwrap();
    assert!(text.contains("Jahresbericht 2025"), "{text}");
    assert!(text.contains("Kalenderjahr 2025"));
    // The letterhead and footer come from the settings.
    assert!(text.contains("44147 Dortmund"), "{text}");
    assert!(text.contains("Gefördert durch die Staatskanzlei NRW"));
    for section in &SHEETS[1..] {
        assert!(text.contains(section), "{section}");
    }
    assert!(
        text.contains(&format!("Veranstaltungen {}", stats.events)),
        "{text}"
    );
    assert!(text.contains(&format!(
        "Kommunen erreicht {} von 396",
        stats.kommunen_reached
    )));
    assert!(text.contains(&format!("Anmeldungen {}", stats.registrations)));
    let no_show = format!("{:.1} %", stats.no_show_rate * 100.0).replace('.', ",");
    assert!(text.contains(&format!("No-Show-Quote {no_show}")), "{text}");
    assert!(!stats.topics.is_empty());
    for topic in &stats.topics {
        assert!(text.contains(&topic.label), "{}", topic.label);
    }
    assert!(text.contains("Themen-Trend"), "{text}");
    let some_unreached = &stats.kommunen_not_reached[0].name;
    assert!(text.contains(some_unreached.as_str()), "{some_unreached}");
    // No personal data: no e-mail address, no person's name.
    assert!(!text.contains('@'));
    let mut stmt = store
        .connection()
        .prepare("SELECT first_name || ' ' || last_name FROM persons")
        .unwrap();
    let names: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for name in names {
        assert!(!text.contains(&name), "{name}");
    }
}

#[test]
fn an_empty_year_still_makes_a_readable_pdf() {
    let store = demo();
    let stats = statistics(store.connection(), &StatsFilter::year(2031)).unwrap();
    let letterhead = crate::documents::Letterhead::from_settings(store.connection()).unwrap();
    let pdf = annual_report_pdf(&stats, &letterhead).unwrap();
    let text = crate::documents::tests::pdf_text(&pdf.bytes);
    assert!(text.contains("Jahresbericht 2031"));
    assert!(text.contains("keine Partnerstädte"), "{text}");
}

/// The figures without the moment they were computed.
fn comparable(mut s: Statistics) -> Statistics {
    s.computed_at = String::new();
    s
}

#[test]
fn statistics_stay_the_same_after_the_shredder() {
    let mut store = demo();
    let year = StatsFilter::year(2025);
    let before_year = statistics(store.connection(), &year).unwrap();
    let days: Vec<(i64, StatsFilter)> = before_year
        .event_rows
        .iter()
        .map(|e| {
            let day = StatsFilter {
                from: e.date.clone(),
                to: e.date.clone(),
                series: vec![e.series],
            };
            (e.id, day)
        })
        .collect();
    let before_days: Vec<Statistics> = days
        .iter()
        .map(|(_, f)| comparable(statistics(store.connection(), f).unwrap()))
        .collect();
    for (id, _) in &days {
        store
            .write(|tx| {
                crate::privacy::shred_event(tx, *id, crate::privacy::LeftoverPersons::Loeschen)
            })
            .unwrap();
    }
    let anonymous: i64 = store
        .connection()
        .query_row(
            "SELECT count(*) FROM registrations WHERE person_id IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(anonymous > 0, "the shredder ran");
    // One event: every figure is the same (one registration per person and event).
    for ((_, filter), before) in days.iter().zip(before_days) {
        let after = comparable(statistics(store.connection(), filter).unwrap());
        assert_eq!(after, before, "{filter:?}");
    }
    // The year: counts, reach, countries and topics are the same; a person who came to two
    // shredded events can no longer be recognised and counts once per registration.
    let after = statistics(store.connection(), &year).unwrap();
    assert_eq!(after.events, before_year.events);
    assert_eq!(after.registrations, before_year.registrations);
    assert_eq!(after.present, before_year.present);
    assert_eq!(after.no_shows, before_year.no_shows);
    assert_eq!(after.kommunen_reached, before_year.kommunen_reached);
    assert_eq!(after.kreise_reached, before_year.kreise_reached);
    assert_eq!(
        after.distinct_organisations,
        before_year.distinct_organisations
    );
    assert_eq!(after.partner_countries, before_year.partner_countries);
    assert_eq!(after.by_series, before_year.by_series);
    assert_eq!(after.topics, before_year.topics);
    assert!(after.distinct_persons >= before_year.distinct_persons);
    assert_eq!(after.distinct_persons, after.present);
    // The drill-down lists anonymous participants as one line with their count.
    let list = drill(
        store.connection(),
        &year,
        &DrillKey::Event(before_year.event_rows[0].id),
    )
    .unwrap();
    assert_eq!(list.rows.len(), 1);
    assert_eq!(list.rows[0].count, Some(before_year.event_rows[0].present));
}
