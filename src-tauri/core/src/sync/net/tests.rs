//! Two and three laptops on 127.0.0.1: pairing with the code, exchanges, refusals.

use std::sync::mpsc;

use super::*;
use crate::events::{self, tests::forum_input};
use crate::sync::{attach, dump};

struct Laptop {
    store: Store,
    node: TeamNode,
    _dir: tempfile::TempDir,
}

fn laptop(events: Option<mpsc::Sender<TeamEvent>>) -> Laptop {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("daten.db");
    let mut store = Store::open(&path).unwrap();
    attach(&mut store).unwrap();
    let mut node_store = store.second_connection().unwrap();
    attach(&mut node_store).unwrap();
    let options = TeamOptions {
        listen: "127.0.0.1:0".parse().unwrap(),
        accept_pairing: true,
        secret_key: key::load_or_create(&key::key_path(&path)).unwrap(),
        discovery: false,
        interval: None,
        on_event: events.map(|tx| {
            let tx = Mutex::new(tx);
            Arc::new(move |e: &TeamEvent| {
                let _ = tx.lock().unwrap().send(e.clone());
            }) as EventCallback
        }),
    };
    let node = TeamNode::start(node_store, options).unwrap();
    Laptop {
        store,
        node,
        _dir: dir,
    }
}

fn addr(l: &Laptop) -> String {
    format!("127.0.0.1:{}", l.node.port())
}

fn new_event(store: &mut Store, title: &str) {
    store
        .write(|tx| {
            events::create(
                tx,
                events::EventInput {
                    title: title.into(),
                    starts_at: "2099-03-13 11:00".into(),
                    ends_at: "2099-03-13 13:00".into(),
                    registration_deadline: None,
                    ..forum_input()
                },
            )
        })
        .unwrap();
}

#[test]
fn paired_laptops_exchange_both_ways_and_others_are_refused() {
    let (tx, rx) = mpsc::channel();
    let mut office = laptop(Some(tx));
    let mut desk = laptop(None);
    new_event(&mut office.store, "Forum im Büro");
    new_event(&mut desk.store, "Forum am Einlass");

    // A wrong code is refused in German; the right one pairs both ways.
    let offer = office.node.pairing_offer().unwrap();
    assert_eq!(offer.code.len(), 8);
    let wrong = if offer.code == "00000000" {
        "11111111"
    } else {
        "00000000"
    };
    let err = desk.node.pair(&addr(&office), wrong).unwrap_err();
    assert!(err.to_string().contains("falsch oder abgelaufen"), "{err}");
    // Before pairing, no exchange.
    let err = desk.node.sync_with(&addr(&office)).unwrap_err();
    assert!(err.to_string().contains("nicht gekoppelt"), "{err}");
    let info = desk
        .node
        .pair(&addr(&office), &format!("Kopplungscode: {}", offer.code))
        .unwrap();
    assert_eq!(info.node_id, office.node.node_id());
    assert_eq!(office.node.peers().unwrap().len(), 1);
    assert_eq!(desk.node.peers().unwrap()[0].address, Some(addr(&office)));

    let report = desk.node.sync_with(&addr(&office)).unwrap();
    assert!(report.applied > 0 && report.sent > 0, "{report:?}");
    assert_eq!(
        dump(office.store.connection()).unwrap(),
        dump(desk.store.connection()).unwrap()
    );
    // The office was told that changes arrived.
    let event = loop {
        let event = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("an event for the applied changes");
        if event.kind == "aenderungen" {
            break event;
        }
    };
    assert!(event.applied > 0);
    // Nothing new: an exchange sends nothing.
    let again = desk.node.sync_with(&addr(&office)).unwrap();
    assert_eq!((again.sent, again.applied), (0, 0));
    // The office also reaches the desk (it learnt the desk's port when pairing).
    new_event(&mut office.store, "Nachtrag");
    let reports = office.node.sync_now().unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!(
        dump(office.store.connection()).unwrap(),
        dump(desk.store.connection()).unwrap()
    );

    // A laptop removed from the team is refused.
    office.node.remove_peer(&info_laptop(&desk)).unwrap();
    let err = desk.node.sync_with(&addr(&office)).unwrap_err();
    assert!(err.to_string().contains("lehnt den Abgleich ab"), "{err}");
}

fn info_laptop(l: &Laptop) -> String {
    crate::sync::laptop_id(l.store.connection()).unwrap()
}

#[test]
fn after_an_erasure_one_exchange_brings_a_laptop_onto_the_cleaned_history_both_ways() {
    let mut office = laptop(None);
    let mut desk = laptop(None);
    let person = office
        .store
        .write(|tx| {
            crate::people::create_person(
                tx,
                &crate::people::tests::person("Erika", "Muster", "Köln", "erika@example.org"),
            )
        })
        .unwrap()
        .id;
    let offer = office.node.pairing_offer().unwrap();
    desk.node.pair(&addr(&office), &offer.code).unwrap();
    desk.node.sync_with(&addr(&office)).unwrap();
    // The desk works offline while the office erases Erika (and so compacts its history).
    new_event(&mut desk.store, "Forum am Einlass");
    office
        .store
        .write(|tx| crate::privacy::erase_person(tx, person).map(|_| ()))
        .unwrap();
    crate::sync::after_deletion(&mut office.store).unwrap();

    let report = desk.node.sync_with(&addr(&office)).unwrap();
    assert!(report.applied > 0 && report.sent > 0, "{report:?}");
    assert_eq!(
        dump(office.store.connection()).unwrap(),
        dump(desk.store.connection()).unwrap()
    );
    let titles: i64 = office
        .store
        .connection()
        .query_row(
            "SELECT count(*) FROM events WHERE title = 'Forum am Einlass'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(titles, 1, "the desk's offline work reached the office");
    for store in [&office.store, &desk.store] {
        assert!(
            !crate::sync::tests::history_holds(store, "erika@"),
            "no laptop's log keeps the erased address"
        );
    }
    // From now on an exchange is an ordinary one again.
    let again = desk.node.sync_with(&addr(&office)).unwrap();
    assert_eq!((again.sent, again.applied), (0, 0));
}
