//! Online attendance from participant reports: Zoom, Microsoft Teams (sections or the older
//! join/leave log) and a generic table with name, e-mail, join and leave.
//!
//! Rows of one person are grouped (by e-mail, else by the folded display name without
//! suffixes such as "(Host)" or "(Gast)"); the minutes are the union of the join–leave
//! intervals clipped to the event's time window of each day — overlapping devices count once,
//! the duration column is never summed. Waiting-room rows are dropped. A person is present when
//! the minutes reach the threshold (default: half of the day's scheduled time). Participants
//! are matched to registrations by e-mail, then by folded name (also "Nachname, Vorname"),
//! then by a display name remembered from an earlier manual match.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::mapping::{self, ColumnMapping, Field, ImportTarget, header_key};
use super::{
    ImportReport, ImportRequest, Importer, Participant, Prepared, Progress, RowIssue, RowOutcome,
    RowState, SourceFile, SourceRow, Unmatched, fingerprint, history, values,
};
use crate::error::{CoreError, CoreResult, is_plausible_email};
use crate::events::Event;
use crate::registrations::{self, RegistrationRow, attendance};
use crate::store::{Transaction, fold, new_uid, now_utc};

/// Header keys of the first rows of `file` (up to 60 rows).
fn any_header_has(file: &SourceFile, keys: &[&str]) -> bool {
    file.rows.iter().take(60).any(|row| {
        row.cells
            .iter()
            .any(|c| keys.contains(&header_key(c).as_str()))
    })
}

/// A numbered Teams section title such as "2. Participants" / "2. Teilnehmer".
fn section_title(row: &SourceRow) -> bool {
    let filled: Vec<&str> = row
        .cells
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    match filled.as_slice() {
        [one] => {
            let mut chars = one.chars();
            chars.next().is_some_and(|c| c.is_ascii_digit()) && one.contains(". ") && one.len() < 60
        }
        _ => false,
    }
}

/// The Zoom participant report (English or German UI, with or without the meeting block).
pub(super) struct Zoom;

impl Importer for Zoom {
    fn id(&self) -> &'static str {
        "zoom"
    }
    fn label(&self) -> &'static str {
        "Zoom-Teilnehmerbericht"
    }
    fn description(&self) -> &'static str {
        "Der Export „Teilnehmer“ aus Zoom (englische oder deutsche Oberfläche, mit oder ohne Besprechungsblock oben)."
    }
    fn target(&self) -> ImportTarget {
        ImportTarget::Attendance
    }
    fn sniff(&self, file: &SourceFile) -> f64 {
        // Zoom's own columns: "Name (Original Name)", "Guest", "In Waiting Room", "Duration
        // (Minutes)", or the meeting block's "Meeting ID" above the table.
        let zoom_columns = [
            "nameoriginalname",
            "nameursprunglichername",
            "nameoriginalername",
            "inwaitingroom",
            "imwarteraum",
            "durationminutes",
            "dauerminuten",
            "guest",
            "gast",
        ];
        let Some(header) = mapping::find_header(file, ImportTarget::Attendance) else {
            return 0.0;
        };
        let row = &file.rows[header];
        let mapped = mapping::propose_for_row(ImportTarget::Attendance, row, &[]);
        if mapped.column(Field::JoinTime).is_none() {
            return 0.0;
        }
        let keys: Vec<String> = row.cells.iter().map(|c| header_key(c)).collect();
        let meeting_block = file.rows[..header]
            .iter()
            .any(|r| r.cells.iter().any(|c| header_key(c) == "meetingid"));
        if keys.iter().any(|k| zoom_columns.contains(&k.as_str())) {
            0.95
        } else if meeting_block {
            0.9
        } else {
            0.0
        }
    }
}

/// The Teams attendance report with numbered sections (Summary, Participants, In-Meeting
/// Activities), in the UI language.
pub(super) struct Teams;

