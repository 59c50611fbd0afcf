//! Keyword matching of analysed answers against catalogue topics and the
//! country lexicon.

use std::collections::{HashMap, HashSet};

use super::catalogue::{Catalogue, countries_lexicon};
use super::text::{Analyzer, Token, fold, words};

/// Weight of a keyword that meets the last part of a compound, which
/// carries its meaning ("Haftpflicht|versicherung" is a Versicherung).
const HEAD_WEIGHT: f64 = 0.9;
/// Weight of a keyword that meets a front part of a compound, which only
/// qualifies the head ("Mitglieds|beitrag" is a Beitrag, not a Mitglied).
const MODIFIER_WEIGHT: f64 = 0.6;
/// Weight of a generic actor keyword ("~Kommune"): it adds to a topic that
/// matched otherwise, but alone it is no topic.
const GENERIC_WEIGHT: f64 = 0.5;

/// Weight of a keyword meeting part `index` of a compound with `count` parts.
/// When no topic claims the compound's head (`free_head`: "Förder|töpfe",
/// "Öffentlichkeits|arbeit", "Finanzierungs|möglichkeiten"), the head says
/// nothing about the topic and the modifier before it carries the meaning.
fn part_weight(index: usize, count: usize, free_head: bool) -> f64 {
    if index + 1 == count || free_head {
        HEAD_WEIGHT
    } else {
        MODIFIER_WEIGHT
    }
}

/// Shortest keyword (in characters) matched with a typing error: shorter
/// words are too often other words one letter apart.
const MIN_TYPO_WORD: usize = 8;
/// Weight of a keyword met with a typing error.
const TYPO_WEIGHT: f64 = 0.9;

/// Every string made by deleting one character of `word` but the first:
/// people rarely mistype the first letter, and keeping it stops two
/// deletions at different places from meeting ("erzählen" is no typo of
/// "bezahlen").
fn inner_deletions(word: &str) -> Vec<String> {
    word.char_indices()
        .skip(1)
        .map(|(i, c)| format!("{}{}", &word[..i], &word[i + c.len_utf8()..]))
        .collect()
}

/// Shortest prefix keyword looked for inside a word the compound splitter
/// could not split ("unfall|versichert" when "versichert" is unknown).
const MIN_INSIDE_PREFIX: usize = 7;
/// Shortest front part before a prefix keyword found inside a word.
const MIN_FRONT: usize = 3;

/// Whether a long prefix keyword begins inside an unsplit word, after a
/// front part of at least [`MIN_FRONT`] letters: then it begins the
/// compound's head ("Unfallversichert", "Kofinanzierung").
fn inside_unsplit(folded: &str, prefix: &str) -> bool {
    prefix.len() >= MIN_INSIDE_PREFIX
        && folded
            .char_indices()
            .skip(MIN_FRONT)
            .any(|(i, _)| folded[i..].starts_with(prefix))
}

/// Where a topic comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopicKind {
    /// A topic of the catalogue.
    Catalogue,
    /// The catalogue's fallback topic ("Allgemein").
    Fallback,
    /// A country of the built-in lexicon.
    Country,
    /// A topic known only from learned examples.
    Learned,
}

/// A topic ready for matching.
#[derive(Debug, Clone)]
pub struct CompiledTopic {
    /// Cluster label.
    pub label: String,
    /// Group label.
    pub group: Option<String>,
    /// Priority 0–100.
    pub priority: i32,
    /// Kind of topic.
    pub kind: TopicKind,
}

/// One word of a keyword.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Unit {
    /// Same Snowball stem as a word or a compound part.
    Stem(String),
    /// A word or compound part beginning with this (folded) prefix.
    Prefix(String),
    /// Exactly this word, case-sensitive (abbreviations).
    Abbrev(String),
}

impl Unit {
    /// Whether the unit meets a compound part on its own.
    fn meets_part(&self, part: &super::text::Part) -> bool {
        match self {
            Unit::Stem(stem) => part.stem == *stem,
            Unit::Prefix(prefix) => part.folded.starts_with(prefix.as_str()),
            Unit::Abbrev(_) => false,
        }
    }

