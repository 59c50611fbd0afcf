//! Wishes of an event ("Ihre Wünsche für den heutigen Austausch") and their
//! automatic grouping into topics.
//!
//! [`suggest`] is pure, offline and deterministic:
//! 1. every answer is normalised (case, umlauts, punctuation), split into
//!    words, stemmed (Snowball German) and its compounds are split against a
//!    vocabulary ("Finanzierungsmöglichkeiten" → finanzierung + möglichkeiten);
//!    each word gets a salience: the question over context sentences, the
//!    head of a phrase over a subordinate clause, a parenthesis or a
//!    modifier ([`salience`]);
//! 2. keywords of the catalogue and the built-in country lexicon are matched
//!    against words and compound parts, each hit weighted by its salience. A
//!    topic is a candidate only when its most central hit is nearly as
//!    central as the most central hit of any topic, so a word mentioned in
//!    passing never beats the main noun; generic actor words ("~Kommune")
//!    alone make no topic. Among candidates the highest
//!    `priority + PRIORITY_PER_HIT × score` wins; the runner-up is the
//!    second topic. The words that decided are the suggestion's evidence;
//! 3. answers that no catalogue topic or country matched get the votes of
//!    their most similar learned examples from finished events (which also
//!    bring topics the catalogue does not know); a keyword match is never
//!    overridden by learned votes;
//! 4. answers still without a topic but with content go to the topic most
//!    similar by character n-grams to its label, keywords and learned
//!    examples ([`similar`]) — when similar enough; the rest are grouped by
//!    TF-IDF and average linkage into new clusters named by their top terms;
//! 5. answers without content ("keine Fragen", "-") go to the fallback topic
//!    ("Allgemein"), which otherwise takes only what its keywords or the
//!    examples file there; an answer nothing points to is left unassigned;
//! 6. the example reader ([`reader`], trained on the built-in example
//!    wishes of [`corpus`]) gives a second opinion: it overrules a topic it
//!    knows when it clearly reads the answer otherwise, and places answers
//!    left unassigned or in discovered clusters, naming the words that
//!    decided. Non-answers, the office's learned examples and topics staff
//!    added stay as they are.

pub mod board;
mod catalogue;
mod corpus;
mod discover;
pub mod eval;
mod learn;
mod lexicon;
mod matcher;
mod propose;
mod reader;
mod salience;
mod similar;
mod text;
pub mod topics;

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Serialize;

pub use board::register;
pub use catalogue::{
    Catalogue, CatalogueError, Country, CountrySettings, Topic, countries_lexicon,
    topic_description,
};
pub use learn::LearnedExample;
pub use propose::{Proposal, propose};

use discover::discover;
use learn::LearnedModel;
use matcher::{Matcher, TopicKind, TopicScores, capitalises_nouns, keyword_vocabulary};
use reader::ExampleReader;
use similar::Profiles;
use text::{Analyzer, Token};

/// Priority of topics known only from learned examples.
pub const LEARNED_PRIORITY: i32 = 50;
/// How many priority points one more keyword hit is worth.
const PRIORITY_PER_HIT: f64 = 15.0;
/// Least strength (keyword weight × salience of its most central specific
/// hit) for a topic to count as matched.
const MIN_STRENGTH: f64 = 0.25;
/// A topic is a candidate only when its strength reaches this share of the
/// strongest topic's: a mention in passing does not compete with the head.
const RELATIVE_STRENGTH: f64 = 0.85;
/// How far (in log score) the example reader must prefer another topic to
/// overrule the keywords' topic. Chosen by leaving each development set out
/// of the examples in turn and scoring it: 15 overruled too many right
/// keyword matches, above 20 nothing more was gained.
const EXAMPLE_MARGIN: f64 = 20.0;
/// Least confidence of a topic the example reader chooses (its margin over
/// the other topic, 20 → 0.5): a near tie is no decision, and an answer is
/// never placed with 0 %.
const LEAST_EXAMPLE_CONFIDENCE: f64 = 0.1;
/// Least character n-gram similarity for an unmatched answer to join a topic.
/// With the topic descriptions, 0.1 placed the most answers right on the
/// development sets (dev3, dev4); lower, answers about topics the catalogue
/// lacks (Kultur, Gedenken) were drawn into known ones instead of being
/// discovered as new clusters.
const MIN_SIMILARITY: f64 = 0.1;
/// A lone word ("offen") must be twice as similar as an answer with more
/// content: one word shares n-grams with some topic by chance
/// ("offen" ~ "Öffentlichkeit").
fn least_similarity(terms: &[String]) -> f64 {
    if terms.len() <= 1 {
        2.0 * MIN_SIMILARITY
    } else {
        MIN_SIMILARITY
    }
}

/// Confidence of the fallback for an answer without any content word.
const NON_ANSWER_CONFIDENCE: f64 = 0.9;
/// Confidence of the fallback for a lone answer of one unknown word.
const LONE_WORD_CONFIDENCE: f64 = 0.5;
/// At most this many evidence words per suggestion.
const EVIDENCE_WORDS: usize = 3;
/// Weight of the learned votes relative to one keyword hit.
const LEARNED_WEIGHT: f64 = 1.0;
/// Least learned vote for a topic to be suggested when no keyword matched.
const MIN_VOTE: f64 = 0.35;

/// Where a suggested cluster comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SuggestionOrigin {
    /// A topic of the catalogue matched.
    Catalogue,
    /// A country of the built-in lexicon matched.
    Country,
    /// Learned examples of earlier events decided.
    Learned,
    /// The built-in example wishes decided: the example reader overruled the
    /// keywords' topic or placed an answer no topic matched.
    Examples,
    /// No keyword matched; the topic is the most similar by character n-grams.
    Similar,
    /// A new cluster found among answers no topic matched.
    Discovered,
    /// No topic: the fallback cluster ("Allgemein").
    Fallback,
    /// Nothing points anywhere: the answer stays unassigned (confidence 0).
    Unassigned,
}

/// The runner-up topic of an answer with two topics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SecondTopic {
    /// Cluster label.
    pub cluster: String,
    /// Group label.
    pub group: Option<String>,
    /// Confidence 0–1.
    pub score: f64,
}

/// The suggested cluster of one answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    /// Cluster label, e.g. "Ukraine" or "Fördermittel & Finanzierung".
    pub cluster: String,
    /// Group label, e.g. "Länderspezifisch" (None: the cluster is a heading itself).
    pub group: Option<String>,
    /// Confidence 0–1 (0 for the fallback without any hint).
    pub score: f64,
    /// Where the suggestion comes from.
    pub origin: SuggestionOrigin,
    /// The second-best topic, if another topic matched too.
    pub second: Option<SecondTopic>,
    /// The words of the answer that decided (as written, most decisive
    /// first), shown on the card so staff see why.
    pub evidence: Vec<String>,
}

impl Suggestion {
    /// Whether the answer is left unassigned (then `cluster` is empty).
    pub fn is_unassigned(&self) -> bool {
        self.origin == SuggestionOrigin::Unassigned
    }
}

