//! Request routing and the JSON-RPC 2.0 handler. Pure functions, no sockets.

use crate::json::{self, Value};

pub const SERVICE: &str = "hero_echo";
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Runtime settings that influence responses.
#[derive(Debug, Clone)]
pub struct Config {
    /// Absolute path of the bound `rpc.sock`.
    pub socket_path: String,
    /// `HERO_ECHO_UNHEALTHY=1`: `/health` answers 503.
    pub unhealthy: bool,
}

// JSON-RPC 2.0 error codes.
pub const PARSE_ERROR: i64 = -32700;
pub const INVALID_REQUEST: i64 = -32600;
pub const METHOD_NOT_FOUND: i64 = -32601;
pub const INVALID_PARAMS: i64 = -32602;

/// Methods allowed on a known path (for 405 + `Allow`), `None` for unknown paths.
pub fn allowed_methods(path: &str) -> Option<&'static str> {
    match strip_query(path) {
        "/health" | "/openrpc.json" | "/.well-known/heroservice.json" => Some("GET"),
        "/rpc" => Some("POST"),
        _ => None,
    }
}

fn strip_query(target: &str) -> &str {
    target.split(['?', '#']).next().unwrap_or(target)
}

fn error_body(msg: &str) -> String {
    Value::object([("error", Value::str(msg))]).to_json()
}

/// Maps an HTTP request to `(status, JSON body)`. A 204 has an empty body.
pub fn route(cfg: &Config, method: &str, target: &str, body: &[u8]) -> (u16, String) {
    let path = strip_query(target);
    let Some(allowed) = allowed_methods(path) else {
        return (404, error_body("not found"));
    };
    if method != allowed {
        return (405, error_body("method not allowed"));
    }
    match path {
        "/health" => health(cfg),
        "/openrpc.json" => (200, openrpc_document().to_json()),
        "/.well-known/heroservice.json" => (200, service_descriptor(cfg).to_json()),
        "/rpc" => match handle_rpc(body) {
            Some(answer) => (200, answer),
            None => (204, String::new()),
        },
        _ => (404, error_body("not found")),
    }
}

fn health(cfg: &Config) -> (u16, String) {
    let (code, status) = if cfg.unhealthy {
        (503, "unhealthy")
    } else {
        (200, "ok")
    };
    let body = Value::object([
        ("service", Value::str(SERVICE)),
        ("status", Value::str(status)),
        ("version", Value::str(VERSION)),
    ]);
    (code, body.to_json())
}

pub fn service_descriptor(cfg: &Config) -> Value {
    Value::object([
        ("name", Value::str(SERVICE)),
        ("version", Value::str(VERSION)),
        ("protocol", Value::str("openrpc")),
        ("socket", Value::str(cfg.socket_path.clone())),
        ("openrpc", Value::str("/openrpc.json")),
        ("health", Value::str("/health")),
    ])
}

/// The OpenRPC 1.3.2 description of this service.
pub fn openrpc_document() -> Value {
    let string_schema = || Value::object([("type", Value::str("string"))]);
    let echo = Value::object([
        ("name", Value::str("echo")),
        (
            "summary",
            Value::str("Returns the given message unchanged."),
        ),
        ("paramStructure", Value::str("either")),
        (
            "params",
            Value::Array(vec![Value::object([
                ("name", Value::str("message")),
                ("description", Value::str("Text to echo back.")),
                ("required", Value::Bool(true)),
                ("schema", string_schema()),
            ])]),
        ),
        (
            "result",
            Value::object([
                ("name", Value::str("message")),
                ("description", Value::str("The same text.")),
                ("schema", string_schema()),
            ]),
        ),
        (
            "examples",
            Value::Array(vec![Value::object([
                ("name", Value::str("hello")),
                (
                    "params",
                    Value::Array(vec![Value::object([
                        ("name", Value::str("message")),
                        ("value", Value::str("hello")),
                    ])]),
                ),
                (
                    "result",
                    Value::object([
                        ("name", Value::str("message")),
                        ("value", Value::str("hello")),
                    ]),
                ),
            ])]),
        ),
    ]);
    Value::object([
        ("openrpc", Value::str("1.3.2")),
        (
            "info",
            Value::object([
                ("title", Value::str(SERVICE)),
                ("version", Value::str(VERSION)),
                (
                    "description",
                    Value::str("Example Hero service: echoes messages back."),
                ),
            ]),
        ),
        ("methods", Value::Array(vec![echo])),
    ])
}

