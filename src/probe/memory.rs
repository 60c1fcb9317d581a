//! Main memory: `MemTotal` from `proc/meminfo` and an estimate of the installed modules.

use super::Facts;
use crate::report::Memory;

const MEMINFO: &str = "proc/meminfo";

pub fn probe(f: &mut Facts) -> Memory {
    let Some(text) = f.file(MEMINFO) else {
        f.warn(MEMINFO, "missing: installed RAM is unknown");
        return Memory::default();
    };
    let total = parse_mem_total(&text);
    if total.is_none() {
        f.warn(MEMINFO, "no parsable MemTotal line");
    }
    Memory {
        mem_total_kib: total,
        installed_mib: total.map(estimate_installed_mib),
    }
}

/// The `MemTotal:  1017724 kB` line, in KiB.
pub fn parse_mem_total(text: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
    let mut parts = line["MemTotal:".len()..].split_whitespace();
    let value: u64 = parts.next()?.parse().ok()?;
    match parts.next() {
        Some("kB") | None => Some(value),
        _ => None,
    }
}

/// Module totals that laptops are sold or upgraded with, in MiB.
const SIZES_MIB: &[u64] = &[
    64, 128, 192, 256, 384, 512, 768, 1024, 1280, 1536, 2048, 2560, 3072, 4096, 5120, 6144, 8192, 10240, 12288, 16384,
    20480, 24576, 32768, 49152, 65536,
];

/// `MemTotal` is the installed RAM minus what firmware reserves, the kernel image and
/// memory taken by an integrated GPU (8 MiB to 512 MiB on these machines), so the
/// installed size is the smallest usual module total that is at least `MemTotal`. A
/// 32-bit non-PAE kernel sees at most ~3.2 GiB of 4 GiB; that still rounds to 4096. Above
/// 64 GiB the value is rounded up to whole GiB.
pub fn estimate_installed_mib(mem_total_kib: u64) -> u64 {
    let mib = mem_total_kib.div_ceil(1024);
    SIZES_MIB
        .iter()
        .copied()
        .find(|&s| s >= mib)
        .unwrap_or_else(|| mib.div_ceil(1024) * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mem_total_from_a_real_meminfo() {
        // Head of /proc/meminfo of a 1 GiB Pentium M laptop with 64 MiB shared video RAM.
        let text = "MemTotal:         953104 kB\nMemFree:          512024 kB\nMemAvailable:     700000 kB\n";
        assert_eq!(parse_mem_total(text), Some(953104));
        assert_eq!(estimate_installed_mib(953104), 1024);
        assert_eq!(parse_mem_total("MemFree: 1 kB\n"), None);
        assert_eq!(parse_mem_total("MemTotal: lots kB\n"), None);
        assert_eq!(parse_mem_total("MemTotal: 5 MB\n"), None);
    }

    #[test]
    fn estimates_round_up_to_module_totals() {
        assert_eq!(estimate_installed_mib(3_919_768), 4096); // 4 GiB with 128 MiB reserved
        assert_eq!(estimate_installed_mib(3_300_000), 4096); // 4 GiB on a non-PAE kernel
        assert_eq!(estimate_installed_mib(2_013_000), 2048);
        assert_eq!(estimate_installed_mib(1_500_000), 1536);
        assert_eq!(estimate_installed_mib(8_052_000), 8192);
        assert_eq!(estimate_installed_mib(232_000), 256);
        assert_eq!(estimate_installed_mib(100 * 1024 * 1024), 100 * 1024);
    }
}
