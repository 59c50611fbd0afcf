//! How central each word of an answer is to what the answer is about.
//!
//! Answers are short and loosely punctuated, so no parser is used; the
//! punctuation and a few function words give the structure:
//! - in an answer of several sentences that asks a question, the question
//!   carries the topic and the other sentences are context
//!   ("Wir sind ein kleiner Verein … Welche Fördertöpfe …?");
//! - a subordinate clause ("…, wenn der Haushalt nicht genehmigt ist") and a
//!   parenthesis ("(Antragsteller: Kommunen/Vereine)") only qualify;
//! - after a short heading and a colon or a dash ("Hilfstransporte: Zoll,
//!   Fahrer, Versicherung", "Spendenquittungen – dürfen wir das als
//!   Freundeskreis?") the words are details of the heading;
//! - what the answer sets aside ("nicht nur als Nothilfe", "statt eigener
//!   Struktur", "weg vom Besuchstourismus") is not what it is about;
//! - after a preposition ("Finanzierung für Jugendbegegnungen") the words
//!   modify the head of the phrase before it, up to the phrase's noun when
//!   the writer capitalises nouns ("Sind Ehrenamtliche über die Stadt
//!   unfallversichert?": the predicate after "Stadt" is no modifier).
//!
//! The result is one weight in (0, 1] per word of [`super::text::words`].

use unicode_normalization::UnicodeNormalization;

use super::text::fold;

/// Weight of the words of a sentence that is context to a question.
pub const CONTEXT: f64 = 0.6;
/// Weight of the words of a subordinate clause or a parenthesis.
pub const SUBORDINATE: f64 = 0.5;
/// Weight of the words after a short heading and a colon or a dash: below
/// the matcher's relative strength for candidates, so a detail does not
/// compete with the heading ("Spendenquittungen – dürfen wir das als
/// Freundeskreis?" is about Spenden, not the Freundeskreis).
pub const AFTER_COLON: f64 = 0.7;
/// Weight of the words after a preposition that follows the head: below
/// the matcher's relative strength for candidates, so a mention in a
/// modifier ("Schüleraustausch mit Frankreich") does not compete with the
/// head of the phrase.
pub const MODIFIER: f64 = 0.75;
/// Weight of the words an answer sets aside ("…, nicht nur als Nothilfe",
/// "jenseits der Hilfstransporte", "außer Folkloreabend"),
/// up to the end of the clause or a "sondern".
pub const SET_ASIDE: f64 = 0.5;
/// Words after which the rest of the clause is set aside.
const SETTING_ASIDE: &[&str] = &[
    "statt", "anstatt", "anstelle", "jenseits", "abseits", "ausser",
];
/// Longest heading (in words) before a colon that makes the rest its details.
const HEADING_WORDS: usize = 6;

