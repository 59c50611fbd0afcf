//! Reading single values the way web forms, Excel and video-conference tools write them:
//! dates and times, combined names, consent answers, multi-select answers, durations, and the
//! checks for formulas and letters lost to an encoding.

use chrono::{
    DateTime, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc,
};
use chrono_tz::Europe::Berlin;

/// Parses a date or date-time in any form the sources write; times without an offset are
/// Europe/Berlin, a bare date is midnight Berlin. `us_first` decides `02/03/2025` (March 2 in
/// Zoom's US form) — a first number above 12 always means day first.
///
/// Accepted: RFC 3339 / ISO with or without offset, `20.02.2025 14:07`, `02/20/2025 02:07:45 PM`,
/// `14. Februar 2025 9:05`, `February 14, 2025 9:05 am`, `2025/02/14 9:05:33 AM MEZ`, Excel
/// serial numbers (`45707.59`).
pub fn parse_datetime(value: &str, us_first: bool) -> Option<DateTime<Utc>> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(value) {
        return Some(t.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%d %H:%M:%S%:z",
        "%Y-%m-%d %H:%M%:z",
        "%Y-%m-%d %H:%M:%S %z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(value, format) {
            return Some(t.with_timezone(&Utc));
        }
    }
    if let Some(serial) = excel_serial(value) {
        return berlin(serial);
    }
    let parts = tokenize(value);
    let (naive, offset) = assemble(&parts, us_first)?;
    match offset {
        Some(offset) => offset
            .from_local_datetime(&naive)
            .single()
            .map(|t| t.with_timezone(&Utc)),
        None => berlin(naive),
    }
}

/// A Berlin wall-clock time as an instant: the earlier one in the autumn hour, one hour later
/// in the spring gap.
pub fn berlin(naive: NaiveDateTime) -> Option<DateTime<Utc>> {
    match Berlin.from_local_datetime(&naive) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t.with_timezone(&Utc)),
        LocalResult::None => Berlin
            .from_local_datetime(&(naive + Duration::hours(1)))
            .earliest()
            .map(|t| t.with_timezone(&Utc)),
    }
}

/// An Excel serial date (days since 1899-12-30) between 1990 and 2100.
fn excel_serial(value: &str) -> Option<NaiveDateTime> {
    let number: f64 = value.replace(',', ".").parse().ok()?;
    if !(32_874.0..=73_051.0).contains(&number) {
        return None;
    }
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_hms_opt(0, 0, 0)?;
    // Rounded to the second: Excel stores 14:07 as 14:06:59.9999.
    Some(epoch + Duration::seconds((number * 86_400.0).round() as i64))
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(u32, usize, char),
    Month(u32),
    Meridiem(bool),
    Zone(i32),
}

fn month_of(word: &str) -> Option<u32> {
    const MONTHS: [&[&str]; 12] = [
        &["januar", "jan", "january", "janner", "jänner"],
        &["februar", "feb", "february"],
        &["marz", "märz", "mar", "march", "mrz"],
        &["april", "apr"],
        &["mai", "may"],
        &["juni", "jun", "june"],
        &["juli", "jul", "july"],
        &["august", "aug"],
        &["september", "sep", "sept"],
        &["oktober", "okt", "october", "oct"],
        &["november", "nov"],
        &["dezember", "dez", "december", "dec"],
    ];
    let word = crate::store::fold(word);
    MONTHS
        .iter()
        .position(|names| names.contains(&word.as_str()))
        .map(|i| i as u32 + 1)
}

