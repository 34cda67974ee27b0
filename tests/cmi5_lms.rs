//! A small fake LMS for the cmi5 tests: a thread on 127.0.0.1 that answers the one-time fetch
//! URLs (`POST /fetch/N`: the token the first time, cmi5's error JSON after), serves each
//! registration's `LMS.LaunchData` (ralph has no State API), and passes every other xAPI
//! request through to the LRS behind it, as an LMS's own xAPI listener does. It can be told to
//! answer statements with 503, as an LRS that goes down in the middle of a session.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use serde_json::{Value, json};

/// What the LMS knows and does.
#[derive(Default)]
struct State {
    /// `user:secret` of the LRS behind, base64 (the auth-token).
    token: String,
    /// How often each fetch path was asked.
    fetched: HashMap<String, u32>,
    /// Fetch paths handed out.
    issued: u32,
    /// LMS.LaunchData per registration.
    launch_data: HashMap<String, Value>,
    /// The learner's `languagePreference` (the cmi5LearnerPreferences agent profile).
    language: Option<String>,
    /// Statement posts to let through before answering 503 (`None`: all).
    statements_allowed: Option<u32>,
    /// Every request, as `METHOD path`.
    seen: Vec<String>,
}

/// The fake LMS.
pub struct FakeLms {
    port: u16,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
}

/// A launch as the LMS sets it up.
pub struct Setup<'a> {
    /// The AU's url from the course structure (`dunningdojo://play/test_call`).
    pub au: &'a str,
    /// The learner's registration.
    pub registration: &'a str,
    /// The AU's activity id.
    pub activity_id: &'a str,
    /// The session id.
    pub session: &'a str,
    /// `Normal`, `Browse` or `Review`.
    pub launch_mode: &'a str,
    /// The mastery score.
    pub mastery: Option<f64>,
    /// The learner's language preference the LMS keeps (`None`: no preferences document).
    pub language: Option<&'a str>,
}

/// The learner as this LMS names them.
pub fn actor() -> Value {
    json!({
        "objectType": "Agent",
        "name": "Li Lei",
        "account": { "homePage": "https://lms.example.com", "name": "learner-42" },
    })
}

/// The publisher id of an AU (from the course structure), in every context template.
pub const PUBLISHER_AU: &str = "https://dunning-dojo.invalid/xapi/au/scenarios/test_call";

impl FakeLms {
    /// Starts the LMS in front of the LRS at `lrs_port` (0: none; xAPI requests then fail)
    /// whose key and secret are `credentials` (`key:secret`).
    pub fn start(lrs_port: u16, credentials: &str) -> FakeLms {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port for the LMS");
        let port = listener.local_addr().expect("its address").port();
        let state = Arc::new(Mutex::new(State {
            token: base64::engine::general_purpose::STANDARD.encode(credentials),
            ..State::default()
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let (s, halt) = (state.clone(), stop.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if halt.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(conn) = conn {
                    let s = s.clone();
                    std::thread::spawn(move || answer(conn, &s, lrs_port));
                }
            }
        });
        FakeLms { port, state, stop }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().expect("the LMS's state is not poisoned")
    }

    /// The LMS's xAPI listener.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}/xAPI/", self.port)
    }

    /// Writes the launch data of `setup` (unless `with_state` is false) and returns the URL
    /// the LMS launches, with a fresh one-time fetch URL.
    pub fn launch(&self, setup: &Setup<'_>, with_state: bool) -> String {
        let mut st = self.state();
        st.issued += 1;
        st.language = setup.language.map(str::to_owned);
        let fetch = format!("http://127.0.0.1:{}/fetch/{}?k=x", self.port, st.issued);
        if with_state {
            let mut doc = json!({
                "contextTemplate": {
                    "contextActivities": { "grouping": [{ "id": PUBLISHER_AU }] },
                    "extensions": {
                        "https://w3id.org/xapi/cmi5/context/extensions/sessionid": setup.session,
                    },
                },
                "launchMode": setup.launch_mode,
                "moveOn": "CompletedAndPassed",
                "returnURL": "https://lms.example.com/course/7",
            });
            if let Some(m) = setup.mastery {
                doc["masteryScore"] = json!(m);
            }
            st.launch_data.insert(setup.registration.to_owned(), doc);
        }
        let enc =
            |s: &str| -> String { url::form_urlencoded::byte_serialize(s.as_bytes()).collect() };
        let join = if setup.au.contains('?') { '&' } else { '?' };
        format!(
            "{}{join}endpoint={}&fetch={}&actor={}&registration={}&activityId={}",
            setup.au,
            enc(&self.endpoint()),
            enc(&fetch),
            enc(&actor().to_string()),
            enc(setup.registration),
            enc(setup.activity_id),
        )
    }

    /// From now on, let `n` more statement posts through, then answer 503.
    pub fn fail_statements_after(&self, n: u32) {
        self.state().statements_allowed = Some(n);
    }

    /// How many times the fetch URLs were asked, in all.
    pub fn fetches(&self) -> u32 {
        self.state().fetched.values().sum()
    }

