//! NRW's Kommunen and Kreise with their official keys — the reference the reach statistics count
//! against ("erreicht: 57 von 396 Kommunen").
//!
//! The data is `seeds/kommunen_nrw.csv` and `seeds/kreise_nrw.csv`, derived from the Destatis
//! Gemeindeverzeichnis (GV-ISys, GV100AD, Gebietsstand [`STAND`]) by
//! `seeds/tools/gv100ad_nrw.py`, embedded into the binary and parsed once. Pure data and pure
//! functions, no store: an organisation of kind Kommune/Kreis keeps its key in
//! `organisations.ags`, and [`candidates`] proposes the entry for a name ("Stadt Hürth" →
//! Hürth, Rhein-Erft-Kreis).

use std::collections::HashMap;
use std::sync::LazyLock;

use rusqlite::{Connection, params};
use serde::Serialize;
use ts_rs::TS;

use crate::store::fold;

/// Gebietsstand of the shipped reference data (Destatis GV100AD).
pub const STAND: &str = "2021-11-30";

/// Where the reference data comes from, for the "Über" page and the report's cover sheet.
pub const SOURCE: &str = "Gemeindeverzeichnis-Informationssystem (GV-ISys), Statistisches Bundesamt (Destatis), Gebietsstand 30.11.2021; Datenlizenz Deutschland – Namensnennung – Version 2.0";

/// NRW's five Regierungsbezirke in their official order (by key 051 … 059).
pub const REGIERUNGSBEZIRKE: [&str; 5] = ["Düsseldorf", "Köln", "Münster", "Detmold", "Arnsberg"];

const KOMMUNEN_CSV: &str = include_str!("../../../seeds/kommunen_nrw.csv");
const KREISE_CSV: &str = include_str!("../../../seeds/kreise_nrw.csv");

/// A Stadt or Gemeinde of NRW.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Kommune {
    /// Amtlicher Gemeindeschlüssel, 8 digits ("05362028").
    pub ags: String,
    /// Name without its designation ("Hürth").
    pub name: String,
    /// Official designation ("Stadt", "Hansestadt", empty for most Gemeinden).
    pub bezeichnung: String,
    /// Whether it is a kreisfreie Stadt.
    pub kreisfrei: bool,
    /// Key of its Kreis (5 digits), empty for a kreisfreie Stadt.
    pub kreis: String,
    /// Its Regierungsbezirk ("Köln").
    pub regierungsbezirk: String,
}

/// A Kreis of NRW (including the Städteregion Aachen).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Kreis {
    /// Kreisschlüssel, 5 digits ("05362").
    pub key: String,
    /// Name as usually written ("Rhein-Erft-Kreis", "Kreis Borken").
    pub name: String,
    /// Seat of the administration.
    pub sitz: String,
    /// Its Regierungsbezirk.
    pub regierungsbezirk: String,
}

/// What an organisation of kind Kommune or Kreis can be linked to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AreaKind {
    /// A Stadt or Gemeinde (8-digit AGS).
    Kommune,
    /// A Kreis (5-digit key).
    Kreis,
}

/// One proposed entry for an organisation's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AreaCandidate {
    /// The key to store in `organisations.ags` (8 digits for a Kommune, 5 for a Kreis).
    pub ags: String,
    /// Label for a choice ("Hürth (Rhein-Erft-Kreis)").
    pub label: String,
}

/// The whole reference for choosing an entry by hand, with its Stand and source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct MunicipalityReference {
    /// The 396 Kommunen.
    pub kommunen: Vec<Kommune>,
    /// The 31 Kreise.
    pub kreise: Vec<Kreis>,
    /// Gebietsstand ([`STAND`]).
    pub stand: String,
    /// Source and licence ([`SOURCE`]).
    pub source: String,
}

/// The reference as one value (the organisation form's manual choice).
pub fn reference() -> MunicipalityReference {
    MunicipalityReference {
        kommunen: kommunen().to_vec(),
        kreise: kreise().to_vec(),
        stand: STAND.to_owned(),
        source: SOURCE.to_owned(),
    }
}

struct Reference {
    kommunen: Vec<Kommune>,
    kreise: Vec<Kreis>,
    kommune_by_ags: HashMap<String, usize>,
    kreis_by_key: HashMap<String, usize>,
}

