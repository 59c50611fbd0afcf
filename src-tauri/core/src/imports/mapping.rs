//! Column mapping: which column of a file holds which field.
//!
//! Headers are matched by German and English synonyms, ignoring case, spaces, punctuation and
//! diacritics ("E-Mail-Adresse", "your-email", "User Email"); long questions are matched by key
//! words ("Ich willige in die Datenschutzerklärung ein" → Datenschutz). The header row is the
//! row among the first 60 that maps the most columns, so a summary block above the table is
//! skipped. When two columns could be the e-mail, the one whose cells are e-mail addresses wins.
//! A mapping can be saved under a name and is offered again for the same header row.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::read::{SourceFile, SourceRow};
use crate::error::{CoreError, CoreResult, is_plausible_email};
use crate::store::{fold, new_uid, now_utc, text_enum};

text_enum! {
    /// What an import creates: contacts, registrations for an event, or online attendance.
    pub enum ImportTarget {
        /// Persons with their organisations.
        Contacts = "contacts" => "Kontakte",
        /// Registrations for an event.
        Registrations = "registrations" => "Anmeldungen",
        /// Online attendance from participant reports.
        Attendance = "attendance" => "Online-Anwesenheit (Zoom, Teams)",
    }
}

text_enum! {
    /// A field a column can be mapped to.
    pub enum Field {
        /// Anrede.
        Salutation = "salutation" => "Anrede",
        /// Academic title.
        Title = "title" => "Titel",
        /// First name.
        FirstName = "first_name" => "Vorname",
        /// Last name.
        LastName = "last_name" => "Nachname",
        /// Title, first and last name in one column.
        FullName = "full_name" => "Name (vollständig)",
        /// E-mail address.
        Email = "email" => "E-Mail",
        /// Organisation / Kommune / Verein.
        Organisation = "organisation" => "Organisation",
        /// Ort.
        Ort = "ort" => "Ort",
        /// Kreis.
        Kreis = "kreis" => "Kreis",
        /// Phone.
        Phone = "phone" => "Telefon",
        /// Function.
        Function = "function" => "Funktion",
        /// Remarks (contacts: notes; registrations: comment).
        Remarks = "remarks" => "Bemerkungen",
        /// Datenschutz consent.
        ConsentPrivacy = "consent_privacy" => "Einwilligung Datenschutz",
        /// Consent to photos.
        ConsentPhoto = "consent_photo" => "Einwilligung Fotos",
        /// Consent to appear on the participant list.
        ConsentList = "consent_list" => "Einwilligung Teilnehmendenliste",
        /// "Ihre Wünsche für den heutigen Austausch".
        Wishes = "wishes" => "Wünsche",
        /// Chosen workshops.
        Workshops = "workshops" => "Workshops",
        /// When the form was sent.
        SubmittedAt = "submitted_at" => "Eingangsdatum",
        /// Name shown in the video conference.
        DisplayName = "display_name" => "Anzeigename",
        /// Join time.
        JoinTime = "join_time" => "Beitritt",
        /// Leave time.
        LeaveTime = "leave_time" => "Verlassen",
        /// Duration column (informative only).
        Duration = "duration" => "Dauer",
        /// In the waiting room.
        WaitingRoom = "waiting_room" => "Warteraum",
        /// Role in the meeting (Organizer, Presenter, Attendee).
        MeetingRole = "meeting_role" => "Rolle",
    }
}

impl Field {
    /// The fields a target can map, in the order the wizard offers them.
    pub fn for_target(target: ImportTarget) -> &'static [Field] {
        use Field::*;
        match target {
            ImportTarget::Contacts => &[
                Salutation,
                Title,
                FirstName,
                LastName,
                FullName,
                Email,
                Organisation,
                Ort,
                Kreis,
                Phone,
                Function,
                Remarks,
                ConsentPrivacy,
                ConsentPhoto,
                ConsentList,
            ],
            ImportTarget::Registrations => &[
                Salutation,
                Title,
                FirstName,
                LastName,
                FullName,
                Email,
                Organisation,
                Ort,
                Kreis,
                Phone,
                Function,
                Remarks,
                ConsentPrivacy,
                ConsentPhoto,
                ConsentList,
                Wishes,
                Workshops,
                SubmittedAt,
            ],
            ImportTarget::Attendance => &[
                DisplayName,
                Email,
                JoinTime,
                LeaveTime,
                Duration,
                WaitingRoom,
                MeetingRole,
            ],
        }
    }
}

