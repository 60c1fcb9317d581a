# Error messages (the terminal's `error: …` lines). Each is the English `Display` of a
# typed error or a check of the command line; `$error` is a cause said in its own words
# (the operating system's, or serde's for YAML details).

## Probing a root (`ProbeError`)
err-probe-root-missing = root { $root } does not exist
err-probe-root-not-dir = root { $root } is not a directory
err-probe-root-empty = root { $root } holds neither proc/ nor sys/: is it the top of a capture?

## Reading a machine (`MachineError`, `ReportError`)
err-machine-read = cannot read the report { $path }: { $error }
err-machine-report = { $path }: { $error }
err-machine-unpack = cannot unpack the capture { $path }: { $error }
err-report-not-yaml = not a YAML or JSON report: { $error }
err-report-no-schema = no `schema` field: not an upcycle report ({ $schema })
err-report-other-schema = schema `{ $found }` is not supported (this upcycle reads { $schema })
err-yaml-at = line { $line }, column { $column }: { $error }

## Unpacking a capture (`UnpackError`)
err-unpack-unreadable = not a readable .tar.gz: { $error }
err-unpack-write = cannot write the unpacked files (disk full? set TMPDIR to a folder with room): { $error }
err-unpack-too-big = it unpacks to more than { $limit } (the limit, --max-unpacked): not a capture made by upcycle? if it is a real one, raise --max-unpacked
err-unpack-too-many = it holds more than { $limit } entries (the limit; a capture has a few hundred): not unpacked
err-unpack-bad-symlink = { $entry }: a symlink without a usable target: not unpacked
err-unpack-kind = { $entry } is { $kind }: a capture holds only files, directories and symlinks
err-unpack-kind-hard-link = a hard link
err-unpack-kind-char = a character device
err-unpack-kind-block = a block device
err-unpack-kind-fifo = a FIFO
err-unpack-kind-sparse = a sparse file
err-unpack-kind-other = an unusual entry
err-unpack-entry = entry { $entry } { $why }: not unpacked
err-unpack-entry-long = is longer than { $limit } bytes
err-unpack-entry-nul = holds a NUL byte
err-unpack-entry-absolute = is absolute
err-unpack-entry-climbs = climbs with `..`
err-unpack-entry-deep = is { $depth } levels deep (the limit is { $limit })
err-unpack-not-dir = { $entry }: { $parent } is a file or symlink in the archive, not a directory: not unpacked
err-unpack-twice = { $entry } appears twice in the archive: not unpacked

## Where in a file (`line 3: proxy: ...`)
err-path = { $path }: { $error }
err-at-line = line { $line }: { $error }
err-field = { $field }: { $error }

## The workshop file (`WorkshopError`); `$value` is quoted
err-workshop-read = cannot read the workshop file { $path }
err-workshop-too-big = the file has { $len } bytes; a workshop file is at most 1 MiB ({ $max } bytes)
err-workshop-locale = { $value } is not a locale such as de_DE.UTF-8
err-workshop-layout = { $value } is not a keyboard layout such as de
err-workshop-variant = { $value } is not a keyboard variant such as nodeadkeys
err-workshop-timezone = { $value } is not a time zone such as Europe/Berlin
err-workshop-host = { $value } is not a host name
err-workshop-directory = { $value } is not a path such as /debian
err-workshop-proxy = { $value } is not an http:// URL such as http://192.168.1.10:3142/
err-workshop-pattern-letter = `{ $letter }` cannot be written in a host name (a-z, 0-9, -): write it with plain letters
err-workshop-pattern-number = needs { "{n}" } (running number) or { "{serial}" } so every laptop gets its own name
err-workshop-domain = { $value } is not a domain name
err-workshop-user-name = { $value } is not a user name (a-z, 0-9, -, _)
err-workshop-setup-system = { $value } is a system account (the first-boot wizard removes the setup account with `userdel -r`): choose another name such as einrichtung
err-workshop-no-users = mode fixed needs at least one user
err-workshop-user-system = { $value } is a system account: choose a name for a person
err-workshop-hash = the hash of { $name } is not a SHA-512 crypt hash ($6$...): make one with `upcycle hash-password`
err-workshop-full-name = the full name of { $name } holds control characters, ':' or ','
err-workshop-a11y-host = { $value } is not a host name (lower case, a-z, 0-9 and -, as the ledger gives them)
err-workshop-package = { $value } is not a Debian package name
err-workshop-link = a file name or address without blanks, with {"{"}host{"}"} for the host name and no other {"{"}…{"}"}, e.g. https://workshop.example/passports/{"{"}host{"}"}.passport.html
err-workshop-one-line = one line without control characters
err-workshop-search-engine = only letters, digits, blanks and '-'
err-workshop-entries = { $n } entries; at most { $max }
err-workshop-users = { $n } users; at most { $max }
err-workshop-length = { $n } characters long; at most { $max }
err-workshop-digits = { $n }; at most 9

