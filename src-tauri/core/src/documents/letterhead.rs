//! The letterhead of printouts (Teilnahmebescheinigungen, the Jahresbericht) from the office's
//! settings: organisation name, address and contact lines, the Förderhinweis — plus an optional
//! logo and signature image chosen in Einstellungen (table `letterhead_images`, migration 0014).
//!
//! An image is accepted only as PNG, JPEG or SVG (told by its content, not its name), at most
//! [`MAX_IMAGE_BYTES`], and only when the Typst engine can actually draw it — so a certificate
//! never fails later because of a broken logo.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::engine::{Asset, Template, render};
use crate::error::{CoreError, CoreResult};
use crate::settings;
use crate::store::{Transaction, new_uid, now_utc};

/// Largest image accepted (1 MB: a logo or a scanned signature is far smaller).
pub const MAX_IMAGE_BYTES: usize = 1024 * 1024;

/// Where templates find the logo.
pub const LOGO_PATH: &str = "/logo";
/// Where templates find the signature image.
pub const SIGNATURE_PATH: &str = "/signature";

/// Which letterhead image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum ImageKind {
    /// The office's logo, top right of the letterhead.
    Logo,
    /// A signature image above the certificate's signature line.
    Signature,
}

impl ImageKind {
    fn key(self) -> &'static str {
        match self {
            ImageKind::Logo => "logo",
            ImageKind::Signature => "signature",
        }
    }

    fn label(self) -> &'static str {
        match self {
            ImageKind::Logo => "Das Logo",
            ImageKind::Signature => "Die Unterschrift",
        }
    }
}

/// A stored image as the settings screen shows it (with its bytes for the preview).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct LetterheadImageInfo {
    /// Which image.
    pub kind: ImageKind,
    /// `image/png`, `image/jpeg` or `image/svg+xml`.
    pub mime: String,
    /// The chosen file's name (without its folder).
    pub file_name: String,
    /// The image's bytes (for the preview).
    pub bytes: Vec<u8>,
}

/// The office's letterhead for printouts, from the settings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Letterhead {
    /// Organisation name ("Netzwerkstelle Städtepartnerschaften NRW, …").
    pub name: String,
    /// Address and contact lines under it.
    pub lines: Vec<String>,
    /// The town for "Ort, Datum": the address line starting with a five-digit postcode, else "".
    pub place: String,
    /// The default Förderhinweis.
    pub funding_note: String,
    /// Logo image (PNG, JPEG or SVG bytes).
    pub logo: Option<Vec<u8>>,
    /// Signature image (PNG, JPEG or SVG bytes).
    pub signature: Option<Vec<u8>>,
}

impl Letterhead {
    /// The letterhead of the office's settings with its images.
    pub fn from_settings(conn: &Connection) -> CoreResult<Self> {
        let s = settings::get(conn)?;
        let lines: Vec<String> = s
            .organisation_address
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        let place = lines
            .iter()
            .rev()
            .find_map(|l| {
                let digits = l.chars().take_while(char::is_ascii_digit).count();
                (digits == 5).then(|| l[digits..].trim().to_owned())
            })
            .unwrap_or_default();
        Ok(Letterhead {
            name: s.organisation_name,
            lines,
            place,
            funding_note: s.funding_note,
            logo: image(conn, ImageKind::Logo)?.map(|i| i.bytes),
            signature: image(conn, ImageKind::Signature)?.map(|i| i.bytes),
        })
    }

    /// The letterhead as the templates read it: `{ name, lines, logo }` (logo: the asset's path
    /// or `null`).
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "name": self.name,
            "lines": self.lines,
            "logo": self.logo.as_ref().map(|_| LOGO_PATH),
        })
    }

    /// The signature image's path for the template, or `None`.
    pub fn signature_path(&self) -> Option<&'static str> {
        self.signature.as_ref().map(|_| SIGNATURE_PATH)
    }

    /// The images as render assets (`/logo`, `/signature`).
    pub fn assets(&self) -> Vec<Asset> {
        [(LOGO_PATH, &self.logo), (SIGNATURE_PATH, &self.signature)]
            .into_iter()
            .filter_map(|(path, bytes)| {
                bytes.as_ref().map(|b| Asset {
                    path: path.to_owned(),
                    bytes: b.clone(),
                })
            })
            .collect()
    }
}

