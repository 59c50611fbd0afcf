//! Keywords for a topic formed on the day: when staff turn a cluster the
//! catalogue does not know ("Vereinsrecht & Gemeinnützigkeit") into a topic,
//! the words its wishes share and the other wishes of the event lack are the
//! proposed keywords. Staff review them before the topic is saved; then the
//! next forum's suggestions find the topic by keyword, not only through the
//! learned examples of the finished event.

use std::collections::{HashMap, HashSet};

use super::matcher::capitalises_nouns;
use super::reader::ExampleReader;
use super::text::{Analyzer, Token};
use super::{Catalogue, SuggestionOrigin, build_analyzer, suggest_with_examples};

/// Priority of a topic adopted from a cluster when none of its keywords is a
/// keyword of another topic: topics formed on the day are specific, so they
/// rank with the Vereinsarbeit topics, above learned examples (50).
pub const ADOPTED_PRIORITY: i32 = 60;

/// What adopting a cluster as a topic proposes, for staff to review.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// Keywords, most distinctive first (see [`propose_keywords`]).
    pub keywords: Vec<String>,
    /// Priority: [`ADOPTED_PRIORITY`], or one above the catalogue topics the
    /// keywords also match (at most 100), so the new topic takes what staff
    /// moved into it ("Gemeinnützigkeit" also points to "Organisationsformen …").
    /// Countries are not lifted above: a country keyword stays the country's.
    pub priority: i32,
    /// Labels of the catalogue topics the proposed keywords also match.
    pub overlaps: Vec<String>,
}

/// The proposal for a new topic made of the wishes `members`: keywords,
/// priority and the catalogue topics it overlaps with.
pub fn propose(members: &[String], others: &[String], catalogue: &Catalogue) -> Proposal {
    let keywords = propose_keywords(members, others, catalogue);
    let mut overlaps: Vec<String> = Vec::new();
    let mut priority = ADOPTED_PRIORITY;
    // The topic a keyword matches best and its runner-up both compete for
    // the wishes that use it. Keywords are what the new topic competes with,
    // so the example reader, which would not know the new topic, is left out.
    let matched = suggest_with_examples(&keywords, catalogue, &[], &ExampleReader::none())
        .into_iter()
        .filter(|s| s.origin == SuggestionOrigin::Catalogue)
        .flat_map(|s| std::iter::once(s.cluster).chain(s.second.map(|second| second.cluster)));
    for label in matched {
        let Some(topic) = catalogue.topics.iter().find(|t| t.label == label) else {
            continue;
        };
        if !overlaps.contains(&label) {
            priority = priority.max(topic.priority + 1);
            overlaps.push(label);
        }
    }
    Proposal {
        keywords,
        priority: priority.min(*super::catalogue::PRIORITY_RANGE.end()),
        overlaps,
    }
}

/// At most this many keywords are proposed.
pub const MAX_KEYWORDS: usize = 8;
/// A keyword must occur in at least this share of the cluster's wishes
/// (and in two of them once the cluster has three or more).
const MIN_SHARE: f64 = 0.2;
/// Least length (folded letters) of a proposed stem: shorter stems ("rat",
/// "tag") meet too many compounds.
const MIN_STEM: usize = 4;