/// Numbers (with their digit count and the separator that follows), month names, AM/PM and
/// zone abbreviations; weekday names and other words are ignored.
fn tokenize(value: &str) -> Vec<Token> {
    let chars: Vec<char> = value.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let digits: String = chars[start..i].iter().collect();
            let separator = chars.get(i).copied().unwrap_or(' ');
            if digits.len() > 4 {
                return Vec::new();
            }
            tokens.push(Token::Number(
                digits.parse().unwrap_or(0),
                digits.len(),
                separator,
            ));
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len() && (chars[i].is_alphabetic()) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let lower = word.to_lowercase();
            match lower.as_str() {
                "am" | "vorm" => tokens.push(Token::Meridiem(false)),
                "pm" | "nachm" => tokens.push(Token::Meridiem(true)),
                "a" | "p" if chars.get(i) == Some(&'.') => {
                    tokens.push(Token::Meridiem(lower == "p"));
                }
                "mez" | "cet" => tokens.push(Token::Zone(3600)),
                "mesz" | "cest" => tokens.push(Token::Zone(7200)),
                "utc" | "gmt" | "z" => tokens.push(Token::Zone(0)),
                "uhr" | "um" | "t" | "m" => {}
                _ => {
                    if let Some(m) = month_of(&lower) {
                        tokens.push(Token::Month(m));
                    }
                }
            }
        } else if (c == '+' || c == '-') && tokens.len() >= 4 {
            // A numeric offset after the time: +01:00 / -0500.
            let rest: String = chars[i + 1..]
                .iter()
                .filter(|c| c.is_ascii_digit())
                .collect();
            if rest.len() == 4 {
                let h: i32 = rest[..2].parse().unwrap_or(0);
                let m: i32 = rest[2..].parse().unwrap_or(0);
                let sign = if c == '-' { -1 } else { 1 };
                tokens.push(Token::Zone(sign * (h * 3600 + m * 60)));
                break;
            }
            i += 1;
        } else {
            i += 1;
        }
    }
    tokens
}

fn assemble(tokens: &[Token], us_first: bool) -> Option<(NaiveDateTime, Option<FixedOffset>)> {
    let numbers: Vec<(u32, usize, char)> = tokens
        .iter()
        .filter_map(|t| match t {
            Token::Number(n, len, sep) => Some((*n, *len, *sep)),
            _ => None,
        })
        .collect();
    let month_word = tokens.iter().find_map(|t| match t {
        Token::Month(m) => Some(*m),
        _ => None,
    });
    let (date, rest) = match month_word {
        Some(month) => {
            // "14. Februar 2025 9:05" or "February 14, 2025 9:05 am": day, then year.
            let (day, year) = (numbers.first()?.0, numbers.get(1)?);
            if year.1 != 4 {
                return None;
            }
            (
                NaiveDate::from_ymd_opt(year.0 as i32, month, day)?,
                &numbers[2..],
            )
        }
        None => {
            let (a, b, c) = (numbers.first()?, numbers.get(1)?, numbers.get(2)?);
            let date = if a.1 == 4 {
                NaiveDate::from_ymd_opt(a.0 as i32, b.0, c.0)?
            } else {
                let year = match c.1 {
                    4 => c.0 as i32,
                    2 => 2000 + c.0 as i32,
                    _ => return None,
                };
                let day_first = a.2 == '.' || a.2 == '-' || a.0 > 12 || !us_first;
                let (day, month) = if day_first { (a.0, b.0) } else { (b.0, a.0) };
                NaiveDate::from_ymd_opt(year, month, day)?
            };
            (date, &numbers[3..])
        }
    };
    let mut hour = rest.first().map_or(0, |n| n.0);
    let minute = rest.get(1).map_or(0, |n| n.0);
    let second = rest.get(2).map_or(0, |n| n.0);
    if let Some(pm) = tokens.iter().find_map(|t| match t {
        Token::Meridiem(pm) => Some(*pm),
        _ => None,
    }) {
        if hour == 0 || hour > 12 {
            return None;
        }
        hour = match (pm, hour) {
            (false, 12) => 0,
            (true, 12) => 12,
            (true, h) => h + 12,
            (false, h) => h,
        };
    }
    let naive = date.and_hms_opt(hour, minute, second)?;
    let offset = tokens.iter().find_map(|t| match t {
        Token::Zone(seconds) => FixedOffset::east_opt(*seconds),
        _ => None,
    });
    Some((naive, offset))
}

