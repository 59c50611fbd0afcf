//! Contacts and registrations from a table: one row per person.
//!
//! Identity, as at the desk: the same e-mail (case-insensitive) is the same person — only empty
//! fields are filled, nothing stored is overwritten; the same folded name and Ort with another
//! e-mail is a possible duplicate for review, never merged silently; the same person twice in
//! one file keeps the later row. A row whose Datenschutz consent says no is an error.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::mapping::{ColumnMapping, Field};
use super::values::{self, NameParts};
use super::{
    Consents, ImportReport, ImportRequest, ImportTarget, Prepared, Progress, ReviewCase, RowIssue,
    RowOutcome, RowState, SourceFile, SourceRow, fingerprint, history,
};
use crate::error::{CoreError, CoreResult, is_plausible_email};
use crate::people::{self, OrgKind, OrganisationInput, Person, PersonInput};
use crate::registrations::{self, RegisterInput, Role, Source, sessions};
use crate::store::{Transaction, fold};

/// One row read into a person (and what the form said beyond the person).
#[derive(Debug, Clone, Default)]
struct PersonRecord {
    record: usize,
    line: usize,
    fingerprint: String,
    name: NameParts,
    email: String,
    organisation: String,
    ort: String,
    kreis: String,
    phone: String,
    function: String,
    remarks: String,
    consents: Consents,
    wishes: Vec<String>,
    workshops: Vec<String>,
    submitted_at: Option<DateTime<Utc>>,
    errors: Vec<RowIssue>,
    warnings: Vec<RowIssue>,
}

impl PersonRecord {
    fn display_name(&self) -> String {
        [
            &self.name.title,
            &self.name.first_name,
            &self.name.last_name,
        ]
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join(" ")
    }

    fn error(&mut self, field: Option<Field>, message: String) {
        self.errors.push(RowIssue {
            record: self.record,
            line: self.line,
            field,
            message,
        });
    }

    fn warn(&mut self, field: Option<Field>, message: String) {
        self.warnings.push(RowIssue {
            record: self.record,
            line: self.line,
            field,
            message,
        });
    }

    /// Key for "the same person twice in one file".
    fn identity_key(&self) -> String {
        if self.email.is_empty() {
            format!(
                "name:{}|{}|{}",
                fold(&self.name.first_name),
                fold(&self.name.last_name),
                fold(&self.ort)
            )
        } else {
            format!("mail:{}", self.email.to_lowercase())
        }
    }
}

