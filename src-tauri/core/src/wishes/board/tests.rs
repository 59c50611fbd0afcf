//! Tests of the curation board: suggestions, manual moves, locks, cluster
//! operations, undo, finishing and the presentation.

use super::*;
use crate::error::CoreError;
use crate::events::{self, Event, tests::forum_input};
use crate::people::{self, tests::person};
use crate::registrations::{self, RegisterInput};
use crate::store::Store;
use crate::wishes::topics;

fn event(store: &mut Store) -> Event {
    store.write(|tx| events::create(tx, forum_input())).unwrap()
}

fn registration(store: &mut Store, event_id: i64, n: usize) -> i64 {
    store
        .write(|tx| {
            let p = people::create_person(
                tx,
                &person(
                    "Anna",
                    &format!("Muster{n}"),
                    "Dortmund",
                    &format!("a{n}@example.org"),
                ),
            )?;
            registrations::register(tx, &RegisterInput::existing(event_id, p.id))
        })
        .unwrap()
        .registration
        .registration_id
}

fn paste(store: &mut Store, event: &Event, text: &str) -> Vec<i64> {
    store.write(|tx| add_wishes(tx, event, text)).unwrap()
}

fn cluster_of(board: &WishBoard, wish_id: i64) -> Option<&BoardCluster> {
    board
        .sections
        .iter()
        .flat_map(|s| &s.clusters)
        .find(|c| c.wishes.iter().any(|w| w.id == wish_id))
}

fn cluster_named<'a>(board: &'a WishBoard, label: &str) -> &'a BoardCluster {
    board
        .sections
        .iter()
        .flat_map(|s| &s.clusters)
        .find(|c| c.label == label)
        .expect(label)
}

const PASTED: &str = "Finanzierungsmöglichkeiten für Bürgerbegegnungen\n\n  Wie geht es in der UA weiter?  \nNachwuchsgewinnung\nkeine Fragen\nAustausch mit deutsch-amerikanischen Vereinen\n";

#[test]
fn pasted_lines_become_wishes_and_empty_paste_is_refused() {
    let mut store = Store::open_in_memory().unwrap();
    let e = event(&mut store);
    let ids = paste(&mut store, &e, PASTED);
    assert_eq!(ids.len(), 5);
    let board = store.read(|c| board(c, &e)).unwrap();
    assert_eq!(board.total, 5);
    assert_eq!(board.unassigned[1].text, "Wie geht es in der UA weiter?");
    let Err(CoreError::Validation(errors)) = store.write(|tx| add_wishes(tx, &e, " \n ")) else {
        panic!("an empty paste must be refused");
    };
    assert_eq!(errors[0].field, "text");
}

#[test]
fn suggestions_fill_grouped_clusters_in_catalogue_order() {
    let mut store = Store::open_in_memory().unwrap();
    let e = event(&mut store);
    let ids = paste(&mut store, &e, PASTED);
    let run = run_suggestions_in(&mut store, &e).unwrap();
    assert_eq!(run.placed, 5);
    let board = store.read(|c| board(c, &e)).unwrap();
    assert!(board.unassigned.is_empty());
    assert_eq!(cluster_of(&board, ids[1]).unwrap().label, "Ukraine");
    assert_eq!(cluster_of(&board, ids[4]).unwrap().label, "USA");
    let headings: Vec<&str> = board.sections.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(
        headings,
        [
            "Fördermittel & Finanzierung",
            "Allgemein",
            "Vereinsarbeit, Ehrenamt, Nachwuchsgewinnung",
            "Länderspezifisch"
        ]
    );
    let countries = &board.sections[3];
    assert!(countries.is_group);
    assert_eq!(countries.clusters.len(), 2);
}