/// A duration as Zoom, Teams and Excel write it, in seconds: `62` (minutes), `1:02:10`,
/// `1h 2m 10s`, `1 Std. 58 Min. 3 s`, `58 Min.`, `45 s`.
pub fn parse_duration_seconds(value: &str) -> Option<i64> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if let Ok(minutes) = value.parse::<i64>() {
        return Some(minutes * 60);
    }
    if value.contains(':') && value.chars().all(|c| c.is_ascii_digit() || c == ':') {
        let parts: Vec<i64> = value.split(':').filter_map(|p| p.parse().ok()).collect();
        return match parts.as_slice() {
            [h, m, s] => Some(h * 3600 + m * 60 + s),
            [m, s] => Some(m * 60 + s),
            _ => None,
        };
    }
    let mut total = 0i64;
    let mut number: Option<i64> = None;
    let mut found = false;
    let lower = value.to_lowercase();
    let mut chars = lower.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            let mut n = c.to_digit(10)? as i64;
            while let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                n = n.checked_mul(10)?.checked_add(i64::from(d))?;
                chars.next();
            }
            number = Some(n);
        } else if c.is_alphabetic() {
            let mut word = String::from(c);
            while let Some(&d) = chars.peek() {
                if d.is_alphabetic() {
                    word.push(d);
                    chars.next();
                } else {
                    break;
                }
            }
            let unit = match word.as_str() {
                "h" | "std" | "stunde" | "stunden" | "hr" | "hrs" | "hour" | "hours" => 3600,
                "m" | "min" | "mins" | "minute" | "minuten" | "minutes" => 60,
                "s" | "sek" | "sec" | "secs" | "sekunde" | "sekunden" | "second" | "seconds" => 1,
                _ => return None,
            };
            total += number.take()? * unit;
            found = true;
        }
    }
    found.then_some(total)
}

/// A name split into its parts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameParts {
    /// "Frau" / "Herr" when written before the name.
    pub salutation: String,
    /// Academic titles ("Prof. Dr.").
    pub title: String,
    /// First name(s).
    pub first_name: String,
    /// Last name with particles ("von Berg").
    pub last_name: String,
}

const PARTICLES: [&str; 16] = [
    "von", "van", "de", "der", "den", "zu", "zur", "vom", "da", "di", "du", "la", "le", "ten",
    "ter", "dos",
];

/// Splits a combined name: "Prof. Dr. Anna-Lena von Berg" → title "Prof. Dr.", first
/// "Anna-Lena", last "von Berg"; "Berg, Anna" → first "Anna", last "Berg"; "Frau Ute Brand" →
/// salutation "Frau". `None` when no first and last name can be told apart.
pub fn split_name(full: &str) -> Option<NameParts> {
    let mut parts = NameParts::default();
    let (main, after_comma) = match full.split_once(',') {
        Some((last, first)) if !first.trim().is_empty() && !last.trim().is_empty() => {
            (first.trim().to_owned(), Some(last.trim().to_owned()))
        }
        _ => (full.trim().to_owned(), None),
    };
    let mut words: Vec<&str> = main.split_whitespace().collect();
    let mut titles = Vec::new();
    while let Some(first) = words.first() {
        let folded = crate::store::fold(first);
        if matches!(
            folded.as_str(),
            "frau" | "herr" | "fr." | "hr." | "mr." | "ms." | "mrs." | "mr" | "ms" | "mrs"
        ) && parts.salutation.is_empty()
        {
            parts.salutation = match folded.as_str() {
                "frau" | "fr." | "ms." | "mrs." | "ms" | "mrs" => "Frau".into(),
                _ => "Herr".into(),
            };
            words.remove(0);
        } else if is_title(first) {
            titles.push(words.remove(0));
        } else {
            break;
        }
    }
    parts.title = titles.join(" ");
    if let Some(last) = after_comma {
        if words.is_empty() {
            return None;
        }
        parts.first_name = words.join(" ");
        parts.last_name = last;
        return Some(parts);
    }
    if words.len() < 2 {
        return None;
    }
    let mut last_start = words.len() - 1;
    while last_start > 1 && PARTICLES.contains(&words[last_start - 1].to_lowercase().as_str()) {
        last_start -= 1;
    }
    parts.first_name = words[..last_start].join(" ");
    parts.last_name = words[last_start..].join(" ");
    Some(parts)
}

