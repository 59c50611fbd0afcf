//! Cleaning of user text before it is stored — one place for every text that comes from a form,
//! the CLI, a paste or an import, so that all paths store the same normalised form.
//!
//! - **One normal form for names and other one-line fields** ([`normalise_line`]): NFC (a
//!   decomposed "ü" equals a composed one), every run of white space — including line breaks
//!   and tabs — becomes one space, and the ends are trimmed. Lookups ("does this organisation
//!   exist?") compare this form, never SQL's `trim()`, which only trims spaces: a name with a
//!   trailing newline once passed the SQL lookup, was trimmed by Rust and then hit the UNIQUE
//!   index.
//! - **No control characters**: NUL, escape and the like are invisible, end up raw in CSV files
//!   and as `_x0000_` in Excel. They are refused with a German field error (silently dropping
//!   them could hide a paste from the wrong source). Tabs and line breaks count as white space
//!   in one-line fields; multi-line fields keep line breaks and tabs.
//! - **A length limit per field**, far below Excel's 32,767 characters per cell, so an export
//!   never has to cut a text that the CSV would keep.

use unicode_normalization::UnicodeNormalization;

use crate::error::{CoreError, CoreResult, FieldError};

/// Longest one-line text (names, titles, labels) in characters.
pub const MAX_LINE_CHARS: usize = 300;
/// Longest multi-line text (descriptions, comments, notes) in characters.
pub const MAX_TEXT_CHARS: usize = 10_000;

/// The normal form of a stored one-line text (names, labels): NFC, white space runs (also line
/// breaks and tabs) as one space, trimmed. Does not validate; see [`Cleaner::line`].
pub fn normalise_line(value: &str) -> String {
    let nfc: String = value.nfc().collect();
    nfc.split(char::is_whitespace)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The normal form of a stored multi-line text: NFC, line breaks as `\n`, the whole trimmed.
pub fn normalise_text(value: &str) -> String {
    let nfc: String = value.nfc().collect();
    nfc.replace("\r\n", "\n")
        .replace(['\r', '\u{2028}', '\u{2029}', '\u{85}'], "\n")
        .trim()
        .to_owned()
}

/// A character that is never stored: a control character other than tab and line breaks.
pub fn is_forbidden_char(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{85}')
}

/// Collects the cleaned fields of one input and the errors of all its fields.
#[derive(Debug, Default)]
pub struct Cleaner {
    errors: Vec<FieldError>,
}

impl Cleaner {
    /// A one-line field (at most [`MAX_LINE_CHARS`]) in its normal form ([`normalise_line`]).
    pub fn line(&mut self, field: &str, value: &str) -> String {
        self.line_max(field, value, MAX_LINE_CHARS)
    }

    /// A one-line field of at most `max` characters in its normal form.
    pub fn line_max(&mut self, field: &str, value: &str, max: usize) -> String {
        self.check_chars(field, value);
        let clean = normalise_line(value);
        self.check_length(field, &clean, max);
        clean
    }

    /// A multi-line field of at most `max` characters ([`normalise_text`]).
    pub fn text(&mut self, field: &str, value: &str, max: usize) -> String {
        self.check_chars(field, value);
        let clean = normalise_text(value);
        self.check_length(field, &clean, max);
        clean
    }

    fn check_chars(&mut self, field: &str, value: &str) {
        if value.chars().any(is_forbidden_char) {
            self.add(
                field,
                "Der Text enthält unsichtbare Steuerzeichen (z. B. aus einer kopierten Datei). \
                 Bitte neu eintippen.",
            );
        }
    }

    fn check_length(&mut self, field: &str, clean: &str, max: usize) {
        let count = clean.chars().count();
        if count > max {
            self.add(
                field,
                &format!(
                    "Der Text ist zu lang: höchstens {} Zeichen, eingegeben {}.",
                    group_thousands(max),
                    group_thousands(count)
                ),
            );
        }
    }

    fn add(&mut self, field: &str, message: &str) {
        if !self.errors.iter().any(|e| e.field == field) {
            self.errors.push(FieldError {
                field: field.to_owned(),
                message: message.to_owned(),
            });
        }
    }

    /// `Ok(())` when every field was clean.
    pub fn finish(self) -> CoreResult<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(CoreError::Validation(self.errors))
        }
    }
}

/// One cleaned one-line field ([`Cleaner::line`]) or its field error.
pub fn line(field: &str, value: &str) -> CoreResult<String> {
    let mut cleaner = Cleaner::default();
    let clean = cleaner.line(field, value);
    cleaner.finish().map(|()| clean)
}

/// One cleaned multi-line field ([`Cleaner::text`]) or its field error.
pub fn text(field: &str, value: &str, max: usize) -> CoreResult<String> {
    let mut cleaner = Cleaner::default();
    let clean = cleaner.text(field, value, max);
    cleaner.finish().map(|()| clean)
}

/// "2.000" for 2000 (German digit grouping).
fn group_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_fields_have_one_normal_form() {
        assert_eq!(normalise_line("Verein\n"), "Verein");
        assert_eq!(normalise_line("Hürth \t e.\u{a0}V.\r\n"), "Hürth e. V.");
        assert_eq!(normalise_line("Mu\u{308}ller"), "Müller");
    }

    #[test]
    fn control_characters_are_refused_with_the_field() {
        for bad in ["A\0B", "\u{1b}[31mrot", "x\u{7f}", "y\u{9b}"] {
            let Err(CoreError::Validation(errors)) = line("name", bad) else {
                panic!("{bad:?} must be refused");
            };
            assert_eq!(errors[0].field, "name");
            assert!(errors[0].message.contains("Steuerzeichen"));
        }
        assert_eq!(text("notes", "a\r\nb\tc\n", 100).unwrap(), "a\nb\tc");
    }

    #[test]
    fn emoji_are_kept_as_typed() {
        // Joiners (U+200D), variation selectors, skin tones and flags are not control characters.
        for typed in [
            "Jürgen 🎉",
            "❤️ Partnerschaft",
            "👩‍👩‍👧 Familie",
            "🇺🇦 Ukraine",
            "👍🏽 gern",
        ] {
            assert_eq!(line("name", typed).unwrap(), typed);
            assert_eq!(
                text("notes", &format!("{typed}\nzweite Zeile"), 100).unwrap(),
                format!("{typed}\nzweite Zeile")
            );
        }
        assert!(
            line("name", "Jürgen 🎉\u{1b}").is_err(),
            "control characters stay refused"
        );
    }

    #[test]
    fn overlong_text_is_refused_with_both_numbers() {
        let Err(CoreError::Validation(errors)) = text("text", &"x".repeat(2_001), 2_000) else {
            panic!("too long");
        };
        assert_eq!(
            errors[0].message,
            "Der Text ist zu lang: höchstens 2.000 Zeichen, eingegeben 2.001."
        );
        assert!(line("name", &"ä".repeat(MAX_LINE_CHARS)).is_ok());
    }

    #[test]
    fn a_cleaner_reports_every_bad_field_once() {
        let mut c = Cleaner::default();
        c.line("a", "\0");
        c.line("b", "ok");
        c.text("c", &"\0".repeat(20), 10);
        let Err(CoreError::Validation(errors)) = c.finish() else {
            panic!()
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["a", "c"]);
    }
}
