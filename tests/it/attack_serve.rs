//! `upcycle serve` under attack (issue #12): oversized heads, garbage, clients that never
//! finish or never read, more connections than the server answers at once, and slow clients
//! that try to starve the real ones. Against the real binary on 127.0.0.1; the clients bind
//! to other loopback addresses (all of 127.0.0.0/8 is loopback on Linux) so that the
//! per-address limits meet the same picture as in a room of laptops.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddrV4, TcpStream};
use std::os::fd::AsRawFd;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::serve::{Server, get, raw, room};

/// The served head limit, as docs/serve.md states it (16 KiB).
const MAX_HEAD: usize = 16 * 1024;

/// A GET of a bundle file whose head (up to and including the blank line) is `len` bytes.
fn request_of_len(len: usize) -> Vec<u8> {
    let start = b"GET /schule-001/boot.txt HTTP/1.1\r\nHost: w\r\nX-Pad: ";
    let end = b"\r\n\r\n";
    let mut head = start.to_vec();
    head.resize(len - end.len(), b'a');
    head.extend_from_slice(end);
    head
}

#[test]
fn heads_longer_than_16_kib_get_431_complete_or_not() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = room(tmp.path());
    let server = Server::start(&dir, &[]);
    let port = server.port;
    assert_eq!(
        raw(port, &request_of_len(MAX_HEAD)).status,
        200,
        "exactly 16 KiB is served"
    );
    assert_eq!(raw(port, &request_of_len(MAX_HEAD + 1)).status, 431);
    assert_eq!(raw(port, &request_of_len(17_000)).status, 431);
    // One header line of 100 KB, sent at once: refused, never read to its end.
    let mut huge = b"GET /schule-001/boot.txt HTTP/1.1\r\nX-Huge: ".to_vec();
    huge.resize(100_000, b'x');
    huge.extend_from_slice(b"\r\n\r\n");
    assert_eq!(raw(port, &huge).status, 431);
    assert_eq!(get(port, "/schule-001/boot.txt").status, 200);
    server.wait_for_line("127.0.0.1 - - 431");
}

/// A TCP connection to the server from the loopback address `from` (127.0.0.2, ...).
fn connect_from(from: Ipv4Addr, port: u16) -> std::io::Result<TcpStream> {
    use nix::sys::socket::{AddressFamily, SockFlag, SockType, SockaddrIn, bind, connect, socket};
    let fd = socket(AddressFamily::Inet, SockType::Stream, SockFlag::SOCK_CLOEXEC, None)?;
    bind(fd.as_raw_fd(), &SockaddrIn::from(SocketAddrV4::new(from, 0)))?;
    connect(
        fd.as_raw_fd(),
        &SockaddrIn::from(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port)),
    )?;
    Ok(TcpStream::from(fd))
}

/// GET `target` from the address `from`; the status and body, or what went wrong.
fn get_from(from: Ipv4Addr, port: u16, target: &str) -> Result<(u16, Vec<u8>), String> {
    let mut stream = connect_from(from, port).map_err(|e| format!("connect: {e}"))?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream
        .write_all(format!("GET {target} HTTP/1.1\r\nHost: w\r\n\r\n").as_bytes())
        .map_err(|e| format!("send: {e}"))?;
    let mut all = Vec::new();
    stream.read_to_end(&mut all).map_err(|e| format!("receive: {e}"))?;
    let split = all
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("no HTTP head in {:?}", String::from_utf8_lossy(&all)))?;
    let status = String::from_utf8_lossy(&all[..split])
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or("no status")?;
    Ok((status, all[split + 4..].to_vec()))
}

/// Slowloris: `count` connections from `from` (round robin) that send a request line and then
/// one header byte every 200 ms, never finishing the head; a connection the server closes is
/// opened again. Runs until `stop` is set or `limit` has passed, whichever comes first.
struct SlowClients {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<SlowReport>>,
}

