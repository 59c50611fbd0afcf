//! Organisations and their partner towns.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, CoreResult, Validator};
use crate::input::{self, Cleaner};
use crate::municipalities::{self, AreaKind};
use crate::store::{new_uid, now_utc, text_enum};

text_enum! {
    /// Kind of organisation.
    pub enum OrgKind {
        /// Stadt or Gemeinde.
        Kommune = "kommune" => "Kommune",
        /// Kreis.
        Kreis = "kreis" => "Kreis",
        /// Verein or Partnerschaftskomitee.
        Verein = "verein" => "Verein/Partnerschaftskomitee",
        /// Land or Ministerium.
        Land = "land" => "Land/Ministerium",
        /// Stiftung or Verband.
        Stiftung = "stiftung" => "Stiftung/Verband",
        /// School, university, adult education.
        Bildung = "bildung" => "Bildungseinrichtung",
        /// Anything else.
        Sonstige = "sonstige" => "Sonstige",
    }
}

/// A partner town of an organisation, e.g. Peremyshlyany (Ukraine) for Hürth.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PartnerTown {
    /// Town name.
    pub town: String,
    /// Country (German name).
    pub country: String,
}

/// What the user enters for an organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OrganisationInput {
    /// Name, unique (case-insensitive).
    pub name: String,
    /// Kind.
    pub kind: OrgKind,
    /// Ort.
    pub ort: String,
    /// Kreis (empty for kreisfreie Städte).
    pub kreis: String,
    /// Partner towns in display order.
    pub partner_towns: Vec<PartnerTown>,
    /// The organisation's entry in NRW's Kommunen/Kreise ([`crate::municipalities`]), for kind
    /// Kommune (8-digit AGS) or Kreis (5-digit key). `None`: link automatically when the name
    /// names exactly one entry (imports, CLI); `Some("")`: no entry (the form's choice).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub ags: Option<String>,
}

/// A stored organisation.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Organisation {
    /// Database key.
    #[ts(type = "number")]
    pub id: i64,
    /// Stable UUID.
    pub uid: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: OrgKind,
    /// Ort.
    pub ort: String,
    /// Kreis.
    pub kreis: String,
    /// Partner towns.
    pub partner_towns: Vec<PartnerTown>,
    /// Its entry in NRW's Kommunen/Kreise, if linked.
    pub ags: Option<String>,
    /// That entry's label ("Hürth (Rhein-Erft-Kreis)").
    pub area_label: Option<String>,
    /// Number of persons belonging to it.
    #[ts(type = "number")]
    pub person_count: i64,
}

impl OrganisationInput {
    /// The input in its stored form ([`crate::input`]): names normalised, control characters
    /// and overlong texts refused per field.
    pub fn cleaned(&self) -> CoreResult<OrganisationInput> {
        let mut c = Cleaner::default();
        let cleaned = OrganisationInput {
            name: c.line("name", &self.name),
            kind: self.kind,
            ort: c.line("ort", &self.ort),
            kreis: c.line("kreis", &self.kreis),
            partner_towns: self
                .partner_towns
                .iter()
                .map(|t| PartnerTown {
                    town: c.line("partner_towns", &t.town),
                    country: c.line("partner_towns", &t.country),
                })
                .collect(),
            ags: self.ags.as_ref().map(|a| a.trim().to_owned()),
        };
        c.finish().map(|()| cleaned)
    }
}

/// The organisation with this name (a cleaned name; case-insensitive).
fn id_by_name(conn: &Connection, name: &str) -> CoreResult<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM organisations WHERE name = ?1 COLLATE NOCASE",
            [name],
            |r| r.get(0),
        )
        .optional()?)
}

/// Checks a cleaned input.
fn validate(conn: &Connection, input: &OrganisationInput, own_id: Option<i64>) -> CoreResult<()> {
    let mut v = Validator::default();
    v.required(&input.name, "name", "Bitte geben Sie einen Namen ein.");
    v.check(
        input.partner_towns.iter().any(|t| t.town.trim().is_empty()),
        "partner_towns",
        "Jede Partnerstadt braucht einen Namen.",
    );
    if let Some(ags) = input.ags.as_deref().filter(|a| !a.is_empty()) {
        let valid = area_kind(input.kind).is_some_and(|kind| municipalities::is_valid(kind, ags));
        v.check(
            !valid,
            "ags",
            "Dieser Eintrag passt nicht: eine Kommune braucht eine Stadt oder Gemeinde in NRW, ein Kreis einen Kreis.",
        );
    }
    let taken = id_by_name(conn, &input.name)?;
    v.check(
        taken.is_some() && taken != own_id,
        "name",
        "Eine Organisation mit diesem Namen gibt es schon.",
    );
    v.finish()
}