/// Proposed keywords for a new topic made of the wishes `members`, set off
/// against `others` (the event's other wishes): the stems most of the members
/// share and few others contain, each as the members wrote it, most
/// distinctive first. Generic actor words of the catalogue ("~Verein") are
/// never proposed: alone they are no topic.
pub fn propose_keywords(
    members: &[String],
    others: &[String],
    catalogue: &Catalogue,
) -> Vec<String> {
    if members.is_empty() {
        return Vec::new();
    }
    let texts: Vec<String> = members.iter().chain(others).cloned().collect();
    let analyzer = build_analyzer(&texts, catalogue, &[]);
    let generic = generic_stems(catalogue, &analyzer);
    let mut written: HashMap<String, HashMap<String, usize>> = HashMap::new();
    let mut inside: HashMap<String, usize> = HashMap::new();
    // A topic is a thing: a word a writer who capitalises nouns wrote in lower
    // case ("dürfen", "vernetzen") is no keyword.
    let mut not_nouns: HashSet<String> = HashSet::new();
    for text in members {
        let tokens = analyzer.tokens(text);
        let careful = capitalises_nouns(&tokens);
        for (stem, form, capitalised) in stems_with_forms(&tokens) {
            if careful && !capitalised {
                not_nouns.insert(stem.clone());
            }
            *written
                .entry(stem.clone())
                .or_default()
                .entry(form)
                .or_default() += 1;
            *inside.entry(stem).or_default() += 1;
        }
    }
    let mut outside: HashMap<String, usize> = HashMap::new();
    for text in others {
        for (stem, _, _) in stems_with_forms(&analyzer.tokens(text)) {
            *outside.entry(stem).or_default() += 1;
        }
    }
    let n_in = members.len() as f64;
    let n_out = others.len() as f64;
    let least = if members.len() >= 3 { 2 } else { 1 };
    let mut ranked: Vec<(f64, String)> = inside
        .into_iter()
        .filter(|(stem, count)| {
            *count >= least
                && *count as f64 >= MIN_SHARE * n_in
                && stem.chars().count() >= MIN_STEM
                && !generic.contains(stem)
                && !not_nouns.contains(stem)
        })
        .filter_map(|(stem, count)| {
            let share_in = count as f64 / n_in;
            let out = outside.get(&stem).copied().unwrap_or(0) as f64;
            // More common among the other wishes than in the cluster: no mark of it.
            if n_out > 0.0 && out / n_out >= share_in {
                return None;
            }
            let score = share_in * ((1.0 + n_out) / (1.0 + out)).ln().max(0.1);
            Some((score, stem))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let mut out: Vec<String> = Vec::new();
    for (_, stem) in ranked {
        let form = most_written(&written[&stem]);
        if !out.iter().any(|k| k.eq_ignore_ascii_case(&form)) {
            out.push(form);
        }
        if out.len() == MAX_KEYWORDS {
            break;
        }
    }
    out
}

/// The stems of the catalogue's generic actor keywords ("~Kommune").
fn generic_stems(catalogue: &Catalogue, analyzer: &Analyzer) -> HashSet<String> {
    catalogue
        .topics
        .iter()
        .flat_map(|t| &t.keywords)
        .filter_map(|k| k.strip_prefix('~'))
        .flat_map(|k| analyzer.tokens(k.trim_end_matches('*')))
        .flat_map(|t| {
            let mut stems = vec![t.stem.clone()];
            stems.extend(t.parts.iter().map(|p| p.stem.clone()));
            stems
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// The distinct content stems of an answer, each with the form it was written
/// in — the word itself, or for a compound part the part (capitalised when the
/// compound was, "Satzung" from "Vereinssatzung") — and whether the word was
/// capitalised.
fn stems_with_forms(tokens: &[Token]) -> Vec<(String, String, bool)> {
    let mut out: Vec<(String, String, bool)> = Vec::new();
    for token in tokens {
        for stem in token.content_stems() {
            if out.iter().any(|(s, _, _)| s == stem) {
                continue;
            }
            let form = if token.stem == stem {
                token.original.clone()
            } else {
                let part = token.parts.iter().find(|p| p.stem == stem);
                let display = part.map_or_else(|| stem.to_string(), |p| p.display.clone());
                if token.capitalised() {
                    capitalise(&display)
                } else {
                    display
                }
            };
            out.push((stem.to_string(), form, token.capitalised()));
        }
    }
    out
}

/// The most frequent written form; on a tie the alphabetically first.
fn most_written(forms: &HashMap<String, usize>) -> String {
    forms
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(form, _)| form.clone())
        .unwrap_or_default()
}

/// The word with its first letter in upper case.
fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[&str]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn the_words_the_cluster_shares_and_the_others_lack_are_proposed() {
        let members = texts(&[
            "Gemeinnützigkeit bei Reisen mit dem Verein – was sagt das Finanzamt?",
            "Verliert unser Verein die Gemeinnützigkeit, wenn wir Bürgerreisen anbieten?",
            "Satzung ändern: worauf achtet das Finanzamt bei der Gemeinnützigkeit?",
        ]);
        let others = texts(&[
            "Fördermittel für den Jugendaustausch",
            "Wie gewinnen wir jüngere Mitglieder für den Verein?",
            "Kontakt zur Partnerstadt in Polen wiederbeleben",
        ]);
        let keywords = propose_keywords(&members, &others, &Catalogue::default_catalogue());
        assert_eq!(
            keywords[..2],
            ["Gemeinnützigkeit", "Finanzamt"],
            "{keywords:?}"
        );
        assert!(
            !keywords.iter().any(|k| k.eq_ignore_ascii_case("Verein")),
            "a generic actor word is no keyword: {keywords:?}"
        );
    }

    #[test]
    fn a_word_common_outside_the_cluster_is_no_mark_of_it() {
        let members = texts(&[
            "Austausch über Datenschutz",
            "Datenschutz bei Fotos und Austausch",
        ]);
        let others = texts(&[
            "Austausch mit Polen",
            "Austausch zur Förderung",
            "Austausch allgemein",
        ]);
        let keywords = propose_keywords(&members, &others, &Catalogue::default_catalogue());
        assert_eq!(keywords.first().map(String::as_str), Some("Datenschutz"));
        assert!(!keywords.iter().any(|k| k == "Austausch"), "{keywords:?}");
    }

    #[test]
    fn a_compound_part_is_proposed_as_written_and_a_word_once() {
        let members = texts(&[
            "Vereinssatzung anpassen",
            "Mustersatzung für Partnerschaftsvereine",
            "Satzung und Satzungsänderung",
        ]);
        let keywords = propose_keywords(&members, &[], &Catalogue::default_catalogue());
        assert_eq!(
            keywords.first().map(String::as_str),
            Some("Satzung"),
            "{keywords:?}"
        );
        assert_eq!(
            keywords
                .iter()
                .filter(|k| k.eq_ignore_ascii_case("satzung"))
                .count(),
            1
        );
    }

    #[test]
    fn verbs_and_fillers_are_no_keywords() {
        let members = texts(&[
            "Dürfen wir die Satzung online ändern?",
            "Satzung: dürfen Versammlungen online stattfinden?",
            "gibts eine Mustersatzung? Was dürfen wir?",
        ]);
        let keywords = propose_keywords(&members, &[], &Catalogue::default_catalogue());
        assert_eq!(
            keywords.first().map(String::as_str),
            Some("Satzung"),
            "{keywords:?}"
        );
        for word in ["dürfen", "Dürfen", "gibts", "online"] {
            assert!(
                !keywords.iter().any(|k| k == word),
                "{word} in {keywords:?}"
            );
        }
    }

    #[test]
    fn a_keyword_of_another_topic_lifts_the_priority_above_it() {
        let catalogue = Catalogue::default_catalogue();
        let members = texts(&[
            "Gemeinnützigkeit und Finanzamt",
            "Finanzamt und Gemeinnützigkeit",
        ]);
        let proposal = propose(&members, &[], &catalogue);
        let highest = catalogue
            .topics
            .iter()
            .filter(|t| proposal.overlaps.contains(&t.label))
            .map(|t| t.priority)
            .max()
            .expect("Gemeinnützigkeit is a keyword of a catalogue topic");
        assert_eq!(proposal.priority, highest + 1);

        let fresh = propose(
            &texts(&["Kegelbahn gesucht", "Kegelbahn für den Kegelabend"]),
            &[],
            &catalogue,
        );
        assert_eq!(
            (fresh.priority, fresh.overlaps.len()),
            (ADOPTED_PRIORITY, 0)
        );
    }

    #[test]
    fn no_members_no_keywords_and_at_most_eight() {
        assert!(propose_keywords(&[], &texts(&["x"]), &Catalogue::default_catalogue()).is_empty());
        let long = texts(&[
            "Alpha Bravo Charlie Delta Echo Foxtrot Golf Hotel India Juliett Kilo",
            "Alpha Bravo Charlie Delta Echo Foxtrot Golf Hotel India Juliett Kilo",
        ]);
        assert_eq!(
            propose_keywords(&long, &[], &Catalogue::default_catalogue()).len(),
            MAX_KEYWORDS
        );
    }
}
