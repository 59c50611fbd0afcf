//! The topic catalogue (seeds/topics.toml) and the built-in country lexicon.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The default catalogue, embedded so the app and the CLI work from any directory.
const DEFAULT_TOML: &str = include_str!("../../../../seeds/topics.toml");
/// The built-in country lexicon.
const COUNTRIES_TOML: &str = include_str!("countries.toml");
/// What the default topics are about, in registrants' words.
const DESCRIPTIONS_TOML: &str = include_str!("descriptions.toml");

/// Lowest and highest allowed topic priority.
pub const PRIORITY_RANGE: std::ops::RangeInclusive<i32> = 0..=100;

/// One topic of the catalogue, e.g. "Versicherungen für Vereine".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Topic {
    /// Stable key (ASCII, e.g. "versicherungen").
    pub key: String,
    /// Label shown as the cluster heading.
    pub label: String,
    /// Heading the topic is grouped under (None: the topic is a heading itself).
    #[serde(default)]
    pub group: Option<String>,
    /// 0–100; a specific topic (high) beats a broad one (low).
    pub priority: i32,
    /// Keywords and phrases (syntax: see seeds/topics.toml).
    #[serde(default)]
    pub keywords: Vec<String>,
}

/// Whether and how the built-in country lexicon yields clusters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountrySettings {
    /// Group of the country clusters, e.g. "Länderspezifisch".
    pub group: String,
    /// Priority of a country cluster (0–100).
    pub priority: i32,
}

/// A topic catalogue: topics with keywords and priorities, the fallback
/// topic and the country settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalogue {
    /// Display order of the top-level headings (group labels or labels of
    /// topics without a group).
    #[serde(default)]
    pub sections: Vec<String>,
    /// Label of the cluster for answers without a recognisable topic.
    pub fallback: String,
    /// Country clusters from the built-in lexicon (None: no country clusters).
    #[serde(default)]
    pub countries: Option<CountrySettings>,
    /// The topics in display order.
    #[serde(default, rename = "topic")]
    pub topics: Vec<Topic>,
}

/// Why a catalogue could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    /// The text is not valid TOML or lacks required fields.
    #[error("Der Themenkatalog ist kein gültiges TOML: {0}")]
    Syntax(String),
    /// A topic has an empty label or key.
    #[error("Ein Thema im Themenkatalog hat keinen Namen oder Schlüssel.")]
    EmptyLabel,
    /// Two topics share a label.
    #[error("Das Thema „{0}“ steht mehrfach im Themenkatalog.")]
    DuplicateLabel(String),
    /// A priority lies outside 0–100.
    #[error("Die Priorität von „{0}“ muss zwischen 0 und 100 liegen.")]
    Priority(String),
    /// The fallback label is empty.
    #[error("Der Themenkatalog nennt kein Thema für Antworten ohne Thema (fallback).")]
    NoFallback,
}

impl Catalogue {
    /// The default catalogue from seeds/topics.toml (embedded in the binary).
    pub fn default_catalogue() -> Catalogue {
        Catalogue::from_toml_str(DEFAULT_TOML).expect("seeds/topics.toml is valid")
    }

    /// Reads a catalogue from TOML text in the format of seeds/topics.toml.
    pub fn from_toml_str(text: &str) -> Result<Catalogue, CatalogueError> {
        let catalogue: Catalogue =
            toml::from_str(text).map_err(|e| CatalogueError::Syntax(e.message().to_string()))?;
        catalogue.validate()?;
        Ok(catalogue)
    }

    /// Checks labels, keys, priorities and the fallback.
    pub fn validate(&self) -> Result<(), CatalogueError> {
        if self.fallback.trim().is_empty() {
            return Err(CatalogueError::NoFallback);
        }
        let mut seen = HashSet::new();
        for topic in &self.topics {
            if topic.label.trim().is_empty() || topic.key.trim().is_empty() {
                return Err(CatalogueError::EmptyLabel);
            }
            if !seen.insert(topic.label.trim().to_lowercase()) {
                return Err(CatalogueError::DuplicateLabel(topic.label.clone()));
            }
            if !PRIORITY_RANGE.contains(&topic.priority) {
                return Err(CatalogueError::Priority(topic.label.clone()));
            }
        }
        if let Some(countries) = &self.countries
            && !PRIORITY_RANGE.contains(&countries.priority)
        {
            return Err(CatalogueError::Priority(countries.group.clone()));
        }
        Ok(())
    }

    /// Whether `label` names a topic of the catalogue, its fallback or (when
    /// countries are on) a country of the lexicon: a cluster with such a
    /// label needs no new topic. Case is ignored for ASCII letters, as the
    /// stored catalogue compares labels (SQLite `NOCASE`).
    pub fn knows(&self, label: &str) -> bool {
        let same = |other: &str| other.eq_ignore_ascii_case(label.trim());
        same(&self.fallback)
            || self.topics.iter().any(|t| same(&t.label))
            || (self.countries.is_some() && countries_lexicon().iter().any(|c| same(&c.label)))
    }

    /// The group of the topic with `label`, if the label is a catalogue
    /// topic or a country of the lexicon.
    pub fn group_of(&self, label: &str) -> Option<String> {
        if let Some(topic) = self.topics.iter().find(|t| t.label == label) {
            return topic.group.clone();
        }
        let countries = self.countries.as_ref()?;
        countries_lexicon()
            .iter()
            .any(|c| c.label == label)
            .then(|| countries.group.clone())
    }
}

