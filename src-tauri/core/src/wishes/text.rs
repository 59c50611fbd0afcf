//! Text analysis for short German answers: normalisation, stop words,
//! Snowball stems and dictionary-driven compound splitting.

use std::collections::HashSet;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;

use super::lexicon::{DOMAIN_STOP_WORDS, STOP_WORDS, VOCABULARY};

/// Linking elements (Fugenelemente) allowed between two compound parts.
const LINKS: [&str; 6] = ["", "s", "es", "n", "en", "er"];
/// Shortest compound part in characters.
const MIN_PART: usize = 3;
/// Shortest word that is tried as a compound.
const MIN_COMPOUND: usize = 7;
/// Longest word that is tried as a compound (in folded chars). Real German compounds stay far
/// below ("Donaudampfschifffahrtsgesellschaft" has 34); longer "words" are pasted URLs, key
/// mashing or text without spaces and are kept whole. Together with [`MAX_PART`] this bounds
/// the work per word by a constant, so analysing a text is linear in its length (a 1,200-char
/// word without spaces took 49 s when every span was tried).
const MAX_COMPOUND: usize = 48;
/// Longest compound part that is looked up (in folded chars); longer parts are not words.
const MAX_PART: usize = 24;

/// One part of a split compound ("finanzierung" in "Finanzierungsmöglichkeiten").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The part, lower-cased with umlauts folded.
    pub folded: String,
    /// The Snowball stem of the part.
    pub stem: String,
    /// The part as written (lower case, umlauts kept), for naming clusters.
    pub display: String,
}

/// One word of an answer after analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The word as written (punctuation removed, case kept).
    pub original: String,
    /// Lower case, umlauts and other diacritics folded, ß as "ss".
    pub folded: String,
    /// The Snowball German stem of the folded word.
    pub stem: String,
    /// The compound parts (empty when the word is not a compound).
    pub parts: Vec<Part>,
    /// True when the word carries no topic (general or domain stop word, number).
    pub stop: bool,
    /// True when the word as written is a general stop word (a function word
    /// or common verb such as "kriegen"), as opposed to a domain word
    /// ("Verein") that is only too common to name a topic: such a word meets
    /// no keyword even where its stem does ("kriegen" → "krieg").
    pub function_word: bool,
}

impl Token {
    /// Whether the word is written with a capital first letter (a noun, to a
    /// writer who capitalises nouns).
    pub fn capitalised(&self) -> bool {
        self.original.chars().next().is_some_and(char::is_uppercase)
    }

    /// The stems that describe the word's content: the stem of the whole
    /// word and of each compound part that is not a stop word.
    pub fn content_stems(&self) -> Vec<&str> {
        let mut out = Vec::new();
        if !self.stop {
            out.push(self.stem.as_str());
        }
        for part in &self.parts {
            if !part.stem.is_empty()
                && !out.contains(&part.stem.as_str())
                && !self.is_stop_part(part)
            {
                out.push(part.stem.as_str());
            }
        }
        out
    }

    fn is_stop_part(&self, part: &Part) -> bool {
        part.folded.len() < MIN_PART || part.stem.is_empty()
    }
}

/// Lower-case and fold umlauts, ß and other diacritics (é → e, ł → l), and
/// umlauts typed without the key ("Foerderung", "fuer", "Schueler") like
/// written ones. Returns the folded string and, for each folded char, the
/// index of the char of `lower` it came from.
fn fold_with_map(lower: &str) -> (String, Vec<usize>) {
    let mut folded = String::with_capacity(lower.len());
    let mut map = Vec::with_capacity(lower.len());
    let chars: Vec<char> = lower.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == 'e' && i > 0 && is_transliterated_umlaut(&chars[..i]) {
            continue;
        }
        match c {
            'ß' => {
                folded.push_str("ss");
                map.extend([i, i]);
            }
            'ł' => {
                folded.push('l');
                map.push(i);
            }
            'ø' => {
                folded.push('o');
                map.push(i);
            }
            _ => {
                for d in std::iter::once(c)
                    .nfd()
                    .filter(|d| d.is_ascii() || d.is_alphanumeric())
                {
                    if !is_combining(d) {
                        folded.push(d);
                        map.push(i);
                    }
                }
            }
        }
    }
    (folded, map)
}

