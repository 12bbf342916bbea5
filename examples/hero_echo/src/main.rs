//! hero_echo_server: example Hero service.
//!
//! JSON-RPC 2.0 `echo` over HTTP/1.1 on `$HERO_SOCKET_DIR/hero_echo/rpc.sock`,
//! plus `/health`, `/openrpc.json` and `/.well-known/heroservice.json`.
//! std only: no external crates.

mod http;
mod json;
mod router;
mod signals;

use std::io::{self, BufReader, Write};
use std::os::unix::io::AsRawFd;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use router::{Config, SERVICE, VERSION};

/// Idle keep-alive connections are closed after this long.
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// One line to stdout, flushed at once (stdout is usually a file).
fn log(line: &str) {
    let mut out = io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

fn env_nonempty(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// `$HERO_SOCKET_DIR`, else `$HERO_HOME/var/sockets`, else `$HOME/hero/var/sockets`.
fn socket_dir() -> Result<PathBuf, String> {
    if let Some(dir) = env_nonempty("HERO_SOCKET_DIR") {
        return Ok(PathBuf::from(dir));
    }
    let home = match env_nonempty("HERO_HOME") {
        Some(h) => PathBuf::from(h),
        None => PathBuf::from(
            env_nonempty("HOME").ok_or("neither HERO_SOCKET_DIR, HERO_HOME nor HOME is set")?,
        )
        .join("hero"),
    };
    Ok(home.join("var").join("sockets"))
}

/// Binds `path`, replacing a stale socket file but refusing if a live server answers.
fn bind(path: &Path) -> Result<UnixListener, String> {
    if path.symlink_metadata().is_ok() {
        if UnixStream::connect(path).is_ok() {
            return Err(format!(
                "another {SERVICE} is listening on {}",
                path.display()
            ));
        }
        std::fs::remove_file(path)
            .map_err(|e| format!("cannot remove stale socket {}: {e}", path.display()))?;
    }
    UnixListener::bind(path).map_err(|e| format!("cannot bind {}: {e}", path.display()))
}

fn handle_connection(stream: UnixStream, cfg: Arc<Config>) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(IDLE_TIMEOUT));
    let _ = stream.set_write_timeout(Some(IDLE_TIMEOUT));
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut writer = stream;
    loop {
        match http::read_request(&mut reader, &mut writer) {
            Err(http::ReadError::Closed) => break,
            Err(http::ReadError::Reject {
                status,
                method,
                target,
            }) => {
                let body = json::Value::object([(
                    "error",
                    json::Value::str(http::reason(status).to_lowercase()),
                )]);
                let _ = http::write_response(&mut writer, status, &body.to_json(), false, None);
                log(&format!("{SERVICE}: {method} {target} {status}"));
                break;
            }
            Ok(req)
                if req.method == "POST"
                    && !req.has_length
                    && router::allowed_methods(&req.target) == Some("POST") =>
            {
                let _ = http::write_response(
                    &mut writer,
                    411,
                    r#"{"error":"length required"}"#,
                    false,
                    None,
                );
                log(&format!("{SERVICE}: {} {} 411", req.method, req.target));
                break;
            }
            Ok(req) => {
                let (status, body) = router::route(&cfg, &req.method, &req.target, &req.body);
                let allow = if status == 405 {
                    router::allowed_methods(&req.target)
                } else {
                    None
                };
                let sent = http::write_response(&mut writer, status, &body, req.keep_alive, allow);
                log(&format!(
                    "{SERVICE}: {} {} {status}",
                    req.method, req.target
                ));
                if sent.is_err() || !req.keep_alive {
                    break;
                }
            }
        }
    }
    let _ = writer.shutdown(std::net::Shutdown::Both);
}