fn rpc_error(id: Value, code: i64, message: &str) -> Value {
    Value::object([
        ("jsonrpc", Value::str("2.0")),
        ("id", id),
        (
            "error",
            Value::object([("code", Value::int(code)), ("message", Value::str(message))]),
        ),
    ])
}

/// Handles a JSON-RPC 2.0 request body (single or batch).
/// Returns `None` when no response must be sent (notifications only).
pub fn handle_rpc(body: &[u8]) -> Option<String> {
    let parsed = std::str::from_utf8(body)
        .ok()
        .and_then(|text| json::parse(text).ok());
    let Some(request) = parsed else {
        return Some(rpc_error(Value::Null, PARSE_ERROR, "Parse error").to_json());
    };
    match request {
        Value::Array(items) if items.is_empty() => {
            Some(rpc_error(Value::Null, INVALID_REQUEST, "Invalid Request").to_json())
        }
        Value::Array(items) => {
            let answers: Vec<Value> = items.iter().filter_map(handle_one).collect();
            if answers.is_empty() {
                None
            } else {
                Some(Value::Array(answers).to_json())
            }
        }
        single => handle_one(&single).map(|v| v.to_json()),
    }
}

fn handle_one(req: &Value) -> Option<Value> {
    if !matches!(req, Value::Object(_)) {
        return Some(rpc_error(Value::Null, INVALID_REQUEST, "Invalid Request"));
    }
    let id = req.get("id");
    let id_value = match id {
        None => Value::Null,
        Some(v @ (Value::Null | Value::Number(_) | Value::String(_))) => v.clone(),
        Some(_) => {
            return Some(rpc_error(
                Value::Null,
                INVALID_REQUEST,
                "Invalid Request: bad id",
            ))
        }
    };
    if req.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return Some(rpc_error(
            id_value,
            INVALID_REQUEST,
            "Invalid Request: jsonrpc must be \"2.0\"",
        ));
    }
    let Some(method) = req.get("method").and_then(Value::as_str) else {
        return Some(rpc_error(
            id_value,
            INVALID_REQUEST,
            "Invalid Request: method must be a string",
        ));
    };
    let outcome = dispatch(method, req.get("params"));
    // A request without an "id" member is a notification: never answered.
    id?;
    Some(match outcome {
        Ok(result) => Value::object([
            ("jsonrpc", Value::str("2.0")),
            ("id", id_value),
            ("result", result),
        ]),
        Err((code, message)) => rpc_error(id_value, code, message),
    })
}

fn dispatch(method: &str, params: Option<&Value>) -> Result<Value, (i64, &'static str)> {
    match method {
        "echo" => echo(params).map(Value::str),
        "rpc.discover" => Ok(openrpc_document()),
        _ => Err((METHOD_NOT_FOUND, "Method not found")),
    }
}

