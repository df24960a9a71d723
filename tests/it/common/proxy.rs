//! A loopback TCP proxy the fault tests control: put it in front of a real server, point the
//! tool at [`TcpProxy::url`], then drop every connection, stall forwarding, or refuse new
//! connections while a command runs.
//!
//! Thread-based and small: one accepting thread, two copying threads per connection. Reads
//! poll every few milliseconds so the controls take effect at once. Everything stops when the
//! proxy is dropped.
use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, SocketAddrV4, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// How often blocked reads and the accept loop look at the controls.
const POLL: Duration = Duration::from_millis(5);

/// The controls and the open connections, shared with the threads.
#[derive(Default)]
struct Shared {
    stalled: AtomicBool,
    refusing: AtomicBool,
    stopping: AtomicBool,
    accepted: AtomicUsize,
    /// Both ends of every open connection, so they can be cut.
    open: Mutex<Vec<(TcpStream, TcpStream)>>,
}

/// A TCP proxy from a free loopback port to `127.0.0.1:target`. See the module notes.
pub struct TcpProxy {
    port: u16,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

impl TcpProxy {
    /// Start forwarding from a free loopback port to `127.0.0.1:target_port`.
    pub fn start(target_port: u16) -> TcpProxy {
        let listener = bind(0).expect("bind a loopback port for the proxy");
        let port = listener.local_addr().expect("local address").port();
        let shared = Arc::new(Shared::default());
        let target = SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, target_port));
        let s = shared.clone();
        let acceptor = std::thread::spawn(move || accept_loop(listener, port, target, &s));
        TcpProxy {
            port,
            shared,
            acceptor: Some(acceptor),
        }
    }

    /// The proxy's port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `redis://127.0.0.1:PORT` of the proxy.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Cut every open connection (both sides see the connection closed).
    pub fn drop_connections(&self) -> usize {
        let open = std::mem::take(&mut *lock(&self.shared.open));
        for (a, b) in &open {
            let _ = a.shutdown(Shutdown::Both);
            let _ = b.shutdown(Shutdown::Both);
        }
        open.len()
    }

    /// Stop (`true`) or restart (`false`) forwarding bytes: connections stay open, nothing
    /// gets through, as with a network that silently loses packets.
    pub fn stall(&self, on: bool) {
        self.shared.stalled.store(on, Ordering::SeqCst);
    }

    /// Refuse (`true`: the port is closed, connecting fails) or accept again (`false`) new
    /// connections. Open connections are not affected.
    pub fn refuse(&self, on: bool) {
        self.shared.refusing.store(on, Ordering::SeqCst);
        // Let the acceptor close or reopen the port before returning.
        std::thread::sleep(POLL * 4);
    }

    /// Connections accepted so far.
    pub fn accepted(&self) -> usize {
        self.shared.accepted.load(Ordering::SeqCst)
    }
}

impl Drop for TcpProxy {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        self.drop_connections();
        if let Some(a) = self.acceptor.take() {
            let _ = a.join();
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn bind(port: u16) -> std::io::Result<TcpListener> {
    let listener = TcpListener::bind(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port))?;
    listener.set_nonblocking(true)?;
    Ok(listener)
}

/// Accept connections until the proxy stops; close the port while refusing.
fn accept_loop(listener: TcpListener, port: u16, target: SocketAddr, shared: &Arc<Shared>) {
    let mut listener = Some(listener);
    while !shared.stopping.load(Ordering::SeqCst) {
        let refusing = shared.refusing.load(Ordering::SeqCst);
        if refusing {
            listener = None;
        } else if listener.is_none() {
            listener = bind(port).ok();
        }
        let Some(l) = &listener else {
            std::thread::sleep(POLL);
            continue;
        };
        match l.accept() {
            Ok((client, _)) => {
                shared.accepted.fetch_add(1, Ordering::SeqCst);
                connect(client, target, shared);
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => std::thread::sleep(POLL),
            Err(_) => std::thread::sleep(POLL),
        }
    }
}

/// Connect a client to the target and start copying both ways.
fn connect(client: TcpStream, target: SocketAddr, shared: &Arc<Shared>) {
    let Ok(server) = TcpStream::connect_timeout(&target, Duration::from_secs(2)) else {
        let _ = client.shutdown(Shutdown::Both);
        return;
    };
    let _ = client.set_nonblocking(false);
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let pair = (client.try_clone(), server.try_clone());
    let (Ok(c2), Ok(s2)) = pair else {
        return;
    };
    if let (Ok(c3), Ok(s3)) = (client.try_clone(), server.try_clone()) {
        lock(&shared.open).push((c3, s3));
    }
    let (a, b) = (shared.clone(), shared.clone());
    std::thread::spawn(move || pump(client, s2, &a));
    std::thread::spawn(move || pump(server, c2, &b));
}

/// Copy bytes from `from` to `to` until either side closes (or the proxy stops).
fn pump(mut from: TcpStream, mut to: TcpStream, shared: &Shared) {
    let _ = from.set_read_timeout(Some(POLL));
    let mut buf = vec![0u8; 64 * 1024];
    while !shared.stopping.load(Ordering::SeqCst) {
        if shared.stalled.load(Ordering::SeqCst) {
            std::thread::sleep(POLL);
            continue;
        }
        match from.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                if to.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => break,
        }
    }
    let _ = from.shutdown(Shutdown::Both);
    let _ = to.shutdown(Shutdown::Both);
}
