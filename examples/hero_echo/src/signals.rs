//! SIGTERM/SIGINT handling with the self-pipe trick, via a few libc calls
//! declared by hand (std already links libc; no crates needed).
//!
//! The handler only does async-signal-safe work: it stores the signal number
//! into an atomic and writes one byte to a non-blocking socketpair. The accept
//! loop blocks in `poll(2)` on both the listener and the read end of that
//! pair, so it wakes up immediately on a signal and uses no CPU while idle.

use std::io::{self, Read};
use std::os::raw::{c_int, c_short, c_void};
use std::os::unix::io::{AsRawFd, IntoRawFd, RawFd};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicI32, Ordering};

pub const SIGINT: c_int = 2;
pub const SIGTERM: c_int = 15;
const POLLIN: c_short = 0x1;

#[cfg(target_os = "linux")]
type NfdsT = std::os::raw::c_ulong;
#[cfg(not(target_os = "linux"))]
type NfdsT = std::os::raw::c_uint;

#[repr(C)]
struct PollFd {
    fd: c_int,
    events: c_short,
    revents: c_short,
}

extern "C" {
    fn signal(signum: c_int, handler: extern "C" fn(c_int)) -> usize;
    fn write(fd: c_int, buf: *const c_void, count: usize) -> isize;
    fn poll(fds: *mut PollFd, nfds: NfdsT, timeout: c_int) -> c_int;
    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[link_name = "__errno_location"]
    fn errno_location() -> *mut c_int;
    #[cfg(any(target_os = "macos", target_os = "ios", target_os = "freebsd"))]
    #[link_name = "__error"]
    fn errno_location() -> *mut c_int;
}

const SIG_ERR: usize = usize::MAX;

/// Last signal received (0 = none).
static RECEIVED: AtomicI32 = AtomicI32::new(0);
/// Write end of the wake-up socketpair (-1 until installed).
static WAKE_FD: AtomicI32 = AtomicI32::new(-1);

extern "C" fn on_signal(sig: c_int) {
    // SAFETY: only async-signal-safe operations: atomics, write(2), errno.
    unsafe {
        let errno = errno_location();
        let saved = *errno;
        RECEIVED.store(sig, Ordering::SeqCst);
        let fd = WAKE_FD.load(Ordering::SeqCst);
        if fd >= 0 {
            let byte = 1u8;
            let _ = write(fd, &byte as *const u8 as *const c_void, 1);
        }
        *errno = saved;
    }
}

/// Signal number received so far, if any.
pub fn received() -> Option<i32> {
    match RECEIVED.load(Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}

/// Installs SIGTERM/SIGINT handlers; returns the read end of the wake-up pair.
pub fn install() -> io::Result<UnixStream> {
    let (rx, tx) = UnixStream::pair()?;
    rx.set_nonblocking(true)?;
    tx.set_nonblocking(true)?; // the handler must never block
    WAKE_FD.store(tx.into_raw_fd(), Ordering::SeqCst); // kept open for the process lifetime
    for sig in [SIGTERM, SIGINT] {
        // SAFETY: `on_signal` is async-signal-safe (see above).
        if unsafe { signal(sig, on_signal) } == SIG_ERR {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(rx)
}

/// Outcome of [`wait`].
pub enum Wake {
    /// The listener has a pending connection.
    Accept,
    /// A signal arrived (the number).
    Signal(i32),
}

/// Blocks (without spinning) until `listener_fd` is readable or a signal arrived.
pub fn wait(listener_fd: RawFd, wake: &UnixStream) -> io::Result<Wake> {
    let wake_fd = wake.as_raw_fd();
    loop {
        if let Some(sig) = received() {
            return Ok(Wake::Signal(sig));
        }
        let mut fds = [
            PollFd {
                fd: listener_fd,
                events: POLLIN,
                revents: 0,
            },
            PollFd {
                fd: wake_fd,
                events: POLLIN,
                revents: 0,
            },
        ];
        // SAFETY: `fds` is a valid array of 2 pollfd structs for the call's duration.
        let n = unsafe { poll(fds.as_mut_ptr(), fds.len() as NfdsT, -1) };
        if n < 0 {
            let err = io::Error::last_os_error();
            if err.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(err);
        }
        if let Some(sig) = received() {
            return Ok(Wake::Signal(sig));
        }
        if fds[0].revents != 0 {
            return Ok(Wake::Accept);
        }
        // Spurious wake-up: drain the pair so poll does not return at once again.
        let mut buf = [0u8; 64];
        while matches!((&*wake).read(&mut buf), Ok(n) if n > 0) {}
    }
}
