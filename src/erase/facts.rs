//! Reading the facts of the disks to erase on a live system: the probe's report, the serial
//! from sysfs, how the running system uses each disk (`/proc/self/mountinfo`, `/proc/swaps`,
//! `holders/`), and the drive tools' answers. Parsers are pure and tested; the reading
//! functions take the root folder, so tests point them at a made-up tree.

use std::path::{Path, PathBuf};

use super::plan::{Bus, DiskFacts};
use super::tools;
use crate::l10n::Said;
use crate::token::DiskName;

/// One mount: the device's `major:minor` and where it is mounted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    pub dev: (u32, u32),
    pub mount_point: String,
}

/// `/proc/self/mountinfo`: field 3 is `major:minor`, field 5 the mount point (octal escapes
/// such as `\040` for a space are left as they are: only compared with our own list).
pub fn parse_mountinfo(text: &str) -> Vec<Mount> {
    text.lines()
        .filter_map(|line| {
            let mut f = line.split(' ');
            let dev = f.nth(2)?;
            let mount_point = f.nth(1)?.to_string();
            let (major, minor) = dev.split_once(':')?;
            Some(Mount {
                dev: (major.parse().ok()?, minor.parse().ok()?),
                mount_point,
            })
        })
        .collect()
}

/// `/proc/swaps`: the device names of active swap partitions (files are skipped).
pub fn parse_swaps(text: &str) -> Vec<String> {
    text.lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .filter_map(|p| p.strip_prefix("/dev/"))
        .map(str::to_string)
        .collect()
}

/// The SCSI unit serial number page (`device/vpd_pg80`: 4 header bytes, then the serial),
/// which libata fills from the ATA IDENTIFY data.
pub fn parse_vpd_pg80(bytes: &[u8]) -> Option<String> {
    let len = usize::from(*bytes.get(3)?);
    let serial = bytes.get(4..4 + len)?;
    let s = String::from_utf8_lossy(serial).trim().trim_matches('\0').to_string();
    (!s.is_empty() && s.chars().all(|c| c.is_ascii_graphic() || c == ' ')).then_some(s)
}

/// Mount points whose disk the running system was booted from.
const BOOT_MOUNTS: &[&str] = &[
    "/",
    "/boot",
    "/boot/efi",
    "/usr",
    "/run/live/medium",
    "/lib/live/mount/medium",
    "/run/initramfs/live",
    "/cdrom",
];

/// The whole disk a `major:minor` belongs to (a partition's parent), and the name of the
/// block device itself.
fn disk_of(root: &Path, dev: (u32, u32)) -> Option<(String, String)> {
    let link = root.join(format!("sys/dev/block/{}:{}", dev.0, dev.1));
    let real = std::fs::canonicalize(link).ok()?;
    let own = real.file_name()?.to_string_lossy().into_owned();
    if real.join("partition").exists() {
        let parent = real.parent()?.file_name()?.to_string_lossy().into_owned();
        Some((parent, own))
    } else {
        Some((own.clone(), own))
    }
}

/// How the running system uses `disk`: (boot, uses).
pub fn usage(root: &Path, disk: &str) -> (bool, Vec<Said>) {
    let mut boot = false;
    let mut uses = Vec::new();
    let mounts = std::fs::read_to_string(root.join("proc/self/mountinfo")).unwrap_or_default();
    for m in parse_mountinfo(&mounts) {
        if m.dev.0 == 0 {
            continue;
        }
        let Some((parent, own)) = disk_of(root, m.dev) else {
            continue;
        };
        if parent == disk {
            if BOOT_MOUNTS.contains(&m.mount_point.as_str()) {
                boot = true;
            }
            uses.push(
                Said::new("use-mounted")
                    .arg("device", own.as_str())
                    .arg("at", m.mount_point.as_str()),
            );
        }
    }
    let swaps = std::fs::read_to_string(root.join("proc/swaps")).unwrap_or_default();
    for s in parse_swaps(&swaps) {
        if s == disk || partitions(root, disk).contains(&s) {
            uses.push(Said::new("use-swap").arg("device", s.as_str()));
        }
    }
    let block = root.join("sys/block").join(disk);
    let mut holders_of = vec![block.join("holders")];
    holders_of.extend(partitions(root, disk).iter().map(|p| block.join(p).join("holders")));
    for dir in holders_of {
        for h in sorted_names(&dir) {
            uses.push(Said::new("use-held").arg("holder", h.as_str()));
        }
    }
    // Sorted by what is said (English: the order the record always had), then deduplicated.
    uses.sort_by_cached_key(|u| crate::l10n::say(crate::l10n::Lang::En, u));
    uses.dedup();
    (boot, uses)
}