impl Importer for Teams {
    fn id(&self) -> &'static str {
        "teams"
    }
    fn label(&self) -> &'static str {
        "Teams-Anwesenheitsbericht"
    }
    fn description(&self) -> &'static str {
        "Der Anwesenheitsbericht aus Microsoft Teams (UTF-16, Tabulatoren, Abschnitte „1. Zusammenfassung“ / „1. Summary“ …)."
    }
    fn target(&self) -> ImportTarget {
        ImportTarget::Attendance
    }
    fn sniff(&self, file: &SourceFile) -> f64 {
        let teams_columns = [
            "firstjoin",
            "ersterbeitritt",
            "inmeetingduration",
            "dauerinderbesprechung",
            "participantidupn",
            "teilnehmeridupn",
            "lastleave",
            "letztesverlassen",
        ];
        let sections = file
            .rows
            .iter()
            .take(400)
            .filter(|r| section_title(r))
            .count();
        if any_header_has(file, &teams_columns)
            || (sections >= 2 && mapping::find_header(file, ImportTarget::Attendance).is_some())
        {
            0.95
        } else {
            0.0
        }
    }
}

/// The older Teams report: one row per join or leave ("Full Name, User Action, Timestamp").
pub(super) struct TeamsLog;

const LOG_ACTION: [&str; 4] = ["useraction", "benutzeraktion", "aktion", "action"];
const LOG_NAME: [&str; 4] = ["fullname", "vollstandigername", "name", "teilnehmer"];
const LOG_TIME: [&str; 3] = ["timestamp", "zeitstempel", "zeitpunkt"];
const LOG_EMAIL: [&str; 4] = ["email", "emailadresse", "useremail", "upn"];

impl Importer for TeamsLog {
    fn id(&self) -> &'static str {
        "teams_log"
    }
    fn label(&self) -> &'static str {
        "Teams-Anwesenheitsliste (ältere Fassung)"
    }
    fn description(&self) -> &'static str {
        "Die ältere Teams-Liste mit einer Zeile je Beitritt oder Verlassen (Vollständiger Name, Benutzeraktion, Zeitstempel)."
    }
    fn target(&self) -> ImportTarget {
        ImportTarget::Attendance
    }
    fn sniff(&self, file: &SourceFile) -> f64 {
        if log_header(file).is_some() {
            0.95
        } else {
            0.0
        }
    }
    fn header(&self, file: &SourceFile) -> Option<usize> {
        log_header(file).map(|(row, _)| row)
    }
}

/// The header row of the older Teams log and the columns name, action, time, e-mail.
fn log_header(file: &SourceFile) -> Option<(usize, [Option<usize>; 4])> {
    file.rows.iter().take(60).enumerate().find_map(|(i, row)| {
        let keys: Vec<String> = row.cells.iter().map(|c| header_key(c)).collect();
        let col = |names: &[&str]| keys.iter().position(|k| names.contains(&k.as_str()));
        let action = col(&LOG_ACTION[..2])?;
        Some((
            i,
            [
                col(&LOG_NAME),
                Some(action),
                col(&LOG_TIME),
                col(&LOG_EMAIL),
            ],
        ))
    })
}

/// One join–leave interval read from a report.
#[derive(Debug, Clone)]
struct Interval {
    record: usize,
    line: usize,
    name: String,
    email: String,
    join: DateTime<Utc>,
    leave: DateTime<Utc>,
    /// Teams participants section: the in-meeting duration caps the minutes.
    cap_seconds: Option<i64>,
    cells: Vec<String>,
}

/// Decides whether `a/b/yyyy` dates of a file are month first (Zoom writes US dates even in
/// the German UI): a first number above 12 anywhere means day first.
fn us_dates(values: &[&str]) -> bool {
    let mut day_first = false;
    for v in values {
        let mut parts = v.trim().split(['/', ' ']);
        if let (Some(a), Some(_)) = (parts.next(), parts.next())
            && v.contains('/')
            && a.len() <= 2
            && a.parse::<u32>().is_ok_and(|a| a > 12)
        {
            day_first = true;
        }
    }
    !day_first
}