#[test]
fn a_manual_move_survives_a_new_suggestion_run() {
    let mut store = Store::open_in_memory().unwrap();
    let e = event(&mut store);
    let ids = paste(&mut store, &e, PASTED);
    run_suggestions_in(&mut store, &e).unwrap();
    let board1 = store.read(|c| board(c, &e)).unwrap();
    let target = cluster_named(&board1, "Fördermittel & Finanzierung").id;
    store
        .write(|tx| move_wish(tx, ids[2], Some(target)))
        .unwrap();
    paste(&mut store, &e, "Partnerschaften mit Polen");
    let run = run_suggestions_in(&mut store, &e).unwrap();
    assert_eq!(run.untouched, 1);
    let board2 = store.read(|c| board(c, &e)).unwrap();
    let moved = cluster_of(&board2, ids[2]).unwrap();
    assert_eq!(moved.label, "Fördermittel & Finanzierung");
    let card = moved.wishes.iter().find(|w| w.id == ids[2]).unwrap();
    assert_eq!(card.assignment, Some(Assignment::Manual));
    // The wish's former cluster became empty and was removed by the run.
    assert!(
        board2
            .sections
            .iter()
            .flat_map(|s| &s.clusters)
            .all(|c| c.label != "Ehrenamt & Nachwuchsgewinnung")
    );
    assert_eq!(cluster_named(&board2, "Polen").wishes.len(), 1);
}

#[test]
fn a_locked_cluster_neither_gains_nor_loses_wishes() {
    let mut store = Store::open_in_memory().unwrap();
    let e = event(&mut store);
    let ids = paste(&mut store, &e, "Kontakte in die Ukraine\nNachwuchs");
    run_suggestions_in(&mut store, &e).unwrap();
    let ukraine = cluster_named(&store.read(|c| board(c, &e)).unwrap(), "Ukraine").id;
    store.write(|tx| set_locked(tx, ukraine, true)).unwrap();
    let new = paste(&mut store, &e, "Partnerschaft mit Lwiw");
    let run = run_suggestions_in(&mut store, &e).unwrap();
    assert_eq!(run.left_unassigned, 1);
    let board = store.read(|c| board(c, &e)).unwrap();
    let cluster = cluster_named(&board, "Ukraine");
    assert!(cluster.locked);
    assert_eq!(
        cluster.wishes.iter().map(|w| w.id).collect::<Vec<_>>(),
        [ids[0]]
    );
    assert_eq!(
        board.unassigned.iter().map(|w| w.id).collect::<Vec<_>>(),
        new
    );
}

#[test]
fn cluster_operations_and_undo() {
    let mut store = Store::open_in_memory().unwrap();
    let e = event(&mut store);
    let ids = paste(
        &mut store,
        &e,
        "Sprachkurse\nDolmetscher\nÜbersetzung von Briefen",
    );
    let sprache = store
        .write(|tx| create_cluster(tx, &e, "Sprache", Some("Themenspezifisch")))
        .unwrap();
    for id in &ids {
        store.write(|tx| move_wish(tx, *id, Some(sprache))).unwrap();
    }
    let Err(CoreError::Validation(errors)) =
        store.write(|tx| create_cluster(tx, &e, " Sprache ", None))
    else {
        panic!("duplicate label must be refused");
    };
    assert_eq!(errors[0].field, "label");

    let split = store
        .write(|tx| split_cluster(tx, sprache, &ids[1..], "Dolmetschen"))
        .unwrap();
    let board1 = store.read(|c| board(c, &e)).unwrap();
    assert_eq!(
        cluster_named(&board1, "Dolmetschen").group.as_deref(),
        Some("Themenspezifisch")
    );
    assert_eq!(cluster_named(&board1, "Dolmetschen").wishes.len(), 2);

    store
        .write(|tx| rename_cluster(tx, split, "Übersetzen", Some("Themenspezifisch")))
        .unwrap();
    store
        .write(|tx| merge_clusters(tx, split, sprache))
        .unwrap();
    let board2 = store.read(|c| board(c, &e)).unwrap();
    assert_eq!(cluster_named(&board2, "Sprache").wishes.len(), 3);
    assert_eq!(
        board2.undo_action.as_deref(),
        Some("Cluster zusammengeführt")
    );

    assert_eq!(
        store.write(|tx| undo(tx, &e)).unwrap(),
        "Cluster zusammengeführt"
    );
    let board3 = store.read(|c| board(c, &e)).unwrap();
    assert_eq!(cluster_named(&board3, "Übersetzen").wishes.len(), 2);

    store.write(|tx| delete_cluster(tx, sprache)).unwrap();
    let board4 = store.read(|c| board(c, &e)).unwrap();
    assert_eq!(board4.unassigned.len(), 1);
    assert!(board4.unassigned[0].assignment.is_none());
}