    fn weight(&self, token: &Token, free_head: bool) -> f64 {
        let count = token.parts.len();
        let best_part = |hit: &dyn Fn(&super::text::Part) -> bool| {
            token
                .parts
                .iter()
                .enumerate()
                .filter(|(_, p)| !p.stem.is_empty() && hit(p))
                .map(|(i, _)| part_weight(i, count, free_head))
                .fold(0.0, f64::max)
        };
        match self {
            Unit::Stem(stem) => {
                if token.stem == *stem {
                    1.0
                } else {
                    best_part(&|p| p.stem == *stem)
                }
            }
            Unit::Prefix(prefix) => {
                let within_first_part = token
                    .parts
                    .first()
                    .is_some_and(|p| prefix.len() <= p.folded.len());
                if token.folded.starts_with(prefix.as_str()) && !within_first_part {
                    1.0
                } else if token.parts.is_empty() && inside_unsplit(&token.folded, prefix) {
                    HEAD_WEIGHT
                } else {
                    best_part(&|p| p.folded.starts_with(prefix.as_str()))
                }
            }
            Unit::Abbrev(abbrev) => f64::from(u8::from(token.original == *abbrev)),
        }
    }
}

/// Matches analysed answers against all topics.
pub struct Matcher {
    /// The topics, in catalogue order, then countries, then learned topics.
    pub topics: Vec<CompiledTopic>,
    /// Single-word stem keywords: stem → topics.
    stems: HashMap<String, Vec<Target>>,
    /// The same keywords as written (folded): a function word meets a
    /// keyword only as itself ("wozu"), never by its stem ("kriegen" is no
    /// "Krieg").
    stem_keyword_forms: HashSet<String>,
    /// Long single-word keywords (folded, as written) and each of their
    /// one-letter deletions, for typing errors ("Crowdfundig").
    typos: HashMap<String, Vec<Target>>,
    /// Single-word prefix and abbreviation keywords.
    singles: Vec<(Unit, Target)>,
    /// Keywords of several words.
    phrases: Vec<(Vec<Unit>, Target)>,
}

/// The topic a keyword points to, whether it is a generic actor word,
/// whether it is written as a noun (capitalised: "Krieg*", "Spenden") and
/// whether it is written with an umlaut ("förder*").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Target {
    topic: usize,
    generic: bool,
    noun: bool,
    umlaut: bool,
}

/// Whether the writer of an answer capitalises nouns: a word after the first
/// begins with a capital letter. Then a word written in lower case is no
/// noun ("Wie kriegen wir …" is the verb, not "Krieg").
pub fn capitalises_nouns(tokens: &[Token]) -> bool {
    tokens.iter().skip(1).any(Token::capitalised)
}

/// Whether a text contains a German umlaut.
fn has_umlaut(text: &str) -> bool {
    text.chars().any(|c| "äöüÄÖÜ".contains(c))
}

/// Per word of an answer: whether it cannot meet a keyword written with an
/// umlaut. Folding drops umlauts so that "Anträge" meets "Antrag", but a
/// writer who types umlauts and leaves one out means another word:
/// "fordert" (demands) is no "förder*" (funding).
fn plain_where_umlauts_are_typed(tokens: &[Token]) -> Vec<bool> {
    let types_umlauts = tokens.iter().any(|t| has_umlaut(&t.original));
    tokens
        .iter()
        .map(|t| types_umlauts && !has_umlaut(&t.original))
        .collect()
}

/// Whether a keyword may meet a word given [`plain_where_umlauts_are_typed`].
fn meets_umlaut(target: Target, plain: bool) -> bool {
    !target.umlaut || !plain
}

/// Whether a whole word cannot be the noun a keyword names: the writer
/// capitalises nouns and wrote this word in lower case.
fn not_a_noun(target: Target, token: &Token, careful: bool) -> bool {
    target.noun
        && careful
        && token
            .original
            .chars()
            .next()
            .is_some_and(char::is_lowercase)
}