/// Conjunctions and relative pronouns that open a subordinate clause after a comma.
const SUBORDINATORS: &[&str] = &[
    "wenn", "weil", "da", "dass", "damit", "obwohl", "nachdem", "falls", "sofern", "als", "ob",
    "wo", "die", "der", "das", "den", "dem", "deren", "dessen", "welche", "welcher", "welches",
    "bevor", "sobald", "solange", "waehrend", "wahrend", "indem", "ohne", "um", "seit", "seitdem",
];
/// Conjunctions that make a whole sentence-opening clause subordinate
/// ("Wenn der Haushalt …, wie …?"); a pronoun or question word at the start
/// ("Welche Fördertöpfe …, ohne dass …?", "Die Partnerschaft ist …") is no
/// such conjunction.
const OPENING_CONJUNCTIONS: &[&str] = &[
    "wenn", "weil", "da", "dass", "damit", "obwohl", "nachdem", "falls", "sofern", "als", "ob",
    "bevor", "sobald", "solange", "waehrend", "wahrend", "indem", "seit", "seitdem",
];
/// Prepositions after which the words of a phrase modify its head.
const PREPOSITIONS: &[&str] = &[
    "fur",
    "bei",
    "beim",
    "mit",
    "von",
    "vom",
    "in",
    "im",
    "zum",
    "zur",
    "uber",
    "nach",
    "durch",
    "gegenuber",
    "zwischen",
    "statt",
    "an",
    "am",
    "auf",
    "aus",
    "unter",
    "wegen",
];
/// Conjunctions that join a second noun to a phrase.
const COORDINATORS: &[&str] = &["und", "oder", "sowie", "bzw"];
/// Nouns too general to be what a phrase is about: their prepositional
/// complement carries the meaning ("Menschen mit Migrationsgeschichte",
/// "Erfahrungen mit Sponsoren"). "Partnerschaften mit Polen: …" stays a
/// frame whose details after the colon compete with the country.
const LIGHT_HEADS: &[&str] = &[
    "menschen",
    "leute",
    "personen",
    "erfahrung",
    "erfahrungen",
    "tipps",
    "ideen",
    "beispiele",
    "moglichkeiten",
    "fragen",
    "themen",
    "umgang",
];
/// The words every answer is about (the partnership, the town, the
/// contact): their complement carries the meaning ("Partnerschaft mit einer
/// Stadt in Polen gesucht") except in a heading before a colon, which stays
/// a frame for its details ("Städtepartnerschaften mit Israel: wie gehen wir
/// mit Protesten um?").
const FRAME_HEADS: &[&str] = &[
    "partnerschaft",
    "partnerschaften",
    "stadtepartnerschaft",
    "stadtepartnerschaften",
    "stadt",
    "stadte",
    "partnerstadt",
    "partnerstadte",
    "gemeinde",
    "land",
    "kontakt",
    "kontakte",
    "zusammenarbeit",
    "beziehungen",
];
/// Abbreviations whose dot does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "z", "b", "e", "v", "ca", "bzw", "usw", "evtl", "ggf", "inkl", "nr", "dr", "vs", "d", "h", "u",
    "a", "o", "s", "bspw", "etc", "ggfs", "zb", "st", "str",
];

/// A word with the punctuation before it.
struct Word {
    folded: String,
    before: String,
    /// Begins with a capital letter.
    capital: bool,
}

/// The weight of every word of `text` (aligned with `words(text)`).
pub fn salience(text: &str) -> Vec<f64> {
    let (list, trailing) = split(text);
    if list.is_empty() {
        return Vec::new();
    }
    let sentences = sentences(&list, &trailing);
    let questions = sentences.iter().filter(|s| s.question).count();
    let context = sentences.len() > 1 && questions > 0;
    // Only a writer who capitalises nouns shows where a phrase's noun is.
    let careful = list.iter().skip(1).any(|w| w.capital);
    let mut out = vec![1.0; list.len()];
    let mut depth = 0_usize;
    for sentence in &sentences {
        let base = if context && !sentence.question {
            CONTEXT
        } else {
            1.0
        };
        let heading = heading_end(&list, sentence.start, sentence.end);
        let mut subordinate = OPENING_CONJUNCTIONS.contains(&list[sentence.start].folded.as_str())
            && list[sentence.start..sentence.end]
                .iter()
                .skip(1)
                .any(|w| w.before.contains(','));
        let mut modified = false;
        let mut seen_content = false;
        let mut light_head = false;
        let mut set_aside = false;
        for i in sentence.start..sentence.end {
            let word = &list[i];
            depth += word.before.matches('(').count();
            if i > sentence.start && breaks_clause(&word.before) {
                subordinate =
                    word.before.contains(',') && SUBORDINATORS.contains(&word.folded.as_str());
                modified = false;
                seen_content = false;
                light_head = false;
                set_aside = false;
            }
            if word.folded == "sondern" {
                set_aside = false;
            } else if sets_aside(&list, i, sentence.start) {
                set_aside = true;
            }
            if PREPOSITIONS.contains(&word.folded.as_str()) && seen_content && !light_head {
                modified = true;
            }
            let mut weight = base;
            if subordinate || depth > 0 {
                weight *= SUBORDINATE;
            } else if modified {
                weight *= MODIFIER;
            }
            if heading.is_some_and(|end| i >= end) {
                weight *= AFTER_COLON;
            }
            if set_aside {
                weight *= SET_ASIDE;
            }
            out[i] = weight;
            // The prepositional phrase ends with its noun, unless a
            // conjunction joins another noun to it ("statt Besuch und Gegenbesuch").
            let coordinated = list.get(i + 1).is_some_and(|next| {
                i + 1 < sentence.end && COORDINATORS.contains(&next.folded.as_str())
            });
            if modified
                && careful
                && word.capital
                && !coordinated
                && !PREPOSITIONS.contains(&word.folded.as_str())
            {
                modified = false;
            }
            depth = depth.saturating_sub(close_count(list.get(i + 1), &trailing));
            if word.folded.chars().count() > 3 && !PREPOSITIONS.contains(&word.folded.as_str()) {
                seen_content = true;
                let in_heading = heading.is_some_and(|end| i < end);
                light_head = LIGHT_HEADS.contains(&word.folded.as_str())
                    || (!in_heading && FRAME_HEADS.contains(&word.folded.as_str()));
            }
        }
    }
    out
}

