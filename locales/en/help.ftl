# --help: descriptions of the commands and their options (clap has no localisation:
# l10n::command puts these into the built command). Ids: help-<command path> (about),
# -long (the full text of `--help`), help-<path>-arg-<argument id>, help-arg-<id> for an
# argument that means the same in every command.
help-heading-usage = Usage:
help-heading-commands = Commands
help-heading-options = Options
help-heading-arguments = Arguments
help-possible-values = [possible values: { $values }]
help-default = [default: { $value }]
help-arg-help = Print help
help-arg-help-long = Print help (see a summary with "-h")
help-arg-version = Print version
help-help = Print this message or the help of the given subcommand(s)
help-arg-quiet = Print less (only errors and the result)
help-arg-verbose = Print more (every warning in full)
help-arg-lang = Language of the output [default: LANGUAGE, LC_ALL, LC_MESSAGES, LANG, else de]
help-arg-accessibility = Aids for the recipient from the first start on, instead of the workshop's (`accessibility` in the workshop file), separated by commas: screen-reader (Orca), magnifier, large-text, high-contrast
help-arg-images = Only this folder of `<release>/<arch>/text/` installer images, as the packages debian-installer-<release>-netboot-<arch> install it [default: the cache of `upcycle media images`, else /usr/lib/debian-installer/images]
help-arg-cache = The cache `upcycle media images` fills [default: $UPCYCLE_CACHE/installer, as root /var/cache/upcycle/installer, else $XDG_CACHE_HOME/upcycle/installer]
help-arg-max_unpacked = Refuse a .tar.gz capture that unpacks to more than SIZE of file contents (bytes, or with K, M or G: 64M). A real capture is a few KiB to a few MiB [default: 64M]
help-arg-profiles = Use the catalog in DIR instead of the embedded one (a copy of `profiles/`)
help-arg-report = The machine: a report file (YAML or JSON) or a capture (directory or .tar.gz)
help-arg-skip_validator = Write bundles although this validator is not installed (repeat for more). The bundle then carries NOT-CHECKED.txt. Without it, a missing validator is an error
help-arg-templates = Use the templates in DIR instead of the embedded ones
help-arg-today = Count support lifetimes from this day (YYYY-MM-DD) instead of today
help-upcycle = upcycle turns old laptops into school computers: it reads what a laptop has, picks a free-software system that fits it, and writes the files that install it unattended
help-probe = Read this laptop's hardware (or a captured copy of it) and print the report.
help-probe-long =
    Read this laptop's hardware (or a captured copy of it) and print the report.
    
    Examples:
      upcycle probe                         summary of this machine
      upcycle probe -o t40.yaml             full report as YAML
      upcycle probe --root ./t40-capture    report of a captured laptop
help-probe-arg-root = Directory holding `proc/` and `sys/` (a capture), or a `.tar.gz` made by `upcycle capture`; `/` is this machine
help-probe-arg-format = Output format [default: text on a terminal, yaml otherwise or with -o]
help-probe-arg-output = Write the report to FILE instead of standard output
help-probe-arg-redact = Replace serial numbers, UUIDs and MAC addresses with placeholders
help-probe-arg-ledger = With --redact: replace serials, UUIDs and MACs with their keyed hash from this ledger (a file, or a folder holding upcycle-ledger.sqlite; made if missing), so that ledger recognises the laptop again. Without it, a redacted laptop is known by its disk only (docs/ledger.md)
help-probe-arg-force = Replace FILE if it exists (without it an existing file is refused: exit 4)
help-capture = Copy exactly the files the probe reads, to analyse a laptop later elsewhere.
help-capture-long =
    Copy exactly the files the probe reads, to analyse a laptop later elsewhere.
    
    `upcycle probe --root <capture>` then gives the same report as on the laptop.
    Examples:
      upcycle capture -o t40.tar.gz --redact   on the laptop, onto the USB stick
      tar xzf t40.tar.gz -C t40 && upcycle probe --root t40