/// Reads one row with the mapping.
fn read_record(
    mapping: &ColumnMapping,
    row: &SourceRow,
    record: usize,
    target: ImportTarget,
    event_id: Option<i64>,
) -> PersonRecord {
    let cell = |field: Field| -> String {
        mapping
            .column(field)
            .map(|c| values::strip_security_alert(row.cell(c)).trim().to_owned())
            .unwrap_or_default()
    };
    let mut r = PersonRecord {
        record,
        line: row.line,
        fingerprint: fingerprint(target, event_id, &row.cells),
        email: cell(Field::Email),
        organisation: cell(Field::Organisation),
        ort: cell(Field::Ort),
        kreis: cell(Field::Kreis),
        phone: cell(Field::Phone),
        function: cell(Field::Function),
        remarks: cell(Field::Remarks),
        ..PersonRecord::default()
    };
    read_name(&mut r, mapping, &cell);
    if !r.email.is_empty() && !is_plausible_email(&r.email) {
        let message = format!("Die E-Mail-Adresse „{}“ ist ungültig.", r.email);
        r.error(Some(Field::Email), message);
    }
    for (field, value) in [
        (Field::Organisation, r.organisation.clone()),
        (Field::Ort, r.ort.clone()),
    ] {
        if values::looks_like_formula(&value) {
            r.error(
                Some(field),
                format!("„{value}“ sieht aus wie eine Excel-Formel und wird nicht übernommen."),
            );
        }
    }
    for (field, value) in [
        (Field::FirstName, r.name.first_name.clone()),
        (Field::LastName, r.name.last_name.clone()),
        (Field::Organisation, r.organisation.clone()),
        (Field::Ort, r.ort.clone()),
    ] {
        if values::lost_letter(&value) {
            r.warn(
                Some(field),
                format!(
                    "„{value}“ enthält ein „?“ – vermutlich ging beim Speichern ein Buchstabe \
                     verloren. Eine gespeicherte Schreibweise wird nicht überschrieben."
                ),
            );
        }
    }
    let consent = |field: Field| {
        mapping
            .column(field)
            .map(|c| values::consent_given(row.cell(c)))
    };
    r.consents = Consents {
        privacy: consent(Field::ConsentPrivacy),
        photo: consent(Field::ConsentPhoto),
        list: consent(Field::ConsentList),
    };
    if r.consents.privacy == Some(false) {
        let said = cell(Field::ConsentPrivacy);
        let said = if said.is_empty() {
            "leer".to_owned()
        } else {
            format!("„{said}“")
        };
        r.error(
            Some(Field::ConsentPrivacy),
            format!(
                "Keine Einwilligung in den Datenschutz ({said}) – bitte vor dem Import klären."
            ),
        );
    }
    for (i, field) in mapping.fields.iter().enumerate() {
        match field {
            Some(Field::Wishes) => r.wishes.extend(
                row.cell(i)
                    .lines()
                    .map(|l| l.trim().to_owned())
                    .filter(|l| !l.is_empty()),
            ),
            Some(Field::Workshops) => r.workshops.extend(values::split_multi(row.cell(i))),
            _ => {}
        }
    }
    let submitted = cell(Field::SubmittedAt);
    if !submitted.is_empty() {
        r.submitted_at = values::parse_datetime(&submitted, true);
        if r.submitted_at.is_none() {
            r.warn(
                Some(Field::SubmittedAt),
                format!("„{submitted}“ ist als Datum nicht lesbar."),
            );
        }
    }
    r
}

/// "Frau" or "Herr" from the forms' many spellings; anything else ("divers", "keine Angabe")
/// stays empty.
fn salutation(value: &str) -> String {
    match fold(value).trim_end_matches('.') {
        "frau" | "fr" | "ms" | "mrs" | "mme" | "madame" => "Frau".into(),
        "herr" | "hr" | "mr" | "monsieur" => "Herr".into(),
        _ => String::new(),
    }
}

fn read_name(r: &mut PersonRecord, mapping: &ColumnMapping, cell: &dyn Fn(Field) -> String) {
    let mut name = NameParts {
        salutation: salutation(&cell(Field::Salutation)),
        title: cell(Field::Title),
        first_name: cell(Field::FirstName),
        last_name: cell(Field::LastName),
    };
    let full = cell(Field::FullName);
    if (name.first_name.is_empty() || name.last_name.is_empty()) && !full.is_empty() {
        match values::split_name(&full) {
            Some(parts) => {
                let keep = |own: &mut String, split: String| {
                    if own.is_empty() {
                        *own = split;
                    }
                };
                keep(&mut name.salutation, parts.salutation);
                keep(&mut name.title, parts.title);
                keep(&mut name.first_name, parts.first_name);
                keep(&mut name.last_name, parts.last_name);
            }
            None if !values::looks_like_formula(&full) => {
                let message =
                    format!("Der Name „{full}“ lässt sich nicht in Vor- und Nachname teilen.");
                r.name = name;
                r.error(Some(Field::FullName), message);
                return;
            }
            None => {}
        }
    }
    for (field, value) in [
        (Field::FullName, full.as_str()),
        (Field::Title, name.title.as_str()),
        (Field::FirstName, name.first_name.as_str()),
        (Field::LastName, name.last_name.as_str()),
    ] {
        if values::looks_like_formula(value) {
            let message = format!(
                "Der Name „{value}“ sieht aus wie eine Excel-Formel und wird nicht übernommen."
            );
            r.name = name.clone();
            r.error(Some(field), message);
            return;
        }
    }
    if name.first_name.is_empty() || name.last_name.is_empty() {
        let has_name_column = [Field::FirstName, Field::LastName, Field::FullName]
            .iter()
            .any(|f| mapping.column(*f).is_some());
        let message = if has_name_column {
            "Vor- oder Nachname fehlt.".to_owned()
        } else {
            "Keiner Spalte ist der Name zugeordnet.".to_owned()
        };
        r.error(Some(Field::LastName), message);
    }
    r.name = name;
}