/// Whether word `i` begins what the answer sets aside: "statt", "nicht
/// nur", "weg von/vom".
fn sets_aside(list: &[Word], i: usize, start: usize) -> bool {
    let word = list[i].folded.as_str();
    let previous = (i > start).then(|| list[i - 1].folded.as_str());
    let next = list.get(i + 1).map(|w| w.folded.as_str());
    SETTING_ASIDE.contains(&word)
        || (word == "nur" && previous == Some("nicht"))
        || (word == "weg" && matches!(next, Some("von" | "vom")))
}

/// Closing parentheses right after word `i` (in the separator of the next word, or trailing).
fn close_count(next: Option<&Word>, trailing: &str) -> usize {
    next.map_or(trailing, |w| w.before.as_str())
        .matches(')')
        .count()
}

/// Whether the punctuation before a word ends a clause (comma, dash, semicolon, colon).
fn breaks_clause(before: &str) -> bool {
    before.contains(',')
        || before.contains(';')
        || before.contains(':')
        || before.contains('–')
        || before.contains('—')
        || before.contains(" - ")
}

/// The first word after a colon or a dash that follows a short heading, if any.
fn heading_end(list: &[Word], start: usize, end: usize) -> Option<usize> {
    (start + 1..end)
        .find(|&i| {
            let before = &list[i].before;
            before.contains(':')
                || before.contains('–')
                || before.contains('—')
                || before.contains(" - ")
        })
        .filter(|&i| i - start <= HEADING_WORDS)
        .filter(|&i| !list[start..=i].iter().any(|w| w.before.contains('(')))
}

/// A sentence: words `start..end`, and whether it asks a question.
struct Sentence {
    start: usize,
    end: usize,
    question: bool,
}

fn sentences(list: &[Word], trailing: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=list.len() {
        let after = list.get(i).map_or(trailing, |w| w.before.as_str());
        let ends = i == list.len() || ends_sentence(after, &list[i - 1].folded);
        if ends {
            out.push(Sentence {
                start,
                end: i,
                question: after.contains('?'),
            });
            start = i;
        }
    }
    out
}

/// Whether punctuation `after` a word ends the sentence.
fn ends_sentence(after: &str, previous: &str) -> bool {
    if after.contains('?') || after.contains('!') || after.contains('\n') {
        return true;
    }
    let dot_then_space = after.contains(". ") || after.ends_with('.');
    dot_then_space
        && !ABBREVIATIONS.contains(&previous)
        && !previous.chars().all(|c| c.is_ascii_digit())
}

