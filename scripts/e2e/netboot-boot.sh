#!/usr/bin/env bash
# netboot-boot.sh: boot a laptop from the network the way `upcycle media netboot`
# sets it up, in QEMU, and prove that the per-MAC entry starts the right
# installer, which fetches its preseed over HTTP (route 2, url= preseeding) and
# runs without a question to the "Download installer components" stage, in the
# workshop's default language (German), with the installer on the VGA console as
# on a laptop's screen (watcher: di-watch.py --console vga; docs/e2e.md,
# finding 10).
#
# Steps:
#   1. a workshop file: data/workshop-default.yaml (locale de_DE.UTF-8, keymap
#      de, unchanged unless --locale) with this machine's APT mirror, proxy
#      http://10.0.2.100:80/ (QEMU forwards it to that mirror) and
#      selection.pentium_m_kernel: pae-forcepae (so the boot line carries
#      "forcepae --- forcepae");
#   2. the T40 fixture probed into a report, with a wired MAC set (fixtures have
#      none), generated into bundles/schule-001 (Debian 12 i386);
#   3. `upcycle media netboot bundles --server 10.0.2.2 --http-port P --append
#      "earlyprintk=serial,ttyS0,115200,keep log_host=10.0.2.2 log_port=L"`
#      (--append is the volunteers' option for e.g. nomodeset). No console=, as
#      on a laptop: d-i's reopen-console then starts d-i on tty1 (the VGA
#      console), TERM_TYPE=virtual, and localechooser offers German (level 1 in
#      its language list). The kernel's messages still reach the serial port
#      through the early console, kept after boot ("keep"), which has no device
#      file, so reopen-console never picks it. Not "console=ttyS0,115200n8
#      console=tty0": with any console=ttyS0, reopen-console runs d-i on ttyS0
#      whatever the order (finding 10). On a serial console localechooser offers
#      only C and English (level 0), ignores de_DE.UTF-8 and asks "Select a
#      language" (--console serial shows that). The syslog goes to the watcher
#      over UDP;
#   4. `upcycle serve` on 127.0.0.1:P serving the bundles folder (QEMU's
#      user network shows it to the guest as 10.0.2.2:P);
#   5. qemu-system-i386 -boot n, -cpu pentium3,-pae, an e1000 card with the
#      laptop's MAC, and QEMU's built-in TFTP server on DIR/tftp with boot file
#      pxelinux.0 (not dnsmasq: dnsmasq's side is tested in cargo test, in
#      tests/it/media_netboot.rs). No kernel is given to QEMU: the firmware's
#      PXE ROM loads pxelinux.0, which loads pxelinux.cfg/01-<mac>, which boots
#      the kernel and initrd it names after its countdown. -display none: the
#      VGA card is there, nobody looks; after the verdict a screendump of it is
#      kept as screen.png (for people: what the laptop would show).
# Pass: di-watch's verdict is pass: the download stage reached (at
# priority=critical any question would have blocked the installer before it,
# unseen on the VGA console, until the timeout), localechooser logged the
# preseed's locale as "System locale (debian-installer/locale) = 'de_DE.UTF-8'"
# and no "Preseeded locale ignored", the serial console shows no installer
# screen, the installer's syslog shows the preseed's mirror; and the kernel's
# command line (serial port) has the entry's
# url=http://10.0.2.2:P/schule-001/preseed.cfg, forcepae and no console=; and
# the log of `upcycle serve` has "GET /schule-001/preseed.cfg"
# answered 200 and its note "schule-001 fetched its preseed".
#
# Usage: scripts/e2e/netboot-boot.sh [--timeout T] [--workdir DIR] [--locale L]
#                                    [--console vga|serial]
#   --timeout T    limit for the boot and install, minutes or Ns/Nm (default 8m);
#                  QEMU is killed at T + 60 s whatever happens
#   --workdir DIR  keep everything here (default: a new temp dir, kept)
#   --locale L     the workshop's locale (default: data/workshop-default.yaml's,
#                  de_DE.UTF-8). For negative runs: hi_IN.UTF-8 (Hindi is level 4,
#                  not offered on a text console) must fail
#   --console C    vga (default): d-i on the VGA console, as above; serial: the
#                  old setup (console=ttyS0,115200n8: d-i and its UI on ttyS0,
#                  values read back over it), where a German locale fails with
#                  "Select a language"
# Environment: UPCYCLE=path (default: cargo build --release --locked, then
#   target/release/upcycle), DEBIAN_MIRROR (default: this machine's APT mirror).
# Needs: qemu-system-x86, qemu-utils, ipxe-qemu, socat, python3,
#   debian-installer-12-netboot-i386. Exit: 0 pass, 1 fail, 2 error.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$here/../.." && pwd)
prog=netboot-boot
die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 2; }
note() { printf '%s: %s\n' "$prog" "$*" >&2; }

