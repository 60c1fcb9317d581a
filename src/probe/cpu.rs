//! The processor: `proc/cpuinfo` plus the cpufreq maximum, the Pentium M `forcepae`
//! rule, and the `cmov` flag below which no current system starts.

use std::collections::BTreeSet;

use super::Facts;
use crate::report::{Cpu, CpuFlags};

const CPUINFO: &str = "proc/cpuinfo";

pub fn probe(f: &mut Facts) -> Cpu {
    let Some(text) = f.file(CPUINFO) else {
        f.warn(CPUINFO, "missing: CPU facts are unknown");
        return Cpu::default();
    };
    let mut cpu = parse_cpuinfo(&text);
    if cpu.threads.is_none() {
        f.warn(CPUINFO, "no processor entries could be parsed");
    }
    let freq = "sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq";
    if let Some(khz) = f.parsed::<u64>(freq) {
        cpu.max_mhz = u32::try_from(khz / 1000).ok();
    }
    if cpu.max_mhz.is_none() {
        cpu.max_mhz = cpu.model_name.as_deref().and_then(mhz_from_model_name);
    }
    cpu
}

/// Parse `/proc/cpuinfo` (x86 layout). Values of the first processor describe the CPU;
/// topology lines of all processors give cores and threads.
pub fn parse_cpuinfo(text: &str) -> Cpu {
    let mut cpu = Cpu::default();
    let mut threads = 0u32;
    let mut cores: BTreeSet<(String, String)> = BTreeSet::new();
    let mut missing_core_id = false;
    let mut cpu_cores: Option<u32> = None;
    let mut packages: BTreeSet<String> = BTreeSet::new();
    let mut flags: Option<BTreeSet<String>> = None;

    for block in text.split("\n\n") {
        let mut physical = None;
        let mut core = None;
        let mut is_processor = false;
        for line in block.lines() {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim();
            let value = value.trim();
            let first = threads == 0;
            match key {
                "processor" => is_processor = value.parse::<u32>().is_ok(),
                "vendor_id" if first => cpu.vendor = non_empty(value),
                // The kernel pads some names (`Genuine Intel(R) CPU           T2300  @ 1.66GHz`).
                "model name" if first => {
                    cpu.model_name = non_empty(&value.split_whitespace().collect::<Vec<_>>().join(" "))
                }
                "cpu family" if first => cpu.family = value.parse().ok(),
                "model" if first => cpu.model = value.parse().ok(),
                "stepping" if first => cpu.stepping = value.parse().ok(),
                "flags" if flags.is_none() => flags = Some(value.split_whitespace().map(str::to_string).collect()),
                "physical id" => physical = Some(value.to_string()),
                "core id" => core = Some(value.to_string()),
                "cpu cores" => cpu_cores = value.parse().ok().or(cpu_cores),
                _ => {}
            }
        }
        if is_processor {
            threads += 1;
            if let Some(p) = &physical {
                packages.insert(p.clone());
            }
            match core {
                Some(c) => {
                    cores.insert((physical.unwrap_or_default(), c));
                }
                None => missing_core_id = true,
            }
        }
    }

    if threads == 0 {
        return cpu;
    }
    cpu.threads = Some(threads);
    cpu.cores = Some(if !missing_core_id && !cores.is_empty() {
        cores.len() as u32
    } else if let Some(n) = cpu_cores {
        n * (packages.len().max(1) as u32)
    } else {
        threads
    });
    let cmov = flags.as_ref().map(|f| f.contains("cmov"));
    let flags = flags.unwrap_or_default();
    cpu.flags = CpuFlags {
        lm: flags.contains("lm"),
        pae: flags.contains("pae"),
        sse2: flags.contains("sse2"),
        nx: flags.contains("nx"),
        cmov,
    };
    cpu.forcepae = needs_forcepae(&cpu);
    cpu
}

/// Pentium M (and Celeron M) Banias (family 6 model 9) and Dothan (model 13) support PAE
/// but early ones do not advertise it; the kernel then needs `forcepae` to boot a PAE
/// kernel. A Dothan that shows the flag needs nothing.
pub fn needs_forcepae(cpu: &Cpu) -> bool {
    cpu.vendor.as_deref() == Some("GenuineIntel")
        && cpu.family == Some(6)
        && matches!(cpu.model, Some(9) | Some(13))
        && !cpu.flags.pae
}

