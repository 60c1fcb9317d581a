//! `upcycle media netboot|usb`: boot media for bundles. The I/O edge: read the bundles
//! and installer images, let `media::netboot` / `media::usb` plan the files, write the
//! tree atomically.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use anyhow::Context;
use sha2::{Digest, Sha256};

use crate::atomic;
use crate::catalog::Arch;
use crate::exit::{Exit, Failure, OrExit};
use crate::l10n::Said;
use crate::media::netboot::{self, NetbootBundle, NetbootInput};
use crate::media::{self, InstallerImages, MediaError, disk_image, usb};
use crate::options::{FetchImagesOptions, ImagesFrom, MediaOptions, NetbootOptions, UsbOptions};
use crate::printer::Printer;
use crate::tree::{self, TreeFile};

pub fn run(cmd: &MediaOptions, printer: &Printer) -> Result<Exit, Failure> {
    match cmd {
        MediaOptions::Netboot(opts) => netboot(opts, printer),
        MediaOptions::Usb(opts) => usb(opts, printer),
        MediaOptions::Images(opts) => images(opts, printer),
    }
}

/// `media images`: fetch (or confirm) each wanted release/arch; the first failure ends
/// the run with its exit code, after what was done before it is said.
fn images(args: &FetchImagesOptions, printer: &Printer) -> Result<Exit, Failure> {
    use media::images::{self, Fetched, Replaced};
    let workshop = super::generate::read_workshop(args.workshop.as_deref())?;
    let mirror = images::Mirror::of(&workshop);
    let via = match &mirror.proxy {
        Some(p) => printer.format("images-via-proxy", &[("proxy", p.as_str().into())]),
        None => String::new(),
    };
    for (release, arch) in &args.wanted {
        let arch_s = arch.as_str();
        printer.status(&printer.format(
            "images-checking",
            &[
                ("release", release.as_str().into()),
                ("arch", arch_s.into()),
                ("mirror", mirror.base.as_str().into()),
                ("via", via.as_str().into()),
            ],
        ));
        let req = images::Request {
            release,
            arch: *arch,
            cache: &args.cache,
            keyring: &args.keyring,
            mirror: &mirror,
        };
        let result = images::fetch(&req, &|said| printer.status(&crate::l10n::say(printer.lang, said)));
        let entry_args = |e: &images::Entry| {
            vec![
                ("release", release.as_str().into()),
                ("arch", arch_s.into()),
                ("version", e.release_version.as_str().into()),
                ("build", e.build.as_str().into()),
                ("dir", e.dir.display().to_string().into()),
                ("files", (e.files as u64).into()),
                ("size", e.bytes.div_ceil(1 << 20).into()),
            ]
        };
        match result.map_err(Failure::from)? {
            Fetched::Downloaded { entry, bytes, replaced } => {
                match replaced {
                    Some(Replaced::Broken(why)) => printer.warn(&printer.format(
                        "images-replaced-broken",
                        &[
                            ("dir", entry.dir.display().to_string().into()),
                            ("why", crate::printer::error_text(&why, printer.lang).into()),
                        ],
                    )),
                    Some(Replaced::Older { version }) => {
                        printer.status(&printer.format("images-replaced-older", &[("version", version.into())]))
                    }
                    None => {}
                }
                let mut a = entry_args(&entry);
                a.push(("download", bytes.div_ceil(1 << 20).into()));
                printer.out(&format!("{}\n", printer.format("images-fetched", &a)));
            }
            Fetched::UpToDate(entry) => {
                printer.out(&format!(
                    "{}\n",
                    printer.format("images-up-to-date", &entry_args(&entry))
                ));
            }
            Fetched::Offline { entry, why } => {
                printer.warn(&printer.format(
                    "images-offline",
                    &[("why", crate::printer::error_text(&why, printer.lang).into())],
                ));
                printer.out(&format!("{}\n", printer.format("images-cached", &entry_args(&entry))));
            }
        }
    }
    Ok(Exit::Success)
}

