//! Command-line types (clap derive). No logic here: `options.rs` resolves them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// upcycle turns old laptops into school computers: it reads what a laptop has, picks a
/// free-software system that fits it, and writes the files that install it unattended.
#[derive(Debug, Parser)]
#[command(name = "upcycle", version, propagate_version = true)]
pub struct Cli {
    /// Print less (only errors and the result).
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more (every warning in full).
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Language of the output [default: LANGUAGE, LC_ALL, LC_MESSAGES, LANG, else de].
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    pub lang: Option<crate::l10n::Lang>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read this laptop's hardware (or a captured copy of it) and print the report.
    ///
    /// Examples:
    ///   upcycle probe                         summary of this machine
    ///   upcycle probe -o t40.yaml             full report as YAML
    ///   upcycle probe --root ./t40-capture    report of a captured laptop
    #[command(verbatim_doc_comment)]
    Probe(ProbeArgs),
    /// Copy exactly the files the probe reads, to analyse a laptop later elsewhere.
    ///
    /// `upcycle probe --root <capture>` then gives the same report as on the laptop.
    /// Examples:
    ///   upcycle capture -o t40.tar.gz --redact   on the laptop, onto the USB stick
    ///   tar xzf t40.tar.gz -C t40 && upcycle probe --root t40
    #[command(verbatim_doc_comment)]
    Capture(CaptureArgs),
    /// Choose the free-software stack for a machine, with reasons and upgrade advice.
    ///
    /// REPORT is a report from `upcycle probe -o`, or a capture (directory or .tar.gz).
    /// Examples:
    ///   upcycle select t40.yaml
    ///   upcycle select t40.yaml --format json | jq .chosen.profile
    ///   upcycle select t40.yaml --policy workshop-policy.yaml --lang de
    /// Exit code 5: no profile fits (the output says what is missing).
    #[command(verbatim_doc_comment)]
    Select(SelectArgs),
    /// List, show and check the catalog of profiles.
    #[command(subcommand)]
    Profiles(ProfilesCommand),
    /// Write the install bundle of one machine: preseed or autoinstall, post-install
    /// script, boot instructions, printable checklist.
    ///
    /// Every file is checked by its real validator first; nothing is written if one fails.
    /// Examples:
    ///   upcycle generate t40.yaml                    -> bundles/schule-001/
    ///   upcycle generate t40.yaml --number 12 -o /media/stick/bundles
    ///   upcycle generate t40.yaml --workshop our-workshop.yaml --profile debian-12-i386-xfce
    /// Exit codes: 4 bundle exists (use --force), 5 no profile fits, 6 validation failed.
    #[command(verbatim_doc_comment)]
    Generate(GenerateArgs),
    /// Bundles, inventory and labels for a whole room of laptops.
    ///
    /// INPUT are reports (.yaml, .json) and captures (.tar.gz or folders with proc/ and
    /// sys/), or folders holding them (walked recursively, sorted). The workshop ledger
    /// (DIR/upcycle-ledger.sqlite, or --ledger) recognises machines it knows; a new one
    /// gets the next free number and its host name, once and for good. A broken input is
    /// reported and the others go on. Writes DIR/<host name>/ per machine,
    /// DIR/inventory.csv, DIR/inventory.html and DIR/labels.html (every machine of the
    /// ledger; those not among the inputs are marked so).
    /// Examples:
    ///   upcycle batch /media/stick/captures -o room-12
    ///   upcycle batch reports/ captures/ -o out --workshop our-workshop.yaml --jobs 4
    /// Exit code 7: some machines failed (see the summary and the inventory).
    #[command(verbatim_doc_comment)]
    Batch(BatchArgs),
    /// Boot media for a workshop: a network-install tree, or a folder for a USB stick.
    #[command(subcommand)]
    Media(MediaCommand),
    /// Serve bundles over HTTP to the installers on the workshop network (read only).
    ///
    /// Installers started with `url=http://WORKSHOP-PC:8080/<host name>/preseed.cfg`
    /// (boot.txt, route 2, or a `media netboot` entry) fetch their files from here.
    /// Every fetch is logged, so you see which laptop got its preseed.
    /// Example: upcycle serve room-12 --listen 0.0.0.0:8080
    #[command(verbatim_doc_comment)]
    Serve(ServeArgs),
    /// The one-shot job on this laptop: probe it, choose its system, write its bundle,
    /// print what was found and chosen.
    ///
    /// Example: upcycle plan -o /media/stick/bundles
    #[command(verbatim_doc_comment)]
    Plan(PlanArgs),
    /// Erase disks with proof: plan, overwrite, read back, record and certificate.
    ///
    /// Never the disk the system runs from; a USB disk only when named. Each run writes a
    /// record (YAML) and a printable certificate (HTML, A4) into the --record folder.
    /// Examples:
    ///   upcycle erase --plan                              what would be done to every disk
    ///   upcycle erase /dev/sda --operator "A. Schmidt"    asks for the serial's last digits
    ///   upcycle erase --yes /dev/sdb --method overwrite --verify sample --record /media/stick/erasure
    /// Exit codes: 10 refused (boot disk, in use, USB not named, not confirmed, a tool
    /// missing), 11 failed (I/O error or a non-erased byte), 12 interrupted (run again to resume).
    #[command(verbatim_doc_comment)]
    Erase(EraseArgs),
    /// Print the SHA-512 crypt hash of a password (for `accounts.users` in the workshop file).
    ///
    /// Asks twice without echo on a terminal, or reads one line from standard input.
    HashPassword,
    /// The room: every machine of the ledger with its last event.
    ///
    /// Examples:
    ///   upcycle status --ledger room-12
    ///   upcycle status --ledger room-12 --format json
    #[command(verbatim_doc_comment)]
    Status(StatusArgs),
    /// One machine's history: intake, bundles, and what happened since.
    ///
    /// Example: upcycle log schule-003 --ledger room-12
    #[command(verbatim_doc_comment)]
    Log(LogArgs),
    /// A person's verdict on a laptop: ready to hand over, to repair, or for parts.
    ///
    /// Appends a `checked` event to the ledger; `status` shows the state.
    /// Examples:
    ///   upcycle mark schule-003 ready --grade B --ledger room-12
    ///   upcycle mark 7 to-repair --note "hinge broken" --ledger room-12
    #[command(verbatim_doc_comment)]
    Mark(MarkArgs),
    /// Write each laptop's passport: a JSON document and a printable A4 page.
    ///
    /// Identity, hardware, erasure, system and its support end, check and grade, and what
    /// the recipient should know, from the ledger; German, or English with --lang en.
    /// No MACHINE: every machine of the ledger. A different file of the same name is kept
    /// as NAME.1.html (.2, ...), never overwritten.
    /// Examples:
    ///   upcycle passport --ledger room-12 -o room-12/passports
    ///   upcycle passport schule-003 7 --ledger room-12 -o passports --lang en
    #[command(verbatim_doc_comment)]
    Passport(PassportArgs),
    /// Mark a laptop handed over to its recipient.
    ///
    /// Removes the workshop-only data from the ledger (the install token, the installer's
    /// last address and line) and records what was removed. The recipient's name is stored
    /// only if the workshop file says so (passport.keep_recipient_name).
    /// Example: upcycle handover schule-003 --ledger room-12
    #[command(verbatim_doc_comment)]
    Handover(HandoverArgs),
    /// The self-check of an installed laptop: Wi-Fi, sound, webcam, battery, disk,
    /// packages, display, each with its evidence.
    ///
    /// Keeps the result in /var/lib/upcycle/check.json and, with --post, sends it to the
    /// workshop's `upcycle serve` (runs once at the first boot when the bundle installed it).
    /// Examples:
    ///   sudo upcycle check
    ///   sudo upcycle check --post                      to the serve the laptop was installed from
    ///   upcycle check --json --post http://192.168.1.10:8080
    /// Exit codes: 13 a check failed, 14 not sent to serve (the result is kept).
    #[command(verbatim_doc_comment)]
    Check(SelfCheckArgs),
    /// Import earlier runs into a new ledger, or export the ledger.
    #[command(subcommand)]
    Ledger(LedgerCommand),
    /// Answers of a preseed file, read as debconf reads them (for the e2e scripts).
    #[command(hide = true)]
    PreseedValue(PreseedValueArgs),
    /// Synthetic reports varied from the fixture machines (for scripts/bench-batch.sh).
    #[command(hide = true)]
    SyntheticReports(SyntheticReportsArgs),
    /// What a bundle installs (its selection's chosen stack) or the machine it is for (its
    /// report), as JSON (for the e2e scripts).
    #[command(hide = true)]
    BundleInfo(BundleInfoArgs),
    /// Man pages and shell completions from this command line (for scripts/build-deb.sh).
    #[command(hide = true)]
    GenerateAssets(GenerateAssetsArgs),
}