/// `Intel(R) Pentium(R) M processor 1.60GHz` -> 1600; `... @ 2.00GHz` -> 2000.
pub fn mhz_from_model_name(name: &str) -> Option<u32> {
    let lower = name.to_ascii_lowercase();
    let (number, scale) = if let Some(i) = lower.find("ghz") {
        (&lower[..i], 1000.0)
    } else if let Some(i) = lower.find("mhz") {
        (&lower[..i], 1.0)
    } else {
        return None;
    };
    let digits: String = number
        .trim_end()
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let value: f64 = digits.parse().ok()?;
    let mhz = (value * scale).round();
    (mhz > 0.0 && mhz < 100_000.0).then_some(mhz as u32)
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    // A real Pentium M Dothan (IBM ThinkPad T40) as hwinfo recorded it.
    const T40: &str = "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 13\n\
model name\t: Intel(R) Pentium(R) M processor 1.60GHz\nstepping\t: 6\ncpu MHz\t\t: 600.000\n\
cache size\t: 2048 KB\nflags\t\t: fpu vme de pse tsc msr mce cx8 sep mtrr pge mca cmov clflush dts acpi mmx fxsr sse sse2 ss tm pbe bts est tm2\n\
bogomips\t: 1196.12\n";

    #[test]
    fn dothan_without_pae_needs_forcepae() {
        let cpu = parse_cpuinfo(T40);
        assert_eq!(cpu.family, Some(6));
        assert_eq!(cpu.model, Some(13));
        assert_eq!(cpu.stepping, Some(6));
        assert_eq!((cpu.cores, cpu.threads), (Some(1), Some(1)));
        assert!(!cpu.flags.pae && !cpu.flags.lm && cpu.flags.sse2 && !cpu.flags.nx);
        assert!(cpu.forcepae);
        let with_pae = parse_cpuinfo(&T40.replace(" sse2 ", " sse2 pae "));
        assert!(with_pae.flags.pae && !with_pae.forcepae);
        let core2 = parse_cpuinfo(&T40.replace("model\t\t: 13", "model\t\t: 15"));
        assert!(!core2.forcepae);
    }

    // A VIA C3 "Ezra" laptop (LKML, 4 Mar 2006, Message-ID
    // <8be2e100603040646k7f40e8eai391eb914040cb8f8@mail.gmail.com>): family 6, no cmov.
    const EZRA: &str = "processor\t: 0\nvendor_id\t: CentaurHauls\ncpu family\t: 6\nmodel\t\t: 7\n\
model name\t: VIA Ezra\nstepping\t: 10\ncpu MHz\t\t: 933.545\ncache size\t: 64 KB\nfdiv_bug\t: no\n\
hlt_bug\t\t: no\nf00f_bug\t: no\ncoma_bug\t: no\nfpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: 1\n\
wp\t\t: yes\nflags\t\t: fpu de tsc msr cx8 mtrr pge mmx 3dnow\nbogomips\t: 1868.19\n";

    #[test]
    fn cmov_is_read_and_unknown_without_a_flags_line() {
        let ezra = parse_cpuinfo(EZRA);
        assert_eq!(ezra.flags.cmov, Some(false));
        assert_eq!((ezra.family, ezra.model), (Some(6), Some(7)));
        assert!(!ezra.flags.pae && !ezra.flags.sse2 && !ezra.flags.lm);
        assert_eq!(parse_cpuinfo(T40).flags.cmov, Some(true));
        let no_flags = parse_cpuinfo("processor\t: 0\nvendor_id\t: GenuineIntel\n");
        assert_eq!(no_flags.flags.cmov, None);
    }

    #[test]
    fn topology_counts_cores_and_threads() {
        // Core i5-2520M: 2 cores, 4 threads (kernel layout, trimmed to the keys used).
        let mut text = String::new();
        for (p, core) in [(0, 0), (1, 1), (2, 0), (3, 1)] {
            text.push_str(&format!(
                "processor\t: {p}\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 42\n\
model name\t: Intel(R) Core(TM) i5-2520M CPU @ 2.50GHz\nphysical id\t: 0\nsiblings\t: 4\n\
core id\t\t: {core}\ncpu cores\t: 2\nflags\t\t: fpu pae sse2 nx lm\n\n"
            ));
        }
        let cpu = parse_cpuinfo(&text);
        assert_eq!((cpu.cores, cpu.threads), (Some(2), Some(4)));
        assert!(cpu.flags.lm && cpu.flags.nx);
        assert_eq!(cpu.model_name.as_deref().and_then(mhz_from_model_name), Some(2500));
    }

    #[test]
    fn garbage_and_truncation_do_not_panic() {
        for text in [
            "",
            "\n\n\n",
            ":::",
            "processor\t: x\n",
            "processor\t: 0\nmodel\t\t: 1",
            "flags",
        ] {
            let _ = parse_cpuinfo(text);
        }
        let cut = parse_cpuinfo(&T40[..40]);
        assert_eq!(cut.threads, Some(1));
        assert_eq!(cut.model_name, None);
    }

    #[test]
    fn clock_from_model_name() {
        assert_eq!(
            mhz_from_model_name("Intel(R) Pentium(R) M processor 1.60GHz"),
            Some(1600)
        );
        assert_eq!(
            mhz_from_model_name("Intel(R) Atom(TM) CPU N270   @ 1.60GHz"),
            Some(1600)
        );
        assert_eq!(mhz_from_model_name("AMD A4-5000 APU with Radeon(TM) HD Graphics"), None);
        assert_eq!(mhz_from_model_name("Pentium 233MHz"), Some(233));
    }
}
