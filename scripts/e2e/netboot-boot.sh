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
#      (--append is the volunteers' option for e.g. nomodeset; here its
#      log_host/log_port replace the entry's own, which name serve's port: the
#      watcher takes the syslog and passes every datagram on, unchanged, to
#      serve's UDP receiver on that port). No console=, as
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
#      user network shows it to the guest as 10.0.2.2:P) with the ledger that
#      `generate` wrote there: it records the preseed fetch, the hello of the
#      preseed's preseed/early_command (the install token) and the syslog's
#      stages (docs/serve.md, "Events from the room");
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
# answered 200 and its note (German, as a volunteer sees it) "schule-001 hat seine
# Antwortdatei (preseed.cfg) geholt", the hello "GET /_upcycle/hello/schule-001/[token]"
# answered 200 and "schule-001: sein Installer meldet sich"; and afterwards the ledger has it: `upcycle log
# schule-001 --format json` a preseed-fetched event, the stage "started", the
# hello, in this order, then a stage from components on (d-i's own syslog
# lines); `upcycle status --format json` schule-001 at that stage, a last line,
# and as many syslog lines counted as the watcher passed on (none lost); /room
# has its row; the install token shows in none of status.json, log.json,
# log.txt, http.log, room.html (d-i logs its preseed commands, token and all).
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
# Needs: qemu-system-x86, qemu-utils, ipxe-qemu, socat, python3, jq, curl,
#   debian-installer-12-netboot-i386. Exit: 0 pass, 1 fail, 2 error.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$here/../.." && pwd)
prog=netboot-boot
# shellcheck source=scripts/lib.sh
. "$here/../lib.sh"

TODAY=2026-11-25
MAC=52:54:00:c0:ff:ee
ASSET=schule-001
IMAGES=/usr/lib/debian-installer/images

workdir=""
locale=""
console=vga
e2e_args 8m "workdir locale console" "$@"
case $console in
    vga) consoles="earlyprintk=serial,ttyS0,115200,keep" ;;
    serial) consoles="console=ttyS0,115200n8" ;;
    *) die "--console must be vga or serial, not '$console'" ;;
esac
[[ -z $locale || $locale =~ ^[A-Za-z]+_[A-Za-z]+(\.[A-Za-z0-9-]+)?(@[A-Za-z]+)?$ ]] ||
    die "--locale '$locale' is not a locale such as de_DE.UTF-8"

# --- tools ------------------------------------------------------------------------
need=()
command -v qemu-system-i386 >/dev/null || need+=(qemu-system-x86)
command -v qemu-img >/dev/null || need+=(qemu-utils)
[[ -r /usr/lib/ipxe/qemu/efi-e1000.rom || -r /usr/share/qemu/efi-e1000.rom ]] || need+=(ipxe-qemu)
command -v socat >/dev/null || need+=(socat)
command -v python3 >/dev/null || need+=(python3)
command -v jq >/dev/null || need+=(jq)
command -v curl >/dev/null || need+=(curl)
[[ -r $IMAGES/12/i386/text/debian-installer/i386/initrd.gz ]] || need+=(debian-installer-12-netboot-i386)
need_packages "${need[@]}"

# --- the mirror this machine's APT uses (as qemu-smoke.sh) ------------------------
use_mirror

# --- upcycle ----------------------------------------------------------------------
upcycle=$(find_upcycle "$repo_root") || die "no usable upcycle binary (UPCYCLE, or cargo build --release in $repo_root)"

use_workdir netboot-boot
rm -rf "$workdir/bundles" "$workdir/tree" "$workdir"/{serial.log,serial.sock,monitor.sock,syslog.log,port,start,http.log,result.json,screen.ppm,screen.png,status.json,log.json,log.txt,room.html}
note "work dir $workdir (kept)"

# --- 1-2: workshop file, report with a MAC, bundle --------------------------------
settings=(pentium_m_kernel=pae-forcepae)
[[ -z $locale ]] || settings+=("locale=$locale")
write_workshop "$repo_root/data/workshop-default.yaml" "$workdir/workshop.yaml" "${settings[@]}" ||
    die "could not write the workshop file"

# The report as JSON (which `generate` reads too); the first wired card gets the MAC.
"$upcycle" -q probe --root "$repo_root/tests/fixtures/machines/ibm-thinkpad-t40/root" --format json --force -o "$workdir/t40.json" ||
    die "upcycle probe failed"
