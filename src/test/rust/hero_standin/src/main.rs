//! hero_standin: one program that, installed under any Hero binary name, acts as that binary.
//!
//! The Hero sources and releases cannot be reached from the test machines, so heromgr's fleet test installs this
//! program under every binary name a service class declares. What it does comes from its own file name (argv[0])
//! and the Hero conventions, never from heromgr's classes:
//!
//! - `<svc>_server` serves `$HERO_SOCKET_DIR/<svc>/rpc.sock`, `<svc>_admin` serves `admin.sock`, `<svc>_web`
//!   serves `web.sock`; a bare `<svc>` is the CLI (prints its name and exits), except where the seed's special
//!   cases name a bare server (see `BARE_SERVERS`).
//! - Each socket speaks HTTP/1.1: `GET /health`, `GET /openrpc.json`, `GET /.well-known/heroservice.json`,
//!   `POST /rpc` (`rpc.discover`, `rpc.health`).
//! - What a binary needs beyond that (env, arguments, dependencies that must answer) is the table in `needs.rs`,
//!   taken from the seed. A missing or wrong one stops it before it binds anything: exit 1 (2 for a bad
//!   argument) with one line on stderr naming the problem.

mod needs;
mod serve;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Servers whose binary is the service's bare name (the seed's "Special cases" table: hero_planner).
const BARE_SERVERS: &[&str] = &["hero_planner"];

/// What this process is, read from its file name.
#[derive(Debug, Clone, PartialEq)]
pub enum Role {
    Cli,
    Server,
    Admin,
    Web,
    /// hero_router: one binary serving rpc.sock, its own dashboard ui.sock and a TCP port.
    Router,
}

pub struct Identity {
    pub binary: String,
    pub service: String,
    pub role: Role,
}

pub fn identify(binary: &str) -> Identity {
    let (service, role) = if binary == "hero_router" {
        (binary, Role::Router)
    } else if let Some(s) = binary.strip_suffix("_server") {
        (s, Role::Server)
    } else if let Some(s) = binary.strip_suffix("_admin") {
        (s, Role::Admin)
    } else if let Some(s) = binary.strip_suffix("_web") {
        (s, Role::Web)
    } else if BARE_SERVERS.contains(&binary) {
        (binary, Role::Server)
    } else {
        (binary, Role::Cli)
    };
    Identity {
        binary: binary.to_string(),
        service: service.to_string(),
        role,
    }
}

/// The socket files a role serves in its service's folder.
fn socket_files(role: &Role) -> &'static [&'static str] {
    match role {
        Role::Cli => &[],
        Role::Server => &["rpc.sock"],
        Role::Admin => &["admin.sock"],
        Role::Web => &["web.sock"],
        Role::Router => &["rpc.sock", "ui.sock"],
    }
}

fn run(id: &Identity, args: &[String]) -> Result<(), (u8, String)> {
    let socket_dir = std::env::var("HERO_SOCKET_DIR")
        .ok()
        .filter(|v| !v.is_empty())
        .ok_or((1, "HERO_SOCKET_DIR is not set".to_string()))?;
    let plan = needs::check(id, args)?;
    let folder = PathBuf::from(socket_dir).join(&plan.socket_folder);
    std::fs::create_dir_all(&folder)
        .map_err(|e| (1, format!("cannot create {}: {e}", folder.display())))?;
    let mut listeners = Vec::new();
    for file in socket_files(&id.role) {
        let path = folder.join(file);
        listeners.push(serve::bind_unix(&path).map_err(|e| (1, e))?);
        println!("{} listening on {}", id.binary, path.display());
    }
    let tcp = match &plan.tcp {
        Some((addr, port)) => {
            let l = serve::bind_tcp(addr, *port).map_err(|e| (1, e))?;
            println!("{} listening on {addr}:{port} ({:?})", id.binary, plan.tcp_speaks);
            Some(l)
        }
        None => None,
    };
    serve::run_forever(id, &folder, listeners, tcp.map(|l| (l, plan.tcp_speaks)));
    Ok(())
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().collect();
    let binary = argv
        .first()
        .and_then(|a| Path::new(a).file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let id = identify(&binary);
    if id.role == Role::Cli || argv.get(1).map(String::as_str) == Some("--version") {
        println!("{binary} 0.0.1 (hero_standin)");
        return ExitCode::SUCCESS;
    }
    match run(&id, &argv[1..]) {
        Ok(()) => ExitCode::SUCCESS,
        Err((code, msg)) => {
            eprintln!("{binary}: {msg}");
            ExitCode::from(code)
        }
    }
}