#[test]
fn undo_walks_back_and_stops_with_a_german_message() {
    let mut store = Store::open_in_memory().unwrap();
    let e = event(&mut store);
    let ids = paste(&mut store, &e, "Versicherungsschutz für Helfer");
    store
        .write(|tx| edit_wish(tx, ids[0], "Haftpflichtversicherung für Helfer"))
        .unwrap();
    store.write(|tx| delete_wish(tx, ids[0])).unwrap();
    assert_eq!(store.read(|c| board(c, &e)).unwrap().total, 0);
    assert_eq!(store.write(|tx| undo(tx, &e)).unwrap(), "Wunsch gelöscht");
    assert_eq!(
        store.read(|c| board(c, &e)).unwrap().unassigned[0].text,
        "Haftpflichtversicherung für Helfer"
    );
    store.write(|tx| undo(tx, &e)).unwrap();
    assert_eq!(
        store.read(|c| board(c, &e)).unwrap().unassigned[0].text,
        "Versicherungsschutz für Helfer"
    );
    store.write(|tx| undo(tx, &e)).unwrap();
    assert_eq!(store.read(|c| board(c, &e)).unwrap().total, 0);
    let Err(CoreError::Conflict(message)) = store.write(|tx| undo(tx, &e)) else {
        panic!("nothing left to undo");
    };
    assert!(message.contains("nichts rückgängig"));
}

#[test]
fn a_failed_action_leaves_nothing_behind() {
    let mut store = Store::open_in_memory().unwrap();
    let e = event(&mut store);
    let ids = paste(&mut store, &e, "Klimaschutz\nNachwuchs");
    run_suggestions_in(&mut store, &e).unwrap();
    let before = store.read(|c| board(c, &e)).unwrap();
    let klima = cluster_named(&before, "Nachhaltigkeit").id;
    assert!(
        store
            .write(|tx| split_cluster(tx, klima, &[ids[1]], "Neu"))
            .is_err()
    );
    assert_eq!(store.read(|c| board(c, &e)).unwrap(), before);
}

#[test]
fn registration_wishes_are_linked_and_checked() {
    let mut store = Store::open_in_memory().unwrap();
    let e = event(&mut store);
    let other = event(&mut store);
    let r = registration(&mut store, e.id, 1);
    paste(&mut store, &e, "Nachwuchs");
    let ids = store
        .write(|tx| add_for_registration(tx, e.id, r, &["Fördermittel".into(), " ".into()]))
        .unwrap();
    assert_eq!(ids.len(), 1);
    let board = store.read(|c| board(c, &e)).unwrap();
    assert_eq!(board.unassigned[1].registration_id, Some(r));
    assert_eq!(
        board.undo_action, None,
        "registration wishes clear the undo history"
    );
    assert!(matches!(
        store.write(|tx| add_for_registration(tx, other.id, r, &["x".into()])),
        Err(CoreError::Conflict(_))
    ));
}