/// Persons by folded first name, last name and Ort (for the possible-duplicate rule), loaded
/// once per import so 10,000 rows against 100,000 persons stay linear.
struct NameIndex {
    by_name: HashMap<(String, String, String), Vec<i64>>,
}

impl NameIndex {
    fn load(tx: &Transaction<'_>) -> CoreResult<Self> {
        let mut stmt =
            tx.prepare("SELECT id, first_name, last_name, ort FROM persons WHERE ort <> ''")?;
        let mut by_name: HashMap<(String, String, String), Vec<i64>> = HashMap::new();
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        for row in rows {
            let (id, first, last, ort) = row?;
            by_name
                .entry((fold(&first), fold(&last), fold(&ort)))
                .or_default()
                .push(id);
        }
        Ok(NameIndex { by_name })
    }

    fn find(&self, name: &NameParts, ort: &str) -> Option<i64> {
        if ort.trim().is_empty() {
            return None;
        }
        let key = (fold(&name.first_name), fold(&name.last_name), fold(ort));
        if let Some(ids) = self.by_name.get(&key) {
            return ids.first().copied();
        }
        // A `?` for a lost letter matches any one letter of a stored spelling.
        if [&key.0, &key.1, &key.2].iter().any(|k| k.contains('?')) {
            return self
                .by_name
                .iter()
                .find(|(k, _)| {
                    wildcard_eq(&key.0, &k.0)
                        && wildcard_eq(&key.1, &k.1)
                        && wildcard_eq(&key.2, &k.2)
                })
                .and_then(|(_, ids)| ids.first().copied());
        }
        None
    }

    fn add(&mut self, id: i64, name: &NameParts, ort: &str) {
        if !ort.trim().is_empty() {
            self.by_name
                .entry((fold(&name.first_name), fold(&name.last_name), fold(ort)))
                .or_default()
                .push(id);
        }
    }
}

/// `pattern` with `?` for any one character equals `text`.
fn wildcard_eq(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    p.len() == t.len() && p.iter().zip(&t).all(|(a, b)| *a == '?' || a == b)
}

/// Organisations by folded name, loaded once; new ones are added as they are created.
struct Organisations {
    by_name: HashMap<String, i64>,
}

impl Organisations {
    fn load(tx: &Transaction<'_>) -> CoreResult<Self> {
        let mut stmt = tx.prepare("SELECT id, name FROM organisations")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        let mut by_name = HashMap::new();
        for row in rows {
            let (id, name) = row?;
            by_name.entry(fold(&name)).or_insert(id);
        }
        Ok(Organisations { by_name })
    }

    /// The organisation's id and whether it was created now.
    fn find_or_create(
        &mut self,
        tx: &Transaction<'_>,
        r: &PersonRecord,
    ) -> CoreResult<Option<(i64, bool)>> {
        if r.organisation.is_empty() {
            return Ok(None);
        }
        let key = fold(&r.organisation);
        if let Some(id) = self.by_name.get(&key) {
            return Ok(Some((*id, false)));
        }
        let created = people::create_organisation(
            tx,
            &OrganisationInput {
                name: r.organisation.clone(),
                kind: guess_kind(&r.organisation),
                ort: r.ort.clone(),
                kreis: r.kreis.clone(),
                partner_towns: Vec::new(),
                ags: None,
            },
        )?;
        self.by_name.insert(key, created.id);
        Ok(Some((created.id, true)))
    }
}

/// The kind of a new organisation from its name ("Stadt Hürth" → Kommune).
fn guess_kind(name: &str) -> OrgKind {
    let folded = fold(name);
    let has = |words: &[&str]| words.iter().any(|w| folded.contains(w));
    if has(&["kreis "])
        || folded.starts_with("kreis")
        || folded.starts_with("rhein-") && folded.contains("kreis")
    {
        OrgKind::Kreis
    } else if has(&["stadt", "gemeinde", "kommune"]) {
        OrgKind::Kommune
    } else if has(&[
        "verein",
        "komitee",
        "e.v",
        "freundeskreis",
        "partnerschaftsverein",
    ]) {
        OrgKind::Verein
    } else if has(&["ministerium", "landesregierung", "staatskanzlei"]) {
        OrgKind::Land
    } else if has(&["stiftung", "verband"]) {
        OrgKind::Stiftung
    } else if has(&[
        "schule",
        "gymnasium",
        "universitat",
        "hochschule",
        "volkshochschule",
        "vhs",
    ]) {
        OrgKind::Bildung
    } else {
        OrgKind::Sonstige
    }
}