/// Reads intervals from a table with a header row and a mapping.
fn table_intervals(
    file: &SourceFile,
    header: usize,
    mapping: &ColumnMapping,
    end: usize,
    cap_by_duration: bool,
    report: &mut ImportReport,
    outcomes: &mut Vec<RowOutcome>,
) -> Vec<Interval> {
    let col = |f: Field| mapping.column(f);
    let rows: Vec<&SourceRow> = file.rows[header + 1..end].iter().collect();
    let date_cells: Vec<&str> = rows
        .iter()
        .flat_map(|r| {
            [col(Field::JoinTime), col(Field::LeaveTime)]
                .into_iter()
                .flatten()
                .map(|c| r.cell(c))
        })
        .collect();
    let us = us_dates(&date_cells);
    let mut intervals = Vec::new();
    let mut record = 0;
    for row in rows {
        if row.is_blank() {
            report.skipped_empty += 1;
            continue;
        }
        record += 1;
        let get = |f: Field| col(f).map(|c| row.cell(c).to_owned()).unwrap_or_default();
        let name = get(Field::DisplayName);
        let email = get(Field::Email);
        let mut outcome = RowOutcome {
            record,
            line: row.line,
            state: RowState::Error,
            name: name.clone(),
            email: email.clone(),
            person_id: None,
            candidate_person_id: None,
            status: None,
            reasons: Vec::new(),
            consents: super::Consents::default(),
            organisation: String::new(),
            ort: String::new(),
        };
        let mut error = |field: Field, message: String, outcome: &mut RowOutcome| {
            outcome.reasons.push(message.clone());
            report.errors.push(RowIssue {
                record,
                line: row.line,
                field: Some(field),
                message,
            });
        };
        let waiting = get(Field::WaitingRoom);
        if !waiting.is_empty() && values::consent_given(&waiting) {
            outcome.state = RowState::Skipped;
            outcome
                .reasons
                .push("Im Warteraum – zählt nicht als Teilnahme.".into());
            report.skipped += 1;
            outcomes.push(outcome);
            continue;
        }
        if name.is_empty() && email.is_empty() {
            error(
                Field::DisplayName,
                "Name und E-Mail fehlen.".into(),
                &mut outcome,
            );
            outcomes.push(outcome);
            continue;
        }
        let join_text = get(Field::JoinTime);
        let Some(join) = values::parse_datetime(&join_text, us) else {
            error(
                Field::JoinTime,
                format!("Beitritt „{join_text}“ ist keine lesbare Zeitangabe."),
                &mut outcome,
            );
            outcomes.push(outcome);
            continue;
        };
        let duration = values::parse_duration_seconds(&get(Field::Duration));
        let leave_text = get(Field::LeaveTime);
        let leave = match values::parse_datetime(&leave_text, us) {
            Some(leave) => leave,
            None => match duration {
                Some(seconds) if leave_text.is_empty() => join + Duration::seconds(seconds),
                _ => {
                    error(
                        Field::LeaveTime,
                        format!("Verlassen „{leave_text}“ ist keine lesbare Zeitangabe."),
                        &mut outcome,
                    );
                    outcomes.push(outcome);
                    continue;
                }
            },
        };
        if leave < join {
            error(
                Field::LeaveTime,
                "Verlassen liegt vor dem Beitritt.".into(),
                &mut outcome,
            );
            outcomes.push(outcome);
            continue;
        }
        outcome.state = RowState::Known;
        outcomes.push(outcome);
        intervals.push(Interval {
            record,
            line: row.line,
            name,
            email,
            join,
            leave,
            cap_seconds: if cap_by_duration { duration } else { None },
            cells: row.cells.clone(),
        });
    }
    report.records = record;
    intervals
}

/// Header rows of the Teams sections that list joins and leaves, with their section end.
fn teams_tables(file: &SourceFile) -> Vec<(usize, usize)> {
    let mut tables = Vec::new();
    let mut i = 0;
    while i < file.rows.len() {
        let mapping = mapping::propose_for_row(ImportTarget::Attendance, &file.rows[i], &[]);
        if mapping.column(Field::JoinTime).is_some()
            && (mapping.column(Field::DisplayName).is_some()
                || mapping.column(Field::Email).is_some())
        {
            let end = (i + 1..file.rows.len())
                .find(|j| section_title(&file.rows[*j]))
                .unwrap_or(file.rows.len());
            tables.push((i, end));
            i = end;
        } else {
            i += 1;
        }
    }
    tables
}

