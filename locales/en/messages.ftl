# Messages on the terminal: progress, warnings, what the commands did.
msg-warning = warning: { $text }
msg-error = error: { $text }
msg-caused-by = caused by: { $text }
msg-machines = machines
msg-written-to = { $what } written to { $path }
msg-report = report
msg-selection = selection
msg-facts-unreadable = { $n ->
    [one] 1 fact
   *[other] { $n } facts
} could not be read (use -v to list them)
msg-facts-unreadable-shown = { $n ->
    [one] 1 fact
   *[other] { $n } facts
} could not be read:
msg-ledger-starting = starting the workshop ledger { $path }
msg-ledger-starting-redact = starting the workshop ledger { $path } (use this ledger for the room: batch --ledger { $path })
msg-redact-without-ledger = --redact without --ledger: serials, UUIDs and MAC addresses become placeholders, so the workshop ledger can tell this laptop from another of its model only by its disk; add --ledger PATH (the room's ledger) to keep its identity (docs/ledger.md)
msg-captured = captured { $files } files of { $model }{ $redacted ->
    [yes] {" "}(redacted)
   *[no] {""}
} to { $path }
msg-unknown-model = unknown model
msg-batch-skipped = skipped { $path } (not an upcycle report)
msg-batch-summary = { $machines ->
    [one] 1 machine
   *[other] { $machines } machines
}: { $ok ->
    [one] 1 bundle
   *[other] { $ok } bundles
} ({ $written } written, { $unchanged } unchanged), { $failed } failed{ $unread ->
    [0] {""}
    [one] {" "}(1 of them an input not read: see the error above)
   *[other] {" "}({ $unread } of them inputs not read: see the errors above)
} -> { $path }
msg-batch-failed = FAILED { $asset } ({ $source }): { $why }
msg-batch-files = inventory: { $path }/inventory.csv, { $path }/inventory.html; labels: { $path }/labels.html
msg-stale-removed = removed { $path }, left by a run that was stopped
msg-stale-not-removed = cannot remove { $path }, left by a run that was stopped: { $error }
msg-ledger-number = { $host } is number { $number }
msg-ledger-imported = imported { $imported } of { $total } bundle folder(s) into { $path }
msg-not-imported = { $path }: { $why } (not imported)
msg-media-skipping = skipping { $id }: { $why }
msg-making-image = making the disk image { $path }
msg-status-number = number
msg-status-host = host name
msg-status-model = model
msg-status-event = last event
msg-status-since = since
msg-status-count = { $n } machine(s)
msg-profiles-from = from { $ram }
msg-catalog-embedded = embedded catalog
msg-catalog-ok = { $name }: { $n } files, no problems

## serve: the lines at start-up
serve-warning =
    WARNING: anyone who can reach { $listen } can now read { $dir } (preseed files hold password hashes).
    Run this only on the workshop network, only on install day, and stop it with Ctrl-C.
serve-no-address = This PC has no network address yet: connect it, then use its address below.
serve-this-pc = <this PC's address>
serve-no-ledger = no workshop ledger in { $dir }: no room page and no install progress (serve the folder `upcycle batch` wrote, or pass --ledger)
serve-ledger-unusable = { $why }; no room page and no install progress
serve-room = the room page: { $url }
serve-syslog = receiving the installers' syslog on UDP { $addr } (log_host/log_port) from { $nets }
serve-no-syslog = cannot receive the installers' syslog on UDP { $addr } ({ $why }): install progress comes only from the callbacks
serve-addresses = This PC's addresses: { $addrs } (use the one on the laptops' network; below: { $first })
serve-serving = Serving { $n } { $n ->
    [one] bundle
   *[other] bundles
}; each installer's kernel line needs (boot.txt has the whole line):
serve-log-below = Each request is logged below: time, client, method, path, status, bytes.