/// Imports contacts or registrations.
pub(super) fn run(
    tx: &Transaction<'_>,
    run_id: i64,
    file: &SourceFile,
    prepared: &Prepared,
    request: &ImportRequest,
    report: &mut ImportReport,
    progress: Progress<'_>,
) -> CoreResult<()> {
    let target = prepared.importer.target();
    let event = match (target, request.event_id) {
        (ImportTarget::Registrations, Some(id)) => Some(crate::events::get(tx, id)?),
        (ImportTarget::Registrations, None) => {
            return Err(CoreError::invalid(
                "event_id",
                "Bitte wählen Sie die Veranstaltung, für die die Anmeldungen importiert werden.",
            ));
        }
        _ => None,
    };
    let event_id = event.as_ref().map(|e| e.id);
    let check_mapping = check_mapping(&prepared.mapping, file);
    if let Some(message) = check_mapping {
        return Err(message);
    }
    // 1. Read every row.
    let mut records = Vec::new();
    for row in &file.rows[prepared.header + 1..] {
        if row.is_blank() {
            report.skipped_empty += 1;
            continue;
        }
        let record = records.len() + 1;
        records.push(read_record(
            &prepared.mapping,
            row,
            record,
            target,
            event_id,
        ));
    }
    report.records = records.len();
    // 2. The same person twice in one file: the later submission wins.
    let superseded = find_superseded(&records);
    let sessions = match event_id {
        Some(id) => sessions::list_sessions(tx, id)?,
        None => Vec::new(),
    };
    if sessions.is_empty() && records.iter().any(|r| !r.workshops.is_empty()) {
        report.warnings.push(RowIssue {
            record: 0,
            line: file.rows[prepared.header].line,
            field: Some(Field::Workshops),
            message: "Die Veranstaltung hat keine Workshops; die gewählten Workshops werden \
                      nicht gebucht."
                .into(),
        });
    }
    let mut names = NameIndex::load(tx)?;
    let mut organisations = Organisations::load(tx)?;
    let total = records.len();
    for (done, mut r) in records.into_iter().enumerate() {
        if done.is_multiple_of(100) {
            progress(done, total);
        }
        let mut outcome = RowOutcome {
            record: r.record,
            line: r.line,
            state: RowState::Error,
            name: r.display_name(),
            email: r.email.clone(),
            person_id: None,
            candidate_person_id: None,
            status: None,
            reasons: Vec::new(),
            consents: r.consents.clone(),
            organisation: r.organisation.clone(),
            ort: r.ort.clone(),
        };
        if let Some(later) = superseded.get(&r.record) {
            outcome.state = RowState::Skipped;
            outcome.reasons.push(format!(
                "Erneut eingereicht: Datensatz {later} derselben Person wird übernommen."
            ));
        } else if !r.errors.is_empty() {
            outcome.reasons = r.errors.iter().map(|e| e.message.clone()).collect();
        } else if let Some(when) = history::already_imported(tx, &r.fingerprint)? {
            outcome.state = RowState::Skipped;
            outcome
                .reasons
                .push(format!("Bereits importiert ({when})."));
        } else {
            let workshop_ids = match_workshops(&mut r, &sessions);
            tx.execute_batch("SAVEPOINT import_row")?;
            match apply_row(
                tx,
                run_id,
                &mut r,
                event_id,
                &workshop_ids,
                request,
                &mut names,
                &mut organisations,
                &mut outcome,
                report,
            ) {
                Ok(()) => tx.execute_batch("RELEASE import_row")?,
                Err(CoreError::Database(e)) => return Err(CoreError::Database(e)),
                Err(e) => {
                    tx.execute_batch("ROLLBACK TO import_row; RELEASE import_row")?;
                    outcome.state = RowState::Error;
                    outcome.person_id = None;
                    outcome.reasons = vec![e.to_string()];
                    r.error(None, e.to_string());
                }
            }
        }
        if outcome.state == RowState::Skipped {
            report.skipped += 1;
        }
        report.errors.append(&mut r.errors);
        report.warnings.append(&mut r.warnings);
        report.rows.push(outcome);
    }
    progress(total, total);
    if let Some(id) = event_id {
        // Places freed while rows were rolled back go to the waiting list, as at the desk.
        registrations::fill_from_waitlist(tx, id, "Platz frei geworden")?;
    }
    Ok(())
}

