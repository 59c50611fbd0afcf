//! What "Über Tagungsbüro" says about the data the app ships or uses: the data sources with
//! their licences and required attribution notices (`seeds/attributions.toml`, embedded).
//!
//! The licences of the software libraries are not here: they are generated at build time
//! (`make licenses`) and shown by the UI.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{CoreError, CoreResult};

/// The embedded list of data sources.
const ATTRIBUTIONS: &str = include_str!("../../../seeds/attributions.toml");

/// One data source the app ships or uses.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Attribution {
    /// What it is (German).
    pub name: String,
    /// Who publishes it.
    pub publisher: String,
    /// Its licence (SPDX id or the licence's name).
    pub licence: String,
    /// Where it comes from.
    #[serde(default)]
    pub url: Option<String>,
    /// What the app uses it for (German).
    pub used_for: String,
    /// The attribution notice the licence requires, if any.
    #[serde(default)]
    pub notice: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AttributionFile {
    source: Vec<Attribution>,
}

/// The data sources from `seeds/attributions.toml`, in file order.
pub fn attributions() -> CoreResult<Vec<Attribution>> {
    parse(ATTRIBUTIONS)
}

fn parse(text: &str) -> CoreResult<Vec<Attribution>> {
    let file: AttributionFile = toml::from_str(text).map_err(|e| CoreError::InvalidFile {
        file: "seeds/attributions.toml".to_owned(),
        message: e.to_string(),
    })?;
    Ok(file.source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_sources_are_complete() {
        let sources = attributions().unwrap();
        assert!(!sources.is_empty());
        for source in &sources {
            for (field, value) in [
                ("name", &source.name),
                ("publisher", &source.publisher),
                ("licence", &source.licence),
                ("used_for", &source.used_for),
            ] {
                assert!(
                    !value.trim().is_empty(),
                    "{}: {field} is empty",
                    source.name
                );
            }
            if let Some(url) = &source.url {
                assert!(url.starts_with("https://"), "{}: {url}", source.name);
            }
        }
        assert!(sources.iter().any(|s| s.name.contains("Snowball")));
    }

    #[test]
    fn unknown_or_missing_fields_are_refused() {
        let typo = "[[source]]\nname='a'\npublisher='b'\nlicence='c'\nused_for='d'\nlicense='e'\n";
        assert!(parse(typo).is_err());
        let missing = "[[source]]\nname='a'\npublisher='b'\nused_for='d'\n";
        assert!(parse(missing).is_err());
        let fine = "[[source]]\nname='a'\npublisher='b'\nlicence='c'\nused_for='d'\n";
        assert_eq!(parse(fine).unwrap()[0].url, None);
    }
}
