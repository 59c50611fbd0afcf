//! Enums stored as lowercase text in SQLite and serialised the same way to the UI and CLI.

/// Declares a fieldless enum whose variants map 1:1 to stored strings, with `as_str`,
/// `FromStr`, serde, ts-rs and rusqlite conversions, plus a German label per variant.
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal => $label:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, ts_rs::TS)]
        #[ts(export)]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant ),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored / serialised text.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The German label shown to users.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// The German labels as a TypeScript `Record`, so the UI never copies them by hand
            /// (written into the generated bindings by `tests/ui_labels.rs`).
            pub fn labels_ts() -> String {
                $crate::store::labels_record_ts(
                    stringify!($name),
                    &[$(($text, $label)),+],
                )
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(format!(
                        "„{}“ ist kein gültiger Wert (erlaubt: {}).",
                        other,
                        [$($text),+].join(", ")
                    )),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                value
                    .as_str()?
                    .parse()
                    .map_err(|e: String| rusqlite::types::FromSqlError::Other(e.into()))
            }
        }
    };
}

pub(crate) use text_enum;

/// `export const SERIES_LABELS: Record<Series, string> = { … };` for an enum named `Series`
/// with its (stored text, German label) pairs — the body of [`text_enum!`]'s `labels_ts`.
pub fn labels_record_ts(type_name: &str, pairs: &[(&str, &str)]) -> String {
    let mut constant = String::new();
    for (i, c) in type_name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            constant.push('_');
        }
        constant.push(c.to_ascii_uppercase());
    }
    let entries: String = pairs
        .iter()
        .map(|(text, label)| format!("  {}: {},\n", ts_string(text), ts_string(label)))
        .collect();
    format!("export const {constant}_LABELS: Record<{type_name}, string> = {{\n{entries}}};\n")
}

/// A TypeScript string literal (JSON's escaping is valid TypeScript).
fn ts_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_record_names_the_constant_after_the_type_and_escapes_text() {
        let ts = labels_record_ts("EventStatus", &[("offen", "Anmeldung \"offen\"")]);
        assert_eq!(
            ts,
            "export const EVENT_STATUS_LABELS: Record<EventStatus, string> = {\n  \"offen\": \"Anmeldung \\\"offen\\\"\",\n};\n"
        );
    }
}
