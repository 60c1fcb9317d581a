//! Command-line arguments resolved once into the options the commands run with
//! (defaults decided, terminal detected). Commands never see clap types.

use std::io::IsTerminal;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::capture::Limits;
use std::collections::BTreeSet;

use crate::cli::{
    ArchiveArgs, BatchArgs, CaptureArgs, CheckArgs, EraseArgs, EraseMethodArg, ExportFormat, Format, GenerateArgs,
    LedgerArgs, LedgerCommand, LogArgs, MediaCommand, PlanArgs, ProbeArgs, ProfilesCommand, SelectArgs, ServeArgs,
    StatusArgs, TableFormat, ValidatorArg, VerifyArg,
};
use crate::exit::{Exit, Failure};
use crate::media::netboot::Subnet;
use crate::token::KernelParam;
use crate::validate::Tool;
use std::net::Ipv4Addr;

#[derive(Debug, Clone)]
pub struct ProbeOptions {
    pub root: PathBuf,
    pub format: Format,
    pub output: Option<PathBuf>,
    /// Replace an existing output file.
    pub force: bool,
    pub redact: bool,
    /// With `redact`: the ledger whose key hides the identifiers.
    pub ledger: Option<PathBuf>,
    pub limits: Limits,
}

/// The ledger file a command writes into: `--ledger` (a folder means its
/// `upcycle-ledger.sqlite`), else the one in `dir`.
pub fn ledger_path(args: &LedgerArgs, dir: &std::path::Path) -> PathBuf {
    match &args.ledger {
        Some(p) => crate::ledger::resolve(p),
        None => dir.join(crate::ledger::FILE_NAME),
    }
}

/// The validators `--skip-validator` names.
pub fn skipped(args: &CheckArgs) -> BTreeSet<Tool> {
    args.skip_validator
        .iter()
        .map(|v| match v {
            ValidatorArg::Debconf => Tool::Debconf,
            ValidatorArg::Shellcheck => Tool::Shellcheck,
            ValidatorArg::Bash => Tool::Bash,
        })
        .collect()
}

/// The limits for unpacking `.tar.gz` captures: `--max-unpacked`, the rest fixed.
pub fn limits(args: &ArchiveArgs) -> Limits {
    let default = Limits::default();
    Limits {
        max_bytes: args.max_unpacked.unwrap_or(default.max_bytes),
        ..default
    }
}

impl ProbeOptions {
    pub fn from_args(args: ProbeArgs) -> Self {
        let format = args
            .format
            .unwrap_or(if args.output.is_none() && std::io::stdout().is_terminal() {
                Format::Text
            } else {
                Format::Yaml
            });
        ProbeOptions {
            root: args.root,
            format,
            output: args.output,
            force: args.force,
            redact: args.redact,
            ledger: args.redact_ledger.ledger.as_deref().map(crate::ledger::resolve),
            limits: limits(&args.archive),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaptureFormat {
    TarGz,
    Dir,
}

#[derive(Debug, Clone)]
pub struct CaptureOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub format: CaptureFormat,
    pub redact: bool,
    /// With `redact`: the ledger whose key hides the identifiers.
    pub ledger: Option<PathBuf>,
    pub force: bool,
}

impl CaptureOptions {
    pub fn from_args(args: CaptureArgs) -> Self {
        let name = args.output.to_string_lossy();
        let format = if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
            CaptureFormat::TarGz
        } else {
            CaptureFormat::Dir
        };
        CaptureOptions {
            root: args.root,
            output: args.output,
            format,
            redact: args.redact,
            ledger: args.redact_ledger.ledger.as_deref().map(crate::ledger::resolve),
            force: args.force,
        }
    }
}

#[derive(Debug, Clone)]
pub struct SelectOptions {
    pub report: PathBuf,
    pub profiles: Option<PathBuf>,
    pub policy: Option<PathBuf>,
    pub format: Format,
    pub output: Option<PathBuf>,
    /// Replace an existing output file.
    pub force: bool,
    pub today: NaiveDate,
    pub limits: Limits,
}

impl SelectOptions {
    pub fn from_args(args: SelectArgs) -> Result<Self, Failure> {
        let today = match &args.today {
            Some(d) => parse_today(Some(d))?,
            None => today(),
        };
        Ok(SelectOptions {
            report: args.report,
            profiles: args.catalog.profiles,
            policy: args.policy,
            format: default_format(args.format, args.output.is_none()),
            output: args.output,
            force: args.force,
            today,
            limits: limits(&args.archive),
        })
    }
}

/// Text for a person at a terminal, YAML for files and pipes.
pub fn default_format(asked: Option<Format>, to_stdout: bool) -> Format {
    asked.unwrap_or(if to_stdout && std::io::stdout().is_terminal() {
        Format::Text
    } else {
        Format::Yaml
    })
}

fn parse_today(arg: Option<&str>) -> Result<NaiveDate, Failure> {
    match arg {
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| Failure::new(Exit::Usage, crate::l10n::Said::new("err-today").arg("value", d))),
        None => Ok(today()),
    }
}

