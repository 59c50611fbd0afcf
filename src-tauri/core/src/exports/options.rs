//! Export options described as data: each exporter declares its options ([`OptionSpec`]), the UI
//! renders a form from them, and raw JSON values (from the UI, a saved profile or the CLI) are
//! validated against them into [`ExportOptions`] with every default filled in.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

use crate::error::{CoreError, CoreResult, Validator};

/// Raw option values as they arrive from the UI, a profile or the CLI: key → JSON value.
pub type RawOptions = Map<String, Value>;

/// What kind of input an option takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum OptionKind {
    /// Yes/no (JSON boolean).
    Bool,
    /// Exactly one of `choices` (JSON string).
    Choice,
    /// Any subset of `choices`, order irrelevant (JSON array of strings).
    Multi,
    /// An ordered, non-empty subset of `choices`: the columns in their order (JSON array).
    Columns,
    /// A whole number between `min` and `max` (JSON number).
    Number,
    /// Free text (JSON string).
    Text,
}

/// One allowed value of a choice, multi-choice or columns option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct OptionChoice {
    /// The value stored and sent (e.g. "last_name").
    pub value: String,
    /// German label shown to the user (e.g. "Nachname").
    pub label: String,
}

/// A validated option value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(untagged)]
#[ts(export)]
pub enum OptionValue {
    /// For [`OptionKind::Bool`].
    Bool(bool),
    /// For [`OptionKind::Number`].
    Number(u32),
    /// For [`OptionKind::Choice`] and [`OptionKind::Text`].
    Text(String),
    /// For [`OptionKind::Multi`] and [`OptionKind::Columns`].
    List(Vec<String>),
}

impl From<&OptionValue> for Value {
    fn from(value: &OptionValue) -> Self {
        match value {
            OptionValue::Bool(b) => Value::Bool(*b),
            OptionValue::Number(n) => Value::from(*n),
            OptionValue::Text(t) => Value::String(t.clone()),
            OptionValue::List(items) => items.iter().map(|i| Value::String(i.clone())).collect(),
        }
    }
}

/// The description of one option, enough for the UI to render and check it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct OptionSpec {
    /// Key in the options map (snake_case).
    pub key: String,
    /// German label.
    pub label: String,
    /// German help text (one sentence; may be empty).
    pub help: String,
    /// Input kind.
    pub kind: OptionKind,
    /// Value used when the option is not given.
    pub default: OptionValue,
    /// Allowed values (choice, multi, columns), in display order.
    pub choices: Vec<OptionChoice>,
    /// Smallest allowed number (number options).
    pub min: Option<u32>,
    /// Largest allowed number (number options).
    pub max: Option<u32>,
}

impl OptionSpec {
    fn new(key: &str, label: &str, help: &str, kind: OptionKind, default: OptionValue) -> Self {
        OptionSpec {
            key: key.to_owned(),
            label: label.to_owned(),
            help: help.to_owned(),
            kind,
            default,
            choices: Vec::new(),
            min: None,
            max: None,
        }
    }

    /// A yes/no option.
    pub fn flag(key: &str, label: &str, help: &str, default: bool) -> Self {
        Self::new(
            key,
            label,
            help,
            OptionKind::Bool,
            OptionValue::Bool(default),
        )
    }

    /// A whole number in `min..=max`.
    pub fn number(key: &str, label: &str, help: &str, default: u32, min: u32, max: u32) -> Self {
        OptionSpec {
            min: Some(min),
            max: Some(max),
            ..Self::new(
                key,
                label,
                help,
                OptionKind::Number,
                OptionValue::Number(default),
            )
        }
    }

    /// One of `choices` (value, label).
    pub fn choice(
        key: &str,
        label: &str,
        help: &str,
        choices: &[(&str, &str)],
        default: &str,
    ) -> Self {
        OptionSpec {
            choices: to_choices(choices),
            ..Self::new(
                key,
                label,
                help,
                OptionKind::Choice,
                OptionValue::Text(default.to_owned()),
            )
        }
    }

    /// A subset of `choices` (multi) or an ordered selection (columns).
    pub fn list(
        kind: OptionKind,
        key: &str,
        label: &str,
        help: &str,
        choices: &[(&str, &str)],
        default: &[&str],
    ) -> Self {
        let default = default.iter().map(|d| (*d).to_owned()).collect();
        OptionSpec {
            choices: to_choices(choices),
            ..Self::new(key, label, help, kind, OptionValue::List(default))
        }
    }

    fn allows(&self, value: &str) -> bool {
        self.choices.iter().any(|c| c.value == value)
    }

