//! Minimal HTTP/1.1 request reader and response writer.

use std::io::{self, BufRead, Read, Write};

/// Largest accepted request body.
pub const MAX_BODY: usize = 1 << 20;
/// Largest accepted request line / header line.
const MAX_LINE: u64 = 8 * 1024;
/// Most header lines accepted per request.
const MAX_HEADERS: usize = 100;

#[derive(Debug)]
pub struct Request {
    pub method: String,
    pub target: String,
    pub keep_alive: bool,
    /// Whether the request carried a Content-Length header.
    pub has_length: bool,
    pub body: Vec<u8>,
}

#[derive(Debug)]
pub enum ReadError {
    /// The peer closed the connection (or went idle / failed) between requests.
    Closed,
    /// Protocol error: answer with this status and close the connection.
    /// Carries method and target when they were already known (for logging).
    Reject {
        status: u16,
        method: String,
        target: String,
    },
}

fn reject(status: u16, method: &str, target: &str) -> ReadError {
    ReadError::Reject {
        status,
        method: method.to_string(),
        target: target.to_string(),
    }
}

/// Reads one line (without the trailing CRLF/LF). `Ok(None)` on clean EOF.
/// `Err(true)` when the line is too long, `Err(false)` on I/O error / EOF mid-line.
fn read_line<R: BufRead>(r: &mut R) -> Result<Option<String>, bool> {
    let mut buf = Vec::new();
    let n = r
        .by_ref()
        .take(MAX_LINE + 1)
        .read_until(b'\n', &mut buf)
        .map_err(|_| false)?;
    if n == 0 {
        return Ok(None);
    }
    if buf.last() != Some(&b'\n') {
        return Err(buf.len() as u64 > MAX_LINE);
    }
    buf.pop();
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    // Header bytes outside UTF-8 (obs-text) are tolerated, lossily.
    Ok(Some(String::from_utf8_lossy(&buf).into_owned()))
}

/// Reads the next request from `r`. `w` is only used for `100 Continue`.
pub fn read_request<R: BufRead, W: Write>(r: &mut R, w: &mut W) -> Result<Request, ReadError> {
    // Request line; tolerate a few stray empty lines between requests.
    let mut line = String::new();
    for _ in 0..4 {
        match read_line(r) {
            Ok(Some(l)) if l.is_empty() => continue,
            Ok(Some(l)) => {
                line = l;
                break;
            }
            Ok(None) | Err(false) => return Err(ReadError::Closed),
            Err(true) => return Err(reject(414, "-", "-")),
        }
    }
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(reject(400, "-", "-"));
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic()) || target.is_empty() {
        return Err(reject(400, "-", "-"));
    }
    let http11 = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        v if v.starts_with("HTTP/") => return Err(reject(505, method, target)),
        _ => return Err(reject(400, method, target)),
    };

    let mut content_length: Option<usize> = None;
    let mut chunked = false;
    let mut conn_close = false;
    let mut conn_keep_alive = false;
    let mut expect_continue = false;
    let mut count = 0;
    loop {
        let line = match read_line(r) {
            Ok(Some(l)) => l,
            Ok(None) | Err(false) => return Err(ReadError::Closed),
            Err(true) => return Err(reject(431, method, target)),
        };
        if line.is_empty() {
            break;
        }
        count += 1;
        if count > MAX_HEADERS {
            return Err(reject(431, method, target));
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(reject(400, method, target));
        };
        if name.is_empty() || name.ends_with([' ', '\t']) {
            return Err(reject(400, method, target));
        }
        let value = value.trim_matches([' ', '\t']);
        match name.to_ascii_lowercase().as_str() {
            "content-length" => {
                let Ok(n) = value.parse::<u64>() else {
                    return Err(reject(400, method, target));
                };
                let n = usize::try_from(n).unwrap_or(usize::MAX);
                if content_length.is_some_and(|old| old != n) {
                    return Err(reject(400, method, target));
                }
                content_length = Some(n);
            }
            "transfer-encoding" => chunked = true,
            "connection" => {
                for token in value.split(',') {
                    let token = token.trim();
                    if token.eq_ignore_ascii_case("close") {
                        conn_close = true;
                    } else if token.eq_ignore_ascii_case("keep-alive") {
                        conn_keep_alive = true;
                    }
                }
            }
            "expect" => expect_continue = value.eq_ignore_ascii_case("100-continue"),
            _ => {}
        }
    }

    if chunked {
        // No chunked decoding here: we insist on Content-Length.
        return Err(reject(411, method, target));
    }
    // Without Content-Length (and Transfer-Encoding) the body is empty; the
    // caller decides whether that deserves a 411 (POST on a known path).
    let length = content_length.unwrap_or(0);
    if length > MAX_BODY {
        return Err(reject(413, method, target));
    }
    if expect_continue && http11 && length > 0 {
        let _ = w
            .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
            .and_then(|_| w.flush());
    }
    let mut body = vec![0u8; length];
    if r.read_exact(&mut body).is_err() {
        return Err(ReadError::Closed);
    }
    let keep_alive = if http11 {
        !conn_close
    } else {
        conn_keep_alive && !conn_close
    };
    Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
        keep_alive,
        has_length: content_length.is_some(),
        body,
    })
}