fn parse() -> Reference {
    let mut kreise = Vec::new();
    let mut reader = csv::Reader::from_reader(KREISE_CSV.as_bytes());
    for row in reader.records() {
        let row = row.expect("seeds/kreise_nrw.csv is valid CSV");
        let official = &row[1];
        let name = if official.to_lowercase().contains("kreis") || official.starts_with("Städte") {
            official.to_owned()
        } else {
            format!("Kreis {official}")
        };
        kreise.push(Kreis {
            key: row[0].to_owned(),
            name,
            sitz: row[2].to_owned(),
            regierungsbezirk: row[3].to_owned(),
        });
    }
    let mut kommunen = Vec::new();
    let mut reader = csv::Reader::from_reader(KOMMUNEN_CSV.as_bytes());
    for row in reader.records() {
        let row = row.expect("seeds/kommunen_nrw.csv is valid CSV");
        kommunen.push(Kommune {
            ags: row[0].to_owned(),
            name: row[1].to_owned(),
            bezeichnung: row[2].to_owned(),
            kreisfrei: &row[3] == "kreisfreie Stadt",
            kreis: row[4].to_owned(),
            regierungsbezirk: row[5].to_owned(),
        });
    }
    Reference {
        kommune_by_ags: kommunen
            .iter()
            .enumerate()
            .map(|(i, k)| (k.ags.clone(), i))
            .collect(),
        kreis_by_key: kreise
            .iter()
            .enumerate()
            .map(|(i, k)| (k.key.clone(), i))
            .collect(),
        kommunen,
        kreise,
    }
}

static REFERENCE: LazyLock<Reference> = LazyLock::new(parse);

/// All 396 Kommunen, by AGS.
pub fn kommunen() -> &'static [Kommune] {
    &REFERENCE.kommunen
}

/// All 31 Kreise, by key.
pub fn kreise() -> &'static [Kreis] {
    &REFERENCE.kreise
}

/// The Kommune with this AGS.
pub fn kommune(ags: &str) -> Option<&'static Kommune> {
    REFERENCE
        .kommune_by_ags
        .get(ags)
        .map(|&i| &REFERENCE.kommunen[i])
}

/// The Kreis with this key.
pub fn kreis(key: &str) -> Option<&'static Kreis> {
    REFERENCE
        .kreis_by_key
        .get(key)
        .map(|&i| &REFERENCE.kreise[i])
}

/// Whether `ags` names an entry of the right kind (a Kommune's 8 digits, a Kreis' 5).
pub fn is_valid(kind: AreaKind, ags: &str) -> bool {
    match kind {
        AreaKind::Kommune => kommune(ags).is_some(),
        AreaKind::Kreis => kreis(ags).is_some(),
    }
}

/// "Hürth (Rhein-Erft-Kreis)", "Köln (kreisfreie Stadt)", "Rhein-Erft-Kreis (Reg.-Bez. Köln)".
pub fn label(ags: &str) -> Option<String> {
    if let Some(k) = kommune(ags) {
        let place = if k.kreisfrei {
            "kreisfreie Stadt".to_owned()
        } else {
            kreis(&k.kreis).map_or_else(String::new, |kr| kr.name.clone())
        };
        return Some(format!("{} ({place})", k.name));
    }
    kreis(ags).map(|k| format!("{} (Reg.-Bez. {})", k.name, k.regierungsbezirk))
}

/// Words in front of or inside an organisation's name that are not part of the place's name.
const NOISE: &[&str] = &[
    "stadt",
    "gemeinde",
    "kreisstadt",
    "hansestadt",
    "bundesstadt",
    "stadtverwaltung",
    "gemeindeverwaltung",
    "kreisverwaltung",
    "verwaltung",
    "der",
    "des",
    "die",
    "burgermeister",
    "burgermeisterin",
    "oberburgermeister",
    "oberburgermeisterin",
    "landrat",
    "landratin",
    "kreises",
    "kreis",
    "landkreis",
    "kreisfreie",
];