#[derive(Debug, Clone)]
pub struct GenerateOptions {
    pub report: PathBuf,
    pub profile: Option<String>,
    pub workshop: Option<PathBuf>,
    pub output: PathBuf,
    pub force: bool,
    pub number: Option<u32>,
    pub ledger: PathBuf,
    pub profiles: Option<PathBuf>,
    pub templates: Option<PathBuf>,
    pub today: NaiveDate,
    pub limits: Limits,
    pub skip: BTreeSet<Tool>,
    pub accessibility: Option<Vec<crate::accessibility::Aid>>,
}

impl GenerateOptions {
    pub fn from_args(args: GenerateArgs) -> Result<Self, Failure> {
        Ok(GenerateOptions {
            today: parse_today(args.today.as_deref())?,
            report: args.report,
            profile: args.profile,
            workshop: args.workshop,
            ledger: ledger_path(&args.ledger, &args.output),
            output: args.output,
            force: args.force,
            number: args.number,
            profiles: args.catalog.profiles,
            templates: args.templates,
            limits: limits(&args.archive),
            skip: skipped(&args.checks),
            accessibility: args.accessibility,
        })
    }
}

#[derive(Debug, Clone)]
pub struct PlanOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub ledger: PathBuf,
    pub workshop: Option<PathBuf>,
    pub today: NaiveDate,
    pub limits: Limits,
    pub skip: BTreeSet<Tool>,
    pub accessibility: Option<Vec<crate::accessibility::Aid>>,
}

impl PlanOptions {
    pub fn from_args(args: PlanArgs) -> Self {
        PlanOptions {
            root: args.root,
            ledger: ledger_path(&args.ledger, &args.output),
            output: args.output,
            workshop: args.workshop,
            today: today(),
            limits: limits(&args.archive),
            skip: skipped(&args.checks),
            accessibility: args.accessibility,
        }
    }
}

#[derive(Debug, Clone)]
pub struct BatchOptions {
    pub inputs: Vec<PathBuf>,
    pub output: PathBuf,
    pub ledger: PathBuf,
    pub workshop: Option<PathBuf>,
    pub jobs: usize,
    pub validate_all: bool,
    pub profiles: Option<PathBuf>,
    pub templates: Option<PathBuf>,
    pub today: NaiveDate,
    pub limits: Limits,
    pub skip: BTreeSet<Tool>,
}

impl BatchOptions {
    pub fn from_args(args: BatchArgs) -> Result<Self, Failure> {
        let jobs = args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2));
        if jobs == 0 {
            return Err(Failure::new(Exit::Usage, crate::l10n::Said::new("err-jobs-zero")));
        }
        Ok(BatchOptions {
            today: parse_today(args.today.as_deref())?,
            inputs: args.inputs,
            ledger: ledger_path(&args.ledger, &args.output),
            output: args.output,
            workshop: args.workshop,
            jobs,
            validate_all: args.validate_all,
            profiles: args.catalog.profiles,
            templates: args.templates,
            limits: limits(&args.archive),
            skip: skipped(&args.checks),
        })
    }
}

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub dir: PathBuf,
    pub listen: std::net::SocketAddr,
    /// At least a second each.
    pub read_timeout: std::time::Duration,
    pub write_timeout: std::time::Duration,
    /// The ledger file (resolved: a folder means its ledger); `None`: the served folder's.
    pub ledger: Option<PathBuf>,
    pub syslog: bool,
}

