//! Character n-gram similarity of an answer to the topics, for answers no
//! keyword matched: each topic's profile is its label, group and keywords,
//! its description and the texts of its learned examples; an answer is as
//! similar to a topic as to the whole profile or, at half weight, to the
//! profile's most similar phrase. Character n-grams (3–5 letters of the
//! folded words) meet inflections, compounds and typos without a stemmer
//! ("Bürgerfahrten" ~ "Fahrt", "finanzeille" ~ "Finanzierung"), which a
//! sentence-embedding model did not beat on this task (issue 12).

use std::collections::{BTreeMap, HashMap};

use super::text::{Analyzer, Token};

/// Shortest and longest n-gram in characters (word boundaries count as one).
const GRAMS: std::ops::RangeInclusive<usize> = 3..=5;
/// Least word length (folded chars) for a word to give n-grams.
const MIN_WORD: usize = 4;
/// Weight of the similarity to a topic's most similar phrase against the
/// similarity to its whole profile: a long description dilutes the one
/// phrase an answer echoes ("keiner im Ort weiß, dass es uns gibt"), a
/// single phrase alone is too easily met by chance.
const PHRASE_WEIGHT: f64 = 0.5;
/// Least similarity to a phrase for it to count: one shared verb ("planen"
/// in "gemeinsame Projekte mit den Partnern planen") is no echo.
const MIN_PHRASE_SIMILARITY: f64 = 0.4;

/// A sparse L2-normalised vector: n-gram id → weight.
type Vector = BTreeMap<u32, f64>;

/// The n-gram profiles of the topics.
pub struct Profiles {
    ids: HashMap<String, u32>,
    idf: Vec<f64>,
    unknown_idf: f64,
    topics: Vec<Option<Vector>>,
    /// Per topic: the vectors of its phrases (the text split at punctuation).
    phrases: Vec<Vec<Vector>>,
}

/// The most similar topic of an answer and the words that made it similar.
#[derive(Debug, Clone, PartialEq)]
pub struct Similar {
    /// Topic index.
    pub topic: usize,
    /// Cosine similarity 0–1.
    pub similarity: f64,
    /// Positions of the answer's words that contributed most.
    pub words: Vec<usize>,
}

impl Profiles {
    /// Profiles from the texts describing each topic (`None`: the topic takes
    /// no answers by similarity, e.g. the fallback).
    pub fn new(texts: &[Option<String>], analyzer: &Analyzer) -> Profiles {
        let mut ids: HashMap<String, u32> = HashMap::new();
        let counts: Vec<Option<BTreeMap<u32, f64>>> = texts
            .iter()
            .map(|text| {
                text.as_ref().map(|text| {
                    gram_counts(analyzer, text, |gram| {
                        let next = ids.len() as u32;
                        Some(*ids.entry(gram).or_insert(next))
                    })
                })
            })
            .collect();
        let documents = counts.iter().flatten().count().max(1) as f64;
        let mut df = vec![0.0_f64; ids.len()];
        for profile in counts.iter().flatten() {
            for id in profile.keys() {
                df[*id as usize] += 1.0;
            }
        }
        let idf: Vec<f64> = df
            .iter()
            .map(|d| ((1.0 + documents) / (1.0 + d)).ln() + 1.0)
            .collect();
        let vectorise = |counts: BTreeMap<u32, f64>| {
            let mut vector: Vector = counts
                .into_iter()
                .map(|(id, count)| (id, (1.0 + f64::ln(count)) * idf[id as usize]))
                .collect();
            normalise(&mut vector);
            vector
        };
        // A phrase's n-grams are all in its profile, so all have an id.
        let phrases = texts
            .iter()
            .map(|text| {
                text.as_deref().map_or_else(Vec::new, |text| {
                    text.split([',', '.', ':', ';', '\n'])
                        .map(|phrase| gram_counts(analyzer, phrase, |gram| ids.get(&gram).copied()))
                        .filter(|counts| !counts.is_empty())
                        .map(&vectorise)
                        .collect()
                })
            })
            .collect();
        let topics = counts
            .into_iter()
            .map(|profile| profile.map(&vectorise))
            .collect();
        Profiles {
            ids,
            idf,
            unknown_idf: (1.0 + documents).ln() + 1.0,
            topics,
            phrases,
        }
    }

