//! `upcycle serve`: the I/O edge of the bundle server. Checks the folder, binds the port,
//! tells the volunteer the installers' URLs, then hands over to [`crate::serve::serve`].

use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::catalog::{Family, InstallerFormat};
use crate::exit::{Exit, Failure};
use crate::l10n::{Localize, Localized, Said};
use crate::ledger;
use crate::media;
use crate::options::ServeOptions;
use crate::printer::Printer;
use crate::serve::{self, Log, LogSink, ServedBundle, Settings};

pub fn run(args: &ServeOptions, printer: &Printer) -> Result<Exit, Failure> {
    let root = served_root(&args.dir)?;
    let bundles = announced_bundles(&args.dir, &root, printer);
    let listener = bind(args.listen)?;
    let local = listener.local_addr().map_err(|e| {
        Failure::new(
            Exit::Internal,
            Said::new("err-serve-no-address").arg("why", Localized::of(&e)),
        )
    })?;
    // The first line, always: tests and scripts read the port from it (`--listen ...:0`).
    printer.status(&format!("listening on {local}"));
    let addrs = if local.ip().is_unspecified() {
        machine_ipv4_addrs()
    } else {
        Vec::new()
    };
    printer.status(serve::banner(&args.dir, local, &addrs, &bundles, printer.lang).trim_end());
    let log_printer = printer.clone();
    let sink: LogSink = Arc::new(move |line: &str| log_printer.status(line));
    let log = Log::new(sink, printer.lang);
    let mut settings = Settings::new(root.clone(), log.clone());
    settings.read_timeout = args.read_timeout;
    settings.write_timeout = args.write_timeout;
    settings.events = room_events(args, &root, local, &addrs, log, printer)?;
    serve::serve(listener, settings).map_err(|e| {
        Failure::new(
            Exit::Internal,
            Said::new("err-serve-stopped")
                .arg("listen", local.to_string())
                .arg("why", Localized::of(&e)),
        )
    })?;
    Ok(Exit::Success)
}

/// The ledger's events (callbacks, the room page) and the syslog receiver, when the served
/// folder (or `--ledger`) has a ledger. A `--ledger` that does not open is an error (exit
/// 3); the folder's own, damaged or too new, only a warning: the bundles are served all
/// the same on install day (and the file is left as it is). So is a UDP port in use.
fn room_events(
    args: &ServeOptions,
    root: &Path,
    local: SocketAddr,
    machine_addrs: &[std::net::Ipv4Addr],
    log: Log,
    printer: &Printer,
) -> Result<Option<Arc<serve::Events>>, Failure> {
    let path = args.ledger.clone().unwrap_or_else(|| root.join(ledger::FILE_NAME));
    if args.ledger.is_none() && !path.is_file() {
        printer.status(&printer.format("serve-no-ledger", &[("dir", args.dir.display().to_string().into())]));
        return Ok(None);
    }
    let events = match serve::Events::start(&path, log) {
        Ok(events) => events,
        Err(e) if args.ledger.is_none() => {
            printer.warn(&printer.format("serve-ledger-unusable", &[("why", e.localize(printer.lang).into())]));
            return Ok(None);
        }
        Err(e) => return Err(e.into()),
    };
    // The same host as the boot lines of the banner: the first of this PC's addresses.
    let host = serve::url_hosts(local, machine_addrs)
        .into_iter()
        .next()
        .unwrap_or_else(|| printer.text("serve-this-pc"));
    let room = format!("http://{host}:{}/room", local.port());
    printer.status(&printer.format("serve-room", &[("url", room.into())]));
    if !args.syslog {
        return Ok(Some(events));
    }
    let nets = serve::syslog::Nets::new(machine_nets());
    match UdpSocket::bind(local) {
        Ok(socket) => {
            enlarge_receive_buffer(&socket);
            printer.status(&printer.format(
                "serve-syslog",
                &[("addr", local.to_string().into()), ("nets", nets.describe().into())],
            ));
            let events = events.clone();
            std::thread::Builder::new()
                .name("serve-syslog".into())
                .spawn(move || serve::receive_syslog(socket, events, nets))
                .map_err(|e| {
                    Failure::new(
                        Exit::Internal,
                        Said::new("err-serve-no-thread").arg("why", Localized::of(&e)),
                    )
                })?;
        }
        Err(e) => printer.warn(&printer.format(
            "serve-no-syslog",
            &[
                ("addr", local.to_string().into()),
                ("why", e.localize(printer.lang).into()),
            ],
        )),
    }
    Ok(Some(events))
}

/// A bigger receive buffer: a room's installers send in bursts (debootstrap, pkgsel).
/// The kernel caps it at `net.core.rmem_max`; a refusal leaves the default.
fn enlarge_receive_buffer(socket: &UdpSocket) {
    use nix::sys::socket::{setsockopt, sockopt};
    let _ = setsockopt(socket, sockopt::RcvBuf, &(4 * 1024 * 1024));
}

