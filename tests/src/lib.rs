//! Harness for the end-to-end tests: starts the real, built Tagungsbüro app through
//! tauri-driver + WebKitWebDriver with its own temporary data dir and database, and offers small
//! helpers to drive it by `data-testid`.
//!
//! Needs an X display (run under `xvfb-run`), `tauri-driver` and `WebKitWebDriver` on PATH, and
//! the built app (`TAGUNGSBUERO_APP`, default `$CARGO_TARGET_DIR/debug/tagungsbuero`).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use tempfile::TempDir;

pub mod laptops;
pub mod screens;

/// Folder (inside the data dir) that exports go to instead of the native save dialog.
const EXPORT_DIR: &str = "exports";

/// How long to wait for the UI to show something.
pub const UI_TIMEOUT: Duration = Duration::from_secs(10);

/// How long tauri-driver, WebKitWebDriver and the app get to end after SIGTERM.
const STOP_GRACE: Duration = Duration::from_secs(5);

/// A running app instance with its own data.
pub struct App {
    /// The WebDriver session.
    pub client: Client,
    /// The SQLite file the app uses.
    pub db_path: PathBuf,
    _driver: Driver,
    data_dir: TempDir,
}

/// The running tauri-driver. It, WebKitWebDriver and the app share one process group, which is
/// stopped when this is dropped — also when a test panics half-way.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        stop_group(&mut self.0);
    }
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

/// The built app binary.
pub fn app_binary() -> PathBuf {
    std::env::var_os("TAGUNGSBUERO_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("debug/tagungsbuero"))
}

/// The built CLI binary.
pub fn cli_binary() -> PathBuf {
    std::env::var_os("TAGUNGSBUERO_CLI")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("debug/tagungsbuero-cli"))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("no free port")
        .port()
}

