//! Default file names such as `2025-03-13_13-Forum_Anwesenheitsliste.xlsx`.
//!
//! Names are plain ASCII: umlauts are transliterated (ä → ae, ß → ss), other accents dropped,
//! everything that is not a letter or digit becomes a hyphen. Such names are valid on Windows
//! (none of `/ \ : * ? " < > |`), survive e-mail attachments, ZIP files and network shares, and
//! do not differ between macOS (NFD) and Windows (NFC).

use unicode_normalization::UnicodeNormalization;

use super::Exporter;
use crate::events::Event;

/// Most words of a title without a leading number that go into the name.
const MAX_TITLE_WORDS: usize = 4;
/// Longest title part in characters.
const MAX_TITLE_CHARS: usize = 40;

/// `<first day>_<short title>_<exporter>.<ext>`. The short title of a numbered title is the
/// number and the next word ("13. Forum Städtepartnerschaften NRW" → "13-Forum"), else the first
/// words ("Fit für die Zukunft im …" → "Fit-fuer-die-Zukunft").
pub fn default_file_name(event: &Event, exporter: &dyn Exporter, extension: &str) -> String {
    labelled_file_name(event, exporter.file_label(), extension)
}

/// `<first day>_<short title>_<label>.<ext>` for any document of an event (the PDFs of
/// `documents` use it with labels such as "Namensschilder").
pub fn labelled_file_name(event: &Event, label: &str, extension: &str) -> String {
    let day = event
        .days
        .first()
        .map(String::as_str)
        .unwrap_or("undatiert");
    format!(
        "{day}_{}_{}.{extension}",
        short_title(&event.title),
        ascii_slug(label)
    )
}

fn short_title(title: &str) -> String {
    let words: Vec<String> = ascii_slug(title)
        .split('-')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    let numbered = title
        .trim_start()
        .split_once('.')
        .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    let take = if numbered { 2 } else { MAX_TITLE_WORDS };
    let mut short = String::new();
    for word in words.iter().take(take) {
        if !short.is_empty() && short.len() + 1 + word.len() > MAX_TITLE_CHARS {
            break;
        }
        if !short.is_empty() {
            short.push('-');
        }
        short.push_str(word);
    }
    short.truncate(MAX_TITLE_CHARS);
    if short.is_empty() {
        "Veranstaltung".into()
    } else {
        short
    }
}

/// ASCII letters, digits and single hyphens only.
pub(crate) fn ascii_slug(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in transliterate(text).chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

fn transliterate(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'Ä' => out.push_str("Ae"),
            'Ö' => out.push_str("Oe"),
            'Ü' => out.push_str("Ue"),
            'ß' => out.push_str("ss"),
            'ı' => out.push('i'),
            'ł' | 'Ł' | 'đ' | 'Đ' | 'ø' | 'Ø' => out.push(match c {
                'ł' => 'l',
                'Ł' => 'L',
                'đ' => 'd',
                'Đ' => 'D',
                'ø' => 'o',
                _ => 'O',
            }),
            c if cyrillic(c).is_some() => out.push_str(cyrillic(c).unwrap_or_default()),
            other => out.extend(
                other
                    .to_string()
                    .nfd()
                    .filter(|c| !unicode_normalization::char::is_combining_mark(*c)),
            ),
        }
    }
    out
}

/// A simple Latin transliteration of Russian and Ukrainian letters (names on certificates of
/// partners from Ukraine must not end up as an empty file name).
fn cyrillic(c: char) -> Option<&'static str> {
    const LOWER: [&str; 32] = [
        "a", "b", "v", "g", "d", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s",
        "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "iu", "ia",
    ];
    const UPPER: [&str; 32] = [
        "A", "B", "V", "G", "D", "E", "Zh", "Z", "I", "I", "K", "L", "M", "N", "O", "P", "R", "S",
        "T", "U", "F", "Kh", "Ts", "Ch", "Sh", "Shch", "", "Y", "", "E", "Iu", "Ia",
    ];
    match c {
        'а'..='я' => Some(LOWER[c as usize - 'а' as usize]),
        'А'..='Я' => Some(UPPER[c as usize - 'А' as usize]),
        'ё' | 'є' => Some("e"),
        'Ё' | 'Є' => Some("E"),
        'і' | 'ї' => Some("i"),
        'І' | 'Ї' => Some("I"),
        'ґ' => Some("g"),
        'Ґ' => Some("G"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_titles_keep_number_and_first_word() {
        assert_eq!(
            short_title("13. Forum Städtepartnerschaften NRW"),
            "13-Forum"
        );
        assert_eq!(short_title("6. Tag der Städtepartnerschaften"), "6-Tag");
    }

    #[test]
    fn other_titles_keep_their_first_words_in_ascii() {
        assert_eq!(
            short_title("Fit für die Zukunft im Städtepartnerschaftsverein"),
            "Fit-fuer-die-Zukunft"
        );
        assert_eq!(
            short_title("Online-Austausch – Hilfe zum Wiederaufbau in der Ukraine"),
            "Online-Austausch-Hilfe-zum"
        );
        assert_eq!(
            short_title("Café: Begegnung? <Łódź> | „Ja“"),
            "Cafe-Begegnung-Lodz-Ja"
        );
        assert_eq!(short_title("***"), "Veranstaltung");
    }

    #[test]
    fn slugs_contain_no_characters_windows_forbids() {
        let slug = ascii_slug(r#"a/b\c:d*e?f"g<h>i|j"#);
        assert_eq!(slug, "a-b-c-d-e-f-g-h-i-j");
        assert_eq!(ascii_slug("Wünsche nach Themen"), "Wuensche-nach-Themen");
    }

    #[test]
    fn names_in_other_scripts_become_readable_ascii() {
        assert_eq!(ascii_slug("Işıl Yıldız"), "Isil-Yildiz");
        assert_eq!(
            ascii_slug("Łukasz Wróbel, Đorđe Øvrebø"),
            "Lukasz-Wrobel-Dorde-Ovrebo"
        );
        assert_eq!(ascii_slug("Олена Петренко"), "Olena-Petrenko");
        assert_eq!(ascii_slug("Ярослава Шевченко"), "Iaroslava-Shevchenko");
        assert_eq!(ascii_slug("Їжак Ґудзь"), "Izhak-Gudz");
    }
}
