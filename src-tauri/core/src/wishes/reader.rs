//! Reading by examples: a multinomial naive Bayes classifier over the
//! built-in example wishes ([`super::corpus`]).
//!
//! The catalogue's keywords know the words staff thought of; registrants
//! use many more ("Crowdfunding-Plattform", "D&O für den Vorstand",
//! "Stammtisch der Partnerschaftsvereine"). The reader has seen about 2,600
//! answers in many voices and knows which word pieces go with which topic.
//! Its features are the beginnings of words and their character 5-grams,
//! so inflections, compounds and typing errors still share most features
//! ("Haftplicht" with "Haftpflicht"), plus abbreviations written in capitals
//! ("DSGVO", "NL") as whole words.
//!
//! What it deliberately does not do: it knows no topic that is not in its
//! examples (a topic staff added is left to its keywords), and it is not
//! calibrated: its log scores are compared by margin, never read as
//! probabilities.

use std::collections::{HashMap, HashSet};
use std::sync::{LazyLock, OnceLock};

use super::corpus::{LabelledWish, built_in_wishes};
use super::lexicon::STOP_WORDS;
use super::text::{fold, words};

/// Additive smoothing of the feature counts: low, because a word piece
/// never seen with a topic is strong evidence against it in so small a
/// corpus only when it is frequent elsewhere.
const SMOOTHING: f64 = 0.1;
/// Length of the word beginning that is a feature of its own.
const BEGINNING: usize = 6;
/// Length of the character n-grams.
const GRAM: usize = 5;
/// Longest word (in characters) that still counts as an abbreviation when
/// written in capitals.
const MAX_ABBREVIATION: usize = 5;

static STOP: LazyLock<HashSet<String>> =
    LazyLock::new(|| STOP_WORDS.iter().map(|w| fold(w)).collect());

/// A trained reader: per topic label the log prior and per feature the
/// log-count gain over an unseen feature.
#[derive(Debug)]
pub struct ExampleReader {
    labels: Vec<String>,
    /// Per label: log of its share of the examples.
    log_prior: Vec<f64>,
    /// Per label: log of the (smoothed) probability of a feature never seen
    /// with it.
    log_unseen: Vec<f64>,
    /// Feature → (label, log((count + α) / α)) for the labels it was seen with.
    gains: HashMap<String, Vec<(usize, f64)>>,
}

/// The features of one word as written, with the word they come from.
fn word_features(word: &str) -> Vec<String> {
    let chars = word.chars().count();
    let capitals = word.chars().any(char::is_uppercase)
        && word.chars().all(|c| c.is_uppercase() || c.is_ascii_digit());
    if capitals && chars <= MAX_ABBREVIATION {
        return vec![format!("={word}")];
    }
    let folded = fold(word);
    if chars < 3 || STOP.contains(&folded) || folded.chars().all(|c| c.is_ascii_digit()) {
        return Vec::new();
    }
    let mut out = vec![format!(
        "{}-",
        folded.chars().take(BEGINNING).collect::<String>()
    )];
    let marked: Vec<char> = format!("^{folded}$").chars().collect();
    out.extend(marked.windows(GRAM).map(|w| w.iter().collect::<String>()));
    out
}

/// The distinct features of a text.
fn features(text: &str) -> Vec<String> {
    let mut out: Vec<String> = words(text).iter().flat_map(|w| word_features(w)).collect();
    out.sort_unstable();
    out.dedup();
    out
}

impl ExampleReader {
    /// Trains a reader on labelled answers.
    pub fn train(examples: &[LabelledWish]) -> ExampleReader {
        let mut labels: Vec<String> = Vec::new();
        let mut documents: Vec<f64> = Vec::new();
        let mut totals: Vec<f64> = Vec::new();
        let mut counts: HashMap<String, HashMap<usize, f64>> = HashMap::new();
        for example in examples {
            let label = match labels.iter().position(|l| *l == example.gold) {
                Some(label) => label,
                None => {
                    labels.push(example.gold.clone());
                    documents.push(0.0);
                    totals.push(0.0);
                    labels.len() - 1
                }
            };
            documents[label] += 1.0;
            for feature in features(&example.text) {
                *counts.entry(feature).or_default().entry(label).or_default() += 1.0;
                totals[label] += 1.0;
            }
        }
        let vocabulary = (counts.len() as f64).max(1.0);
        let all: f64 = documents.iter().sum();
        let log_prior = documents.iter().map(|d| (d / all).ln()).collect();
        let log_unseen = totals
            .iter()
            .map(|t| (SMOOTHING / (t + SMOOTHING * vocabulary)).ln())
            .collect();
        let gains = counts
            .into_iter()
            .map(|(feature, by_label)| {
                let mut gains: Vec<(usize, f64)> = by_label
                    .into_iter()
                    .map(|(label, count)| (label, ((count + SMOOTHING) / SMOOTHING).ln()))
                    .collect();
                gains.sort_by_key(|&(label, _)| label);
                (feature, gains)
            })
            .collect();
        ExampleReader {
            labels,
            log_prior,
            log_unseen,
            gains,
        }
    }

    /// A reader without examples: it knows no topic and never decides (the
    /// keywords alone, for comparison and where a new topic competes).
    pub fn none() -> ExampleReader {
        ExampleReader::train(&[])
    }