/// One country (or region) of the built-in lexicon.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Country {
    /// Cluster label, e.g. "Niederlande".
    pub label: String,
    /// A region spanning several countries ("Westbalkan"); a named country wins.
    #[serde(default)]
    pub region: bool,
    /// Names of the country.
    #[serde(default)]
    pub names: Vec<String>,
    /// Adjectives ("niederländisch").
    #[serde(default)]
    pub adjectives: Vec<String>,
    /// Case-sensitive abbreviations ("NL").
    #[serde(default)]
    pub abbreviations: Vec<String>,
    /// Capitals, main cities and regions.
    #[serde(default)]
    pub places: Vec<String>,
    /// Other words pointing to the country ("Brexit").
    #[serde(default)]
    pub terms: Vec<String>,
}

impl Country {
    /// All entries as catalogue keywords (abbreviations marked with "=").
    pub fn keywords(&self) -> Vec<String> {
        let plain = self
            .names
            .iter()
            .chain(&self.adjectives)
            .chain(&self.places)
            .chain(&self.terms)
            .cloned();
        plain
            .chain(self.abbreviations.iter().map(|a| format!("={a}")))
            .collect()
    }
}

#[derive(Deserialize)]
struct CountryFile {
    country: Vec<Country>,
}

static COUNTRIES: LazyLock<Vec<Country>> = LazyLock::new(|| {
    toml::from_str::<CountryFile>(COUNTRIES_TOML)
        .expect("countries.toml is valid")
        .country
});

/// The built-in country lexicon.
pub fn countries_lexicon() -> &'static [Country] {
    &COUNTRIES
}

#[derive(Deserialize)]
struct DescriptionFile {
    descriptions: HashMap<String, String>,
}

static DESCRIPTIONS: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    toml::from_str::<DescriptionFile>(DESCRIPTIONS_TOML)
        .expect("descriptions.toml is valid")
        .descriptions
});

/// What a topic of the default catalogue is about, in the words registrants
/// use, by the topic's stable key (None for topics staff added). Only the
/// similarity for answers no keyword matched reads it: prose is too loose
/// for keyword matching but gives the n-gram profile the vocabulary that a
/// keyword list lacks ("immer dieselben Leute machen alles").
pub fn topic_description(key: &str) -> Option<&'static str> {
    DESCRIPTIONS.get(key).map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_topic_is_described() {
        for topic in Catalogue::default_catalogue().topics {
            let description = topic_description(&topic.key).unwrap_or_default();
            assert!(description.len() > 80, "{}", topic.key);
        }
        assert!(topic_description("von Hand angelegt").is_none());
    }

    #[test]
    fn the_catalogue_knows_its_topics_fallback_and_countries_whatever_the_case() {
        let mut catalogue = Catalogue::default_catalogue();
        for label in ["Jugend", "jugend", " allgemein ", "Polen"] {
            assert!(catalogue.knows(label), "{label}");
        }
        assert!(!catalogue.knows("Vereinsrecht"));
        catalogue.countries = None;
        assert!(
            !catalogue.knows("Polen"),
            "without countries a country is no topic"
        );
    }

    #[test]
    fn default_catalogue_has_the_slide_structure() {
        let catalogue = Catalogue::default_catalogue();
        assert_eq!(catalogue.fallback, "Allgemein");
        assert!(catalogue.topics.len() >= 14);
        assert_eq!(
            catalogue.group_of("Versicherungen für Vereine").as_deref(),
            Some("Vereinsarbeit, Ehrenamt, Nachwuchsgewinnung")
        );
        assert_eq!(
            catalogue.group_of("Humanitäre Hilfe").as_deref(),
            Some("Themenspezifisch")
        );
        assert_eq!(catalogue.group_of("Fördermittel & Finanzierung"), None);
        assert_eq!(
            catalogue.group_of("Ukraine").as_deref(),
            Some("Länderspezifisch")
        );
    }

    #[test]
    fn lexicon_covers_nrw_twinning_countries() {
        let labels: Vec<&str> = countries_lexicon()
            .iter()
            .map(|c| c.label.as_str())
            .collect();
        for needed in [
            "Frankreich",
            "Polen",
            "Vereinigtes Königreich",
            "Niederlande",
            "Belgien",
            "Italien",
            "USA",
            "Ukraine",
            "Türkei",
            "Israel",
            "Spanien",
            "Griechenland",
            "Russland",
            "Ungarn",
            "Nordmazedonien",
            "Albanien",
            "Serbien",
            "Japan",
            "China",
            "Ghana",
        ] {
            assert!(labels.contains(&needed), "{needed} missing");
        }
        let unique: HashSet<&str> = labels.iter().copied().collect();
        assert_eq!(unique.len(), labels.len(), "duplicate country labels");
    }

    #[test]
    fn invalid_catalogues_are_refused_in_german() {
        let duplicate = "fallback = \"Allgemein\"\n[[topic]]\nkey=\"a\"\nlabel=\"A\"\npriority=1\n[[topic]]\nkey=\"b\"\nlabel=\"a\"\npriority=1\n";
        assert_eq!(
            Catalogue::from_toml_str(duplicate),
            Err(CatalogueError::DuplicateLabel("a".into()))
        );
        let priority =
            "fallback = \"Allgemein\"\n[[topic]]\nkey=\"a\"\nlabel=\"A\"\npriority=300\n";
        assert!(
            Catalogue::from_toml_str(priority)
                .unwrap_err()
                .to_string()
                .contains("zwischen 0 und 100")
        );
        assert!(matches!(
            Catalogue::from_toml_str("topic = 3"),
            Err(CatalogueError::Syntax(_))
        ));
    }
}
