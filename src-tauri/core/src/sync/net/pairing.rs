//! Pairing two laptops with a short code, over TCP on the same port number as the QUIC exchange.
//!
//! iroh dials by public key, but a person only has the other laptop's address and the code it
//! shows. So the laptop that joins connects over TCP, both run SPAKE2 with the code (a password
//! key exchange: a listener learns nothing about the code, an attacker in the middle gets one
//! guess per attempt, and five wrong guesses void the code), then each sends its node key,
//! laptop id and name with a MAC under the agreed key. Only when the other side's MAC checks out
//! does a laptop store the other's public node key as a paired peer; from then on the two talk
//! only over iroh, authenticated by those keys.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use spake2::{Ed25519Group, Identity, Password, Spake2};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::wire::{Refusal, read_frame, read_json, write_frame, write_json};
use crate::error::{CoreError, CoreResult};

/// First bytes of a pairing connection.
const MAGIC: &[u8; 24] = b"TAGUNGSBUERO-KOPPLUNG/1\n";
/// How long a code is valid.
pub(super) const VALID_FOR: Duration = Duration::from_secs(10 * 60);
/// Wrong guesses after which a code is void.
const MAX_FAILURES: u32 = 5;
/// How long a pairing may take in all.
const TIMEOUT: Duration = Duration::from_secs(20);

/// The message for a wrong or expired code (the two cannot be told apart from outside).
pub(super) fn wrong_code() -> CoreError {
    CoreError::Conflict(
        "Der Kopplungscode ist falsch oder abgelaufen. Bitte den Code ablesen, den der andere Laptop gerade zeigt, und erneut koppeln."
            .to_owned(),
    )
}

/// A code this laptop shows.
#[derive(Debug, Clone)]
pub(super) struct Offer {
    /// Eight digits.
    pub code: String,
    /// When it stops being valid.
    pub expires: Instant,
    /// The same as a UTC time for people.
    pub expires_at: chrono::DateTime<chrono::Utc>,
    /// Wrong guesses so far.
    pub failures: u32,
}

impl Offer {
    /// A new random code.
    pub fn new() -> Offer {
        let random = iroh::SecretKey::generate().to_bytes();
        let number = u64::from_le_bytes(random[..8].try_into().expect("8 bytes")) % 100_000_000;
        Offer {
            code: format!("{number:08}"),
            expires: Instant::now() + VALID_FOR,
            expires_at: chrono::Utc::now()
                + chrono::Duration::from_std(VALID_FOR).expect("ten minutes"),
            failures: 0,
        }
    }

    /// Whether it can still be used.
    pub fn is_valid(&self) -> bool {
        Instant::now() < self.expires && self.failures < MAX_FAILURES
    }
}

/// A code as a person typed or pasted it: the digits after the last colon ("Kopplungscode:
/// 1234 5678" works too).
pub(super) fn normalise_code(code: &str) -> String {
    let tail = code.rsplit(':').next().unwrap_or(code);
    tail.chars().filter(char::is_ascii_digit).collect()
}

/// Who a laptop is, as sent during pairing.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(super) struct Intro {
    /// Its iroh node key (public).
    pub node: String,
    /// Its laptop id.
    pub laptop: String,
    /// Its name.
    pub name: String,
    /// Document format.
    pub format: i64,
    /// Schema version.
    pub schema: i64,
    /// The port it serves exchanges on, if it serves.
    pub port: Option<u16>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Signed {
    /// The intro as JSON (the MAC covers exactly these bytes).
    body: String,
    /// SHA-256 over the agreed key, the side and the body (hex).
    mac: String,
}