/// A header as compared: folded, letters and digits only ("E-Mail-Adresse" → "emailadresse").
pub fn header_key(header: &str) -> String {
    fold(header)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Exact synonyms (as [`header_key`]s) per field.
fn exact_synonyms(field: Field) -> &'static [&'static str] {
    use Field::*;
    match field {
        Salutation => &["anrede", "salutation", "prefix", "geschlecht", "anredeform"],
        Title => &[
            "titel",
            "akademischertitel",
            "title",
            "academictitle",
            "akadtitel",
        ],
        FirstName => &[
            "vorname",
            "vornamen",
            "firstname",
            "givenname",
            "yourfirstname",
            "namefirst",
            "forename",
            "namevorname",
            "vornamefirstname",
        ],
        LastName => &[
            "nachname",
            "lastname",
            "surname",
            "familyname",
            "familienname",
            "namelast",
            "yourlastname",
            "namenachname",
            "nachnamelastname",
        ],
        FullName => &[
            "name",
            "vollername",
            "vollstandigername",
            "fullname",
            "yourname",
            "vorundnachname",
            "vornameundnachname",
            "nameundvorname",
            "nachnamevorname",
            "teilnehmer",
            "teilnehmerin",
            "teilnehmername",
            "ihrname",
            "attendeename",
            "teilnehmendername",
            "namedesteilnehmers",
            "nameteilnehmerin",
            "nameteilnehmer",
            "vorundzuname",
            "yourfullname",
            "kontaktperson",
            "ansprechpartner",
            "ansprechpartnerin",
        ],
        Email => &[
            "email",
            "emailadresse",
            "mail",
            "youremail",
            "emailaddress",
            "mailadresse",
            "ihreemailadresse",
            "ihreemail",
            "emailadressedesbenutzers",
            "useremail",
            "benutzeremail",
            "emailaddressoftheuser",
            "emailadressedesteilnehmers",
            "attendeeemail",
            "emaildesbenutzers",
            "emailaddresses",
        ],
        Organisation => &[
            "organisation",
            "organization",
            "institution",
            "verein",
            "firma",
            "company",
            "einrichtung",
            "organisationinstitution",
            "organisationkommune",
            "yourorganisation",
            "yourorganization",
            "kommuneorganisation",
            "institutionorganisation",
            "verband",
            "kommuneverein",
            "organisationverein",
            "arbeitgeber",
        ],
        Ort => &[
            "ort",
            "stadt",
            "city",
            "town",
            "wohnort",
            "gemeinde",
            "stadtgemeinde",
            "ortkommune",
            "stadtkommune",
            "kommuneort",
            "sitz",
            "location",
        ],
        Kreis => &["kreis", "landkreis", "district", "county", "kreisregion"],
        Phone => &[
            "telefon",
            "telefonnummer",
            "phone",
            "tel",
            "mobil",
            "handy",
            "phonenumber",
            "telefonmobil",
            "yourphone",
            "rufnummer",
        ],
        Function => &[
            "funktion",
            "position",
            "jobtitle",
            "amt",
            "funktionposition",
            "funktionamt",
            "ihrefunktion",
            "dienstbezeichnung",
        ],
        Remarks => &[
            "bemerkungen",
            "bemerkung",
            "anmerkungen",
            "anmerkung",
            "kommentar",
            "comment",
            "comments",
            "notes",
            "notizen",
            "hinweise",
            "message",
            "nachricht",
            "yourmessage",
            "sonstiges",
            "mitteilung",
        ],
        SubmittedAt => &[
            "zeitstempel",
            "timestamp",
            "datum",
            "date",
            "eingangsdatum",
            "submitted",
            "submissiondate",
            "entrydate",
            "erstelltam",
            "fertigstellungszeit",
            "completiontime",
            "datetime",
            "anmeldedatum",
            "dateadded",
            "created",
            "eingegangen",
            "submittedat",
        ],
        Workshops => &[
            "workshop",
            "workshops",
            "arbeitsgruppe",
            "arbeitsgruppen",
            "sessions",
            "session",
            "themengruppe",
            "themengruppen",
            "workshopwahl",
            "workshopauswahl",
        ],
        DisplayName => &[
            "name",
            "nameoriginalname",
            "nameursprunglichername",
            "fullname",
            "vollstandigername",
            "displayname",
            "anzeigename",
            "teilnehmer",
            "teilnehmername",
            "participant",
            "participantname",
            "nameoriginalername",
        ],
        JoinTime => &[
            "jointime",
            "beitrittszeit",
            "firstjoin",
            "ersterbeitritt",
            "beitritt",
            "join",
            "zeitdesbeitritts",
            "joined",
            "jointimestamp",
            "beigetreten",
            "teilnahmebeginn",
            "zeitpunktdesbeitritts",
            "start",
            "beginn",
        ],
        LeaveTime => &[
            "leavetime",
            "austrittszeit",
            "lastleave",
            "letztesverlassen",
            "zeitpunktdesverlassens",
            "verlassen",
            "leave",
            "left",
            "zeitdesverlassens",
            "verlassenum",
            "teilnahmeende",
            "letzteraustritt",
            "ende",
            "end",
        ],
        Duration => &[
            "durationminutes",
            "dauerminuten",
            "duration",
            "dauer",
            "inmeetingduration",
            "besprechungsdauer",
            "dauerinderbesprechung",
            "dauerderbesprechung",
            "teilnahmedauer",
        ],
        WaitingRoom => &["inwaitingroom", "imwarteraum", "warteraum", "waitingroom"],
        MeetingRole => &["role", "rolle", "teilnehmerrolle", "participantrole"],
        ConsentPrivacy | ConsentPhoto | ConsentList | Wishes => &[],
    }
}