pub fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        411 => "Length Required",
        413 => "Content Too Large",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    }
}

/// Writes a complete response. 204 responses carry neither body nor
/// Content-Length/Content-Type (RFC 9110 §8.6); everything else is JSON
/// with an explicit Content-Length.
pub fn write_response<W: Write>(
    w: &mut W,
    status: u16,
    body: &str,
    keep_alive: bool,
    allow: Option<&str>,
) -> io::Result<()> {
    let mut out = format!("HTTP/1.1 {} {}\r\n", status, reason(status));
    if status != 204 {
        out.push_str("Content-Type: application/json\r\n");
        out.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    if let Some(allow) = allow {
        out.push_str(&format!("Allow: {allow}\r\n"));
    }
    out.push_str(if keep_alive {
        "Connection: keep-alive\r\n"
    } else {
        "Connection: close\r\n"
    });
    out.push_str("\r\n");
    if status != 204 {
        out.push_str(body);
    }
    w.write_all(out.as_bytes())?;
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn read(raw: &str) -> Result<Request, ReadError> {
        let mut sink = Vec::new();
        read_request(&mut Cursor::new(raw.as_bytes().to_vec()), &mut sink)
    }

    fn status_of(raw: &str) -> u16 {
        match read(raw) {
            Err(ReadError::Reject { status, .. }) => status,
            other => panic!("expected rejection, got {other:?}"),
        }
    }

    #[test]
    fn simple_get_and_keepalive_rules() {
        let r = read("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        assert_eq!(
            (r.method.as_str(), r.target.as_str(), r.keep_alive),
            ("GET", "/health", true)
        );
        assert!(
            !read("GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
                .unwrap()
                .keep_alive
        );
        assert!(!read("GET / HTTP/1.0\r\n\r\n").unwrap().keep_alive);
        assert!(
            read("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")
                .unwrap()
                .keep_alive
        );
        assert!(
            read("GET / HTTP/1.1\nHost: x\n\n").is_ok(),
            "bare LF tolerated"
        );
    }

    #[test]
    fn two_pipelined_requests() {
        let raw = "POST /rpc HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}GET /health HTTP/1.1\r\n\r\n";
        let mut c = Cursor::new(raw.as_bytes().to_vec());
        let mut sink = Vec::new();
        let a = read_request(&mut c, &mut sink).unwrap();
        assert_eq!(a.body, b"{}");
        let b = read_request(&mut c, &mut sink).unwrap();
        assert_eq!(b.target, "/health");
        assert!(matches!(
            read_request(&mut c, &mut sink),
            Err(ReadError::Closed)
        ));
    }

    #[test]
    fn body_limits() {
        let r = read("POST /rpc HTTP/1.1\r\n\r\n").unwrap();
        assert!(!r.has_length && r.body.is_empty());
        assert!(
            read("POST /rpc HTTP/1.1\r\nContent-Length: 0\r\n\r\n")
                .unwrap()
                .has_length
        );
        assert_eq!(
            status_of("POST /rpc HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"),
            411
        );
        assert_eq!(
            status_of(&format!(
                "POST /rpc HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
                MAX_BODY + 1
            )),
            413
        );
        assert_eq!(
            status_of("POST /rpc HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n"),
            400
        );
        assert_eq!(
            status_of("POST /rpc HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"),
            400
        );
        assert!(matches!(
            read("POST /rpc HTTP/1.1\r\nContent-Length: 10\r\n\r\nshort"),
            Err(ReadError::Closed)
        ));
    }

    #[test]
    fn expect_continue_is_answered() {
        let raw = "POST /rpc HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}";
        let mut sink = Vec::new();
        let r = read_request(&mut Cursor::new(raw.as_bytes().to_vec()), &mut sink).unwrap();
        assert_eq!(r.body, b"{}");
        assert_eq!(sink, b"HTTP/1.1 100 Continue\r\n\r\n");
    }

    #[test]
    fn malformed() {
        assert_eq!(status_of("GARBAGE\r\n\r\n"), 400);
        assert_eq!(status_of("GET / HTTP/2.0\r\n\r\n"), 505);
        assert_eq!(status_of("GET / HTTP/1.1\r\nNoColon\r\n\r\n"), 400);
        assert_eq!(
            status_of(&format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(10_000))),
            414
        );
        assert!(matches!(read(""), Err(ReadError::Closed)));
    }

    #[test]
    fn response_format() {
        let mut out = Vec::new();
        write_response(&mut out, 200, "{\"a\":1}", true, None).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\nConnection: keep-alive\r\n\r\n{\"a\":1}"
        );
        let mut out = Vec::new();
        write_response(&mut out, 204, "", false, None).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"
        );
    }
}