fn log_intervals(
    file: &SourceFile,
    event: &Event,
    report: &mut ImportReport,
    outcomes: &mut Vec<RowOutcome>,
) -> Vec<Interval> {
    let Some((header, [name_col, Some(action_col), Some(time_col), email_col])) = log_header(file)
    else {
        return Vec::new();
    };
    let rows: Vec<&SourceRow> = file.rows[header + 1..].iter().collect();
    let us = us_dates(&rows.iter().map(|r| r.cell(time_col)).collect::<Vec<_>>());
    let event_end = crate::time::from_storage(&event.ends_at).unwrap_or_else(|_| Utc::now());
    let mut open: HashMap<String, (DateTime<Utc>, usize, usize, Vec<String>)> = HashMap::new();
    let mut intervals = Vec::new();
    let mut record = 0;
    for row in rows {
        if row.is_blank() {
            report.skipped_empty += 1;
            continue;
        }
        record += 1;
        let name = name_col.map(|c| row.cell(c).to_owned()).unwrap_or_default();
        let email = email_col
            .map(|c| row.cell(c).to_owned())
            .unwrap_or_default();
        let action = fold(row.cell(action_col));
        let time_text = row.cell(time_col);
        let Some(at) = values::parse_datetime(time_text, us) else {
            let message = format!("Zeitstempel „{time_text}“ ist keine lesbare Zeitangabe.");
            report.errors.push(RowIssue {
                record,
                line: row.line,
                field: Some(Field::JoinTime),
                message: message.clone(),
            });
            outcomes.push(RowOutcome {
                record,
                line: row.line,
                state: RowState::Error,
                name,
                email,
                person_id: None,
                candidate_person_id: None,
                status: None,
                reasons: vec![message],
                consents: super::Consents::default(),
                organisation: String::new(),
                ort: String::new(),
            });
            continue;
        };
        let key = format!("{}|{}", fold(&name), email.to_lowercase());
        let joined = action.contains("join")
            || action.contains("beigetreten")
            || action.contains("beitritt");
        if joined {
            open.entry(key)
                .or_insert((at, record, row.line, row.cells.clone()));
        } else if let Some((join, rec, line, cells)) = open.remove(&key) {
            intervals.push(Interval {
                record: rec,
                line,
                name: name.clone(),
                email: email.clone(),
                join,
                leave: at.max(join),
                cap_seconds: None,
                cells,
            });
        }
        outcomes.push(RowOutcome {
            record,
            line: row.line,
            state: RowState::Known,
            name,
            email,
            person_id: None,
            candidate_person_id: None,
            status: None,
            reasons: Vec::new(),
            consents: super::Consents::default(),
            organisation: String::new(),
            ort: String::new(),
        });
    }
    for (key, (join, record, line, cells)) in open {
        let (name, email) = key
            .split_once('|')
            .map(|(n, e)| (n.to_owned(), e.to_owned()))
            .unwrap_or_default();
        let name = cells.get(name_col.unwrap_or(0)).cloned().unwrap_or(name);
        intervals.push(Interval {
            record,
            line,
            name,
            email,
            join,
            leave: event_end.max(join),
            cap_seconds: None,
            cells,
        });
    }
    intervals.sort_by_key(|i| i.record);
    report.records = record;
    intervals
}

/// The display name without parenthesised suffixes, folded; "Berg, Anna" and "Dr. Anna Berg"
/// become "anna berg".
pub fn display_key(display: &str) -> String {
    let mut plain = String::new();
    let mut depth = 0usize;
    for c in display.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            c if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    match values::split_name(&plain) {
        Some(parts) => fold(&format!("{} {}", parts.first_name, parts.last_name)),
        None => fold(&plain),
    }
}