## serve: its log while it runs
serve-fetched = { $asset } fetched { $file ->
    [preseed] its preseed
    [user-data] its autoinstall user-data
   *[postinstall] its post-install script, the installer's last step
} (from { $ip })
serve-hello = { $asset }: its installer says hello (from { $ip })
serve-installed = { $asset }: installed, { $packages } { $packages ->
    [one] package
   *[other] packages
} (from { $ip })
serve-refused-token = refused: { $what ->
    [hello] hello
    [checked] self-check
    [erased] erasure record
   *[installed] installed report
} for { $asset } from { $ip } without its install token
serve-warn-token-check = the ledger could not check { $what ->
    [hello] a hello
    [checked] a self-check
    [erased] an erasure record
   *[installed] an installed report
}: { $why }
serve-warn-ledger = the ledger did not take { $asset }'s { $what ->
    [fetch] fetch
    [hello] hello
    [checked] self-check
    [form] check from the room
    [erased] erasure record
   *[installed] report
}: { $why }
serve-self-check = { $asset }: self-check, { $n } checks, { $failed } failed (from { $ip })
serve-erased = { $asset }: the installer's erasure record of { $disk }: { $result ->
    [erased] erased and verified
    [interrupted] interrupted, NOT erased
   *[other] failed, NOT erased
} (SHA-256 { $sha }…, from { $ip }), in the ledger
serve-erased-again = { $asset }: the same erasure record of { $disk } again (SHA-256 { $sha }…, from { $ip }): already in the ledger
serve-refused-erasure = refused: an erasure record for { $asset } from { $ip }: { $why }
serve-room-checked = { $asset }: checked by hand in the room, now "{ $state }" (from { $ip })
serve-refused-form = refused: a check form for { $asset } from another page (Origin { $origin })
serve-warn-syslog-stopped = the syslog receiver stopped: { $why }
serve-refused-syslog = refused: syslog from { $ip }, which is not on this PC's networks ({ $nets })
serve-syslog-unknown = syslog from { $ip }: no laptop has said it is this address yet (its preseed fetch or hello will tell); its lines are kept until then
serve-warn-lines-lost = { $n } syslog { $n ->
    [one] line
   *[other] lines
} not recorded: { $why }
serve-warn-accept = accepting a connection failed: { $why }
serve-warn-no-thread = no thread for a connection from { $ip }: { $why }
serve-warn-room-ledger = the room page could not read the ledger: { $why }
serve-room-no-ledger = the room page needs the workshop ledger: serve the folder `upcycle batch` wrote
serve-room-busy = the ledger is busy, reload in a moment
serve-bundle-unreadable = { $why } (its files are served anyway)

## The ledger: events and one machine's history (status, log)
event-intake = intake
event-bundle = bundle
event-media = media
event-preseed-fetched = preseed-fetched
event-install-progress = install-progress
event-installed = installed
event-first-boot = first-boot
event-erased = erased
event-checked = checked
event-handed-over = handed-over
log-head = { $host } (number { $number }){ $model }, in the ledger since { $since }
log-from = from { $input }
log-new = (new)
log-profile = profile { $profile }
msg-plan-bundle = Bundle: { $path } (number { $number }; boot.txt says how to start the install)

## hash-password
pw-prompt = Password:{" "}
pw-again = Again:{" "}
pw-differ = the two passwords differ
pw-empty = empty password

## Install stages serve heard of (`ledger::InstallStage` codes)
msg-status-stage = install stage
msg-status-erasure = erasure
msg-status-erasure-cell = { $result } { $date }{ $replace ->
    [yes] , replace the disk before hand-over
   *[no] {""}
}
erasure-result-erased = erased
erasure-result-failed = erase failed
erasure-result-interrupted = erase interrupted
log-erasure = { $disk }: { $result } by { $method } ({ $category }), check { $check }, record { $file } (sha256 { $sha })
log-replace = replace the disk before hand-over
stage-started = install started
stage-network = network
stage-components = installer loads its components
stage-partitioning = partitioning the disk
stage-base-system = installing the base system
stage-package-sources = package sources
stage-software = installing the software
stage-boot-loader = boot loader
stage-finishing = finishing
stage-installed = installed
stage-failed = failed

## The room page of `upcycle serve` (src/serve/room.rs)
room-title = upcycle: the room
room-heading = Installs in the room
room-laptops = laptops
room-running = running
room-done = done
room-failed = failed
room-as-of = As of
room-reloads = reloads every { $n } seconds
room-language-name = English
room-col-number = No.
room-col-host = host name
room-col-model = model
room-col-stage = stage
room-col-line = installer's last log line
room-col-since = since
room-empty = No laptops in the ledger yet: run `upcycle batch` first.
room-check-link = check
room-check-title = Checking { $host }
room-check-keyboard = Keyboard (every key)
room-check-touchpad = Touchpad and its buttons
room-check-hinges = Hinges and case
room-check-screen = Screen (dead pixels, stains, cracks)
room-check-ok = fine
room-check-defect = defective
room-check-skipped = not checked
room-check-grade = Cosmetic grade (A like new to E only just usable)
room-check-no-grade = none
room-check-verdict = Verdict
room-check-note = Note (one line, e.g. what is to repair)
room-check-save = Save
room-check-saved = Saved: { $host } is now "{ $state }".
room-check-back = Back to the room
room-check-err-form = The form is damaged: reload the page and fill it in again.
room-check-err-token = The form is not from this page: reload the room page.
room-check-err-verdict = Choose a verdict.
room-check-err-note = The note is too long (at most 500 characters).
room-check-err-origin = The form must come from this PC's own page.
room-check-err-no-laptop = There is no such laptop in the ledger.
room-just-now = just now
room-minutes-ago = { $n } min ago
room-hours-ago = { $n } h ago
room-event-intake = captured
room-event-bundle = bundle ready
room-event-media = medium ready

