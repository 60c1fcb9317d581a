//! The drives' own erase commands, run through the ecosystem's tools: ATA Secure Erase and
//! ATA Sanitize (`hdparm`), NVMe Format NVM and Sanitize (`nvme`, nvme-cli), eMMC secure
//! erase and sanitize (`blkdiscard --secure` from util-linux, then `mmc sanitize` from
//! mmc-utils when installed). Which commands a method runs ([`steps`]) and what the tools
//! answer ([`parse_hdparm_sanitize_status`], [`parse_nvme_sanitize_log`]) are pure and
//! unit-tested on real outputs (`testdata/README.md`); [`run_step`] and [`poll`] are the thin
//! edge. upcycle's own read-back follows every method (`commands/erase.rs`).

use std::path::Path;
use std::process::Command;

use super::plan::Method;
use super::tools::{HDPARM, NVME, Tool};
use crate::l10n::Said;

pub const BLKDISCARD: Tool = Tool {
    command: "blkdiscard",
    package: "util-linux",
};
pub const MMC: Tool = Tool {
    command: "mmc",
    package: "mmc-utils",
};

/// The temporary ATA user password a Secure Erase needs (the erase clears it). Fixed and
/// written in the record, so a drive left locked by a power cut can be unlocked
/// (`hdparm --user-master u --security-disable upcycle /dev/sdX`).
pub const ATA_PASSWORD: &str = "upcycle";

/// One tool call of a method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub tool: Tool,
    pub args: Vec<String>,
    /// The method goes on without this step when its tool is not installed (mmc-utils:
    /// `mmc sanitize` after the secure erase); the record says it was left out.
    pub optional: bool,
    /// After it, poll the drive until its background operation ends.
    pub poll: Option<Poll>,
}

impl Step {
    /// The command line as the record shows it.
    pub fn command_line(&self) -> String {
        std::iter::once(self.tool.command.to_string())
            .chain(self.args.iter().cloned())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// How a background operation is followed to its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Poll {
    /// `hdparm --sanitize-status DEV`.
    AtaSanitize,
    /// `nvme sanitize-log DEV -o json`.
    NvmeSanitize,
}

impl Poll {
    pub fn tool(self) -> Tool {
        match self {
            Poll::AtaSanitize => HDPARM,
            Poll::NvmeSanitize => NVME,
        }
    }

    pub fn args(self, device: &Path) -> Vec<String> {
        let dev = device.display().to_string();
        match self {
            Poll::AtaSanitize => vec!["--sanitize-status".into(), dev],
            Poll::NvmeSanitize => vec!["sanitize-log".into(), dev, "-o".into(), "json".into()],
        }
    }
}

/// The tool calls of a firmware method on `device` (the whole disk: `/dev/sda`,
/// `/dev/nvme0n1`, `/dev/mmcblk0`). Empty for the overwrite, which is upcycle's own.
pub fn steps(method: Method, device: &Path) -> Vec<Step> {
    let dev = device.display().to_string();
    let step = |tool: Tool, args: &[&str], poll: Option<Poll>| Step {
        tool,
        args: args
            .iter()
            .map(|a| a.to_string())
            .chain(std::iter::once(dev.clone()))
            .collect(),
        optional: false,
        poll,
    };
    let secure_erase = |erase: &str| {
        vec![
            step(
                HDPARM,
                &["--user-master", "u", "--security-set-pass", ATA_PASSWORD],
                None,
            ),
            step(HDPARM, &["--user-master", "u", erase, ATA_PASSWORD], None),
        ]
    };
    let ata_sanitize = |what: &str| {
        vec![step(
            HDPARM,
            &["--yes-i-know-what-i-am-doing", what],
            Some(Poll::AtaSanitize),
        )]
    };
    match method {
        Method::Overwrite => Vec::new(),
        Method::AtaSecureErase => secure_erase("--security-erase"),
        Method::AtaEnhancedSecureErase => secure_erase("--security-erase-enhanced"),
        Method::AtaSanitizeBlockErase => ata_sanitize("--sanitize-block-erase"),
        Method::AtaSanitizeCryptoScramble => ata_sanitize("--sanitize-crypto-scramble"),
        // --force: nvme-cli 2 asks for a confirmation otherwise (upcycle asked already).
        Method::NvmeFormatUserData => vec![step(NVME, &["format", "--ses=1", "--force"], None)],
        Method::NvmeFormatCrypto => vec![step(NVME, &["format", "--ses=2", "--force"], None)],
        Method::NvmeSanitizeBlockErase => vec![step(NVME, &["sanitize", "--sanact=2"], Some(Poll::NvmeSanitize))],
        Method::NvmeSanitizeCryptoErase => vec![step(NVME, &["sanitize", "--sanact=4"], Some(Poll::NvmeSanitize))],
        Method::EmmcSecureEraseSanitize => vec![
            step(BLKDISCARD, &["--secure"], None),
            Step {
                optional: true,
                ..step(MMC, &["sanitize"], None)
            },
        ],
    }
}

/// What the read-back after a method may expect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Zeros: upcycle's overwrite, and ATA normal Secure Erase (the standard has it write
    /// binary zeros).
    Zeros,
    /// Zeros, or, where the result is the vendor's (crypto erase, block erase, enhanced
    /// Secure Erase, Format NVM, eMMC erase), anything but the old content: every sampled
    /// slice must differ from its pre-erase SHA-256 (or have been one repeated byte before,
    /// an empty area).
    ZerosOrChanged,
}