/// Suggests a cluster for every answer, in input order. Pure and
/// deterministic: the same input gives the same output.
pub fn suggest(
    texts: &[String],
    catalogue: &Catalogue,
    learned: &[LearnedExample],
) -> Vec<Suggestion> {
    suggest_with_examples(texts, catalogue, learned, ExampleReader::built_in())
}

/// Trains the example reader on the built-in example wishes now, so that the
/// first [`suggest`] of the process does not wait for it (about 0.1 s).
pub fn prepare_suggestions() {
    ExampleReader::built_in();
}

/// [`suggest`] with a given example reader (the quality report scores each
/// built-in set with a reader that has not seen it).
fn suggest_with_examples(
    texts: &[String],
    catalogue: &Catalogue,
    learned: &[LearnedExample],
    reader: &ExampleReader,
) -> Vec<Suggestion> {
    let analyzer = build_analyzer(texts, catalogue, learned);
    let example_features: Vec<Vec<String>> = learned
        .iter()
        .map(|e| content_terms(&analyzer.tokens(&e.text)))
        .collect();
    let model = LearnedModel::new(learned, &example_features);
    let matcher = Matcher::new(catalogue, &model.labels, &analyzer);
    let learned_topics: Vec<usize> = model
        .labels
        .iter()
        .map(|(label, _)| {
            matcher
                .index_of(label)
                .expect("learned labels are compiled")
        })
        .collect();
    let tokens: Vec<Vec<Token>> = texts.iter().map(|t| analyzer.tokens(t)).collect();
    let terms: Vec<Vec<String>> = tokens.iter().map(|t| content_terms(t)).collect();
    let fallback = matcher
        .topics
        .iter()
        .position(|t| t.kind == TopicKind::Fallback)
        .expect("the matcher always has a fallback");

    let mut out: Vec<Option<Suggestion>> = Vec::with_capacity(texts.len());
    let mut non_answers = vec![false; texts.len()];
    let mut countries_named: Vec<Vec<usize>> = Vec::with_capacity(texts.len());
    let mut unmatched = Vec::new();
    for (i, (tokens, terms)) in tokens.iter().zip(&terms).enumerate() {
        let keyword = matcher.scores(tokens, &salience::salience(&texts[i]));
        countries_named.push(
            (0..matcher.topics.len())
                .filter(|&t| matcher.topics[t].kind == TopicKind::Country)
                .filter(|&t| !keyword.words[t].is_empty())
                .collect(),
        );
        let mut votes = vec![0.0; keyword.score.len()];
        let candidates = keyword_candidates(&matcher, &keyword);
        if candidates.iter().all(|&c| c == fallback) {
            for (label, vote) in model.votes(terms) {
                votes[learned_topics[label]] += vote;
            }
        }
        let scores: Vec<f64> = keyword
            .score
            .iter()
            .zip(&votes)
            .map(|(k, v)| k + LEARNED_WEIGHT * v)
            .collect();
        match rank(&matcher, &candidates, &keyword, &votes, &scores) {
            Some((best, second)) => {
                non_answers[i] = best == fallback && is_non_answer(tokens, terms);
                let learned = !candidates.contains(&best);
                let origin = if learned {
                    SuggestionOrigin::Learned
                } else {
                    origin_of(matcher.topics[best].kind)
                };
                let evidence = if learned {
                    let written = tokens_by_term(tokens);
                    model
                        .labels
                        .iter()
                        .position(|(l, _)| *l == matcher.topics[best].label)
                        .map(|label| {
                            model
                                .shared_terms(terms, label)
                                .into_iter()
                                .filter_map(|t| written.get(t).cloned())
                                .take(EVIDENCE_WORDS)
                                .collect()
                        })
                        .unwrap_or_default()
                } else {
                    words_of(tokens, &keyword.words[best])
                };
                out.push(Some(make_suggestion(
                    &matcher, best, second, &scores, origin, evidence,
                )));
            }
            None if terms.is_empty() || is_non_answer(tokens, terms) => {
                non_answers[i] = true;
                out.push(Some(non_answer(&matcher, fallback)));
            }
            None => {
                unmatched.push(i);
                out.push(None);
            }
        }
    }
    let profiles = topic_profiles(&matcher, catalogue, learned, &analyzer);
    let mut leftovers = Vec::new();
    for &i in &unmatched {
        match profiles.most_similar(&tokens[i]) {
            Some(similar) if similar.similarity >= least_similarity(&terms[i]) => {
                let topic = &matcher.topics[similar.topic];
                out[i] = Some(Suggestion {
                    cluster: topic.label.clone(),
                    group: topic.group.clone(),
                    score: similar.similarity.min(1.0),
                    origin: if similar.topic == fallback {
                        SuggestionOrigin::Fallback
                    } else {
                        SuggestionOrigin::Similar
                    },
                    second: None,
                    evidence: words_of(&tokens[i], &similar.words),
                });
            }
            _ => leftovers.push(i),
        }
    }
    place_leftovers(&mut out, &leftovers, &terms, &tokens, &matcher, fallback);
    let mut out: Vec<Suggestion> = out
        .into_iter()
        .map(|s| s.expect("every answer has a suggestion"))
        .collect();
    let topics = reader_topics(reader, &matcher, catalogue);
    for (i, suggestion) in out.iter_mut().enumerate() {
        if !non_answers[i] && suggestion.origin != SuggestionOrigin::Learned {
            let answer = Answer {
                text: &texts[i],
                countries_named: &countries_named[i],
            };
            read_by_examples(suggestion, answer, reader, &topics, &matcher);
        }
    }
    unassign_lone_discoveries(&mut out);
    out
}

/// A discovered cluster the example reader left with one answer is no
/// shared theme any more (discovery groups at least two): its answer is
/// unassigned.
fn unassign_lone_discoveries(out: &mut [Suggestion]) {
    let mut members: HashMap<String, usize> = HashMap::new();
    for s in out
        .iter()
        .filter(|s| s.origin == SuggestionOrigin::Discovered)
    {
        *members.entry(s.cluster.clone()).or_default() += 1;
    }
    for s in out.iter_mut() {
        if s.origin == SuggestionOrigin::Discovered && members[&s.cluster] < 2 {
            *s = unassigned();
        }
    }
}

/// The default catalogue: the built-in examples are labelled with its labels,
/// and a topic staff renamed keeps its key.
static DEFAULT_CATALOGUE: LazyLock<Catalogue> = LazyLock::new(Catalogue::default_catalogue);

/// For every label of the reader the matcher's topic it stands for: a default
/// topic's label → the catalogue's topic with that key (renamed or not;
/// nothing when staff deleted it, then the default fallback's label → the
/// catalogue's fallback), a country's label → that country when the catalogue
/// has countries. Any other label (a topic one writer of the examples added)
/// stands for nothing: a topic staff added under that name keeps its keywords
/// rather than a stranger's examples.
fn reader_topics(
    reader: &ExampleReader,
    matcher: &Matcher,
    catalogue: &Catalogue,
) -> Vec<Option<usize>> {
    let default = &*DEFAULT_CATALOGUE;
    reader
        .labels()
        .iter()
        .map(
            |label| match default.topics.iter().find(|t| t.label == *label) {
                Some(topic) => catalogue
                    .topics
                    .iter()
                    .find(|t| t.key == topic.key)
                    .map(|t| t.label.as_str())
                    .or((*label == default.fallback).then_some(catalogue.fallback.as_str()))
                    .and_then(|label| matcher.index_of(label)),
                None => matcher
                    .index_of(label)
                    .filter(|&t| matcher.topics[t].kind == TopicKind::Country),
            },
        )
        .collect()
}

