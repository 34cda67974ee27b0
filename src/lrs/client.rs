//! A blocking client for an xAPI learning record store: post a batch of statements, read
//! statements back, read a State document and fetch a cmi5 launch token, with the xAPI version
//! header and basic authorisation on every call.

use std::time::Duration;

use base64::Engine as _;
use serde_json::Value;

/// The xAPI version every request declares.
pub const XAPI_VERSION: &str = "1.0.3";

/// A secret (an LRS secret or an authorisation token). It prints as dots, so it cannot reach a
/// log, an error message or the screen by accident; [`Secret::expose`] is the one way to read it.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(text: impl Into<String>) -> Secret {
        Secret(text.into())
    }

    /// The secret itself, for the request that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether there is no secret.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(••••)")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() {
            "(none)"
        } else {
            "••••"
        })
    }
}

/// What the LRS made of a batch of statements.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Posted {
    /// 2xx: every statement is stored (or was already, with the same id and content).
    Stored,
    /// 409: a statement with one of these ids is stored already. Ids are deterministic, so
    /// this is a statement sent before, and counts as sent.
    Duplicate,
    /// 401 or 403: the key or secret is wrong, or lacks the right to write. Nothing in the
    /// batch is at fault; nothing is marked.
    Unauthorised {
        /// The HTTP status.
        status: u16,
        /// The LRS's reason.
        reason: String,
    },
    /// Another 4xx: the LRS refuses the batch itself (a statement it finds invalid).
    Refused {
        /// The HTTP status.
        status: u16,
        /// The LRS's reason.
        reason: String,
    },
    /// 5xx, a timeout or no connection: try again later.
    Unreachable {
        /// What happened.
        reason: String,
    },
}

/// A call that did not return what was asked for.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct LrsError(pub String);

/// One learning record store.
#[derive(Clone)]
pub struct Lrs {
    endpoint: String,
    authorization: Secret,
    agent: ureq::Agent,
}

impl std::fmt::Debug for Lrs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lrs")
            .field("endpoint", &self.endpoint)
            .field("authorization", &self.authorization)
            .finish()
    }
}

/// The LRS's answer in one line: the `message` of a JSON error body if there is one, else the
/// body's first 300 characters, else the status text.
fn reason_of(status: u16, body: &str) -> String {
    let from_json = serde_json::from_str::<Value>(body).ok().and_then(|v| {
        ["message", "detail", "error"].iter().find_map(|k| {
            v.get(k)
                .map(|m| m.as_str().map_or_else(|| m.to_string(), str::to_owned))
        })
    });
    let text = from_json.unwrap_or_else(|| body.trim().chars().take(300).collect());
    if text.is_empty() {
        format!("HTTP {status}")
    } else {
        format!("HTTP {status}: {}", text.replace(['\n', '\r'], " "))
    }
}

impl Lrs {
    /// An LRS at `endpoint` (its xAPI root, e.g. `http://127.0.0.1:8100/xAPI/`) with basic
    /// authorisation by key and secret.
    pub fn basic(endpoint: &str, key: &str, secret: &Secret) -> Lrs {
        let token =
            base64::engine::general_purpose::STANDARD.encode(format!("{key}:{}", secret.expose()));
        Lrs::with_authorization(endpoint, Secret::new(format!("Basic {token}")))
    }

    /// An LRS at `endpoint` with a ready `Authorization` header value (a cmi5 launch token).
    pub fn with_authorization(endpoint: &str, authorization: Secret) -> Lrs {
        Lrs {
            endpoint: crate::report::xapi::with_slash(endpoint),
            authorization,
            agent: agent(),
        }
    }

    /// The xAPI root, ending in `/`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Posts `batch` as one JSON array to `statements`.
    pub fn post_statements(&self, batch: &[Value]) -> Posted {
        let answer = self
            .agent
            .post(format!("{}statements", self.endpoint))
            .header("X-Experience-API-Version", XAPI_VERSION)
            .header("Authorization", self.authorization.expose())
            .send_json(batch);
        let mut response = match answer {
            Ok(r) => r,
            Err(e) => {
                return Posted::Unreachable {
                    reason: e.to_string(),
                };
            }
        };
        let status = response.status().as_u16();
        let body = response.body_mut().read_to_string().unwrap_or_default();
        match status {
            200..=299 => Posted::Stored,
            409 => Posted::Duplicate,
            401 | 403 => Posted::Unauthorised {
                status,
                reason: reason_of(status, &body),
            },
            400..=499 => Posted::Refused {
                status,
                reason: reason_of(status, &body),
            },
            _ => Posted::Unreachable {
                reason: reason_of(status, &body),
            },
        }
    }