/// Key words for long headers (questions) per field, checked after the exact synonyms.
fn keywords(field: Field) -> &'static [&'static str] {
    use Field::*;
    match field {
        ConsentPrivacy => &["datenschutz", "privacy", "dsgvo", "datenverarbeitung"],
        ConsentPhoto => &["foto", "photo", "bildaufnahmen", "filmaufnahmen"],
        ConsentList => &[
            "teilnehmerliste",
            "teilnehmendenliste",
            "participantlist",
            "teilnehmerinnenliste",
        ],
        Wishes => &["wunsch", "wunsche", "wishes"],
        Workshops => &["workshop", "arbeitsgruppe"],
        Email => &["emailadresse", "email"],
        JoinTime => &[
            "beitritt",
            "jointime",
            "beigetreten",
            "firstjoin",
            "ersteteilnahme",
        ],
        LeaveTime => &[
            "verlassen",
            "leavetime",
            "austritt",
            "lastleave",
            "lefttime",
        ],
        Duration => &["dauer", "duration"],
        WaitingRoom => &["warteraum", "waitingroom"],
        _ => &[],
    }
}

/// The field a header suggests for a target (before the row as a whole is considered).
pub fn field_for_header(target: ImportTarget, header: &str) -> Option<Field> {
    let key = header_key(header);
    if key.is_empty() {
        return None;
    }
    let fields = Field::for_target(target);
    if let Some(f) = fields
        .iter()
        .find(|f| exact_synonyms(**f).contains(&key.as_str()))
    {
        return Some(*f);
    }
    if key == "kommune" {
        return Some(Field::Organisation);
    }
    // Questions: consents and wishes first, so "… E-Mail-Adresse auf der Teilnehmendenliste …"
    // is a consent, not the e-mail.
    use Field::*;
    [
        ConsentPrivacy,
        ConsentPhoto,
        ConsentList,
        Wishes,
        Workshops,
        JoinTime,
        LeaveTime,
        WaitingRoom,
        Duration,
        Email,
    ]
    .into_iter()
    .filter(|f| fields.contains(f))
    .find(|f| keywords(*f).iter().any(|k| key.contains(k)))
}

