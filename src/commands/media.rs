//! `upcycle media netboot|usb`: boot media for bundles.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use anyhow::Context;
use sha2::{Digest, Sha256};

use crate::atomic;
use crate::cli::{MediaCommand, NetbootArgs, UsbArgs};
use crate::exit::{Exit, Failure, OrExit};
use crate::media::{self, InstallerImages, MediaError, disk_image, usb};
use crate::printer::Printer;

pub fn run(cmd: &MediaCommand, printer: &Printer) -> Result<Exit, Failure> {
    match cmd {
        MediaCommand::Netboot(args) => netboot(args, printer),
        MediaCommand::Usb(args) => usb(args, printer),
    }
}

fn netboot(_args: &NetbootArgs, _printer: &Printer) -> Result<Exit, Failure> {
    Err(Failure::new(
        Exit::Internal,
        anyhow::anyhow!("`upcycle media netboot` is not written yet"),
    ))
}

/// `media usb`: read the bundle and the installer images, build the stick's files
/// ([`usb::build`]), write them to a temp dir beside DIR and rename it; with --image also
/// make the disk image ([`disk_image`]) in a temp file beside FILE.
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
    let append: Vec<String> = args
        .append
        .as_deref()
        .unwrap_or("")
        .split_whitespace()
        .map(str::to_string)
        .collect();
    if let Some(p) = append.iter().find(|p| !usb::valid_param(p)) {
        return Err(Failure::new(
            Exit::Usage,
            anyhow::Error::new(usb::UsbError::BadParam(p.clone())).context("--append"),
        ));
    }
    for out in std::iter::once(&args.output).chain(args.image.as_ref()) {
        if out.exists() && !args.force {
            return Err(Failure::new(
                Exit::OutputExists,
                anyhow::anyhow!("{} exists already: choose another name or add --force", out.display()),
            ));
        }
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