/// The stored image of `kind`, if any.
pub fn image(conn: &Connection, kind: ImageKind) -> CoreResult<Option<LetterheadImageInfo>> {
    Ok(conn
        .query_row(
            "SELECT mime, file_name, bytes FROM letterhead_images WHERE kind = ?1",
            [kind.key()],
            |r| {
                Ok(LetterheadImageInfo {
                    kind,
                    mime: r.get(0)?,
                    file_name: r.get(1)?,
                    bytes: r.get(2)?,
                })
            },
        )
        .optional()?)
}

/// Both images (for the settings screen).
pub fn images(conn: &Connection) -> CoreResult<Vec<LetterheadImageInfo>> {
    Ok([ImageKind::Logo, ImageKind::Signature]
        .into_iter()
        .map(|k| image(conn, k))
        .collect::<CoreResult<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect())
}

/// The image's type told by its content: PNG and JPEG by their signatures, SVG by an `<svg`
/// element at the start (after an XML declaration, comments or a doctype).
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some("image/png");
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some("image/jpeg");
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    (head.starts_with('<') && head.contains("<svg")).then_some("image/svg+xml")
}

/// Draws the image once with the engine: what Typst cannot read is refused now, not when the
/// first certificate is printed.
fn check_drawable(bytes: &[u8]) -> bool {
    const PROBE: Template = Template {
        name: "bildpruefung.typ",
        source: "#set page(width: 40mm, height: 40mm)\n#image(\"/bild\", width: 30mm)",
    };
    render(
        PROBE,
        &serde_json::json!({}),
        &[Asset {
            path: "/bild".to_owned(),
            bytes: bytes.to_vec(),
        }],
    )
    .is_ok()
}

/// "1,5 MB".
fn megabytes(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0)).replace('.', ",")
}

/// Stores `bytes` (read from the file `file_name`) as the letterhead's image of `kind`,
/// replacing the previous one. German field errors (field `logo` / `signature`) for an empty,
/// too large, unknown or unreadable image.
pub fn set_image(
    tx: &Transaction<'_>,
    kind: ImageKind,
    file_name: &str,
    bytes: &[u8],
) -> CoreResult<LetterheadImageInfo> {
    let field = kind.key();
    if bytes.is_empty() {
        return Err(CoreError::invalid(field, "Die gewählte Datei ist leer."));
    }
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(CoreError::invalid(
            field,
            format!(
                "{} ist zu groß ({}). Erlaubt ist höchstens {}; bitte eine kleinere Fassung wählen.",
                kind.label(),
                megabytes(bytes.len()),
                megabytes(MAX_IMAGE_BYTES)
            ),
        ));
    }
    let Some(mime) = sniff(bytes) else {
        return Err(CoreError::invalid(
            field,
            format!(
                "{} muss eine PNG-, JPEG- oder SVG-Datei sein.",
                kind.label()
            ),
        ));
    };
    if !check_drawable(bytes) {
        return Err(CoreError::invalid(
            field,
            format!(
                "{} lässt sich nicht lesen – die Datei ist beschädigt oder kein gültiges Bild.",
                kind.label()
            ),
        ));
    }
    let file_name: String = file_name
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let now = now_utc();
    tx.execute(
        "INSERT INTO letterhead_images (uid, kind, mime, file_name, bytes, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
         ON CONFLICT (kind) DO UPDATE SET mime = excluded.mime, file_name = excluded.file_name,
             bytes = excluded.bytes, updated_at = excluded.updated_at",
        params![new_uid(), kind.key(), mime, file_name, bytes, now],
    )?;
    Ok(LetterheadImageInfo {
        kind,
        mime: mime.to_owned(),
        file_name,
        bytes: bytes.to_vec(),
    })
}