#[derive(Debug, Default)]
struct SlowReport {
    /// Connections opened, the first round and every reconnect.
    opened: usize,
    /// Of those, closed by the server while the test ran.
    closed_by_server: usize,
}

impl SlowClients {
    fn start(count: usize, from: Vec<Ipv4Addr>, port: u16, limit: Duration) -> (SlowClients, Instant) {
        let stop = Arc::new(AtomicBool::new(false));
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let start = Instant::now();
            let mut report = SlowReport::default();
            let open = |i: usize, report: &mut SlowReport| {
                let stream = connect_from(from[i % from.len()], port).ok()?;
                report.opened += 1;
                stream.set_nonblocking(true).ok()?;
                (&stream)
                    .write_all(b"GET /schule-001/preseed.cfg HTTP/1.1\r\nX-Slow: ")
                    .ok()?;
                Some(stream)
            };
            let mut streams: Vec<Option<TcpStream>> = (0..count).map(|i| open(i, &mut report)).collect();
            let _ = ready_tx.send(());
            let mut sink = [0u8; 512];
            while !flag.load(Ordering::Relaxed) && start.elapsed() < limit {
                std::thread::sleep(Duration::from_millis(200));
                for (i, slot) in streams.iter_mut().enumerate() {
                    let alive = slot.as_mut().is_some_and(|s| match s.read(&mut sink) {
                        Ok(0) => false,
                        Ok(_) => false, // an answer (408, 503): the server is done with it
                        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => s.write_all(b"a").is_ok(),
                        Err(_) => false,
                    });
                    if !alive {
                        if slot.is_some() {
                            report.closed_by_server += 1;
                        }
                        *slot = open(i, &mut report);
                    }
                }
            }
            report
        });
        ready_rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the slow clients connected");
        (
            SlowClients {
                stop,
                thread: Some(thread),
            },
            Instant::now(),
        )
    }

    fn stop(mut self) -> SlowReport {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.take().unwrap().join().unwrap()
    }
}

