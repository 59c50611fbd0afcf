//! The sync file (USB stick, e-mail attachment): a first line naming the format, a JSON header
//! line with the versions and the sender's state, then the Automerge changes as they are stored.

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, CoreResult};
use crate::store;

/// First line of every sync file.
const MAGIC: &[u8] = b"TAGUNGSBUERO-ABGLEICH\n";

/// The header of a sync file (and of a network exchange).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Header {
    /// Document format ([`super::engine::FORMAT`]).
    pub format: i64,
    /// Schema version of the sender's database.
    pub schema: i64,
    /// The sender's laptop id.
    pub laptop: String,
    /// The sender's name for itself (may be empty).
    #[serde(default)]
    pub name: String,
    /// Everything the sender has (Automerge heads, hex).
    pub heads: Vec<String>,
    /// Number of changes in the file.
    pub changes: usize,
    /// The sender's history epoch ([`super::history`]); files of builds before epochs are in
    /// the initial one.
    #[serde(default = "initial_epoch")]
    pub epoch: String,
}

/// The epoch of data that names none.
pub(crate) fn initial_epoch() -> String {
    super::history::INITIAL.to_owned()
}

/// Refuses data from a laptop whose Tagungsbüro differs in a way that matters, in German.
pub(crate) fn check_versions(format: i64, schema: i64) -> CoreResult<()> {
    let own_schema = i64::try_from(store::latest_schema_version()).unwrap_or(i64::MAX);
    if format != super::engine::FORMAT {
        return Err(CoreError::Conflict(format!(
            "Die Daten stammen aus einer anderen Abgleich-Version (Format {format}, dieser Laptop: {}). Bitte auf beiden Laptops dieselbe Tagungsbüro-Version installieren.",
            super::engine::FORMAT
        )));
    }
    if schema > own_schema {
        return Err(CoreError::Conflict(format!(
            "Der andere Laptop hat eine neuere Tagungsbüro-Version (Datenbankstand {schema}, dieser Laptop: {own_schema}). Bitte zuerst Tagungsbüro auf diesem Laptop aktualisieren, dann abgleichen."
        )));
    }
    if schema < own_schema {
        return Err(CoreError::Conflict(format!(
            "Der andere Laptop hat eine ältere Tagungsbüro-Version (Datenbankstand {schema}, dieser Laptop: {own_schema}). Bitte zuerst Tagungsbüro auf dem anderen Laptop aktualisieren, dann abgleichen."
        )));
    }
    Ok(())
}

/// The bytes of a sync file.
pub(crate) fn encode(header: &Header, changes: &[u8]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&serde_json::to_vec(header).expect("header serialises"));
    out.push(b'\n');
    out.extend_from_slice(changes);
    out
}

/// Splits a sync file into header and changes; refuses anything else in German.
pub(crate) fn decode(data: &[u8]) -> CoreResult<(Header, &[u8])> {
    let not_sync = || {
        CoreError::Conflict(
            "Die Datei ist keine Abgleichsdatei von Tagungsbüro (oder sie ist unvollständig)."
                .to_owned(),
        )
    };
    let rest = data.strip_prefix(MAGIC).ok_or_else(not_sync)?;
    let end = rest.iter().position(|&b| b == b'\n').ok_or_else(not_sync)?;
    let header: Header = serde_json::from_slice(&rest[..end]).map_err(|_| not_sync())?;
    check_versions(header.format, header.schema)?;
    Ok((header, &rest[end + 1..]))
}