    fn allowed_values(&self) -> String {
        let values: Vec<&str> = self.choices.iter().map(|c| c.value.as_str()).collect();
        values.join(", ")
    }

    /// Checks one raw value; `Err` is the German message for the field.
    fn check(&self, raw: &Value) -> Result<OptionValue, String> {
        match self.kind {
            OptionKind::Bool => raw
                .as_bool()
                .map(OptionValue::Bool)
                .ok_or_else(|| format!("„{}“ erwartet ja oder nein (true/false).", self.label)),
            OptionKind::Number => self.check_number(raw),
            OptionKind::Text => raw
                .as_str()
                .map(|t| OptionValue::Text(t.trim().to_owned()))
                .ok_or_else(|| format!("„{}“ erwartet einen Text.", self.label)),
            OptionKind::Choice => self.check_choice(raw),
            OptionKind::Multi | OptionKind::Columns => self.check_list(raw),
        }
    }

    fn check_number(&self, raw: &Value) -> Result<OptionValue, String> {
        let (min, max) = (self.min.unwrap_or(0), self.max.unwrap_or(u32::MAX));
        raw.as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| (min..=max).contains(n))
            .map(OptionValue::Number)
            .ok_or_else(|| {
                format!(
                    "„{}“ muss eine ganze Zahl von {min} bis {max} sein.",
                    self.label
                )
            })
    }

    fn check_choice(&self, raw: &Value) -> Result<OptionValue, String> {
        match raw.as_str() {
            Some(v) if self.allows(v) => Ok(OptionValue::Text(v.to_owned())),
            _ => Err(format!(
                "{} ist für „{}“ nicht möglich (möglich: {}).",
                describe(raw),
                self.label,
                self.allowed_values()
            )),
        }
    }

    fn check_list(&self, raw: &Value) -> Result<OptionValue, String> {
        let items = raw
            .as_array()
            .ok_or_else(|| format!("„{}“ erwartet eine Liste.", self.label))?;
        let mut values: Vec<String> = Vec::with_capacity(items.len());
        for item in items {
            match item.as_str() {
                Some(v) if self.allows(v) && !values.iter().any(|x| x == v) => {
                    values.push(v.to_owned());
                }
                Some(v) if self.allows(v) => {
                    return Err(format!("„{v}“ steht doppelt in „{}“.", self.label));
                }
                _ => {
                    return Err(format!(
                        "{} ist für „{}“ nicht möglich (möglich: {}).",
                        describe(item),
                        self.label,
                        self.allowed_values()
                    ));
                }
            }
        }
        if self.kind == OptionKind::Columns && values.is_empty() {
            return Err(format!(
                "Bitte wählen Sie für „{}“ mindestens eine Spalte.",
                self.label
            ));
        }
        Ok(OptionValue::List(values))
    }
}

fn to_choices(choices: &[(&str, &str)]) -> Vec<OptionChoice> {
    choices
        .iter()
        .map(|(value, label)| OptionChoice {
            value: (*value).to_owned(),
            label: (*label).to_owned(),
        })
        .collect()
}

/// A raw value quoted for an error message.
fn describe(raw: &Value) -> String {
    match raw {
        Value::String(s) => format!("„{s}“"),
        other => format!("„{other}“"),
    }
}

/// Options validated against an exporter's specs, every option present (defaults filled in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    values: BTreeMap<String, OptionValue>,
}

impl ExportOptions {
    /// Validates `raw` against `specs`. Unknown keys and wrong values are field errors (the field
    /// is the option key) naming `exporter_label`; missing keys get their defaults.
    pub fn resolve(
        exporter_label: &str,
        specs: &[OptionSpec],
        raw: &RawOptions,
    ) -> CoreResult<Self> {
        let mut v = Validator::default();
        for key in raw.keys() {
            if !specs.iter().any(|s| &s.key == key) {
                let known: Vec<&str> = specs.iter().map(|s| s.key.as_str()).collect();
                v.add(
                    key,
                    format!(
                        "Unbekannte Option „{key}“ für „{exporter_label}“ (möglich: {}).",
                        known.join(", ")
                    ),
                );
            }
        }
        let mut values = BTreeMap::new();
        for spec in specs {
            let value = match raw.get(&spec.key) {
                None => Ok(spec.default.clone()),
                Some(given) => spec.check(given),
            };
            match value {
                Ok(value) => {
                    values.insert(spec.key.clone(), value);
                }
                Err(message) => v.add(&spec.key, message),
            }
        }
        v.finish()?;
        Ok(ExportOptions { values })
    }