/// Intervals of one person.
struct Group {
    name: String,
    email: String,
    intervals: Vec<Interval>,
}

fn group(intervals: Vec<Interval>) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    let mut by_email: HashMap<String, usize> = HashMap::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let (with_email, without): (Vec<Interval>, Vec<Interval>) = intervals
        .into_iter()
        .partition(|i| is_plausible_email(i.email.trim()));
    for interval in with_email.into_iter().chain(without) {
        let email_key = interval.email.trim().to_lowercase();
        let name_key = display_key(&interval.name);
        let found = if is_plausible_email(&email_key) {
            by_email.get(&email_key).copied()
        } else {
            by_name.get(&name_key).copied()
        };
        let index = match found {
            Some(i) => i,
            None => {
                groups.push(Group {
                    name: interval.name.clone(),
                    email: interval.email.trim().to_owned(),
                    intervals: Vec::new(),
                });
                let i = groups.len() - 1;
                if is_plausible_email(&email_key) {
                    by_email.insert(email_key, i);
                }
                by_name.entry(name_key).or_insert(i);
                i
            }
        };
        groups[index].intervals.push(interval);
    }
    groups
}

/// An event day ("YYYY-MM-DD") and its scheduled window.
pub(crate) type DayWindow = (String, DateTime<Utc>, DateTime<Utc>);

/// The scheduled window of each event day: a one-day event runs from start to end; a
/// multi-day event from the start time to the end time on every day. Also the hours of a
/// day present at the desk on a Teilnahmebescheinigung (`documents`).
pub(crate) fn day_windows(event: &Event) -> CoreResult<Vec<DayWindow>> {
    let start = crate::time::from_storage(&event.starts_at)?;
    let end = crate::time::from_storage(&event.ends_at)?;
    if event.days.len() <= 1 {
        return Ok(vec![(
            event.days.first().cloned().unwrap_or_default(),
            start,
            end,
        )]);
    }
    let start_time: NaiveTime = crate::time::in_berlin(start).time();
    let end_time: NaiveTime = crate::time::in_berlin(end).time();
    let mut windows = Vec::new();
    for day in &event.days {
        let date = crate::time::parse_date(day, "day")?;
        let (from, to) = if end_time > start_time {
            (date.and_time(start_time), date.and_time(end_time))
        } else {
            (
                date.and_hms_opt(0, 0, 0).unwrap_or_default(),
                date.and_hms_opt(23, 59, 59).unwrap_or_default(),
            )
        };
        let (Some(from), Some(to)) = (values::berlin(from), values::berlin(to)) else {
            continue;
        };
        windows.push((day.clone(), from.max(start), to.min(end)));
    }
    Ok(windows)
}

/// Seconds covered by the union of the intervals, clipped to the window.
fn union_seconds(intervals: &[&Interval], from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    let mut spans: Vec<(DateTime<Utc>, DateTime<Utc>)> = intervals
        .iter()
        .map(|i| (i.join.max(from), i.leave.min(to)))
        .filter(|(a, b)| a < b)
        .collect();
    spans.sort();
    let mut total = 0;
    let mut current: Option<(DateTime<Utc>, DateTime<Utc>)> = None;
    for (a, b) in spans {
        current = match current {
            Some((ca, cb)) if a <= cb => Some((ca, cb.max(b))),
            Some((ca, cb)) => {
                total += (cb - ca).num_seconds();
                Some((a, b))
            }
            None => Some((a, b)),
        };
    }
    if let Some((a, b)) = current {
        total += (b - a).num_seconds();
    }
    total
}

/// Registrations of the event by e-mail, by folded name and by remembered alias.
struct Matcher {
    by_email: HashMap<String, usize>,
    by_name: HashMap<String, Vec<usize>>,
    by_alias: HashMap<String, usize>,
    rows: Vec<RegistrationRow>,
}