/// Whether the `e` after `before` ends an umlaut typed as two letters: after
/// a plain a, o or u that follows no vowel and, for u, no q ("fuer",
/// "Gebaeude" but not "neue", "Bauer", "Quelle"). Words like "aktuell" fold
/// to "aktull" — the same on both sides of every comparison, so harmless.
fn is_transliterated_umlaut(before: &[char]) -> bool {
    let Some((&vowel, rest)) = before.split_last() else {
        return false;
    };
    let previous = rest.last().copied();
    matches!(vowel, 'a' | 'o' | 'u')
        && !previous.is_some_and(|p| "aeiouäöüy".contains(p) || (vowel == 'u' && p == 'q'))
}

fn is_combining(c: char) -> bool {
    ('\u{0300}'..='\u{036f}').contains(&c)
}

/// Lower-case and fold umlauts and diacritics: "Straße" → "strasse",
/// "Fördermittel" → "fordermittel".
pub fn fold(text: &str) -> String {
    fold_with_map(&text.to_lowercase()).0
}

/// Split a text into words: letters and digits; everything else (hyphen,
/// slash, dot, apostrophe, punctuation) separates words. NFC first, so
/// decomposed umlauts count as letters.
pub fn words(text: &str) -> Vec<String> {
    let nfc: String = text.nfc().collect();
    nfc.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The analyser: a stemmer, the stop-word lists and the vocabulary of known
/// words used to split compounds.
pub struct Analyzer {
    stemmer: Stemmer,
    stop: HashSet<String>,
    domain_stop_stems: HashSet<String>,
    vocab: HashSet<String>,
    vocab_stems: HashSet<String>,
}

impl Analyzer {
    /// An analyser with the built-in vocabulary plus `extra_words` (catalogue
    /// keywords, country names, learned examples, words of the answers).
    pub fn new<'a>(extra_words: impl IntoIterator<Item = &'a str>) -> Analyzer {
        let stemmer = Stemmer::create(Algorithm::German);
        let stop: HashSet<String> = STOP_WORDS.iter().map(|w| fold(w)).collect();
        let domain_stop_stems = DOMAIN_STOP_WORDS
            .iter()
            .map(|w| stemmer.stem(&fold(w)).into_owned())
            .collect();
        let mut analyzer = Analyzer {
            stemmer,
            stop,
            domain_stop_stems,
            vocab: HashSet::new(),
            vocab_stems: HashSet::new(),
        };
        for word in VOCABULARY
            .iter()
            .copied()
            .chain(DOMAIN_STOP_WORDS.iter().copied())
        {
            analyzer.add_vocabulary(word);
        }
        for word in extra_words {
            analyzer.add_vocabulary(word);
        }
        analyzer
    }

    /// Add the words of `text` to the compound-splitting vocabulary
    /// (words shorter than four letters and stop words are skipped).
    pub fn add_vocabulary(&mut self, text: &str) {
        for word in words(text) {
            let folded = fold(&word);
            if folded.chars().count() < 4
                || self.stop.contains(&folded)
                || folded.chars().all(|c| c.is_ascii_digit())
            {
                continue;
            }
            let stem = self.stem(&folded);
            if stem.chars().count() >= 4 {
                self.vocab_stems.insert(stem);
            }
            self.vocab.insert(folded);
        }
    }

    /// The Snowball German stem of a folded word.
    pub fn stem(&self, folded: &str) -> String {
        self.stemmer.stem(folded).into_owned()
    }

    /// Analyse a text into tokens (all words, stop words marked).
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        words(text).into_iter().map(|w| self.token(w)).collect()
    }

    fn token(&self, original: String) -> Token {
        let lower = original.to_lowercase();
        let (folded, map) = fold_with_map(&lower);
        let stem = self.stem(&folded);
        let parts = self.split(&folded, &map, &lower);
        let stop =
            self.is_stop(&folded, &stem) && parts.iter().all(|p| self.is_stop(&p.folded, &p.stem));
        let parts = parts
            .into_iter()
            .map(|p| {
                if self.is_stop(&p.folded, &p.stem) {
                    Part {
                        stem: String::new(),
                        ..p
                    }
                } else {
                    p
                }
            })
            .collect();
        let function_word = self.stop.contains(&folded);
        Token {
            function_word,
            original,
            folded,
            stem,
            parts,
            stop,
        }
    }

    /// True for general stop words, domain stop words, numbers and words of
    /// one or two letters.
    pub fn is_stop(&self, folded: &str, stem: &str) -> bool {
        folded.chars().count() < 3
            || folded.chars().all(|c| c.is_ascii_digit())
            || self.stop.contains(folded)
            || self.domain_stop_stems.contains(stem)
    }

    /// Whether `part` is a known word: `Some(true)` as written,
    /// `Some(false)` by its stem only (an inflected form), `None` unknown.
    fn known(&self, part: &str) -> Option<bool> {
        if self.vocab.contains(part) {
            Some(true)
        } else {
            self.vocab_stems.contains(&self.stem(part)).then_some(false)
        }
    }

    /// Split a folded word into known parts. Returns no parts when the word is
    /// short or cannot be split completely into known words. Among several
    /// splits see [`Split::better_than`] (deterministic).
    ///
    /// Only words of [`MIN_COMPOUND`]..=[`MAX_COMPOUND`] chars are tried, and only parts of at
    /// most [`MAX_PART`] chars are looked up: at most `MAX_COMPOUND × MAX_PART` lookups per word.
    fn split(&self, folded: &str, map: &[usize], lower: &str) -> Vec<Part> {
        let n = folded.chars().count();
        if !(MIN_COMPOUND..=MAX_COMPOUND).contains(&n) {
            return Vec::new();
        }
        let chars: Vec<char> = folded.chars().collect();
        // best[i] = best split of chars[i..]: (parts, parts known only by
        // their stem, longest part, part spans without linking elements).
        let mut best: Vec<Option<Split>> = vec![None; n + 1];
        best[n] = Some(Split::default());
        for start in (0..n).rev() {
            let mut candidate: Option<Split> = None;
            // The whole word is no split of itself, even when it is known.
            let last_end = if start == 0 { n - 1 } else { n };
            for end in (start + MIN_PART)..=last_end.min(start + MAX_PART) {
                let word: String = chars[start..end].iter().collect();
                #[cfg(test)]
                LOOKUPS.with(|l| l.set(l.get() + 1));
                let Some(exact) = self.known(&word) else {
                    continue;
                };
                for link in LINKS {
                    let next = end + link.chars().count();
                    if next > n
                        || (next == n && !link.is_empty())
                        || !chars[end..next].iter().copied().eq(link.chars())
                    {
                        continue;
                    }
                    let Some(rest) = &best[next] else { continue };
                    let mut spans = vec![(start, end)];
                    spans.extend(rest.spans.iter().copied());
                    let option = Split {
                        count: rest.count + 1,
                        stem_only: rest.stem_only + usize::from(!exact),
                        longest: rest.longest.max(end - start),
                        spans,
                    };
                    if candidate.as_ref().is_none_or(|c| option.better_than(c)) {
                        candidate = Some(option);
                    }
                }
            }
            best[start] = candidate;
        }
        match best[0].take() {
            Some(split) if split.count >= 2 => split
                .spans
                .into_iter()
                .map(|(s, e)| {
                    let folded_part: String = chars[s..e].iter().collect();
                    let stem = self.stem(&folded_part);
                    let display = original_span(lower, map, s, e);
                    Part {
                        folded: folded_part,
                        stem,
                        display,
                    }
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
thread_local! {
    /// Vocabulary lookups of compound splitting in this thread (tests count the work).
    static LOOKUPS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// A candidate split of the rest of a word.
#[derive(Debug, Clone, Default)]
struct Split {
    count: usize,
    stem_only: usize,
    longest: usize,
    spans: Vec<(usize, usize)>,
}

impl Split {
    /// Fewer parts first, then fewer parts known only by their stem, then
    /// the longest single part.
    fn better_than(&self, other: &Split) -> bool {
        (self.count, self.stem_only, std::cmp::Reverse(self.longest))
            < (
                other.count,
                other.stem_only,
                std::cmp::Reverse(other.longest),
            )
    }
}

/// The chars of `lower` that produced folded chars `start..end`.
fn original_span(lower: &str, map: &[usize], start: usize, end: usize) -> String {
    let from = map[start];
    let to = map[end - 1];
    lower.chars().skip(from).take(to + 1 - from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(analyzer: &Analyzer, word: &str) -> Vec<String> {
        analyzer.tokens(word)[0]
            .parts
            .iter()
            .map(|p| p.folded.clone())
            .collect()
    }

    #[test]
    fn folds_umlauts_and_sharp_s() {
        assert_eq!(fold("Fördermittel"), "fordermittel");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Łódź"), "lodz");
    }

    #[test]
    fn umlauts_typed_as_two_letters_fold_like_written_ones() {
        for (typed, written) in [
            ("Foerdermittel", "Fördermittel"),
            ("fuer", "für"),
            ("Schueleraustausch", "Schüleraustausch"),
            ("Gebaeude", "Gebäude"),
            ("Oeffentlichkeitsarbeit", "Öffentlichkeitsarbeit"),
        ] {
            assert_eq!(fold(typed), fold(written), "{typed}");
        }
        assert_eq!(fold("neue Steuer"), "neue steuer");
        assert_eq!(fold("Quelle"), "quelle");
        let analyzer = Analyzer::new(["Schüler", "Austausch"]);
        let token = &analyzer.tokens("Schueleraustausch")[0];
        assert_eq!(token.stem, analyzer.tokens("Schüleraustausch")[0].stem);
    }

    #[test]
    fn words_split_at_hyphens_and_punctuation() {
        assert_eq!(
            words("Deutsch-Amerikanische (USA)!"),
            vec!["Deutsch", "Amerikanische", "USA"]
        );
        assert_eq!(words("e.V."), vec!["e", "V"]);
    }

    #[test]
    fn splits_compounds_with_linking_s() {
        let analyzer = Analyzer::new(["Finanzierung", "Nachwuchs", "Gewinnung"]);
        assert_eq!(
            parts(&analyzer, "Finanzierungsmöglichkeiten"),
            vec!["finanzierung", "moglichkeiten"]
        );
        assert_eq!(
            parts(&analyzer, "Nachwuchsgewinnung"),
            vec!["nachwuchs", "gewinnung"]
        );
    }

    #[test]
    fn compound_part_keeps_umlaut_for_display() {
        let analyzer = Analyzer::new(["Jubiläum", "Feier"]);
        let token = &analyzer.tokens("Jubiläumsfeier")[0];
        assert_eq!(token.parts[0].display, "jubiläum");
        assert_eq!(token.parts[1].display, "feier");
    }

    #[test]
    fn unknown_words_are_not_split() {
        let analyzer = Analyzer::new(["Verein"]);
        assert!(parts(&analyzer, "Quxblafasel").is_empty());
    }

    #[test]
    fn compound_splitting_work_is_bounded_for_pathological_words() {
        let analyzer = Analyzer::new(["Verein", "Partner", "Stadt", "Austausch"]);
        let lookups = |text: &str| {
            LOOKUPS.with(|l| l.set(0));
            analyzer.tokens(text);
            LOOKUPS.with(|l| l.get())
        };
        // The worst word that is still split: the longest, all of it candidate spans.
        let worst = lookups(&"a".repeat(MAX_COMPOUND));
        assert!(worst <= MAX_COMPOUND * MAX_PART, "{worst}");
        // A 2,000-char wish without spaces is not tried as a compound at all.
        assert_eq!(lookups(&"vereinpartnerstadt".repeat(112)), 0);
        // Many words of the worst length: the work grows linearly with the text.
        let one = lookups("vereinspartnerstadtaustausch");
        let many = lookups(&"vereinspartnerstadtaustausch ".repeat(70));
        assert_eq!(many, 70 * one);
        // A real compound within the bounds is still split.
        assert_eq!(
            parts(&analyzer, "Partnerstadtverein"),
            vec!["partnerstadt", "verein"]
        );
    }

    #[test]
    fn stop_words_carry_no_content() {
        let analyzer = Analyzer::new([]);
        let tokens = analyzer.tokens("Die Möglichkeiten der Städtepartnerschaft und Jubiläum");
        let stops: Vec<bool> = tokens.iter().map(|t| t.stop).collect();
        assert_eq!(stops, vec![true, true, true, true, true, false]);
    }
}