/// What an organisation of this kind can be linked to (Kommune/Kreis only).
pub fn area_kind(kind: OrgKind) -> Option<AreaKind> {
    match kind {
        OrgKind::Kommune => Some(AreaKind::Kommune),
        OrgKind::Kreis => Some(AreaKind::Kreis),
        _ => None,
    }
}

/// The key to store: the user's choice, else the only entry the name names.
fn resolved_ags(input: &OrganisationInput) -> Option<String> {
    let kind = area_kind(input.kind)?;
    match input.ags.as_deref() {
        Some("") => None,
        Some(chosen) => Some(chosen.to_owned()),
        None => match municipalities::candidates(kind, &input.name, &input.ort, &input.kreis)
            .as_slice()
        {
            [only] => Some(only.ags.clone()),
            _ => None,
        },
    }
}

/// The entries an organisation's name may mean (the form's choice; empty for other kinds).
pub fn area_candidates(input: &OrganisationInput) -> Vec<municipalities::AreaCandidate> {
    area_kind(input.kind).map_or_else(Vec::new, |kind| {
        municipalities::candidates(kind, &input.name, &input.ort, &input.kreis)
    })
}

fn write_partner_towns(tx: &Transaction<'_>, id: i64, towns: &[PartnerTown]) -> CoreResult<()> {
    tx.execute("DELETE FROM partner_towns WHERE organisation_id = ?1", [id])?;
    let now = now_utc();
    let mut insert = tx.prepare(
        "INSERT INTO partner_towns (uid, organisation_id, town, country, position, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
    )?;
    for (position, t) in towns.iter().enumerate() {
        insert.execute(params![
            new_uid(),
            id,
            t.town,
            t.country,
            position as i64,
            now
        ])?;
    }
    Ok(())
}

/// Creates an organisation with its partner towns.
pub fn create_organisation(
    tx: &Transaction<'_>,
    input: &OrganisationInput,
) -> CoreResult<Organisation> {
    let input = &input.cleaned()?;
    validate(tx, input, None)?;
    let now = now_utc();
    tx.execute(
        "INSERT INTO organisations (uid, name, kind, ort, kreis, ags, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        params![
            new_uid(),
            input.name,
            input.kind,
            input.ort,
            input.kreis,
            resolved_ags(input),
            now
        ],
    )?;
    let id = tx.last_insert_rowid();
    write_partner_towns(tx, id, &input.partner_towns)?;
    get_organisation(tx, id)
}

/// Changes an organisation and replaces its partner towns.
pub fn update_organisation(
    tx: &Transaction<'_>,
    id: i64,
    input: &OrganisationInput,
) -> CoreResult<Organisation> {
    get_organisation(tx, id)?;
    let input = &input.cleaned()?;
    validate(tx, input, Some(id))?;
    tx.execute(
        "UPDATE organisations SET name = ?2, kind = ?3, ort = ?4, kreis = ?5, ags = ?6,
                updated_at = ?7
         WHERE id = ?1",
        params![
            id,
            input.name,
            input.kind,
            input.ort,
            input.kreis,
            resolved_ags(input),
            now_utc()
        ],
    )?;
    write_partner_towns(tx, id, &input.partner_towns)?;
    get_organisation(tx, id)
}

/// Finds an organisation by name (case-insensitive) or creates it as "Sonstige" (CLI, imports).
pub fn find_or_create_organisation_by_name(tx: &Transaction<'_>, name: &str) -> CoreResult<i64> {
    let name = input::line("organisation", name)?;
    match id_by_name(tx, &name)? {
        Some(id) => Ok(id),
        None => {
            let input = OrganisationInput {
                name,
                kind: OrgKind::Sonstige,
                ort: String::new(),
                kreis: String::new(),
                partner_towns: Vec::new(),
                ags: None,
            };
            Ok(create_organisation(tx, &input)?.id)
        }
    }
}

/// One organisation with its partner towns and member count.
pub fn get_organisation(conn: &Connection, id: i64) -> CoreResult<Organisation> {
    list_where(conn, Some(id))?
        .pop()
        .ok_or(CoreError::NotFound {
            what: "Die Organisation",
        })
}

/// All organisations sorted by name, with partner towns and member counts.
pub fn list_organisations(conn: &Connection) -> CoreResult<Vec<Organisation>> {
    list_where(conn, None)
}