/// The chosen field of every column (by position), as the wizard shows and edits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ColumnMapping {
    /// Header text per column.
    pub headers: Vec<String>,
    /// Field per column (`None`: ignored).
    pub fields: Vec<Option<Field>>,
}

impl ColumnMapping {
    /// The column of `field`, if mapped.
    pub fn column(&self, field: Field) -> Option<usize> {
        self.fields.iter().position(|f| *f == Some(field))
    }

    /// The header row as one comparable key (saved mappings are offered for it again).
    pub fn header_row_key(&self) -> String {
        header_row_key(&self.headers)
    }
}

/// The header row as one comparable key.
pub fn header_row_key(headers: &[String]) -> String {
    headers
        .iter()
        .map(|h| header_key(h))
        .collect::<Vec<_>>()
        .join("|")
}

/// Finds the header row: the row among the first 60 that maps the most columns (at least
/// two); the earliest wins a tie. Returns its index in `file.rows`.
pub fn find_header(file: &SourceFile, target: ImportTarget) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (index, row) in file.rows.iter().enumerate().take(60) {
        let mapped = propose_for_row(target, row, &[])
            .fields
            .iter()
            .flatten()
            .count();
        if mapped >= 2 && best.is_none_or(|(_, n)| mapped > n) {
            best = Some((index, mapped));
        }
    }
    best.map(|(i, _)| i)
}

/// Proposes the mapping of a header row; `data` (rows below the header) decides which of
/// several e-mail candidates holds e-mail addresses.
pub fn propose_for_row(
    target: ImportTarget,
    header: &SourceRow,
    data: &[SourceRow],
) -> ColumnMapping {
    let headers: Vec<String> = header.cells.iter().map(|c| c.trim().to_owned()).collect();
    let mut fields: Vec<Option<Field>> = headers
        .iter()
        .map(|h| field_for_header(target, h))
        .collect();
    // "Name" next to a "Vorname" column is the last name.
    if fields.contains(&Some(Field::FirstName)) {
        for f in fields.iter_mut().filter(|f| **f == Some(Field::FullName)) {
            *f = if fields_contains_last(&headers) {
                None
            } else {
                Some(Field::LastName)
            };
        }
    }
    // "Kommune" is the Ort when an organisation column exists and no Ort column.
    let kommune: Vec<usize> = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| header_key(h) == "kommune")
        .map(|(i, _)| i)
        .collect();
    for i in kommune {
        let other_org = fields
            .iter()
            .enumerate()
            .any(|(j, f)| j != i && *f == Some(Field::Organisation));
        if other_org && !fields.contains(&Some(Field::Ort)) {
            fields[i] = Some(Field::Ort);
        }
    }
    decide_email(&mut fields, data);
    decide_full_name(&mut fields, data);
    // Every other field at most once: the first column keeps it.
    let mut seen = Vec::new();
    for f in fields.iter_mut() {
        if let Some(field) = *f {
            if seen.contains(&field) && field != Field::Wishes && field != Field::Workshops {
                *f = None;
            } else {
                seen.push(field);
            }
        }
    }
    ColumnMapping { headers, fields }
}

fn fields_contains_last(headers: &[String]) -> bool {
    headers
        .iter()
        .any(|h| exact_synonyms(Field::LastName).contains(&header_key(h).as_str()))
}