/// An answer as the example reader sees it: its text and the countries the
/// lexicon found in it.
#[derive(Clone, Copy)]
struct Answer<'a> {
    text: &'a str,
    countries_named: &'a [usize],
}

/// The example reader's second opinion on one suggestion. It overrules a
/// topic it knows when it prefers another by [`EXAMPLE_MARGIN`]; it places
/// an unassigned answer, and takes an answer out of a discovered cluster
/// when it prefers its topic by half that margin over any other (a cluster
/// found among the event's own answers is a theme they share). Either way
/// it must name the words that speak for its topic. It leaves alone
/// non-answers, what the office's own learned examples decided, and topics
/// it has no examples of (a topic staff added stays with its keywords).
/// `topics` maps the reader's labels to the matcher's topics; of them it may
/// choose a country only when the answer names it (the lexicon knows
/// countries; word pieces would guess them). A choice needs at least
/// [`LEAST_EXAMPLE_CONFIDENCE`].
fn read_by_examples(
    suggestion: &mut Suggestion,
    answer: Answer<'_>,
    reader: &ExampleReader,
    topics: &[Option<usize>],
    matcher: &Matcher,
) {
    let text = answer.text;
    let scores = reader.log_scores(text);
    let choosable = |topic: usize| {
        matcher.topics[topic].kind != TopicKind::Country || answer.countries_named.contains(&topic)
    };
    let mut ranked: Vec<usize> = (0..scores.len())
        .filter(|&l| topics[l].is_some_and(choosable))
        .collect();
    ranked.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    let (Some(&best), Some(&runner_up)) = (ranked.first(), ranked.get(1)) else {
        return;
    };
    let current = matcher
        .index_of(&suggestion.cluster)
        .and_then(|topic| topics.iter().position(|&t| t == Some(topic)));
    let against = match current {
        Some(current)
            if topics[current] != topics[best]
                && scores[best] - scores[current] >= EXAMPLE_MARGIN =>
        {
            current
        }
        None if suggestion.origin == SuggestionOrigin::Unassigned => runner_up,
        None if suggestion.origin == SuggestionOrigin::Discovered
            && scores[best] - scores[runner_up] >= EXAMPLE_MARGIN / 2.0 =>
        {
            runner_up
        }
        _ => return,
    };
    let score = confidence((scores[best] - scores[against]) / EXAMPLE_MARGIN);
    let evidence = reader.evidence(text, best, against, EVIDENCE_WORDS);
    if evidence.is_empty() || score < LEAST_EXAMPLE_CONFIDENCE {
        return;
    }
    let topic = &matcher.topics[topics[best].expect("ranked labels have a topic")];
    let replaced = std::mem::replace(
        suggestion,
        Suggestion {
            cluster: topic.label.clone(),
            group: topic.group.clone(),
            score,
            origin: SuggestionOrigin::Examples,
            second: None,
            evidence,
        },
    );
    if current.is_some() {
        suggestion.second = Some(SecondTopic {
            cluster: replaced.cluster,
            group: replaced.group,
            score: replaced.score,
        });
    }
}

/// The n-gram profile text of every topic but the countries: label, group,
/// keywords (without the keyword syntax), the description of a default topic
/// and the texts of its learned examples, each a phrase of its own for the
/// phrase similarity (see similar.rs).
fn topic_profiles(
    matcher: &Matcher,
    catalogue: &Catalogue,
    learned: &[LearnedExample],
    analyzer: &Analyzer,
) -> Profiles {
    let mut texts: Vec<String> = matcher
        .topics
        .iter()
        .map(|t| format!("{} {}", t.label, t.group.as_deref().unwrap_or_default()))
        .collect();
    for topic in &catalogue.topics {
        if let Some(i) = matcher.index_of(&topic.label) {
            for keyword in &topic.keywords {
                texts[i].push(' ');
                texts[i].push_str(keyword.trim_start_matches(['=', '~']).trim_end_matches('*'));
            }
            if let Some(description) = topic_description(&topic.key) {
                texts[i].push_str(". ");
                texts[i].push_str(description);
            }
        }
    }
    for example in learned {
        if let Some(i) = matcher.index_of(&example.cluster) {
            texts[i].push_str(". ");
            texts[i].push_str(&example.text);
        }
    }
    // A country is recognised by its lexicon or not at all: by n-grams,
    // "erreicht" would be near "Österreich".
    let profiles: Vec<Option<String>> = texts
        .into_iter()
        .zip(&matcher.topics)
        .map(|(text, topic)| (topic.kind != TopicKind::Country).then_some(text))
        .collect();
    Profiles::new(&profiles, analyzer)
}

/// The written words at `positions` (distinct, at most [`EVIDENCE_WORDS`]).
fn words_of(tokens: &[Token], positions: &[usize]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for &p in positions {
        let word = &tokens[p].original;
        if !out.iter().any(|w| w.eq_ignore_ascii_case(word)) {
            out.push(word.clone());
        }
        if out.len() == EVIDENCE_WORDS {
            break;
        }
    }
    out
}

/// For every content stem of an answer the word it was written as.
fn tokens_by_term(tokens: &[Token]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for token in tokens {
        for stem in token.content_stems() {
            out.entry(stem.to_string())
                .or_insert_with(|| token.original.clone());
        }
    }
    out
}

fn build_analyzer(texts: &[String], catalogue: &Catalogue, learned: &[LearnedExample]) -> Analyzer {
    let vocabulary = keyword_vocabulary(catalogue);
    let words = vocabulary
        .iter()
        .map(String::as_str)
        .chain(learned.iter().map(|e| e.text.as_str()))
        .chain(texts.iter().map(String::as_str));
    Analyzer::new(words)
}

/// The distinct content stems of an answer (word stems and compound parts).
fn content_terms(tokens: &[Token]) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for token in tokens {
        for stem in token.content_stems() {
            if !terms.iter().any(|t| t == stem) {
                terms.push(stem.to_string());
            }
        }
    }
    terms
}

/// The topics whose keywords matched centrally enough: at least
/// [`MIN_STRENGTH`] and [`RELATIVE_STRENGTH`] of the strongest topic's
/// strength. When a catalogue topic or a country matched, the learned
/// examples do not vote (in cross-validation on the tuning half, learned
/// votes overriding keyword matches did more harm than good).
///
/// The fallback ("Allgemein") is only for answers without a topic: its
/// keywords ("nichts", "Überblick") compete only when no other topic
/// matched ("Die Leute können ja nichts dafür" in a wish about a conflict).
fn keyword_candidates(matcher: &Matcher, keyword: &TopicScores) -> Vec<usize> {
    let strongest_of = |fallback: bool| {
        (0..matcher.topics.len())
            .filter(|&i| (matcher.topics[i].kind == TopicKind::Fallback) == fallback)
            .map(|i| keyword.strength[i])
            .fold(0.0, f64::max)
    };
    let topical = strongest_of(false) >= MIN_STRENGTH;
    let strongest = if topical {
        strongest_of(false)
    } else {
        strongest_of(true)
    };
    if strongest < MIN_STRENGTH {
        return Vec::new();
    }
    let cut = (RELATIVE_STRENGTH * strongest).max(MIN_STRENGTH);
    (0..matcher.topics.len())
        .filter(|&i| keyword.strength[i] >= cut)
        .filter(|&i| !topical || matcher.topics[i].kind != TopicKind::Fallback)
        .collect()
}