    /// The topic most similar to an answer, with its similarity and the
    /// answer's most contributing words (at most two).
    pub fn most_similar(&self, tokens: &[Token]) -> Option<Similar> {
        let mut counts: BTreeMap<u32, f64> = BTreeMap::new();
        let mut unknown = 0_usize;
        let mut word_grams: Vec<Vec<u32>> = Vec::with_capacity(tokens.len());
        for token in tokens {
            let mut ids = Vec::new();
            for gram in grams(token) {
                match self.ids.get(&gram) {
                    Some(&id) => {
                        *counts.entry(id).or_insert(0.0) += 1.0;
                        ids.push(id);
                    }
                    None => unknown += 1,
                }
            }
            word_grams.push(ids);
        }
        let vector: Vector = counts
            .into_iter()
            .map(|(id, count)| (id, (1.0 + count.ln()) * self.idf[id as usize]))
            .collect();
        // N-grams no profile knows still lengthen the answer's vector, with
        // the weight of the rarest known n-gram.
        let rare = self.unknown_idf;
        let norm =
            (vector.values().map(|w| w * w).sum::<f64>() + unknown as f64 * rare * rare).sqrt();
        if norm == 0.0 {
            return None;
        }
        let cosine = |profile: &Vector| {
            vector
                .iter()
                .filter_map(|(id, w)| profile.get(id).map(|p| p * w))
                .sum::<f64>()
                / norm
        };
        let mut best: Option<(usize, f64)> = None;
        for (topic, profile) in self.topics.iter().enumerate() {
            let Some(profile) = profile else { continue };
            let best_phrase = self.phrases[topic].iter().map(cosine).fold(0.0, f64::max);
            let phrase = if best_phrase >= MIN_PHRASE_SIMILARITY {
                PHRASE_WEIGHT * best_phrase
            } else {
                0.0
            };
            let dot = cosine(profile).max(phrase);
            if dot > 0.0 && best.is_none_or(|(_, b)| dot > b) {
                best = Some((topic, dot));
            }
        }
        let (topic, similarity) = best?;
        let profile = self.topics[topic].as_ref()?;
        let mut contributions: Vec<(usize, f64)> = word_grams
            .iter()
            .enumerate()
            .map(|(i, ids)| {
                let sum = ids
                    .iter()
                    .filter_map(|id| profile.get(id).map(|p| p * vector[id]))
                    .sum::<f64>();
                (i, sum)
            })
            .filter(|(_, c)| *c > 0.0)
            .collect();
        contributions.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        Some(Similar {
            topic,
            similarity,
            words: contributions.into_iter().take(2).map(|(i, _)| i).collect(),
        })
    }
}

/// How often each n-gram of `text` occurs, by the id `id` gives it (`None`:
/// the n-gram is left out).
fn gram_counts(
    analyzer: &Analyzer,
    text: &str,
    mut id: impl FnMut(String) -> Option<u32>,
) -> BTreeMap<u32, f64> {
    let mut counts = BTreeMap::new();
    for token in analyzer.tokens(text) {
        for gram in grams(&token) {
            if let Some(id) = id(gram) {
                *counts.entry(id).or_insert(0.0) += 1.0;
            }
        }
    }
    counts
}

/// The character n-grams of a content word, with "_" marking its edges.
pub fn grams(token: &Token) -> Vec<String> {
    if token.stop || token.folded.chars().count() < MIN_WORD {
        return Vec::new();
    }
    let chars: Vec<char> = format!("_{}_", token.folded).chars().collect();
    let mut out = Vec::new();
    for n in GRAMS {
        for window in chars.windows(n) {
            out.push(window.iter().collect());
        }
    }
    out
}

fn normalise(vector: &mut Vector) {
    let norm = vector.values().map(|w| w * w).sum::<f64>().sqrt();
    if norm > 0.0 {
        vector.values_mut().for_each(|w| *w /= norm);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_and_inflections_meet_the_topic_profile() {
        let analyzer = Analyzer::new([]);
        let profiles = Profiles::new(
            &[
                Some("Fördermittel Finanzierung Zuschuss".into()),
                Some("Bürgerreisen Fahrten Reiseprogramm".into()),
                None,
            ],
            &analyzer,
        );
        let best = profiles
            .most_similar(&analyzer.tokens("finanzeille Hilfe gesucht"))
            .unwrap();
        assert_eq!(best.topic, 0);
        assert!(best.similarity > 0.1, "{}", best.similarity);
        let tokens = analyzer.tokens("Wer organisiert die Reiseplanung?");
        let best = profiles.most_similar(&tokens).unwrap();
        assert_eq!(best.topic, 1);
        assert_eq!(tokens[best.words[0]].original, "Reiseplanung");
        assert!(
            profiles
                .most_similar(&analyzer.tokens("xyzzy qwrtz"))
                .is_none()
        );
    }

    #[test]
    fn an_answer_that_echoes_one_phrase_is_not_diluted_by_the_rest() {
        let analyzer = Analyzer::new([]);
        let long = "Presse und Lokalzeitung, Instagram, Flyer und Plakate, Stand auf dem \
                    Stadtfest, Newsletter, Pressemitteilung, keiner im Dorf weiß, dass es uns gibt";
        let profiles = Profiles::new(
            &[
                Some(long.into()),
                Some("Dorfgemeinschaft Dorffest Gemeinschaft".into()),
            ],
            &analyzer,
        );
        let tokens = analyzer.tokens("Im Dorf weiß keiner, dass es uns gibt");
        let best = profiles.most_similar(&tokens).unwrap();
        assert_eq!(best.topic, 0, "{best:?}");
        // The echoed phrase counts at half weight; against the whole
        // profile the answer would reach less than 0.3.
        assert!(best.similarity >= 0.45, "{best:?}");
    }
}
