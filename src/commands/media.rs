//! `upcycle media netboot|usb`: boot media for bundles. The I/O edge: read the bundles
//! and installer images, let `media::netboot` / `media::usb` plan the files, write the
//! tree atomically.

use std::fs;
use std::net::Ipv4Addr;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

use anyhow::Context;
use sha2::{Digest, Sha256};

use crate::atomic;
use crate::catalog::Arch;
use crate::cli::{MediaCommand, NetbootArgs, UsbArgs};
use crate::exit::{Exit, Failure, OrExit};
use crate::media::netboot::{self, NetbootBundle, NetbootInput, Subnet, TreeFile};
use crate::media::{self, InstallerImages, MediaError, disk_image, usb};
use crate::printer::Printer;

pub fn run(cmd: &MediaCommand, printer: &Printer) -> Result<Exit, Failure> {
    match cmd {
        MediaCommand::Netboot(args) => netboot(args, printer),
        MediaCommand::Usb(args) => usb(args, printer),
    }
}

/// `--append "a b"` as kernel parameters (each checked where it is used).
fn split_params(append: Option<&str>) -> Vec<String> {
    append.unwrap_or("").split_whitespace().map(str::to_string).collect()
}

/// Exit 4 when an output is there already and `--force` was not given.
fn refuse_existing(output: &Path, force: bool) -> Result<(), Failure> {
    if output.exists() && !force {
        return Err(Failure::new(
            Exit::OutputExists,
            anyhow::anyhow!(
                "{} exists already: choose another name or add --force",
                output.display()
            ),
        ));
    }
    Ok(())
}

fn netboot(args: &NetbootArgs, printer: &Printer) -> Result<Exit, Failure> {
    let usage = |msg: String| Failure::new(Exit::Usage, anyhow::anyhow!(msg));
    let server: Ipv4Addr = args.server.parse().map_err(|_| {
        usage(format!(
            "--server '{}' is not an IPv4 address: give the workshop PC's address on the laptops' network, like 192.168.1.10",
            args.server
        ))
    })?;
    let subnet = match &args.subnet {
        Some(text) => Subnet::parse(text).map_err(|e| usage(format!("--subnet: {e}")))?,
        None => Subnet::around(server, 24),
    };
    if !subnet.contains(server) {
        return Err(usage(format!("--server {server} is not in --subnet {subnet}")));
    }
    let append = split_params(args.append.as_deref());
    refuse_existing(&args.output, args.force)?;
    let tree = absolute_output(&args.output)?;
    let tftp_root = format!("{tree}/tftp");

    let (bundles, skipped) = read_netboot_bundles(&args.bundles)?;
    for (id, why) in &skipped {
        printer.status(&format!("warning: skipping {id}: {why}"));
    }
    let mut needed: Vec<(String, Arch)> = bundles.iter().map(|b| (b.info.release.clone(), b.info.arch)).collect();
    needed.sort();
    needed.dedup();
    let images = needed
        .iter()
        .map(|(release, arch)| InstallerImages::locate(&args.images.images, release, *arch))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Failure::new(Exit::BadInput, e))?;
    let serve_dir = common_parent(&bundles);
    let input = NetbootInput {
        bundles: &bundles,
        images: &images,
        server,
        http_port: args.http_port,
        subnet,
        tftp_root,
        append: &append,
        serve_dir: serve_dir.clone(),
    };
    let files = netboot::plan(&input).map_err(|e| Failure::new(Exit::BadInput, e))?;

    let tmp =
        atomic::temp_dir_for(&args.output).or_exit(Exit::Internal, "cannot create a temp dir beside the output")?;
    write_tree(tmp.path(), &files, &images)?;
    atomic::publish_dir(tmp, &args.output, args.force).or_exit(
        Exit::Internal,
        format!("cannot move the tree to {}", args.output.display()),
    )?;

    let by_mac = bundles.iter().filter(|b| !b.info.ethernet_macs.is_empty()).count();
    let mut out = format!(
        "network install tree for {} machines ({by_mac} start by their MAC address) -> {tree}\n",
        bundles.len()
    );
    for b in &bundles {
        let how = if b.info.ethernet_macs.is_empty() {
            "menu".to_string()
        } else {
            b.info.ethernet_macs.join(", ")
        };
        out.push_str(&format!(
            "  {}: Debian {} {} ({how})\n",
            b.info.asset_id,
            b.info.release,
            b.info.arch.as_str()
        ));
    }
    let serve = match &serve_dir {
        Some(dir) => format!("upcycle serve {dir} --listen 0.0.0.0:{}", args.http_port),
        None => "upcycle serve <one folder holding all the bundles> (they come from several folders)".into(),
    };
    out.push_str(&format!(
        "next: sudo {tree}/start.sh, and in a second terminal: {serve}\n"
    ));
    printer.out(&out);
    Ok(Exit::Success)
}