impl ServeOptions {
    pub fn from_args(args: ServeArgs) -> Self {
        ServeOptions {
            ledger: args.ledger.as_deref().map(crate::ledger::resolve),
            syslog: !args.no_syslog,
            dir: args.dir,
            listen: args.listen,
            read_timeout: std::time::Duration::from_secs(args.read_timeout.max(1)),
            write_timeout: std::time::Duration::from_secs(args.write_timeout.max(1)),
        }
    }
}

/// `status`: the room of a ledger.
#[derive(Debug, Clone)]
pub struct StatusOptions {
    pub ledger: PathBuf,
    pub json: bool,
}

impl StatusOptions {
    pub fn from_args(args: StatusArgs) -> Self {
        StatusOptions {
            ledger: crate::ledger::resolve(&args.ledger.ledger),
            json: args.format == TableFormat::Json,
        }
    }
}

/// `log MACHINE`: one machine's history.
#[derive(Debug, Clone)]
pub struct LogOptions {
    pub machine: String,
    pub ledger: PathBuf,
    pub json: bool,
}

impl LogOptions {
    pub fn from_args(args: LogArgs) -> Self {
        LogOptions {
            machine: args.machine,
            ledger: crate::ledger::resolve(&args.ledger.ledger),
            json: args.format == TableFormat::Json,
        }
    }
}

/// `passport [MACHINE...] -o DIR`.
#[derive(Debug, Clone)]
pub struct PassportOptions {
    pub machines: Vec<String>,
    pub ledger: PathBuf,
    pub output: PathBuf,
    pub workshop: Option<PathBuf>,
    pub catalog: Option<PathBuf>,
    /// `--lang`; without it, the workshop's language.
    pub lang: Option<crate::l10n::Lang>,
}

impl PassportOptions {
    pub fn from_args(args: crate::cli::PassportArgs, lang: Option<crate::l10n::Lang>) -> Self {
        PassportOptions {
            machines: args.machines,
            ledger: crate::ledger::resolve(&args.ledger.ledger),
            output: args.output,
            workshop: args.workshop,
            catalog: args.catalog.profiles,
            lang,
        }
    }
}

/// `handover MACHINE`.
#[derive(Debug, Clone)]
pub struct HandoverOptions {
    pub machine: String,
    pub recipient: Option<String>,
    pub ledger: PathBuf,
    pub workshop: Option<PathBuf>,
}

impl HandoverOptions {
    pub fn from_args(args: crate::cli::HandoverArgs) -> Self {
        HandoverOptions {
            machine: args.machine,
            recipient: args.recipient,
            ledger: crate::ledger::resolve(&args.ledger.ledger),
            workshop: args.workshop,
        }
    }
}

/// `check`: the self-check of an installed laptop.
#[derive(Debug, Clone)]
pub struct SelfCheckOptions {
    pub root: PathBuf,
    pub json: bool,
    /// `--post`: `Some(None)` sends to the address in serve.conf, `Some(Some(url))` to `url`.
    pub post: Option<Option<crate::check::post::ServeUrl>>,
    pub wait: std::time::Duration,
    /// Where the result is kept: `-o`, else `/var/lib/upcycle/check.json` on the running
    /// system, else nowhere.
    pub keep: Option<PathBuf>,
}

impl SelfCheckOptions {
    pub fn from_args(args: crate::cli::SelfCheckArgs) -> Result<Self, Failure> {
        let post = match args.post {
            None => None,
            Some(None) => Some(None),
            Some(Some(url)) => Some(Some(crate::check::post::ServeUrl::parse(&url).ok_or_else(|| {
                Failure::new(
                    Exit::Usage,
                    crate::l10n::Said::new("err-check-post-url").arg("url", url.as_str()),
                )
            })?)),
        };
        let live = args.root == std::path::Path::new("/");
        Ok(SelfCheckOptions {
            keep: args
                .output
                .or_else(|| live.then(|| PathBuf::from(crate::check::KEEP_PATH))),
            root: args.root,
            json: args.json,
            post,
            wait: std::time::Duration::from_secs(args.wait.min(3600)),
        })
    }
}