fn echo(params: Option<&Value>) -> Result<String, (i64, &'static str)> {
    const BAD: (i64, &str) = (
        INVALID_PARAMS,
        "Invalid params: expected {\"message\": string} or [string]",
    );
    match params {
        Some(obj @ Value::Object(_)) => match obj.get("message") {
            Some(Value::String(m)) => Ok(m.clone()),
            _ => Err(BAD),
        },
        Some(Value::Array(items)) => match items.as_slice() {
            [Value::String(m)] => Ok(m.clone()),
            _ => Err(BAD),
        },
        _ => Err(BAD),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> Config {
        Config {
            socket_path: "/tmp/x/hero_echo/rpc.sock".into(),
            unhealthy: false,
        }
    }

    fn rpc(body: &str) -> (u16, Value) {
        let (status, text) = route(&cfg(), "POST", "/rpc", body.as_bytes());
        let v = if text.is_empty() {
            Value::Null
        } else {
            json::parse(&text).unwrap()
        };
        (status, v)
    }

    fn error_code(v: &Value) -> Option<String> {
        match v.get("error")?.get("code")? {
            Value::Number(n) => Some(n.clone()),
            _ => None,
        }
    }

    #[test]
    fn health_ok_and_unhealthy() {
        assert_eq!(
            route(&cfg(), "GET", "/health", b""),
            (
                200,
                r#"{"service":"hero_echo","status":"ok","version":"0.1.0"}"#.to_string()
            )
        );
        let sick = Config {
            unhealthy: true,
            ..cfg()
        };
        assert_eq!(
            route(&sick, "GET", "/health", b""),
            (
                503,
                r#"{"service":"hero_echo","status":"unhealthy","version":"0.1.0"}"#.to_string()
            )
        );
        assert_eq!(route(&cfg(), "GET", "/health?verbose=1", b"").0, 200);
    }

    #[test]
    fn discovery_documents() {
        let (status, body) = route(&cfg(), "GET", "/.well-known/heroservice.json", b"");
        assert_eq!(status, 200);
        assert_eq!(
            body,
            r#"{"name":"hero_echo","version":"0.1.0","protocol":"openrpc","socket":"/tmp/x/hero_echo/rpc.sock","openrpc":"/openrpc.json","health":"/health"}"#
        );

        let (status, body) = route(&cfg(), "GET", "/openrpc.json", b"");
        assert_eq!(status, 200);
        let doc = json::parse(&body).unwrap();
        assert_eq!(doc.get("openrpc").and_then(Value::as_str), Some("1.3.2"));
        let info = doc.get("info").unwrap();
        assert_eq!(info.get("title").and_then(Value::as_str), Some("hero_echo"));
        assert_eq!(info.get("version").and_then(Value::as_str), Some("0.1.0"));
        let Some(Value::Array(methods)) = doc.get("methods") else {
            panic!("methods")
        };
        assert_eq!(methods.len(), 1);
        assert_eq!(methods[0].get("name").and_then(Value::as_str), Some("echo"));
        let Some(Value::Array(params)) = methods[0].get("params") else {
            panic!("params")
        };
        assert_eq!(params.len(), 1);
        assert_eq!(
            params[0].get("name").and_then(Value::as_str),
            Some("message")
        );
        assert_eq!(
            params[0]
                .get("schema")
                .unwrap()
                .get("type")
                .and_then(Value::as_str),
            Some("string")
        );
        let result = methods[0].get("result").unwrap();
        assert!(result.get("name").is_some());
        assert_eq!(
            result
                .get("schema")
                .unwrap()
                .get("type")
                .and_then(Value::as_str),
            Some("string")
        );
    }

    #[test]
    fn not_found_and_wrong_method() {
        assert_eq!(
            route(&cfg(), "GET", "/nope", b""),
            (404, r#"{"error":"not found"}"#.to_string())
        );
        assert_eq!(route(&cfg(), "POST", "/nope", b"{}").0, 404);
        assert_eq!(route(&cfg(), "POST", "/health", b"").0, 405);
        assert_eq!(route(&cfg(), "DELETE", "/openrpc.json", b"").0, 405);
        assert_eq!(route(&cfg(), "GET", "/rpc", b"").0, 405);
        assert_eq!(allowed_methods("/rpc"), Some("POST"));
        assert_eq!(allowed_methods("/health"), Some("GET"));
        assert_eq!(allowed_methods("/x"), None);
    }

    #[test]
    fn echo_named_and_positional() {
        let (status, body) = route(
            &cfg(),
            "POST",
            "/rpc",
            br#"{"jsonrpc":"2.0","id":1,"method":"echo","params":{"message":"hi"}}"#,
        );
        assert_eq!(
            (status, body.as_str()),
            (200, r#"{"jsonrpc":"2.0","id":1,"result":"hi"}"#)
        );

        let (_, body) = route(
            &cfg(),
            "POST",
            "/rpc",
            br#"{"jsonrpc":"2.0","id":"abc-7","method":"echo","params":["a \"q\" \u00e9 \ud83d\ude00\n"]}"#,
        );
        assert_eq!(
            body,
            "{\"jsonrpc\":\"2.0\",\"id\":\"abc-7\",\"result\":\"a \\\"q\\\" é 😀\\n\"}"
        );
    }

    #[test]
    fn id_is_preserved_exactly() {
        for id in [
            "0",
            "-5",
            "1.50",
            "1e3",
            "123456789012345678901234567890",
            "\"x\\\"y\"",
            "null",
        ] {
            let body = format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"echo","params":["m"]}}"#);
            let (_, text) = route(&cfg(), "POST", "/rpc", body.as_bytes());
            assert_eq!(
                text,
                format!(r#"{{"jsonrpc":"2.0","id":{id},"result":"m"}}"#)
            );
        }
    }

    #[test]
    fn rpc_errors() {
        let (s, v) = rpc("{not json");
        assert_eq!(s, 200);
        assert_eq!(error_code(&v).as_deref(), Some("-32700"));
        assert_eq!(v.get("id"), Some(&Value::Null));

        let (_, v) = rpc(r#"{"jsonrpc":"2.0","id":2,"method":"nope"}"#);
        assert_eq!(error_code(&v).as_deref(), Some("-32601"));
        assert_eq!(v.get("id"), Some(&Value::int(2)));

        for params in [
            "",
            r#","params":{}"#,
            r#","params":{"message":5}"#,
            r#","params":[]"#,
            r#","params":[1]"#,
            r#","params":["a","b"]"#,
            r#","params":"x""#,
        ] {
            let (_, v) = rpc(&format!(
                r#"{{"jsonrpc":"2.0","id":3,"method":"echo"{params}}}"#
            ));
            assert_eq!(error_code(&v).as_deref(), Some("-32602"), "params {params}");
        }

        for bad in [
            r#"{"id":4,"method":"echo"}"#,
            r#"{"jsonrpc":"1.0","id":4,"method":"echo"}"#,
            r#"{"jsonrpc":"2.0","id":4,"method":7}"#,
            "42",
            "[]",
        ] {
            let (_, v) = rpc(bad);
            assert_eq!(error_code(&v).as_deref(), Some("-32600"), "{bad}");
        }
        let (_, v) = rpc(r#"{"jsonrpc":"2.0","id":{"a":1},"method":"echo"}"#);
        assert_eq!(v.get("id"), Some(&Value::Null));

        let (_, v) = rpc(&String::from_utf8_lossy(b"\xff"));
        assert_eq!(error_code(&v).as_deref(), Some("-32700"));
        assert_eq!(
            handle_rpc(b"\xff\xfe").map(|s| s.contains("-32700")),
            Some(true)
        );
    }

    #[test]
    fn notifications_get_204() {
        assert_eq!(
            route(
                &cfg(),
                "POST",
                "/rpc",
                br#"{"jsonrpc":"2.0","method":"echo","params":["x"]}"#
            ),
            (204, String::new())
        );
        // Even unknown methods: notifications are never answered.
        assert_eq!(
            route(
                &cfg(),
                "POST",
                "/rpc",
                br#"{"jsonrpc":"2.0","method":"zzz"}"#
            )
            .0,
            204
        );
    }

    #[test]
    fn batches() {
        let (s, v) = rpc(r#"[{"jsonrpc":"2.0","id":1,"method":"echo","params":["a"]},
                {"jsonrpc":"2.0","method":"echo","params":["n"]},
                {"jsonrpc":"2.0","id":2,"method":"x"}]"#);
        assert_eq!(s, 200);
        assert_eq!(
            v.to_json(),
            r#"[{"jsonrpc":"2.0","id":1,"result":"a"},{"jsonrpc":"2.0","id":2,"error":{"code":-32601,"message":"Method not found"}}]"#
        );
        assert_eq!(
            rpc(r#"[{"jsonrpc":"2.0","method":"echo","params":["n"]}]"#).0,
            204
        );
    }
}
