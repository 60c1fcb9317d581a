//! The facts of a report the selector uses, with unknown values decided (and said so).

use crate::l10n::Said;
use crate::report::{HardwareReport, Transport};
use crate::token::DiskName;

/// The facts the selection uses, with unknowns decided.
#[derive(Debug, Clone)]
pub(super) struct MachineFacts {
    pub(super) ram_mib: u64,
    pub(super) lm: bool,
    pub(super) pae: bool,
    pub(super) sse2: bool,
    /// `cmov`; unknown counts as present (see `facts`).
    pub(super) cmov: bool,
    pub(super) forcepae: bool,
    pub(super) cores: u32,
    pub(super) mhz: Option<u32>,
    pub(super) disk: Option<DiskName>,
    pub(super) disk_gb: Option<u64>,
    pub(super) ssd: bool,
    pub(super) assumptions: Vec<Said>,
}

pub const ASSUMED_RAM_MIB: u64 = 1024;

pub(super) fn facts(r: &HardwareReport) -> MachineFacts {
    let mut assumptions = Vec::new();
    let ram_mib = r.memory.installed_mib.unwrap_or_else(|| {
        assumptions.push(Said::new("assumed-ram").arg("mib", ASSUMED_RAM_MIB));
        ASSUMED_RAM_MIB
    });
    if r.cpu.threads.is_none() {
        assumptions.push(Said::new("assumed-cpu"));
    }
    // Every 64-bit CPU has cmov. A 32-bit one without the fact (a report written before
    // upcycle recorded it, or a cpuinfo without a flags line) is taken to have it: the
    // CPUs without it (family 5, early VIA C3, Geode GX) are rare, and refusing every
    // older report would be worse. Said, so the volunteer can re-probe.
    let cmov = r.cpu.flags.cmov.unwrap_or_else(|| {
        if r.cpu.threads.is_some() && !r.cpu.flags.lm {
            assumptions.push(Said::new("assumed-cmov"));
        }
        true
    });
    if r.cpu.max_mhz.is_none() && r.cpu.threads.is_some() {
        assumptions.push(Said::new("assumed-clock"));
    }
    let target = r
        .storage
        .install_target
        .as_ref()
        .and_then(|t| r.storage.disks.iter().find(|d| &d.name == t));
    let disk_gb = target.and_then(|d| d.size_bytes).map(|b| b / 1_000_000_000);
    if target.is_some() && disk_gb.is_none() {
        assumptions.push(Said::new("assumed-disk-size"));
    }
    let ssd = match target.map(|d| (d.rotational, d.transport)) {
        Some((Some(false), _)) | Some((None, Transport::Nvme | Transport::Mmc)) => true,
        Some((Some(true), _)) => false,
        Some((None, _)) => {
            assumptions.push(Said::new("assumed-disk-type"));
            false
        }
        None => false,
    };
    MachineFacts {
        ram_mib,
        lm: r.cpu.flags.lm,
        pae: r.cpu.flags.pae,
        sse2: r.cpu.flags.sse2,
        cmov,
        forcepae: r.cpu.forcepae,
        cores: r.cpu.cores.unwrap_or(1).max(1),
        mhz: r.cpu.max_mhz,
        disk: target.map(|d| d.name.clone()),
        disk_gb,
        ssd,
        assumptions,
    }
}
