//! A real learning record store for the tests: ralph (the open-source LRS, Python package
//! `ralph-malph`) with its file backend, started on a free loopback port in a temporary folder.
//! Where ralph is not installed the tests that need it say so and skip, except where
//! `DOJO_REQUIRE_LRS=1` or `CI` is set (CI installs it), where they fail. The server is started
//! through `tests/fixtures/lrs/ralph_server.py`, which says why.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use dunning_dojo::lrs::{Lrs, Secret};
use serde_json::Value;

/// The user ralph is started with.
pub const KEY: &str = "trainer";
/// Its secret (letters and digits: the game tour types it key by key).
pub const SECRET: &str = "s3cret4tests";

/// A running ralph; stopped when dropped.
pub struct Ralph {
    child: Option<Child>,
    /// The loopback port it listens on.
    pub port: u16,
    dir: tempfile::TempDir,
}

fn required() -> bool {
    std::env::var("DOJO_REQUIRE_LRS").is_ok_and(|v| v == "1") || std::env::var("CI").is_ok()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// `program` with ralph's settings for the file backend in `dir`.
fn ralph(program: &str, dir: &Path) -> Command {
    let mut c = Command::new(program);
    c.env("RALPH_RUNSERVER_BACKEND", "fs")
        .env("RALPH_AUTH_FILE", dir.join("auth.json"))
        .env(
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH",
            dir.join("data"),
        )
        .stdin(Stdio::null());
    c
}

impl Ralph {
    /// Starts ralph, or `None` (with the reason on stderr) when it is not installed and not
    /// required.
    pub fn start() -> Option<Ralph> {
        let dir = tempfile::tempdir().expect("a temp dir");
        std::fs::create_dir_all(dir.path().join("data")).expect("the data folder");
        // `python3 -m ralph`, not `ralph`: the same interpreter that serves it, whether or not
        // the console script is on PATH (pyenv adds it only after a rehash).
        let made = ralph("python3", dir.path())
            .args(["-m", "ralph", "auth", "-u", KEY, "-p", SECRET, "-s", "all"])
            .args(["-M", "mailto:trainer@example.com", "-w"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output();
        match made {
            Ok(o) if o.status.success() => {}
            other => {
                let why = match other {
                    Ok(o) => String::from_utf8_lossy(&o.stderr).into_owned(),
                    Err(e) => e.to_string(),
                };
                assert!(
                    !required(),
                    "ralph (the LRS) is required here but does not run: {why}"
                );
                eprintln!(
                    "skipped: ralph, the LRS these tests send to, is not installed ({why}); `pip install \"ralph-malph[cli,lrs]\" requests` installs it"
                );
                return None;
            }
        }
        let mut r = Ralph {
            child: None,
            port: free_port(),
            dir,
        };
        r.resume();
        Some(r)
    }

    /// Starts (again) on the same port and data folder, and waits until it answers.
    pub fn resume(&mut self) {
        let log = std::fs::File::create(self.dir.path().join("server.log")).expect("a log");
        let script = crate::support::fixture("lrs/ralph_server.py");
        let child = ralph("python3", self.dir.path())
            .arg(script)
            .arg(self.port.to_string())
            .stdout(log.try_clone().expect("the log again"))
            .stderr(log)
            .spawn()
            .expect("python3 starts ralph's server");
        self.child = Some(child);
        let started = Instant::now();
        while self.client().get("statements", &[("limit", "1")]).is_err() {
            let exited = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten());
            assert!(
                exited.is_none() && started.elapsed() < Duration::from_secs(60),
                "ralph did not answer within a minute ({exited:?}): {}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Stops it (the data folder stays).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Its xAPI root.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}/xAPI/", self.port)
    }

    /// A client with the right credentials.
    pub fn client(&self) -> Lrs {
        Lrs::basic(&self.endpoint(), KEY, &Secret::new(SECRET))
    }

    /// Every statement it stores.
    pub fn statements(&self) -> Vec<Value> {
        self.client()
            .statements(&[("limit", "500")])
            .expect("ralph lists its statements")
    }

    /// What it logged.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }
}

impl Drop for Ralph {
    fn drop(&mut self) {
        self.stop();
    }
}