/// The installer images of one release and architecture: only `--images DIR` when given;
/// else the cache of `media images` (checked again: a damaged entry is never used), then
/// the packages' folder. Neither: exit 3 naming `upcycle media images`.
fn locate_images(from: &ImagesFrom, release: &str, arch: Arch, printer: &Printer) -> Result<InstallerImages, Failure> {
    let bad = |e: MediaError| Failure::new(Exit::BadInput, e);
    if let Some(dir) = &from.dir {
        return InstallerImages::locate(dir, release, arch).map_err(bad);
    }
    let entry = media::images::entry_dir(&from.cache, release, arch);
    let mut broken = None;
    if entry.exists() {
        match media::images::check_entry(&entry, release, arch, None) {
            Ok(_) => return InstallerImages::locate(&from.cache, release, arch).map_err(bad),
            Err(e) => broken = Some(e),
        }
    }
    if let Ok(images) = InstallerImages::locate(&from.system, release, arch) {
        if let Some(e) = &broken {
            printer.warn(&printer.format(
                "images-cache-broken-using-package",
                &[
                    ("dir", entry.display().to_string().into()),
                    ("why", crate::printer::error_text(e, printer.lang).into()),
                ],
            ));
        }
        return Ok(images);
    }
    Err(match broken {
        Some(e) => Failure::new(
            Exit::BadInput,
            anyhow::Error::new(e).context(
                Said::new("err-media-cache-broken")
                    .arg("dir", entry.display().to_string())
                    .arg("release", release)
                    .arg("arch", arch.as_str()),
            ),
        ),
        None => bad(MediaError::NoImagesAnywhere {
            release: release.to_string(),
            arch: arch.as_str().to_string(),
            cache: from.cache.display().to_string(),
        }),
    })
}

/// Check an output before the work: a file where the folder (`-o`) goes, or a folder
/// where the image (`--image`) goes, is a wrong command line (2), even with `--force`,
/// which would otherwise replace an unrelated file by a tree; one that is there already
/// needs `--force` (else 4). Said in the terminal's language.
fn refuse_existing(output: &Path, force: bool, folder: bool) -> Result<(), Failure> {
    let path = output.display().to_string();
    if folder && output.exists() && !output.is_dir() {
        return Err(Failure::new(
            Exit::Usage,
            Said::new("err-output-is-file").arg("path", path),
        ));
    }
    if !folder && output.is_dir() {
        return Err(Failure::new(
            Exit::Usage,
            Said::new("err-image-is-folder")
                .arg("path", path)
                .arg("example", output.join("stick.img").display().to_string()),
        ));
    }
    if output.symlink_metadata().is_ok() && !force {
        return Err(Failure::new(
            Exit::OutputExists,
            Said::new("err-output-exists").arg("path", path),
        ));
    }
    Ok(())
}