/// `hero_echo`, or `hero_echo@<instance>` for one named instance of several side by side: `$HERO_INSTANCE`
/// (lowercase letters, digits and `_`, starting with a letter) names it, as heromgr does for multi-instance services.
fn socket_folder() -> Result<String, String> {
    match env_nonempty("HERO_INSTANCE") {
        None => Ok(SERVICE.to_string()),
        Some(i) if valid_instance(&i) => Ok(format!("{SERVICE}@{i}")),
        Some(i) => Err(format!(
            "HERO_INSTANCE '{i}' is not an instance name (lowercase letters, digits and _, starting with a letter, at most 64)"
        )),
    }
}

fn valid_instance(name: &str) -> bool {
    let mut chars = name.chars();
    name.len() <= 64
        && chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn run() -> Result<i32, String> {
    let dir = socket_dir()?.join(socket_folder()?);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let dir =
        std::path::absolute(&dir).map_err(|e| format!("bad socket dir {}: {e}", dir.display()))?;
    let sock_path = dir.join("rpc.sock");

    let wake = signals::install().map_err(|e| format!("cannot install signal handlers: {e}"))?;
    let listener = bind(&sock_path)?;
    listener
        .set_nonblocking(true)
        .map_err(|e| format!("set_nonblocking: {e}"))?;

    let cfg = Arc::new(Config {
        socket_path: sock_path.to_string_lossy().into_owned(),
        unhealthy: std::env::var("HERO_ECHO_UNHEALTHY").is_ok_and(|v| v == "1"),
    });
    log(&format!(
        "{SERVICE} {VERSION} listening on {}",
        sock_path.display()
    ));

    let signal = loop {
        match signals::wait(listener.as_raw_fd(), &wake) {
            Ok(signals::Wake::Signal(sig)) => break sig,
            Ok(signals::Wake::Accept) => {}
            Err(e) => {
                eprintln!("{SERVICE}: poll failed: {e}");
                thread::sleep(Duration::from_millis(100));
                continue;
            }
        }
        // Accept everything pending; the listener is non-blocking.
        loop {
            match listener.accept() {
                Ok((stream, _)) => {
                    let cfg = Arc::clone(&cfg);
                    let spawned = thread::Builder::new()
                        .name("hero_echo-conn".into())
                        .spawn(move || handle_connection(stream, cfg));
                    if let Err(e) = spawned {
                        eprintln!("{SERVICE}: cannot spawn connection thread: {e}");
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    // E.g. EMFILE: back off instead of spinning on a readable listener.
                    eprintln!("{SERVICE}: accept failed: {e}");
                    thread::sleep(Duration::from_millis(100));
                    break;
                }
            }
        }
    };

    log(&format!("{SERVICE}: stopping (signal {signal})"));
    drop(listener);
    if let Err(e) = std::fs::remove_file(&sock_path) {
        if e.kind() != io::ErrorKind::NotFound {
            eprintln!("{SERVICE}: cannot remove {}: {e}", sock_path.display());
        }
    }
    Ok(0)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None => {}
        Some("--version" | "-V") => {
            println!("hero_echo_server {VERSION}");
            return ExitCode::SUCCESS;
        }
        Some("--help" | "-h") => {
            println!(
                "hero_echo_server {VERSION}\n\
                 Example Hero service: JSON-RPC echo over HTTP/1.1 on a Unix socket.\n\n\
                 Usage: hero_echo_server [--version | --help]\n\n\
                 Environment:\n  \
                 HERO_SOCKET_DIR      socket directory (default $HERO_HOME/var/sockets)\n  \
                 HERO_HOME            Hero home (default $HOME/hero)\n  \
                 HERO_INSTANCE        run as instance hero_echo@<name>: its own socket folder\n  \
                 HERO_ECHO_UNHEALTHY  set to 1 to make /health answer 503"
            );
            return ExitCode::SUCCESS;
        }
        Some(other) => {
            eprintln!("hero_echo_server: unknown argument '{other}' (try --help)");
            return ExitCode::from(2);
        }
    }
    match run() {
        Ok(code) => {
            let _ = io::stdout().flush();
            // Exit right away: connection threads may still be parked on idle keep-alives.
            std::process::exit(code);
        }
        Err(msg) => {
            eprintln!("{SERVICE}: {msg}");
            ExitCode::from(1)
        }
    }
}