## Warnings of the probe (src/probe/mod.rs, WARNINGS): a file it could not read
warn-missing = missing
warn-cpu-missing = missing: CPU facts are unknown
warn-cpu-unparsable = no processor entries could be parsed
warn-dmi-missing = no DMI data: vendor, model and BIOS are unknown
warn-uefi-bitness = UEFI bitness unknown (kernels before 4.6 lack this file)
warn-ram-missing = missing: installed RAM is unknown
warn-ram-unparsable = no parsable MemTotal line
warn-not-utf8 = not valid UTF-8: invalid bytes replaced
warn-too-large = file too large: only the first 4 MiB were read
warn-unparsable-value = unparsable value { $value }
warn-unparsable-id = unparsable id { $value }
warn-pci-no-ids = PCI device without readable vendor/device ids: skipped
warn-disk-skipped = skipped: { $value }
warn-disk-size = disk size unknown
warn-rotational-missing = missing: HDD or SSD unknown
warn-battery-capacity = battery capacity unknown (no energy_full/charge_full with a design value)
warn-network-bus = network interface on a bus the probe does not read ({ $value })
warn-permission = not readable (needs root?)
warn-not-regular-directory = a directory, not a regular file: not read
warn-not-regular-fifo = a FIFO, not a regular file: not read
warn-not-regular-char = a character device, not a regular file: not read
warn-not-regular-block = a block device, not a regular file: not read
warn-not-regular-symlink = a symlink, not a regular file: not read
warn-not-regular-socket = a socket, not a regular file: not read
warn-not-regular-other = not a regular file, not a regular file: not read
warn-outside-root = symlink to { $value } leads out of the capture: not followed
warn-too-many-links = too many symlinks (a loop?): not followed

## upcycle --version: the data it carries
version-profiles = { $n } profiles: { $ids }
version-profiles-broken = the embedded profiles do not load (a broken build)
version-firmware = firmware map { $release }: made on { $day } from firmware-nonfree { $nonfree }
version-ids = device names: pci.ids { $pci }, usb.ids { $usb }
version-packages = package lists: { $lists }

## serve: why a request gets no file (the body of the refusal; German unless ?lang=en)
http-and-are-not-allowed-in-paths = `.` and `..` are not allowed in paths
http-a-bad-content-length = a bad Content-Length
http-a-line-of-the-package-list-names-no-package = a line of the package list names no package
http-empty-path-segments-are-not-allowed = empty path segments (//) are not allowed
http-folders-are-not-listed = folders are not listed
http-give-packages-n-1-to-100000-and-sha256-64-hex-di = give packages=N (1 to 100000) and sha256=64 hex digits
http-hello-is-get-installed-is-post-or-get-with-packa = hello is GET, installed is POST (or GET with packages= and sha256=), checked and erased are POST
http-hidden-files-are-not-served = hidden files are not served
http-no-such-callback = no such callback
http-no-such-file = no such file
http-no-such-file-a-broken-link = no such file (a broken link)
http-not-a-regular-file = not a regular file
http-not-an-http-1-request = not an HTTP/1 request
http-not-this-bundle-s-install-token = not this bundle's install token
http-only-get-and-head = only GET and HEAD
http-only-paths-starting-with-are-served = only paths starting with / are served
http-only-the-characters-a-z-a-z-0-9-are-served = only the characters A-Z a-z 0-9 . _ ~ - / are served
http-percent-encoded-paths-are-not-served-bundle-file = percent-encoded paths are not served (bundle file names need none)
http-send-the-body-with-a-content-length = send the body with a Content-Length
http-the-body-ended-early = the body ended early
http-the-body-is-too-long = the body is too long
http-the-body-was-not-sent-in-time = the body was not sent in time
http-the-check-form-is-get-and-post = the check form is GET and POST
http-the-ledger-is-busy-try-again = the ledger is busy, try again
http-the-link-leads-out-of-the-served-folder = the link leads out of the served folder
http-the-link-leads-to-a-hidden-file = the link leads to a hidden file
http-the-erasure-record-is-not-utf-8-text = the erasure record is not UTF-8 text
http-not-an-erasure-record = not an erasure record (YAML or JSON of upcycle.erasure/v2)
http-not-an-erasure-record-of-this-version = not an erasure record of this version (upcycle.erasure/v2)
http-the-erasure-record-has-a-bad-text = a text of the erasure record is too long, has control characters or does not fit the device
http-the-erasure-record-has-a-bad-time = a time of the erasure record is not an RFC 3339 time
http-the-erasure-record-has-an-unknown-message = the erasure record names an unknown message
http-the-erasure-record-has-a-bad-number = a number of the erasure record is impossible (size 0, more bytes than the disk has, not a finite number)
http-the-erasure-record-says-erased-without-a-passed-read-back = the erasure record says erased, but without a passed read-back
http-the-package-list-is-empty = the package list is empty
http-the-package-list-is-not-utf-8-text = the package list is not UTF-8 text
http-the-path-is-too-long = the path is too long
http-the-request-ended-early = the request ended early
http-the-request-head-is-too-long = the request head is too long
http-the-request-was-not-sent-in-time = the request was not sent in time
http-the-request-was-not-sent-in-time-the-server-is-b = the request was not sent in time (the server is busy)
http-the-workshop-ledger-is-not-served = the workshop ledger is not served
http-this-file-is-not-readable-by-the-server = this file is not readable by the server
http-too-many-request-headers = too many request headers
http-read-only = only GET and HEAD are served (read only)