fn is_title(word: &str) -> bool {
    let lower = word.to_lowercase();
    let known = [
        "prof.",
        "dr.",
        "prof",
        "dr",
        "dipl.-ing.",
        "dr.-ing.",
        "dipl.",
        "mag.",
        "pd",
        "apl.",
        "med.",
        "phil.",
        "rer.",
        "nat.",
        "pol.",
        "h.c.",
        "jur.",
        "m.a.",
        "b.a.",
        "ing.",
        "mdb",
        "mdl",
        "mdep",
    ];
    known.contains(&lower.as_str()) || (lower.starts_with("dr.") && lower.len() <= 8)
}

/// Whether a consent cell says yes: `1`, `ja`, `x`, `✓`, `yes`, `true`, or any other text that is
/// not a no (forms write the checkbox label or the whole consent text).
pub fn consent_given(value: &str) -> bool {
    let folded = crate::store::fold(value);
    let folded = folded.trim_matches(|c: char| c == '.' || c == '!' || c.is_whitespace());
    !(folded.is_empty()
        || matches!(
            folded,
            "0" | "nein"
                | "no"
                | "n"
                | "false"
                | "falsch"
                | "-"
                | "—"
                | "✗"
                | "✘"
                | "nicht"
                | "keine"
                | "off"
                | "unchecked"
                | "abgelehnt"
                | "nicht zugestimmt"
                | "nicht einverstanden"
        )
        || folded.starts_with("nein")
        || folded.starts_with("nicht")
        || folded.starts_with("kein")
        || folded.starts_with("no ")
        || folded.contains("stimme nicht")
        || folded.contains("willige nicht")
        || folded.contains("nicht einverstanden")
        || folded.contains("do not")
        || folded.contains("don't")
        || folded.contains("disagree"))
}

