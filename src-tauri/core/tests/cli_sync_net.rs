//! CLI contract of the LAN sync (issue 14), process level: `sync serve --listen ADDR` prints the
//! pairing code and serves until killed, `sync pair --peer ADDR --code CODE` joins, `sync once
//! --peer ADDR` runs one exchange. Three laptops on 127.0.0.1; the serving one is killed with
//! SIGKILL in the middle of an exchange, restarted, and all converge to identical dumps.

mod common;

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, UdpSocket};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use common::{cli, json, run, stderr};

/// A port free for both TCP and UDP on 127.0.0.1.
fn free_port() -> u16 {
    loop {
        let tcp = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = tcp.local_addr().unwrap().port();
        if UdpSocket::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

/// A running `sync serve` and the lines it prints.
struct Server {
    child: Child,
    lines: Receiver<String>,
    code: String,
}

impl Server {
    fn start(db: &Path, port: u16) -> Server {
        let mut child = cli(db)
            .args(["sync", "serve", "--listen", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Server {
            child,
            lines,
            code: String::new(),
        };
        let first = server.wait_for("Kopplungscode: ", "");
        server.code = first["Kopplungscode: ".len()..].to_owned();
        server
    }

    /// Waits (at most a minute) for a line that starts with `prefix` and contains `part`.
    fn wait_for(&self, prefix: &str, part: &str) -> String {
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|_| panic!("no line starting with {prefix:?}"));
            if line.starts_with(prefix) && line.contains(part) {
                return line;
            }
        }
    }

    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

fn create_event(db: &Path, title: &str) {
    json(
        db,
        &[
            "events",
            "create",
            "--title",
            title,
            "--series",
            "forum",
            "--starts-at",
            "2099-03-13 11:00",
            "--ends-at",
            "2099-03-13 13:00",
            "--format",
            "online",
            "--capacity",
            "10",
            "--json",
        ],
    );
}

fn once(db: &Path, peer: &str) -> serde_json::Value {
    json(db, &["sync", "once", "--peer", peer, "--json"])
}

fn dump(db: &Path) -> serde_json::Value {
    json(db, &["sync", "dump"])
}

#[test]
fn three_laptops_pair_exchange_survive_a_kill_and_converge() {
    let dir = tempfile::tempdir().unwrap();
    let [office, desk, door, stranger] =
        ["buero.db", "einlass.db", "tuer.db", "fremd.db"].map(|n| dir.path().join(n));
    assert!(run(&office, &["seed-demo"]).status.success());
    create_event(&desk, "Forum vom Einlass");
    create_event(&door, "Forum von der Tür");
    create_event(&stranger, "Fremdes Forum");

    let port = free_port();
    let peer = format!("127.0.0.1:{port}");
    let server = Server::start(&office, port);
    assert_eq!(server.code.len(), 8, "{}", server.code);

    // A wrong code: a German message and exit code 1; nothing is paired.
    let wrong = if server.code == "00000000" {
        "11111111"
    } else {
        "00000000"
    };
    let out = run(&door, &["sync", "pair", "--peer", &peer, "--code", wrong]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("falsch oder abgelaufen"),
        "{}",
        stderr(&out)
    );
    // An unpaired laptop is refused.
    let out = run(&stranger, &["sync", "once", "--peer", &peer]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("nicht gekoppelt"), "{}", stderr(&out));

    for db in [&desk, &door] {
        let out = run(
            db,
            &["sync", "pair", "--peer", &peer, "--code", &server.code],
        );
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let first = once(&desk, &peer);
    assert!(first["applied"].as_u64().unwrap() > 0, "{first}");
    assert!(first["sent"].as_u64().unwrap() > 0, "{first}");

    // The door sends its event; the office is killed while that exchange runs.
    let door_id = json(&door, &["sync", "status", "--json"])["laptop_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut door_once = cli(&door)
        .args(["sync", "once", "--peer", &peer])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    server.wait_for("Abgleich beginnt", &door_id[..8]);
    server.kill();
    let _ = door_once.wait().unwrap();

    // Restarted, the office still knows its team; everyone converges.
    let server = Server::start(&office, port);
    once(&door, &peer);
    once(&desk, &peer);
    once(&door, &peer);
    let last = once(&desk, &peer);
    assert_eq!(last["applied"], 0, "{last}");
    // `sync dump` reads also while the laptop serves.
    let expected = dump(&office);
    server.kill();
    assert_eq!(dump(&office), expected);
    assert_eq!(dump(&desk), expected);
    assert_eq!(dump(&door), expected);
    let titles = expected["events"].to_string();
    for title in ["Forum vom Einlass", "Forum von der Tür"] {
        assert!(titles.contains(title), "{title} is everywhere");
    }
    assert!(
        !titles.contains("Fremdes Forum"),
        "the stranger's data never arrived"
    );
}