/// The output's absolute path, for dnsmasq's `tftp-root=`; refuses what a dnsmasq
/// option cannot hold.
fn absolute_output(output: &Path) -> Result<String, Failure> {
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let parent = parent.canonicalize().or_exit(
        Exit::Usage,
        format!("-o {}: its parent folder must exist", output.display()),
    )?;
    let name = output.file_name().filter(|n| *n != "." && *n != "..").ok_or_else(|| {
        Failure::new(
            Exit::Usage,
            anyhow::anyhow!("-o {}: name a new folder", output.display()),
        )
    })?;
    let path = parent.join(name);
    let text = path.to_str().filter(|t| {
        t.chars()
            .all(|c| !c.is_control() && !matches!(c, ',' | '"' | '\\' | '#' | '\'' | '$' | '`'))
    });
    text.map(str::to_string).ok_or_else(|| {
        Failure::new(
            Exit::Usage,
            anyhow::anyhow!(
                "-o {}: dnsmasq.conf names this folder, and its path has characters dnsmasq or sh cannot take \
                 (, \" \\ # ' $ ` or control characters); choose another folder",
                path.display()
            ),
        )
    })
}

/// Bundles left out of the tree: (asset id, why).
type Skipped = Vec<(String, String)>;

/// The Debian bundles among BUNDLES (sorted by asset id) and the skipped ones with why.
fn read_netboot_bundles(paths: &[PathBuf]) -> Result<(Vec<NetbootBundle>, Skipped), Failure> {
    let bad = |e: MediaError| Failure::new(Exit::BadInput, e);
    let dirs = media::find_bundles(paths).map_err(bad)?;
    let mut bundles = Vec::new();
    let mut skipped = Vec::new();
    let mut first_not_debian = None;
    for dir in dirs {
        let info = media::read_bundle(&dir).map_err(bad)?;
        if let Err(e) = info.require_debian("a network install") {
            skipped.push((info.asset_id.clone(), e.to_string()));
            first_not_debian.get_or_insert(e);
            continue;
        }
        let preseed_path = dir.join("preseed.cfg");
        let preseed = std::fs::read_to_string(&preseed_path).map_err(|source| {
            bad(MediaError::Io {
                path: preseed_path.display().to_string(),
                source,
            })
        })?;
        let value = |key: &str| {
            netboot::preseed_value(&preseed, key).ok_or_else(|| {
                bad(MediaError::BadBundle {
                    path: preseed_path.display().to_string(),
                    message: format!("no `d-i {key}` line: the boot line needs it (generate the bundle again)"),
                })
            })
        };
        let locale = value("debian-installer/locale")?;
        let keymap = value("keyboard-configuration/xkb-keymap")?;
        bundles.push(NetbootBundle { info, locale, keymap });
    }
    if bundles.is_empty() {
        return Err(match first_not_debian {
            Some(e) => bad(e),
            None => Failure::new(Exit::BadInput, anyhow::anyhow!("no bundles given")),
        });
    }
    bundles.sort_by(|a, b| a.info.asset_id.cmp(&b.info.asset_id));
    Ok((bundles, skipped))
}

/// The one folder holding every bundle (what `upcycle serve` must serve), if there is one.
fn common_parent(bundles: &[NetbootBundle]) -> Option<String> {
    let mut parents = bundles.iter().map(|b| {
        let parent = b
            .info
            .dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        parent.canonicalize().unwrap_or_else(|_| parent.to_path_buf())
    });
    let first = parents.next()?;
    parents.all(|p| p == first).then(|| first.display().to_string())
}