#[test]
fn finishing_teaches_the_next_event() {
    let mut store = Store::open_in_memory().unwrap();
    let first = event(&mut store);
    let ids = paste(
        &mut store,
        &first,
        "Dolmetscher bei Besuchen\nSprachbarrieren abbauen\nNachwuchs",
    );
    let sprache = store
        .write(|tx| create_cluster(tx, &first, "Sprache", Some("Themenspezifisch")))
        .unwrap();
    store
        .write(|tx| move_wish(tx, ids[0], Some(sprache)))
        .unwrap();
    store
        .write(|tx| move_wish(tx, ids[1], Some(sprache)))
        .unwrap();
    assert_eq!(store.write(|tx| finish_curation(tx, &first)).unwrap(), 2);
    assert!(
        store
            .read(|c| board(c, &first))
            .unwrap()
            .finished_at
            .is_some()
    );
    // Finishing again replaces the examples instead of doubling them.
    assert_eq!(store.write(|tx| finish_curation(tx, &first)).unwrap(), 2);
    assert_eq!(
        store
            .read(|c| topics::learned_examples(c, None))
            .unwrap()
            .len(),
        2
    );

    let second = event(&mut store);
    let new = paste(&mut store, &second, "Dolmetscher für den Bürgerbesuch");
    run_suggestions_in(&mut store, &second).unwrap();
    let board = store.read(|c| board(c, &second)).unwrap();
    let cluster = cluster_of(&board, new[0]).unwrap();
    assert_eq!(cluster.label, "Sprache");
    assert_eq!(cluster.group.as_deref(), Some("Themenspezifisch"));
}

#[test]
fn the_presentation_is_anonymous_and_skips_empty_clusters() {
    let mut store = Store::open_in_memory().unwrap();
    let e = event(&mut store);
    let r = registration(&mut store, e.id, 7);
    store
        .write(|tx| add_for_registration(tx, e.id, r, &["Hilfstransporte in die Ukraine".into()]))
        .unwrap();
    paste(&mut store, &e, "Nachwuchsgewinnung");
    run_suggestions_in(&mut store, &e).unwrap();
    store
        .write(|tx| create_cluster(tx, &e, "Leer", None))
        .unwrap();
    paste(&mut store, &e, "noch offen");
    let shown = store.read(|c| presentation(c, &e)).unwrap();
    assert_eq!(shown.event_title, "13. Forum Städtepartnerschaften NRW");
    let json = serde_json::to_string(&shown).unwrap();
    assert!(!json.contains("Muster7") && !json.contains("Anna") && !json.contains("registration"));
    assert!(!json.contains("Leer"));
    let last = shown.sections.last().unwrap();
    assert_eq!(last.heading, "Weitere Wünsche");
    assert_eq!(last.clusters[0].wishes, ["noch offen"]);
    assert!(
        shown
            .sections
            .iter()
            .any(|s| s.heading == "Themenspezifisch" && s.clusters[0].label == "Humanitäre Hilfe")
    );
}

#[test]
fn current_assignments_keep_stored_clusters_and_suggest_the_rest() {
    let mut store = Store::open_in_memory().unwrap();
    let e = event(&mut store);
    let ids = paste(&mut store, &e, "Nachwuchs\nKontakte nach Polen");
    let own = store
        .write(|tx| create_cluster(tx, &e, "Eigenes", None))
        .unwrap();
    store.write(|tx| move_wish(tx, ids[0], Some(own))).unwrap();
    let rows = store.read(|c| current_assignments(c, &e, None)).unwrap();
    assert_eq!(rows[0].cluster, "Eigenes");
    assert_eq!(rows[0].score, 1.0);
    assert_eq!(rows[1].cluster, "Polen");
    assert_eq!(rows[1].group.as_deref(), Some("Länderspezifisch"));
    assert_eq!(
        store.read(|c| board(c, &e)).unwrap().unassigned.len(),
        1,
        "nothing stored"
    );
}

#[test]
fn a_run_writes_only_onto_the_board_it_read_and_computes_again_otherwise() {
    let mut store = Store::open_in_memory().unwrap();
    let e = event(&mut store);
    paste(&mut store, &e, "Kontakte in die Ukraine");
    let computed = store.read(|c| plan_suggestions(c, &e)).unwrap().compute();
    // Meanwhile (no lock is held while computing) another wish arrives.
    paste(&mut store, &e, "Nachwuchs");
    let before = store.read(|c| board(c, &e)).unwrap();
    assert_eq!(
        store
            .write(|tx| apply_suggestions(tx, &e, &computed))
            .unwrap(),
        None
    );
    assert_eq!(
        store.read(|c| board(c, &e)).unwrap(),
        before,
        "nothing written"
    );

    // The driver notices the change after its first read and computes again.
    let store = std::cell::RefCell::new(store);
    let mut reads = 0;
    let run = run_suggestions(
        || {
            reads += 1;
            let plan = store.borrow_mut().read(|c| plan_suggestions(c, &e));
            if reads == 1 {
                paste(&mut store.borrow_mut(), &e, "Jugendaustausch mit Polen");
            }
            plan
        },
        |computed| {
            store
                .borrow_mut()
                .write(|tx| apply_suggestions(tx, &e, computed))
        },
    )
    .unwrap();
    assert_eq!(reads, 2);
    assert_eq!(run.placed, 3);
    assert!(
        store
            .borrow_mut()
            .read(|c| board(c, &e))
            .unwrap()
            .unassigned
            .is_empty()
    );
}

