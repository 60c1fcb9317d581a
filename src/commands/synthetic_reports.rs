//! `upcycle synthetic-reports` (hidden): N reports for the batch benchmark
//! (`scripts/bench-batch.sh`), each a fixture machine's report with another serial, RAM
//! size and install disk (size, HDD or SSD), so that the batch chooses different
//! profiles and apps the way a real room would. Built on [`HardwareReport`], so a change
//! of the report format changes them too. Deterministic: a fixed seed, fixtures sorted.

use std::path::Path;

use crate::atomic;
use crate::cli::SyntheticReportsArgs;
use crate::exit::{Exit, Failure, OrExit};
use crate::printer::Printer;
use crate::probe::SysRoot;
use crate::report::HardwareReport;

const RAM_MIB: [u64; 8] = [512, 1024, 1536, 2048, 3072, 4096, 8192, 16384];
const DISK_GB: [u64; 5] = [40, 80, 120, 250, 500];
const SEED: u64 = 2026;

pub fn run(args: &SyntheticReportsArgs, printer: &Printer) -> Result<Exit, Failure> {
    let machines = fixture_reports(&args.fixtures)?;
    if machines.is_empty() {
        return Err(Failure::new(
            Exit::BadInput,
            anyhow::anyhow!("no fixture machines (<slug>/root/) in {}", args.fixtures.display()),
        ));
    }
    std::fs::create_dir_all(&args.output)
        .or_exit(Exit::Internal, format!("cannot create {}", args.output.display()))?;
    let mut rng = Rng(SEED);
    for i in 0..args.count {
        let (slug, base) = &machines[i % machines.len()];
        let report = vary(base, i, &mut rng);
        let path = args.output.join(format!("{i:06}-{slug}.json"));
        let json = serde_json::to_string(&report).expect("reports serialise to JSON");
        atomic::write_file(&path, json.as_bytes())
            .or_exit(Exit::Internal, format!("cannot write {}", path.display()))?;
    }
    printer.status(&format!(
        "{} reports from {} fixture machines in {}",
        args.count,
        machines.len(),
        args.output.display()
    ));
    Ok(Exit::Success)
}

/// The report of every `<slug>/root/` below `fixtures`, sorted by slug.
fn fixture_reports(fixtures: &Path) -> Result<Vec<(String, HardwareReport)>, Failure> {
    let entries = std::fs::read_dir(fixtures).or_exit(Exit::BadInput, format!("cannot read {}", fixtures.display()))?;
    let mut slugs: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("root").is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    slugs.sort();
    slugs
        .into_iter()
        .map(|slug| {
            let report = crate::machine::probe_root(&SysRoot::at(fixtures.join(&slug).join("root")), false)
                .map_err(|e| Failure::new(Exit::BadInput, e))?;
            Ok((slug, report))
        })
        .collect()
}

/// Report number `i`: `base` with serial `SYN<i>`, a RAM size, and the install disk's
/// size and kind drawn from `rng`.
fn vary(base: &HardwareReport, i: usize, rng: &mut Rng) -> HardwareReport {
    let mut r = base.clone();
    r.machine.serial = Some(format!("SYN{i:06}"));
    let ram = RAM_MIB[rng.below(RAM_MIB.len())];
    r.memory.installed_mib = Some(ram);
    r.memory.mem_total_kib = Some(ram * 1024 * 95 / 100);
    let target = r.storage.install_target.clone();
    for disk in r.storage.disks.iter_mut().filter(|d| Some(&d.name) == target.as_ref()) {
        disk.size_bytes = Some(DISK_GB[rng.below(DISK_GB.len())] * 1000u64.pow(3));
        disk.rotational = Some(rng.below(10) < 6); // 60 % hard disks
    }
    r
}

/// splitmix64: small, fast, and the same numbers on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (the modulo bias is irrelevant for a benchmark's spread).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t40() -> HardwareReport {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/machines/ibm-thinkpad-t40/root");
        crate::machine::probe_root(&SysRoot::at(root), false).unwrap()
    }

    #[test]
    fn reports_vary_deterministically() {
        let base = t40();
        let run = || {
            let mut rng = Rng(SEED);
            (0..40).map(|i| vary(&base, i, &mut rng)).collect::<Vec<_>>()
        };
        let (a, b) = (run(), run());
        assert_eq!(a, b);
        assert_eq!(a[7].machine.serial.as_deref(), Some("SYN000007"));
        let rams: std::collections::BTreeSet<_> = a.iter().map(|r| r.memory.installed_mib).collect();
        assert!(rams.len() >= 5, "{rams:?}");
        let target = base.storage.install_target.clone().unwrap();
        let disks: Vec<_> = a
            .iter()
            .map(|r| r.storage.disks.iter().find(|d| d.name == target).unwrap().clone())
            .collect();
        assert!(disks.iter().any(|d| d.rotational == Some(true)) && disks.iter().any(|d| d.rotational == Some(false)));
        assert!(
            disks
                .iter()
                .all(|d| DISK_GB.iter().any(|g| d.size_bytes == Some(g * 1000u64.pow(3))))
        );
        // everything else is the fixture's
        let mut same = a[0].clone();
        same.machine = base.machine.clone();
        same.memory = base.memory.clone();
        same.storage = base.storage.clone();
        assert_eq!(same, base);
    }
}