/// Best and second-best topic. Candidates are the keyword candidates; only
/// when none (or only the fallback) matched, the topics the learned examples
/// voted for (at least [`MIN_VOTE`]) join. Among candidates the highest
/// `priority + PRIORITY_PER_HIT × score` wins, where the score adds keyword
/// hits and weighted learned votes. The second topic is the best other topic
/// with a specific keyword hit of at least [`MIN_STRENGTH`].
fn rank(
    matcher: &Matcher,
    candidates: &[usize],
    keyword: &TopicScores,
    votes: &[f64],
    scores: &[f64],
) -> Option<(usize, Option<usize>)> {
    let voted = (0..votes.len()).filter(|&i| votes[i] >= MIN_VOTE && !candidates.contains(&i));
    let mut candidates: Vec<usize> = candidates.iter().copied().chain(voted).collect();
    let effective = |i: usize| f64::from(matcher.topics[i].priority) + PRIORITY_PER_HIT * scores[i];
    // On a tie the topic named first wins ("mit unserer polnischen und
    // unserer französischen Partnerstadt" is about Poland first).
    let first_named = |i: usize| keyword.words[i].iter().min().copied().unwrap_or(usize::MAX);
    let order = |a: &usize, b: &usize| {
        effective(*b)
            .total_cmp(&effective(*a))
            .then(first_named(*a).cmp(&first_named(*b)))
            .then(a.cmp(b))
    };
    candidates.sort_by(order);
    let best = *candidates.first()?;
    let mut others: Vec<usize> = (0..matcher.topics.len())
        .filter(|&i| {
            i != best
                && matcher.topics[i].kind != TopicKind::Fallback
                && (keyword.strength[i] >= MIN_STRENGTH || votes[i] >= MIN_VOTE)
        })
        .collect();
    others.sort_by(order);
    Some((best, others.first().copied()))
}

/// Confidence 0–1 from a score: 1 hit → 0.5, 2 → 0.75, 3 → 0.875.
fn confidence(score: f64) -> f64 {
    1.0 - 0.5_f64.powf(score)
}

fn origin_of(kind: TopicKind) -> SuggestionOrigin {
    match kind {
        TopicKind::Catalogue => SuggestionOrigin::Catalogue,
        TopicKind::Country => SuggestionOrigin::Country,
        TopicKind::Fallback => SuggestionOrigin::Fallback,
        TopicKind::Learned => SuggestionOrigin::Learned,
    }
}

fn make_suggestion(
    matcher: &Matcher,
    best: usize,
    second: Option<usize>,
    scores: &[f64],
    origin: SuggestionOrigin,
    evidence: Vec<String>,
) -> Suggestion {
    let topic = &matcher.topics[best];
    Suggestion {
        cluster: topic.label.clone(),
        group: topic.group.clone(),
        score: confidence(scores[best]),
        origin,
        second: second.map(|s| SecondTopic {
            cluster: matcher.topics[s].label.clone(),
            group: matcher.topics[s].group.clone(),
            score: confidence(scores[s]),
        }),
        evidence,
    }
}

/// Words that deny a wish ("keine", "nichts").
const NEGATIONS: &[&str] = &["kein", "keine", "keinen", "keiner", "nichts", "nix"];
/// What a non-answer denies ("keine speziellen Wünsche", "nichts Konkretes").
const DENIED: &[&str] = &[
    "frag",
    "wunsch",
    "anlieg",
    "them",
    "thema",
    "themenwunsch",
    "anmerk",
    "konkret",
    "speziell",
    "besond",
];

/// Whether an answer no topic matched says it has no wish: a negation
/// followed within three words by what it denies ("keine speziellen
/// Wünsche", "nix Konkretes"), or a negation opening a short answer with at
/// most two content words ("Keine, danke"; not "… im Ort merkt das keiner",
/// nor "Keiner im Dorf weiß, dass es uns gibt", where "keiner" is nobody).
fn is_non_answer(tokens: &[Token], terms: &[String]) -> bool {
    tokens.iter().enumerate().any(|(i, t)| {
        let nobody = t.folded == "keiner" && tokens.len() > i + 2;
        NEGATIONS.contains(&t.folded.as_str())
            && ((!nobody && terms.len() <= 2 && (i <= 1 || tokens.len() <= 4))
                || tokens[i + 1..]
                    .iter()
                    .take(3)
                    .any(|next| DENIED.contains(&next.stem.as_str())))
    })
}

/// An answer without any content word ("keine Fragen", "-"): the fallback.
fn non_answer(matcher: &Matcher, fallback: usize) -> Suggestion {
    let topic = &matcher.topics[fallback];
    Suggestion {
        cluster: topic.label.clone(),
        group: topic.group.clone(),
        score: NON_ANSWER_CONFIDENCE,
        origin: SuggestionOrigin::Fallback,
        second: None,
        evidence: Vec::new(),
    }
}

/// An answer nothing points to: left unassigned, never placed.
fn unassigned() -> Suggestion {
    Suggestion {
        cluster: String::new(),
        group: None,
        score: 0.0,
        origin: SuggestionOrigin::Unassigned,
        second: None,
        evidence: Vec::new(),
    }
}

/// Groups the answers no topic matched; a lone answer of one content word
/// goes to the fallback, other lone answers stay unassigned.
fn place_leftovers(
    out: &mut [Option<Suggestion>],
    leftovers: &[usize],
    terms: &[Vec<String>],
    tokens: &[Vec<Token>],
    matcher: &Matcher,
    fallback: usize,
) {
    let idf = inverse_document_frequency(terms);
    // Grouped by character n-grams, which meet inflections and compounds
    // ("Bürgerreise", "Bürgerfahrten", "Gruppenreise"); named by words. A
    // new topic is a thing: of a writer who capitalises nouns only the nouns
    // count, so "macht", "kommen" or "eigentlich" join no answers.
    let documents: Vec<Vec<String>> = leftovers
        .iter()
        .map(|&i| {
            let careful = capitalises_nouns(&tokens[i]);
            let mut grams: Vec<String> = tokens[i]
                .iter()
                .filter(|t| !careful || t.capitalised())
                .flat_map(similar::grams)
                .collect();
            grams.sort();
            grams.dedup();
            grams
        })
        .collect();
    let gram_idf = inverse_document_frequency(&documents);
    let names = display_names(tokens);
    let mut used: Vec<String> = matcher.topics.iter().map(|t| t.label.clone()).collect();
    for group in discover(&documents, &gram_idf, discover::NGRAM_DISTANCE_CUT) {
        let group = named_by_words(group, leftovers, terms, &idf);
        let label = unique_label(group_label(&group, &names), &mut used);
        for (member, similarity) in group.members.iter().zip(&group.similarity) {
            let i = leftovers[*member];
            let shared: Vec<usize> = group
                .top_terms
                .iter()
                .filter_map(|term| {
                    tokens[i]
                        .iter()
                        .position(|t| t.content_stems().contains(&term.as_str()))
                })
                .collect();
            out[i] = Some(Suggestion {
                cluster: label.clone(),
                group: None,
                score: similarity.clamp(0.0, 1.0),
                origin: SuggestionOrigin::Discovered,
                second: None,
                evidence: words_of(&tokens[i], &shared),
            });
        }
    }
    for &i in leftovers {
        if out[i].is_none() {
            // A lone word nothing recognises ("offen", "mal schauen") is no wish.
            out[i] = Some(if terms[i].len() <= 1 {
                Suggestion {
                    score: LONE_WORD_CONFIDENCE,
                    ..non_answer(matcher, fallback)
                }
            } else {
                unassigned()
            });
        }
    }
}