/// Reads the file the user chose and stores it as the image of `kind` (see [`set_image`]).
/// Too large files are refused before they are read.
pub fn set_image_from_file(
    tx: &Transaction<'_>,
    kind: ImageKind,
    path: &Path,
) -> CoreResult<LetterheadImageInfo> {
    let field = kind.key();
    let unreadable = |e: std::io::Error| {
        CoreError::invalid(
            field,
            format!("Die Datei {} lässt sich nicht lesen: {e}", path.display()),
        )
    };
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > MAX_IMAGE_BYTES as u64 {
        return Err(CoreError::invalid(
            field,
            format!(
                "{} ist zu groß ({}). Erlaubt ist höchstens {}; bitte eine kleinere Fassung wählen.",
                kind.label(),
                megabytes(usize::try_from(size).unwrap_or(usize::MAX)),
                megabytes(MAX_IMAGE_BYTES)
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(unreadable)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    set_image(tx, kind, &name, &bytes)
}

/// Removes the image of `kind` (nothing happens when there is none).
pub fn remove_image(tx: &Transaction<'_>, kind: ImageKind) -> CoreResult<()> {
    tx.execute(
        "DELETE FROM letterhead_images WHERE kind = ?1",
        [kind.key()],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    /// A 2 × 2 px PNG (red), made by hand so the test needs no image library.
    pub(crate) fn tiny_png() -> Vec<u8> {
        // Written once with Python's zlib and struct: IHDR 2x2 RGB, one IDAT, IEND.
        let hex = "89504e470d0a1a0a0000000d4948445200000002000000020802000000fdd49a73\
                   0000001049444154789c6338a0a000440c100a001e8e0401978b419c\
                   0000000049454e44ae426082";
        (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect()
    }

    const SVG: &str = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" \
                       width=\"40\" height=\"20\"><rect width=\"40\" height=\"20\" fill=\"#1f4e79\"/></svg>";

    #[test]
    fn png_and_svg_are_stored_replaced_and_removed() {
        let mut store = Store::open_in_memory().unwrap();
        let png = tiny_png();
        let info = store
            .write(|tx| set_image(tx, ImageKind::Logo, "logo.png", &png))
            .unwrap();
        assert_eq!(info.mime, "image/png");
        store
            .write(|tx| set_image(tx, ImageKind::Logo, "logo.svg", SVG.as_bytes()))
            .unwrap();
        let stored = image(store.connection(), ImageKind::Logo).unwrap().unwrap();
        assert_eq!(stored.mime, "image/svg+xml");
        assert_eq!(stored.file_name, "logo.svg");
        assert_eq!(images(store.connection()).unwrap().len(), 1);
        let letterhead = Letterhead::from_settings(store.connection()).unwrap();
        assert_eq!(letterhead.logo.as_deref(), Some(SVG.as_bytes()));
        assert_eq!(letterhead.json()["logo"], "/logo");
        assert!(letterhead.signature.is_none());
        store.write(|tx| remove_image(tx, ImageKind::Logo)).unwrap();
        assert!(
            image(store.connection(), ImageKind::Logo)
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn wrong_large_or_broken_images_are_refused_in_german() {
        let mut store = Store::open_in_memory().unwrap();
        let field_error = |result: CoreResult<LetterheadImageInfo>| -> String {
            match result.unwrap_err() {
                CoreError::Validation(errors) => errors
                    .iter()
                    .find(|e| e.field == "signature")
                    .map(|e| e.message.clone())
                    .expect("signature field"),
                other => panic!("{other:?}"),
            }
        };
        let text = store
            .write(|tx| {
                Ok(field_error(set_image(
                    tx,
                    ImageKind::Signature,
                    "a.txt",
                    b"Hallo",
                )))
            })
            .unwrap();
        assert!(text.contains("PNG-, JPEG- oder SVG-Datei"), "{text}");
        let big = vec![0u8; MAX_IMAGE_BYTES + 1];
        let text = store
            .write(|tx| {
                Ok(field_error(set_image(
                    tx,
                    ImageKind::Signature,
                    "b.png",
                    &big,
                )))
            })
            .unwrap();
        assert!(text.contains("zu groß"), "{text}");
        let mut broken = tiny_png();
        broken.truncate(20);
        let text = store
            .write(|tx| {
                Ok(field_error(set_image(
                    tx,
                    ImageKind::Signature,
                    "c.png",
                    &broken,
                )))
            })
            .unwrap();
        assert!(text.contains("beschädigt"), "{text}");
        assert!(images(store.connection()).unwrap().is_empty());
    }

    #[test]
    fn the_place_comes_from_the_postcode_line() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .write(|tx| {
                let mut s = settings::get(tx)?;
                s.organisation_address =
                    "Steinstraße 48\n44147 Dortmund\nnetzwerk@example.org".into();
                settings::save(tx, s)
            })
            .unwrap();
        let l = Letterhead::from_settings(store.connection()).unwrap();
        assert_eq!(l.place, "Dortmund");
        assert_eq!(l.lines.len(), 3);
    }
}