    /// The options as a JSON map (e.g. to store them in a profile).
    pub fn to_raw(&self) -> RawOptions {
        self.values
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(v)))
            .collect()
    }

    fn get(&self, key: &str) -> CoreResult<&OptionValue> {
        self.values.get(key).ok_or_else(|| {
            CoreError::invalid(
                key,
                format!("Die Option „{key}“ fehlt in der Beschreibung."),
            )
        })
    }

    /// A yes/no option.
    pub fn flag(&self, key: &str) -> CoreResult<bool> {
        match self.get(key)? {
            OptionValue::Bool(b) => Ok(*b),
            other => Err(mismatch(key, other)),
        }
    }

    /// A number option.
    pub fn number(&self, key: &str) -> CoreResult<u32> {
        match self.get(key)? {
            OptionValue::Number(n) => Ok(*n),
            other => Err(mismatch(key, other)),
        }
    }

    /// A choice or text option.
    pub fn text(&self, key: &str) -> CoreResult<&str> {
        match self.get(key)? {
            OptionValue::Text(t) => Ok(t),
            other => Err(mismatch(key, other)),
        }
    }

    /// A multi-choice or columns option.
    pub fn list(&self, key: &str) -> CoreResult<&[String]> {
        match self.get(key)? {
            OptionValue::List(items) => Ok(items),
            other => Err(mismatch(key, other)),
        }
    }
}

/// An exporter asked for an option with the wrong accessor (a programming error, reported
/// instead of panicking).
fn mismatch(key: &str, value: &OptionValue) -> CoreError {
    CoreError::invalid(
        key,
        format!("Die Option „{key}“ hat einen unerwarteten Typ ({value:?})."),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn specs() -> Vec<OptionSpec> {
        vec![
            OptionSpec::flag("photo", "Foto-Einwilligung", "", false),
            OptionSpec::number("blank_rows", "Leerzeilen", "", 10, 0, 200),
            OptionSpec::choice(
                "orientation",
                "Ausrichtung",
                "",
                &[("a", "A"), ("b", "B")],
                "a",
            ),
            OptionSpec::list(
                OptionKind::Columns,
                "columns",
                "Spalten",
                "",
                &[("x", "X"), ("y", "Y")],
                &["y", "x"],
            ),
        ]
    }

    fn raw(value: Value) -> RawOptions {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn missing_options_get_their_defaults() {
        let options = ExportOptions::resolve("Liste", &specs(), &RawOptions::new()).unwrap();
        assert!(!options.flag("photo").unwrap());
        assert_eq!(options.number("blank_rows").unwrap(), 10);
        assert_eq!(options.text("orientation").unwrap(), "a");
        assert_eq!(options.list("columns").unwrap(), ["y", "x"]);
    }

    #[test]
    fn given_values_are_kept_in_their_order() {
        let given = raw(json!({"photo": true, "blank_rows": 0, "columns": ["x", "y"]}));
        let options = ExportOptions::resolve("Liste", &specs(), &given).unwrap();
        assert!(options.flag("photo").unwrap());
        assert_eq!(options.number("blank_rows").unwrap(), 0);
        assert_eq!(options.list("columns").unwrap(), ["x", "y"]);
        assert_eq!(
            ExportOptions::resolve("Liste", &specs(), &options.to_raw()).unwrap(),
            options
        );
    }

    #[test]
    fn unknown_and_invalid_options_are_german_field_errors() {
        let given = raw(json!({
            "colour": "rot",
            "photo": "ja",
            "blank_rows": 500,
            "orientation": "c",
            "columns": []
        }));
        let Err(CoreError::Validation(errors)) = ExportOptions::resolve("Liste", &specs(), &given)
        else {
            panic!("expected validation errors");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["colour", "photo", "blank_rows", "orientation", "columns"]
        );
        assert!(
            errors[0]
                .message
                .contains("Unbekannte Option „colour“ für „Liste“")
        );
        assert!(errors[2].message.contains("von 0 bis 200"));
        assert!(errors[3].message.contains("möglich: a, b"));
        assert!(errors[4].message.contains("mindestens eine Spalte"));
    }

    #[test]
    fn duplicate_and_unknown_list_entries_are_refused() {
        let twice = raw(json!({"columns": ["x", "x"]}));
        let err = ExportOptions::resolve("Liste", &specs(), &twice).unwrap_err();
        assert!(err.to_string().contains("doppelt"));
        let unknown = raw(json!({"columns": ["z"]}));
        let err = ExportOptions::resolve("Liste", &specs(), &unknown).unwrap_err();
        assert!(
            err.to_string()
                .contains("„z“ ist für „Spalten“ nicht möglich")
        );
    }
}