impl Drop for SlowClients {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// `real` GETs of bundle files from `from` (one client thread per address, each fetching in
/// turn), while the slow clients hold their connections: every one must succeed.
fn real_fetches(dir: &Path, port: u16, from: &[Ipv4Addr], real: usize) -> (usize, Vec<String>, Duration) {
    let files: Vec<(String, Vec<u8>)> = ["preseed.cfg", "postinstall.sh", "boot.txt"]
        .iter()
        .map(|name| {
            (
                format!("/schule-001/{name}"),
                std::fs::read(dir.join("schule-001").join(name)).unwrap(),
            )
        })
        .collect();
    let start = Instant::now();
    let per_client = real.div_ceil(from.len());
    let handles: Vec<_> = from
        .iter()
        .enumerate()
        .map(|(c, &addr)| {
            let files = files.clone();
            let n = per_client.min(real - c * per_client);
            std::thread::spawn(move || {
                (0..n)
                    .map(|i| {
                        let (target, want) = &files[(c + i) % files.len()];
                        match get_from(addr, port, target) {
                            Ok((200, body)) if body == *want => Ok(()),
                            Ok((200, _)) => Err(format!("{target} from {addr}: wrong body")),
                            Ok((status, _)) => Err(format!("{target} from {addr}: {status}")),
                            Err(e) => Err(format!("{target} from {addr}: {e}")),
                        }
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let results: Vec<Result<(), String>> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
    let took = start.elapsed();
    let ok = results.iter().filter(|r| r.is_ok()).count();
    let failures = results.into_iter().filter_map(Result::err).collect();
    (ok, failures, took)
}

fn loopback(range: std::ops::RangeInclusive<u8>) -> Vec<Ipv4Addr> {
    range.map(|last| Ipv4Addr::new(127, 0, 0, last)).collect()
}

#[test]
fn slow_clients_do_not_starve_the_installers() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = room(tmp.path());
    let server = Server::start(&dir, &[]);
    // 300 slow clients on 20 addresses: 15 each, under any per-address limit.
    let (slow, since) = SlowClients::start(300, loopback(2..=21), server.port, Duration::from_secs(20));
    std::thread::sleep(Duration::from_millis(500));
    let (ok, failures, took) = real_fetches(&dir, server.port, &loopback(100..=104), 55);
    let held = since.elapsed();
    let report = slow.stop();
    eprintln!("slow clients: {report:?}; real fetches: {ok} of 55 in {took:?}; slow clients held for {held:?}");
    assert!(failures.is_empty(), "{} of 55 served; failures: {failures:?}", ok);
    assert!(took < Duration::from_secs(5), "55 fetches took {took:?}");
    // Alive and answering afterwards.
    assert_eq!(get(server.port, "/schule-002/boot.txt").status, 200);
}

#[test]
fn more_slow_clients_than_places_and_some_on_the_installers_address() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = room(tmp.path());
    let server = Server::start(&dir, &[]);
    // 600 slow clients on 40 addresses, more than the 512 places for connections still
    // sending their head; 40 more on 127.0.0.50, which real clients use too (one address
    // holds at most 32 places).
    let (slow, _) = SlowClients::start(600, loopback(2..=41), server.port, Duration::from_secs(20));
    let (shared, since) = SlowClients::start(40, loopback(50..=50), server.port, Duration::from_secs(20));
    std::thread::sleep(Duration::from_millis(500));
    let mut real = loopback(100..=103);
    real.push(Ipv4Addr::new(127, 0, 0, 50));
    let (ok, failures, took) = real_fetches(&dir, server.port, &real, 55);
    let held = since.elapsed();
    let (report, shared_report) = (slow.stop(), shared.stop());
    eprintln!(
        "slow clients: {report:?}, on the shared address: {shared_report:?}; real fetches: {ok} of 55 \
         in {took:?}; slow clients held for {held:?}"
    );
    assert!(failures.is_empty(), "{ok} of 55 served; failures: {failures:?}");
    assert!(took < Duration::from_secs(5), "55 fetches took {took:?}");
    assert!(
        report.closed_by_server > 0 && shared_report.closed_by_server > 0,
        "the oldest waiting connections made room"
    );
    server.wait_for_line("- - 408");
    assert_eq!(get(server.port, "/schule-002/boot.txt").status, 200);
}

/// Send `count` complete GETs from `from` (round robin), then read each answer while keeping
/// the connection open (the server lingers on it up to 2 s, holding its place). With
/// `connect_first`, all connect before any sends, so that the requests come in within
/// milliseconds. Returns the statuses and the open connections.
fn requests_held_open(port: u16, from: &[Ipv4Addr], count: usize, connect_first: bool) -> (Vec<u16>, Vec<TcpStream>) {
    let request = b"GET /schule-001/boot.txt HTTP/1.1\r\nHost: w\r\n\r\n";
    let mut streams = Vec::new();
    for i in 0..count {
        streams.push(connect_from(from[i % from.len()], port).unwrap());
        if !connect_first {
            streams[i].write_all(request).unwrap();
        }
    }
    if connect_first {
        for s in &mut streams {
            s.write_all(request).unwrap();
        }
    }
    let statuses = streams
        .iter_mut()
        .enumerate()
        .map(|(i, s)| {
            s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            let mut head = [0u8; 12];
            if let Err(e) = s.read_exact(&mut head) {
                panic!("connection {i} from {:?}: {e}", s.local_addr());
            }
            String::from_utf8_lossy(&head[9..12]).parse().unwrap()
        })
        .collect();
    (statuses, streams)
}

#[test]
fn more_requests_than_answered_at_once_get_503_then_all_is_served() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = room(tmp.path());
    let server = Server::start(&dir, &[]);
    let count = |statuses: &[u16], status: u16| statuses.iter().filter(|&&s| s == status).count();

    // 300 requests on 30 addresses (10 each) held open: 256 are answered, 44 get 503.
    let (statuses, streams) = requests_held_open(server.port, &loopback(2..=31), 300, true);
    assert_eq!(
        (count(&statuses, 200), count(&statuses, 503)),
        (256, 44),
        "{statuses:?}"
    );
    drop(streams);
    server.wait_for_line("GET /schule-001/boot.txt 503");

    // 40 from one address: 32 are answered, 8 get 503; the other addresses are not affected.
    let (statuses, streams) = requests_held_open(server.port, &loopback(60..=60), 40, false);
    assert_eq!((count(&statuses, 200), count(&statuses, 503)), (32, 8), "{statuses:?}");
    assert_eq!(
        get_from(Ipv4Addr::new(127, 0, 0, 61), server.port, "/schule-001/boot.txt")
            .unwrap()
            .0,
        200
    );
    drop(streams);

    // Once they close, everything is served again: as soon as the server has seen the
    // closes (its connection threads notice them in their own time; on a loaded machine
    // that is not at once), then every time.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while get_from(Ipv4Addr::new(127, 0, 0, 60), server.port, "/schule-002/boot.txt")
        .unwrap()
        .0
        != 200
    {
        assert!(
            std::time::Instant::now() < deadline,
            "still refused 60 s after the closes"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    for _ in 0..20 {
        assert_eq!(
            get_from(Ipv4Addr::new(127, 0, 0, 60), server.port, "/schule-002/boot.txt")
                .unwrap()
                .0,
            200
        );
    }
}

#[test]
fn bad_input_is_refused_and_the_server_serves_on() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = room(tmp.path());
    let server = Server::start(&dir, &[]);
    let port = server.port;
    // A fixed, varied garbage: bytes of a simple generator, new lines included.
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let garbage: Vec<u8> = (0..4096)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect();
    for (what, request, status) in [
        ("no target", &b"GET\r\n\r\n"[..], 400),
        ("HTTP/2", b"GET / HTTP/2.0\r\n\r\n", 400),
        ("a header without a colon", b"GET / HTTP/1.1\r\nHost\r\n\r\n", 400),
        ("a space in the method", b"G ET / HTTP/1.1\r\n\r\n", 400),
        (
            "NUL in the request line",
            b"GET /schule-001/\0boot.txt HTTP/1.1\r\n\r\n",
            400,
        ),
        ("NUL before the method", b"\0GET / HTTP/1.1\r\n\r\n", 400),
        ("binary garbage", &garbage, 400),
    ] {
        assert_eq!(raw(port, request).status, status, "{what}");
    }
    // 65 headers (the limit is 64).
    let many: String = (0..65).map(|i| format!("X-{i}: y\r\n")).collect();
    assert_eq!(
        raw(port, format!("GET / HTTP/1.1\r\n{many}\r\n").as_bytes()).status,
        431
    );
    // A client that stops sending half-way (closes its side): 400, logged.
    let mut half = TcpStream::connect(("127.0.0.1", port)).unwrap();
    half.write_all(b"GET /schule-001/pre").unwrap();
    half.shutdown(std::net::Shutdown::Write).unwrap();
    half.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut answer = String::new();
    half.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 400 "), "{answer}");
    // One that goes away entirely mid-head, and one that connects and leaves at once.
    for sent in [&b"GET /schule-001/preseed.cfg HTTP/1.1\r\nHo"[..], b""] {
        let mut gone = TcpStream::connect(("127.0.0.1", port)).unwrap();
        gone.write_all(sent).unwrap();
        drop(gone);
    }
    server.wait_for_line("127.0.0.1 - - 400");
    assert_eq!(get(port, "/schule-001/boot.txt").status, 200);
    assert!(!server.log().contains("panicked"), "{}", server.log());
}

#[test]
fn a_client_that_never_reads_is_dropped_after_the_write_timeout() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = room(tmp.path());
    // Far more than the socket buffers hold (a few MB on loopback); sparse, so cheap.
    let big = std::fs::File::create(dir.join("schule-001/big.img")).unwrap();
    big.set_len(256 * 1024 * 1024).unwrap();
    let server = Server::start(&dir, &["--write-timeout", "1"]);
    let mut stuck = connect_from(Ipv4Addr::new(127, 0, 0, 2), server.port).unwrap();
    stuck.write_all(b"GET /schule-001/big.img HTTP/1.1\r\n\r\n").unwrap();
    let start = Instant::now();
    // While its write is blocked, the room is served.
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(get(server.port, "/schule-001/preseed.cfg").status, 200);
    let line = server.wait_for_line("GET /schule-001/big.img 200");
    let took = start.elapsed();
    assert!(line.contains("(stopped: "), "{line}");
    assert!(took < Duration::from_secs(8), "dropped after {took:?}");
    assert_eq!(get(server.port, "/schule-001/boot.txt").status, 200);
    drop(stuck);
}

#[test]
fn a_client_that_keeps_sending_after_its_request_is_closed_after_2_s() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = room(tmp.path());
    let server = Server::start(&dir, &[]);
    let mut stream = connect_from(Ipv4Addr::new(127, 0, 0, 2), server.port).unwrap();
    stream.write_all(b"GET /schule-001/boot.txt HTTP/1.1\r\n\r\n").unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    assert!(answer.starts_with(b"HTTP/1.1 200 "));
    // The server reads on for a moment (so a client sending a body sees the answer, not a
    // reset), but not for as long as the client sends: a byte every 200 ms, for at most 6 s.
    let start = Instant::now();
    let closed = (0..30).any(|_| {
        std::thread::sleep(Duration::from_millis(200));
        stream.write_all(b"x").is_err()
    });
    let took = start.elapsed();
    assert!(
        closed && took < Duration::from_secs(4),
        "closed: {closed} after {took:?}"
    );
    assert_eq!(get(server.port, "/schule-001/boot.txt").status, 200);
}

/// Clients that give up in the middle of their request head, many at once (a room's
/// installers cut off by a switch, or a flood): each is refused (400, logged) where its
/// head was read, without a place among those answered, so the next real fetches are served
/// at once instead of 503. Before, each was answered on a thread of its own: on a loaded
/// machine 300 such closes could hold all 256 places for a moment and the next fetch got 503
/// (seen in a fresh-machine run); on an idle one the threads end too soon to see it.
#[test]
fn clients_giving_up_mid_head_at_once_do_not_crowd_out_the_next() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = room(tmp.path());
    let server = Server::start(&dir, &[]);
    let from = loopback(2..=31);
    let mut streams: Vec<TcpStream> = (0..300)
        .map(|i| {
            let mut s = connect_from(from[i % from.len()], server.port).unwrap();
            s.write_all(b"GET /schule-001/preseed.cfg HTTP/1.1\r\nX-Half: ")
                .unwrap();
            s
        })
        .collect();
    // the server has read the half heads (they wait in its room) before all give up
    std::thread::sleep(Duration::from_millis(500));
    for s in &mut streams {
        s.shutdown(std::net::Shutdown::Write).unwrap();
    }
    drop(streams);
    let statuses: Vec<u16> = (0..20)
        .map(|_| get_from(Ipv4Addr::new(127, 0, 0, 100), server.port, "/schule-001/boot.txt").map(|(s, _)| s))
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(statuses.iter().all(|&s| s == 200), "{statuses:?}");
    // every one of them refused as what it was, none turned away for want of a place
    let start = Instant::now();
    let count = |status: &str| {
        let log = server.log();
        log.lines().filter(|l| l.contains(&format!("- - {status}"))).count()
    };
    while count("400") < 300 && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!((count("400"), count("503")), (300, 0), "{}", server.log());
}