/// A mapping without any name column or with nothing mapped cannot import anything.
fn check_mapping(mapping: &ColumnMapping, file: &SourceFile) -> Option<CoreError> {
    let has = |f: Field| mapping.column(f).is_some();
    if !(has(Field::FullName) || (has(Field::FirstName) && has(Field::LastName))) {
        return Some(CoreError::InvalidFile {
            file: file.file_name.clone(),
            message: "Keiner Spalte ist der Name zugeordnet (Vorname und Nachname, oder Name)."
                .into(),
        });
    }
    None
}

/// Records superseded by a later row of the same person → the later record's number.
fn find_superseded(records: &[PersonRecord]) -> HashMap<usize, usize> {
    let mut latest: HashMap<String, &PersonRecord> = HashMap::new();
    for r in records.iter().filter(|r| r.errors.is_empty()) {
        let key = r.identity_key();
        let newer = match latest.get(&key) {
            None => true,
            Some(seen) => match (seen.submitted_at, r.submitted_at) {
                (Some(a), Some(b)) => b >= a,
                _ => true,
            },
        };
        if newer {
            latest.insert(key, r);
        }
    }
    records
        .iter()
        .filter(|r| r.errors.is_empty())
        .filter_map(|r| {
            let winner = latest.get(&r.identity_key())?;
            (winner.record != r.record).then_some((r.record, winner.record))
        })
        .collect()
}

fn match_workshops(r: &mut PersonRecord, sessions: &[sessions::Session]) -> Vec<i64> {
    let mut ids = Vec::new();
    if sessions.is_empty() {
        return ids;
    }
    for wanted in r.workshops.clone() {
        let key = fold(&wanted);
        let found = sessions.iter().find(|s| {
            let name = fold(&s.name);
            name == key || (key.len() >= 4 && (name.contains(&key) || key.contains(&name)))
        });
        match found {
            Some(s) if !ids.contains(&s.id) => ids.push(s.id),
            Some(_) => {}
            None => r.warn(
                Some(Field::Workshops),
                format!("Den Workshop „{wanted}“ gibt es bei dieser Veranstaltung nicht; er wird nicht gebucht."),
            ),
        }
    }
    ids
}