/// This PC's networks (address and prefix length of every interface that is up).
fn machine_nets() -> Vec<(IpAddr, u8)> {
    use nix::net::if_::InterfaceFlags;
    let Ok(addrs) = nix::ifaddrs::getifaddrs() else {
        return Vec::new();
    };
    addrs
        .filter(|a| a.flags.contains(InterfaceFlags::IFF_UP))
        .filter_map(|a| {
            let ip = a.address?.as_sockaddr_in()?.ip();
            let mask = a.netmask?.as_sockaddr_in()?.ip();
            Some((IpAddr::V4(ip), u32::from(mask).count_ones() as u8))
        })
        .collect()
}

/// The folder to serve, canonical: it must exist and hold bundle folders.
fn served_root(dir: &Path) -> Result<PathBuf, Failure> {
    let bad = |said: Said| Failure::new(Exit::BadInput, said);
    let shown = dir.display().to_string();
    if !dir.exists() {
        return Err(bad(Said::new("err-serve-no-folder").arg("path", shown)));
    }
    if !dir.is_dir() {
        return Err(bad(Said::new("err-serve-not-folder").arg("path", shown)));
    }
    if media::is_bundle(dir) {
        let parent = dir
            .canonicalize()
            .ok()
            .and_then(|d| d.parent().map(Path::to_path_buf))
            .unwrap_or_else(|| PathBuf::from(".."));
        return Err(bad(Said::new("err-serve-one-bundle")
            .arg("path", shown)
            .arg("parent", parent.display().to_string())));
    }
    let cannot = |e: std::io::Error| {
        bad(Said::new("err-serve-cannot-read")
            .arg("path", shown.as_str())
            .arg("why", Localized::of(&e)))
    };
    let root = dir.canonicalize().map_err(cannot)?;
    std::fs::read_dir(&root).map_err(cannot)?;
    if serve::bundle_ids(&root).is_empty() {
        return Err(bad(Said::new("err-serve-no-bundles").arg("path", shown)));
    }
    Ok(root)
}

/// What the banner lists: each bundle's system, read from its selection; a bundle that does
/// not read is still served (its files are there), with a warning.
fn announced_bundles(dir: &Path, root: &Path, printer: &Printer) -> Vec<ServedBundle> {
    serve::bundle_ids(root)
        .into_iter()
        .map(|id| match media::read_bundle(&dir.join(&id)) {
            Ok(info) => ServedBundle {
                system: format!(
                    "{} {} {}",
                    match info.family {
                        Family::Debian => "Debian",
                        Family::Ubuntu => "Ubuntu",
                    },
                    info.release,
                    info.arch.as_str()
                ),
                preseed: info.installer == InstallerFormat::Preseed,
                asset_id: id,
            },
            Err(e) => {
                printer.warn(&printer.format("serve-bundle-unreadable", &[("why", e.localize(printer.lang).into())]));
                ServedBundle {
                    system: "?".into(),
                    preseed: !root.join(&id).join("user-data").is_file(),
                    asset_id: id,
                }
            }
        })
        .collect()
}

fn bind(listen: SocketAddr) -> Result<TcpListener, Failure> {
    TcpListener::bind(listen).map_err(|e| {
        let (ip, port) = (listen.ip(), listen.port());
        match e.kind() {
            std::io::ErrorKind::AddrInUse => Failure::new(
                Exit::Internal,
                Said::new("err-serve-port-in-use").arg("port", port as u64).arg(
                    "listen",
                    SocketAddr::new(ip, port.wrapping_add(1).max(1024)).to_string(),
                ),
            ),
            std::io::ErrorKind::PermissionDenied => Failure::new(
                Exit::Internal,
                Said::new("err-serve-port-root")
                    .arg("port", port as u64)
                    .arg("listen", SocketAddr::new(ip, 8080).to_string()),
            ),
            std::io::ErrorKind::AddrNotAvailable => Failure::new(
                Exit::Usage,
                Said::new("err-serve-not-here").arg("ip", ip.to_string()).arg(
                    "listen",
                    SocketAddr::new(std::net::Ipv4Addr::UNSPECIFIED.into(), port).to_string(),
                ),
            ),
            _ => Failure::new(
                Exit::Internal,
                Said::new("err-serve-cannot-listen")
                    .arg("listen", listen.to_string())
                    .arg("why", Localized::of(&e)),
            ),
        }
    })
}

/// This PC's IPv4 addresses on networks that are up, loopback left out, sorted.
fn machine_ipv4_addrs() -> Vec<Ipv4Addr> {
    use nix::net::if_::InterfaceFlags;
    let Ok(addrs) = nix::ifaddrs::getifaddrs() else {
        return Vec::new();
    };
    let mut out: Vec<Ipv4Addr> = addrs
        .filter(|a| a.flags.contains(InterfaceFlags::IFF_UP) && !a.flags.contains(InterfaceFlags::IFF_LOOPBACK))
        .filter_map(|a| a.address.and_then(|s| s.as_sockaddr_in().map(|v4| v4.ip())))
        .filter(|ip| !ip.is_loopback() && !ip.is_unspecified())
        .collect();
    out.sort();
    out.dedup();
    out
}