fn sorted_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn partitions(root: &Path, disk: &str) -> Vec<String> {
    let block = root.join("sys/block").join(disk);
    sorted_names(&block)
        .into_iter()
        .filter(|n| block.join(n).join("partition").exists())
        .collect()
}

/// The disk name of a device path: `/dev/sda`, a symlink to it (`/dev/disk/by-id/...`), or
/// a loop device. A partition is refused: erase the whole disk.
pub fn disk_name(root: &Path, device: &Path) -> Result<DiskName, String> {
    // Under a test root (`--root DIR`, which holds dev/ too), `/dev/NAME` is DIR/dev/NAME:
    // taken by its name, as given.
    let real = if root != Path::new("/") && device.starts_with("/dev") {
        if !root.join(device.strip_prefix("/").unwrap_or(device)).exists() {
            return Err(format!("{}: not in {}", device.display(), root.join("dev").display()));
        }
        device.to_path_buf()
    } else {
        std::fs::canonicalize(device).map_err(|e| format!("{}: {e}", device.display()))?
    };
    let name = real
        .strip_prefix("/dev")
        .ok()
        .and_then(|p| p.to_str())
        .ok_or_else(|| format!("{} is not a device under /dev", device.display()))?;
    let name = DiskName::new(name).map_err(|e| format!("{}: {e}", device.display()))?;
    if !root.join("sys/block").join(name.as_str()).exists() {
        let hint = if root
            .join("sys/class/block")
            .join(name.as_str())
            .join("partition")
            .exists()
        {
            ": it is a partition; name the whole disk"
        } else {
            ""
        };
        return Err(format!("{} is not a whole disk{hint}", device.display()));
    }
    Ok(name)
}

/// Facts for a disk the probe does not list (loop devices): size, rotation, from sysfs.
pub fn minimal(root: &Path, name: &DiskName) -> DiskFacts {
    let block = root.join("sys/block").join(name.as_str());
    let read = |f: &str| {
        std::fs::read_to_string(block.join(f))
            .ok()
            .map(|s| s.trim().to_string())
    };
    let bus = if name.as_str().starts_with("loop") {
        Bus::Loop
    } else {
        Bus::Other
    };
    DiskFacts {
        name: name.clone(),
        bus,
        model: read("loop/backing_file").map(|f| format!("loop device on {f}")),
        serial: None,
        size_bytes: read("size").and_then(|s| s.parse::<u64>().ok()).map(|s| s * 512),
        rotational: read("queue/rotational").map(|r| r == "1"),
        removable: read("removable").map(|r| r == "1"),
        ata: None,
        max_sectors: None,
        dco_max_sectors: None,
        nvme: None,
        smart: None,
        boot: false,
        in_use: Vec::new(),
        unknowns: Vec::new(),
    }
}

/// Add what the running system and the drive's tools say to `facts`.
pub fn complete(root: &Path, facts: &mut DiskFacts) {
    let name = facts.name.as_str().to_string();
    let (boot, uses) = usage(root, &name);
    facts.boot = boot;
    facts.in_use = uses;
    let device = root.join("dev").join(&name);
    let sys = root.join("sys/block").join(&name).join("device");
    if facts.serial.is_none() {
        facts.serial = std::fs::read_to_string(sys.join("serial"))
            .ok()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .or_else(|| {
                std::fs::read(sys.join("vpd_pg80"))
                    .ok()
                    .and_then(|b| parse_vpd_pg80(&b))
            });
    }
    if matches!(facts.bus, Bus::Loop | Bus::Virtio) {
        return;
    }
    let mut unknown = |what: &str, e: Said| facts_unknown(&mut facts.unknowns, what, e);
    if matches!(facts.bus, Bus::Sata | Bus::Pata) {
        match tools::run(tools::HDPARM, &["-I"], &device) {
            Ok(out) => facts.ata = tools::parse_hdparm_identify(&out),
            Err(e) => unknown("fact-ata-security", e),
        }
        if let Ok(out) = tools::run(tools::HDPARM, &["-N"], &device) {
            facts.max_sectors = tools::parse_hdparm_max_sectors(&out);
        }
        if let Ok(out) = tools::run(tools::HDPARM, &["--dco-identify"], &device) {
            facts.dco_max_sectors = tools::parse_hdparm_dco(&out);
        }
    }
    if facts.bus == Bus::Nvme {
        match tools::run(tools::NVME, &["id-ctrl", "-o", "json"], &device) {
            Ok(out) => facts.nvme = tools::parse_nvme_id_ctrl(&out),
            Err(e) => unknown("fact-nvme", e),
        }
    }
    match tools::run(tools::SMARTCTL, &["-j", "-a"], &device) {
        Ok(out) => facts.smart = tools::parse_smartctl(&out),
        Err(e) => unknown("fact-health", e),
    }
}