fn inverse_document_frequency(terms: &[Vec<String>]) -> HashMap<String, f64> {
    let mut df: HashMap<&str, usize> = HashMap::new();
    for doc in terms {
        for term in doc {
            *df.entry(term.as_str()).or_default() += 1;
        }
    }
    let n = terms.len() as f64;
    df.into_iter()
        .map(|(t, d)| (t.to_string(), ((1.0 + n) / (1.0 + d as f64)).ln() + 1.0))
        .collect()
}

/// The group with its top terms and their support taken from the members'
/// words (most shared first, then the rarest overall).
fn named_by_words(
    mut group: discover::Group,
    leftovers: &[usize],
    terms: &[Vec<String>],
    idf: &HashMap<String, f64>,
) -> discover::Group {
    let mut support: HashMap<&str, usize> = HashMap::new();
    for &member in &group.members {
        for term in &terms[leftovers[member]] {
            *support.entry(term.as_str()).or_default() += 1;
        }
    }
    let mut ranked: Vec<(&str, usize)> = support.into_iter().collect();
    ranked.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then(idf[b.0].total_cmp(&idf[a.0]))
            .then(a.0.cmp(b.0))
    });
    group.top_terms = ranked.iter().map(|(t, _)| t.to_string()).collect();
    group.support = ranked.iter().map(|(_, s)| *s).collect();
    group
}