#[allow(clippy::too_many_arguments)]
fn apply_row(
    tx: &Transaction<'_>,
    run_id: i64,
    r: &mut PersonRecord,
    event_id: Option<i64>,
    workshop_ids: &[i64],
    request: &ImportRequest,
    names: &mut NameIndex,
    organisations: &mut Organisations,
    outcome: &mut RowOutcome,
    report: &mut ImportReport,
) -> CoreResult<()> {
    let mut log = history::RowLog {
        record: r.record,
        line: r.line,
        fingerprint: r.fingerprint.clone(),
        consents: r.consents.clone(),
        ..history::RowLog::default()
    };
    // Contacts keep remarks as notes; registrations as the registration's comment.
    let notes = if event_id.is_none() {
        r.remarks.clone()
    } else {
        String::new()
    };
    let notes = notes.as_str();
    // Who is it?
    let by_email = if r.email.is_empty() {
        None
    } else {
        person_by_email(tx, &r.email)?
    };
    let decision = request.decisions.iter().find(|d| d.record == r.record);
    let (person, created) = match by_email {
        Some(person) => {
            outcome.state = RowState::Known;
            (person, false)
        }
        None => {
            let candidate = names.find(&r.name, &r.ort);
            match (candidate, decision) {
                (Some(_), Some(d)) if d.same_person_id.is_some() => {
                    let id = d.same_person_id.unwrap_or_default();
                    outcome.state = RowState::Known;
                    outcome
                        .reasons
                        .push("Als dieselbe Person bestätigt.".into());
                    (people::get_person(tx, id)?, false)
                }
                (Some(candidate), decided) => {
                    outcome.candidate_person_id = Some(candidate);
                    if decided.is_some() {
                        outcome.state = RowState::New;
                        outcome.reasons.push("Als andere Person bestätigt.".into());
                    } else {
                        outcome.state = RowState::Review;
                        let reason = format!(
                            "Gleicher Name und Ort wie Person Nr. {candidate}, aber eine andere \
                             E-Mail-Adresse – als eigene Person angelegt, bitte prüfen."
                        );
                        outcome.reasons.push(reason.clone());
                        report.review.push(ReviewCase {
                            record: r.record,
                            line: r.line,
                            reason,
                            candidate_person_id: candidate,
                        });
                    }
                    let note = if decided.is_some() {
                        notes.to_owned()
                    } else {
                        // Visible in the contact, until the office decides.
                        [
                            notes,
                            &format!("Mögliche Dublette von Person Nr. {candidate} (Import)."),
                        ]
                        .iter()
                        .filter(|n| !n.is_empty())
                        .copied()
                        .collect::<Vec<_>>()
                        .join("\n")
                    };
                    (create(tx, r, &note, organisations, &mut log)?, true)
                }
                (None, _) => {
                    outcome.state = RowState::New;
                    (create(tx, r, notes, organisations, &mut log)?, true)
                }
            }
        }
    };
    if created {
        names.add(person.id, &r.name, &r.ort);
        report.new_persons += 1;
    } else {
        report.matched_persons += 1;
        fill_empty_fields(tx, r, notes, &person, organisations, &mut log, outcome)?;
    }
    log.person_id = Some(person.id);
    log.person_created = created;
    outcome.person_id = Some(person.id);
    // Register.
    if let Some(event_id) = event_id {
        if let Some(status) = existing_status(tx, event_id, person.id)? {
            outcome.state = RowState::Skipped;
            outcome.reasons.push(format!(
                "Bereits für diese Veranstaltung erfasst (Status: {}).",
                status.label()
            ));
            outcome.status = Some(status);
            // Nothing to register, but the fingerprint is kept: the same row is skipped next
            // time without a second look-up. Filled person fields stay.
            return history::log_row(tx, run_id, &log);
        }
        let mut input = RegisterInput {
            role: Role::Teilnehmer,
            source: Source::Import,
            comment: r.remarks.clone(),
            session_ids: workshop_ids.to_vec(),
            wishes: r.wishes.clone(),
            ..RegisterInput::existing(event_id, person.id)
        };
        tx.execute_batch("SAVEPOINT import_sessions")?;
        let outcome_reg = match crate::wishes::register(tx, &input) {
            Ok(o) => {
                tx.execute_batch("RELEASE import_sessions")?;
                o
            }
            Err(e) if !input.session_ids.is_empty() && !matches!(e, CoreError::Database(_)) => {
                tx.execute_batch("ROLLBACK TO import_sessions; RELEASE import_sessions")?;
                r.warn(
                    Some(Field::Workshops),
                    format!("Workshops nicht gebucht: {e}"),
                );
                input.session_ids.clear();
                crate::wishes::register(tx, &input)?
            }
            Err(e) => {
                tx.execute_batch("ROLLBACK TO import_sessions; RELEASE import_sessions")?;
                return Err(e);
            }
        };
        for warning in &outcome_reg.warnings {
            if warning.contains("Warteliste") {
                outcome.reasons.push(warning.clone());
            }
        }
        outcome.status = Some(outcome_reg.registration.status);
        log.registration_id = Some(outcome_reg.registration.registration_id);
        log.registration_created = true;
    }
    report.imported += 1;
    history::log_row(tx, run_id, &log)
}

