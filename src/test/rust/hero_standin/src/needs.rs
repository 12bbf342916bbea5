//! What each Hero binary needs to start, from the seed (hero_router issue 90) and the Hero conventions. This is
//! the stand-in's own table, written from the seed, not from heromgr's service classes: a class that passes a
//! wrong variable, argument or socket makes the binary refuse to start, as the real one would.
//!
//! | binary               | needs                                                                              |
//! |----------------------|------------------------------------------------------------------------------------|
//! | every running role   | HERO_SOCKET_DIR (the socket folder of the conventions)                             |
//! | hero_books_server    | HERO_BOOKS_DATA, an existing folder; HERO_EMBEDDER_URL, hero_embedder's socket,     |
//! |                      | answering GET /health (seed: "env wiring for HERO_BOOKS_DATA + HERO_EMBEDDER_URL") |
//! | hero_db_server       | --resp-port N: RESP on 127.0.0.1:N (seed: "RESP TCP port in kill_other"; the flag  |
//! |                      | name and the port are heromgr's choice where the seed is silent)                   |
//! | hero_aibroker_server | optional --split mother: the cascade mother, serving hero_aibroker_mother/          |
//! | hero_router          | --port N (seed: `hero_router --port 0`), optional --bind ADDR (default 127.0.0.1):  |
//! |                      | HTTP on ADDR:N besides rpc.sock and ui.sock                                        |
//!
//! Any other argument is refused.

use crate::{Identity, Role};
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::time::Duration;

#[derive(Debug, Clone, Copy)]
pub enum Speaks {
    Http,
    Resp,
}

pub struct Plan {
    /// The folder under HERO_SOCKET_DIR this binary's sockets go in.
    pub socket_folder: String,
    pub tcp: Option<(String, u16)>,
    pub tcp_speaks: Speaks,
}

type Refusal = (u8, String);

pub fn check(id: &Identity, args: &[String]) -> Result<Plan, Refusal> {
    let mut flags = Flags::parse(args)?;
    let mut plan = Plan {
        socket_folder: id.service.clone(),
        tcp: None,
        tcp_speaks: Speaks::Http,
    };
    match (id.binary.as_str(), &id.role) {
        ("hero_books_server", _) => {
            let data = env("HERO_BOOKS_DATA")?;
            if !std::path::Path::new(&data).is_dir() {
                return Err((1, format!("HERO_BOOKS_DATA {data} is not a folder")));
            }
            let url = env("HERO_EMBEDDER_URL")?;
            answers(&url).map_err(|e| (1, format!("HERO_EMBEDDER_URL {url} does not answer: {e}")))?;
        }
        ("hero_db_server", _) => {
            let port = flags.port("--resp-port")?.ok_or((2, "missing --resp-port N".to_string()))?;
            plan.tcp = Some(("127.0.0.1".to_string(), port));
            plan.tcp_speaks = Speaks::Resp;
        }
        ("hero_aibroker_server", _) => match flags.take("--split")?.as_deref() {
            None => {}
            Some("mother") => plan.socket_folder = "hero_aibroker_mother".to_string(),
            Some(other) => return Err((2, format!("--split takes 'mother', not '{other}'"))),
        },
        (_, Role::Router) => {
            let port = flags.port("--port")?.ok_or((2, "missing --port N".to_string()))?;
            let bind = flags.take("--bind")?.unwrap_or_else(|| "127.0.0.1".to_string());
            plan.tcp = Some((bind, port));
        }
        _ => {}
    }
    flags.none_left()?;
    Ok(plan)
}

fn env(name: &str) -> Result<String, Refusal> {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .ok_or((1, format!("{name} is not set")))
}

/// GET /health on a Unix socket (a path, or unix:// and a path) answers 200.
fn answers(url: &str) -> Result<(), String> {
    let path = url.strip_prefix("unix://").unwrap_or(url);
    let mut s = UnixStream::connect(path).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(3))).map_err(|e| e.to_string())?;
    s.write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .map_err(|e| e.to_string())?;
    let mut answer = String::new();
    s.read_to_string(&mut answer).map_err(|e| e.to_string())?;
    let status = answer.lines().next().unwrap_or("");
    if status.split(' ').nth(1) == Some("200") {
        Ok(())
    } else {
        Err(format!("GET /health answered '{status}'"))
    }
}

/// `--name value` pairs; each must be taken by the table, or it is refused.
struct Flags(Vec<(String, String)>);

impl Flags {
    fn parse(args: &[String]) -> Result<Flags, Refusal> {
        let mut pairs = Vec::new();
        let mut it = args.iter();
        while let Some(name) = it.next() {
            if !name.starts_with("--") {
                return Err((2, format!("unknown argument '{name}'")));
            }
            let value = it.next().ok_or((2, format!("{name} needs a value")))?;
            pairs.push((name.clone(), value.clone()));
        }
        Ok(Flags(pairs))
    }

    fn take(&mut self, name: &str) -> Result<Option<String>, Refusal> {
        match self.0.iter().position(|(n, _)| n == name) {
            Some(i) => Ok(Some(self.0.remove(i).1)),
            None => Ok(None),
        }
    }

    fn port(&mut self, name: &str) -> Result<Option<u16>, Refusal> {
        match self.take(name)? {
            None => Ok(None),
            Some(v) => v
                .parse::<u16>()
                .map(Some)
                .map_err(|_| (2, format!("{name} takes a port, not '{v}'"))),
        }
    }

    fn none_left(&self) -> Result<(), Refusal> {
        match self.0.first() {
            None => Ok(()),
            Some((n, _)) => Err((2, format!("unknown argument '{n}'"))),
        }
    }
}