TODAY=2026-11-25
PROXY=http://10.0.2.100:80/
MAC=52:54:00:c0:ff:ee
ASSET=schule-001
IMAGES=/usr/lib/debian-installer/images

timeout_arg=8m
workdir=""
locale=""
console=vga
while (($#)); do
    case $1 in
        --timeout) (($# >= 2)) || die "--timeout needs a value"; timeout_arg=$2; shift 2 ;;
        --workdir) (($# >= 2)) || die "--workdir needs a value"; workdir=$2; shift 2 ;;
        --locale) (($# >= 2)) || die "--locale needs a value"; locale=$2; shift 2 ;;
        --console) (($# >= 2)) || die "--console needs a value"; console=$2; shift 2 ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done
# shellcheck source=scripts/e2e/lib.sh
. "$here/lib.sh"   # detect_mirror, find_upcycle, timeout_seconds
timeout_s=$(timeout_seconds "$timeout_arg") || die "--timeout must be at least 1 minute (N or Nm minutes, Ns seconds)"
case $console in
    vga) consoles="earlyprintk=serial,ttyS0,115200,keep" ;;
    serial) consoles="console=ttyS0,115200n8" ;;
    *) die "--console must be vga or serial, not '$console'" ;;
esac
[[ -z $locale || $locale =~ ^[A-Za-z]+_[A-Za-z]+(\.[A-Za-z0-9-]+)?(@[A-Za-z]+)?$ ]] ||
    die "--locale '$locale' is not a locale such as de_DE.UTF-8"

# --- tools ------------------------------------------------------------------------
missing=()
command -v qemu-system-i386 >/dev/null || missing+=(qemu-system-x86)
command -v qemu-img >/dev/null || missing+=(qemu-utils)
[[ -r /usr/lib/ipxe/qemu/efi-e1000.rom || -r /usr/share/qemu/efi-e1000.rom ]] || missing+=(ipxe-qemu)
command -v socat >/dev/null || missing+=(socat)
command -v python3 >/dev/null || missing+=(python3)
[[ -r $IMAGES/12/i386/text/debian-installer/i386/initrd.gz ]] || missing+=(debian-installer-12-netboot-i386)
((${#missing[@]} == 0)) || die "missing packages: ${missing[*]} (apt-get install them)"

# --- the mirror this machine's APT uses (as qemu-smoke.sh) ------------------------
mirror_url=${DEBIAN_MIRROR:-$(detect_mirror)} || die "no http://.../debian URI in /etc/apt; set DEBIAN_MIRROR"
mirror_url=${mirror_url%/}
mirror_rest=${mirror_url#http://}
mirror_hostport=${mirror_rest%%/*}
mirror_dir=/${mirror_rest#*/}
mirror_host=${mirror_hostport%%:*}
mirror_port=80
[[ $mirror_hostport == *:* ]] && mirror_port=${mirror_hostport##*:}

# --- upcycle ----------------------------------------------------------------------
upcycle=$(find_upcycle "$repo_root") || die "no usable upcycle binary (UPCYCLE, or cargo build --release in $repo_root)"

if [[ -z $workdir ]]; then
    workdir=$(mktemp -d "${TMPDIR:-/tmp}/upcycle-netboot-boot.XXXXXX")
else
    mkdir -p "$workdir"
fi
workdir=$(cd "$workdir" && pwd)
rm -rf "$workdir/bundles" "$workdir/tree" "$workdir"/{serial.log,serial.sock,monitor.sock,syslog.log,port,start,http.log,result.json,screen.ppm,screen.png}
note "work dir $workdir (kept)"

# --- 1-2: workshop file, report with a MAC, bundle --------------------------------
awk -v host="$mirror_hostport" -v dir="$mirror_dir" -v proxy="$PROXY" -v locale="$locale" '
    /^[^[:space:]#]/ { top = $1 }
    /^mirror:/ { print "mirror:"; print "  host: " host; print "  directory: " dir; m = 1; next }
    top == "mirror:" && /^[[:space:]]+(host|directory):/ { next }
    /^proxy:/ { print "proxy: \"" proxy "\""; p = 1; next }
    /^locale:/ { l = 1; if (locale != "") { print "locale: " locale; next } }
    /^selection:/ { print "selection:"; print "  pentium_m_kernel: pae-forcepae"; s = 1; next }
    top == "selection:" && /^[[:space:]]+pentium_m_kernel:/ { next }
    { print }
    END {
        if (!s) { print "selection:"; print "  pentium_m_kernel: pae-forcepae" }
        if (!m || !p || !l) { print "workshop-default.yaml: no mirror:, proxy: or locale: key" > "/dev/stderr"; exit 3 }
    }' "$repo_root/data/workshop-default.yaml" >"$workdir/workshop.yaml" || die "could not write the workshop file"

"$upcycle" -q probe --root "$repo_root/tests/fixtures/machines/ibm-thinkpad-t40/root" -o "$workdir/t40.yaml" ||
    die "upcycle probe failed"
# The wired card's "mac: null" (the first one after "kind: ethernet") gets the MAC.
awk -v mac="$MAC" '
    /^network:/ { net = 1 } /^[a-z]/ && !/^network:/ { net = 0 }
    net && /^  kind: ethernet$/ { eth = 1 }
    net && eth && /^  mac: null$/ { print "  mac: " mac; eth = 0; done = 1; next }
    { print }
    END { if (!done) exit 3 }' "$workdir/t40.yaml" >"$workdir/t40-mac.yaml" || die "no wired card with mac: null in the T40 report"
"$upcycle" generate "$workdir/t40-mac.yaml" --workshop "$workdir/workshop.yaml" -o "$workdir/bundles" \
    --today "$TODAY" --number 1 >"$workdir/generate.log" 2>&1 || { cat "$workdir/generate.log" >&2; die "upcycle generate failed"; }
bundle=$workdir/bundles/$ASSET
[[ -r $bundle/preseed.cfg ]] || die "no $bundle/preseed.cfg"
bundle_locale=$(sed -n 's/^d-i debian-installer\/locale string //p' "$bundle/preseed.cfg")
note "bundle locale: ${bundle_locale:-?}; installer console: $console"

# --- run --------------------------------------------------------------------------
http_pid=""
watch_pid=""
qemu_pid=""
# shellcheck disable=SC2317  # called from the EXIT trap
cleanup() {
    local p
    for p in "$qemu_pid" "$watch_pid" "$http_pid"; do
        if [[ -n $p ]] && kill -0 "$p" 2>/dev/null; then
            kill "$p" 2>/dev/null || true
            wait "$p" 2>/dev/null || true
        fi
    done
    rm -f "$workdir/disk.qcow2" "$workdir/serial.sock" "$workdir/monitor.sock"
}
trap cleanup EXIT

http_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$upcycle" serve "$workdir/bundles" --listen "127.0.0.1:$http_port" >"$workdir/http.log" 2>&1 &
http_pid=$!

python3 "$here/di-watch.py" \
    --serial-log "$workdir/serial.log" --serial-sock "$workdir/serial.sock" \
    --syslog-out "$workdir/syslog.log" --dump-out "$workdir/installer-syslog.log" \
    --port-file "$workdir/port" --start-file "$workdir/start" --result "$workdir/result.json" \
    --preseed "$bundle/preseed.cfg" --preseed-label "$bundle/preseed.cfg (over HTTP)" \
    --arch i386 --release 12 --cpu pentium3,-pae --workdir "$workdir" \
    --boot-line-file "$workdir/bootline" \
    --installer "debian-installer-12-netboot-i386 $(dpkg-query -W -f='${Version}' debian-installer-12-netboot-i386 2>/dev/null || echo '?') via PXE" \
    --boot-timeout 420 --timeout "$timeout_s" --console "$console" &
watch_pid=$!
for _ in $(seq 100); do [[ -s $workdir/port ]] && break; sleep 0.1; done
[[ -s $workdir/port ]] || die "the syslog listener did not start"
log_port=$(<"$workdir/port")

# --- 3: the tree ------------------------------------------------------------------
"$upcycle" media netboot "$workdir/bundles" -o "$workdir/tree" --server 10.0.2.2 --http-port "$http_port" \
    --append "$consoles log_host=10.0.2.2 log_port=$log_port" >"$workdir/netboot.log" 2>&1 ||
    { cat "$workdir/netboot.log" >&2; die "upcycle media netboot failed"; }
mac_file=$workdir/tree/tftp/pxelinux.cfg/01-${MAC//:/-}
[[ -r $mac_file ]] || die "media netboot wrote no $mac_file"
append=$(sed -n 's/^[[:space:]]*APPEND[[:space:]]*//p' "$mac_file" | head -n1)
url="url=http://10.0.2.2:$http_port/$ASSET/preseed.cfg"
[[ " $append " == *" $url "* && " $append " == *" forcepae --- forcepae "* ]] ||
    die "the per-MAC entry's APPEND is not the expected one: $append"
printf '%s\n' "$append" >"$workdir/bootline"
note "per-MAC entry: $append"

# --- 5: QEMU, network boot ----------------------------------------------------------
qemu-img create -q -f qcow2 "$workdir/disk.qcow2" 12G
qemu_args=(-accel tcg -machine pc -m 768 -smp 1 -cpu "pentium3,-pae" -display none -no-reboot
    -monitor "unix:$workdir/monitor.sock,server=on,wait=off"
    -boot n
    -drive "file=$workdir/disk.qcow2,if=ide,format=qcow2,cache=unsafe"
    -netdev "user,id=n0,tftp=$workdir/tree/tftp,bootfile=pxelinux.0,guestfwd=tcp:10.0.2.100:80-cmd:socat - TCP:$mirror_host:$mirror_port"
    -device "e1000,netdev=n0,mac=$MAC"
    -chardev "socket,id=ser0,path=$workdir/serial.sock,server=on,wait=off,logfile=$workdir/serial.log"
    -serial chardev:ser0)
printf '%s\n' "qemu-system-i386 ${qemu_args[*]}" >"$workdir/qemu.cmdline"
start=$(date +%s)
timeout --kill-after=10 $((timeout_s + 60)) qemu-system-i386 "${qemu_args[@]}" </dev/null >"$workdir/qemu.out" 2>&1 &
qemu_pid=$!
printf '%s %s\n' "$qemu_pid" "$(date +%s.%N)" >"$workdir/start"

rc=0
wait "$watch_pid" || rc=$?
watch_pid=""
took=$(($(date +%s) - start))
took_s=$(printf '%d:%02d' $((took / 60)) $((took % 60)))

# What the VGA console shows now (for people; the verdict does not read it):
# QEMU's monitor writes a PPM, converted to PNG with Python's zlib.
if kill -0 "$qemu_pid" 2>/dev/null; then
    sleep 5   # let newt finish drawing the dialog of the verdict
    printf 'screendump %s\n' "$workdir/screen.ppm" |
        timeout 20 socat - "UNIX-CONNECT:$workdir/monitor.sock" >/dev/null 2>&1 || true
    for _ in $(seq 50); do [[ -s $workdir/screen.ppm ]] && break; sleep 0.2; done
    sleep 0.5
    python3 - "$workdir/screen.ppm" "$workdir/screen.png" <<'EOF_PY' 2>/dev/null || rm -f "$workdir/screen.png"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
fields, pos = [], 0
while len(fields) < 4:  # P6 WIDTH HEIGHT MAXVAL, then one whitespace byte
    while data[pos:pos + 1].isspace():
        pos += 1
    end = pos
    while not data[end:end + 1].isspace():
        end += 1
    fields.append(data[pos:end])
    pos = end
pos += 1
assert fields[0] == b"P6" and fields[3] == b"255"
w, h = int(fields[1]), int(fields[2])
rows = b"".join(b"\0" + data[pos + y * w * 3:pos + (y + 1) * w * 3] for y in range(h))
def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
with open(sys.argv[2], "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))
EOF_PY
    if [[ -s $workdir/screen.png ]]; then rm -f "$workdir/screen.ppm"; fi
fi

# --- verdict ------------------------------------------------------------------------
problems=()
cmdline=$(tr -d '\r' <"$workdir/serial.log" | sed -n 's/.*Kernel command line: //p' | head -n1)
[[ -n $cmdline ]] || problems+=("no 'Kernel command line:' on the serial console (did the per-MAC entry boot?)")
if [[ -n $cmdline && (" $cmdline " != *" $url "* || " $cmdline " != *" forcepae "*) ]]; then
    problems+=("the kernel's command line is not the per-MAC entry's: $cmdline")
fi
# The console= parameters decide where d-i runs (none: tty1, the VGA console).
consoles_seen=$(printf '%s\n' "$cmdline" | tr ' ' '\n' | grep '^console=' | tr '\n' ' ' || true)
want_consoles=""
[[ $console == serial ]] && want_consoles="console=ttyS0,115200n8 "
[[ -z $cmdline || $consoles_seen == "$want_consoles" ]] ||
    problems+=("the kernel's console= parameters are '${consoles_seen% }', not '${want_consoles% }'")
grep -Eq " GET /$ASSET/preseed\.cfg 200 [0-9]+$" "$workdir/http.log" &&
    grep -q "$ASSET fetched its preseed" "$workdir/http.log" ||
    problems+=("upcycle serve's log has no 'GET /$ASSET/preseed.cfg' answered 200 and no '$ASSET fetched its preseed'")
verdict=$(python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(r["verdict"] + ": " + r["reason"])' \
    "$workdir/result.json" 2>/dev/null || echo "error: no result from di-watch")
note "kernel command line: ${cmdline:-?}"
note "HTTP: $(grep -c ' GET ' "$workdir/http.log" || true) requests ($(grep -o 'GET [^ ]*' "$workdir/http.log" | sort -u | tr '\n' ' '))"
note "installer: $verdict"
note "logs: $workdir (serial.log, syslog.log, http.log, result.json$([[ -s $workdir/screen.png ]] && echo ', screen.png'))"
if ((rc == 2)); then
    printf 'ERROR netboot boot (i386, Debian 12, PXE, per-MAC entry, %s, %s console): %s [%s]\n' \
        "${bundle_locale:-?}" "$console" "$verdict" "$took_s"
    exit 2
elif ((rc == 0)) && ((${#problems[@]} == 0)); then
    printf 'PASS  netboot boot (i386, Debian 12, PXE, per-MAC entry, preseed over HTTP, %s, %s console): %s [%s]\n' \
        "${bundle_locale:-?}" "$console" "$verdict" "$took_s"
    exit 0
else
    printf 'FAIL  netboot boot (i386, Debian 12, PXE, per-MAC entry, %s, %s console): %s%s [%s]\n' \
        "${bundle_locale:-?}" "$console" "$verdict" "${problems[*]:+; ${problems[*]}}" "$took_s"
    exit 1
fi