jq --arg mac "$MAC" '(first(.network[] | select(.kind == "ethernet")) | .mac) = $mac' \
    "$workdir/t40.json" >"$workdir/t40-mac.json" || die "no wired card in the T40 report"
"$upcycle" generate "$workdir/t40-mac.json" --workshop "$workdir/workshop.yaml" -o "$workdir/bundles" \
    --today "$TODAY" --number 1 >"$workdir/generate.log" 2>&1 || { cat "$workdir/generate.log" >&2; die "upcycle generate failed"; }
bundle=$workdir/bundles/$ASSET
[[ -r $bundle/preseed.cfg ]] || die "no $bundle/preseed.cfg"
[[ -r $workdir/bundles/upcycle-ledger.sqlite ]] || die "upcycle generate wrote no ledger into $workdir/bundles"
bundle_locale=$(sed -n 's/^d-i debian-installer\/locale string //p' "$bundle/preseed.cfg")
note "bundle locale: ${bundle_locale:-?}; installer console: $console"

# --- run --------------------------------------------------------------------------
http_pid=""
watch_pid=""
qemu_pid=""
# shellcheck disable=SC2317  # called from the EXIT trap
cleanup() {
    stop_pids "$qemu_pid" "$watch_pid" "$http_pid"
    rm -f "$workdir/disk.qcow2" "$workdir/serial.sock" "$workdir/monitor.sock"
}
trap cleanup EXIT

http_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$upcycle" serve "$workdir/bundles" --lang de --listen "127.0.0.1:$http_port" >"$workdir/http.log" 2>&1 &
http_pid=$!

python3 "$here/di-watch.py" \
    --serial-log "$workdir/serial.log" --serial-sock "$workdir/serial.sock" \
    --syslog-out "$workdir/syslog.log" --dump-out "$workdir/installer-syslog.log" \
    --port-file "$workdir/port" --start-file "$workdir/start" --result "$workdir/result.json" \
    --preseed "$bundle/preseed.cfg" --preseed-label "$bundle/preseed.cfg (over HTTP)" \
    --arch i386 --release 12 --cpu pentium3,-pae --workdir "$workdir" \
    --boot-line-file "$workdir/bootline" \
    --installer "debian-installer-12-netboot-i386 $(dpkg-query -W -f='${Version}' debian-installer-12-netboot-i386 2>/dev/null || echo '?') via PXE" \
    --boot-timeout 420 --timeout "$timeout_s" --console "$console" --forward "127.0.0.1:$http_port" &
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
    grep -qF "$ASSET hat seine Antwortdatei (preseed.cfg) geholt" "$workdir/http.log" ||
    problems+=("upcycle serve's log has no 'GET /$ASSET/preseed.cfg' answered 200 and no '$ASSET hat seine Antwortdatei (preseed.cfg) geholt'")
# The room page while serve runs; then the ledger, as `upcycle status` and `upcycle log` show
# it (serve writes syslog lines every 250 ms; it is stopped first so everything is in).
room_code=$(curl -s -o "$workdir/room.html" -w '%{http_code}' "http://127.0.0.1:$http_port/room" || true)
[[ $room_code == 200 ]] && grep -q "$ASSET" "$workdir/room.html" ||
    problems+=("the room page (/room) answered ${room_code:-nothing} or has no row for $ASSET")
sleep 1
stop_pids "$http_pid"
http_pid=""
"$upcycle" status --ledger "$workdir/bundles" --format json >"$workdir/status.json" 2>&1 ||
    problems+=("upcycle status failed: $(head -c 300 "$workdir/status.json")")
"$upcycle" log "$ASSET" --ledger "$workdir/bundles" --format json >"$workdir/log.json" 2>&1 ||
    problems+=("upcycle log $ASSET failed: $(head -c 300 "$workdir/log.json")")
"$upcycle" log "$ASSET" --ledger "$workdir/bundles" >"$workdir/log.txt" 2>&1 || true
grep -Eq " GET /_upcycle/hello/$ASSET/\[token\] 200 [0-9]+$" "$workdir/http.log" &&
    grep -q "^$ASSET: sein Installer meldet sich (von " "$workdir/http.log" ||
    problems+=("upcycle serve's log has no hello of $ASSET answered 200 (preseed/early_command with its install token)")