## The YAML parser's messages (serde's words); `$first`, `$last`, `$names` are quoted
err-yaml-missing-field = missing field `{ $field }`
err-yaml-unknown-field = unknown field `{ $name }`, { $count ->
    [0] there are no fields
    [1] expected { $first }
    [2] expected { $first } or { $last }
   *[other] expected one of { $names }
}
err-yaml-unknown-variant = unknown variant `{ $name }`, { $count ->
    [0] there are no variants
    [1] expected { $first }
    [2] expected { $first } or { $last }
   *[other] expected one of { $names }
}

## The profile catalog (`LoadError`)
err-catalog-unusable = the profile catalog is not usable
err-catalog-read = cannot read the catalog at { $path }: { $error }
err-catalog-problems = the catalog has { $n } problem(s):

## The ledger (`LedgerError`, `Conflict`) and folder locks (`LockError`)
err-ledger-newer = { $path } was written by a newer upcycle (ledger schema { $found }; this upcycle knows up to { $known }): update upcycle on this PC, the ledger is left as it is
err-ledger-not-a-ledger = { $path } is not an upcycle ledger, or it is damaged ({ $why }); it is left as it is: move it away (or restore a copy) and run again
err-ledger-missing = there is no ledger at { $path }: give the ledger file or the workshop folder holding { $file } (--ledger)
err-ledger-busy = the ledger { $path } stayed busy for { $seconds }s (another upcycle run is writing): try again
err-ledger-sql = the ledger { $path }: { $error }
err-ledger-name-taken = { $input } would get the host name { $hostname }, which is already number { $number }'s (first from { $other }): two machines cannot share a name; change hostname.pattern (e.g. add { "{n}" }) or capture without --redact, or with --redact --ledger
err-ledger-number-taken = number { $number } is already { $hostname }'s (first from { $other }); choose another --number or leave it out
err-ledger-duplicate = { $input } is the same machine as { $other } ({ $hostname }, the same { $kind }): one of them is a second capture of that laptop; not written
err-ledger-renumber = { $input } is { $hostname } already (number { $number }), not number { $wanted }: a machine's number never changes
err-lock-busy = { $path } is in use by another upcycle run (a batch, generate or serve on the same folder): wait until it has finished, or choose another output folder
err-lock-io = cannot lock { $path }: { $error }