fn list_where(conn: &Connection, id: Option<i64>) -> CoreResult<Vec<Organisation>> {
    let mut stmt = conn.prepare(
        "SELECT o.id, o.uid, o.name, o.kind, o.ort, o.kreis, o.ags,
                (SELECT count(*) FROM persons p WHERE p.organisation_id = o.id)
         FROM organisations o WHERE ?1 IS NULL OR o.id = ?1
         ORDER BY fold(o.name)",
    )?;
    let mut towns = conn.prepare(
        "SELECT town, country FROM partner_towns WHERE organisation_id = ?1 ORDER BY position",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(Organisation {
            id: r.get(0)?,
            uid: r.get(1)?,
            name: r.get(2)?,
            kind: r.get(3)?,
            ort: r.get(4)?,
            kreis: r.get(5)?,
            partner_towns: Vec::new(),
            area_label: r
                .get_ref(6)?
                .as_str_or_null()?
                .and_then(municipalities::label),
            ags: r.get(6)?,
            person_count: r.get(7)?,
        })
    })?;
    let mut organisations: Vec<Organisation> = rows.collect::<Result<_, _>>()?;
    for o in &mut organisations {
        o.partner_towns = towns
            .query_map([o.id], |r| {
                Ok(PartnerTown {
                    town: r.get(0)?,
                    country: r.get(1)?,
                })
            })?
            .collect::<Result<_, _>>()?;
    }
    Ok(organisations)
}

