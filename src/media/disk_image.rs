//! `media usb --image`: the stick's files as a ready disk image (MBR, one FAT32 partition
//! at 1 MiB, syslinux installed) that a volunteer writes with `dd` or GNOME Disks.
//!
//! Making a FAT file system and installing syslinux's boot sector are jobs for the real
//! tools (dosfstools `mkfs.fat`, `mcopy` from mtools, the mtools build of `syslinux`,
//! which work on a plain file without root or loop devices); only the 512-byte MBR is
//! written here ([`mbr`], pure). The tools are looked up before anything is written, and
//! a missing one is named with its Debian package.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Sector size of the image.
pub const SECTOR: u64 = 512;
/// The partition starts at 1 MiB (sector 2048), as partitioning tools do.
pub const PART_START_LBA: u64 = 2048;
/// syslinux's MBR boot code (package syslinux-common).
pub const MBR_BIN: &str = "/usr/lib/syslinux/mbr/mbr.bin";

#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("--image needs `{tool}`, which is not installed: apt install {package}")]
    MissingTool { tool: &'static str, package: &'static str },
    #[error("{path}: {message}")]
    BadTool { path: String, message: String },
    #[error("`{command}` failed ({status}): {output}")]
    ToolFailed {
        command: String,
        status: String,
        output: String,
    },
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> ImageError + '_ {
    move |source| ImageError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// The external programs and the MBR code, found on this machine.
#[derive(Debug, Clone)]
pub struct Tools {
    pub mkfs_fat: PathBuf,
    pub mcopy: PathBuf,
    pub syslinux: PathBuf,
    pub mbr_code: Vec<u8>,
}

fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin", "/usr/bin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

impl Tools {
    /// Look up every tool; the first missing one is an error naming its package.
    pub fn find() -> Result<Tools, ImageError> {
        let need = |tool: &'static str, package: &'static str| {
            find_program(tool).ok_or(ImageError::MissingTool { tool, package })
        };
        let mkfs_fat = need("mkfs.fat", "dosfstools")?;
        let mcopy = need("mcopy", "mtools")?;
        let syslinux = need("syslinux", "syslinux")?;
        let mbr_code = fs::read(MBR_BIN).map_err(|_| ImageError::MissingTool {
            tool: MBR_BIN,
            package: "syslinux-common",
        })?;
        if mbr_code.len() != 440 {
            return Err(ImageError::BadTool {
                path: MBR_BIN.into(),
                message: format!("expected 440 bytes of MBR boot code, found {}", mbr_code.len()),
            });
        }
        Ok(Tools {
            mkfs_fat,
            mcopy,
            syslinux,
            mbr_code,
        })
    }
}

/// Size of the FAT partition for files of these sizes: their space in 4 KiB steps plus
/// room for the FATs, directories and syslinux, at least 64 MiB, whole MiB.
pub fn partition_bytes(file_sizes: impl IntoIterator<Item = u64>) -> u64 {
    const MIB: u64 = 1 << 20;
    let (count, data) = file_sizes
        .into_iter()
        .fold((0u64, 0u64), |(n, sum), s| (n + 1, sum + s.div_ceil(4096) * 4096));
    let want = data + data / 50 + count * 1024 + 16 * MIB;
    want.max(64 * MIB).div_ceil(MIB) * MIB
}

/// CHS address of an LBA for the legacy MBR fields (255 heads, 63 sectors; capped).
fn chs(lba: u64) -> [u8; 3] {
    let (heads, sectors) = (255u64, 63u64);
    let cyl = lba / (heads * sectors);
    if cyl > 1023 {
        return [0xfe, 0xff, 0xff];
    }
    let head = (lba / sectors) % heads;
    let sector = lba % sectors + 1;
    [
        head as u8,
        (((cyl >> 2) & 0xc0) as u8) | sector as u8,
        (cyl & 0xff) as u8,
    ]
}

/// The first sector: `boot_code` (440 bytes of syslinux's mbr.bin), the disk id, one
/// active FAT32 (LBA, type 0x0c) partition from `start_lba` for `sectors`, 0x55AA.
pub fn mbr(boot_code: &[u8], disk_id: u32, start_lba: u64, sectors: u64) -> [u8; 512] {
    assert_eq!(boot_code.len(), 440, "MBR boot code is 440 bytes");
    let mut s = [0u8; 512];
    s[..440].copy_from_slice(boot_code);
    s[440..444].copy_from_slice(&disk_id.to_le_bytes());
    let e = &mut s[446..462];
    e[0] = 0x80;
    e[1..4].copy_from_slice(&chs(start_lba));
    e[4] = 0x0c;
    e[5..8].copy_from_slice(&chs(start_lba + sectors - 1));
    e[8..12].copy_from_slice(&(start_lba as u32).to_le_bytes());
    e[12..16].copy_from_slice(&(sectors as u32).to_le_bytes());
    s[510] = 0x55;
    s[511] = 0xaa;
    s
}