fn person_by_email(tx: &Transaction<'_>, email: &str) -> CoreResult<Option<Person>> {
    let id: Option<i64> = tx
        .prepare_cached(
            "SELECT id FROM persons WHERE email_key = lower(trim(?1)) AND email_key <> ''
             ORDER BY updated_at DESC, id DESC LIMIT 1",
        )?
        .query_row([email], |r| r.get(0))
        .optional()?;
    id.map(|id| people::get_person(tx, id)).transpose()
}

fn existing_status(
    tx: &Transaction<'_>,
    event_id: i64,
    person_id: i64,
) -> CoreResult<Option<registrations::RegistrationStatus>> {
    Ok(tx
        .prepare_cached("SELECT status FROM registrations WHERE event_id = ?1 AND person_id = ?2")?
        .query_row(params![event_id, person_id], |r| r.get(0))
        .optional()?)
}

fn create(
    tx: &Transaction<'_>,
    r: &PersonRecord,
    notes: &str,
    organisations: &mut Organisations,
    log: &mut history::RowLog,
) -> CoreResult<Person> {
    let organisation_id = match organisations.find_or_create(tx, r)? {
        Some((id, created)) => {
            if created {
                log.organisation_id = Some(id);
            }
            Some(id)
        }
        None => None,
    };
    people::create_person(
        tx,
        &PersonInput {
            salutation: r.name.salutation.clone(),
            title: r.name.title.clone(),
            first_name: r.name.first_name.clone(),
            last_name: r.name.last_name.clone(),
            function: r.function.clone(),
            organisation_id,
            ort: r.ort.clone(),
            email: r.email.clone(),
            phone: r.phone.clone(),
            notes: notes.to_owned(),
        },
    )
}

/// Fills the known person's empty fields from the row; never overwrites a stored value.
fn fill_empty_fields(
    tx: &Transaction<'_>,
    r: &mut PersonRecord,
    notes: &str,
    person: &Person,
    organisations: &mut Organisations,
    log: &mut history::RowLog,
    outcome: &mut RowOutcome,
) -> CoreResult<()> {
    let mut input = PersonInput {
        salutation: person.salutation.clone(),
        title: person.title.clone(),
        first_name: person.first_name.clone(),
        last_name: person.last_name.clone(),
        function: person.function.clone(),
        organisation_id: person.organisation_id,
        ort: person.ort.clone(),
        email: person.email.clone(),
        phone: person.phone.clone(),
        notes: person.notes.clone(),
    };
    let mut filled = Vec::new();
    let mut fill = |label: &str, key: &str, stored: &mut String, value: &str| {
        if stored.trim().is_empty() && !value.trim().is_empty() && !values::lost_letter(value) {
            log.previous
                .insert(key.to_owned(), serde_json::Value::String(stored.clone()));
            *stored = value.trim().to_owned();
            filled.push(label.to_owned());
        }
    };
    fill(
        "Anrede",
        "salutation",
        &mut input.salutation,
        &r.name.salutation,
    );
    fill("Titel", "title", &mut input.title, &r.name.title);
    fill("Funktion", "function", &mut input.function, &r.function);
    fill("Ort", "ort", &mut input.ort, &r.ort);
    fill("E-Mail", "email", &mut input.email, &r.email);
    fill("Telefon", "phone", &mut input.phone, &r.phone);
    fill("Notizen", "notes", &mut input.notes, notes);
    if input.organisation_id.is_none()
        && let Some((id, created)) = organisations.find_or_create(tx, r)?
    {
        if created {
            log.organisation_id = Some(id);
        }
        log.previous
            .insert("organisation_id".into(), serde_json::Value::Null);
        input.organisation_id = Some(id);
        filled.push("Organisation".into());
    }
    let differs = fold(&r.name.first_name) != fold(&person.first_name)
        || fold(&r.name.last_name) != fold(&person.last_name);
    if differs && !r.name.last_name.is_empty() {
        let shown = r.display_name();
        r.warn(
            Some(Field::LastName),
            format!(
                "Die Datei schreibt „{shown}“, gespeichert ist „{}“ – die gespeicherte \
                 Schreibweise bleibt.",
                person.display_name()
            ),
        );
    }
    if !filled.is_empty() {
        people::update_person(tx, person.id, &input)?;
        outcome
            .reasons
            .push(format!("Ergänzt: {}.", filled.join(", ")));
    }
    Ok(())
}