/// The place name inside an organisation's name: folded, without "Stadt", "Kreis", a
/// designation after a comma or a parenthesised addition ("Halle (Westf.)" → "halle").
fn place_key(text: &str) -> String {
    let text = text.split(',').next().unwrap_or(text);
    let without_brackets: String = {
        let mut depth = 0usize;
        text.chars()
            .filter(|&c| {
                match c {
                    '(' => depth += 1,
                    ')' => {
                        depth = depth.saturating_sub(1);
                        return false;
                    }
                    _ => {}
                }
                depth == 0
            })
            .collect()
    };
    fold(&without_brackets)
        .split(|c: char| c.is_whitespace() || c == '/')
        .filter(|w| !w.is_empty() && !NOISE.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The entries an organisation's name (and, to tell apart, its Ort and Kreis) may mean, best
/// first: exact place names before names that merely start with it ("Halle" → "Halle (Westf.)").
/// One candidate is a safe automatic link; several need the user's choice.
pub fn candidates(kind: AreaKind, name: &str, ort: &str, kreis_text: &str) -> Vec<AreaCandidate> {
    let keys: Vec<String> = [name, ort]
        .iter()
        .map(|t| place_key(t))
        .filter(|k| !k.is_empty())
        .collect();
    let Some(first) = keys.first() else {
        return Vec::new();
    };
    let found: Vec<String> = match kind {
        AreaKind::Kommune => {
            // Exact place names first (of the name, then of the Ort), then names that start
            // with the word ("Halle" → "Halle (Westf.)").
            let exact = |key: &String| -> Vec<&'static Kommune> {
                kommunen()
                    .iter()
                    .filter(|k| place_key(&k.name) == *key)
                    .collect()
            };
            let starting = |key: &String| -> Vec<&'static Kommune> {
                kommunen()
                    .iter()
                    .filter(|k| {
                        let name = place_key(&k.name);
                        name.starts_with(key.as_str()) && name[key.len()..].starts_with([' ', '-'])
                    })
                    .collect()
            };
            let mut found = keys
                .iter()
                .map(exact)
                .chain(keys.iter().map(starting))
                .find(|found| !found.is_empty())
                .unwrap_or_default();
            // The Kreis the user named narrows several down.
            let kreis_key = place_key(kreis_text);
            if found.len() > 1 && !kreis_key.is_empty() {
                let narrowed: Vec<&Kommune> = found
                    .iter()
                    .copied()
                    .filter(|k| kreis(&k.kreis).is_some_and(|kr| place_key(&kr.name) == kreis_key))
                    .collect();
                if !narrowed.is_empty() {
                    found = narrowed;
                }
            }
            found.into_iter().map(|k| k.ags.clone()).collect()
        }
        AreaKind::Kreis => {
            let matches = |k: &&Kreis| {
                let key = place_key(&k.name);
                keys.contains(&key)
            };
            let mut found: Vec<String> = kreise()
                .iter()
                .filter(matches)
                .map(|k| k.key.clone())
                .collect();
            if found.is_empty() {
                found = kreise()
                    .iter()
                    .filter(|k| {
                        let key = place_key(&k.name);
                        key.contains(first.as_str()) && first.len() >= 4
                    })
                    .map(|k| k.key.clone())
                    .collect();
            }
            found
        }
    };
    found
        .into_iter()
        .filter_map(|ags| label(&ags).map(|label| AreaCandidate { ags, label }))
        .collect()
}