/// `mark MACHINE STATE`: a person's verdict.
#[derive(Debug, Clone)]
pub struct MarkOptions {
    pub machine: String,
    pub ledger: PathBuf,
    pub mark: crate::passport::Mark,
}

impl MarkOptions {
    pub fn from_args(args: crate::cli::MarkArgs) -> Self {
        use crate::cli::{GradeArg, VerdictArg};
        use crate::passport::{Grade, Verdict};
        MarkOptions {
            machine: args.machine,
            ledger: crate::ledger::resolve(&args.ledger.ledger),
            mark: crate::passport::Mark {
                verdict: match args.verdict {
                    VerdictArg::Ready => Verdict::Ready,
                    VerdictArg::ToRepair => Verdict::ToRepair,
                    VerdictArg::Parts => Verdict::Parts,
                },
                grade: args.grade.map(|g| match g {
                    GradeArg::A => Grade::A,
                    GradeArg::B => Grade::B,
                    GradeArg::C => Grade::C,
                    GradeArg::D => Grade::D,
                    GradeArg::E => Grade::E,
                }),
                note: args.note,
            },
        }
    }
}

/// `ledger import` and `ledger export`.
#[derive(Debug, Clone)]
pub enum LedgerOptions {
    Import {
        dir: PathBuf,
        ledger: PathBuf,
        workshop: Option<PathBuf>,
    },
    Export {
        ledger: PathBuf,
        json: bool,
    },
}

impl LedgerOptions {
    pub fn from_args(cmd: LedgerCommand) -> Self {
        match cmd {
            LedgerCommand::Import(a) => LedgerOptions::Import {
                ledger: match &a.ledger {
                    Some(p) => crate::ledger::resolve(p),
                    None => a.dir.join(crate::ledger::FILE_NAME),
                },
                dir: a.dir,
                workshop: a.workshop,
            },
            LedgerCommand::Export(a) => LedgerOptions::Export {
                ledger: crate::ledger::resolve(&a.ledger.ledger),
                json: a.format == ExportFormat::Json,
            },
        }
    }
}

/// What `profiles` does, on which catalog (`None`: the embedded one).
#[derive(Debug, Clone)]
pub enum ProfilesOptions {
    List { catalog: Option<PathBuf> },
    Show { id: String, catalog: Option<PathBuf> },
    Check { catalog: Option<PathBuf> },
}

impl ProfilesOptions {
    pub fn from_args(cmd: ProfilesCommand) -> Self {
        match cmd {
            ProfilesCommand::List(args) => ProfilesOptions::List { catalog: args.profiles },
            ProfilesCommand::Show { id, catalog } => ProfilesOptions::Show {
                id,
                catalog: catalog.profiles,
            },
            ProfilesCommand::Check { dir } => ProfilesOptions::Check { catalog: dir },
        }
    }
}

/// `media usb` and `media netboot`, with their boot words and addresses checked.
#[derive(Debug, Clone)]
pub enum MediaOptions {
    Usb(UsbOptions),
    Netboot(NetbootOptions),
    Images(FetchImagesOptions),
}

/// Where the media commands look for installer images: only `--images DIR` when given,
/// else the cache of `media images` first, then the packages' folder.
#[derive(Debug, Clone)]
pub struct ImagesFrom {
    pub dir: Option<PathBuf>,
    pub cache: PathBuf,
    pub system: PathBuf,
}

impl ImagesFrom {
    fn from_args(a: crate::cli::ImagesArgs) -> Self {
        ImagesFrom {
            dir: a.images,
            cache: a.cache.unwrap_or_else(default_images_cache),
            system: PathBuf::from("/usr/lib/debian-installer/images"),
        }
    }
}

/// `media images`: the (release, arch) pairs to fetch, resolved.
#[derive(Debug, Clone)]
pub struct FetchImagesOptions {
    pub wanted: Vec<(String, crate::catalog::Arch)>,
    pub cache: PathBuf,
    pub workshop: Option<PathBuf>,
    pub keyring: PathBuf,
}