/// The words of `text` (as [`super::text::words`] splits them) with the
/// separator before each, and the separator after the last.
fn split(text: &str) -> (Vec<Word>, String) {
    let nfc: String = text.nfc().collect();
    let mut list = Vec::new();
    let mut current = String::new();
    let mut separator = String::new();
    let mut before = String::new();
    for c in nfc.chars() {
        if c.is_alphanumeric() {
            if current.is_empty() {
                before = std::mem::take(&mut separator);
            }
            current.push(c);
        } else {
            if !current.is_empty() {
                let word = std::mem::take(&mut current);
                list.push(Word {
                    capital: word.chars().next().is_some_and(char::is_uppercase),
                    folded: fold(&word),
                    before: std::mem::take(&mut before),
                });
            }
            separator.push(c);
        }
    }
    if !current.is_empty() {
        list.push(Word {
            capital: current.chars().next().is_some_and(char::is_uppercase),
            folded: fold(&current),
            before,
        });
    }
    (list, separator)
}

#[cfg(test)]
mod tests {
    use super::super::text::words;
    use super::*;

    fn weight_of(text: &str, word: &str) -> f64 {
        let list = words(text);
        let weights = salience(text);
        assert_eq!(list.len(), weights.len());
        let i = list.iter().position(|w| w == word).expect("word in text");
        weights[i]
    }

    #[test]
    fn the_question_carries_the_topic_and_other_sentences_are_context() {
        let text = "Wir sind ein kleiner Verein mit 40 Mitgliedern. Welche Fördertöpfe gibt es?";
        assert_eq!(weight_of(text, "Fördertöpfe"), 1.0);
        assert_eq!(weight_of(text, "Mitgliedern"), CONTEXT * MODIFIER);
        // Without a question every sentence counts.
        assert_eq!(
            weight_of("Mitglieder fehlen. Geld auch.", "Mitglieder"),
            1.0
        );
    }

    #[test]
    fn what_the_answer_sets_aside_is_not_its_topic() {
        let text = "Ukrainepartnerschaften langfristig denken, nicht nur als Nothilfe";
        assert_eq!(weight_of(text, "Ukrainepartnerschaften"), 1.0);
        assert_eq!(weight_of(text, "Nothilfe"), SET_ASIDE);
        let text = "Projektgruppe statt Vorstand, und Spenden";
        assert!(weight_of(text, "Vorstand") <= SET_ASIDE);
        assert_eq!(
            weight_of(text, "Spenden"),
            1.0,
            "the next clause counts again"
        );
        let text = "nicht nur Feste, sondern gemeinsame Klimaprojekte";
        assert_eq!(weight_of(text, "Klimaprojekte"), 1.0);
        assert_eq!(
            weight_of("nicht Geld", "Geld"),
            1.0,
            "a plain negation sets nothing aside"
        );
        let text = "Wie wird daraus etwas Dauerhaftes, jenseits der Hilfstransporte?";
        assert_eq!(weight_of(text, "Hilfstransporte"), SET_ASIDE);
        let text = "Was machen andere mit türkischen Partnern außer Folkloreabend?";
        assert!(weight_of(text, "Folkloreabend") <= SET_ASIDE);
    }

    #[test]
    fn parentheses_and_subordinate_clauses_only_qualify() {
        let text = "Zuschüsse für Kleinprojekte (Antragsteller: Kommunen/Vereine)";
        assert_eq!(weight_of(text, "Zuschüsse"), 1.0);
        assert!(weight_of(text, "Kommunen") <= SUBORDINATE);
        let text = "Ehrenamtliche halten, wenn das Projekt vorbei ist";
        assert_eq!(weight_of(text, "Ehrenamtliche"), 1.0);
        assert_eq!(weight_of(text, "Projekt"), SUBORDINATE);
        assert_eq!(weight_of("Fördertöpfe (klein) und Geld", "Geld"), 1.0);
    }