/// Write the planned files under `root`: copies of the installer images, generated
/// texts; folders 0755 and files 0644 (dnsmasq serves only world-readable files).
fn write_tree(root: &Path, files: &[TreeFile], images: &[InstallerImages]) -> Result<(), Failure> {
    let internal =
        |what: String| move |e: std::io::Error| Failure::new(Exit::Internal, anyhow::Error::new(e).context(what));
    let missing_image = |from: &Path, e: std::io::Error| {
        let package = images
            .iter()
            .find(|i| from.starts_with(&i.text_dir))
            .map(|i| format!("debian-installer-{}-netboot-{}", i.release, i.arch.as_str()))
            .unwrap_or_else(|| "the debian-installer netboot package".into());
        Failure::new(
            Exit::BadInput,
            anyhow::anyhow!(
                "the installer images are incomplete: cannot read {} ({e}); reinstall {package}",
                from.display()
            ),
        )
    };
    fs::set_permissions(root, fs::Permissions::from_mode(0o755))
        .map_err(internal(format!("cannot set the mode of {}", root.display())))?;
    for file in files {
        let target = root.join(&file.path);
        let parent = target.parent().unwrap_or(root);
        create_dirs(root, parent).map_err(internal(format!("cannot create {}", parent.display())))?;
        match &file.content {
            netboot::Content::Text(text) => {
                fs::write(&target, text).map_err(internal(format!("cannot write {}", target.display())))?
            }
            netboot::Content::Copy(from) => {
                fs::copy(from, &target).map_err(|e| missing_image(from, e))?;
            }
            netboot::Content::CopyDir { from, except } => {
                let mut entries: Vec<_> = walkdir::WalkDir::new(from)
                    .sort_by_file_name()
                    .into_iter()
                    .collect::<Result<_, _>>()
                    .map_err(|e| missing_image(from, e.into()))?;
                entries.retain(|e| !except.iter().any(|x| e.file_name() == *x));
                for entry in entries {
                    let rel = entry.path().strip_prefix(from).expect("walkdir stays below its root");
                    let dest = target.join(rel);
                    if entry.file_type().is_dir() {
                        create_dirs(root, &dest).map_err(internal(format!("cannot create {}", dest.display())))?;
                    } else {
                        fs::copy(entry.path(), &dest).map_err(|e| missing_image(entry.path(), e))?;
                        set_mode(&dest, 0o644)?;
                    }
                }
                continue;
            }
        }
        set_mode(&target, if file.executable { 0o755 } else { 0o644 })?;
    }
    Ok(())
}

fn set_mode(path: &Path, mode: u32) -> Result<(), Failure> {
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
        .or_exit(Exit::Internal, format!("cannot set the mode of {}", path.display()))
}

/// `create_dir_all` with mode 0755 for every folder it makes below `root`.
fn create_dirs(root: &Path, dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    fs::DirBuilder::new().recursive(true).mode(0o755).create(dir)?;
    // DirBuilder's mode is masked by the umask: set it on each new level.
    let mut d = dir;
    while d != root && d.starts_with(root) {
        fs::set_permissions(d, fs::Permissions::from_mode(0o755))?;
        d = match d.parent() {
            Some(p) => p,
            None => break,
        };
    }
    Ok(())
}