/// The installer images' cache: `$UPCYCLE_CACHE/installer` (the folder scripts/lib.sh's
/// `user_cache` names too), else `/var/cache/upcycle/installer` for root, else
/// `$XDG_CACHE_HOME/upcycle/installer` (`~/.cache/upcycle/installer`).
pub fn default_images_cache() -> PathBuf {
    let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(dir) = env("UPCYCLE_CACHE") {
        return dir.join("installer");
    }
    if nix::unistd::geteuid().is_root() {
        return PathBuf::from("/var/cache/upcycle/installer");
    }
    env("XDG_CACHE_HOME")
        .or_else(|| env("HOME").map(|h| h.join(".cache")))
        .unwrap_or_else(|| PathBuf::from(".cache"))
        .join("upcycle/installer")
}

#[derive(Debug, Clone)]
pub struct UsbOptions {
    pub bundle: PathBuf,
    pub output: PathBuf,
    pub image: Option<PathBuf>,
    pub append: Vec<KernelParam>,
    /// `--server` and `--http-port`: where the installer sends its syslog.
    pub server: Option<std::net::SocketAddrV4>,
    pub images: ImagesFrom,
    /// Debian's 32-bit UEFI GRUB for amd64 sticks (`--grub-ia32`).
    pub grub_ia32: PathBuf,
    /// `--upcycle-static`: the static binaries, for bundles that erase in the installer.
    pub upcycle_static: PathBuf,
    pub force: bool,
}

#[derive(Debug, Clone)]
pub struct NetbootOptions {
    pub bundles: Vec<PathBuf>,
    pub output: PathBuf,
    pub server: Ipv4Addr,
    pub http_port: u16,
    pub subnet: Subnet,
    pub append: Vec<KernelParam>,
    pub images: ImagesFrom,
    /// `--upcycle-static`: the static binaries, for bundles that erase in the installer.
    pub upcycle_static: PathBuf,
    pub force: bool,
}

impl MediaOptions {
    /// Bad `--append`, `--server` or `--subnet` values are usage errors (2).
    pub fn from_args(cmd: MediaCommand) -> Result<Self, Failure> {
        let usage = |said: crate::l10n::Said| Failure::new(Exit::Usage, said);
        let not_ipv4 = |text: &str| crate::l10n::Said::new("err-server-not-ipv4").arg("value", text);
        Ok(match cmd {
            MediaCommand::Usb(a) => MediaOptions::Usb(UsbOptions {
                append: append_words(a.append.as_deref())?,
                server: match &a.server {
                    None => None,
                    Some(text) => Some(std::net::SocketAddrV4::new(
                        text.parse().map_err(|_| usage(not_ipv4(text)))?,
                        a.http_port,
                    )),
                },
                bundle: a.bundle,
                output: a.output,
                image: a.image,
                images: ImagesFrom::from_args(a.images),
                grub_ia32: a.grub_ia32,
                upcycle_static: a.upcycle_static,
                force: a.force,
            }),
            MediaCommand::Netboot(a) => {
                let server: Ipv4Addr = a.server.parse().map_err(|_| usage(not_ipv4(&a.server)))?;
                let subnet = match &a.subnet {
                    Some(text) => {
                        Subnet::parse(text).map_err(|e| usage(crate::l10n::Said::new("err-subnet").arg("why", e)))?
                    }
                    None => Subnet::around(server, 24),
                };
                if !subnet.contains(server) {
                    return Err(usage(
                        crate::l10n::Said::new("err-server-not-in-subnet")
                            .arg("server", server.to_string())
                            .arg("subnet", subnet.to_string()),
                    ));
                }
                MediaOptions::Netboot(NetbootOptions {
                    append: append_words(a.append.as_deref())?,
                    bundles: a.bundles,
                    output: a.output,
                    server,
                    http_port: a.http_port,
                    subnet,
                    images: ImagesFrom::from_args(a.images),
                    upcycle_static: a.upcycle_static,
                    force: a.force,
                })
            }
            MediaCommand::Images(a) => {
                use crate::catalog::Arch;
                // Both named and no installer (13 i386): a usage error; otherwise such a
                // pair is left out (`--arch i386` alone means Debian 12's).
                let both_named = a.release.is_some() && a.arch.is_some();
                let releases: Vec<String> = match a.release {
                    Some(r) => vec![r],
                    None => crate::media::images::archive::RELEASES
                        .iter()
                        .map(|(n, _)| n.to_string())
                        .collect(),
                };
                let mut wanted = Vec::new();
                for release in releases {
                    let arches = match a.arch.as_deref() {
                        Some("i386") => vec![Arch::I386],
                        Some(_) => vec![Arch::Amd64],
                        None => vec![Arch::I386, Arch::Amd64],
                    };
                    for arch in arches {
                        let has = crate::media::images::has_installer(&release, arch.as_str());
                        if has {
                            wanted.push((release.clone(), arch));
                        } else if both_named {
                            return Err(usage(
                                crate::l10n::Said::new("err-images-no-installer")
                                    .arg("release", release.as_str())
                                    .arg("arch", arch.as_str()),
                            ));
                        }
                    }
                }
                MediaOptions::Images(FetchImagesOptions {
                    wanted,
                    cache: a.cache.unwrap_or_else(default_images_cache),
                    workshop: a.workshop,
                    keyring: a.keyring,
                })
            }
        })
    }
}