## The command line's outputs and inputs (`src/commands/`)
err-output-is-folder = -o { $path } is a folder: give a file name in it, e.g. -o { $example }
err-output-is-device = -o { $path } is a device or a pipe, not a file: leave -o out to print to standard output
err-image-is-folder = --image { $path } is a folder: give a file name in it, e.g. --image { $example }
err-output-is-file = -o { $path } is a file, not a folder: choose another -o
err-output-no-folder = -o { $path }: the folder { $folder } does not exist: create it first or choose another -o
err-output-exists = { $path } exists already: choose another name or add --force
err-output-file-on-path = -o { $path }: { $file } is a file, not a folder: choose another -o
err-cannot-write = cannot write { $path }
err-cannot-create = cannot create { $path }
err-not-a-folder = { $path } is not a folder
err-capture-move = cannot move the capture to { $path }
err-policy-read = cannot read the policy { $path }
err-policy-unknown-pin = policy pins unknown profile `{ $profile }`: see `upcycle profiles list`
err-no-profile = no profile `{ $profile }`: see `upcycle profiles list`
err-batch-no-inputs = no reports (.yaml, .json) or captures (.tar.gz, folders with proc/ or sys/) found
err-ledger-earlier-bundles = { $dir } holds { $n } bundle(s) made before the ledger ({ $names }) and no ledger { $path }: run `upcycle ledger import { $dir }` first so they keep their numbers, or give the ledger with --ledger
err-ledger-import-exists = { $path } exists already: import starts a new ledger; move it away first
err-ledger-import-empty = { $path } holds no bundle folders (DIR/<host name>/selection.yaml + report.yaml)
err-passport-write = cannot write the passport { $path }: { $error }
err-log-no-machine = no machine { $machine } in { $path }: give its number or host name (see `upcycle status`)
err-batch-input-missing = does not exist
err-batch-not-a-report = not an upcycle report (no `schema: upcycle.report/v1`) nor a capture (.tar.gz, a folder with proc/ or sys/): name reports and captures, or their folder; a workshop file goes to --workshop
err-bundle-exists = { $path } exists already: add --force to replace it
err-bundle-write = cannot write the bundle to { $path }: { $error }
err-missing-tools = { $names } { $n ->
    [one] is
   *[other] are
} not installed: install { $n ->
    [one] it
   *[other] them
} (apt-get install { $packages }), or pass { $flags } to write bundles that were not checked by it

## Install media (`MediaError`)
err-media-not-a-bundle = { $path }: not a bundle folder (no selection.yaml); give folders made by `upcycle generate` or `batch`
err-media-no-bundles = { $path }: no bundle folders in it (folders with a selection.yaml)
err-media-not-debian = { $asset }: { $what } needs a Debian bundle; this one installs { $release } with Ubuntu's autoinstall (use Ubuntu's own ISO with the bundle's user-data, see its boot.txt)
err-media-for-usb = a USB stick
err-media-for-netboot = a network install
err-media-no-images = no Debian { $release } { $arch } installer images under { $dir }: install them with `apt install debian-installer-{ $release }-netboot-{ $arch }` (or download that package and unpack it with dpkg-deb -x, then pass --images <unpacked>/usr/lib/debian-installer/images)
err-media-no-upcycle = { $asset } erases the disk in the installer and needs the static upcycle for { $arch }: none under { $dir } (build it with scripts/build-static.sh, then pass --upcycle-static target)
err-media-bad-upcycle = { $path } cannot run in the { $arch } installer: { $why }
err-upcycle-not-elf = not an ELF program
err-upcycle-wrong-arch = a program for another architecture
err-upcycle-damaged = a damaged ELF program (program headers cut off)
err-upcycle-dynamic = dynamically linked (build the static one with scripts/build-static.sh)
err-images-unreachable = cannot reach { $url }: { $why }; check the network, the workshop's mirror and proxy
err-images-http = { $url }: the mirror answers HTTP { $status }; it may not carry the installer images (use another mirror in the workshop file)
err-images-too-large = { $url }: larger than { $limit } bytes; not what Debian publishes there
err-images-bad-signature = { $path }: BAD signature ({ $signer }): the file was changed after Debian signed it; nothing was kept
err-images-untrusted = { $path }: no good signature by a key of { $keyring } (gpgv: { $detail }); nothing was kept. An older keyring? Update debian-archive-keyring
err-images-wrong-release = { $path }: the signed Release is for { $found }, not { $expected }
err-images-checksum = { $path }: SHA-256 { $found }, but { $listed_in } says { $expected }: the file is damaged or not Debian's (or the mirror is being updated: try again later); nothing was kept
err-images-changed = { $path }: no longer as { $listed_in } lists it (damaged or changed since it was checked)
err-images-not-listed = { $path }: not listed in { $listed_in }
err-images-no-installer = Debian { $release } has no installer for { $arch }
err-images-tool-missing = { $tool } is missing: install the package { $package } (sudo apt install { $package })
err-images-unpack = cannot unpack { $path }: { $why }
err-media-no-images-anywhere = no Debian { $release } { $arch } installer images: run `upcycle media images --release { $release } --arch { $arch }` (downloads and checks them into { $cache }), or install the package debian-installer-{ $release }-netboot-{ $arch } where this system has it
err-media-cache-broken = the Debian { $release } { $arch } installer images in { $dir } are damaged and not used: `upcycle media images --release { $release } --arch { $arch }` fetches them again
err-media-read = cannot read { $path }: { $error }