/// Organisations whose names differ only in case, accents, punctuation, spacing or a legal form
/// ("Partnerschaftskomitee Hürth e.V." / "Partnerschaftskomitee Hürth"): likely two spellings of
/// one organisation, offered for merging. Grouped by that key, so linear in the number of
/// organisations; never suggests organisations of different kinds.
pub fn organisation_duplicate_pairs(
    conn: &Connection,
) -> CoreResult<Vec<(Organisation, Organisation)>> {
    let mut groups: std::collections::BTreeMap<(String, &'static str), Vec<Organisation>> =
        std::collections::BTreeMap::new();
    for organisation in list_organisations(conn)? {
        let key = (name_key(&organisation.name), organisation.kind.as_str());
        groups.entry(key).or_default().push(organisation);
    }
    let mut pairs = Vec::new();
    for group in groups.into_values() {
        for (i, first) in group.iter().enumerate() {
            for second in &group[i + 1..] {
                pairs.push((first.clone(), second.clone()));
            }
        }
    }
    Ok(pairs)
}

/// The comparison key of an organisation name: folded, German transliteration undone
/// ("Huerth" = "Hürth"), letters and digits only, without a trailing legal form (e.V., eV,
/// gGmbH, GmbH).
fn name_key(name: &str) -> String {
    let folded: String = crate::store::fold(name)
        .replace("ae", "a")
        .replace("oe", "o")
        .replace("ue", "u")
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    ["ggmbh", "gmbh", "ev"]
        .iter()
        .find_map(|form| folded.strip_suffix(form).filter(|rest| !rest.is_empty()))
        .unwrap_or(&folded)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn spellings_of_one_organisation_are_offered_as_pairs_but_other_kinds_are_not() {
        let mut store = Store::open_in_memory().unwrap();
        let verein = |name: &str, kind: OrgKind| OrganisationInput {
            name: name.into(),
            kind,
            ort: String::new(),
            kreis: String::new(),
            partner_towns: Vec::new(),
            ags: None,
        };
        store
            .write(|tx| {
                create_organisation(
                    tx,
                    &verein("Partnerschaftskomitee Hürth e.V.", OrgKind::Verein),
                )?;
                create_organisation(
                    tx,
                    &verein("Partnerschaftskomitee  Huerth", OrgKind::Verein),
                )?;
                create_organisation(
                    tx,
                    &verein("Partnerschafts-Komitee Hürth eV", OrgKind::Verein),
                )?;
                create_organisation(tx, &verein("Hürth", OrgKind::Kommune))?;
                create_organisation(tx, &verein("Hürth e.V.", OrgKind::Verein))?;
                create_organisation(tx, &verein("EV", OrgKind::Sonstige))
            })
            .unwrap();
        let pairs = store.read(organisation_duplicate_pairs).unwrap();
        // The three spellings of the Komitee pair up; the Kommune Hürth and the Verein
        // "Hürth e.V." stay apart (other kind), "EV" is not emptied to nothing.
        assert_eq!(pairs.len(), 3);
        for (a, b) in &pairs {
            assert_eq!(a.kind, OrgKind::Verein);
            assert!(
                a.name.to_lowercase().contains("komitee")
                    && b.name.to_lowercase().contains("komitee")
            );
        }
        assert_eq!(name_key("EV"), "ev");
    }

    fn huerth() -> OrganisationInput {
        OrganisationInput {
            name: "Stadt Hürth".into(),
            kind: OrgKind::Kommune,
            ort: "Hürth".into(),
            kreis: "Rhein-Erft-Kreis".into(),
            partner_towns: vec![PartnerTown {
                town: "Peremyshlyany".into(),
                country: "Ukraine".into(),
            }],
            ags: None,
        }
    }

    #[test]
    fn kommunen_and_kreise_are_linked_to_their_entry() {
        let mut store = Store::open_in_memory().unwrap();
        let org = store
            .write(|tx| create_organisation(tx, &huerth()))
            .unwrap();
        assert_eq!(org.ags.as_deref(), Some("05362028"));
        assert_eq!(org.area_label.as_deref(), Some("Hürth (Rhein-Erft-Kreis)"));
        // The form's explicit "kein Eintrag" is kept.
        let none = OrganisationInput {
            ags: Some(String::new()),
            ..huerth()
        };
        let org = store
            .write(|tx| update_organisation(tx, org.id, &none))
            .unwrap();
        assert_eq!(org.ags, None);
        // An ambiguous name stays unlinked; the form offers the choice.
        let bad = OrganisationInput {
            name: "Stadt Bad".into(),
            ort: String::new(),
            kreis: String::new(),
            ..huerth()
        };
        assert!(area_candidates(&bad).len() > 1);
        let org = store.write(|tx| create_organisation(tx, &bad)).unwrap();
        assert_eq!(org.ags, None);
        // A Verein is never linked; a wrong key is a field error.
        let wrong = OrganisationInput {
            name: "Partnerschaftsverein Hürth".into(),
            kind: OrgKind::Verein,
            ags: Some("05362028".into()),
            ..huerth()
        };
        let Err(CoreError::Validation(errors)) = store.write(|tx| create_organisation(tx, &wrong))
        else {
            panic!("a Verein cannot be a Kommune");
        };
        assert_eq!(errors[0].field, "ags");
        let kreis = OrganisationInput {
            name: "Kreis Borken".into(),
            kind: OrgKind::Kreis,
            ags: Some("05554".into()),
            ..huerth()
        };
        let org = store.write(|tx| create_organisation(tx, &kreis)).unwrap();
        assert_eq!(
            org.area_label.as_deref(),
            Some("Kreis Borken (Reg.-Bez. Münster)")
        );
    }

    #[test]
    fn organisations_keep_partner_towns_and_unique_names() {
        let mut store = Store::open_in_memory().unwrap();
        let org = store
            .write(|tx| create_organisation(tx, &huerth()))
            .unwrap();
        assert_eq!(org.partner_towns[0].town, "Peremyshlyany");
        let again = OrganisationInput {
            name: "stadt hürth".into(),
            ..huerth()
        };
        assert!(matches!(
            store.write(|tx| create_organisation(tx, &again)),
            Err(CoreError::Validation(_))
        ));
        assert_eq!(list_organisations(store.connection()).unwrap().len(), 1);
    }

    #[test]
    fn names_differing_only_in_white_space_are_one_organisation() {
        let mut store = Store::open_in_memory().unwrap();
        let first = store
            .write(|tx| find_or_create_organisation_by_name(tx, "Partnerschaftsverein Hürth"))
            .unwrap();
        for spelling in [
            "Partnerschaftsverein Hürth\n",
            "\tPartnerschaftsverein  Hürth\r\n",
            "Partnerschaftsverein Hu\u{308}rth",
        ] {
            let again = store
                .write(|tx| find_or_create_organisation_by_name(tx, spelling))
                .unwrap();
            assert_eq!(again, first, "{spelling:?}");
        }
        let newline = OrganisationInput {
            name: "Stadt Hürth\n".into(),
            ..huerth()
        };
        let created = store.write(|tx| create_organisation(tx, &newline)).unwrap();
        assert_eq!(created.name, "Stadt Hürth");
        assert!(matches!(
            store.write(|tx| create_organisation(tx, &huerth())),
            Err(CoreError::Validation(_))
        ));
    }

    #[test]
    fn control_characters_in_organisations_are_refused() {
        let mut store = Store::open_in_memory().unwrap();
        let nul = OrganisationInput {
            name: "Stadt\0Hürth".into(),
            ..huerth()
        };
        let Err(CoreError::Validation(errors)) = store.write(|tx| create_organisation(tx, &nul))
        else {
            panic!("a NUL must be refused");
        };
        assert_eq!(errors[0].field, "name");
        assert!(
            store
                .write(|tx| find_or_create_organisation_by_name(tx, "A\u{1b}B"))
                .is_err()
        );
        assert!(list_organisations(store.connection()).unwrap().is_empty());
    }
}