/// `--append "a b"` as kernel parameters; a word that cannot go on a boot line is a usage
/// error (exit 2).
fn append_words(append: Option<&str>) -> Result<Vec<KernelParam>, Failure> {
    crate::boot_line::parse_words(append.unwrap_or("")).map_err(|e| {
        Failure::new(
            Exit::Usage,
            crate::l10n::Said::new("err-append-word").arg("value", format!("{:?}", e.value)),
        )
    })
}

/// Today's date for support lifetimes (the default of `--today`).
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// `upcycle erase`, resolved.
#[derive(Debug, Clone)]
pub struct EraseOptions {
    pub devices: Vec<PathBuf>,
    pub plan_only: bool,
    pub yes: bool,
    pub method: crate::erase::plan::MethodChoice,
    pub verify: crate::erase::plan::VerifyMode,
    pub record_dir: PathBuf,
    /// `--ledger`, resolved (a folder means its ledger); `None`: look beside the records.
    pub ledger: Option<PathBuf>,
    pub operator: Option<String>,
    pub workshop: Option<String>,
    /// The certificate's language (`l10n::for_document`).
    pub lang: crate::l10n::Lang,
    pub format: Format,
    /// The installer's step: built-in disks only, the overwrite when a tool is missing.
    pub installer: bool,
    /// `--progress-file`: the progress as a machine-readable line (`erase::progress`).
    pub progress_file: Option<PathBuf>,
    pub root: PathBuf,
}

impl EraseOptions {
    pub fn from_args(args: EraseArgs, lang: Option<crate::l10n::Lang>) -> Result<Self, Failure> {
        use crate::erase::plan::{MethodChoice as M, VerifyMode};
        let one_line = |what: &str, v: Option<String>| -> Result<Option<String>, Failure> {
            match v {
                Some(v) if v.chars().any(char::is_control) || v.chars().count() > 200 => Err(Failure::new(
                    Exit::Usage,
                    crate::l10n::Said::new("err-one-line").arg("option", format!("--{what}")),
                )),
                v => Ok(v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())),
            }
        };
        Ok(EraseOptions {
            plan_only: args.plan,
            yes: args.yes,
            method: match args.method {
                EraseMethodArg::Auto => M::Auto,
                EraseMethodArg::Overwrite => M::Overwrite,
                EraseMethodArg::AtaSecureErase => M::AtaSecureErase,
                EraseMethodArg::AtaSanitize => M::AtaSanitize,
                EraseMethodArg::NvmeFormat => M::NvmeFormat,
                EraseMethodArg::NvmeSanitize => M::NvmeSanitize,
                EraseMethodArg::EmmcSanitize => M::EmmcSanitize,
            },
            verify: match args.verify {
                VerifyArg::Full => VerifyMode::Full,
                VerifyArg::Sample => VerifyMode::Sample,
            },
            ledger: args.ledger.as_deref().map(crate::ledger::resolve),
            record_dir: args.record,
            operator: one_line("operator", args.operator)?,
            workshop: one_line("workshop-name", args.workshop_name)?,
            lang: crate::l10n::for_document(lang),
            format: default_format(args.format, true),
            installer: args.installer,
            progress_file: args.progress_file,
            devices: args.devices,
            root: args.root,
        })
    }
}