/// Several "Name" columns (Microsoft Forms' account name next to the name question): the one
/// whose cells split best into first and last name wins.
fn decide_full_name(fields: &mut [Option<Field>], data: &[SourceRow]) {
    let candidates: Vec<usize> = fields
        .iter()
        .enumerate()
        .filter(|(_, f)| **f == Some(Field::FullName))
        .map(|(i, _)| i)
        .collect();
    if candidates.len() < 2 || data.is_empty() {
        return;
    }
    let share = |column: usize| {
        data.iter()
            .filter(|r| super::values::split_name(r.cell(column)).is_some())
            .count()
    };
    let best = candidates
        .iter()
        .copied()
        .max_by(|a, b| share(*a).cmp(&share(*b)).then(b.cmp(a)))
        .unwrap_or(candidates[0]);
    for i in candidates {
        if i != best {
            fields[i] = None;
        }
    }
}

/// Share of non-empty cells in `column` that are plausible e-mail addresses.
fn email_share(data: &[SourceRow], column: usize) -> f64 {
    let values: Vec<&str> = data
        .iter()
        .map(|r| r.cell(column))
        .filter(|v| !v.is_empty())
        .collect();
    if values.is_empty() {
        return 0.0;
    }
    values.iter().filter(|v| is_plausible_email(v)).count() as f64 / values.len() as f64
}

/// Several e-mail candidates: the one with the most e-mail addresses in its cells wins (Microsoft
/// Forms' "E-Mail" is the respondent account, often `anonymous`). No candidate: a column whose
/// cells are mostly e-mail addresses.
fn decide_email(fields: &mut [Option<Field>], data: &[SourceRow]) {
    let candidates: Vec<usize> = fields
        .iter()
        .enumerate()
        .filter(|(_, f)| **f == Some(Field::Email))
        .map(|(i, _)| i)
        .collect();
    if candidates.len() > 1 {
        let best = candidates
            .iter()
            .copied()
            .max_by(|a, b| {
                email_share(data, *a)
                    .total_cmp(&email_share(data, *b))
                    .then(b.cmp(a))
            })
            .unwrap_or(candidates[0]);
        for i in candidates {
            if i != best {
                fields[i] = None;
            }
        }
    } else if candidates.is_empty() && !data.is_empty() {
        let found = (0..fields.len())
            .filter(|i| fields[*i].is_none())
            .find(|i| email_share(data, *i) >= 0.8);
        if let Some(i) = found {
            fields[i] = Some(Field::Email);
        }
    }
}

/// A saved mapping, offered again when the same header row appears.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SavedMapping {
    /// Name ("Anmeldeformular Website").
    pub name: String,
    /// What it imports.
    pub target: ImportTarget,
    /// Field per header ([`header_key`] → field).
    pub fields: HashMap<String, Field>,
    /// Key of the header row it was saved for.
    pub header_row: String,
}

impl SavedMapping {
    /// Applies the saved choice to a header row (headers it does not know stay ignored).
    pub fn apply(&self, headers: &[String]) -> ColumnMapping {
        ColumnMapping {
            headers: headers.to_vec(),
            fields: headers
                .iter()
                .map(|h| self.fields.get(&header_key(h)).copied())
                .collect(),
        }
    }
}

/// Saves (or replaces) a named mapping for its header row.
pub fn save_mapping(
    tx: &Transaction<'_>,
    target: ImportTarget,
    name: &str,
    mapping: &ColumnMapping,
) -> CoreResult<SavedMapping> {
    let name = name.trim();
    if name.is_empty() {
        return Err(CoreError::invalid(
            "name",
            "Bitte geben Sie der Zuordnung einen Namen.",
        ));
    }
    let fields: HashMap<String, Field> = mapping
        .headers
        .iter()
        .zip(&mapping.fields)
        .filter_map(|(h, f)| f.map(|f| (header_key(h), f)))
        .filter(|(k, _)| !k.is_empty())
        .collect();
    let json = serde_json::to_string(&fields).map_err(|e| CoreError::Conflict(e.to_string()))?;
    let now = now_utc();
    tx.execute(
        "INSERT INTO import_mappings (uid, target, name, header_row, fields, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
         ON CONFLICT (target, name) DO UPDATE SET header_row = excluded.header_row,
             fields = excluded.fields, updated_at = excluded.updated_at",
        params![new_uid(), target, name, mapping.header_row_key(), json, now],
    )?;
    get_mapping(tx, target, name)
}