impl Matcher {
    fn load(tx: &Transaction<'_>, event_id: i64) -> CoreResult<Self> {
        // Anonymous registrations (the shredder removed their person) match nobody.
        let rows: Vec<RegistrationRow> = registrations::list(tx, event_id)?
            .into_iter()
            .filter(|r| r.person_id.is_some())
            .collect();
        let mut m = Matcher {
            by_email: HashMap::new(),
            by_name: HashMap::new(),
            by_alias: HashMap::new(),
            rows: Vec::new(),
        };
        for (i, r) in rows.iter().enumerate() {
            if !r.email.trim().is_empty() {
                m.by_email.insert(r.email.trim().to_lowercase(), i);
            }
            m.by_name
                .entry(fold(&format!("{} {}", r.first_name, r.last_name)))
                .or_default()
                .push(i);
        }
        let person_index: HashMap<i64, usize> = rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.person_id.map(|p| (p, i)))
            .collect();
        let mut stmt = tx.prepare("SELECT alias_key, person_id FROM person_aliases")?;
        let aliases = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        for alias in aliases {
            let (key, person) = alias?;
            if let Some(i) = person_index.get(&person) {
                m.by_alias.insert(key, *i);
            }
        }
        m.rows = rows;
        Ok(m)
    }

    fn find(&self, group: &Group) -> Option<usize> {
        let email = group.email.trim().to_lowercase();
        if let Some(i) = self.by_email.get(&email) {
            return Some(*i);
        }
        for interval in &group.intervals {
            let key = display_key(&interval.name);
            if let Some(i) = self.by_alias.get(&key) {
                return Some(*i);
            }
            if let Some([one]) = self.by_name.get(&key).map(Vec::as_slice) {
                return Some(*one);
            }
        }
        None
    }
}