if grep -Eq "/_upcycle/hello/[^ ]* (403|404)" "$workdir/http.log"; then
    problems+=("upcycle serve refused a hello: $(grep -E '/_upcycle/hello/[^ ]* (403|404)' "$workdir/http.log" | head -n1)")
fi
# The install token is in the preseed and, through d-i's "running preseed command" lines, in
# the syslog; it must show nowhere else.
token=$(grep -o "/_upcycle/hello/$ASSET/[0-9a-f]*" "$bundle/preseed.cfg" | head -n1 | cut -d/ -f5)
[[ ${#token} == 32 ]] || problems+=("no install token in the hello of $bundle/preseed.cfg")
for f in status.json log.json log.txt http.log room.html; do
    if [[ -n $token && -e $workdir/$f ]] && grep -q "$token" "$workdir/$f"; then
        problems+=("the install token shows in $f")
    fi
done
syslog_lines=$(grep -c '' "$workdir/syslog.log" || true)
ledger_check=$(python3 - "$workdir/status.json" "$workdir/log.json" "$ASSET" "$syslog_lines" <<'EOF_PY' 2>&1
import json, sys
status, log, asset = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
forwarded = int(sys.argv[4])
later = ["components", "partitioning", "base-system", "package-sources", "software",
         "boot-loader", "finishing", "installed"]
problems = []
events = log["events"]
progress = [e for e in events if e["kind"] == "install-progress"]
stages = [e["details"].get("stage") for e in progress]
# Route 2, in this order: the preseed fetch (stage started), the hello of preseed/early_command,
# a stage from d-i's syslog. No "network" stage: d-i is on the network before it can fetch
# the preseed, so those lines come before serve knows whose they are (they are counted).
want = [("preseed fetch", lambda e: e["kind"] == "preseed-fetched"),
        ("stage started", lambda e: e["kind"] == "install-progress" and e["details"].get("stage") == "started"),
        ("hello", lambda e: e["kind"] == "install-progress" and e["details"].get("line") == "hello"),
        ("a stage from components on (d-i's syslog)",
         lambda e: e["kind"] == "install-progress" and e["details"].get("stage") in later)]
i = 0
for e in events:
    if i < len(want) and want[i][1](e):
        if not e["source"].startswith("serve from "):
            problems.append("%s recorded by %s, not serve" % (want[i][0], e["source"]))
        i += 1
if i < len(want):
    problems.append("the history has no %s after %s" % (want[i][0], " -> ".join(w[0] for w in want[:i]) or "its start"))
rows = [r for r in status if r["hostname"] == asset]
if len(rows) != 1:
    problems.append("status has %d rows for %s" % (len(rows), asset))
else:
    r = rows[0]
    if r["stage"] not in later:
        problems.append("status shows stage %r, not components or later" % r["stage"])
    if not r["last_line"]:
        problems.append("status has no last line")
    if r["log_lines"] != forwarded:
        problems.append("status counts %r syslog lines, the watcher passed on %d" % (r["log_lines"], forwarded))
    print("ledger: %s at stage %s, %d syslog lines, last: %s; stages %s"
          % (asset, r["stage"], r["log_lines"] or 0, r["last_line"], " -> ".join(str(s) for s in stages)))
for p in problems:
    print("PROBLEM " + p)
EOF_PY
) || ledger_check="PROBLEM the ledger check could not read status.json/log.json: $ledger_check"
while IFS= read -r line; do
    case $line in
        "PROBLEM "*) problems+=("ledger: ${line#PROBLEM }") ;;
        *) [[ -z $line ]] || note "$line" ;;
    esac
done <<<"$ledger_check"
verdict=$(python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(r["verdict"] + ": " + r["reason"])' \
    "$workdir/result.json" 2>/dev/null || echo "error: no result from di-watch")
note "kernel command line: ${cmdline:-?}"
note "HTTP: $(grep -c ' GET ' "$workdir/http.log" || true) requests ($(grep -o 'GET [^ ]*' "$workdir/http.log" | sort -u | tr '\n' ' '))"
note "installer: $verdict"
note "logs: $workdir (serial.log, syslog.log, http.log, result.json, status.json, log.json$([[ -s $workdir/screen.png ]] && echo ', screen.png'))"
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