/// Runs the CLI on `db` with `args` and returns stdout; panics with stderr on failure.
pub fn cli(db: &Path, args: &[&str]) -> String {
    let out = Command::new(cli_binary())
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("tagungsbuero-cli could not start");
    assert!(
        out.status.success(),
        "tagungsbuero-cli {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("CLI output is UTF-8")
}

/// Creates an event through the CLI (`events create ARGS --json`) and returns its id.
pub fn create_event(db: &Path, args: &[&str]) -> i64 {
    let out = cli(db, &[&["events", "create"], args, &["--json"]].concat());
    serde_json::from_str::<serde_json::Value>(&out).expect("JSON from events create")["id"]
        .as_i64()
        .expect("the new event's id")
}

impl App {
    /// Starts the app on an empty database.
    pub async fn launch() -> App {
        Self::launch_with(|_| {}).await
    }

    /// Starts the app on a database seeded with the demo data.
    pub async fn launch_seeded() -> App {
        Self::launch_with(|db| {
            cli(db, &["seed-demo"]);
        })
        .await
    }

    /// Starts the app after `prepare` has filled its database file.
    pub async fn launch_with(prepare: impl FnOnce(&Path)) -> App {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let db_path = data_dir.path().join("tagungsbuero.db");
        std::fs::create_dir_all(data_dir.path().join(EXPORT_DIR)).expect("export dir");
        prepare(&db_path);
        let (driver, client) = start_session(data_dir.path(), &db_path).await;
        let app = App {
            client,
            db_path,
            _driver: driver,
            data_dir,
        };
        app.wait_for("app-ready").await;
        app
    }

    /// Ends the session (which closes the app), then stops tauri-driver.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }

    /// Ends the session and stops the app like [`App::close`], but keeps the data dir (returned)
    /// so a test can look at the database afterwards, e.g. through the CLI. Returns once the
    /// app has let go of the database (its lock file is free), not after a fixed time.
    pub async fn quit(self) -> TempDir {
        let App {
            client,
            db_path,
            _driver,
            data_dir,
        } = self;
        let _ = client.close().await;
        drop(_driver);
        let lock = db_path.with_file_name("tagungsbuero.db.lock");
        let deadline = Instant::now() + UI_TIMEOUT;
        loop {
            let free = std::fs::File::open(&lock).is_ok_and(|f| f.try_lock().is_ok());
            if free || !lock.exists() {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the app did not release {}",
                lock.display()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        data_dir
    }

    /// The app's support log (`tagungsbuero.log` in its log dir under this test's
    /// `XDG_DATA_HOME`), empty when nothing was logged yet.
    pub fn log_text(&self) -> String {
        let dir = self
            .data_dir
            .path()
            .join("xdg-data/org.staedtepartnerschaften-nrw.tagungsbuero/logs");
        std::fs::read_to_string(dir.join("tagungsbuero.log")).unwrap_or_default()
    }

    /// Waits until the element with `data-testid` exists and returns it.
    pub async fn wait_for(&self, testid: &str) -> Element {
        self.client
            .wait()
            .at_most(UI_TIMEOUT)
            .for_element(Locator::Css(&css(testid)))
            .await
            .unwrap_or_else(|e| panic!("element [data-testid={testid}] did not appear: {e}"))
    }

    /// Whether the element exists right now.
    pub async fn exists(&self, testid: &str) -> bool {
        self.client
            .find_all(Locator::Css(&css(testid)))
            .await
            .map(|found| !found.is_empty())
            .unwrap_or(false)
    }

    /// Clicks the element once it is enabled, as a person would: a button the screen still
    /// disables (e.g. until a refresh after pairing lands) is waited for, never clicked into
    /// the void. A click that fails because the screen was just re-rendered (e.g. reloaded
    /// after another laptop's changes arrived: the element went stale) is retried on the
    /// element found anew, until the UI timeout.
    pub async fn click(&self, testid: &str) {
        let deadline = Instant::now() + UI_TIMEOUT;
        loop {
            let element = self.wait_for(testid).await;
            let outcome = match element.is_enabled().await {
                Ok(true) => element.click().await.map_err(|e| e.to_string()),
                Ok(false) => Err("the element stayed disabled".to_owned()),
                Err(e) => Err(e.to_string()),
            };
            match outcome {
                Ok(()) => return,
                Err(e) => assert!(Instant::now() < deadline, "click on {testid} failed: {e}"),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Replaces the value of an input with `text`. Line breaks are typed as Enter, because
    /// WebKitWebDriver drops a plain `\n`.
    pub async fn fill(&self, testid: &str, text: &str) {
        let input = self.wait_for(testid).await;
        input.clear().await.expect("clear input");
        input
            .send_keys(&text.replace('\n', ENTER))
            .await
            .expect("type into input");
    }

    /// Sets an input's value by script (for date/time inputs, whose typing differs per engine)
    /// and fires `input` and `change` like a user edit.
    pub async fn set_value(&self, testid: &str, value: &str) {
        let input = self.wait_for(testid).await;
        self.client
            .execute(
                "const el = arguments[0]; el.value = arguments[1];
                 el.dispatchEvent(new Event('input', { bubbles: true }));
                 el.dispatchEvent(new Event('change', { bubbles: true }));",
                vec![
                    serde_json::to_value(&input).expect("element ref"),
                    json!(value),
                ],
            )
            .await
            .expect("set value");
    }

    /// Types keys into the element (e.g. "\u{E007}" for Enter).
    pub async fn keys(&self, testid: &str, keys: &str) {
        self.wait_for(testid)
            .await
            .send_keys(keys)
            .await
            .unwrap_or_else(|e| panic!("typing into {testid} failed: {e}"));
    }

    /// The visible text of the element.
    pub async fn text(&self, testid: &str) -> String {
        self.wait_for(testid)
            .await
            .text()
            .await
            .expect("element text")
    }

    /// Waits until the element's text contains `expected`; returns the text.
    pub async fn wait_for_text(&self, testid: &str, expected: &str) -> String {
        let deadline = Instant::now() + UI_TIMEOUT;
        loop {
            let text = match self.client.find(Locator::Css(&css(testid))).await {
                Ok(el) => el.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.contains(expected) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "[data-testid={testid}] never contained {expected:?}; last text: {text:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the element is gone.
    pub async fn wait_gone(&self, testid: &str) {
        let deadline = Instant::now() + UI_TIMEOUT;
        while self.exists(testid).await {
            assert!(
                Instant::now() < deadline,
                "[data-testid={testid}] did not go away"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The focused element's `data-testid`.
    pub async fn focused_testid(&self) -> String {
        self.client
            .execute(
                "return document.activeElement?.dataset?.testid ?? ''",
                vec![],
            )
            .await
            .expect("read focus")
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Where the app writes exports (no save dialog in tests).
    pub fn export_dir(&self) -> PathBuf {
        self.data_dir.path().join(EXPORT_DIR)
    }

    /// Opens the app's database read-only (to check what the UI wrote).
    pub fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open_with_flags(
            &self.db_path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .expect("open the app's database")
    }
}

/// CSS selector for a `data-testid`.
pub fn css(testid: &str) -> String {
    format!("[data-testid=\"{testid}\"]")
}

fn spawn_driver(data_dir: &Path, db: &Path, port: u16, native_port: u16) -> Driver {
    let native_driver = which("WebKitWebDriver");
    let mut command = Command::new(which("tauri-driver"));
    command
        .args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        .arg("--native-driver")
        .arg(native_driver)
        .env("XDG_DATA_HOME", data_dir.join("xdg-data"))
        .env("XDG_CONFIG_HOME", data_dir.join("xdg-config"))
        .env("XDG_CACHE_HOME", data_dir.join("xdg-cache"))
        .env("TAGUNGSBUERO_DB", db)
        .env("TAGUNGSBUERO_EXPORT_DIR", data_dir.join(EXPORT_DIR))
        // The team sync serves on a free port of the loopback interface, so app instances of
        // parallel tests never collide and nothing is offered to the network.
        .env("TAGUNGSBUERO_SYNC_LISTEN", "127.0.0.1:0")
        .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
        .stdin(Stdio::null())
        .stdout(driver_log(data_dir, "stdout"))
        .stderr(driver_log(data_dir, "stderr"));
    own_process_group(&mut command);
    let driver = Driver(command.spawn().expect("tauri-driver could not start"));
    wait_for_port(port);
    driver
}

/// Where tauri-driver's output goes: `$TAGUNGSBUERO_E2E_LOGS/<run>-<stream>.log` when that
/// variable names a directory (CI keeps them for diagnosis), else nowhere.
fn driver_log(data_dir: &Path, stream: &str) -> Stdio {
    let Some(dir) = std::env::var_os("TAGUNGSBUERO_E2E_LOGS") else {
        return Stdio::null();
    };
    let run = data_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    std::fs::File::create(Path::new(&dir).join(format!("{run}-{stream}.log")))
        .map(Stdio::from)
        .unwrap_or_else(|_| Stdio::null())
}

#[cfg(unix)]
fn own_process_group(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    command.process_group(0);
}

#[cfg(not(unix))]
fn own_process_group(_command: &mut Command) {}

/// Stops the driver's process group: SIGTERM to all of it (tauri-driver, WebKitWebDriver, the
/// app), then — once tauri-driver has ended, at the latest after [`STOP_GRACE`] — SIGKILL to
/// whatever is left of the group, so that nothing outlives the test (a SIGKILL to tauri-driver
/// alone would orphan WebKitWebDriver, which keeps stdout open and hangs `cargo test | tail`).
///
/// The signal goes through `killpg(2)`, never through the `kill` command: procps-ng 4.0.x parses
/// `kill -TERM -<pgid>` as options and signals the first digit instead — `kill -TERM -12345`
/// becomes `kill(-1, SIGTERM)`, i.e. every process the user may signal.
#[cfg(unix)]
fn stop_group(driver: &mut Child) {
    use nix::sys::signal::{Signal, killpg};
    use nix::unistd::Pid;

    let group = Pid::from_raw(i32::try_from(driver.id()).expect("pid fits in pid_t"));
    let _ = killpg(group, Signal::SIGTERM);
    let deadline = Instant::now() + STOP_GRACE;
    while matches!(driver.try_wait(), Ok(None)) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = killpg(group, Signal::SIGKILL);
    let _ = driver.wait();
}

#[cfg(not(unix))]
fn stop_group(driver: &mut Child) {
    let _ = driver.kill();
    let _ = driver.wait();
}

fn which(program: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let cargo_bin = std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin"));
    std::env::split_paths(&path)
        .chain(cargo_bin)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| panic!("{program} not found on PATH (see `make deps-test`)"))
}

fn wait_for_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "tauri-driver did not open port {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Starts tauri-driver and opens the WebDriver session. On a loaded machine the driver now and
/// then drops the first session request (WebKitWebDriver was not listening yet: hyper's
/// "IncompleteMessage"); then the whole driver group is stopped and started afresh on new
/// ports, at most [`SESSION_ATTEMPTS`] times.
async fn start_session(data_dir: &Path, db: &Path) -> (Driver, Client) {
    let mut attempt = 1;
    loop {
        let (port, native_port) = (free_port(), free_port());
        let driver = spawn_driver(data_dir, db, port, native_port);
        match connect(port).await {
            Ok(client) => return (driver, client),
            Err(e) => {
                assert!(
                    attempt < SESSION_ATTEMPTS,
                    "WebDriver session could not start after {attempt} attempts: {e}"
                );
                drop(driver);
                attempt += 1;
            }
        }
    }
}

/// How often [`start_session`] tries.
const SESSION_ATTEMPTS: u32 = 3;

async fn connect(port: u16) -> Result<Client, fantoccini::error::NewSessionError> {
    let app = app_binary();
    assert!(
        app.is_file(),
        "app binary missing: {} (run `make build`)",
        app.display()
    );
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), json!("wry"));
    caps.insert(
        "tauri:options".into(),
        json!({ "application": app.canonicalize().expect("app path") }),
    );
    ClientBuilder::native()
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
}

/// The Enter key for [`App::keys`].
pub const ENTER: &str = "\u{E007}";
/// The Escape key.
pub const ESCAPE: &str = "\u{E00C}";
/// Arrow down.
pub const ARROW_DOWN: &str = "\u{E015}";