#[derive(Debug, Args)]
pub struct EraseArgs {
    /// Disks to erase (/dev/sda, /dev/nvme0n1, a /dev/disk/by-id/ link, a loop device).
    #[arg(value_name = "DEVICE", required_unless_present = "plan")]
    pub devices: Vec<PathBuf>,
    /// List every disk (or the DEVICEs) with what would be done, and change nothing.
    #[arg(long)]
    pub plan: bool,
    /// Do not ask for confirmation (only with DEVICEs named on the command line).
    #[arg(long, requires = "devices")]
    pub yes: bool,
    /// The erase method [default: auto, the default per medium; see docs/erase.md].
    #[arg(long, value_enum, default_value = "auto")]
    pub method: EraseMethodArg,
    /// Read back every byte (full) or a stated sample (first/last 64 MiB, 1 MiB in every 32 MiB).
    #[arg(long, value_enum, default_value = "full")]
    pub verify: VerifyArg,
    /// Folder for the erasure records and certificates (a new file per run, never replaced).
    #[arg(long, value_name = "DIR", default_value = "erasure-records")]
    pub record: PathBuf,
    /// The workshop ledger that gets an `erased` event per disk: a file, or a folder
    /// holding upcycle-ledger.sqlite [default: the one in the --record folder or in the
    /// folder above it, if there is one]. Never made by erase.
    #[arg(long, value_name = "PATH")]
    pub ledger: Option<PathBuf>,
    /// Who erases (on the record and the certificate).
    #[arg(long, value_name = "NAME")]
    pub operator: Option<String>,
    /// The workshop's name (on the record and the certificate).
    #[arg(long, value_name = "NAME")]
    pub workshop_name: Option<String>,
    /// Format of --plan [default: text on a terminal, yaml otherwise].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// The installer's step (partman/early_command): built-in disks only, even when named;
    /// the overwrite when a drive's own method needs a tool the installer lacks.
    #[arg(long, requires = "yes")]
    pub installer: bool,
    /// Also write the progress as one machine-readable line to FILE, rewritten as it goes
    /// (`upcycle-progress/v1 PHASE PERMILLE DONE_MIB TOTAL_MIB`): the installer's progress bar.
    #[arg(long, value_name = "FILE")]
    pub progress_file: Option<PathBuf>,
    /// Directory holding proc/, sys/ and dev/ instead of / (tests).
    #[arg(long, value_name = "DIR", default_value = "/", hide = true)]
    pub root: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EraseMethodArg {
    /// The default for the medium (HDD: overwrite; SSD: sanitize/secure erase; NVMe: sanitize/format).
    Auto,
    /// One pass of zeros by upcycle itself (Clear).
    Overwrite,
    /// ATA SECURITY ERASE UNIT (enhanced when supported).
    AtaSecureErase,
    /// ATA SANITIZE (crypto scramble or block erase).
    AtaSanitize,
    /// NVMe Format NVM with secure erase.
    NvmeFormat,
    /// NVMe Sanitize (crypto or block erase).
    NvmeSanitize,
    /// eMMC secure erase then sanitize.
    EmmcSanitize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VerifyArg {
    Full,
    Sample,
}

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Reports, captures, or folders holding them.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Output directory.
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
    /// Workshop configuration (YAML) [default: the embedded German school workshop].
    #[arg(long, value_name = "FILE")]
    pub workshop: Option<PathBuf>,
    /// Machines processed at once [default: the number of CPUs].
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Run debconf-set-selections, bash -n and shellcheck on every bundle (slow), not
    /// once per kind of bundle.
    #[arg(long)]
    pub validate_all: bool,
    #[command(flatten)]
    pub ledger: LedgerArgs,
    #[command(flatten)]
    pub catalog: CatalogArgs,
    /// Use the templates in DIR instead of the embedded ones.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Count support lifetimes from this day (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "DATE", hide = true)]
    pub today: Option<String>,
    #[command(flatten)]
    pub archive: ArchiveArgs,
    #[command(flatten)]
    pub checks: CheckArgs,
}

/// Which validators may be skipped (shared by the commands that write bundles).
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Write bundles although this validator is not installed (repeat for more). The
    /// bundle then carries NOT-CHECKED.txt. Without it, a missing validator is an error.
    #[arg(long = "skip-validator", value_name = "NAME", value_enum)]
    pub skip_validator: Vec<ValidatorArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ValidatorArg {
    /// debconf-set-selections -c (package debconf)
    Debconf,
    /// shellcheck (package shellcheck)
    Shellcheck,
    /// bash -n
    Bash,
}

/// Limits for `.tar.gz` captures, which are untrusted input (shared by the commands that
/// read them).
#[derive(Debug, Args)]
pub struct ArchiveArgs {
    /// Refuse a .tar.gz capture that unpacks to more than SIZE of file contents (bytes, or
    /// with K, M or G: 64M). A real capture is a few KiB to a few MiB [default: 64M].
    #[arg(long, value_name = "SIZE", value_parser = crate::capture::parse_size)]
    pub max_unpacked: Option<u64>,
}

#[derive(Debug, Subcommand)]
pub enum MediaCommand {
    /// A network-install tree for the workshop PC: TFTP boot files (BIOS and UEFI), one
    /// boot entry per laptop (chosen by its MAC address) and a dnsmasq proxy-DHCP config.
    ///
    /// BUNDLES are bundle folders (from `generate`, `plan` or `batch`) or folders holding
    /// them; Ubuntu bundles are skipped (use Ubuntu's ISO). A laptop whose report names its
    /// wired MAC address starts its own install after 10 seconds; any other machine gets a
    /// menu of all bundles whose default boots its own disk. The installers fetch their
    /// preseed from `upcycle serve` on the workshop PC.
    /// Needs Debian's netboot images: apt install debian-installer-12-netboot-i386 (and
    /// -amd64, or the Debian 13 ones) on the workshop PC.
    /// Examples:
    ///   upcycle media netboot room-12 -o netboot --server 192.168.1.10
    ///   sudo netboot/start.sh                      (dnsmasq: proxy DHCP + TFTP)
    ///   upcycle serve room-12                      (in a second terminal)
    /// Exit codes: 3 bad bundle or missing images, 4 output exists (use --force).
    #[command(verbatim_doc_comment)]
    Netboot(NetbootArgs),
    /// A folder to copy onto a FAT-formatted USB stick that installs one laptop, with the
    /// bundle's preseed inside the installer's initrd (BIOS and UEFI).
    ///
    /// BUNDLE is one Debian bundle folder. DIR gets: linux and initrd.gz (Debian's netboot
    /// installer, the bundle injected into the initrd), syslinux.cfg (BIOS),
    /// EFI/BOOT/BOOTX64.EFI + grubx64.efi (UEFI, Debian's signed shim and GRUB), for amd64 also
    /// EFI/BOOT/BOOTIA32.EFI + grub.cfg (32-bit UEFI: Debian's grubia32.efi from grub-efi-ia32-bin),
    /// debian-installer/ARCH/grub/grub.cfg, README.txt and upcycle/<host name>/ (the bundle).
    /// Copy DIR onto a FAT32 stick; for BIOS boot also run `syslinux --install` on it
    /// (see docs/media-usb.md), or use --image and write that file to the stick.
    /// Needs Debian's netboot images (apt install debian-installer-12-netboot-i386 ...).
    /// Examples:
    ///   upcycle media usb room-12/schule-001 -o stick
    ///   upcycle media usb room-12/schule-001 -o stick --image schule-001.img
    ///   sudo dd if=schule-001.img of=/dev/sdX bs=4M conv=fsync
    /// Exit codes: 3 not a Debian bundle or no installer images, 4 output exists (--force).
    #[command(verbatim_doc_comment)]
    Usb(UsbArgs),
    /// Download Debian's netboot installer images for a release into upcycle's cache,
    /// checked against Debian's signature, for `media usb` and `media netboot`.
    ///
    /// From the workshop's mirror (through its proxy): dists/CODENAME/InRelease, checked
    /// with gpgv against Debian's archive keyring; the images' SHA256SUMS, checked against
    /// the signed Release; netboot.tar.gz, checked against SHA256SUMS. Only a complete and
    /// checked copy enters the cache. Run it again to update: it downloads the images only
    /// when the mirror has newer ones, and replaces a damaged copy.
    /// Needs gpgv and debian-archive-keyring.
    /// Examples:
    ///   upcycle media images                           Debian 12 (i386, amd64) and 13 (amd64)
    ///   upcycle media images --release 13 --arch amd64
    ///   upcycle media images --workshop our-workshop.yaml   (its mirror and proxy)
    /// Exit codes: 13 mirror not reachable, 14 bad signature, 15 wrong checksum,
    /// 16 gpgv or keyring missing.
    #[command(verbatim_doc_comment)]
    Images(FetchImagesArgs),
}

/// Where Debian's netboot installer images are (shared by the media commands).
#[derive(Debug, Args)]
pub struct ImagesArgs {
    /// Folder holding `<release>/<arch>/text/` installer images, as installed by the
    /// packages debian-installer-<release>-netboot-<arch> [default: the cache of `media
    /// images`, else /usr/lib/debian-installer/images].
    #[arg(long, value_name = "DIR")]
    pub images: Option<PathBuf>,
    /// The cache `upcycle media images` fills [default: $UPCYCLE_CACHE/installer, as root
    /// /var/cache/upcycle/installer, else $XDG_CACHE_HOME/upcycle/installer].
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct FetchImagesArgs {
    /// Debian release [default: 12 and 13].
    #[arg(long, value_name = "N", value_parser = ["12", "13"])]
    pub release: Option<String>,
    /// Architecture [default: every one the release has an installer for].
    #[arg(long, value_name = "ARCH", value_parser = ["amd64", "i386"])]
    pub arch: Option<String>,
    /// Where to keep the images [default: $UPCYCLE_CACHE/installer, as root
    /// /var/cache/upcycle/installer, else $XDG_CACHE_HOME/upcycle/installer].
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,
    /// Workshop configuration (YAML): its mirror and proxy [default: the embedded one,
    /// deb.debian.org].
    #[arg(long, value_name = "FILE")]
    pub workshop: Option<PathBuf>,
    /// The keyring the archive's signature is checked against (tests).
    #[arg(long, value_name = "FILE", default_value = crate::media::images::DEBIAN_KEYRING, hide = true)]
    pub keyring: PathBuf,
}

#[derive(Debug, Args)]
pub struct NetbootArgs {
    /// Bundle folders, or folders holding bundle folders.
    #[arg(required = true, value_name = "BUNDLES")]
    pub bundles: Vec<PathBuf>,
    /// Where to write the tree (must not exist, unless --force).
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
    /// The workshop PC's IPv4 address on the school network (runs dnsmasq and `upcycle serve`).
    #[arg(long, value_name = "ADDR")]
    pub server: String,
    /// Port of `upcycle serve` on the workshop PC.
    #[arg(long, value_name = "PORT", default_value_t = 8080)]
    pub http_port: u16,
    /// The network of the laptops, for the proxy DHCP [default: the server's /24].
    #[arg(long, value_name = "NET/LEN")]
    pub subnet: Option<String>,
    /// Extra kernel parameters for every install entry, for the installer only
    /// (e.g. "nomodeset").
    #[arg(long, value_name = "PARAMS", allow_hyphen_values = true)]
    pub append: Option<String>,
    #[command(flatten)]
    pub images: ImagesArgs,
    /// Where the static upcycle binaries are, for bundles that erase the disk in the
    /// installer: DIR/<target>/release/upcycle (as scripts/build-static.sh leaves them under
    /// target/) or DIR/<target>/upcycle, <target> i686-unknown-linux-musl or
    /// x86_64-unknown-linux-musl.
    #[arg(long, value_name = "DIR", default_value = "/usr/lib/upcycle")]
    pub upcycle_static: PathBuf,
    /// Replace an existing output folder.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct UsbArgs {
    /// One bundle folder.
    #[arg(value_name = "BUNDLE")]
    pub bundle: PathBuf,
    /// Where to write the stick's files (must not exist, unless --force).
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
    /// Also write a disk image (MBR, FAT32, syslinux installed) to write onto a stick with
    /// dd or GNOME Disks. Needs dosfstools, mtools, syslinux and syslinux-common.
    #[arg(long, value_name = "FILE")]
    pub image: Option<PathBuf>,
    /// Extra kernel parameters for the installer, space-separated, put before Debian's
    /// `---` (e.g. "console=ttyS0,115200n8" or "vga=788").
    #[arg(long, value_name = "PARAMS", allow_hyphen_values = true)]
    pub append: Option<String>,
    /// The workshop PC's address, if known: the installer then sends its log to `upcycle
    /// serve` there (log_host/log_port), which shows each laptop's progress on /room.
    #[arg(long, value_name = "ADDR")]
    pub server: Option<String>,
    /// The port `upcycle serve` listens on (HTTP and the installers' syslog), with --server.
    #[arg(long, value_name = "PORT", default_value_t = 8080, requires = "server")]
    pub http_port: u16,
    #[command(flatten)]
    pub images: ImagesArgs,
    /// Where the static upcycle binaries are, for bundles that erase the disk in the
    /// installer: DIR/<target>/release/upcycle (as scripts/build-static.sh leaves them under
    /// target/) or DIR/<target>/upcycle, <target> i686-unknown-linux-musl or
    /// x86_64-unknown-linux-musl.
    #[arg(long, value_name = "DIR", default_value = "/usr/lib/upcycle")]
    pub upcycle_static: PathBuf,
    /// Debian's 32-bit UEFI GRUB that amd64 sticks get as EFI/BOOT/BOOTIA32.EFI (package
    /// grub-efi-ia32-bin).
    #[arg(
        long,
        value_name = "FILE",
        default_value = "/usr/lib/grub/i386-efi/monolithic/grubia32.efi",
        hide = true
    )]
    pub grub_ia32: PathBuf,
    /// Replace an existing output folder (and image).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The folder to serve: a `batch` output, or any folder holding bundle folders
    /// (DIR/<asset-id>/preseed.cfg ...). Every regular, non-hidden file below it is served.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Address and port to listen on. 0.0.0.0 is every network of this PC (the start-up
    /// lines name its addresses); port 0 picks a free port.
    #[arg(long, value_name = "ADDR:PORT", default_value = "0.0.0.0:8080")]
    pub listen: std::net::SocketAddr,
    /// Seconds a client gets to send its request before it is answered 408.
    #[arg(long, value_name = "SECS", default_value_t = 10, hide = true)]
    pub read_timeout: u64,
    /// Seconds one write to a client may block before the connection is dropped.
    #[arg(long, value_name = "SECS", default_value_t = 60, hide = true)]
    pub write_timeout: u64,
    /// The workshop ledger that gets the installers' events and feeds the room page
    /// (/room). Default: DIR/upcycle-ledger.sqlite, if there.
    #[arg(long, value_name = "PATH")]
    pub ledger: Option<PathBuf>,
    /// Do not receive the installers' syslog (UDP on the --listen port; only from this
    /// PC's networks).
    #[arg(long)]
    pub no_syslog: bool,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Output directory; the bundle goes to DIR/<host name>/ (this machine's own bundle
    /// is replaced if it exists; the host name comes from the ledger).
    #[arg(short, long, value_name = "DIR", default_value = "bundles")]
    pub output: PathBuf,
    #[command(flatten)]
    pub ledger: LedgerArgs,
    /// Workshop configuration (YAML) [default: the embedded German school workshop].
    #[arg(long, value_name = "FILE")]
    pub workshop: Option<PathBuf>,
    /// Directory holding proc/ and sys/ (a capture), or a `.tar.gz` made by `upcycle
    /// capture`; `/` is this machine.
    #[arg(long, value_name = "DIR|FILE.tar.gz", default_value = "/")]
    pub root: PathBuf,
    /// Aids for the recipient, from the first start on, instead of the workshop's
    /// (`accessibility` in the workshop file): a list separated by commas.
    #[arg(long, value_name = "AIDS", value_enum, value_delimiter = ',')]
    pub accessibility: Option<Vec<crate::accessibility::Aid>>,
    #[command(flatten)]
    pub archive: ArchiveArgs,
    #[command(flatten)]
    pub checks: CheckArgs,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The machine: a report file (YAML or JSON) or a capture (directory or .tar.gz).
    pub report: PathBuf,
    /// Install this profile instead of the selector's choice (it must fit the machine).
    #[arg(long, value_name = "ID")]
    pub profile: Option<String>,
    /// Workshop configuration (YAML) [default: the embedded German school workshop].
    #[arg(long, value_name = "FILE")]
    pub workshop: Option<PathBuf>,
    /// Output directory; the bundle goes to DIR/<host name>/.
    #[arg(short, long, value_name = "DIR", default_value = "bundles")]
    pub output: PathBuf,
    /// Replace an existing bundle of this machine.
    #[arg(long)]
    pub force: bool,
    /// The number for a machine new to the ledger [default: the next free one]; a machine
    /// the ledger knows keeps its own.
    #[arg(long, value_name = "N", value_parser = parse_number)]
    pub number: Option<u32>,
    /// Aids for the recipient, from the first start on, instead of the workshop's
    /// (`accessibility` in the workshop file): a list separated by commas.
    #[arg(long, value_name = "AIDS", value_enum, value_delimiter = ',')]
    pub accessibility: Option<Vec<crate::accessibility::Aid>>,
    #[command(flatten)]
    pub ledger: LedgerArgs,
    #[command(flatten)]
    pub catalog: CatalogArgs,
    /// Use the templates in DIR instead of the embedded ones.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Count support lifetimes from this day (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "DATE", hide = true)]
    pub today: Option<String>,
    #[command(flatten)]
    pub archive: ArchiveArgs,
    #[command(flatten)]
    pub checks: CheckArgs,
}

#[derive(Debug, Subcommand)]
pub enum ProfilesCommand {
    /// One line per profile: id, system, desktop, minimum RAM.
    List(CatalogArgs),
    /// One profile in full (YAML).
    Show {
        /// Profile id, as in `upcycle profiles list`.
        id: String,
        #[command(flatten)]
        catalog: CatalogArgs,
    },
    /// Check a catalog: unknown keys, unknown app sets, packages missing from the release,
    /// impossible requirements, duplicate ids. Every problem names file, line and field.
    Check {
        /// Catalog directory to check [default: the embedded catalog].
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct CatalogArgs {
    /// Use the catalog in DIR instead of the embedded one (a copy of `profiles/`).
    #[arg(long, value_name = "DIR")]
    pub profiles: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SelectArgs {
    /// The machine: a report file (YAML or JSON) or a capture (directory or .tar.gz).
    pub report: PathBuf,
    #[command(flatten)]
    pub catalog: CatalogArgs,
    /// Workshop policy (YAML): pin, forbid or prefer profiles; see docs/selection-format.md.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Output format [default: text on a terminal, yaml otherwise or with -o].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the selection to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace FILE if it exists (without it an existing file is refused: exit 4).
    #[arg(long, requires = "output")]
    pub force: bool,
    /// Count support lifetimes from this day (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "DATE", hide = true)]
    pub today: Option<String>,
    #[command(flatten)]
    pub archive: ArchiveArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A short summary for a person.
    Text,
    /// The full report (the format later steps read).
    Yaml,
    /// The full report for scripts.
    Json,
}

#[derive(Debug, Args)]
pub struct ProbeArgs {
    /// Directory holding `proc/` and `sys/` (a capture), or a `.tar.gz` made by
    /// `upcycle capture`; `/` is this machine.
    #[arg(long, value_name = "DIR|FILE.tar.gz", default_value = "/")]
    pub root: PathBuf,
    /// Output format [default: text on a terminal, yaml otherwise or with -o].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace FILE if it exists (without it an existing file is refused: exit 4).
    #[arg(long, requires = "output")]
    pub force: bool,
    /// Replace serial numbers, UUIDs and MAC addresses with placeholders.
    #[arg(long)]
    pub redact: bool,
    #[command(flatten)]
    pub redact_ledger: RedactLedgerArgs,
    #[command(flatten)]
    pub archive: ArchiveArgs,
}

/// The ledger whose key keeps a redacted laptop recognisable (probe, capture).
#[derive(Debug, Args)]
pub struct RedactLedgerArgs {
    /// With --redact: replace serials, UUIDs and MACs with their keyed hash from this
    /// ledger (a file, or a folder holding upcycle-ledger.sqlite; made if missing), so that
    /// ledger recognises the laptop again. Without it, a redacted laptop is known by its
    /// disk only (docs/ledger.md).
    #[arg(long, value_name = "PATH", requires = "redact")]
    pub ledger: Option<PathBuf>,
}

/// Which ledger a command records into.
#[derive(Debug, Args)]
pub struct LedgerArgs {
    /// The workshop ledger: a file, or a folder holding upcycle-ledger.sqlite
    /// [default: upcycle-ledger.sqlite in the output folder].
    #[arg(long, value_name = "PATH")]
    pub ledger: Option<PathBuf>,
}

/// Which ledger a command reads.
#[derive(Debug, Args)]
pub struct ReadLedgerArgs {
    /// The workshop ledger: a file, or a folder holding upcycle-ledger.sqlite.
    #[arg(long, value_name = "PATH", default_value = ".")]
    pub ledger: PathBuf,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub ledger: ReadLedgerArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: TableFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    /// A table for a person.
    Text,
    /// For scripts.
    Json,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// The machine: its inventory number (12) or host name (schule-012).
    #[arg(value_name = "MACHINE")]
    pub machine: String,
    #[command(flatten)]
    pub ledger: ReadLedgerArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: TableFormat,
}

#[derive(Debug, Args)]
pub struct PassportArgs {
    /// The machines: inventory numbers (12) or host names (schule-012); none: all.
    #[arg(value_name = "MACHINE")]
    pub machines: Vec<String>,
    #[command(flatten)]
    pub ledger: ReadLedgerArgs,
    /// The folder the passports go to (made if missing).
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
    /// Workshop configuration (YAML) [default: the embedded German school workshop].
    #[arg(long, value_name = "FILE")]
    pub workshop: Option<PathBuf>,
    #[command(flatten)]
    pub catalog: CatalogArgs,
}

#[derive(Debug, Args)]
pub struct HandoverArgs {
    /// The machine: its inventory number (12) or host name (schule-012).
    #[arg(value_name = "MACHINE")]
    pub machine: String,
    /// The recipient's name: stored only with passport.keep_recipient_name in the workshop file.
    #[arg(long, value_name = "NAME")]
    pub recipient: Option<String>,
    #[command(flatten)]
    pub ledger: ReadLedgerArgs,
    /// Workshop configuration (YAML) [default: the embedded German school workshop].
    #[arg(long, value_name = "FILE")]
    pub workshop: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SelfCheckArgs {
    /// Print the result as JSON (upcycle.check/v1) instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Send the result to the workshop's serve: at URL (http://HOST:PORT), or without URL
    /// at the address the laptop was installed from (/etc/upcycle/serve.conf).
    #[arg(long, value_name = "URL", num_args = 0..=1)]
    pub post: Option<Option<String>>,
    /// Try sending for this many seconds while serve is not reachable (at the first boot the
    /// network may take a while).
    #[arg(long, value_name = "SECONDS", default_value_t = 0)]
    pub wait: u64,
    /// Where to keep the result [default: /var/lib/upcycle/check.json; with --root, none].
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Directory holding the laptop's proc/, sys/, etc/ and var/ instead of / (tests).
    #[arg(long, value_name = "DIR", default_value = "/", hide = true)]
    pub root: PathBuf,
}

#[derive(Debug, Args)]
pub struct MarkArgs {
    /// The machine: its inventory number (12) or host name (schule-012).
    #[arg(value_name = "MACHINE")]
    pub machine: String,
    /// The verdict.
    #[arg(value_enum, value_name = "STATE")]
    pub verdict: VerdictArg,
    /// Cosmetic and functional grade, A (like new) to E (only just usable).
    #[arg(long, value_enum)]
    pub grade: Option<GradeArg>,
    /// What is to repair, or why it is for parts (one line).
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    #[command(flatten)]
    pub ledger: ReadLedgerArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VerdictArg {
    /// Checked and ready to hand over.
    #[value(alias = "bereit")]
    Ready,
    /// Something to repair first.
    #[value(alias = "reparatur")]
    ToRepair,
    /// Not to hand over: kept for its parts.
    #[value(alias = "ersatzteile")]
    Parts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "UPPER")]
pub enum GradeArg {
    A,
    B,
    C,
    D,
    E,
}

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Start a ledger from bundle folders and inventory.csv of runs before the ledger,
    /// keeping their numbers and host names.
    ///
    /// DIR is a `batch` output or a folder of bundles (DIR/<host name>/selection.yaml +
    /// report.yaml). Numbers come from DIR/inventory.csv (row n was machine n), else from
    /// the host name and the workshop's pattern, else the next free one.
    /// Example: upcycle ledger import room-12
    #[command(verbatim_doc_comment)]
    Import(LedgerImportArgs),
    /// Every machine of the ledger, for the school's own asset list.
    ///
    /// Example: upcycle ledger export --ledger room-12 --format csv > machines.csv
    #[command(verbatim_doc_comment)]
    Export(LedgerExportArgs),
}

#[derive(Debug, Args)]
pub struct LedgerImportArgs {
    /// The folder of earlier bundles.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Where to make the ledger [default: DIR/upcycle-ledger.sqlite]; it must be new.
    #[arg(long, value_name = "PATH")]
    pub ledger: Option<PathBuf>,
    /// The workshop file of those runs (for the host-name pattern).
    #[arg(long, value_name = "FILE")]
    pub workshop: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct LedgerExportArgs {
    #[command(flatten)]
    pub ledger: ReadLedgerArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: ExportFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct CaptureArgs {
    /// Directory holding `proc/` and `sys/`; `/` is this machine.
    #[arg(long, value_name = "DIR", default_value = "/")]
    pub root: PathBuf,
    /// Where to write: a `.tar.gz` file, or a directory that must not exist yet.
    #[arg(short, long, value_name = "FILE.tar.gz|DIR")]
    pub output: PathBuf,
    /// Replace serial numbers, UUIDs and MAC addresses with placeholders (for sharing).
    #[arg(long)]
    pub redact: bool,
    #[command(flatten)]
    pub redact_ledger: RedactLedgerArgs,
    /// Replace an existing output.
    #[arg(long)]
    pub force: bool,
}

/// `upcycle preseed-value FILE QUESTION...` (hidden; scripts/e2e).
#[derive(Debug, Args)]
pub struct BundleInfoArgs {
    /// The bundle folder (holding selection.yaml).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// The machine the bundle is for instead: its report.yaml as JSON.
    #[arg(long)]
    pub report: bool,
}

#[derive(Debug, Args)]
pub struct GenerateAssetsArgs {
    /// The folder to write man/ and completions/ into (made if missing).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct PreseedValueArgs {
    /// The preseed file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Print each question's answer on a line of its own (empty when unanswered).
    #[arg(value_name = "QUESTION", required_unless_present = "lines")]
    pub questions: Vec<String>,
    /// Print every answer instead, one `OWNER QUESTION TYPE VALUE` line each,
    /// continuation lines joined (what debconf-set-selections reads).
    #[arg(long, conflicts_with = "questions")]
    pub lines: bool,
}

/// `upcycle synthetic-reports FIXTURES OUT N` (hidden; scripts/bench-batch.sh).
#[derive(Debug, Args)]
pub struct SyntheticReportsArgs {
    /// Folder of fixture machines (`<slug>/root/`).
    #[arg(value_name = "FIXTURES")]
    pub fixtures: PathBuf,
    /// Folder to write the reports into (`NNNNNN-<slug>.json`).
    #[arg(value_name = "OUT")]
    pub output: PathBuf,
    /// How many reports.
    #[arg(value_name = "N")]
    pub count: usize,
}

/// A machine's number (`--number`): 1 or more. The error is something said, so that
/// clap's usage error says it in the terminal's language (clap's own range check is
/// English only).
fn parse_number(text: &str) -> Result<u32, crate::l10n::Said> {
    match text.trim().parse::<u32>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(crate::l10n::Said::new("err-number-invalid")
            .arg("value", format!("{text:?}"))
            .arg("max", u32::MAX as u64)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }
}