pub fn expect(method: Method) -> Expect {
    match method {
        Method::Overwrite | Method::AtaSecureErase => Expect::Zeros,
        _ => Expect::ZerosOrChanged,
    }
}

/// The state of a sanitize operation, from either tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SanitizeState {
    /// Running; the percentage done when the drive says.
    InProgress(Option<u32>),
    /// The last sanitize operation completed without error.
    Succeeded,
    Failed,
    /// ATA: the sanitize feature is frozen (suspend to RAM and wake, then again).
    Frozen,
    /// Never sanitized, or idle without a result: not started (yet).
    Idle,
}

/// `hdparm --sanitize-status`: `State: SD2 Sanitize operation In Process` with `Progress:
/// 0x41c2 (25%)`, `SD0 Sanitize Idle` with `Last Sanitize Operation Completed Without
/// Error`, `SD1` frozen, `SD3` failed, `SD4` succeeded. `None` without a state line.
pub fn parse_hdparm_sanitize_status(text: &str) -> Option<SanitizeState> {
    let state = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("State:"))?
        .split_whitespace()
        .next()?
        .to_string();
    let percent = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Progress:"))
        .and_then(|p| {
            p.split_once('(')
                .map(|(_, rest)| rest.trim_end_matches([')', '%', ' ']))
        })
        .and_then(|p| p.trim_end_matches([')', '%']).parse::<u32>().ok());
    let completed = text.contains("Completed Without Error");
    Some(match state.as_str() {
        "SD2" => SanitizeState::InProgress(percent),
        "SD1" => SanitizeState::Frozen,
        "SD3" => SanitizeState::Failed,
        "SD4" => SanitizeState::Succeeded,
        "SD0" if completed => SanitizeState::Succeeded,
        "SD0" => SanitizeState::Idle,
        _ => return None,
    })
}

/// `nvme sanitize-log DEV -o json` (nvme-cli 1.x/2.x: `{"nvme0n1": {"sprog": N, "sstat":
/// {"status": "(2) ...", ...}}}`; some versions give `sstat` as a number), or its normal
/// output (`Sanitize Status (SSTAT) :  0x2`). The low three bits of SSTAT: 0 never
/// sanitized, 1 succeeded, 2 in progress, 3 failed, 4 succeeded with deallocation. SPROG is
/// the fraction done, out of 65536.
pub fn parse_nvme_sanitize_log(text: &str) -> Option<SanitizeState> {
    let (status, sprog) = match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v) => {
            // the log is under the device's name; older versions put it at the top
            let log = match v.as_object() {
                Some(o) if o.contains_key("sstat") => &v,
                Some(o) => o.values().find(|x| x.get("sstat").is_some())?,
                None => return None,
            };
            let sstat = log.get("sstat")?;
            let status = match sstat.get("status") {
                Some(s) => s
                    .as_str()
                    .and_then(|s| s.trim().strip_prefix('('))
                    .and_then(|s| s.split(')').next())
                    .and_then(|n| n.trim().parse::<u64>().ok())
                    .or_else(|| s.as_u64())?,
                None => sstat.as_u64()?,
            };
            (status, log.get("sprog").and_then(|p| p.as_u64()))
        }
        Err(_) => {
            let value = |key: &str| {
                text.lines()
                    .filter(|l| l.contains(key))
                    .find_map(|l| {
                        l.split_once(':')
                            .map(|(_, v)| v.split_whitespace().next().unwrap_or(""))
                    })
                    .and_then(|v| match v.strip_prefix("0x") {
                        Some(hex) => u64::from_str_radix(hex, 16).ok(),
                        None => v.parse::<u64>().ok(),
                    })
            };
            (value("(SSTAT)")?, value("(SPROG)"))
        }
    };
    Some(match status & 0x7 {
        0 => SanitizeState::Idle,
        1 | 4 => SanitizeState::Succeeded,
        2 => SanitizeState::InProgress(sprog.map(|p| (p.min(65536) * 100 / 65536) as u32)),
        _ => SanitizeState::Failed,
    })
}