help-capture-arg-root = Directory holding `proc/` and `sys/`; `/` is this machine
help-capture-arg-output = Where to write: a `.tar.gz` file, or a directory that must not exist yet
help-capture-arg-redact = Replace serial numbers, UUIDs and MAC addresses with placeholders (for sharing)
help-capture-arg-ledger = With --redact: replace serials, UUIDs and MACs with their keyed hash from this ledger (a file, or a folder holding upcycle-ledger.sqlite; made if missing), so that ledger recognises the laptop again. Without it, a redacted laptop is known by its disk only (docs/ledger.md)
help-capture-arg-force = Replace an existing output
help-select = Choose the free-software stack for a machine, with reasons and upgrade advice.
help-select-long =
    Choose the free-software stack for a machine, with reasons and upgrade advice.
    
    REPORT is a report from `upcycle probe -o`, or a capture (directory or .tar.gz).
    Examples:
      upcycle select t40.yaml
      upcycle select t40.yaml --format json | jq .chosen.profile
      upcycle select t40.yaml --policy workshop-policy.yaml --lang de
    Exit code 5: no profile fits (the output says what is missing).
help-select-arg-policy = Workshop policy (YAML): pin, forbid or prefer profiles; see docs/selection-format.md
help-select-arg-format = Output format [default: text on a terminal, yaml otherwise or with -o]
help-select-arg-output = Write the selection to FILE instead of standard output
help-select-arg-force = Replace FILE if it exists (without it an existing file is refused: exit 4)
help-profiles = List, show and check the catalog of profiles
help-profiles-list = One line per profile: id, system, desktop, minimum RAM
help-profiles-show = One profile in full (YAML)
help-profiles-show-arg-id = Profile id, as in `upcycle profiles list`
help-profiles-check = Check a catalog: unknown keys, unknown app sets, packages missing from the release, impossible requirements, duplicate ids. Every problem names file, line and field
help-profiles-check-arg-dir = Catalog directory to check [default: the embedded catalog]
help-generate = Write the install bundle of one machine: preseed or autoinstall, post-install
    script, boot instructions, printable checklist.
help-generate-long =
    Write the install bundle of one machine: preseed or autoinstall, post-install
    script, boot instructions, printable checklist.
    
    Every file is checked by its real validator first; nothing is written if one fails.
    Examples:
      upcycle generate t40.yaml                    -> bundles/schule-001/
      upcycle generate t40.yaml --number 12 -o /media/stick/bundles
      upcycle generate t40.yaml --workshop our-workshop.yaml --profile debian-12-i386-xfce
    Exit codes: 4 bundle exists (use --force), 5 no profile fits, 6 validation failed.
help-generate-arg-profile = Install this profile instead of the selector's choice (it must fit the machine)
help-generate-arg-workshop = Workshop configuration (YAML) [default: the embedded German school workshop]
help-generate-arg-output = Output directory; the bundle goes to DIR/<host name>/
help-generate-arg-force = Replace an existing bundle of this machine
help-generate-arg-number = The number for a machine new to the ledger [default: the next free one]; a machine the ledger knows keeps its own
help-generate-arg-ledger = The workshop ledger: a file, or a folder holding upcycle-ledger.sqlite [default: upcycle-ledger.sqlite in the output folder]
help-batch = Bundles, inventory and labels for a whole room of laptops.
help-batch-long =
    Bundles, inventory and labels for a whole room of laptops.
    
    INPUT are reports (.yaml, .json) and captures (.tar.gz or folders with proc/ and
    sys/), or folders holding them (walked recursively, sorted). The workshop ledger
    (DIR/upcycle-ledger.sqlite, or --ledger) recognises machines it knows; a new one
    gets the next free number and its host name, once and for good. A broken input is
    reported and the others go on. Writes DIR/<host name>/ per machine,
    DIR/inventory.csv, DIR/inventory.html and DIR/labels.html (every machine of the
    ledger; those not among the inputs are marked so).
    Examples:
      upcycle batch /media/stick/captures -o room-12
      upcycle batch reports/ captures/ -o out --workshop our-workshop.yaml --jobs 4
    Exit code 7: some machines failed (see the summary and the inventory).