/// For every stem the most frequent written form: whole words first, then
/// compound parts ("Jubiläum" for "jubilaum").
fn display_names(tokens: &[Vec<Token>]) -> HashMap<String, String> {
    let mut counts: HashMap<(String, String), (usize, usize)> = HashMap::new();
    for token in tokens.iter().flatten() {
        counts
            .entry((token.stem.clone(), capitalise(&token.original)))
            .or_default()
            .0 += 1;
        for part in &token.parts {
            counts
                .entry((part.stem.clone(), capitalise(&part.display)))
                .or_default()
                .1 += 1;
        }
    }
    let mut best: HashMap<String, ((usize, usize), String)> = HashMap::new();
    for ((stem, form), count) in counts {
        let entry = best.entry(stem).or_insert_with(|| (count, form.clone()));
        if count > entry.0 || (count == entry.0 && form < entry.1) {
            *entry = (count, form);
        }
    }
    best.into_iter()
        .map(|(stem, (_, form))| (stem, form))
        .collect()
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The label of a discovered group: its top term, plus the second term when
/// at least half of the members share it.
fn group_label(group: &discover::Group, names: &HashMap<String, String>) -> String {
    let name = |stem: &String| names.get(stem).cloned().unwrap_or_else(|| capitalise(stem));
    let shared_second = group
        .support
        .get(1)
        .is_some_and(|&s| s >= 2 && 2 * s >= group.members.len());
    match group.top_terms.as_slice() {
        [] => "Weitere Themen".to_string(),
        [first, second, ..] if shared_second => format!("{} / {}", name(first), name(second)),
        [first, ..] => name(first),
    }
}

fn unique_label(label: String, used: &mut Vec<String>) -> String {
    let mut candidate = label.clone();
    let mut n = 2;
    while used.contains(&candidate) {
        candidate = format!("{label} ({n})");
        n += 1;
    }
    used.push(candidate.clone());
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wishes_given_at_registration_land_on_the_event_board() {
        let mut store = crate::Store::open_in_memory().unwrap();
        let (event, input) = store
            .write(|tx| {
                let event = crate::events::create(tx, crate::events::tests::forum_input())?.id;
                let person = crate::people::create_person(
                    tx,
                    &crate::people::tests::person("Anna", "Beispiel", "Hürth", "anna@example.org"),
                )?;
                let mut input = crate::registrations::RegisterInput::existing(event, person.id);
                input.wishes = vec!["Fördermittel für Jugendbegegnungen".into(), "  ".into()];
                Ok((event, input))
            })
            .unwrap();
        store.write(|tx| register(tx, &input)).unwrap();
        let texts: Vec<String> = store
            .connection()
            .prepare("SELECT text FROM wishes WHERE event_id = ?1")
            .unwrap()
            .query_map([event], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(texts, ["Fördermittel für Jugendbegegnungen"]);
    }

    fn run(texts: &[&str]) -> Vec<Suggestion> {
        let texts: Vec<String> = texts.iter().map(|s| s.to_string()).collect();
        suggest(&texts, &Catalogue::default_catalogue(), &[])
    }

    fn reader(examples: &[(&str, &str)]) -> ExampleReader {
        let examples: Vec<corpus::LabelledWish> = examples
            .iter()
            .map(|(gold, text)| corpus::LabelledWish {
                gold: gold.to_string(),
                second: None,
                text: text.to_string(),
            })
            .collect();
        ExampleReader::train(&examples)
    }

    fn read(
        texts: &[&str],
        catalogue: &Catalogue,
        learned: &[LearnedExample],
        reader: &ExampleReader,
    ) -> Vec<Suggestion> {
        let texts: Vec<String> = texts.iter().map(|s| s.to_string()).collect();
        suggest_with_examples(&texts, catalogue, learned, reader)
    }

    const CROWDFUNDING: &str = "Crowdfunding-Plattform: welche Tools nutzt ihr?";

    /// Examples that read "Crowdfunding" as money, against the keywords
    /// "Plattform" and "Tools" of Digitalisierung.
    fn crowdfunding_examples() -> ExampleReader {
        reader(&[
            (
                "Fördermittel & Finanzierung",
                "Crowdfunding-Plattform für den Bus",
            ),
            (
                "Fördermittel & Finanzierung",
                "Erfahrungen mit Crowdfunding-Plattformen und Tools",
            ),
            (
                "Fördermittel & Finanzierung",
                "Crowdfunding für die Bürgerreise",
            ),
            ("Digitalisierung", "Videokonferenz mit dem Partnerverein"),
            (
                "Digitalisierung",
                "Zoom oder Teams für die Vorstandssitzung",
            ),
        ])
    }

    #[test]
    fn the_examples_overrule_keywords_they_read_otherwise_and_say_why() {
        let catalogue = Catalogue::default_catalogue();
        let keywords_only = read(&[CROWDFUNDING], &catalogue, &[], &ExampleReader::none());
        assert_eq!(keywords_only[0].cluster, "Digitalisierung");
        assert_eq!(keywords_only[0].origin, SuggestionOrigin::Catalogue);

        let out = read(&[CROWDFUNDING], &catalogue, &[], &crowdfunding_examples());
        assert_eq!(out[0].cluster, "Fördermittel & Finanzierung");
        assert_eq!(out[0].origin, SuggestionOrigin::Examples);
        assert_eq!(out[0].evidence[0], "Crowdfunding");
        assert!(out[0].score > 0.0 && out[0].score <= 1.0);
        let second = out[0]
            .second
            .as_ref()
            .expect("the keywords' topic stays second");
        assert_eq!(second.cluster, "Digitalisierung");
    }

    #[test]
    fn a_renamed_topic_keeps_its_examples_but_a_topic_staff_added_keeps_its_keywords() {
        let mut catalogue = Catalogue::default_catalogue();
        let money = catalogue
            .topics
            .iter_mut()
            .find(|t| t.key == "foerdermittel")
            .unwrap();
        money.label = "Geld & Förderung".to_string();
        let out = read(&[CROWDFUNDING], &catalogue, &[], &crowdfunding_examples());
        assert_eq!(out[0].cluster, "Geld & Förderung");

        catalogue.topics.push(Topic {
            key: "plattformen".to_string(),
            label: "Plattformen".to_string(),
            group: None,
            priority: 99,
            keywords: vec!["Plattform*".to_string()],
        });
        let out = read(&[CROWDFUNDING], &catalogue, &[], &crowdfunding_examples());
        assert_eq!(out[0].cluster, "Plattformen");
        assert_eq!(out[0].origin, SuggestionOrigin::Catalogue);
    }

    #[test]
    fn a_writers_own_topic_among_the_examples_is_not_a_staff_topic_of_that_name() {
        let mut catalogue = Catalogue::default_catalogue();
        catalogue.topics.push(Topic {
            key: "vernetzung".to_string(),
            label: "Vernetzung in NRW".to_string(),
            group: None,
            priority: 70,
            keywords: vec!["Stammtisch*".to_string()],
        });
        let examples = reader(&[
            ("Vernetzung in NRW", "Quxbla Wobbel"),
            ("Vernetzung in NRW", "Wobbel und Quxbla"),
            ("Jugend", "Schulklasse fährt in die Partnerstadt"),
        ]);
        let out = read(&["Quxbla Wobbel Fasel"], &catalogue, &[], &examples);
        assert!(out[0].is_unassigned(), "{:?}", out[0]);
    }

    #[test]
    fn non_answers_and_the_offices_learned_examples_are_not_overruled() {
        let mut many = vec![("Jugend", "Fragen"); 16];
        many.extend([
            ("Jugend", "Glockenspiel Turmuhr"),
            ("Jugend", "Turmuhr Glockenspiel"),
            ("Jugend", "Glockenspiel und Turmuhr"),
            (
                "Allgemein",
                "erst einmal zuhören, die anderen kennenlernen und schauen, was kommt",
            ),
            (
                "Kultur & Sport",
                "Chorkonzert, Theatergastspiel und Kunstausstellung in der Partnerstadt",
            ),
        ]);
        let examples = reader(&many);
        // The reader reads both answers as Jugend by far more than the margin …
        let margin = |text: &str, against: &str| {
            let scores = examples.log_scores(text);
            let of =
                |label: &str| scores[examples.labels().iter().position(|l| l == label).unwrap()];
            of("Jugend") - of(against)
        };
        let (no_wish, bells) = (
            margin("keine Fragen", "Allgemein"),
            margin("Glockenspiel und Turmuhr", "Kultur & Sport"),
        );
        assert!(
            no_wish >= EXAMPLE_MARGIN && bells >= EXAMPLE_MARGIN,
            "{no_wish} {bells}"
        );
        // … yet a non-answer stays with the fallback, and the office's own
        // learned example decides.
        let learned = [LearnedExample {
            text: "Glockenspiel und Turmuhr reparieren".to_string(),
            cluster: "Kultur & Sport".to_string(),
            group: Some("Themenspezifisch".to_string()),
        }];
        let catalogue = Catalogue::default_catalogue();
        let out = read(
            &["keine Fragen", "Glockenspiel und Turmuhr"],
            &catalogue,
            &learned,
            &examples,
        );
        assert_eq!(out[0].cluster, "Allgemein");
        assert_eq!(out[1].cluster, "Kultur & Sport");
        assert_eq!(out[1].origin, SuggestionOrigin::Learned);
    }

    #[test]
    fn the_examples_choose_a_country_only_when_the_answer_names_it() {
        let examples = reader(&[
            ("Polen", "Quxbla Wobbel mit Krakau"),
            ("Polen", "Wobbel und Quxbla in Danzig"),
            ("Jugend", "Schulklasse fährt in die Partnerstadt"),
        ]);
        let catalogue = Catalogue::default_catalogue();
        let named = "Jugendaustausch: Quxbla Wobbel mit Polen";
        let keywords_only = read(&[named], &catalogue, &[], &ExampleReader::none());
        assert_eq!(keywords_only[0].cluster, "Jugend");
        let out = read(
            &[named, "Jugendaustausch: Quxbla Wobbel"],
            &catalogue,
            &[],
            &examples,
        );
        assert_eq!(out[0].cluster, "Polen");
        assert_eq!(out[0].origin, SuggestionOrigin::Examples);
        assert_eq!(out[1].cluster, "Jugend", "no country named, none chosen");
        let out = read(&["Quxbla Wobbel Fasel"], &catalogue, &[], &examples);
        assert!(out[0].is_unassigned(), "{:?}", out[0]);
    }

    #[test]
    fn an_answer_without_topic_is_placed_only_when_the_examples_name_its_words() {
        let catalogue = Catalogue::default_catalogue();
        let texts = ["Quxbla Fasel Wobbel", "Zorpel Gnatz Blubb"];
        let keywords_only = read(&texts, &catalogue, &[], &ExampleReader::none());
        assert!(keywords_only.iter().all(Suggestion::is_unassigned));

        let examples = reader(&[
            ("Jugend", "Quxbla Wobbel für die Schulklasse"),
            ("Jugend", "Wobbel und Quxbla beim Schüleraustausch"),
            ("Kultur & Sport", "Chorkonzert in der Partnerstadt"),
        ]);
        let out = read(&texts, &catalogue, &[], &examples);
        assert_eq!(out[0].cluster, "Jugend");
        assert_eq!(out[0].origin, SuggestionOrigin::Examples);
        assert!(out[0].evidence.iter().any(|w| w == "Quxbla"));
        assert!(out[1].is_unassigned(), "no example knows its words");
    }

    #[test]
    fn non_answers_go_to_allgemein() {
        let out = run(&["keine Fragen", "-", "bin zum ersten Mal dabei"]);
        assert!(
            out.iter()
                .all(|s| s.cluster == "Allgemein" && s.group.is_none()),
            "{out:?}"
        );
    }

    #[test]
    fn specific_topic_beats_broad_one_and_the_broad_one_is_second() {
        // Both words are heads of the answer: the more specific topic wins.
        let out = run(&["Ukrainische Partnerschaften fördern"]);
        assert_eq!(out[0].cluster, "Ukraine");
        assert_eq!(out[0].group.as_deref(), Some("Länderspezifisch"));
        assert_eq!(
            out[0].second.as_ref().map(|s| s.cluster.as_str()),
            Some("Fördermittel & Finanzierung")
        );
    }

    #[test]
    fn the_head_of_the_wish_beats_a_mention_in_a_modifier() {
        // The country after the preposition only qualifies the exchange.
        let out = run(&["Schüleraustausch mit Frankreich"]);
        assert_eq!(out[0].cluster, "Jugend");
        assert_eq!(
            out[0].second.as_ref().map(|s| s.cluster.as_str()),
            Some("Frankreich")
        );
        // The phrase after the preposition ends with its noun: the predicate
        // after it is the head again.
        let out = run(&["Sind Helfer über die Stadt unfallversichert?"]);
        assert_eq!(out[0].cluster, "Versicherungen für Vereine");
    }

    #[test]
    fn the_fallback_keywords_do_not_compete_with_a_topic() {
        let out = run(&["Hilfsgüter verteilen? Wir haben leider nichts mehr im Lager."]);
        assert_eq!(out[0].cluster, "Humanitäre Hilfe");
        let out = run(&["nichts"]);
        assert_eq!(out[0].cluster, "Allgemein");
    }

    #[test]
    fn a_verb_written_in_lower_case_is_not_the_noun_keyword() {
        let out = run(&["Wie kriegen wir mehr Leute zum Partnerschaftsfest?"]);
        assert_ne!(out[0].cluster, "Konflikte");
        let out = run(&["Wie gehen wir mit dem Krieg um?"]);
        assert_eq!(out[0].cluster, "Konflikte");
        assert_eq!(out[0].evidence, ["Krieg"]);
        // A writer who never capitalises gets the noun in lower case.
        let out = run(&["wie gehen wir mit dem krieg um?"]);
        assert_eq!(out[0].cluster, "Konflikte");
    }

    #[test]
    fn on_a_tie_the_topic_named_first_wins() {
        let out = run(&[
            "Weimarer Dreieck: Projekte mit unserer polnischen und unserer französischen Partnerstadt",
        ]);
        assert_eq!(out[0].cluster, "Polen");
        let out = run(&["Partnerschaft mit einer Stadt in Polen gesucht, bisher nur Frankreich"]);
        assert_eq!(out[0].cluster, "Polen");
    }

    #[test]
    fn nobody_is_not_no_wish_and_over_there_is_no_topic() {
        let out = run(&["Keiner im Dorf weiß, dass es uns gibt"]);
        assert_ne!(out[0].cluster, "Allgemein");
        // "drüben" alone is no keyword hit (the description may still be near).
        let out = run(&["Drüben ist es schon Abend"]);
        assert_ne!(out[0].origin, SuggestionOrigin::Catalogue);
    }

    #[test]
    fn english_french_and_dutch_answers_meet_their_topics() {
        let out = run(&[
            "how to get money for the bus to our twin town",
            "C'est possible de parler des jumelages avec la France?",
            "Hoe vinden we vrijwilligers voor de uitwisseling?",
            "Sister Cities International – lohnt sich eine Mitgliedschaft?",
        ]);
        let clusters: Vec<&str> = out.iter().map(|s| s.cluster.as_str()).collect();
        assert_eq!(
            clusters,
            [
                "Fördermittel & Finanzierung",
                "Frankreich",
                "Ehrenamt & Nachwuchsgewinnung",
                "USA"
            ]
        );
    }

    #[test]
    fn unmatched_answers_are_grouped_and_named_by_their_terms() {
        let out = run(&[
            "Weihnachtsmarktstand planen",
            "Ideen für den Weihnachtsmarkt",
            "Glühwein zum Weihnachtsmarkt",
            "Wetter",
            "Quxbla Fasel Wobbel",
        ]);
        assert_eq!(out[0].origin, SuggestionOrigin::Discovered);
        assert_eq!(out[0].cluster, out[1].cluster);
        assert_eq!(out[1].cluster, out[2].cluster);
        assert!(
            out[0].cluster.starts_with("Weihnachtsmarkt"),
            "{}",
            out[0].cluster
        );
        assert!(
            out[0]
                .evidence
                .iter()
                .any(|w| w.starts_with("Weihnachtsmarkt"))
        );
        // A lone unknown word is no wish; content nothing points to stays
        // unassigned, with 0 %, never placed.
        assert_eq!(out[3].cluster, "Allgemein");
        assert!(out[3].score > 0.0);
        assert!(out[4].is_unassigned(), "{:?}", out[4]);
        assert_eq!(out[4].score, 0.0);
    }

    #[test]
    fn a_mention_in_passing_does_not_beat_the_head_of_the_wish() {
        let out = run(&[
            "Zuschüsse für Kleinprojekte (antragsberechtigt: Kommunen, Vereine, Schulen)",
            "Wir sind ein kleiner Verein mit 40 Mitgliedern. Welche Fördertöpfe gibt es?",
            "Wie kann man Ehrenamtliche halten, wenn der Haushalt gekürzt wird?",
        ]);
        assert_eq!(out[0].cluster, "Fördermittel & Finanzierung");
        assert_eq!(out[0].evidence[0], "Zuschüsse");
        assert_eq!(out[1].cluster, "Fördermittel & Finanzierung");
        assert_eq!(out[2].cluster, "Ehrenamt & Nachwuchsgewinnung");
        assert_eq!(out[2].evidence, ["Ehrenamtliche"]);
    }

    #[test]
    fn a_generic_actor_word_alone_is_no_topic() {
        let catalogue = Catalogue::from_toml_str(
            "fallback = \"Allgemein\"\n[[topic]]\nkey = \"k\"\nlabel = \"Kommunen\"\npriority = 50\nkeywords = [\"~Kommune\", \"Rathaus\"]\n",
        )
        .unwrap();
        let texts: Vec<String> = ["Kommunen und Wetter", "Kommunen und das Rathaus"]
            .map(String::from)
            .to_vec();
        let out = suggest(&texts, &catalogue, &[]);
        assert_ne!(out[0].origin, SuggestionOrigin::Catalogue, "{:?}", out[0]);
        assert_eq!(out[1].origin, SuggestionOrigin::Catalogue);
        assert_eq!(out[1].evidence, ["Rathaus", "Kommunen"]);
    }

    #[test]
    fn new_clusters_are_found_by_shared_nouns_not_verbs() {
        let catalogue = Catalogue::from_toml_str(
            "fallback = \"Allgemein\"\n[[topic]]\nkey = \"g\"\nlabel = \"Geld\"\npriority = 50\nkeywords = [\"Zuschuss\"]\n",
        )
        .unwrap();
        let texts: Vec<String> = [
            "Zwiebelkuchen backen mit den Gästen",
            "Rezept für Zwiebelkuchen gesucht",
            "Wie macht ihr das mit den Brettspielen?",
            "Wie macht ihr das mit der Blaskapelle?",
        ]
        .map(String::from)
        .to_vec();
        let out = suggest(&texts, &catalogue, &[]);
        assert_eq!(out[0].origin, SuggestionOrigin::Discovered, "{:?}", out[0]);
        assert_eq!(out[0].cluster, out[1].cluster);
        assert!(
            out[2].cluster != out[3].cluster || out[2].origin != SuggestionOrigin::Discovered,
            "a shared verb made a topic: {:?}",
            &out[2..]
        );
    }

    #[test]
    fn unmatched_answers_with_content_go_to_the_most_similar_topic() {
        let catalogue = Catalogue::from_toml_str(
            "fallback = \"Allgemein\"\n[[topic]]\nkey = \"r\"\nlabel = \"Bürgerreisen\"\npriority = 50\nkeywords = [\"Bürgerreise\"]\n[[topic]]\nkey = \"g\"\nlabel = \"Geld\"\npriority = 50\nkeywords = [\"Zuschuss\"]\n",
        )
        .unwrap();
        // No keyword matches; the character n-grams meet "Bürgerreise".
        let texts = vec!["Reiseleitung für die Bürgerfahrten".to_string()];
        let out = suggest(&texts, &catalogue, &[]);
        assert_eq!(out[0].cluster, "Bürgerreisen");
        assert_eq!(out[0].origin, SuggestionOrigin::Similar);
        assert!(out[0].score > 0.0);
        assert!(!out[0].evidence.is_empty(), "{:?}", out[0]);
    }

    #[test]
    fn the_descriptions_place_answers_in_words_no_keyword_list_has() {
        let out = run(&[
            "Überlastung: es machen immer dieselben paar Leute alles",
            "Wie halten wir die Leute bei der Stange?",
        ]);
        for suggestion in &out {
            assert_eq!(suggestion.cluster, "Ehrenamt & Nachwuchsgewinnung");
            assert_eq!(suggestion.origin, SuggestionOrigin::Similar);
            assert!(!suggestion.evidence.is_empty(), "{suggestion:?}");
        }
    }

    #[test]
    fn countries_are_not_found_by_similarity() {
        // "erreicht" shares n-grams with "Österreich"; a country needs its lexicon.
        let out = run(&["Frischgebackene Ruheständler ansprechen – wie erreicht man die?"]);
        assert_ne!(out[0].cluster, "Österreich", "{:?}", out[0]);
        let out = run(&["Besuch in Wien und Graz"]);
        assert_eq!(out[0].cluster, "Österreich");
        assert_eq!(out[0].origin, SuggestionOrigin::Country);
    }

    #[test]
    fn a_lone_word_needs_a_close_topic() {
        // "offen" shares n-grams with "Öffentlichkeit", but not enough for one word.
        let out = run(&["offen"]);
        assert_eq!(out[0].cluster, "Allgemein", "{:?}", out[0]);
        assert_eq!(out[0].origin, SuggestionOrigin::Fallback);
    }

    #[test]
    fn umlauts_typed_as_two_letters_meet_the_keywords() {
        let out = run(&[
            "schueleraustausch",
            "foerdermittel beantragen",
            "oeffentlichkeitsarbeit",
        ]);
        let clusters: Vec<&str> = out.iter().map(|s| s.cluster.as_str()).collect();
        assert_eq!(
            clusters,
            [
                "Jugend",
                "Fördermittel & Finanzierung",
                "Sichtbarkeit / Öffentlichkeitsarbeit für Vereine"
            ]
        );
    }

    #[test]
    fn the_verb_kriegen_is_no_war() {
        let out = run(&[
            "wie kriegt man die lokalzeitung dazu, über unser fest zu berichten",
            "Krieg in der Partnerregion: wie halten wir Kontakt?",
            // "kriegen" stems to the keyword's stem "krieg"; written in lower
            // case by a writer who never capitalises, only the stop list tells.
            "der verein macht alles. wie kriegen wir die verwaltung mehr ins boot",
            "wie gehen wir mit dem krieg in der partnerregion um",
        ]);
        assert_eq!(
            out[0].cluster,
            "Sichtbarkeit / Öffentlichkeitsarbeit für Vereine"
        );
        assert_eq!(out[1].cluster, "Konflikte");
        assert_eq!(out[2].cluster, "Aus Sicht der Kommunen");
        assert_eq!(out[3].cluster, "Konflikte");
        // A keyword that is itself a function word still meets itself.
        let out = run(&["Wozu noch Städtepartnerschaft, wenn alle billig fliegen?"]);
        assert_eq!(out[0].cluster, "Zukunftsperspektiven");
    }

    #[test]
    fn suggestions_are_deterministic() {
        let texts = [
            "Nachwuchsgewinnung",
            "Jugendaustausch mit Polen",
            "Sprachkurse",
            "Sprachbarrieren",
            "Versicherung",
            "keine",
        ];
        assert_eq!(run(&texts), run(&texts));
    }

    #[test]
    fn learned_examples_bring_their_topics() {
        let texts = vec!["Dolmetscher für den Bürgerbesuch".to_string()];
        let catalogue = Catalogue::default_catalogue();
        assert_ne!(suggest(&texts, &catalogue, &[])[0].cluster, "Sprache");
        let learned = [LearnedExample {
            text: "Dolmetscher bei Besuchen".into(),
            cluster: "Sprache".into(),
            group: Some("Themenspezifisch".into()),
        }];
        let out = suggest(&texts, &catalogue, &learned);
        assert_eq!(out[0].cluster, "Sprache");
        assert_eq!(out[0].origin, SuggestionOrigin::Learned);
        assert_eq!(out[0].group.as_deref(), Some("Themenspezifisch"));
    }

    #[test]
    fn learned_examples_never_override_a_catalogue_match() {
        let texts = vec![
            "Spendenaktionen für unsere Partnerstadt in der Ukraine".to_string(),
            "Ideen für den Weihnachtsmarkt".to_string(),
        ];
        let catalogue = Catalogue::default_catalogue();
        let plain = suggest(&texts, &catalogue, &[]);
        assert_eq!(plain[0].cluster, "Humanitäre Hilfe");
        assert_ne!(plain[1].cluster, "Weihnachtsmarkt");
        let example = |text: &str, cluster: &str| LearnedExample {
            text: text.into(),
            cluster: cluster.into(),
            group: None,
        };
        // Very similar examples filed elsewhere do not move the keyword match,
        // but they do place the answer the catalogue could not.
        let learned = [
            example(
                "Spendenaktionen für die Partnerstadt in der Ukraine",
                "Ukraine",
            ),
            example("Spendenaktion Partnerstadt Ukraine", "Ukraine"),
            example("Weihnachtsmarkt planen", "Weihnachtsmarkt"),
        ];
        let out = suggest(&texts, &catalogue, &learned);
        assert_eq!(out[0], plain[0]);
        assert_eq!(out[1].cluster, "Weihnachtsmarkt");
        assert_eq!(out[1].origin, SuggestionOrigin::Learned);
        assert_eq!(out[1].evidence, ["Weihnachtsmarkt"]);
    }
}