/// The keyword evidence of every topic for one answer.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicScores {
    /// Per topic: the summed weights of its hits (a word counts once per
    /// topic, with its best keyword weight times its salience).
    pub score: Vec<f64>,
    /// Per topic: the weight of its most central hit by a specific (not
    /// generic) keyword; 0 when only generic words or nothing matched.
    pub strength: Vec<f64>,
    /// Per topic: the positions of the words that hit, most central first.
    pub words: Vec<Vec<usize>>,
}

impl Matcher {
    /// Compiles the catalogue, the country lexicon (when enabled) and the
    /// labels of learned-only topics (`learned`: label and group).
    pub fn new(
        catalogue: &Catalogue,
        learned: &[(String, Option<String>)],
        analyzer: &Analyzer,
    ) -> Matcher {
        let mut matcher = Matcher {
            topics: Vec::new(),
            stems: HashMap::new(),
            stem_keyword_forms: HashSet::new(),
            typos: HashMap::new(),
            singles: Vec::new(),
            phrases: Vec::new(),
        };
        for topic in &catalogue.topics {
            let kind = if topic.label == catalogue.fallback {
                TopicKind::Fallback
            } else {
                TopicKind::Catalogue
            };
            let compiled = CompiledTopic {
                label: topic.label.clone(),
                group: topic.group.clone(),
                priority: topic.priority,
                kind,
            };
            matcher.add_topic(compiled, &topic.keywords, analyzer);
        }
        if !catalogue
            .topics
            .iter()
            .any(|t| t.label == catalogue.fallback)
        {
            let fallback = CompiledTopic {
                label: catalogue.fallback.clone(),
                group: None,
                priority: 0,
                kind: TopicKind::Fallback,
            };
            matcher.add_topic(fallback, &[], analyzer);
        }
        if let Some(settings) = &catalogue.countries {
            for country in countries_lexicon() {
                if matcher.index_of(&country.label).is_some() {
                    continue;
                }
                let priority = settings.priority - i32::from(country.region);
                let compiled = CompiledTopic {
                    label: country.label.clone(),
                    group: Some(settings.group.clone()),
                    priority,
                    kind: TopicKind::Country,
                };
                matcher.add_topic(compiled, &country.keywords(), analyzer);
            }
        }
        for (label, group) in learned {
            if matcher.index_of(label).is_none() {
                let compiled = CompiledTopic {
                    label: label.clone(),
                    group: group.clone(),
                    priority: super::LEARNED_PRIORITY,
                    kind: TopicKind::Learned,
                };
                matcher.add_topic(compiled, &[], analyzer);
            }
        }
        matcher
    }

    /// Index of the topic with `label`.
    pub fn index_of(&self, label: &str) -> Option<usize> {
        self.topics.iter().position(|t| t.label == label)
    }

    fn add_topic(&mut self, topic: CompiledTopic, keywords: &[String], analyzer: &Analyzer) {
        let index = self.topics.len();
        self.topics.push(topic);
        for keyword in keywords {
            let (keyword, generic) = match keyword.trim().strip_prefix('~') {
                Some(rest) => (rest, true),
                None => (keyword.as_str(), false),
            };
            let target = Target {
                topic: index,
                generic,
                noun: keyword.chars().next().is_some_and(char::is_uppercase),
                umlaut: has_umlaut(keyword),
            };
            let units = compile_keyword(keyword, analyzer);
            match units.as_slice() {
                [] => {}
                [Unit::Stem(stem)] => {
                    let folded = fold(keyword);
                    self.stem_keyword_forms.insert(folded.clone());
                    if folded.chars().count() >= MIN_TYPO_WORD {
                        let variants = inner_deletions(&folded);
                        for variant in variants.into_iter().chain([folded]) {
                            let entry = self.typos.entry(variant).or_default();
                            if !entry.contains(&target) {
                                entry.push(target);
                            }
                        }
                    }
                    let entry = self.stems.entry(stem.clone()).or_default();
                    match entry.iter_mut().find(|t| t.topic == index) {
                        // A specific keyword wins over a generic one of the same
                        // topic, a keyword for any word over one for nouns only.
                        Some(existing) => {
                            existing.generic &= generic;
                            existing.noun &= target.noun;
                            existing.umlaut &= target.umlaut;
                        }
                        None => entry.push(target),
                    }
                }
                [single] => self.singles.push((single.clone(), target)),
                _ => self.phrases.push((units, target)),
            }
        }
    }

