//! The Typst engine, embedded: a minimal [`World`] that knows exactly one template, the data
//! as a virtual `data.json` and a few images — nothing from the disk, no packages, no network.
//!
//! User text never becomes markup: it reaches the template only through `json("/data.json")`,
//! where every value is a Typst string, printed as written (`#data.name` sets `*bold*` or
//! `#set page(…)` as plain characters). Templates never build markup from strings (`eval` is
//! not used in ours).
//!
//! Fonts are bundled: only Noto Sans (seeds/documents/fonts/, SIL Open Font Licence) with full
//! Latin Extended, Greek and Cyrillic, parsed once per process. The templates set everything in
//! it and use no math or code (which would want New Computer Modern Math or a monospace face),
//! so Typst's own fonts (`typst-assets`' `fonts` feature, 9.2 MB) are not in the binary.

use std::sync::{LazyLock, Mutex};

use chrono::Datelike;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;

use crate::error::{CoreError, CoreResult};

/// Noto Sans, the templates' sans (Regular, Bold, Italic, Bold Italic).
const NOTO_SANS: [&[u8]; 4] = [
    include_bytes!("../../../../seeds/documents/fonts/NotoSans-Regular.ttf"),
    include_bytes!("../../../../seeds/documents/fonts/NotoSans-Bold.ttf"),
    include_bytes!("../../../../seeds/documents/fonts/NotoSans-Italic.ttf"),
    include_bytes!("../../../../seeds/documents/fonts/NotoSans-BoldItalic.ttf"),
];

/// The parsed fonts and their book, shared by every render.
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = NOTO_SANS
        .into_iter()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// Typst's memoisation cache is global; renders are serialised so that evicting it after one
/// render never races another (and two big renders do not double the memory).
static RENDER: Mutex<()> = Mutex::new(());

/// A file the template may read besides its data: an image such as the letterhead's logo.
#[derive(Debug, Clone)]
pub struct Asset {
    /// The path the template uses, e.g. `/logo.png` (always absolute).
    pub path: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// A template to render: its file name (for error messages) and its Typst source.
#[derive(Debug, Clone, Copy)]
pub struct Template {
    /// File name as in seeds/documents/, e.g. `badges.typ`.
    pub name: &'static str,
    /// The Typst source.
    pub source: &'static str,
}

fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("template paths are valid virtual paths");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_with_slash().into())
}

/// The world of one render.
struct DocumentWorld {
    main: Source,
    data: Bytes,
    data_id: FileId,
    assets: Vec<(FileId, Bytes)>,
    today: chrono::NaiveDate,
}

impl World for DocumentWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            return Ok(self.data.clone());
        }
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.clone()));
        }
        self.assets
            .iter()
            .find(|(asset, _)| *asset == id)
            .map(|(_, bytes)| bytes.clone())
            .ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Datetime::from_ymd(
            self.today.year(),
            u8::try_from(self.today.month()).ok()?,
            u8::try_from(self.today.day()).ok()?,
        )
    }
}

/// A rendered PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedPdf {
    /// The PDF file's bytes.
    pub bytes: Vec<u8>,
    /// Its number of pages.
    pub pages: usize,
}

/// Renders `template` with `data` (readable in the template as `json("/data.json")`) and the
/// `assets` to a PDF. The generic entry point: badges and certificates use it, and so can any
/// other printout (a report) with a template of its own.
///
/// A template error (the office edited a template) is a German [`CoreError::InvalidFile`]
/// naming the template, the line and Typst's message.
pub fn render(
    template: Template,
    data: &serde_json::Value,
    assets: &[Asset],
) -> CoreResult<RenderedPdf> {
    let world = DocumentWorld {
        main: Source::new(file_id("/main.typ"), template.source.to_owned()),
        data: Bytes::new(serde_json::to_vec(data).map_err(|e| {
            CoreError::Conflict(format!(
                "Die Daten für {} sind ungültig: {e}",
                template.name
            ))
        })?),
        data_id: file_id("/data.json"),
        assets: assets
            .iter()
            .map(|a| (file_id(&a.path), Bytes::new(a.bytes.clone())))
            .collect(),
        today: crate::time::today_in_berlin(),
    };
    let _serialised = RENDER
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let compiled = typst::compile::<PagedDocument>(&world).output;
    let pdf = compiled.and_then(|document| {
        typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map(|bytes| RenderedPdf {
            bytes,
            pages: document.pages().len(),
        })
    });
    // Keep the global cache from growing with every render in a long-running app.
    typst::comemo::evict(2);
    pdf.map_err(|errors| template_error(&world, template.name, &errors))
}

/// The first error as a German message with its line in the template.
fn template_error(world: &DocumentWorld, name: &str, errors: &[SourceDiagnostic]) -> CoreError {
    let Some(first) = errors.first() else {
        return CoreError::InvalidFile {
            file: name.to_owned(),
            message: "unbekannter Fehler beim Erzeugen der PDF".to_owned(),
        };
    };
    let line = world
        .range(first.span)
        .and_then(|range| world.main.lines().byte_to_line(range.start))
        .map(|line| format!("Zeile {}: ", line + 1))
        .unwrap_or_default();
    let hints: String = first
        .hints
        .iter()
        .map(|h| format!(" (Hinweis: {})", h.v))
        .collect();
    CoreError::InvalidFile {
        file: name.to_owned(),
        message: format!("{line}{}{hints}", first.message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: Template = Template {
        name: "test.typ",
        source: "#let data = json(\"/data.json\")\n#set text(font: \"Noto Sans\")\n#data.text",
    };

    #[test]
    fn user_text_is_printed_as_written_never_as_markup() {
        let text = "#set page(width: 1pt) *fett* $x$ <a> @ref _k_ \\ // kein Kommentar";
        let pdf = render(PLAIN, &serde_json::json!({ "text": text }), &[])
            .unwrap()
            .bytes;
        assert!(pdf.starts_with(b"%PDF"));
        let extracted = super::super::tests::pdf_text(&pdf);
        assert!(
            extracted
                .contains("#set page(width: 1pt) *fett* $x$ <a> @ref _k_ \\ // kein Kommentar"),
            "{extracted}"
        );
        // The page kept its size (A4 is the default of Typst: 595 × 842 pt).
        assert_eq!(super::super::tests::page_sizes(&pdf), vec![(595, 842)]);
    }

    #[test]
    fn a_broken_template_is_a_german_error_with_its_line() {
        let broken = Template {
            name: "kaputt.typ",
            source: "= Titel\n\n#unbekannt",
        };
        let err = render(broken, &serde_json::json!({}), &[]).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("kaputt.typ"), "{message}");
        assert!(message.contains("Zeile 3"), "{message}");
    }

    #[test]
    fn the_template_reads_no_file_but_its_data_and_assets() {
        let snoop = Template {
            name: "snoop.typ",
            source: "#read(\"/etc/passwd\")",
        };
        assert!(render(snoop, &serde_json::json!({}), &[]).is_err());
        let asset = Template {
            name: "asset.typ",
            source: "#read(\"/notiz.txt\")",
        };
        let notes = [Asset {
            path: "/notiz.txt".to_owned(),
            bytes: "Grüße".as_bytes().to_vec(),
        }];
        let pdf = render(asset, &serde_json::json!({}), &notes).unwrap().bytes;
        assert!(super::super::tests::pdf_text(&pdf).contains("Grüße"));
    }
}