    /// Every request seen, as `METHOD path`.
    pub fn seen(&self) -> Vec<String> {
        self.state().seen.clone()
    }
}

impl Drop for FakeLms {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accepting thread so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// One HTTP request: method, target, headers, body.
struct Request {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn read_request(conn: &TcpStream) -> Option<Request> {
    let mut reader = BufReader::new(conn.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next()?.to_owned(), parts.next()?.to_owned());
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (k, v) = h.split_once(':')?;
        headers.push((k.trim().to_owned(), v.trim().to_owned()));
    }
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    assert!(
        header("transfer-encoding").is_none(),
        "the fake LMS reads bodies by Content-Length only"
    );
    let length: usize = header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Request {
        method,
        target,
        headers,
        body,
    })
}

fn respond(conn: &mut TcpStream, status: &str, body: &Value) {
    let text = body.to_string();
    let _ = write!(
        conn,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    );
}

fn query_of(target: &str) -> HashMap<String, String> {
    let query = target.split_once('?').map_or("", |(_, q)| q);
    url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

fn answer(mut conn: TcpStream, state: &Mutex<State>, lrs_port: u16) {
    let Some(req) = read_request(&conn) else {
        return;
    };
    let path = req.target.split('?').next().unwrap_or_default().to_owned();
    let mut st = state.lock().expect("the LMS's state is not poisoned");
    st.seen.push(format!("{} {path}", req.method));
    if path.starts_with("/fetch/") && req.method == "POST" {
        let n = st.fetched.entry(path).or_insert(0);
        *n += 1;
        let body = if *n == 1 {
            json!({ "auth-token": st.token })
        } else {
            json!({ "error-code": "1", "error-text": "The authorization token has already been returned." })
        };
        drop(st);
        return respond(&mut conn, "200 OK", &body);
    }
    if path == "/xAPI/activities/state" && req.method == "GET" {
        let q = query_of(&req.target);
        let asked = q.get("stateId").map(String::as_str) == Some("LMS.LaunchData")
            && q.contains_key("activityId")
            && q.get("agent")
                .and_then(|a| serde_json::from_str::<Value>(a).ok())
                == Some(actor());
        let doc = q
            .get("registration")
            .and_then(|r| st.launch_data.get(r))
            .filter(|_| asked)
            .cloned();
        drop(st);
        return match doc {
            Some(d) => respond(&mut conn, "200 OK", &d),
            None => respond(
                &mut conn,
                "404 Not Found",
                &json!({ "message": "no such document" }),
            ),
        };
    }
    if path == "/xAPI/agents/profile" && req.method == "GET" {
        let q = query_of(&req.target);
        let doc = st
            .language
            .clone()
            .filter(|_| q.get("profileId").map(String::as_str) == Some("cmi5LearnerPreferences"));
        drop(st);
        return match doc {
            Some(l) => respond(
                &mut conn,
                "200 OK",
                &json!({ "languagePreference": l, "audioPreference": "off" }),
            ),
            None => respond(
                &mut conn,
                "404 Not Found",
                &json!({ "message": "no profile" }),
            ),
        };
    }
    if path.starts_with("/xAPI/statements")
        && req.method == "POST"
        && let Some(n) = st.statements_allowed.as_mut()
    {
        if *n == 0 {
            drop(st);
            return respond(
                &mut conn,
                "503 Service Unavailable",
                &json!({ "message": "down" }),
            );
        }
        *n -= 1;
    }
    drop(st);
    if lrs_port == 0 {
        return respond(
            &mut conn,
            "502 Bad Gateway",
            &json!({ "message": "no LRS" }),
        );
    }
    forward(&mut conn, &req, lrs_port);
}

/// Passes `req` to the LRS and its answer back, each connection closed after one exchange.
fn forward(conn: &mut TcpStream, req: &Request, lrs_port: u16) {
    let Ok(mut lrs) = TcpStream::connect(("127.0.0.1", lrs_port)) else {
        return respond(conn, "502 Bad Gateway", &json!({ "message": "LRS down" }));
    };
    let mut head = format!(
        "{} {} HTTP/1.1\r\nHost: 127.0.0.1:{lrs_port}\r\n",
        req.method, req.target
    );
    for (k, v) in &req.headers {
        if !["host", "connection", "keep-alive"].contains(&k.to_ascii_lowercase().as_str()) {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
    }
    head.push_str("Connection: close\r\n\r\n");
    let mut answer = Vec::new();
    let sent = lrs
        .write_all(head.as_bytes())
        .and_then(|()| lrs.write_all(&req.body))
        .and_then(|()| lrs.read_to_end(&mut answer));
    if sent.is_err() {
        return respond(conn, "502 Bad Gateway", &json!({ "message": "LRS failed" }));
    }
    // The LRS's own head, told that this connection closes.
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(answer.len());
    let head = String::from_utf8_lossy(&answer[..split]).into_owned();
    let mut out: String = head
        .lines()
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .map(|l| format!("{l}\r\n"))
        .collect();
    out.push_str("Connection: close\r\n");
    let _ = conn
        .write_all(out.as_bytes())
        .and_then(|()| conn.write_all(answer.get(split + 2..).unwrap_or_default()));
}