/// Links every organisation of kind Kommune/Kreis without an entry to its entry where the name
/// names exactly one; ambiguous and unknown names stay unlinked for the user. Returns how many
/// were linked. Runs once, as part of migration 0011, and after imports.
pub fn link_unlinked(conn: &Connection) -> rusqlite::Result<usize> {
    let mut stmt = conn.prepare(
        "SELECT id, kind, name, ort, kreis FROM organisations
         WHERE ags IS NULL AND kind IN ('kommune', 'kreis')",
    )?;
    let rows: Vec<(i64, String, String, String, String)> = stmt
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<Result<_, _>>()?;
    let mut update = conn.prepare("UPDATE organisations SET ags = ?2 WHERE id = ?1")?;
    let mut linked = 0;
    for (id, kind, name, ort, kreis_text) in rows {
        let kind = if kind == "kreis" {
            AreaKind::Kreis
        } else {
            AreaKind::Kommune
        };
        if let [only] = candidates(kind, &name, &ort, &kreis_text).as_slice() {
            update.execute(params![id, only.ags])?;
            linked += 1;
        }
    }
    Ok(linked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_data_has_nrws_396_kommunen_31_kreise_and_5_bezirke() {
        // The figures of the office's own texts (seeds: "396 Kommunen und 31 Kreise").
        assert_eq!(kommunen().len(), 396);
        assert_eq!(kreise().len(), 31);
        assert_eq!(kommunen().iter().filter(|k| k.kreisfrei).count(), 22);
        for k in kommunen() {
            assert_eq!(k.ags.len(), 8, "{k:?}");
            assert!(k.ags.starts_with("05"), "{k:?}");
            assert!(REGIERUNGSBEZIRKE.contains(&k.regierungsbezirk.as_str()));
            assert_eq!(k.kreisfrei, k.kreis.is_empty(), "{k:?}");
            if !k.kreisfrei {
                let kreis = kreis(&k.kreis).expect("every Kreis of a Kommune exists");
                assert_eq!(kreis.regierungsbezirk, k.regierungsbezirk);
            }
        }
        for bezirk in REGIERUNGSBEZIRKE {
            assert!(kreise().iter().any(|k| k.regierungsbezirk == bezirk));
        }
        // Every Kreis has Kommunen.
        for kr in kreise() {
            assert!(kommunen().iter().any(|k| k.kreis == kr.key), "{kr:?}");
        }
    }

    #[test]
    fn names_of_organisations_find_their_entry() {
        let one = |kind, name: &str, ort: &str, kreis: &str| {
            let found = candidates(kind, name, ort, kreis);
            assert_eq!(found.len(), 1, "{name}: {found:?}");
            found[0].label.clone()
        };
        assert_eq!(
            one(AreaKind::Kommune, "Stadt Hürth", "", ""),
            "Hürth (Rhein-Erft-Kreis)"
        );
        assert_eq!(
            one(AreaKind::Kommune, "Stadt Köln", "", ""),
            "Köln (kreisfreie Stadt)"
        );
        assert_eq!(
            one(AreaKind::Kommune, "Stadt Halle (Westf.)", "", ""),
            "Halle (Westf.) (Kreis Gütersloh)"
        );
        assert_eq!(
            one(AreaKind::Kommune, "Gemeinde Halle", "", ""),
            "Halle (Westf.) (Kreis Gütersloh)"
        );
        assert_eq!(
            one(
                AreaKind::Kommune,
                "Der Bürgermeister der Stadt Mülheim an der Ruhr",
                "",
                ""
            ),
            "Mülheim an der Ruhr (kreisfreie Stadt)"
        );
        assert_eq!(
            one(AreaKind::Kreis, "Kreis Borken", "", ""),
            "Kreis Borken (Reg.-Bez. Münster)"
        );
        assert_eq!(
            one(AreaKind::Kreis, "Rhein-Erft-Kreis", "Bergheim", ""),
            "Rhein-Erft-Kreis (Reg.-Bez. Köln)"
        );
        assert_eq!(
            one(AreaKind::Kreis, "StädteRegion Aachen", "", ""),
            "Städteregion Aachen (Reg.-Bez. Köln)"
        );
        // The Ort helps when the name is the institution's.
        assert_eq!(
            one(AreaKind::Kommune, "Rathaus", "Bocholt", ""),
            "Bocholt (Kreis Borken)"
        );
        assert!(candidates(AreaKind::Kommune, "Stadt Paris", "", "").is_empty());
        assert!(candidates(AreaKind::Kommune, "", "", "").is_empty());
    }

    #[test]
    fn a_name_shared_by_several_places_offers_a_choice() {
        // "Bad" starts several NRW towns: a choice, not an automatic link.
        let found = candidates(AreaKind::Kommune, "Stadt Bad", "", "");
        assert!(found.len() > 3, "{found:?}");
        // "Kreis Lippe" is one Kreis; "Rhein" matches several Kreise.
        assert_eq!(candidates(AreaKind::Kreis, "Kreis Lippe", "", "").len(), 1);
        assert!(candidates(AreaKind::Kreis, "Rhein", "", "").len() > 1);
    }

    #[test]
    fn labels_and_validity() {
        assert!(is_valid(AreaKind::Kommune, "05362028"));
        assert!(!is_valid(AreaKind::Kreis, "05362028"));
        assert!(is_valid(AreaKind::Kreis, "05362"));
        assert!(!is_valid(AreaKind::Kommune, "09162000"));
        assert_eq!(label("05362028").unwrap(), "Hürth (Rhein-Erft-Kreis)");
    }
}