help-batch-arg-inputs = Reports, captures, or folders holding them
help-batch-arg-output = Output directory
help-batch-arg-workshop = Workshop configuration (YAML) [default: the embedded German school workshop]
help-batch-arg-jobs = Machines processed at once [default: the number of CPUs]
help-batch-arg-validate_all = Run debconf-set-selections, bash -n and shellcheck on every bundle (slow), not once per kind of bundle
help-batch-arg-ledger = The workshop ledger: a file, or a folder holding upcycle-ledger.sqlite [default: upcycle-ledger.sqlite in the output folder]
help-media = Boot media for a workshop: a network-install tree, or a folder for a USB stick
help-media-netboot = A network-install tree for the workshop PC: TFTP boot files (BIOS and UEFI), one
    boot entry per laptop (chosen by its MAC address) and a dnsmasq proxy-DHCP config.
help-media-netboot-long =
    A network-install tree for the workshop PC: TFTP boot files (BIOS and UEFI), one
    boot entry per laptop (chosen by its MAC address) and a dnsmasq proxy-DHCP config.
    
    BUNDLES are bundle folders (from `generate`, `plan` or `batch`) or folders holding
    them; Ubuntu bundles are skipped (use Ubuntu's ISO). A laptop whose report names its
    wired MAC address starts its own install after 10 seconds; any other machine gets a
    menu of all bundles whose default boots its own disk. The installers fetch their
    preseed from `upcycle serve` on the workshop PC.
    Needs Debian's netboot images: run `upcycle media images` once on the workshop PC
    (downloads and checks them for Debian 12 and 13), or the packages debian-installer-12-netboot-i386 ...
    Examples:
      upcycle media netboot room-12 -o netboot --server 192.168.1.10
      sudo netboot/start.sh                      (dnsmasq: proxy DHCP + TFTP)
      upcycle serve room-12                      (in a second terminal)
    Exit codes: 3 bad bundle or missing images, 4 output exists (use --force).
help-media-netboot-arg-bundles = Bundle folders, or folders holding bundle folders
help-media-netboot-arg-output = Where to write the tree (must not exist, unless --force)
help-media-netboot-arg-server = The workshop PC's IPv4 address on the school network (runs dnsmasq and `upcycle serve`)
help-media-netboot-arg-http_port = Port of `upcycle serve` on the workshop PC
help-media-netboot-arg-subnet = The network of the laptops, for the proxy DHCP [default: the server's /24]
help-media-netboot-arg-append = Extra kernel parameters for every install entry, for the installer only (e.g. "nomodeset")
help-media-netboot-arg-upcycle_static = Where the static upcycle binaries are, for bundles that erase the disk in the installer: DIR/<target>/release/upcycle (as scripts/build-static.sh leaves them under target/) or DIR/<target>/upcycle, <target> i686-unknown-linux-musl or x86_64-unknown-linux-musl
help-media-netboot-arg-force = Replace an existing output folder
help-media-usb = A folder to copy onto a FAT-formatted USB stick that installs one laptop, with the
    bundle's preseed inside the installer's initrd (BIOS and UEFI).
help-media-usb-long =
    A folder to copy onto a FAT-formatted USB stick that installs one laptop, with the
    bundle's preseed inside the installer's initrd (BIOS and UEFI).
    
    BUNDLE is one Debian bundle folder. DIR gets: linux and initrd.gz (Debian's netboot
    installer, the bundle injected into the initrd), syslinux.cfg (BIOS),
    EFI/BOOT/BOOTX64.EFI + grubx64.efi (UEFI, Debian's signed shim and GRUB), for amd64 also
    EFI/BOOT/BOOTIA32.EFI + grub.cfg (32-bit UEFI: Debian's grubia32.efi from grub-efi-ia32-bin),
    debian-installer/ARCH/grub/grub.cfg, README.txt and upcycle/<host name>/ (the bundle).
    Copy DIR onto a FAT32 stick; for BIOS boot also run `syslinux --install` on it
    (see docs/media-usb.md), or use --image and write that file to the stick.
    Needs Debian's netboot images: run `upcycle media images` once (downloads and checks
    them), or the packages debian-installer-12-netboot-i386 ...
    Examples:
      upcycle media usb room-12/schule-001 -o stick
      upcycle media usb room-12/schule-001 -o stick --image schule-001.img
      sudo dd if=schule-001.img of=/dev/sdX bs=4M conv=fsync
    Exit codes: 3 not a Debian bundle or no installer images, 4 output exists (--force).
help-media-usb-arg-bundle = One bundle folder
help-media-usb-arg-output = Where to write the stick's files (must not exist, unless --force)
help-media-usb-arg-image = Also write a disk image (MBR, FAT32, syslinux installed) to write onto a stick with dd or GNOME Disks. Needs dosfstools, mtools, syslinux and syslinux-common
help-media-usb-arg-append = Extra kernel parameters for the installer, space-separated, put before Debian's `---` (e.g. "console=ttyS0,115200n8" or "vga=788")
help-media-usb-arg-upcycle_static = Where the static upcycle binaries are, for bundles that erase the disk in the installer: DIR/<target>/release/upcycle (as scripts/build-static.sh leaves them under target/) or DIR/<target>/upcycle, <target> i686-unknown-linux-musl or x86_64-unknown-linux-musl
help-media-usb-arg-grub_ia32 = Debian's 32-bit UEFI GRUB that amd64 sticks get as EFI/BOOT/BOOTIA32.EFI (package grub-efi-ia32-bin)
help-media-usb-arg-force = Replace an existing output folder (and image)
help-media-usb-arg-server = The workshop PC's address, if known: the installer then sends its log to `upcycle serve` there (log_host/log_port), which shows each laptop's progress on /room
help-media-usb-arg-http_port = The port `upcycle serve` listens on (HTTP and the installers' syslog), with --server
help-media-images = Download Debian's netboot installer images for a release into upcycle's cache, checked against Debian's signature, for `media usb` and `media netboot`.
help-media-images-long =
    Download Debian's netboot installer images for a release into upcycle's cache, checked
    against Debian's signature, for `media usb` and `media netboot`.

    From the workshop's mirror (through its proxy): dists/CODENAME/InRelease, checked with
    gpgv against Debian's archive keyring; the images' SHA256SUMS, checked against the
    signed Release; netboot.tar.gz, checked against SHA256SUMS. Only a complete and checked
    copy enters the cache. Run it again to update: it downloads the images only when the
    mirror has newer ones, and replaces a damaged copy.
    Needs gpgv and debian-archive-keyring.
    Examples:
      upcycle media images                           Debian 12 (i386, amd64) and 13 (amd64)
      upcycle media images --release 13 --arch amd64
      upcycle media images --workshop our-workshop.yaml   (its mirror and proxy)
    Exit codes: 13 mirror not reachable, 14 bad signature, 15 wrong checksum,
    16 gpgv or keyring missing.
help-media-images-arg-release = Debian release [default: 12 and 13]
help-media-images-arg-arch = Architecture [default: every one the release has an installer for]
help-media-images-arg-cache = Where to keep the images [default: $UPCYCLE_CACHE/installer, as root /var/cache/upcycle/installer, else $XDG_CACHE_HOME/upcycle/installer]
help-media-images-arg-workshop = Workshop configuration (YAML): its mirror and proxy [default: the embedded one, deb.debian.org]
help-media-images-arg-keyring = The keyring the archive's signature is checked against (tests)
help-serve = Serve bundles over HTTP to the installers on the workshop network (read only).
help-serve-long =
    Serve bundles over HTTP to the installers on the workshop network (read only).
    
    Installers started with `url=http://WORKSHOP-PC:8080/<host name>/preseed.cfg`
    (boot.txt, route 2, or a `media netboot` entry) fetch their files from here.
    Every fetch is logged, so you see which laptop got its preseed.
    Example: upcycle serve room-12 --listen 0.0.0.0:8080
help-serve-arg-dir = The folder to serve: a `batch` output, or any folder holding bundle folders (DIR/<asset-id>/preseed.cfg ...). Every regular, non-hidden file below it is served
help-serve-arg-listen = Address and port to listen on. 0.0.0.0 is every network of this PC (the start-up lines name its addresses); port 0 picks a free port
help-serve-arg-read_timeout = Seconds a client gets to send its request before it is answered 408
help-serve-arg-write_timeout = Seconds one write to a client may block before the connection is dropped
help-serve-arg-ledger = The workshop ledger that gets the installers' events and feeds the room page (/room). Default: DIR/upcycle-ledger.sqlite, if there
help-serve-arg-no_syslog = Do not receive the installers' syslog (UDP on the --listen port; only from this PC's networks)
help-plan = The one-shot job on this laptop: probe it, choose its system, write its bundle,
    print what was found and chosen.
help-plan-long =
    The one-shot job on this laptop: probe it, choose its system, write its bundle,
    print what was found and chosen.
    
    Example: upcycle plan -o /media/stick/bundles
help-plan-arg-output = Output directory; the bundle goes to DIR/<host name>/ (this machine's own bundle is replaced if it exists; the host name comes from the ledger)
help-plan-arg-ledger = The workshop ledger: a file, or a folder holding upcycle-ledger.sqlite [default: upcycle-ledger.sqlite in the output folder]
help-plan-arg-workshop = Workshop configuration (YAML) [default: the embedded German school workshop]
help-plan-arg-root = Directory holding proc/ and sys/ (a capture), or a `.tar.gz` made by `upcycle capture`; `/` is this machine
help-erase = Erase disks with proof: plan, overwrite, read back, record and certificate.
help-erase-long =
    Erase disks with proof: plan, overwrite, read back, record and certificate.
    
    Never the disk the system runs from; a USB disk only when named. Each run writes a
    record (YAML) and a printable certificate (HTML, A4) into the --record folder.
    Examples:
      upcycle erase --plan                              what would be done to every disk
      upcycle erase /dev/sda --operator "A. Schmidt"    asks for the serial's last digits
      upcycle erase --yes /dev/sdb --method overwrite --verify sample --record /media/stick/erasure
    Exit codes: 10 refused (boot disk, in use, USB not named, not confirmed, a tool
    missing), 11 failed (I/O error or a non-erased byte), 12 interrupted (run again to resume).
help-erase-arg-devices = Disks to erase (/dev/sda, /dev/nvme0n1, a /dev/disk/by-id/ link, a loop device)
help-erase-arg-plan = List every disk (or the DEVICEs) with what would be done, and change nothing
help-erase-arg-yes = Do not ask for confirmation (only with DEVICEs named on the command line)
help-erase-arg-method = The erase method [default: auto, the default per medium; see docs/erase.md]
help-erase-arg-verify = Read back every byte (full) or a stated sample (first/last 64 MiB, 1 MiB in every 32 MiB)
help-erase-arg-record = Folder for the erasure records and certificates (a new file per run, never replaced)
help-erase-arg-ledger = The workshop ledger that gets an "erased" event per disk: a file, or a folder holding upcycle-ledger.sqlite [default: the one in the --record folder or in the folder above it, if there is one]. Never made by erase
help-erase-arg-operator = Who erases (on the record and the certificate)
help-erase-arg-workshop_name = The workshop's name (on the record and the certificate)
help-erase-arg-format = Format of --plan [default: text on a terminal, yaml otherwise]
help-erase-arg-installer = The installer's step (partman/early_command): built-in disks only, even when named; the overwrite when the installer lacks the tool of a drive's own method
help-erase-arg-progress_file = Also write the progress as one machine-readable line to FILE, rewritten as it goes (`upcycle-progress/v1 PHASE PERMILLE DONE_MIB TOTAL_MIB`): the installer's progress bar
help-erase-arg-root = Directory holding proc/, sys/ and dev/ instead of / (tests)
help-hash-password = Print the SHA-512 crypt hash of a password (for `accounts.users` in the workshop file)
help-hash-password-long =
    Print the SHA-512 crypt hash of a password (for `accounts.users` in the workshop file).
    
    Asks twice without echo on a terminal, or reads one line from standard input.
help-status = The room: every machine of the ledger with its last event.
help-status-long =
    The room: every machine of the ledger with its last event.
    
    Examples:
      upcycle status --ledger room-12
      upcycle status --ledger room-12 --format json
help-status-arg-ledger = The workshop ledger: a file, or a folder holding upcycle-ledger.sqlite
help-status-arg-format = Output format
help-log = One machine's history: intake, bundles, and what happened since.
help-log-long =
    One machine's history: intake, bundles, and what happened since.
    
    Example: upcycle log schule-003 --ledger room-12
help-log-arg-machine = The machine: its inventory number (12) or host name (schule-012)
help-log-arg-ledger = The workshop ledger: a file, or a folder holding upcycle-ledger.sqlite
help-log-arg-format = Output format
help-handover = Mark a laptop handed over to its recipient.
help-handover-long =
    Mark a laptop handed over to its recipient.
    
    Removes the workshop-only data from the ledger (the install token, the installer's
    last address and line) and records what was removed. The recipient's name is stored
    only if the workshop file says so (passport.keep_recipient_name).
    Example: upcycle handover schule-003 --ledger room-12
help-handover-arg-machine = The machine: its inventory number (12) or host name (schule-012)
help-handover-arg-recipient = The recipient's name: stored only with passport.keep_recipient_name in the workshop file
help-handover-arg-ledger = The workshop ledger: a file, or a folder holding upcycle-ledger.sqlite
help-handover-arg-workshop = Workshop configuration (YAML) [default: the embedded German school workshop]
help-passport = Write each laptop's passport: a JSON document and a printable A4 page.
help-passport-long =
    Write each laptop's passport: a JSON document and a printable A4 page.
    
    Identity, hardware, erasure, system and its support end, check and grade, and what
    the recipient should know, from the ledger; German, or English with --lang en.
    No MACHINE: every machine of the ledger. A different file of the same name is kept
    as NAME.1.html (.2, ...), never overwritten.
    Examples:
      upcycle passport --ledger room-12 -o room-12/passports
      upcycle passport schule-003 7 --ledger room-12 -o passports --lang en
help-passport-arg-machines = The machines: inventory numbers (12) or host names (schule-012); none: all
help-passport-arg-ledger = The workshop ledger: a file, or a folder holding upcycle-ledger.sqlite
help-passport-arg-output = The folder the passports go to (made if missing)
help-passport-arg-workshop = Workshop configuration (YAML) [default: the embedded German school workshop]
help-passport-arg-profiles = Use the catalog in DIR instead of the embedded one (a copy of `profiles/`)
help-mark = A person's verdict on a laptop: ready to hand over, to repair, or for parts.
help-mark-long =
    A person's verdict on a laptop: ready to hand over, to repair, or for parts.
    
    Appends a `checked` event to the ledger; `status` shows the state.
    Examples:
      upcycle mark schule-003 ready --grade B --ledger room-12
      upcycle mark 7 to-repair --note "hinge broken" --ledger room-12
help-mark-arg-machine = The machine: its inventory number (12) or host name (schule-012)
help-mark-arg-verdict = The verdict: ready, to-repair, parts
help-mark-arg-grade = Cosmetic and functional grade, A (like new) to E (only just usable)
help-mark-arg-note = What is to repair, or why it is for parts (one line)
help-mark-arg-ledger = The workshop ledger: a file, or a folder holding upcycle-ledger.sqlite
help-ledger = Import earlier runs into a new ledger, or export the ledger
help-ledger-import = Start a ledger from bundle folders and inventory.csv of runs before the ledger,
    keeping their numbers and host names.
help-ledger-import-long =
    Start a ledger from bundle folders and inventory.csv of runs before the ledger,
    keeping their numbers and host names.
    
    DIR is a `batch` output or a folder of bundles (DIR/<host name>/selection.yaml +
    report.yaml). Numbers come from DIR/inventory.csv (row n was machine n), else from
    the host name and the workshop's pattern, else the next free one.
    Example: upcycle ledger import room-12
help-ledger-import-arg-dir = The folder of earlier bundles
help-ledger-import-arg-ledger = Where to make the ledger [default: DIR/upcycle-ledger.sqlite]; it must be new
help-ledger-import-arg-workshop = The workshop file of those runs (for the host-name pattern)
help-ledger-export = Every machine of the ledger, for the school's own asset list.
help-ledger-export-long =
    Every machine of the ledger, for the school's own asset list.
    
    Example: upcycle ledger export --ledger room-12 --format csv > machines.csv
help-ledger-export-arg-ledger = The workshop ledger: a file, or a folder holding upcycle-ledger.sqlite
help-ledger-export-arg-format = Output format
help-preseed-value = Answers of a preseed file, read as debconf reads them (for the e2e scripts)
help-preseed-value-arg-file = The preseed file
help-preseed-value-arg-questions = Print each question's answer on a line of its own (empty when unanswered)
help-preseed-value-arg-lines = Print every answer instead, one `OWNER QUESTION TYPE VALUE` line each, continuation lines joined (what debconf-set-selections reads)
help-synthetic-reports = Synthetic reports varied from the fixture machines (for scripts/bench-batch.sh)
help-synthetic-reports-arg-fixtures = Folder of fixture machines (`<slug>/root/`)
help-synthetic-reports-arg-output = Folder to write the reports into (`NNNNNN-<slug>.json`)
help-synthetic-reports-arg-count = How many reports
help-bundle-info = What a bundle installs (its selection's chosen stack) or the machine it is for (its report), as JSON (for the e2e scripts)
help-bundle-info-arg-dir = The bundle folder (holding selection.yaml)
help-bundle-info-arg-report = The machine the bundle is for instead: its report.yaml as JSON
help-generate-assets = Man pages and shell completions from this command line (for scripts/build-deb.sh)
help-generate-assets-arg-dir = The folder to write man/ and completions/ into (made if missing)
help-check = The self-check of an installed laptop: Wi-Fi, sound, webcam, battery, disk, packages, display, each with its evidence.
help-check-long =
    The self-check of an installed laptop: Wi-Fi, sound, webcam, battery, disk,
    packages, display, each with its evidence.
    
    Keeps the result in /var/lib/upcycle/check.json and, with --post, sends it to the
    workshop's `upcycle serve` (runs once at the first boot when the bundle installed it).
    Examples:
      sudo upcycle check
      sudo upcycle check --post                      to the serve the laptop was installed from
      upcycle check --json --post http://192.168.1.10:8080
    Exit codes: 13 a check failed, 14 not sent to serve (the result is kept).
help-check-arg-json = Print the result as JSON (upcycle.check/v1) instead of a table
help-check-arg-post = Send the result to the workshop's serve: at URL (http://HOST:PORT), or without URL at the address the laptop was installed from (/etc/upcycle/serve.conf)
help-check-arg-wait = Try sending for this many seconds while serve is not reachable (at the first boot the network may take a while)
help-check-arg-output = Where to keep the result [default: /var/lib/upcycle/check.json; with --root, none]
help-check-arg-root = Directory holding the laptop's proc/, sys/, etc/ and var/ instead of / (tests)