    /// The reader trained on every built-in set, trained once per process.
    pub fn built_in() -> &'static ExampleReader {
        static READER: OnceLock<ExampleReader> = OnceLock::new();
        READER.get_or_init(|| ExampleReader::train(&built_in_wishes()))
    }

    /// The topic labels the reader knows, in training order.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Log score of every label for a text (log prior plus the log
    /// likelihood of its features), in the order of [`Self::labels`].
    pub fn log_scores(&self, text: &str) -> Vec<f64> {
        // A feature no example has is left out: it would only favour the
        // topics with the fewest examples (whose unseen share is largest),
        // so an answer in a foreign language would go to the rarest topic.
        let known: Vec<&Vec<(usize, f64)>> = features(text)
            .iter()
            .filter_map(|feature| self.gains.get(feature))
            .collect();
        let mut scores: Vec<f64> = self
            .log_prior
            .iter()
            .zip(&self.log_unseen)
            .map(|(prior, unseen)| prior + unseen * known.len() as f64)
            .collect();
        for &(label, gain) in known.into_iter().flatten() {
            scores[label] += gain;
        }
        scores
    }

    /// The words of `text` (as written, most telling first, at most `limit`)
    /// whose features speak most for `label` against `against`.
    pub fn evidence(&self, text: &str, label: usize, against: usize, limit: usize) -> Vec<String> {
        let gain = |gains: &Vec<(usize, f64)>, of: usize| {
            gains
                .iter()
                .find(|&&(l, _)| l == of)
                .map_or(0.0, |&(_, gain)| gain)
                + self.log_unseen[of]
        };
        let mut telling: Vec<(f64, String)> = Vec::new();
        for word in words(text) {
            let weight: f64 = word_features(&word)
                .iter()
                .filter_map(|f| self.gains.get(f))
                .map(|gains| gain(gains, label) - gain(gains, against))
                .sum();
            if weight > 0.0 && !telling.iter().any(|(_, w)| w.eq_ignore_ascii_case(&word)) {
                telling.push((weight, word));
            }
        }
        telling.sort_by(|a, b| b.0.total_cmp(&a.0));
        telling.into_iter().take(limit).map(|(_, w)| w).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wish(gold: &str, text: &str) -> LabelledWish {
        LabelledWish {
            gold: gold.to_string(),
            second: None,
            text: text.to_string(),
        }
    }

    fn small() -> ExampleReader {
        ExampleReader::train(&[
            wish("Geld", "Zuschüsse für die Bürgerfahrt beantragen"),
            wish("Geld", "Crowdfunding für das Partnerschaftsfest"),
            wish("Geld", "Wer zahlt den Bus? Zuschuss der Stadt?"),
            wish("Presse", "Pressemitteilung zum Fest schreiben"),
            wish("Presse", "Lokalzeitung berichtet nie über uns"),
            wish("Recht", "DSGVO: Fotos auf der Homepage"),
        ])
    }

    fn best(reader: &ExampleReader, text: &str) -> String {
        let scores = reader.log_scores(text);
        let best = (0..scores.len())
            .max_by(|&a, &b| scores[a].total_cmp(&scores[b]))
            .unwrap();
        reader.labels()[best].clone()
    }

    #[test]
    fn inflections_and_compounds_share_word_pieces() {
        let reader = small();
        assert_eq!(best(&reader, "Zuschussantrag stellen"), "Geld");
        assert_eq!(best(&reader, "Wie kommen wir in die Zeitung?"), "Presse");
        assert_eq!(
            best(&reader, "Crowdfundig-Kampagne"),
            "Geld",
            "a typing error"
        );
    }

    #[test]
    fn abbreviations_count_as_whole_words_in_capitals_only() {
        assert_eq!(word_features("DSGVO"), vec!["=DSGVO".to_string()]);
        assert_eq!(best(&small(), "DSGVO"), "Recht");
        assert!(word_features("und").is_empty(), "stop words carry nothing");
        assert!(word_features("2025").is_empty());
    }

    #[test]
    fn the_evidence_is_the_words_that_tell_the_topics_apart() {
        let reader = small();
        let geld = reader.labels().iter().position(|l| l == "Geld").unwrap();
        let presse = reader.labels().iter().position(|l| l == "Presse").unwrap();
        let evidence = reader.evidence("Zuschuss für die Pressemitteilung?", geld, presse, 3);
        assert_eq!(evidence, vec!["Zuschuss".to_string()]);
        let evidence = reader.evidence("Zuschuss für die Pressemitteilung?", presse, geld, 3);
        assert_eq!(evidence, vec!["Pressemitteilung".to_string()]);
    }

    #[test]
    fn the_built_in_reader_knows_the_default_topics() {
        let reader = ExampleReader::built_in();
        for label in [
            "Fördermittel & Finanzierung",
            "Jugend",
            "Polen",
            "Allgemein",
        ] {
            assert!(reader.labels().iter().any(|l| l == label), "{label}");
        }
        assert_eq!(
            best(
                reader,
                "Crowdfunding-Plattform für unser Projekt, wer hat Erfahrung?"
            ),
            "Fördermittel & Finanzierung"
        );
    }
}