#[test]
fn a_board_that_keeps_changing_is_a_german_conflict() {
    let mut store = Store::open_in_memory().unwrap();
    let e = event(&mut store);
    paste(&mut store, &e, "Nachwuchs");
    let store = std::cell::RefCell::new(store);
    let result = run_suggestions(
        || {
            let plan = store.borrow_mut().read(|c| plan_suggestions(c, &e));
            paste(&mut store.borrow_mut(), &e, "noch ein Wunsch");
            plan
        },
        |computed| {
            store
                .borrow_mut()
                .write(|tx| apply_suggestions(tx, &e, computed))
        },
    );
    let Err(CoreError::Conflict(message)) = result else {
        panic!("a board that changes every time must be reported");
    };
    assert!(message.contains("noch einmal"), "{message}");
}

#[test]
fn overlong_wishes_and_control_characters_are_refused_everywhere() {
    let mut store = Store::open_in_memory().unwrap();
    let e = event(&mut store);
    let long = "x".repeat(MAX_WISH_CHARS + 1);
    let Err(CoreError::Validation(errors)) =
        store.write(|tx| add_wishes(tx, &e, &format!("Nachwuchs\n{long}")))
    else {
        panic!("an overlong pasted wish must be refused");
    };
    assert_eq!(errors[0].field, "text");
    assert_eq!(
        errors[0].message,
        "Zeile 2: Der Text ist zu lang: höchstens 2.000 Zeichen, eingegeben 2.001."
    );
    assert_eq!(store.read(|c| board(c, &e)).unwrap().total, 0);
    let ok = paste(&mut store, &e, &"x".repeat(MAX_WISH_CHARS));
    assert!(matches!(
        store.write(|tx| edit_wish(tx, ok[0], &long)),
        Err(CoreError::Validation(_))
    ));
    let Err(CoreError::Validation(errors)) = store.write(|tx| add_wishes(tx, &e, "Nachwuchs\u{0}"))
    else {
        panic!("a NUL must be refused");
    };
    assert!(errors[0].message.contains("Steuerzeichen"));

    // With a registration: the field is "wishes" and nothing is stored.
    let p = store
        .write(|tx| people::create_person(tx, &person("Bea", "Beispiel", "Hürth", "b@example.org")))
        .unwrap();
    let input = RegisterInput {
        wishes: vec![long.clone()],
        ..RegisterInput::existing(e.id, p.id)
    };
    let Err(CoreError::Validation(errors)) = store.write(|tx| crate::wishes::register(tx, &input))
    else {
        panic!("an overlong registration wish must be refused");
    };
    assert_eq!(errors[0].field, "wishes");
    assert!(
        store
            .read(|c| registrations::list(c, e.id))
            .unwrap()
            .is_empty()
    );
    let input = RegisterInput {
        wishes: vec!["Fördermittel".into()],
        ..input
    };
    let outcome = store
        .write(|tx| crate::wishes::register(tx, &input))
        .unwrap();
    let board = store.read(|c| board(c, &e)).unwrap();
    assert_eq!(
        board.unassigned.last().unwrap().registration_id,
        Some(outcome.registration.registration_id)
    );
    // The registrations module alone never drops wishes silently.
    assert!(
        store
            .write(|tx| registrations::register(tx, &input))
            .is_err()
    );
}