/// Splits a multi-select answer on `;`, `, ` or line breaks; blank parts are dropped.
pub fn split_multi(value: &str) -> Vec<String> {
    value
        .split(['\n', ';'])
        .flat_map(|part| part.split(", "))
        .map(|p| {
            p.trim()
                .trim_start_matches(['-', '•', '*'])
                .trim()
                .to_owned()
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// Whether a value would be a formula in Excel (`=`, `+`, `-`, `@` first).
pub fn looks_like_formula(value: &str) -> bool {
    value.trim_start().starts_with(['=', '+', '-', '@'])
}

/// Contact Form 7 (Flamingo) marks values starting with `= + - @` with a prefix; the value
/// itself is what the person typed.
pub fn strip_security_alert(value: &str) -> &str {
    let trimmed = value.trim_start();
    if let Some(rest) = trimmed.strip_prefix("(Security Alert:")
        && let Some(end) = rest.find(')')
    {
        return rest[end + 1..].trim_start();
    }
    value
}

/// A `?` followed by a letter: an encoding lost a letter (`Ko?odziej`).
pub fn lost_letter(value: &str) -> bool {
    let chars: Vec<char> = value.chars().collect();
    chars
        .windows(2)
        .any(|w| w[0] == '?' && w[1].is_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(value: &str) -> String {
        crate::time::to_storage(parse_datetime(value, true).unwrap_or_else(|| panic!("{value}")))
    }

    #[test]
    fn every_date_form_of_the_sources_is_read_and_berlin_is_the_default_zone() {
        assert_eq!(at("2025-02-20T14:07:00+01:00"), "2025-02-20T13:07:00Z");
        assert_eq!(at("2025-02-20 14:07:00"), "2025-02-20T13:07:00Z");
        assert_eq!(at("20.02.2025 14:07"), "2025-02-20T13:07:00Z");
        assert_eq!(at("02/20/2025 02:07:45 PM"), "2025-02-20T13:07:45Z");
        assert_eq!(at("14. Februar 2025 9:05"), "2025-02-14T08:05:00Z");
        assert_eq!(at("February 14, 2025 9:05 am"), "2025-02-14T08:05:00Z");
        assert_eq!(at("2025/02/14 9:05:33 AM MEZ"), "2025-02-14T08:05:33Z");
        assert_eq!(at("2025/06/14 9:05:33 AM MESZ"), "2025-06-14T07:05:33Z");
        assert_eq!(
            at("20.06.2025 14:07"),
            "2025-06-20T12:07:00Z",
            "summer time"
        );
        assert_eq!(
            at("45707.5868055556"),
            "2025-02-19T13:05:00Z",
            "Excel serial"
        );
        assert_eq!(at("20.02.2025"), "2025-02-19T23:00:00Z");
        assert_eq!(
            at("13/03/2025 10:58:12"),
            "2025-03-13T09:58:12Z",
            "day > 12 is a day"
        );
        assert_eq!(
            crate::time::to_storage(parse_datetime("03/04/2025 10:00", false).unwrap()),
            "2025-04-03T08:00:00Z",
            "German order when the file is not US"
        );
        assert_eq!(parse_datetime("morgen", true), None);
        assert_eq!(parse_datetime("31.02.2025", true), None);
    }

    #[test]
    fn durations_in_every_language() {
        assert_eq!(parse_duration_seconds("1 Std. 58 Min. 3 s"), Some(7083));
        assert_eq!(parse_duration_seconds("1h 2m 10s"), Some(3730));
        assert_eq!(parse_duration_seconds("58 Min."), Some(3480));
        assert_eq!(parse_duration_seconds("62"), Some(3720));
        assert_eq!(parse_duration_seconds("1:02:10"), Some(3730));
        assert_eq!(parse_duration_seconds("lang"), None);
    }

    #[test]
    fn combined_names_are_split_into_title_first_and_last() {
        let p = split_name("Prof. Dr. Anna-Lena von Berg").unwrap();
        assert_eq!(
            (
                p.title.as_str(),
                p.first_name.as_str(),
                p.last_name.as_str()
            ),
            ("Prof. Dr.", "Anna-Lena", "von Berg")
        );
        let p = split_name("Berg, Anna").unwrap();
        assert_eq!(
            (p.first_name.as_str(), p.last_name.as_str()),
            ("Anna", "Berg")
        );
        let p = split_name("Frau Dr. Ute van der Brand").unwrap();
        assert_eq!(
            (
                p.salutation.as_str(),
                p.title.as_str(),
                p.last_name.as_str()
            ),
            ("Frau", "Dr.", "van der Brand")
        );
        let p = split_name("Hans Peter Schmitz").unwrap();
        assert_eq!(
            (p.first_name.as_str(), p.last_name.as_str()),
            ("Hans Peter", "Schmitz")
        );
        assert_eq!(split_name("Madonna"), None);
    }

    #[test]
    fn consent_multi_select_formula_and_lost_letters() {
        for yes in [
            "1",
            "ja",
            "Ja",
            "x",
            "✓",
            "yes",
            "Ich stimme der Datenschutzerklärung zu",
        ] {
            assert!(consent_given(yes), "{yes}");
        }
        for no in [
            "",
            "0",
            "nein",
            "Nein.",
            "no",
            "false",
            "Ich stimme nicht zu",
        ] {
            assert!(!consent_given(no), "{no}");
        }
        assert_eq!(split_multi("A; B\nC, D,E"), ["A", "B", "C", "D,E"]);
        assert!(looks_like_formula("=HYPERLINK(\"x\")"));
        assert!(looks_like_formula("@SUM(A1)"));
        assert!(!looks_like_formula("Anna"));
        assert_eq!(strip_security_alert("(Security Alert: x) =1+1"), "=1+1");
        assert!(lost_letter("Ko?odziej"));
        assert!(!lost_letter("Was nun?"));
        assert!(!lost_letter("?"));
    }
}