fn usb(args: &UsbArgs, printer: &Printer) -> Result<Exit, Failure> {
    let bad = |e: anyhow::Error| Failure::new(Exit::BadInput, e);
    if !media::is_bundle(&args.bundle) {
        return Err(bad(MediaError::NotABundle {
            path: args.bundle.display().to_string(),
        }
        .into()));
    }
    let info = media::read_bundle(&args.bundle).map_err(|e| bad(e.into()))?;
    info.require_debian("a USB stick").map_err(|e| bad(e.into()))?;
    let append = split_params(args.append.as_deref());
    if let Some(p) = append.iter().find(|p| !usb::valid_param(p)) {
        return Err(Failure::new(
            Exit::Usage,
            anyhow::Error::new(usb::UsbError::BadParam(p.clone())).context("--append"),
        ));
    }
    for out in std::iter::once(&args.output).chain(args.image.as_ref()) {
        refuse_existing(out, args.force)?;
    }
    let tools = match &args.image {
        Some(_) => Some(disk_image::Tools::find().map_err(|e| Failure::new(Exit::Internal, e))?),
        None => None,
    };
    let images = InstallerImages::locate(&args.images.images, &info.release, info.arch).map_err(|e| bad(e.into()))?;
    let installer = read_installer(&images).map_err(bad)?;
    let bundle_files = read_bundle_files(&info.dir).map_err(bad)?;
    let files = usb::build(&info, &bundle_files, &installer, &append)
        .with_context(|| format!("making the stick for {}", info.dir.display()))
        .map_err(bad)?;

    let tmp =
        atomic::temp_dir_for(&args.output).or_exit(Exit::Internal, "cannot create a temp dir beside the output")?;
    for f in &files {
        let path = tmp.path().join(&f.path);
        let write = || -> std::io::Result<()> {
            fs::create_dir_all(path.parent().expect("stick files are inside the tree"))?;
            fs::write(&path, &f.data)?;
            fs::set_permissions(&path, fs::Permissions::from_mode(f.mode))
        };
        write().or_exit(Exit::Internal, format!("cannot write {}", path.display()))?;
    }
    let total: u64 = files.iter().map(|f| f.data.len() as u64).sum();
    let image = match (&args.image, &tools) {
        (Some(path), Some(tools)) => {
            printer.status(&format!("making the disk image {}", path.display()));
            let part_bytes = disk_image::partition_bytes(files.iter().map(|f| f.data.len() as u64));
            let mut file = atomic::temp_file_for(path).or_exit(Exit::Internal, "cannot create a temp file")?;
            file.as_file()
                .set_permissions(fs::Permissions::from_mode(0o644))
                .or_exit(Exit::Internal, "cannot set the image's mode")?;
            let work = atomic::temp_dir_for(path).or_exit(Exit::Internal, "cannot create a temp dir")?;
            let digest = Sha256::digest(info.asset_id.as_bytes());
            let disk_id = u32::from_le_bytes([digest[0], digest[1], digest[2], digest[3]]);
            disk_image::write_image(tools, tmp.path(), part_bytes, disk_id, work.path(), file.as_file_mut())
                .or_exit(Exit::Internal, format!("cannot make the disk image {}", path.display()))?;
            Some((path, file, part_bytes))
        }
        _ => None,
    };
    atomic::publish_dir(tmp, &args.output, args.force).or_exit(
        Exit::Internal,
        format!("cannot move the stick's files to {}", args.output.display()),
    )?;
    let mib = |b: u64| b.div_ceil(1 << 20);
    let mut text = format!(
        "{id}: USB stick files in {dir} ({size} MiB, Debian {release} {arch}, {title})\n",
        id = info.asset_id,
        dir = args.output.display(),
        size = mib(total),
        release = info.release,
        arch = info.arch.as_str(),
        title = usb::menu_title(&info),
    );
    if let Some((path, file, part_bytes)) = image {
        file.persist(path)
            .map_err(|e| e.error)
            .or_exit(Exit::Internal, format!("cannot write {}", path.display()))?;
        text.push_str(&format!(
            "{id}: disk image {path} ({size} MiB): write it with `sudo dd if={path} of=/dev/sdX bs=4M conv=fsync` \
             or GNOME Disks (Restore Disk Image)\n",
            id = info.asset_id,
            path = path.display(),
            size = mib(part_bytes) + 1,
        ));
    } else {
        text.push_str(
            "next: copy the folder's contents onto a FAT32 stick; for BIOS boot run \
             `sudo syslinux --install /dev/sdX1` once (docs/media-usb.md)\n",
        );
    }
    printer.out(&text);
    Ok(Exit::Success)
}

/// Kernel, initrd, EFI loaders and the GRUB folder of the netboot images.
fn read_installer(images: &InstallerImages) -> anyhow::Result<usb::InstallerFiles> {
    let read = |p: PathBuf| fs::read(&p).with_context(|| format!("cannot read {}", p.display()));
    let grub_dir = images.di_dir().join("grub");
    let mut grub_files = Vec::new();
    if grub_dir.is_dir() {
        for entry in walkdir::WalkDir::new(&grub_dir).sort_by_file_name() {
            let entry = entry.with_context(|| format!("cannot read {}", grub_dir.display()))?;
            if entry.file_type().is_file() {
                let rel = entry
                    .path()
                    .strip_prefix(&grub_dir)
                    .expect("walkdir stays below its root");
                let rel = rel
                    .to_str()
                    .with_context(|| format!("{}: not a UTF-8 name", entry.path().display()))?;
                grub_files.push((rel.to_string(), read(entry.path().to_path_buf())?));
            }
        }
    }
    Ok(usb::InstallerFiles {
        arch: images.arch,
        kernel: read(images.kernel())?,
        initrd: read(images.initrd())?,
        efi_shim: read(images.efi_shim())?,
        efi_grub: read(images.efi_grub())?,
        grub_files,
        version_info: images.version_info(),
    })
}

/// The regular files of a bundle folder, sorted by name.
fn read_bundle_files(dir: &Path) -> anyhow::Result<Vec<usb::BundleFile>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        let meta = fs::metadata(entry.path()).with_context(|| format!("cannot read {}", entry.path().display()))?;
        if !meta.is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue; // hidden files (file manager metadata) are not part of the bundle
        }
        let data = fs::read(entry.path()).with_context(|| format!("cannot read {}", entry.path().display()))?;
        files.push(usb::BundleFile {
            name,
            mode: meta.permissions().mode(),
            data,
        });
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}