    #[test]
    fn a_question_word_or_article_at_the_start_opens_no_subordinate_clause() {
        let text = "Welche Fördertöpfe gibt es, ohne dass man lange wartet?";
        assert_eq!(weight_of(text, "Fördertöpfe"), 1.0);
        assert_eq!(weight_of(text, "wartet"), SUBORDINATE);
        assert_eq!(
            weight_of("Die Partnerschaft ist kaum bekannt, leider.", "bekannt"),
            1.0
        );
        // A conjunction at the start still does.
        let text = "Wenn der Haushalt fehlt, wie finanzieren wir Fahrten?";
        assert_eq!(weight_of(text, "Haushalt"), SUBORDINATE);
        assert_eq!(weight_of(text, "Fahrten"), 1.0);
    }

    #[test]
    fn details_after_a_heading_and_modifiers_after_a_preposition_weigh_less() {
        let text = "Hilfstransporte in die Ukraine: Zoll, Fahrer, Versicherung";
        assert_eq!(weight_of(text, "Hilfstransporte"), 1.0);
        assert_eq!(weight_of(text, "Ukraine"), MODIFIER);
        assert_eq!(weight_of(text, "Versicherung"), AFTER_COLON);
        let text = "Spendenquittungen ausstellen – dürfen wir das als Freundeskreis?";
        assert_eq!(weight_of(text, "Spendenquittungen"), 1.0);
        assert_eq!(weight_of(text, "Freundeskreis"), AFTER_COLON);
        // A long sentence before a dash is no heading.
        let text = "Wir haben seit vielen Jahren einen sehr aktiven Verein – Fördertöpfe?";
        assert_eq!(weight_of(text, "Fördertöpfe"), 1.0);
        // A preposition before any content word does not make a modifier.
        assert_eq!(weight_of("Mit Polen reden", "Polen"), 1.0);
    }

    #[test]
    fn a_general_head_leaves_the_meaning_to_its_complement() {
        assert_eq!(weight_of("Erfahrungen mit Sponsoren", "Sponsoren"), 1.0);
        assert_eq!(
            weight_of(
                "Menschen mit Migrationsgeschichte einbinden",
                "Migrationsgeschichte"
            ),
            1.0
        );
        assert_eq!(
            weight_of("Finanzierung für Jugendbegegnungen", "Jugendbegegnungen"),
            MODIFIER
        );
    }

    #[test]
    fn the_partnership_and_the_town_leave_the_meaning_to_their_complement() {
        let text = "Partnerschaft mit einer Stadt in Polen gesucht";
        assert_eq!(weight_of(text, "Polen"), 1.0);
        // In a heading before a colon they stay a frame for its details.
        let text = "Partnerschaften mit Polen: Zoll und Fahrer";
        assert_eq!(weight_of(text, "Polen"), MODIFIER);
    }

    #[test]
    fn a_prepositional_phrase_ends_with_its_noun() {
        let text = "Sind Helfer über die Stadt unfallversichert?";
        assert_eq!(weight_of(text, "Stadt"), MODIFIER);
        assert_eq!(weight_of(text, "unfallversichert"), 1.0);
        // A conjunction joins a second noun to the phrase.
        let text = "Neue Formate mit Besuch und Gegenbesuch";
        assert_eq!(weight_of(text, "Gegenbesuch"), MODIFIER);
        // A writer who never capitalises shows no noun: the phrase runs on.
        let text = "sind helfer über die stadt unfallversichert?";
        assert_eq!(weight_of(text, "unfallversichert"), MODIFIER);
    }

    #[test]
    fn abbreviations_and_numbers_do_not_end_sentences() {
        let text = "Projekte z.B. mit 5.000 € Zuschuss? Danke.";
        assert_eq!(weight_of(text, "Zuschuss"), MODIFIER);
        assert_eq!(salience("").len(), 0);
    }
}
