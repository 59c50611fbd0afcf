//! CLI contract of `cluster-report` (issue 12): AMI, B-cubed F1 and moves for every labelled
//! set and the plain TF-IDF baseline, each set named; a broken set is refused in German.

mod common;

use std::path::{Path, PathBuf};

use common::{run, stderr};

/// Writes a small labelled set (`gold<TAB>second<TAB>text`) into `dir`.
fn set(dir: &Path, name: &str, rows: &[(&str, &str)]) -> PathBuf {
    let path = dir.join(name);
    let text: String = rows
        .iter()
        .map(|(gold, text)| format!("{gold}\t\t{text}\n"))
        .collect();
    std::fs::write(&path, format!("# Kopfzeile\n{text}")).unwrap();
    path
}

fn report(dir: &Path, unseen2: &Path) -> std::process::Output {
    let rows = [
        ("Versicherungen für Vereine", "Haftpflicht für den Vorstand"),
        (
            "Versicherungen für Vereine",
            "Unfallversicherung bei Fahrten",
        ),
        ("Jugend", "Jugendaustausch mit Schulen"),
        ("Jugend", "Schüler für Begegnungen gewinnen"),
        ("Allgemein", "keine Fragen"),
    ];
    let tuning = set(dir, "tuning.tsv", &rows);
    let heldout = set(dir, "heldout.tsv", &rows);
    let unseen = set(dir, "unseen.tsv", &rows);
    let dev3 = set(dir, "dev3.tsv", &rows[..4]);
    let unseen3 = set(dir, "unseen3.tsv", &rows[2..]);
    let dev4 = set(dir, "dev4.tsv", &rows[..3]);
    let rest = set(dir, "weitere.tsv", &rows[..2]);
    let path = |p: &Path| p.to_str().unwrap().to_string();
    run(
        &dir.join("unbenutzt.db"),
        &[
            "cluster-report",
            "--tuning",
            &path(&tuning),
            "--heldout",
            &path(&heldout),
            "--unseen",
            &path(&unseen),
            "--unseen2",
            &path(unseen2),
            "--dev3",
            &path(&dev3),
            "--unseen3",
            &path(&unseen3),
            "--dev4",
            &path(&dev4),
            "--unseen4",
            &path(&rest),
            "--dev5",
            &path(&rest),
            "--dev6",
            &path(&rest),
            "--dev7",
            &path(&rest),
            "--unseen5",
            &path(&rest),
            "--unseen6",
            &path(&rest),
            "--dev8",
            &path(&rest),
            "--dev9",
            &path(&rest),
            "--unseen7",
            &path(&rest),
            "--unseen8",
            &path(&rest),
            "--dev10",
            &path(&rest),
            "--dev11",
            &path(&rest),
            "--dev12",
            &path(&rest),
        ],
    )
}

#[test]
fn every_set_gets_ami_bcubed_moves_and_the_tfidf_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let unseen2 = set(
        dir.path(),
        "unseen2.tsv",
        &[
            (
                "Fördermittel & Finanzierung",
                "Crowdfunding für die Bürgerreise",
            ),
            (
                "Fördermittel & Finanzierung",
                "Zuwendungsbescheid: was beachten?",
            ),
            ("Ukraine", "Partnerschaft mit Lwiw"),
            ("Allgemein", "nix"),
        ],
    );
    let out = report(dir.path(), &unseen2);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("AMI") && text.contains("B³-F1") && text.contains("Verschiebungen"));
    let third = text
        .split("\n\n")
        .find(|block| block.starts_with("Dritter Satz"))
        .unwrap_or_else(|| panic!("no section for the third set:\n{text}"));
    assert!(third.contains("— 4 Wünsche, 3 Themen"), "{third}");
    assert!(
        third.contains("Basis: reines Wort-TF-IDF ohne Katalog"),
        "{third}"
    );
    let fourth = text
        .split("\n\n")
        .find(|block| block.starts_with("Vierter Satz (dev3)"))
        .unwrap_or_else(|| panic!("no section for dev3:\n{text}"));
    assert!(fourth.contains("— 4 Wünsche, 2 Themen"), "{fourth}");
    let fifth = text
        .split("\n\n")
        .find(|block| block.starts_with("Fünfter Satz (unseen3)"))
        .unwrap_or_else(|| panic!("no section for unseen3:\n{text}"));
    assert!(fifth.contains("— 3 Wünsche, 2 Themen"), "{fifth}");
    let sixth = text
        .split("\n\n")
        .find(|block| block.starts_with("Sechster Satz (dev4)"))
        .unwrap_or_else(|| panic!("no section for dev4:\n{text}"));
    assert!(sixth.contains("— 3 Wünsche, 2 Themen"), "{sixth}");
    for heading in [
        "Siebter Satz (unseen4)",
        "Achter Satz (dev5)",
        "Neunter Satz (dev6)",
        "Zehnter Satz (dev7)",
        "Elfter Satz (unseen5)",
        "Zwölfter Satz (unseen6)",
        "Dreizehnter Satz (dev8)",
        "Vierzehnter Satz (dev9)",
        "Fünfzehnter Satz (unseen7)",
        "Sechzehnter Satz (unseen8)",
        "Siebzehnter Satz (dev10)",
        "Achtzehnter Satz (dev11)",
        "Neunzehnter Satz (dev12)",
    ] {
        let block = text
            .split("\n\n")
            .find(|block| block.starts_with(heading))
            .unwrap_or_else(|| panic!("no section {heading}:\n{text}"));
        assert!(block.contains("— 2 Wünsche, 1 Thema im"), "{block}");
    }
    // All four wishes are placed as labelled: AMI 1, no moves.
    let algorithm = third
        .lines()
        .find(|l| l.contains("Vorschläge"))
        .expect("the algorithm's row");
    assert!(
        algorithm.contains(" 1.000 ") && algorithm.contains("0 (  0.0 %)"),
        "{algorithm}"
    );
}

#[test]
fn a_broken_set_is_refused_in_german() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("kaputt.tsv");
    std::fs::write(&broken, "nur eine Spalte\n").unwrap();
    let out = report(dir.path(), &broken);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("drei durch Tabulatoren getrennte Spalten"),
        "{}",
        stderr(&out)
    );
}