fn run(cmd: &mut Command) -> Result<(), ImageError> {
    let shown = format!("{cmd:?}").replace('"', "");
    let out = cmd.output().map_err(|e| ImageError::ToolFailed {
        command: shown.clone(),
        status: "not started".into(),
        output: e.to_string(),
    })?;
    if out.status.success() {
        Ok(())
    } else {
        let text =
            String::from_utf8_lossy(&out.stderr).trim().to_string() + String::from_utf8_lossy(&out.stdout).trim();
        Err(ImageError::ToolFailed {
            command: shown,
            status: out.status.to_string(),
            output: text,
        })
    }
}

/// Write the disk image of the stick tree `tree` (already complete on disk) to `out`,
/// using `work` (an empty temp dir) for the partition image.
pub fn write_image(
    tools: &Tools,
    tree: &Path,
    part_bytes: u64,
    disk_id: u32,
    work: &Path,
    out: &mut File,
) -> Result<(), ImageError> {
    let part = work.join("partition.img");
    // -s 1: 512-byte clusters, so a small partition still has the 65525 clusters FAT32
    // needs; -h: hidden sectors = the partition's offset, read by syslinux's boot sector.
    run(Command::new(&tools.mkfs_fat)
        .args(["-F", "32", "-s", "1", "-n", "UPCYCLE", "-h"])
        .arg(PART_START_LBA.to_string())
        .arg("-C")
        .arg(&part)
        .arg((part_bytes / 1024).to_string()))?;
    let mut entries: Vec<PathBuf> = fs::read_dir(tree)
        .map_err(io_err(tree))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(io_err(tree))?;
    entries.sort();
    run(Command::new(&tools.mcopy)
        .env("MTOOLS_SKIP_CHECK", "1")
        .args(["-s", "-Q", "-i"])
        .arg(&part)
        .args(&entries)
        .arg("::/"))?;
    run(Command::new(&tools.syslinux).arg("--install").arg(&part))?;

    let sectors = part_bytes / SECTOR;
    out.write_all(&mbr(&tools.mbr_code, disk_id, PART_START_LBA, sectors))
        .map_err(io_err(&part))?;
    out.write_all(&vec![0u8; ((PART_START_LBA - 1) * SECTOR) as usize])
        .map_err(io_err(&part))?;
    let mut src = File::open(&part).map_err(io_err(&part))?;
    let copied = io::copy(&mut src, out).map_err(io_err(&part))?;
    if copied != part_bytes {
        return Err(ImageError::BadTool {
            path: tools.mkfs_fat.display().to_string(),
            message: format!("made a {copied}-byte partition, expected {part_bytes}"),
        });
    }
    out.sync_all().map_err(io_err(&part))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mbr_layout() {
        let code = [0x90u8; 440];
        let s = mbr(&code, 0x1234_5678, 2048, 131072);
        assert_eq!(&s[..440], &code[..]);
        assert_eq!(&s[440..444], &[0x78, 0x56, 0x34, 0x12]);
        assert_eq!(s[446], 0x80, "active");
        assert_eq!(s[450], 0x0c, "FAT32 LBA");
        assert_eq!(u32::from_le_bytes(s[454..458].try_into().unwrap()), 2048);
        assert_eq!(u32::from_le_bytes(s[458..462].try_into().unwrap()), 131072);
        assert_eq!(&s[447..450], &[32, 33, 0], "CHS of LBA 2048 is 0/32/33");
        assert!(s[462..510].iter().all(|&b| b == 0), "one partition only");
        assert_eq!(&s[510..], &[0x55, 0xaa]);
        assert_eq!(chs(u64::from(u32::MAX)), [0xfe, 0xff, 0xff]);
    }

    #[test]
    fn partition_sizes() {
        assert_eq!(partition_bytes([]), 64 << 20);
        let big = partition_bytes([50 << 20, 8 << 20, 1]);
        assert!(big >= (58 << 20) + (16 << 20) && big % (1 << 20) == 0, "{big}");
    }
}