# Command-line mistakes (clap's own words are used in English; these are the messages'
# English forms, kept beside the German ones).
usage-unknown-argument = unexpected argument { $arg }
usage-unknown-command = unrecognized subcommand '{ $command }'
usage-invalid-value = invalid value '{ $value }' for { $arg } (possible values: { $valid })
usage-missing-argument = missing: { $arg }
usage-bad-value = invalid value '{ $value }' for { $arg }: { $why }
usage-did-you-mean = tip: a similar one exists: { $suggestion }
usage-usage = Usage: { $usage }
usage-more = For more information, try upcycle --help, or --help after the command

## values of the command line (clap value parsers, src/cli.rs, capture::parse_size)
err-size-invalid = { $value } is not a size: write bytes, or a number with K, M or G (64M)
err-size-too-large = { $value } is too large
err-number-invalid = { $value } is not a machine number: a whole number from 1 to { $max }

## kinds of values in a YAML or JSON error (src/yaml.rs)
err-yaml-wrong-kind = wrong kind of value: { $found }, expected { $expected }
yaml-kind-integer = integer { $value }
yaml-kind-float = floating point { $value }
yaml-kind-string = string { $value }
yaml-kind-boolean = boolean { $value }
yaml-kind-list = a list
yaml-kind-mapping = a mapping
yaml-kind-empty = an empty value
yaml-expect-mapping = a mapping (`key: value` lines)
yaml-expect-list = a list (`- item` lines)
yaml-expect-single = a single value
yaml-expect-empty = an empty value
yaml-expect-word = one of the allowed words
yaml-expect-bool = true or false
yaml-expect-range = a whole number from 0 to { $max }
yaml-expect-unsigned = a whole number of 0 or more
yaml-expect-integer = a whole number
yaml-expect-number = a number
yaml-expect-string = a string

## values of a shape (src/token.rs)
err-token = { $value } is not { $what }
token-disk-name = a kernel block device name such as sda or nvme0n1
token-package-name = a Debian package name (a-z, 0-9, +, -, .)
token-codename = a release codename such as bookworm (a-z only)
token-release = a release number such as 12 or 24.04
token-kernel-param = a kernel parameter (letters, digits and ._,:=/+@- only)
token-install-token = an install token (32 lowercase hex digits)