/// The saved mapping `name` of a target; a German error when there is none.
pub fn get_mapping(
    conn: &Connection,
    target: ImportTarget,
    name: &str,
) -> CoreResult<SavedMapping> {
    conn.query_row(
        "SELECT name, target, fields, header_row FROM import_mappings
         WHERE target = ?1 AND name = ?2",
        params![target, name.trim()],
        mapping_from_row,
    )
    .optional()?
    .ok_or_else(|| {
        CoreError::invalid(
            "mapping",
            format!("Es gibt keine gespeicherte Zuordnung „{}“.", name.trim()),
        )
    })
}

/// Saved mappings of a target for exactly this header row, newest first.
pub fn mappings_for_header(
    conn: &Connection,
    target: ImportTarget,
    headers: &[String],
) -> CoreResult<Vec<SavedMapping>> {
    let mut stmt = conn.prepare(
        "SELECT name, target, fields, header_row FROM import_mappings
         WHERE target = ?1 AND header_row = ?2 ORDER BY updated_at DESC, id DESC",
    )?;
    let rows = stmt.query_map(params![target, header_row_key(headers)], mapping_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn mapping_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SavedMapping> {
    let json: String = r.get(2)?;
    Ok(SavedMapping {
        name: r.get(0)?,
        target: r.get(1)?,
        fields: serde_json::from_str(&json).unwrap_or_default(),
        header_row: r.get(3)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> SourceRow {
        SourceRow {
            line: 1,
            cells: cells.iter().map(|c| (*c).to_owned()).collect(),
        }
    }

    #[test]
    fn german_and_english_headers_map_to_fields() {
        let header = row(&[
            "Vorname",
            "Last name",
            "E-Mail-Adresse",
            "Organisation/Institution",
            "Stadt",
            "Telefon",
            "Ich willige in die Verarbeitung gemäß Datenschutzerklärung ein *",
            "Ihre Wünsche für den heutigen Austausch",
            "Zeitstempel",
            "Bemerkungen",
        ]);
        let m = propose_for_row(ImportTarget::Registrations, &header, &[]);
        use Field::*;
        assert_eq!(
            m.fields,
            [
                Some(FirstName),
                Some(LastName),
                Some(Email),
                Some(Organisation),
                Some(Ort),
                Some(Phone),
                Some(ConsentPrivacy),
                Some(Wishes),
                Some(SubmittedAt),
                Some(Remarks)
            ]
        );
        let m = propose_for_row(
            ImportTarget::Registrations,
            &row(&["Name", "your-email", "Kommune"]),
            &[],
        );
        assert_eq!(m.fields, [Some(FullName), Some(Email), Some(Organisation)]);
        let m = propose_for_row(
            ImportTarget::Registrations,
            &row(&["Vorname", "Name", "Verein", "Kommune"]),
            &[],
        );
        assert_eq!(
            m.fields,
            [
                Some(FirstName),
                Some(LastName),
                Some(Organisation),
                Some(Ort)
            ]
        );
    }

    #[test]
    fn the_email_column_is_decided_by_content() {
        let header = row(&["ID", "E-Mail", "Name", "E-Mail-Adresse"]);
        let data = [
            row(&["1", "anonymous", "Anna Berg", "anna@example.org"]),
            row(&["2", "anonymous", "Ute Brand", "ute@example.org"]),
        ];
        let m = propose_for_row(ImportTarget::Registrations, &header, &data);
        assert_eq!(m.column(Field::Email), Some(3));
        let m = propose_for_row(
            ImportTarget::Registrations,
            &row(&["Name", "Kontakt"]),
            &data[..1]
                .iter()
                .map(|r| row(&[r.cell(2), r.cell(3)]))
                .collect::<Vec<_>>(),
        );
        assert_eq!(
            m.column(Field::Email),
            Some(1),
            "found by content without a header"
        );
    }
}