/// Imports online attendance.
pub(super) fn run(
    tx: &Transaction<'_>,
    run_id: i64,
    file: &SourceFile,
    prepared: &Prepared,
    request: &ImportRequest,
    report: &mut ImportReport,
    progress: Progress<'_>,
) -> CoreResult<()> {
    let event_id = request.event_id.ok_or_else(|| {
        CoreError::invalid(
            "event_id",
            "Bitte wählen Sie die Veranstaltung, deren Anwesenheit importiert wird.",
        )
    })?;
    let event = crate::events::get(tx, event_id)?;
    let mut outcomes = Vec::new();
    let intervals = match prepared.importer.id() {
        "teams_log" => log_intervals(file, &event, report, &mut outcomes),
        "teams" if request.mapping.is_none() => {
            let tables = teams_tables(file);
            // Prefer the per-join activities (the last table with rows); the participants
            // table only has first join and last leave, capped by the in-meeting duration.
            let with_rows: Vec<&(usize, usize)> = tables
                .iter()
                .filter(|(header, end)| file.rows[header + 1..*end].iter().any(|r| !r.is_blank()))
                .collect();
            match with_rows.last() {
                None => Vec::new(),
                Some((header, end)) => {
                    let mapping = mapping::propose_for_row(
                        ImportTarget::Attendance,
                        &file.rows[*header],
                        &file.rows[*header + 1..*end],
                    );
                    report.mapping = mapping.clone();
                    report.header_line = file.rows[*header].line;
                    table_intervals(
                        file,
                        *header,
                        &mapping,
                        *end,
                        with_rows.len() == 1,
                        report,
                        &mut outcomes,
                    )
                }
            }
        }
        _ => {
            let end = (prepared.header + 1..file.rows.len())
                .find(|j| section_title(&file.rows[*j]))
                .unwrap_or(file.rows.len());
            if prepared.mapping.column(Field::JoinTime).is_none() {
                return Err(CoreError::InvalidFile {
                    file: file.file_name.clone(),
                    message: "Keiner Spalte ist der Beitritt (Join Time) zugeordnet.".into(),
                });
            }
            table_intervals(
                file,
                prepared.header,
                &prepared.mapping,
                end,
                false,
                report,
                &mut outcomes,
            )
        }
    };
    let windows = day_windows(&event)?;
    let threshold_for = |from: DateTime<Utc>, to: DateTime<Utc>| {
        request
            .min_minutes
            .unwrap_or(((to - from).num_minutes() + 1) / 2)
    };
    report.min_minutes = windows
        .first()
        .map(|(_, from, to)| threshold_for(*from, *to));
    let mut matcher = Matcher::load(tx, event_id)?;
    // Manual matches: remember the display name as an alias of the person.
    for manual in &request.manual_matches {
        let Some(index) = matcher
            .rows
            .iter()
            .position(|r| r.person_id == Some(manual.person_id))
        else {
            return Err(CoreError::invalid(
                "manual_matches",
                format!(
                    "Die gewählte Person ist für „{}“ nicht angemeldet.",
                    manual.display_name
                ),
            ));
        };
        let key = display_key(&manual.display_name);
        let uid = new_uid();
        let now = now_utc();
        tx.execute(
            "INSERT INTO person_aliases (uid, person_id, alias, alias_key, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)
             ON CONFLICT (alias_key) DO UPDATE SET person_id = excluded.person_id,
                 alias = excluded.alias, updated_at = excluded.updated_at",
            params![uid, manual.person_id, manual.display_name.trim(), key, now],
        )?;
        matcher.by_alias.insert(key, index);
        let mut log = history::RowLog {
            fingerprint: fingerprint(
                ImportTarget::Attendance,
                Some(event_id),
                &[format!("alias:{}", manual.display_name)],
            ),
            ..history::RowLog::default()
        };
        log.previous
            .insert("alias_uid".into(), serde_json::Value::String(uid));
        history::log_row(tx, run_id, &log)?;
    }
    let groups = group(intervals);
    let total = groups.len();
    let mut outcome_person: HashMap<usize, i64> = HashMap::new();
    for (done, group) in groups.iter().enumerate() {
        if done.is_multiple_of(100) {
            progress(done, total);
        }
        let refs: Vec<&Interval> = group.intervals.iter().collect();
        let per_day: Vec<(String, i64, i64, String, String)> = windows
            .iter()
            .map(|(day, from, to)| {
                let mut seconds = union_seconds(&refs, *from, *to);
                if let Some(cap) = refs
                    .iter()
                    .filter_map(|i| i.cap_seconds)
                    .reduce(|a, b| a + b)
                {
                    seconds = seconds.min(cap);
                }
                let inside: Vec<&&Interval> = refs
                    .iter()
                    .filter(|i| i.join < *to && i.leave > *from)
                    .collect();
                let joined = inside
                    .iter()
                    .map(|i| i.join.max(*from))
                    .min()
                    .unwrap_or(*from);
                let left = inside
                    .iter()
                    .map(|i| i.leave.min(*to))
                    .max()
                    .unwrap_or(*from);
                (
                    day.clone(),
                    (seconds + 30) / 60,
                    threshold_for(*from, *to),
                    crate::time::to_storage(joined),
                    crate::time::to_storage(left),
                )
            })
            .filter(|(_, minutes, ..)| *minutes > 0)
            .collect();
        let minutes: i64 = per_day.iter().map(|(_, m, ..)| m).sum();
        let first_join = refs.iter().map(|i| i.join).min();
        let last_leave = refs.iter().map(|i| i.leave).max();
        let Some(index) = matcher.find(group) else {
            report.unmatched.push(Unmatched {
                display_name: group.name.clone(),
                email: group.email.clone(),
                minutes,
            });
            continue;
        };
        let row = &matcher.rows[index];
        // Matcher rows always name a person (see `Matcher::load`).
        let person_id = row.person_id.unwrap_or_default();
        for interval in &group.intervals {
            outcome_person.insert(interval.record, person_id);
        }
        report.matched_persons += 1;
        if !row.status.is_counted() {
            report.warnings.push(RowIssue {
                record: group.intervals[0].record,
                line: group.intervals[0].line,
                field: None,
                message: format!(
                    "{} {} nahm teil, hat aber den Status „{}“.",
                    row.first_name,
                    row.last_name,
                    row.status.label()
                ),
            });
        }
        let mut present = false;
        for (day, day_minutes, threshold, joined_at, left_at) in &per_day {
            let day_present = *day_minutes >= *threshold;
            present |= day_present;
            let mut cells: Vec<String> = vec![day.clone(), row.registration_id.to_string()];
            cells.extend(group.intervals.iter().flat_map(|i| i.cells.clone()));
            let print = fingerprint(ImportTarget::Attendance, Some(event_id), &cells);
            if history::already_imported(tx, &print)?.is_some() {
                report.skipped += 1;
                continue;
            }
            let online = attendance::OnlineAttendance {
                minutes: *day_minutes,
                present: day_present,
                joined_at: joined_at.clone(),
                left_at: left_at.clone(),
            };
            let before: Option<(Option<String>, Option<String>)> = tx
                .query_row(
                    "SELECT joined_at, left_at FROM attendance
                     WHERE registration_id = ?1 AND day = ?2 AND session_id IS NULL",
                    params![row.registration_id, day],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let undo = attendance::record_online(tx, row.registration_id, day, &online)?;
            let mut log = history::RowLog {
                record: group.intervals[0].record,
                line: group.intervals[0].line,
                fingerprint: print,
                person_id: row.person_id,
                registration_id: Some(row.registration_id),
                ..history::RowLog::default()
            };
            log.previous
                .insert("day".into(), serde_json::Value::String(day.clone()));
            log.previous.insert(
                "mark".into(),
                serde_json::to_value(&undo.previous).unwrap_or_default(),
            );
            let (joined, left) = before.unwrap_or_default();
            log.previous.insert(
                "joined_at".into(),
                serde_json::to_value(joined).unwrap_or_default(),
            );
            log.previous.insert(
                "left_at".into(),
                serde_json::to_value(left).unwrap_or_default(),
            );
            history::log_row(tx, run_id, &log)?;
            report.imported += 1;
        }
        let berlin = |t: Option<DateTime<Utc>>| {
            t.map(|t| crate::time::in_berlin(t).to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
                .unwrap_or_default()
        };
        report.participants.push(Participant {
            person_id,
            email: row.email.clone(),
            name: format!("{} {}", row.first_name, row.last_name),
            minutes,
            present,
            first_join: berlin(first_join),
            last_leave: berlin(last_leave),
        });
    }
    progress(total, total);
    for outcome in &mut outcomes {
        if outcome.state == RowState::Known {
            match outcome_person.get(&outcome.record) {
                Some(person) => outcome.person_id = Some(*person),
                None => {
                    outcome.state = RowState::Skipped;
                    outcome
                        .reasons
                        .push("Nicht zugeordnet (keine Anmeldung gefunden).".into());
                }
            }
        }
    }
    report.rows = outcomes;
    report.participants.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn interval(join: &str, leave: &str) -> Interval {
        Interval {
            record: 1,
            line: 1,
            name: String::new(),
            email: String::new(),
            join: values::parse_datetime(join, false).unwrap(),
            leave: values::parse_datetime(leave, false).unwrap(),
            cap_seconds: None,
            cells: Vec::new(),
        }
    }

    #[test]
    fn overlapping_devices_count_once_and_the_window_clips() {
        let a = interval("13.03.2025 09:50", "13.03.2025 11:00");
        let b = interval("13.03.2025 10:30", "13.03.2025 11:30");
        let c = interval("13.03.2025 12:00", "13.03.2025 13:00");
        let from = values::parse_datetime("13.03.2025 10:00", false).unwrap();
        let to = values::parse_datetime("13.03.2025 12:30", false).unwrap();
        assert_eq!(union_seconds(&[&a, &b, &c], from, to), (90 + 30) * 60);
    }

    #[test]
    fn display_names_lose_suffixes_titles_and_order() {
        assert_eq!(display_key("Anna Berg (Host)"), "anna berg");
        assert_eq!(display_key("Berg, Anna (Gast)"), "anna berg");
        assert_eq!(display_key("Dr. Anna Berg [Extern]"), "anna berg");
        assert_eq!(display_key("Jörg Weiß (Jörg W.)"), "jorg weiss");
    }
}