fn netboot(args: &NetbootOptions, printer: &Printer) -> Result<Exit, Failure> {
    let (server, subnet, append) = (args.server, args.subnet, &args.append);
    refuse_existing(&args.output, args.force, true)?;
    let tree = absolute_output(&args.output)?;
    let tftp_root = format!("{tree}/tftp");

    let (bundles, skipped) = read_netboot_bundles(&args.bundles)?;
    for (id, why) in &skipped {
        printer.warn(&printer.format(
            "msg-media-skipping",
            &[("id", id.to_string().into()), ("why", why.to_string().into())],
        ));
    }
    let mut needed: Vec<(String, Arch)> = bundles.iter().map(|b| (b.info.release.clone(), b.info.arch)).collect();
    needed.sort();
    needed.dedup();
    let images = needed
        .iter()
        .map(|(release, arch)| locate_images(&args.images, release, *arch, printer))
        .collect::<Result<Vec<_>, _>>()?;
    let serve_dir = common_parent(&bundles);
    let grub_modules = list_grub_modules(&images)?;
    // The static upcycle for each architecture whose bundles erase in the installer (needed),
    // and for the others when there is one (for the laptops' self-check at the first boot).
    let mut upcycle = std::collections::BTreeMap::new();
    for b in bundles.iter().filter(|b| b.info.erase_before_install) {
        if let std::collections::btree_map::Entry::Vacant(slot) = upcycle.entry(b.info.arch) {
            slot.insert(
                media::read_upcycle(&args.upcycle_static, b.info.arch, &b.info.asset_id)
                    .map_err(|e| Failure::new(Exit::BadInput, e))?,
            );
        }
    }
    for b in &bundles {
        if let std::collections::btree_map::Entry::Vacant(slot) = upcycle.entry(b.info.arch)
            && let Ok(binary) = media::read_upcycle(&args.upcycle_static, b.info.arch, &b.info.asset_id)
        {
            slot.insert(binary);
        }
    }
    let input = NetbootInput {
        bundles: &bundles,
        images: &images,
        server,
        http_port: args.http_port,
        subnet,
        tftp_root,
        append,
        serve_dir: serve_dir.clone(),
        grub_modules: &grub_modules,
        upcycle: &upcycle,
        lang: printer.lang,
    };
    let files = netboot::plan(&input).map_err(|e| Failure::new(Exit::BadInput, e))?;

    tree::write(&args.output, &files, args.force).map_err(|e| match e {
        tree::WriteError::Source { from, source } => incomplete_images(&images, &from, source),
        e => Failure::new(
            Exit::Internal,
            anyhow::Error::new(e).context(format!("cannot write the tree {}", args.output.display())),
        ),
    })?;

    let by_mac = bundles.iter().filter(|b| !b.info.ethernet_macs.is_empty()).count();
    let mut out = printer.format(
        "netboot-done",
        &[
            ("n", (bundles.len() as u64).into()),
            ("by_mac", (by_mac as u64).into()),
            ("tree", tree.to_string().into()),
        ],
    );
    out.push('\n');
    for b in &bundles {
        let how = if b.info.ethernet_macs.is_empty() {
            printer.text("netboot-done-menu")
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
        None => printer.text("netboot-done-serve-none"),
    };
    out.push_str(&printer.format(
        "netboot-done-next",
        &[("tree", tree.to_string().into()), ("serve", serve.into())],
    ));
    out.push('\n');
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
            Said::new("err-media-new-folder").arg("path", output.display().to_string()),
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
            Said::new("err-media-path-chars").arg("path", path.display().to_string()),
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
            crate::preseed::value(&preseed, key).ok_or_else(|| {
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
            None => Failure::new(Exit::BadInput, Said::new("err-media-none-given")),
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

/// The files below each images' GRUB modules folder, for [`netboot::plan`]; a folder
/// that cannot be read means the images are incomplete (exit 3, naming the package).
fn list_grub_modules(images: &[InstallerImages]) -> Result<netboot::GrubModules, Failure> {
    let mut all = netboot::GrubModules::new();
    for i in images {
        let dir = netboot::grub_modules_dir(i);
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry = entry.map_err(|e| incomplete_images(images, &dir, e.into()))?;
            if entry.file_type().is_dir() {
                continue;
            }
            let rel = entry.path().strip_prefix(&dir).expect("walkdir stays below its root");
            let rel = rel.to_str().ok_or_else(|| {
                incomplete_images(
                    images,
                    entry.path(),
                    std::io::Error::new(std::io::ErrorKind::InvalidData, "not a UTF-8 name"),
                )
            })?;
            files.push(rel.to_string());
        }
        all.insert((i.release.clone(), i.arch), files);
    }
    Ok(all)
}

/// Exit 3: a file of the installer images cannot be read; names the package to reinstall,
/// or for images of the cache of `media images` the command that fetches them again.
fn incomplete_images(images: &[InstallerImages], from: &Path, e: std::io::Error) -> Failure {
    let source = images.iter().find(|i| from.starts_with(&i.text_dir));
    if let Some(i) = source
        && let Some(entry) = i
            .text_dir
            .parent()
            .filter(|d| d.join(media::images::FILE_LIST).is_file())
    {
        return Failure::new(
            Exit::BadInput,
            anyhow::Error::new(e).context(
                Said::new("err-media-cache-broken")
                    .arg("dir", entry.display().to_string())
                    .arg("release", i.release.as_str())
                    .arg("arch", i.arch.as_str()),
            ),
        );
    }
    let package = images
        .iter()
        .find(|i| from.starts_with(&i.text_dir))
        .map(|i| format!("debian-installer-{}-netboot-{}", i.release, i.arch.as_str()))
        .unwrap_or_else(|| "debian-installer-<Release>-netboot-<Arch>".into());
    Failure::new(
        Exit::BadInput,
        Said::new("err-media-images-incomplete")
            .arg("path", from.display().to_string())
            .arg("why", e.to_string())
            .arg("package", package.to_string()),
    )
}

fn usb(args: &UsbOptions, printer: &Printer) -> Result<Exit, Failure> {
    let bad = |e: anyhow::Error| Failure::new(Exit::BadInput, e);
    if !media::is_bundle(&args.bundle) {
        return Err(bad(MediaError::NotABundle {
            path: args.bundle.display().to_string(),
        }
        .into()));
    }
    let info = media::read_bundle(&args.bundle).map_err(|e| bad(e.into()))?;
    info.require_debian("a USB stick").map_err(|e| bad(e.into()))?;
    let append = &args.append;
    for (out, folder) in std::iter::once((&args.output, true)).chain(args.image.as_ref().map(|i| (i, false))) {
        refuse_existing(out, args.force, folder)?;
    }
    let tools = match &args.image {
        Some(_) => Some(disk_image::Tools::find().map_err(|e| Failure::new(Exit::Internal, e))?),
        None => None,
    };
    let images = locate_images(&args.images, &info.release, info.arch, printer)?;
    let mut installer = read_installer(&images).map_err(bad)?;
    if info.arch == Arch::Amd64 {
        match fs::read(&args.grub_ia32) {
            Ok(grub) => installer.efi_ia32_grub = Some(grub),
            Err(_) => {
                printer.warn(&printer.format("usb-no-ia32", &[("path", args.grub_ia32.display().to_string().into())]))
            }
        }
    }
    let bundle_files = read_bundle_files(&info.dir).map_err(bad)?;
    // Needed by a bundle that erases in the installer; for the others taken when there is
    // one, so that the laptop's self-check (`upcycle check`) can run at its first boot.
    let upcycle = match info.erase_before_install {
        true => Some(media::read_upcycle(&args.upcycle_static, info.arch, &info.asset_id).map_err(|e| bad(e.into()))?),
        false => media::read_upcycle(&args.upcycle_static, info.arch, &info.asset_id).ok(),
    };
    let files = usb::build(
        &info,
        &bundle_files,
        &installer,
        upcycle.as_deref(),
        args.server,
        append,
        printer.lang,
    )
    .with_context(|| format!("making the stick for {}", info.dir.display()))
    .map_err(bad)?;

    let staged = tree::stage(&args.output, &files).or_exit(
        Exit::Internal,
        format!("cannot write the stick's files for {}", args.output.display()),
    )?;
    let total: u64 = files.iter().map(|f| f.data.len() as u64).sum();
    let image = match (&args.image, &tools) {
        (Some(path), Some(tools)) => {
            printer.status(&printer.format("msg-making-image", &[("path", path.display().to_string().into())]));
            let part_bytes = disk_image::partition_bytes(files.iter().map(|f| f.data.len() as u64));
            let mut file = atomic::temp_file_for(path).or_exit(Exit::Internal, "cannot create a temp file")?;
            file.as_file()
                .set_permissions(fs::Permissions::from_mode(0o644))
                .or_exit(Exit::Internal, "cannot set the image's mode")?;
            let work = atomic::temp_dir_for(path).or_exit(Exit::Internal, "cannot create a temp dir")?;
            let digest = Sha256::digest(info.asset_id.as_bytes());
            let disk_id = u32::from_le_bytes([digest[0], digest[1], digest[2], digest[3]]);
            disk_image::write_image(
                tools,
                staged.path(),
                part_bytes,
                disk_id,
                work.path(),
                file.as_file_mut(),
            )
            .or_exit(Exit::Internal, format!("cannot make the disk image {}", path.display()))?;
            Some((path, file, part_bytes))
        }
        _ => None,
    };
    staged.publish(args.force).or_exit(
        Exit::Internal,
        format!("cannot move the stick's files to {}", args.output.display()),
    )?;
    let mib = |b: u64| b.div_ceil(1 << 20);
    let mut text = printer.format(
        "usb-done",
        &[
            ("id", info.asset_id.as_str().into()),
            ("dir", args.output.display().to_string().into()),
            ("size", mib(total).into()),
            ("release", info.release.to_string().into()),
            ("arch", info.arch.as_str().into()),
            ("title", usb::menu_title(&info).into()),
        ],
    );
    text.push('\n');
    if let Some((path, file, part_bytes)) = image {
        file.persist(path)
            .map_err(|e| e.error)
            .or_exit(Exit::Internal, format!("cannot write {}", path.display()))?;
        text.push_str(&printer.format(
            "usb-done-image",
            &[
                ("id", info.asset_id.as_str().into()),
                ("path", path.display().to_string().into()),
                ("size", (mib(part_bytes) + 1).into()),
            ],
        ));
        text.push('\n');
    } else {
        text.push_str(&printer.text("usb-done-next"));
        text.push('\n');
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
        efi_ia32_grub: None,
    })
}

/// The regular files of a bundle folder (paths are their names), sorted by name.
fn read_bundle_files(dir: &Path) -> anyhow::Result<Vec<TreeFile<Vec<u8>>>> {
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
        files.push(TreeFile::new(name, meta.permissions().mode(), data));
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}
