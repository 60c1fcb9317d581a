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
    /// sys/), or folders holding them (walked recursively, sorted). Machine n (in that
    /// order) gets host name n of the workshop's pattern. A broken input is reported and
    /// the others go on. Writes DIR/<host name>/ per machine, DIR/inventory.csv,
    /// DIR/inventory.html and DIR/labels.html.
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
    /// Print the SHA-512 crypt hash of a password (for `accounts.users` in the workshop file).
    ///
    /// Asks twice without echo on a terminal, or reads one line from standard input.
    HashPassword,
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
    pub catalog: CatalogArgs,
    /// Use the templates in DIR instead of the embedded ones.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Count support lifetimes from this day (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "DATE", hide = true)]
    pub today: Option<String>,
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
    /// EFI/BOOT/BOOTX64.EFI + grubx64.efi (UEFI, Debian's signed shim and GRUB),
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
}

/// Where Debian's netboot installer images are (shared by the media commands).
#[derive(Debug, Args)]
pub struct ImagesArgs {
    /// Folder holding `<release>/<arch>/text/` installer images, as installed by the
    /// packages debian-installer-<release>-netboot-<arch>.
    #[arg(long, value_name = "DIR", default_value = "/usr/lib/debian-installer/images")]
    pub images: PathBuf,
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
    #[command(flatten)]
    pub images: ImagesArgs,
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
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Output directory; the bundle goes to DIR/<host name>/ (replaced if it exists).
    #[arg(short, long, value_name = "DIR", default_value = "bundles")]
    pub output: PathBuf,
    /// Workshop configuration (YAML) [default: the embedded German school workshop].
    #[arg(long, value_name = "FILE")]
    pub workshop: Option<PathBuf>,
    /// Directory holding proc/ and sys/ (a capture); `/` is this machine.
    #[arg(long, value_name = "DIR", default_value = "/")]
    pub root: PathBuf,
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
    /// The machine's running number in the host-name pattern.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub number: usize,
    #[command(flatten)]
    pub catalog: CatalogArgs,
    /// Use the templates in DIR instead of the embedded ones.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Count support lifetimes from this day (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "DATE", hide = true)]
    pub today: Option<String>,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    En,
    De,
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
    /// Language of notes and of the text output.
    #[arg(long, value_enum, default_value = "en")]
    pub lang: LangArg,
    /// Count support lifetimes from this day (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "DATE", hide = true)]
    pub today: Option<String>,
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
    /// Replace serial numbers, UUIDs and MAC addresses with placeholders.
    #[arg(long)]
    pub redact: bool,
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
    /// Replace an existing output.
    #[arg(long)]
    pub force: bool,
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