    /// The targets of the long keywords within one edit of the folded word
    /// (a deletion on either side; a replaced letter or two swapped letters
    /// are two deletions that meet).
    fn typo_targets(&self, folded: &str) -> Vec<Target> {
        let mut out: Vec<Target> = Vec::new();
        let mut add = |targets: Option<&Vec<Target>>| {
            for target in targets.into_iter().flatten() {
                if !out.contains(target) {
                    out.push(*target);
                }
            }
        };
        add(self.typos.get(folded));
        for deleted in inner_deletions(folded) {
            add(self.typos.get(&deleted));
        }
        out
    }

    /// Whether no keyword of any topic meets the last part of a compound.
    fn free_head(&self, token: &Token) -> bool {
        match token.parts.last() {
            // A stop-word head ("Öffentlichkeits|arbeit") is free as well.
            Some(head) if token.parts.len() > 1 => {
                head.stem.is_empty()
                    || (!self.stems.contains_key(&head.stem)
                        && !self.singles.iter().any(|(unit, _)| unit.meets_part(head)))
            }
            _ => false,
        }
    }

    /// Keyword evidence of every topic for one answer. `salience` gives the
    /// weight of each token (see [`super::salience`]); a hit counts with its
    /// keyword weight times the salience of its word.
    pub fn scores(&self, tokens: &[Token], salience: &[f64]) -> TopicScores {
        let n = tokens.len();
        let topics = self.topics.len();
        let mut weights = vec![0.0_f64; topics * n];
        let mut specific = vec![0.0_f64; topics * n];
        let central = |position: usize| salience.get(position).copied().unwrap_or(1.0);
        // A phrase is one term: its words count only for the topics whose
        // phrase they form ("freiwillige Leistung" is a matter of the budget,
        // not of the Freiwillige).
        let mut phrase_topics: Vec<Vec<usize>> = vec![Vec::new(); n];
        for position in 0..n {
            for (units, target) in &self.phrases {
                if position + units.len() <= n
                    && units
                        .iter()
                        .zip(&tokens[position..])
                        .all(|(u, t)| u.weight(t, false) > 0.0)
                {
                    (position..position + units.len())
                        .for_each(|p| phrase_topics[p].push(target.topic));
                }
            }
        }
        let plain = plain_where_umlauts_are_typed(tokens);
        let set = |weights: &mut [f64],
                   specific: &mut [f64],
                   target: Target,
                   position: usize,
                   weight: f64| {
            if !meets_umlaut(target, plain[position]) {
                return;
            }
            if !phrase_topics[position].is_empty()
                && !phrase_topics[position].contains(&target.topic)
            {
                return;
            }
            let weight = weight * central(position);
            let slot = target.topic * n + position;
            if target.generic {
                weights[slot] = weights[slot].max(weight * GENERIC_WEIGHT);
            } else {
                weights[slot] = weights[slot].max(weight);
                specific[slot] = specific[slot].max(weight);
            }
        };
        let careful = capitalises_nouns(tokens);
        for (position, token) in tokens.iter().enumerate() {
            // A word that is itself a specific keyword is that keyword: its
            // compound parts meet no keyword ("Jugendfeuerwehr" is a youth
            // group, not the Feuerwehr of an aid transport).
            let mut claimed = false;
            let by_stem = !token.function_word || self.stem_keyword_forms.contains(&token.folded);
            if let Some(targets) = self.stems.get(&token.stem).filter(|_| by_stem) {
                for &target in targets.iter().filter(|&&t| !not_a_noun(t, token, careful)) {
                    claimed |= !target.generic && meets_umlaut(target, plain[position]);
                    set(&mut weights, &mut specific, target, position, 1.0);
                }
            }
            let count = token.parts.len();
            let free_head = self.free_head(token);
            // Prefix and abbreviation keywords that meet the word: (target, weight, is a prefix).
            let singles: Vec<(Target, f64, bool)> = self
                .singles
                .iter()
                .filter_map(|(unit, target)| {
                    let whole =
                        matches!(unit, Unit::Prefix(p) if token.folded.starts_with(p.as_str()));
                    // A stop word is no word stem ("kriegt" is not "Krieg*").
                    if whole && (token.stop || not_a_noun(*target, token, careful)) {
                        return None;
                    }
                    let weight = unit.weight(token, free_head);
                    (weight > 0.0).then_some((*target, weight, matches!(unit, Unit::Prefix(_))))
                })
                .collect();
            claimed |= singles.iter().any(|&(target, weight, prefix)| {
                prefix && weight >= 1.0 && !target.generic && meets_umlaut(target, plain[position])
            });
            for (index, part) in token
                .parts
                .iter()
                .enumerate()
                .filter(|(_, p)| !claimed && !p.stem.is_empty())
            {
                if let Some(targets) = self.stems.get(&part.stem) {
                    let weight = part_weight(index, count, free_head);
                    targets
                        .iter()
                        .for_each(|&t| set(&mut weights, &mut specific, t, position, weight));
                }
            }
            for (target, weight, _) in singles {
                if weight >= 1.0 || !claimed {
                    set(&mut weights, &mut specific, target, position, weight);
                }
            }
            for (units, target) in &self.phrases {
                if position + units.len() <= n
                    && units
                        .iter()
                        .zip(&tokens[position..])
                        .all(|(u, t)| u.weight(t, false) > 0.0)
                {
                    (position..position + units.len())
                        .for_each(|p| set(&mut weights, &mut specific, *target, p, 1.0));
                }
            }
        }
        // A long word no keyword met may be a keyword with a typing error:
        // one letter missing, added, replaced or two letters swapped.
        for (position, token) in tokens.iter().enumerate() {
            let hit = (0..topics).any(|t| weights[t * n + position] > 0.0);
            if hit || token.stop || token.folded.chars().count() < MIN_TYPO_WORD {
                continue;
            }
            for target in self.typo_targets(&token.folded) {
                if !not_a_noun(target, token, careful) {
                    set(&mut weights, &mut specific, target, position, TYPO_WEIGHT);
                }
            }
        }
        if n == 0 {
            return TopicScores {
                score: vec![0.0; topics],
                strength: vec![0.0; topics],
                words: vec![Vec::new(); topics],
            };
        }
        let words = weights
            .chunks(n)
            .map(|chunk| {
                let mut hit: Vec<usize> = (0..n).filter(|&p| chunk[p] > 0.0).collect();
                hit.sort_by(|&a, &b| chunk[b].total_cmp(&chunk[a]).then(a.cmp(&b)));
                hit
            })
            .collect();
        TopicScores {
            score: weights.chunks(n).map(|c| c.iter().sum()).collect(),
            strength: specific
                .chunks(n)
                .map(|c| c.iter().copied().fold(0.0, f64::max))
                .collect(),
            words,
        }
    }
}