#[test]
fn wishes_given_at_registration_land_on_the_event_board() {
    let mut store = Store::open_in_memory().unwrap();
    let e = event(&mut store);
    let p = store
        .write(|tx| people::create_person(tx, &person("Cem", "Beispiel", "Köln", "c@example.org")))
        .unwrap();
    let input = RegisterInput {
        wishes: vec!["Fördermittel für Jugendbegegnungen".into(), "  ".into()],
        ..RegisterInput::existing(e.id, p.id)
    };
    store
        .write(|tx| crate::wishes::register(tx, &input))
        .unwrap();
    let texts: Vec<String> = store
        .read(|c| board(c, &e))
        .unwrap()
        .unassigned
        .into_iter()
        .map(|w| w.text)
        .collect();
    assert_eq!(texts, ["Fördermittel für Jugendbegegnungen"]);
}

#[test]
fn another_connection_can_write_while_the_suggestions_are_computed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wuensche.db");
    let mut store = Store::open(&path).unwrap();
    let e = event(&mut store);
    paste(&mut store, &e, "Kontakte in die Ukraine\nNachwuchs");
    let plan = store.read(|c| plan_suggestions(c, &e)).unwrap();
    // Between reading and writing no transaction is open: the registration desk (another
    // connection to the same file) writes at once.
    let mut desk = store.second_connection().unwrap();
    desk.connection()
        .busy_timeout(std::time::Duration::ZERO)
        .unwrap();
    let late = desk.write(|tx| add_wishes(tx, &e, "Jugendaustausch mit Polen"));
    assert!(late.is_ok(), "{late:?}");
    let computed = plan.compute();
    // The board changed meanwhile, so this result is not written; a new run places all three.
    assert_eq!(
        store
            .write(|tx| apply_suggestions(tx, &e, &computed))
            .unwrap(),
        None
    );
    assert_eq!(run_suggestions_in(&mut store, &e).unwrap().placed, 3);
}

#[test]
fn non_answers_are_presented_only_when_the_board_says_so() {
    let mut store = Store::open_in_memory().unwrap();
    let e = event(&mut store);
    paste(&mut store, &e, "keine\nmal schauen\nKontakte nach Polen");
    run_suggestions_in(&mut store, &e).unwrap();
    let board_before = store.read(|c| board(c, &e)).unwrap();
    assert!(!board_before.show_general, "off by default");
    assert!(
        board_before
            .sections
            .iter()
            .any(|s| s.heading == "Allgemein" && s.clusters[0].wishes.len() == 2)
    );
    let shown = store.read(|c| presentation(c, &e)).unwrap();
    let headings: Vec<_> = shown.sections.iter().map(|s| s.heading.as_str()).collect();
    assert!(!headings.contains(&"Allgemein"), "{headings:?}");
    assert!(
        !serde_json::to_string(&shown)
            .unwrap()
            .contains("mal schauen")
    );

    store.write(|tx| set_show_general(tx, &e, true)).unwrap();
    assert!(store.read(|c| board(c, &e)).unwrap().show_general);
    let shown = store.read(|c| presentation(c, &e)).unwrap();
    let general = shown
        .sections
        .iter()
        .find(|s| s.heading == "Allgemein")
        .expect("shown when set");
    assert_eq!(general.clusters[0].wishes, ["keine", "mal schauen"]);

    store.write(|tx| set_show_general(tx, &e, false)).unwrap();
    assert!(!store.read(|c| board(c, &e)).unwrap().show_general);
}

#[test]
fn the_evidence_is_on_the_card_and_a_wish_without_topic_stays_unassigned() {
    let mut store = Store::open_in_memory().unwrap();
    let e = event(&mut store);
    paste(
        &mut store,
        &e,
        "Zuschüsse für Kleinprojekte (antragsberechtigt: Kommunen, Vereine)\nQuxbla Fasel Wobbel",
    );
    let run = run_suggestions_in(&mut store, &e).unwrap();
    assert_eq!(
        (run.placed, run.without_topic, run.left_unassigned),
        (1, 1, 0)
    );
    let shown = store.read(|c| board(c, &e)).unwrap();
    let money = cluster_named(&shown, "Fördermittel & Finanzierung");
    assert_eq!(money.wishes[0].evidence[0], "Zuschüsse");
    assert_eq!(shown.unassigned.len(), 1);
    assert!(shown.unassigned[0].evidence.is_empty());
    assert_eq!(shown.unassigned[0].score, None);
    // Moving the card by hand drops the evidence of the suggestion.
    let wish = money.wishes[0].id;
    store.write(|tx| delete_cluster(tx, money.id)).unwrap();
    let shown = store.read(|c| board(c, &e)).unwrap();
    let card = shown.unassigned.iter().find(|w| w.id == wish).unwrap();
    assert!(card.evidence.is_empty());
}