fn mac(key: &[u8], side: &str, body: &str) -> String {
    let mut h = Sha256::new();
    h.update(key);
    h.update(side.as_bytes());
    h.update([0]);
    h.update(body.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn spake(code: &str) -> (Spake2<Ed25519Group>, Vec<u8>) {
    Spake2::<Ed25519Group>::start_symmetric(
        &Password::new(code.as_bytes()),
        &Identity::new(b"tagungsbuero-kopplung"),
    )
}

fn sign(key: &[u8], side: &str, intro: &Intro) -> Signed {
    let body = serde_json::to_string(intro).expect("intro serialises");
    Signed {
        mac: mac(key, side, &body),
        body,
    }
}

fn verify(key: &[u8], side: &str, signed: &Signed) -> Option<Intro> {
    if mac(key, side, &signed.body) != signed.mac {
        return None;
    }
    serde_json::from_str(&signed.body).ok()
}

/// The joining side: pairs with the laptop at `addr` using `code`; returns its intro.
pub(super) async fn join(addr: SocketAddr, code: &str, own: &Intro) -> CoreResult<Intro> {
    let code = normalise_code(code);
    if code.len() != 8 {
        return Err(wrong_code());
    }
    tokio::time::timeout(TIMEOUT, async {
        let mut stream = TcpStream::connect(addr).await.map_err(|e| {
            CoreError::Conflict(format!(
                "Der Laptop unter {addr} ist nicht erreichbar ({e}). Läuft dort Tagungsbüro mit geöffneter Teamseite (oder „sync serve“), und sind beide im selben Netz?"
            ))
        })?;
        stream.write_all(MAGIC).await.map_err(super::wire::lost)?;
        let (state, message) = spake(&code);
        write_frame(&mut stream, &message).await?;
        let theirs: Vec<u8> = read_frame_or_refusal(&mut stream).await?;
        let key = state.finish(&theirs).map_err(|_| wrong_code())?;
        write_json(&mut stream, &sign(&key, "neu", own)).await?;
        let signed: Signed = read_json(&mut stream).await?;
        let intro = verify(&key, "zeigt", &signed).ok_or_else(wrong_code)?;
        crate::sync::file::check_versions(intro.format, intro.schema)?;
        Ok(intro)
    })
    .await
    .map_err(|_| {
        CoreError::Conflict(format!(
            "Der Laptop unter {addr} antwortet nicht auf die Kopplung."
        ))
    })?
}

/// Reads a frame that is either raw bytes or a refusal.
async fn read_frame_or_refusal(stream: &mut TcpStream) -> CoreResult<Vec<u8>> {
    let bytes = read_frame(stream).await?;
    if let Ok(Refusal { fehler }) = serde_json::from_slice::<Refusal>(&bytes) {
        return Err(CoreError::Conflict(fehler));
    }
    Ok(bytes)
}

/// The showing side: answers one pairing connection. `offer` gives the current code (and
/// counts a wrong guess); `accept` stores the new peer and returns this laptop's intro.
pub(super) async fn answer(
    mut stream: TcpStream,
    offer: impl Fn(bool) -> Option<String>,
    accept: impl FnOnce(Intro) -> super::BoxFuture<CoreResult<Intro>>,
) -> CoreResult<()> {
    let exchange = async move {
        let mut magic = [0u8; MAGIC.len()];
        stream
            .read_exact(&mut magic)
            .await
            .map_err(super::wire::lost)?;
        if &magic != MAGIC {
            return Err(CoreError::Conflict("Keine Kopplungsanfrage.".into()));
        }
        let theirs = read_frame(&mut stream).await?;
        let Some(code) = offer(false) else {
            refuse(&mut stream, wrong_code()).await;
            return Err(wrong_code());
        };
        let (state, message) = spake(&code);
        write_frame(&mut stream, &message).await?;
        let key = state.finish(&theirs).map_err(|_| wrong_code())?;
        let signed: Signed = read_json(&mut stream).await?;
        let Some(intro) = verify(&key, "neu", &signed) else {
            offer(true);
            refuse(&mut stream, wrong_code()).await;
            return Err(wrong_code());
        };
        if let Err(e) = crate::sync::file::check_versions(intro.format, intro.schema) {
            refuse(&mut stream, CoreError::Conflict(e.to_string())).await;
            return Err(e);
        }
        match accept(intro).await {
            Ok(own) => write_json(&mut stream, &sign(&key, "zeigt", &own)).await,
            Err(e) => {
                refuse(&mut stream, CoreError::Conflict(e.to_string())).await;
                Err(e)
            }
        }
    };
    tokio::time::timeout(TIMEOUT, exchange)
        .await
        .map_err(|_| CoreError::Conflict("Die Kopplung hat zu lange gedauert.".into()))?
}

async fn refuse(stream: &mut TcpStream, error: CoreError) {
    let _ = write_json(
        stream,
        &Refusal {
            fehler: error.to_string(),
        },
    )
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_eight_digits_and_typed_forms_are_understood() {
        let offer = Offer::new();
        assert_eq!(offer.code.len(), 8);
        assert!(offer.code.chars().all(|c| c.is_ascii_digit()));
        assert!(offer.is_valid());
        assert_eq!(normalise_code("Kopplungscode: 1234 5678"), "12345678");
        assert_eq!(normalise_code("1234-5678"), "12345678");
    }

    #[test]
    fn a_mac_binds_the_intro_to_the_agreed_key_and_the_side() {
        let intro = Intro {
            node: "n".into(),
            laptop: "l".into(),
            name: "Büro".into(),
            format: 1,
            schema: 13,
            port: Some(47111),
        };
        let signed = sign(b"key", "neu", &intro);
        assert_eq!(verify(b"key", "neu", &signed), Some(intro));
        assert_eq!(verify(b"other", "neu", &signed), None);
        assert_eq!(verify(b"key", "zeigt", &signed), None);
    }
}