/// Turns a keyword of the catalogue syntax into units.
fn compile_keyword(keyword: &str, analyzer: &Analyzer) -> Vec<Unit> {
    let keyword = keyword.trim();
    if let Some(abbrev) = keyword.strip_prefix('=') {
        return vec![Unit::Abbrev(abbrev.trim().to_string())];
    }
    let prefix = keyword.ends_with('*');
    let list = words(keyword);
    let last = list.len().saturating_sub(1);
    list.iter()
        .enumerate()
        .map(|(i, word)| {
            let folded = fold(word);
            if prefix && i == last {
                Unit::Prefix(folded)
            } else {
                Unit::Stem(analyzer.stem(&folded))
            }
        })
        .collect()
}

/// The words of all keywords of the catalogue and the country lexicon, for
/// the compound-splitting vocabulary (prefix keywords give their prefix).
pub fn keyword_vocabulary(catalogue: &Catalogue) -> Vec<String> {
    let mut out: Vec<String> = catalogue
        .topics
        .iter()
        .flat_map(|t| {
            t.keywords.iter().map(|k| {
                k.trim_start_matches(['=', '~'])
                    .trim_end_matches('*')
                    .to_string()
            })
        })
        .collect();
    if catalogue.countries.is_some() {
        out.extend(
            countries_lexicon()
                .iter()
                .flat_map(|c| c.keywords())
                .map(|k| k.trim_start_matches('=').to_string()),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn best(text: &str) -> String {
        let catalogue = Catalogue::default_catalogue();
        let vocabulary = keyword_vocabulary(&catalogue);
        let analyzer = Analyzer::new(vocabulary.iter().map(String::as_str));
        let matcher = Matcher::new(&catalogue, &[], &analyzer);
        let scores = matcher.scores(&analyzer.tokens(text), &[]).score;
        let (index, _) = scores
            .iter()
            .enumerate()
            .filter(|(_, s)| **s > 0.0)
            .max_by(|a, b| a.1.total_cmp(b.1))
            .expect("a match");
        matcher.topics[index].label.clone()
    }

    #[test]
    fn country_adjectives_abbreviations_and_cities_are_detected() {
        assert_eq!(
            best("Austausch mit deutsch-amerikanischen Partnerschaften"),
            "USA"
        );
        assert_eq!(best("Wie geht es in der UA weiter?"), "Ukraine");
        assert_eq!(best("niederländische Gemeinden"), "Niederlande");
        assert_eq!(best("Besuch in Lwiw"), "Ukraine");
        assert_eq!(best("Deutsch-Französisches Jugendwerk DFJW"), "Frankreich");
        assert_eq!(best("Kontakt zu einer ukr. Gemeinde"), "Ukraine");
        assert_eq!(best("Wunsch aus der Türk. Gemeinde"), "Türkei");
        assert_eq!(best("transatlantische Beziehungen"), "USA");
    }

    #[test]
    fn abbreviations_are_case_sensitive() {
        let catalogue = Catalogue::default_catalogue();
        let analyzer = Analyzer::new([]);
        let matcher = Matcher::new(&catalogue, &[], &analyzer);
        let ukraine = matcher.index_of("Ukraine").unwrap();
        assert!(
            matcher
                .scores(&analyzer.tokens("Projekte in der UA"), &[])
                .score[ukraine]
                > 0.0
        );
        assert_eq!(
            matcher.scores(&analyzer.tokens("ua. Projekte"), &[]).score[ukraine],
            0.0
        );
    }

    #[test]
    fn a_modifier_carries_the_meaning_when_no_topic_claims_the_head() {
        let catalogue = Catalogue::default_catalogue();
        let vocabulary = keyword_vocabulary(&catalogue);
        let analyzer = Analyzer::new(
            vocabulary
                .iter()
                .map(String::as_str)
                .chain(["Begegnungen", "Versicherung"]),
        );
        let matcher = Matcher::new(&catalogue, &[], &analyzer);
        let jugend = matcher.index_of("Jugend").unwrap();
        let strength = |text: &str| matcher.scores(&analyzer.tokens(text), &[]).strength[jugend];
        // "Begegnungen" belongs to no topic: the Jugend- before it decides.
        assert_eq!(strength("Jugendbegegnungen"), HEAD_WEIGHT);
        // "Versicherung" is a keyword of its own topic: Jugend only qualifies it.
        assert_eq!(strength("Jugendversicherung"), MODIFIER_WEIGHT);
    }

    #[test]
    fn a_word_that_is_a_keyword_claims_its_compound_parts() {
        let catalogue = Catalogue::default_catalogue();
        let analyzer = Analyzer::new(keyword_vocabulary(&catalogue).iter().map(String::as_str));
        let matcher = Matcher::new(&catalogue, &[], &analyzer);
        let scores = matcher.scores(&analyzer.tokens("Jugendfeuerwehr"), &[]);
        let jugend = matcher.index_of("Jugend").unwrap();
        let aid = matcher.index_of("Humanitäre Hilfe").unwrap();
        assert_eq!(scores.strength[jugend], 1.0);
        assert_eq!(scores.strength[aid], 0.0, "the Feuerwehr part is claimed");
        // A prefix keyword that spans the whole word claims it too: "Vorstandsposten" is
        // no "Post" of the Sichtbarkeit.
        let scores = matcher.scores(&analyzer.tokens("Vorstandsposten"), &[]);
        let publicity = matcher
            .index_of("Sichtbarkeit / Öffentlichkeitsarbeit für Vereine")
            .unwrap();
        assert_eq!(scores.strength[publicity], 0.0);
        // A word no keyword names whole still meets keywords in its parts.
        let scores = matcher.scores(&analyzer.tokens("Feuerwehrspende"), &[]);
        assert!(scores.strength[aid] > 0.0);
    }

    #[test]
    fn a_long_prefix_keyword_meets_the_head_of_an_unsplit_word() {
        assert!(inside_unsplit("unfallversichert", "versicher"));
        assert!(
            !inside_unsplit("versichert", "versicher"),
            "at the start it is no head"
        );
        assert!(
            !inside_unsplit("bundesschulen", "schul"),
            "short prefixes only at the start"
        );
        let catalogue = Catalogue::default_catalogue();
        let analyzer = Analyzer::new([]);
        let matcher = Matcher::new(&catalogue, &[], &analyzer);
        let topic = matcher.index_of("Versicherungen für Vereine").unwrap();
        let scores = matcher.scores(&analyzer.tokens("unfallversichert"), &[]);
        assert_eq!(scores.strength[topic], HEAD_WEIGHT);
    }

    #[test]
    fn the_words_of_a_phrase_count_only_for_its_topic() {
        let catalogue = Catalogue::default_catalogue();
        let analyzer = Analyzer::new([]);
        let matcher = Matcher::new(&catalogue, &[], &analyzer);
        let ehrenamt = matcher.index_of("Ehrenamt & Nachwuchsgewinnung").unwrap();
        let money = matcher.index_of("Fördermittel & Finanzierung").unwrap();
        let scores = matcher.scores(&analyzer.tokens("eine freiwillige Leistung der Stadt"), &[]);
        assert_eq!(scores.strength[ehrenamt], 0.0);
        assert_eq!(scores.strength[money], 1.0);
        // Alone the word still counts for its own topic.
        let scores = matcher.scores(&analyzer.tokens("freiwillige Helfer"), &[]);
        assert_eq!(scores.strength[ehrenamt], 1.0);
    }

    #[test]
    fn a_long_keyword_is_met_despite_one_typing_error() {
        let catalogue = Catalogue::default_catalogue();
        let analyzer = Analyzer::new([]);
        let matcher = Matcher::new(&catalogue, &[], &analyzer);
        let money = matcher.index_of("Fördermittel & Finanzierung").unwrap();
        let strength = |text: &str| matcher.scores(&analyzer.tokens(text), &[]).strength[money];
        assert_eq!(
            strength("Crowdfundig für Vereine"),
            TYPO_WEIGHT,
            "missing letter"
        );
        assert_eq!(strength("Crowdfundding"), TYPO_WEIGHT, "added letter");
        assert_eq!(strength("Crowdfumding"), TYPO_WEIGHT, "replaced letter");
        assert_eq!(strength("Crowdfudning"), TYPO_WEIGHT, "swapped letters");
        assert_eq!(strength("Crowdfunding"), 1.0);
        assert_eq!(strength("Crowdfxxding"), 0.0, "two errors are another word");
        assert_eq!(strength("Gelb"), 0.0, "short words need the exact keyword");
        assert_eq!(
            strength("Eine Fraktion fordert, dass wir über das Ende reden"),
            0.0,
            "a writer who types umlauts means 'fordern', not 'fördern'"
        );
        assert!(strength("Wer fördert über das Land?") > 0.0);
        assert!(strength("foerdermittel beantragen") > 0.0);
        assert_eq!(
            strength("Wie erzählen wir das?"),
            0.0,
            "a different first letter is another word (not \"bezahlen\")"
        );
    }

    #[test]
    fn keywords_meet_compound_parts() {
        assert_eq!(
            best("Finanzierungsmöglichkeiten"),
            "Fördermittel & Finanzierung"
        );
        assert_eq!(
            best("Haftpflichtversicherung für den Verein"),
            "Versicherungen für Vereine"
        );
    }
}
