//! A real SMTP server for the tests (the CLI contract tests and, through `#[path]`, the
//! end-to-end tests): `tests/smtp/server.py` (aiosmtpd), started per test on a
//! free port and stopped when the handle is dropped. `make deps-test` installs aiosmtpd into
//! `~/.cache/tagungsbuero/smtp-venv` (or set `TAGUNGSBUERO_SMTP_PYTHON`).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A running test server and the folder it stores accepted messages in.
pub struct SmtpServer {
    child: Child,
    /// Port on 127.0.0.1.
    pub port: u16,
    /// Where accepted messages land (`NNNNN.eml` with `NNNNN.rcpt`).
    pub maildir: PathBuf,
}

/// The Python with aiosmtpd.
pub fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("TAGUNGSBUERO_SMTP_PYTHON") {
        return PathBuf::from(p);
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cache"));
    let python = cache.join("tagungsbuero/smtp-venv/bin/python");
    assert!(
        python.exists(),
        "{} fehlt: `make deps-test` installiert den SMTP-Testserver (aiosmtpd).",
        python.display()
    );
    python
}

impl SmtpServer {
    /// Starts a server in `mode` (accept, refuse, tempfail, drop) storing into `maildir`;
    /// `auth` is "user:password" for a server that requires a login.
    pub fn start(maildir: &Path, mode: &str, auth: Option<&str>) -> SmtpServer {
        let script = Path::new(env!("CARGO_MANIFEST_DIR"))
            .ancestors()
            .map(|dir| dir.join("tests/smtp/server.py"))
            .find(|script| script.is_file())
            .expect("tests/smtp/server.py in the workspace");
        let mut command = Command::new(python());
        command
            .arg(script)
            .arg("--maildir")
            .arg(maildir)
            .arg("--mode")
            .arg(mode)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped());
        if let Some(auth) = auth {
            command.arg("--auth").arg(auth);
        }
        let mut child = command.spawn().expect("the SMTP test server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .strip_prefix("PORT ")
            .unwrap_or_else(|| panic!("SMTP test server: {line:?}"))
            .parse()
            .unwrap();
        SmtpServer {
            child,
            port,
            maildir: maildir.to_owned(),
        }
    }

    /// The accepted messages, oldest first: (envelope recipients, raw message).
    pub fn received(&self) -> Vec<(String, Vec<u8>)> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&self.maildir)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        names.retain(|p| p.extension().is_some_and(|e| e == "eml"));
        names.sort();
        names
            .into_iter()
            .map(|p| {
                let rcpt = std::fs::read_to_string(p.with_extension("rcpt")).unwrap();
                (rcpt, std::fs::read(&p).unwrap())
            })
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