/// `what`: the message id of the fact (`fact-*`); `e`: why (`tools::run`'s error).
fn facts_unknown(unknowns: &mut Vec<Said>, what: &str, e: Said) {
    unknowns.push(Said::new("erase-unknown").arg("what", Said::new(what)).arg("error", e));
}

/// The `/dev` path of a disk under `root`.
pub fn device_path(root: &Path, name: &DiskName) -> PathBuf {
    root.join("dev").join(name.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mountinfo_lines_give_device_and_mount_point() {
        // This machine's /proc/self/mountinfo (a Debian VM), first lines.
        let text = "22 27 0:21 / /proc rw,relatime - proc proc rw\n\
                    27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n\
                    41 27 7:3 / /mnt/x rw,relatime - ext4 /dev/loop3 rw\n";
        let m = parse_mountinfo(text);
        assert_eq!(m.len(), 3);
        assert_eq!(m[1].dev, (254, 0));
        assert_eq!(m[1].mount_point, "/");
        assert_eq!(m[2].dev, (7, 3));
        assert_eq!(parse_mountinfo("garbage\n\n1 2 x:y / /\n"), vec![]);
    }

    #[test]
    fn swaps_and_vpd_serials() {
        let swaps = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/dev/sda5                               partition\t1046524\t\t0\t\t-2\n/swapfile file 100 0 -3\n";
        assert_eq!(parse_swaps(swaps), vec!["sda5".to_string()]);
        let mut page = vec![0x00, 0x80, 0x00, 0x14];
        page.extend_from_slice(b"        WD-WX31A1234");
        assert_eq!(parse_vpd_pg80(&page).as_deref(), Some("WD-WX31A1234"));
        assert_eq!(parse_vpd_pg80(&[0, 0x80, 0, 40, b'x']), None);
        assert_eq!(parse_vpd_pg80(&[0, 0x80, 0, 0]), None);
    }

    #[test]
    fn usage_in_a_made_up_tree_finds_boot_mounts_swap_and_holders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let mk = |p: &str| std::fs::create_dir_all(root.join(p)).unwrap();
        mk("proc/self");
        mk("sys/devices/pci0/block/sda/sda1");
        mk("sys/devices/pci0/block/sda/sda2/holders/dm-0");
        mk("sys/devices/pci0/block/sdb");
        mk("sys/dev/block");
        mk("sys/block");
        std::fs::write(root.join("sys/devices/pci0/block/sda/sda1/partition"), "1\n").unwrap();
        std::fs::write(root.join("sys/devices/pci0/block/sda/sda2/partition"), "2\n").unwrap();
        std::os::unix::fs::symlink(root.join("sys/devices/pci0/block/sda"), root.join("sys/block/sda")).unwrap();
        std::os::unix::fs::symlink(root.join("sys/devices/pci0/block/sdb"), root.join("sys/block/sdb")).unwrap();
        std::os::unix::fs::symlink(
            root.join("sys/devices/pci0/block/sda/sda1"),
            root.join("sys/dev/block/8:1"),
        )
        .unwrap();
        std::fs::write(
            root.join("proc/self/mountinfo"),
            "27 1 8:1 / / rw - ext4 /dev/sda1 rw\n28 27 0:5 / /proc rw - proc proc rw\n",
        )
        .unwrap();
        std::fs::write(
            root.join("proc/swaps"),
            "Filename Type Size Used Priority\n/dev/sda2 partition 1 0 -2\n",
        )
        .unwrap();
        let (boot, uses) = usage(root, "sda");
        assert!(boot);
        let said: Vec<String> = uses
            .iter()
            .map(|u| crate::l10n::say(crate::l10n::Lang::En, u))
            .collect();
        assert_eq!(
            said,
            vec![
                "held by dm-0 (device-mapper, LVM or RAID)".to_string(),
                "sda1 mounted at /".to_string(),
                "sda2 is active swap".to_string()
            ]
        );
        assert_eq!(usage(root, "sdb"), (false, vec![]));
    }
}