## more mistakes said (serve's --listen, --append, --jobs, profiles show)
err-serve-port-in-use = port { $port } is in use (another `upcycle serve`, or a web server?): pass --listen { $listen }
err-serve-port-root = listening on port { $port } needs root (ports below 1024): pass --listen { $listen }
err-serve-not-here = { $ip } is not an address of this PC: pass --listen { $listen } (every network) or one of its addresses
err-append-word = --append: { $value } cannot go on a boot line: use letters, digits and . _ , : = / + @ - only (no spaces, quotes, $ ; # or ---; the `---` is added for you)
err-jobs-zero = --jobs must be at least 1
err-one-line = { $option } must be one line of at most 200 characters
err-profile-unknown = no profile `{ $profile }`; known: { $known }
err-server-not-ipv4 = --server '{ $value }' is not an IPv4 address: give the workshop PC's address on the laptops' network, like 192.168.1.10
err-subnet = --subnet: { $why }
err-server-not-in-subnet = --server { $server } is not in --subnet { $subnet }
err-serve-no-folder = { $path }: no such folder; give the folder `upcycle batch -o` (or `generate -o`) wrote
err-serve-not-folder = { $path } is not a folder; give the folder that holds the bundle folders
err-serve-one-bundle = { $path } is one bundle folder; serve the folder that holds it (`upcycle serve { $parent }`): the installers fetch /<asset-id>/preseed.cfg
err-serve-cannot-read = cannot read { $path }: { $why }
err-serve-no-bundles = { $path } holds no bundle folders (folders named like schule-001 with a selection.yaml); make them with `upcycle batch` or `upcycle generate`
err-serve-no-address = the listening socket has no address: { $why }
err-serve-stopped = listening on { $listen } failed: { $why }
err-serve-no-thread = no thread for the receiver of the installers' syslog: { $why }
err-serve-cannot-listen = cannot listen on { $listen }: { $why }
err-today = --today '{ $value }' is not a date like 2026-12-06 (YYYY-MM-DD)
err-subnet-shape = '{ $value }' is not a network like 192.168.1.0/24
err-subnet-address = '{ $value }' is not an IPv4 address (like 192.168.1.0)
err-subnet-prefix = '/{ $value }': the prefix length must be 8 to 30
err-media-new-folder = -o { $path }: name a new folder
err-media-path-chars = -o { $path }: dnsmasq.conf names this folder, and its path has characters dnsmasq or sh cannot take (, " \ # ' $ ` or control characters); choose another folder
err-media-none-given = no bundles given
err-media-images-incomplete = the installer images are incomplete: cannot read { $path } ({ $why }); reinstall { $package }

## The operating system's reasons (said in its own words in English; `$code` its number)
os-not-found = No such file or directory (os error { $code })
os-permission-denied = Permission denied: run as root or with sudo? (os error { $code })
os-already-exists = File exists (os error { $code })
os-is-a-directory = Is a directory (os error { $code })
os-not-a-directory = Not a directory (os error { $code })
os-directory-not-empty = Directory not empty (os error { $code })
os-storage-full = No space left on device (os error { $code })
os-read-only = Read-only file system (os error { $code })
os-busy = Device or resource busy (os error { $code })
os-address-in-use = Address already in use (os error { $code })
os-address-not-available = Cannot assign requested address (os error { $code })
os-connection-refused = Connection refused (os error { $code })
os-timed-out = Connection timed out (os error { $code })
os-unexpected-eof = unexpected end of file (os error { $code })

## What can be wrong in a catalog file (`catalog::Problem`, src/catalog/check.rs)
catalog-duplicate-profile = duplicate profile id `{ $id }` ({ $n } files use it)
catalog-duplicate-quirk = duplicate quirk id `{ $id }`
catalog-unknown-app-set = unknown app set `{ $set }` (known: { $known })
catalog-amd64-needs-64bit = an amd64 profile must require a 64-bit CPU
catalog-i386-no-64bit = an i386 profile cannot require a 64-bit CPU
catalog-cpu-exclusive = cpu_64bit and cpu_32bit_only exclude each other
catalog-ram-above-recommended = minimum RAM { $min } MiB is above the recommended { $recommended } MiB
catalog-requires-zero = minimum RAM and disk must be above 0
catalog-installer-mismatch = Debian installs with preseed, Ubuntu with autoinstall
catalog-bad-date = `{ $value }` is not a YYYY-MM-DD date
catalog-no-kernel-rule = at least one kernel rule is needed
catalog-last-kernel-rule-when = the last kernel rule must have no `when`, so every CPU gets a kernel
catalog-kernel-rule-shadows = rule `{ $package }` has no `when`: the rules after it never apply
catalog-ubuntu-needs-source = an Ubuntu profile needs the Subiquity source id
catalog-debian-needs-desktop = a Debian profile needs desktop tasks or packages
catalog-kept-out-and-installed = `{ $name }` is kept out and installed at the same time: remove it from one of the lists
catalog-swap-min-above-max = min_mib is above max_mib
catalog-duplicate-app = two apps share an id
catalog-unknown-alternative = `{ $app }`: unknown alternative `{ $alternative }`
catalog-own-alternative = `{ $app }` is its own alternative
catalog-app-no-packages = `{ $app }` names no packages for any release
catalog-no-package-list = no package list `{ $key }` to check against (see scripts/gen-package-lists.sh)
catalog-no-package-lists-built = no package list `{ $key }`: this upcycle was built without package lists (a static build)
catalog-unknown-package = package `{ $name }` does not exist in { $key } (needed by profile `{ $profile }`)
catalog-check-failed = { $name }: { $n } problem(s)
err-check-post-url = --post { $url }: not a serve address; give it as http://192.168.1.10:8080
err-check-root = { $path } is not a folder
err-erase-cannot-open = cannot open { $path } to erase it: { $why }
err-cannot-read = cannot read { $path }
err-erase-record-write = cannot write the erasure record into { $path }
