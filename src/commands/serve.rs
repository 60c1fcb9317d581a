//! `upcycle serve`: the I/O edge of the bundle server. Checks the folder, binds the port,
//! tells the volunteer the installers' URLs, then hands over to [`crate::serve::serve`].

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::anyhow;

use crate::catalog::{Family, InstallerFormat};
use crate::cli::ServeArgs;
use crate::exit::{Exit, Failure};
use crate::media;
use crate::printer::Printer;
use crate::serve::{self, LogSink, ServedBundle, Settings};

pub fn run(args: &ServeArgs, printer: &Printer) -> Result<Exit, Failure> {
    let root = served_root(&args.dir)?;
    let bundles = announced_bundles(&args.dir, &root, printer);
    let listener = bind(args.listen)?;
    let local = listener
        .local_addr()
        .map_err(|e| Failure::new(Exit::Internal, anyhow!("the listening socket has no address: {e}")))?;
    // The first line, always: tests and scripts read the port from it (`--listen ...:0`).
    printer.status(&format!("listening on {local}"));
    let addrs = if local.ip().is_unspecified() {
        machine_ipv4_addrs()
    } else {
        Vec::new()
    };
    printer.status(serve::banner(&args.dir, local, &addrs, &bundles).trim_end());
    let log_printer = printer.clone();
    let log: LogSink = Arc::new(move |line: &str| log_printer.status(line));
    let mut settings = Settings::new(root, log);
    settings.read_timeout = Duration::from_secs(args.read_timeout.max(1));
    serve::serve(listener, settings)
        .map_err(|e| Failure::new(Exit::Internal, anyhow!("listening on {local} failed: {e}")))?;
    Ok(Exit::Success)
}

/// The folder to serve, canonical: it must exist and hold bundle folders.
fn served_root(dir: &Path) -> Result<PathBuf, Failure> {
    let bad = |message: String| Failure::new(Exit::BadInput, anyhow!(message));
    let shown = dir.display();
    if !dir.exists() {
        return Err(bad(format!(
            "{shown}: no such folder; give the folder `upcycle batch -o` (or `generate -o`) wrote"
        )));
    }
    if !dir.is_dir() {
        return Err(bad(format!(
            "{shown} is not a folder; give the folder that holds the bundle folders"
        )));
    }
    if media::is_bundle(dir) {
        let parent = dir
            .canonicalize()
            .ok()
            .and_then(|d| d.parent().map(Path::to_path_buf))
            .unwrap_or_else(|| PathBuf::from(".."));
        return Err(bad(format!(
            "{shown} is one bundle folder; serve the folder that holds it (`upcycle serve {}`): \
             the installers fetch /<asset-id>/preseed.cfg",
            parent.display()
        )));
    }
    let root = dir
        .canonicalize()
        .map_err(|e| bad(format!("cannot read {shown}: {e}")))?;
    std::fs::read_dir(&root).map_err(|e| bad(format!("cannot read {shown}: {e}")))?;
    if serve::bundle_ids(&root).is_empty() {
        return Err(bad(format!(
            "{shown} holds no bundle folders (folders named like schule-001 with a selection.yaml); \
             make them with `upcycle batch` or `upcycle generate`"
        )));
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
                printer.status(&format!("warning: {e} (its files are served anyway)"));
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
                anyhow!(
                    "port {port} is in use (another `upcycle serve`, or a web server?): pass --listen {}",
                    SocketAddr::new(ip, port.wrapping_add(1).max(1024))
                ),
            ),
            std::io::ErrorKind::PermissionDenied => Failure::new(
                Exit::Internal,
                anyhow!(
                    "listening on port {port} needs root (ports below 1024): pass --listen {}",
                    SocketAddr::new(ip, 8080)
                ),
            ),
            std::io::ErrorKind::AddrNotAvailable => Failure::new(
                Exit::Usage,
                anyhow!(
                    "{ip} is not an address of this PC: pass --listen {} (every network) or one of its addresses",
                    SocketAddr::new(std::net::Ipv4Addr::UNSPECIFIED.into(), port)
                ),
            ),
            _ => Failure::new(Exit::Internal, anyhow!("cannot listen on {listen}: {e}")),
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