#[test]
fn a_cluster_the_catalogue_lacks_can_become_a_topic_with_its_shared_words() {
    let mut store = Store::open_in_memory().unwrap();
    let e = event(&mut store);
    let ids = paste(
        &mut store,
        &e,
        "Gemeinnützigkeit und Bürgerreisen – was sagt das Finanzamt?\n\
         Verliert der Verein die Gemeinnützigkeit bei Spenden ins Ausland?\n\
         Satzung, Finanzamt, Gemeinnützigkeit: wer kennt sich aus?\n\
         Fördermittel für den Jugendaustausch\n\
         Nachwuchs für den Vorstand",
    );
    run_suggestions_in(&mut store, &e).unwrap();
    let recht = store
        .write(|tx| create_cluster(tx, &e, "Vereinsrecht", Some("Vereinsarbeit")))
        .unwrap();
    for id in &ids[..3] {
        store.write(|tx| move_wish(tx, *id, Some(recht))).unwrap();
    }
    let before = store.read(|c| board(c, &e)).unwrap();
    assert!(!cluster_named(&before, "Vereinsrecht").in_catalogue);
    assert!(
        cluster_of(&before, ids[3]).unwrap().in_catalogue,
        "a catalogue topic's cluster is known"
    );

    let proposal = store.read(|c| topic_proposal(c, &e, recht)).unwrap();
    assert_eq!(proposal.label, "Vereinsrecht");
    assert_eq!(proposal.group.as_deref(), Some("Vereinsarbeit"));
    assert_eq!(proposal.keywords[..2], ["Gemeinnützigkeit", "Finanzamt"]);
    assert!(
        !proposal.overlaps.is_empty(),
        "Gemeinnützigkeit is also a keyword of a catalogue topic"
    );

    // Staff change the name in the dialog: topic and cluster keep one name.
    let topic = crate::wishes::Topic {
        key: "vereinsrecht".into(),
        label: "Vereinsrecht & Gemeinnützigkeit".into(),
        group: proposal.group.clone(),
        priority: proposal.priority,
        keywords: proposal.keywords.clone(),
    };
    let other = event(&mut store);
    let Err(CoreError::NotFound { .. }) =
        store.write(|tx| adopt_cluster(tx, &other, recht, &topic))
    else {
        panic!("a cluster of another event is not adopted");
    };
    store
        .write(|tx| adopt_cluster(tx, &e, recht, &topic))
        .unwrap();
    let after = store.read(|c| board(c, &e)).unwrap();
    let adopted = cluster_named(&after, "Vereinsrecht & Gemeinnützigkeit");
    assert_eq!((adopted.id, adopted.in_catalogue), (recht, true));
    assert_eq!(
        store
            .read(topics::catalogue)
            .unwrap()
            .topics
            .last()
            .unwrap()
            .label,
        topic.label
    );

    // The adopted topic now takes a new wish about it, although its keyword
    // is also one of the topic the wishes were moved out of.
    let next = paste(&mut store, &e, "Gemeinnützigkeit bei Spendenquittungen?");
    run_suggestions_in(&mut store, &e).unwrap();
    let last = store.read(|c| board(c, &e)).unwrap();
    assert_eq!(cluster_of(&last, next[0]).unwrap().id, recht);

    let Err(CoreError::NotFound { what }) = store.read(|c| topic_proposal(c, &e, recht + 999))
    else {
        panic!("an unknown cluster is not found");
    };
    assert_eq!(what, "Der Cluster");
}
