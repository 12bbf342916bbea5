//! The sockets: HTTP/1.1 (one request per connection) on each Unix socket and on an HTTP TCP port; RESP PING on
//! a RESP port.

use crate::needs::Speaks;
use crate::Identity;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;
use std::sync::Arc;
use std::thread;

/// Binds a socket file, replacing a stale one but refusing when a live server answers there.
pub fn bind_unix(path: &Path) -> Result<UnixListener, String> {
    if path.symlink_metadata().is_ok() {
        if UnixStream::connect(path).is_ok() {
            return Err(format!("{} is held by a live server", path.display()));
        }
        std::fs::remove_file(path).map_err(|e| format!("cannot remove stale {}: {e}", path.display()))?;
    }
    let l = UnixListener::bind(path).map_err(|e| format!("cannot bind {}: {e}", path.display()))?;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o660));
    Ok(l)
}

pub fn bind_tcp(addr: &str, port: u16) -> Result<TcpListener, String> {
    let host = if addr.contains(':') { format!("[{addr}]") } else { addr.to_string() };
    TcpListener::bind(format!("{host}:{port}")).map_err(|e| format!("cannot listen on {host}:{port}: {e}"))
}

struct Me {
    binary: String,
    service: String,
    role: String,
    folder: String,
}

pub fn run_forever(id: &Identity, folder: &Path, unix: Vec<UnixListener>, tcp: Option<(TcpListener, Speaks)>) {
    let me = Arc::new(Me {
        binary: id.binary.clone(),
        service: folder.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default(),
        role: format!("{:?}", id.role).to_lowercase(),
        folder: folder.display().to_string(),
    });
    let mut threads = Vec::new();
    for l in unix {
        let me = Arc::clone(&me);
        threads.push(thread::spawn(move || {
            for s in l.incoming().flatten() {
                let me = Arc::clone(&me);
                thread::spawn(move || http(&me, s));
            }
        }));
    }
    if let Some((l, speaks)) = tcp {
        let me = Arc::clone(&me);
        threads.push(thread::spawn(move || {
            for s in l.incoming().flatten() {
                let me = Arc::clone(&me);
                thread::spawn(move || match speaks {
                    Speaks::Http => http(&me, s),
                    Speaks::Resp => resp(s),
                });
            }
        }));
    }
    for t in threads {
        let _ = t.join();
    }
}

/// Answers `+PONG` to each PING line of a RESP conversation, an error to anything else.
fn resp<S: Read + Write>(s: S) {
    let mut r = BufReader::new(s);
    let mut line = String::new();
    while r.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
        let word = line.trim().to_ascii_uppercase();
        let answer: &[u8] = if word == "PING" {
            b"+PONG\r\n"
        } else if word.starts_with('*') || word.starts_with('$') {
            b""
        } else {
            b"-ERR hero_standin speaks PING only\r\n"
        };
        if r.get_mut().write_all(answer).is_err() {
            return;
        }
        line.clear();
    }
}

fn http<S: Read + Write>(me: &Me, s: S) {
    let mut r = BufReader::new(s);
    let mut request = String::new();
    if r.read_line(&mut request).is_err() {
        return;
    }
    let mut length = 0usize;
    loop {
        let mut h = String::new();
        if r.read_line(&mut h).map(|n| n == 0).unwrap_or(true) || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            if k.trim().eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap_or(0).min(1 << 20);
            }
        }
    }
    let mut body = vec![0u8; length];
    if r.read_exact(&mut body).is_err() {
        return;
    }
    let mut parts = request.split_whitespace();
    let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let (status, answer) = route(me, method, path, &String::from_utf8_lossy(&body));
    let reason = if status == 200 { "OK" } else { "Not Found" };
    let out = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
        answer.len()
    );
    let _ = r.get_mut().write_all(out.as_bytes());
}

fn route(me: &Me, method: &str, path: &str, body: &str) -> (u16, String) {
    match (method, path) {
        ("GET", "/health") => (200, health(me)),
        ("GET", "/openrpc.json") => (200, openrpc(me)),
        ("GET", "/.well-known/heroservice.json") => (
            200,
            format!(
                r#"{{"service_id":"{}","binary":"{}","role":"{}","socket_dir":"{}","protocol":"openrpc"}}"#,
                me.service, me.binary, me.role, me.folder
            ),
        ),
        ("POST", "/rpc") => (200, rpc(me, body)),
        _ => (404, r#"{"error":"not found"}"#.to_string()),
    }
}

fn health(me: &Me) -> String {
    format!(r#"{{"service":"{}","status":"ok","version":"0.0.1"}}"#, me.binary)
}

fn openrpc(me: &Me) -> String {
    format!(
        r#"{{"openrpc":"1.3.2","info":{{"title":"{}","version":"0.0.1"}},"methods":[{{"name":"rpc.discover","params":[],"result":{{"name":"doc","schema":{{"type":"object"}}}}}},{{"name":"rpc.health","params":[],"result":{{"name":"health","schema":{{"type":"object"}}}}}}]}}"#,
        me.binary
    )
}

/// A JSON-RPC 2.0 call, read without a JSON parser: the method and id are found by their keys.
fn rpc(me: &Me, body: &str) -> String {
    let id = value_after(body, "\"id\"").unwrap_or("null");
    let method = value_after(body, "\"method\"").unwrap_or("").trim_matches('"');
    match method {
        "rpc.discover" => format!(r#"{{"jsonrpc":"2.0","id":{id},"result":{}}}"#, openrpc(me)),
        "rpc.health" => format!(r#"{{"jsonrpc":"2.0","id":{id},"result":{}}}"#, health(me)),
        _ => format!(r#"{{"jsonrpc":"2.0","id":{id},"error":{{"code":-32601,"message":"method not found: {method}"}}}}"#),
    }
}

fn value_after<'a>(body: &'a str, key: &str) -> Option<&'a str> {
    let rest = body[body.find(key)? + key.len()..].trim_start().strip_prefix(':')?.trim_start();
    let end = if rest.starts_with('"') {
        rest[1..].find('"').map(|i| i + 2)?
    } else {
        rest.find([',', '}']).unwrap_or(rest.len())
    };
    Some(rest[..end].trim())
}
