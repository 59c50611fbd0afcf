//! Frames on the wire (a 4-byte big-endian length, then the bytes) and the greetings both
//! protocols exchange. Used over the pairing TCP stream and over the QUIC exchange stream.

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use crate::error::{CoreError, CoreResult};

/// The largest frame accepted (a year of the office's changes is a few MB; this only stops a
/// broken or hostile peer from making this laptop allocate without bound).
const MAX_FRAME: u32 = 512 * 1024 * 1024;

/// Writes one frame.
pub(super) async fn write_frame<W: AsyncWrite + Unpin>(w: &mut W, bytes: &[u8]) -> CoreResult<()> {
    let len = u32::try_from(bytes.len())
        .ok()
        .filter(|l| *l <= MAX_FRAME)
        .ok_or_else(|| {
            CoreError::Conflict("Die Änderungen sind zu groß für einen Abgleich.".into())
        })?;
    w.write_all(&len.to_be_bytes()).await.map_err(lost)?;
    w.write_all(bytes).await.map_err(lost)?;
    w.flush().await.map_err(lost)?;
    Ok(())
}

/// Reads one frame.
pub(super) async fn read_frame<R: AsyncRead + Unpin>(r: &mut R) -> CoreResult<Vec<u8>> {
    let mut len = [0u8; 4];
    r.read_exact(&mut len).await.map_err(lost)?;
    let len = u32::from_be_bytes(len);
    if len > MAX_FRAME {
        return Err(CoreError::Conflict(
            "Der andere Laptop sendet Daten in einem unbekannten Format.".into(),
        ));
    }
    let mut bytes = vec![0u8; len as usize];
    r.read_exact(&mut bytes).await.map_err(lost)?;
    Ok(bytes)
}

/// Writes a JSON frame.
pub(super) async fn write_json<W: AsyncWrite + Unpin, T: Serialize>(
    w: &mut W,
    value: &T,
) -> CoreResult<()> {
    write_frame(
        w,
        &serde_json::to_vec(value).expect("wire messages serialise"),
    )
    .await
}

/// Reads a JSON frame; a refusal from the other side (`{"fehler": …}`) becomes its German
/// message.
pub(super) async fn read_json<R: AsyncRead + Unpin, T: for<'de> Deserialize<'de>>(
    r: &mut R,
) -> CoreResult<T> {
    let bytes = read_frame(r).await?;
    if let Ok(Refusal { fehler }) = serde_json::from_slice::<Refusal>(&bytes) {
        return Err(CoreError::Conflict(fehler));
    }
    serde_json::from_slice(&bytes).map_err(|_| {
        CoreError::Conflict("Der andere Laptop sendet Daten in einem unbekannten Format.".into())
    })
}

/// A refusal with its German reason.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Refusal {
    /// Why (German, shown to the person on the other laptop).
    pub fehler: String,
}

/// The greeting of an exchange: who is speaking and what it has.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Hello {
    /// Laptop id.
    pub laptop: String,
    /// Its name for itself.
    pub name: String,
    /// Document format.
    pub format: i64,
    /// Schema version.
    pub schema: i64,
    /// Its Automerge heads (hex).
    pub heads: Vec<String>,
    /// Its history epoch (`sync::history`); a laptop of another epoch is sent everything.
    #[serde(default = "crate::sync::file::initial_epoch")]
    pub epoch: String,
}

/// The end of an exchange: what the side applied.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Done {
    /// Changes that were new there.
    pub applied: usize,
}

/// A connection that broke off, in German.
pub(super) fn lost(error: impl std::fmt::Display) -> CoreError {
    CoreError::Conflict(format!(
        "Die Verbindung zum anderen Laptop ist abgebrochen ({error}). Es ging nichts verloren; der nächste Abgleich holt es nach."
    ))
}