/// The tool's version line for the record (`hdparm -V`, `nvme version`, ...).
pub fn tool_version(tool: Tool) -> Option<String> {
    let exe = super::tools::find(tool)?;
    let arg = match tool.command {
        "hdparm" => "-V",
        "nvme" => "version",
        _ => "--version",
    };
    let out = Command::new(exe).arg(arg).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(|l| crate::render::one_line(l).chars().take(80).collect())
}

/// Run one step to its end. The tool runs in a process group of its own, so a Ctrl-C at
/// the terminal does not kill it halfway (a drive's own erase cannot be stopped anyway:
/// killing the tool would only leave the drive locked or busy); the caller sees the
/// interruption afterwards. Ok: the tool's output (stdout and stderr).
pub fn run_step(step: &Step) -> Result<String, Said> {
    use std::os::unix::process::CommandExt;
    let Some(exe) = super::tools::find(step.tool) else {
        return Err(Said::new("tool-missing")
            .arg("tool", step.tool.command)
            .arg("package", step.tool.package));
    };
    let out = Command::new(exe)
        .args(&step.args)
        .process_group(0)
        .output()
        .map_err(|e| {
            Said::new("tool-cannot-run")
                .arg("tool", step.tool.command)
                .arg("error", e.to_string())
        })?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if !out.status.success() {
        return Err(Said::new("tool-failed")
            .arg("command", step.command_line())
            .arg("error", crate::render::one_line(text.trim())));
    }
    Ok(text)
}