    /// `GET` a resource under the endpoint with `query`; the JSON body, or `None` on 404.
    pub fn get(&self, resource: &str, query: &[(&str, &str)]) -> Result<Option<Value>, LrsError> {
        let url = if resource.starts_with("http://") || resource.starts_with("https://") {
            resource.to_owned()
        } else {
            // A `more` link is absolute from the server's root.
            match resource.strip_prefix('/') {
                Some(path) => format!("{}{path}", root_of(&self.endpoint)),
                None => format!("{}{resource}", self.endpoint),
            }
        };
        let mut response = self
            .agent
            .get(&url)
            .header("X-Experience-API-Version", XAPI_VERSION)
            .header("Authorization", self.authorization.expose())
            .query_pairs(query.iter().copied())
            .call()
            .map_err(|e| LrsError(format!("GET {resource}: {e}")))?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .read_to_string()
            .map_err(|e| LrsError(format!("GET {resource}: {e}")))?;
        match status {
            200..=299 => serde_json::from_str(&body)
                .map(Some)
                .map_err(|e| LrsError(format!("GET {resource}: the answer is not JSON: {e}"))),
            404 => Ok(None),
            _ => Err(LrsError(format!(
                "GET {resource}: {}",
                reason_of(status, &body)
            ))),
        }
    }

    /// Every statement matching `query`, following the LRS's `more` links.
    pub fn statements(&self, query: &[(&str, &str)]) -> Result<Vec<Value>, LrsError> {
        let mut out = Vec::new();
        let mut page = self.get("statements", query)?;
        while let Some(result) = page {
            if let Some(list) = result.get("statements").and_then(Value::as_array) {
                out.extend(list.iter().cloned());
            }
            match result.get("more").and_then(Value::as_str) {
                Some(more) if !more.is_empty() => page = self.get(more, &[])?,
                _ => break,
            }
        }
        Ok(out)
    }
}

/// `scheme://host[:port]/` of an endpoint.
fn root_of(endpoint: &str) -> String {
    let after_scheme = endpoint.find("://").map_or(0, |i| i + 3);
    match endpoint[after_scheme..].find('/') {
        Some(i) => endpoint[..after_scheme + i + 1].to_owned(),
        None => format!("{endpoint}/"),
    }
}

/// The HTTP agent: statuses are answers, not errors (a 409 is success here), and no call
/// waits longer than 20 seconds, so a dead LRS delays a flush, never hangs it.
fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(Duration::from_secs(5)))
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into()
}

/// Fetches a cmi5 launch's authorisation token: `POST` to the `fetch` URL, which answers
/// `{"auth-token": "…"}` once per launch. The token is the `Authorization` header value's
/// credentials; an error reply (`error-code`, `error-text`) is returned as the error.
pub fn fetch_token(fetch: &str) -> Result<Secret, LrsError> {
    let mut response = agent()
        .post(fetch)
        .send_empty()
        .map_err(|e| LrsError(format!("the LMS's fetch URL did not answer: {e}")))?;
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_string().unwrap_or_default();
    let json: Value = serde_json::from_str(&body).map_err(|_| {
        LrsError(format!(
            "the LMS's fetch URL answered {}, not a token",
            reason_of(status, &body)
        ))
    })?;
    if let Some(token) = json.get("auth-token").and_then(Value::as_str) {
        return Ok(Secret::new(format!("Basic {token}")));
    }
    let code = json
        .get("error-code")
        .map(Value::to_string)
        .unwrap_or_default();
    let text = json
        .get("error-text")
        .and_then(Value::as_str)
        .unwrap_or("no auth-token in the answer");
    Err(LrsError(format!(
        "the LMS refused the launch token (error {code}): {text}; launch the course again from the LMS"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_never_prints() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s}"), "••••");
        assert!(!format!("{s:?}").contains("hunter2"));
        let lrs = Lrs::basic("http://127.0.0.1:1/xAPI", "key", &s);
        let shown = format!("{lrs:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("a2V5"),
            "{shown}"
        );
        assert_eq!(lrs.endpoint(), "http://127.0.0.1:1/xAPI/");
    }

    #[test]
    fn reasons_come_from_the_body() {
        assert_eq!(
            reason_of(400, r#"{"message":"bad actor"}"#),
            "HTTP 400: bad actor"
        );
        assert_eq!(reason_of(500, ""), "HTTP 500");
        assert_eq!(reason_of(502, "bad\ngateway"), "HTTP 502: bad gateway");
        assert_eq!(root_of("http://h:8/xAPI/"), "http://h:8/");
    }

    #[test]
    fn nobody_listening_is_unreachable_not_refused() {
        // Port 1 on loopback: connection refused at once.
        let lrs = Lrs::basic("http://127.0.0.1:1/xAPI/", "k", &Secret::new("s"));
        assert!(matches!(
            lrs.post_statements(&[]),
            Posted::Unreachable { .. }
        ));
    }
}