/// Ask the drive how its background sanitize is doing, once.
pub fn poll(p: Poll, device: &Path) -> Result<Option<SanitizeState>, Said> {
    let step = Step {
        tool: p.tool(),
        args: p.args(device),
        optional: false,
        poll: None,
    };
    let text = run_step(&step)?;
    Ok(match p {
        Poll::AtaSanitize => parse_hdparm_sanitize_status(&text),
        Poll::NvmeSanitize => parse_nvme_sanitize_log(&text),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(method: Method, dev: &str) -> Vec<String> {
        steps(method, Path::new(dev)).iter().map(Step::command_line).collect()
    }

    #[test]
    fn each_method_runs_its_tools_on_the_whole_disk() {
        assert!(lines(Method::Overwrite, "/dev/sda").is_empty());
        assert_eq!(
            lines(Method::AtaEnhancedSecureErase, "/dev/sda"),
            [
                "hdparm --user-master u --security-set-pass upcycle /dev/sda",
                "hdparm --user-master u --security-erase-enhanced upcycle /dev/sda",
            ]
        );
        assert_eq!(
            lines(Method::AtaSecureErase, "/dev/sdb")[1],
            "hdparm --user-master u --security-erase upcycle /dev/sdb"
        );
        assert_eq!(
            lines(Method::AtaSanitizeCryptoScramble, "/dev/sda"),
            ["hdparm --yes-i-know-what-i-am-doing --sanitize-crypto-scramble /dev/sda"]
        );
        assert_eq!(
            lines(Method::AtaSanitizeBlockErase, "/dev/sda"),
            ["hdparm --yes-i-know-what-i-am-doing --sanitize-block-erase /dev/sda"]
        );
        assert_eq!(
            lines(Method::NvmeFormatUserData, "/dev/nvme0n1"),
            ["nvme format --ses=1 --force /dev/nvme0n1"]
        );
        assert_eq!(
            lines(Method::NvmeFormatCrypto, "/dev/nvme0n1"),
            ["nvme format --ses=2 --force /dev/nvme0n1"]
        );
        assert_eq!(
            lines(Method::NvmeSanitizeCryptoErase, "/dev/nvme0n1"),
            ["nvme sanitize --sanact=4 /dev/nvme0n1"]
        );
        assert_eq!(
            lines(Method::NvmeSanitizeBlockErase, "/dev/nvme0n1"),
            ["nvme sanitize --sanact=2 /dev/nvme0n1"]
        );
        let emmc = steps(Method::EmmcSecureEraseSanitize, Path::new("/dev/mmcblk0"));
        assert_eq!(
            emmc.iter().map(Step::command_line).collect::<Vec<_>>(),
            ["blkdiscard --secure /dev/mmcblk0", "mmc sanitize /dev/mmcblk0"]
        );
        assert_eq!((emmc[0].optional, emmc[1].optional), (false, true));
        // the sanitizes are followed to their end, each with its tool
        let polled: Vec<Option<Poll>> = [Method::AtaSanitizeBlockErase, Method::NvmeSanitizeCryptoErase]
            .iter()
            .map(|m| steps(*m, Path::new("/dev/x")).last().unwrap().poll)
            .collect();
        assert_eq!(polled, [Some(Poll::AtaSanitize), Some(Poll::NvmeSanitize)]);
        assert_eq!(
            Poll::NvmeSanitize.args(Path::new("/dev/nvme0n1")),
            ["sanitize-log", "/dev/nvme0n1", "-o", "json"]
        );
    }

    #[test]
    fn only_overwrite_and_normal_secure_erase_promise_zeros() {
        assert_eq!(expect(Method::Overwrite), Expect::Zeros);
        assert_eq!(expect(Method::AtaSecureErase), Expect::Zeros);
        for m in [
            Method::AtaEnhancedSecureErase,
            Method::AtaSanitizeCryptoScramble,
            Method::NvmeFormatCrypto,
            Method::NvmeFormatUserData,
            Method::NvmeSanitizeCryptoErase,
            Method::EmmcSecureEraseSanitize,
        ] {
            assert_eq!(expect(m), Expect::ZerosOrChanged, "{m:?}");
        }
    }

    #[test]
    fn hdparm_sanitize_status_in_progress_done_frozen() {
        // A SATA SSD's block erase under way (hdparm, testdata/README.md).
        let running = include_str!("testdata/hdparm-sanitize-status-in-process.txt");
        assert_eq!(
            parse_hdparm_sanitize_status(running),
            Some(SanitizeState::InProgress(Some(25)))
        );
        // The words hdparm prints once it is done (the status a ChromiumOS-style wipe
        // script greps for, testdata/README.md), in hdparm's layout.
        let done = "/dev/sda:\nIssuing SANITIZE_STATUS command\nSanitize status:\n    State:    SD0 Sanitize Idle\n    Last Sanitize Operation Completed Without Error\n";
        assert_eq!(parse_hdparm_sanitize_status(done), Some(SanitizeState::Succeeded));
        let idle = "Sanitize status:\n    State:    SD0 Sanitize Idle\n";
        assert_eq!(parse_hdparm_sanitize_status(idle), Some(SanitizeState::Idle));
        let frozen = "Sanitize status:\n    State:    SD1 Sanitize Frozen\n";
        assert_eq!(parse_hdparm_sanitize_status(frozen), Some(SanitizeState::Frozen));
        let failed = "Sanitize status:\n    State:    SD3 Sanitize Operation Failed\n";
        assert_eq!(parse_hdparm_sanitize_status(failed), Some(SanitizeState::Failed));
        assert_eq!(
            parse_hdparm_sanitize_status("/dev/sdb:\nSG_IO: bad/missing sense data\n"),
            None
        );
    }

    #[test]
    fn nvme_sanitize_log_as_json_and_as_text() {
        // nvme-cli's normal output while a block erase runs (nvme-cli issues #752, #3027)
        // and with -H (a blog post), testdata/README.md.
        let text = include_str!("testdata/nvme-sanitize-log-in-progress.txt");
        assert_eq!(parse_nvme_sanitize_log(text), Some(SanitizeState::InProgress(Some(0))));
        let human = include_str!("testdata/nvme-sanitize-log-H-in-progress.txt");
        assert_eq!(
            parse_nvme_sanitize_log(human),
            Some(SanitizeState::InProgress(Some(35)))
        );
        // The JSON nvme-cli's json_sanitize_log prints, with the values of #752's drive.
        let json = include_str!("testdata/nvme-sanitize-log-in-progress.json");
        assert_eq!(parse_nvme_sanitize_log(json), Some(SanitizeState::InProgress(Some(0))));
        let done = json.replace(
            "(2) Sanitize in Progress.",
            "(1) The most recent sanitize operation completed successfully.",
        );
        assert_eq!(parse_nvme_sanitize_log(&done), Some(SanitizeState::Succeeded));
        let failed = json.replace(
            "(2) Sanitize in Progress.",
            "(3) The most recent sanitize operation failed.",
        );
        assert_eq!(parse_nvme_sanitize_log(&failed), Some(SanitizeState::Failed));
        let never = r#"{"nvme0n1":{"sprog":0,"sstat":{"global_erased":1,"no_cmplted_passes":0,"status":"(0) The NVM subsystem has never been sanitized."}}}"#;
        assert_eq!(parse_nvme_sanitize_log(never), Some(SanitizeState::Idle));
        // a numeric sstat with the global-erased bit (0x101): succeeded
        assert_eq!(
            parse_nvme_sanitize_log(r#"{"sprog":65535,"sstat":257}"#),
            Some(SanitizeState::Succeeded)
        );
        assert_eq!(parse_nvme_sanitize_log("NVMe status: Invalid Field"), None);
        assert_eq!(parse_nvme_sanitize_log("[]"), None);
    }
}
