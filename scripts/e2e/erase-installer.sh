#!/usr/bin/env bash
# erase-installer.sh: the installer's erasure step (workshop `erase.before_install`,
# docs/erase.md) in the real Debian installer under QEMU (TCG), checked from the host:
#   - a bundle is generated with erasure on (method overwrite, verify full) and made into a
#     stick with `upcycle media usb --upcycle-static`: its initrd.gz is Debian's, the bundle,
#     and the static upcycle as /upcycle/upcycle;
#   - that kernel and initrd boot with one more initrd member (the kernel unpacks it last):
#     a preseed.cfg that is the bundle's, but whose preseed/early_command loads the SATA
#     drivers (libata, libahci, ahci of the installer kernel's own version, from Debian's
#     linux-image package: the netboot initrd has none, d-i fetches them as udebs, which
#     the mirror here does not serve, docs/e2e.md), sets partman-auto/disk to /dev/sda and
#     then runs the bundle's own partman/early_command, unchanged: the disk finder and the
#     erasure; then it prints the record on the serial console and powers off;
#   - the laptop's disk is an AHCI disk image (1 GiB) filled with a pattern and ext4;
#   - the workshop PC's `upcycle serve` runs on the host for the bundles' folder (its
#     ledger); the installer reaches it through a user-mode NIC with restrict=on and one
#     guestfwd (10.0.2.100:8080 -> socat -> serve), named on the boot line as d-i's
#     log_host/log_port (as `media usb --server` does); the test's early command brings the
#     e1000 NIC up by hand (netcfg has not run yet);
#   - d-i runs on the VGA console (the kernel's messages on ttyS0 too: earlyprintk ... keep):
#     QEMU's monitor takes screendumps while the disk is
#     overwritten (d-i's progress bar), OCR'd with tesseract (deu) when installed.
# Pass: the command ended 0, the record printed says erased and a passed read-back, names
# the installer as operator, the image, read on the host by cmp against /dev/zero, is all
# zeros, serve's ledger has the `erased` event whose record SHA-256 equals the SHA-256 of
# the record printed on the serial console, and a screendump shows the progress text.
# A second boot gives the installer a USB disk only (xhci + usb-storage, from the initrd)
# as partman-auto/disk: `--installer` refuses it, and the installer's screen must show the
# error template ("Loeschen fehlgeschlagen") while the USB disk keeps every byte (SHA-256
# before and after); the VM is stopped once the screen shows it.
# What it does not run: partman/early_command from partman itself (d-i gets no further than
# "Download installer components" here), the stick itself as the USB disk.
#
# --arch i386: the same with Debian 12's i386 installer, the T40's bundle (Debian 12 i386)
# and the static i686 upcycle, on an emulated Pentium III with SSE2 (what the i686 build
# needs at least: a Pentium M's instruction set), the SATA modules from linux-image-<abi>:i386.
#
# Usage: scripts/e2e/erase-installer.sh [--arch amd64|i386] [--timeout T] [--workdir DIR]
#   --timeout T    limit for the VM (minutes, or Ns / Nm; default 25m)
#   --workdir DIR  bundle, stick, image, console log (default: a new temp dir, kept)
# Environment: UPCYCLE=path of the static x86_64 (i686 with --arch i386) upcycle (default: the one of
#   scripts/build-static.sh); UPCYCLE_HOST=path of the upcycle that generates (default:
#   target/debug/upcycle).
# Needs: qemu-system-x86, apt-get (Debian 12 sources), debian-installer-12-netboot-amd64,
#   cpio, gzip, e2fsprogs, file, cmp, socat, netpbm (pnmtopng); tesseract-ocr-deu optional.
# Output: one line per check, then exactly "N passed, M failed".
# Exit: 0 all passed, 1 a check failed, 2 only errors (infrastructure).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$here/../.." && pwd)
prog=erase-installer
# shellcheck source=scripts/lib.sh
. "$here/../lib.sh"

workdir=""
timeout=25m
arch=amd64
while (($#)); do
    case $1 in
        --arch) need_value "$1" $#; arch=$2; shift 2 ;;
        --timeout) need_value "$1" $#; timeout=$2; shift 2 ;;
        --workdir) need_value "$1" $#; workdir=$2; shift 2 ;;
        -h | --help) show_help ;;
        *) die "unknown argument: $1" ;;
    esac
done
limit=$(timeout_seconds "$timeout") || die "--timeout takes minutes (N, Nm) or seconds (Ns), at least a minute"
for t in qemu-system-x86_64 apt-get cpio gzip mkfs.ext4 file cmp dpkg-deb socat pnmtopng; do
    command -v "$t" >/dev/null || die "$t is missing"
done

[[ -n $workdir ]] || workdir=$(mktemp -d "${TMPDIR:-/tmp}/erase-installer.XXXXXX")
mkdir -p "$workdir"
note "work folder: $workdir"

case $arch in
    amd64) target=x86_64-unknown-linux-musl kpkg_arch=amd64 cpu=qemu64 release=13
        fixture=lenovo-thinkpad-t420-battery-wear ;;
    i386) target=i686-unknown-linux-musl kpkg_arch=i386 cpu=pentium3,+sse2 release=12
        fixture=ibm-thinkpad-t40 ;;
    *) die "--arch takes amd64 or i386" ;;
esac
static=${UPCYCLE:-$repo_root/target/$target/release/upcycle}
[[ -x $static ]] || die "no static upcycle at $static (scripts/build-static.sh, or UPCYCLE=...)"
file -L "$static" | grep -Eq 'statically linked|static-pie linked' || die "$static is not statically linked"
host=${UPCYCLE_HOST:-$repo_root/target/debug/upcycle}
[[ -x $host ]] || die "no upcycle at $host (cargo build, or UPCYCLE_HOST=...)"

# Debian 12's netboot installer, and its kernel's SATA modules
images=/usr/lib/debian-installer/images
di_dir=$images/12/$arch/text/debian-installer/$arch
[[ -f $di_dir/initrd.gz ]] || die "no Debian 12 $arch installer images: apt install debian-installer-12-netboot-$arch"
abi=$(gzip -dc "$di_dir/initrd.gz" | cpio -t --quiet 2>/dev/null | sed -n 's|^lib/modules/\([^/]*\)$|\1|p' | head -n 1)
[[ -n $abi ]] || die "cannot read the installer kernel's version from its initrd"
cache=$(user_cache)/erase-installer
mkdir -p "$cache/debs"
(cd "$cache/debs" && { compgen -G "linux-image-${abi}_*.deb" >/dev/null || apt-get download "linux-image-$abi:$kpkg_arch" >&2; }) ||
    die "apt-get download linux-image-$abi:$kpkg_arch failed"
unpacked=$workdir/kernel
rm -rf "$unpacked" && mkdir -p "$unpacked"
dpkg-deb -x "$(compgen -G "$cache/debs/linux-image-${abi}_*.deb" | head -n 1)" "$unpacked"

# the bundle (amd64: the T420, the Debian 12 installer standing in for its Debian 13 one:
# only the early commands run; i386: the T40, Debian 12) and its stick
workshop=$workdir/workshop.yaml
sed -e 's/^  before_install: false/  before_install: true/' -e 's/^  method: auto/  method: overwrite/' \
    "$repo_root/data/workshop-default.yaml" >"$workshop"
grep -q '^  before_install: true' "$workshop" || die "could not turn erasure on in $workshop"
rm -rf "$workdir/bundles" "$workdir/stick" "$workdir/images" "$workdir/static"
"$host" generate "$repo_root/tests/fixtures/machines/$fixture/root" \
    --workshop "$workshop" -o "$workdir/bundles" --today 2026-11-25 >&2
bundle=$workdir/bundles/schule-001
mkdir -p "$workdir/images/$release/$arch" "$workdir/static/$target"
ln -s "$images/12/$arch/text" "$workdir/images/$release/$arch/text"
cp "$static" "$workdir/static/$target/upcycle"
"$host" media usb "$bundle" -o "$workdir/stick" --images "$workdir/images" \
    --upcycle-static "$workdir/static" >&2
preseed_value() { "$host" preseed-value "$bundle/preseed.cfg" "$1"; }
early=$(preseed_value partman/early_command)
grep -q '/upcycle/upcycle erase --installer' <<<"$early" || die "the bundle's partman/early_command erases nothing: $early"

# the extra initrd members: the SATA drivers and the test's preseed, whose early command
# loads DRIVERS, waits for /dev/sda, names it partman's disk and runs the bundle's own
# partman/early_command (NAME: the initrd made)
say='>/dev/ttyS0'
make_initrd() { # NAME DRIVERS [NET]
    local name=$1 drivers=$2 net=${3:-} extra=$workdir/extra-$1 test_early
    rm -rf "$extra" && mkdir -p "$extra/upcycle-e2e"
    for m in drivers/ata/libata.ko drivers/ata/libahci.ko drivers/ata/ahci.ko; do
        cp "$unpacked/lib/modules/$abi/kernel/$m" "$extra/upcycle-e2e/"
    done
    test_early="$drivers; $net i=0; while [ ! -b /dev/sda ] && [ \$i -lt 60 ]; do sleep 1; i=\$((i + 1)); done; debconf-set partman-auto/disk /dev/sda; echo UPCYCLE-E2E-START $say; ( $early ); echo \"UPCYCLE-E2E-EXIT=\$?\" $say; echo UPCYCLE-E2E-RECORD $say; cat /var/lib/upcycle/erasure/*.yaml $say; echo UPCYCLE-E2E-LOG $say; grep -i upcycle /var/log/syslog $say; echo UPCYCLE-E2E-END $say; sync; poweroff -f"
    awk -v cmd="$test_early" '/^d-i preseed\/early_command string / { print "d-i preseed/early_command string " cmd; next } { print }' \
        "$bundle/preseed.cfg" >"$extra/preseed.cfg"
    (cd "$extra" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) >"$workdir/extra-$name.cpio.gz"
    cat "$workdir/stick/initrd.gz" "$workdir/extra-$name.cpio.gz" >"$workdir/initrd-$name.gz"
}
# (the NIC: e1000 from d-i's own initrd, the first interface that is not lo, the address
# slirp would give; guestfwd's 10.0.2.100 is on that network)
# shellcheck disable=SC2016 # (expands in the installer's shell)
net_up='modprobe e1000; i=0; n=""; while [ -z "$n" ] && [ $i -lt 30 ]; do n=$(ls /sys/class/net | grep -v "^lo$" | head -n 1); sleep 1; i=$((i + 1)); done; ip link set "$n" up; ip addr add 10.0.2.15/24 dev "$n"; echo "UPCYCLE-E2E-NET=$n" >/dev/ttyS0;'
# shellcheck disable=SC2016 # ($m expands in the installer's shell)
make_initrd sata 'modprobe sd_mod; for m in libata libahci ahci; do insmod /upcycle-e2e/$m.ko; done' "$net_up"
make_initrd usb 'modprobe sd_mod; modprobe xhci-pci; modprobe usb-storage'

# the laptop's disk: a pattern over every byte, then ext4
img=$workdir/disk.img
size=$((1024 << 20))
{ yes "old owner's data" || true; } | head -c "$size" >"$img"
mkfs.ext4 -q -F -E nodiscard "$img"
if cmp -s -n "$size" "$img" /dev/zero; then die "the image is zeros before the erase"; fi

# the workshop PC's serve, for the bundles' folder and its ledger
serve_log=$workdir/serve.log
serve_pid=""
trap '[[ -z $serve_pid ]] || kill "$serve_pid" 2>/dev/null || true' EXIT
upcycle_serve "$host" "$workdir/bundles" "$serve_log" --lang de
port=$serve_port
note "upcycle serve on 127.0.0.1:$port (the guest's 10.0.2.100:8080); log in $serve_log"

log=$workdir/console.log
mon=$workdir/monitor.sock
shots=$workdir/screens
rm -rf "$shots" && mkdir -p "$shots"
note "booting the installer (TCG, up to $limit s); serial in $log, screendumps in $shots"
start=$SECONDS
rm -f "$mon"
nice -n 19 timeout $((limit + 60)) qemu-system-x86_64 -accel tcg -cpu "$cpu" -m 1024 -smp 1 -display none -vga std -no-reboot \
    -kernel "$workdir/stick/linux" -initrd "$workdir/initrd-sata.gz" \
    -append "auto=true priority=critical log_host=10.0.2.100 log_port=8080 panic=-1 earlyprintk=serial,ttyS0,115200,keep" \
    -serial "file:$log" -monitor "unix:$mon,server,nowait" \
    -nic "user,model=e1000,restrict=on,guestfwd=tcp:10.0.2.100:8080-cmd:socat - TCP:127.0.0.1:$port" \
    -drive "file=$img,if=none,id=d0,format=raw" -device ahci,id=ahci -device ide-hd,drive=d0,bus=ahci.0 \
    </dev/null >"$workdir/qemu.log" 2>&1 &
vm=$!
# while the erasure runs: a screendump every 3 s (d-i's progress bar)
n=0
while kill -0 "$vm" 2>/dev/null; do
    if grep -aq 'UPCYCLE-E2E-START' "$log" 2>/dev/null && ! grep -aq 'UPCYCLE-E2E-EXIT' "$log"; then
        n=$((n + 1))
        f=$shots/$(printf 'screen-%03d' "$n")
        echo "screendump $f.ppm" | socat - "UNIX-CONNECT:$mon" >/dev/null 2>&1 || true
        sleep 1
        [[ -s $f.ppm ]] && pnmtopng "$f.ppm" >"$f.png" 2>/dev/null && rm -f "$f.ppm"
        sleep 2
    else
        sleep 1
    fi
done
rc=0
wait "$vm" || rc=$?
((rc == 0)) || warn "qemu ended with $rc"
note "the VM ran $((SECONDS - start)) s, $n screendumps"
# the screens' text: tesseract (deu) when installed
progress_shot=""
for f in "$shots"/*.png; do
    [[ -f $f ]] || continue
    if command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx deu; then
        tesseract "$f" "${f%.png}" -l deu >/dev/null 2>&1 || true
        if [[ -z $progress_shot ]] && grep -q 'Ueberschreiben mit Nullen\|Pruefen durch Zuruecklesen' "${f%.png}.txt" 2>/dev/null; then
            progress_shot=$f
        fi
    fi
done
kill "$serve_pid" 2>/dev/null || true
wait "$serve_pid" 2>/dev/null || true
trap - EXIT

# the second boot: a USB disk only, refused; the screen says so
usb=$workdir/usb.img
{ yes "a stick's data" || true; } | head -c $((64 << 20)) >"$usb"
usb_before=$(sha256sum <"$usb")
log2=$workdir/console-usb.log
: >"$log2"
note "booting the installer with a USB disk only (TCG, up to $limit s); console in $log2"
start=$SECONDS
nice -n 19 timeout $((limit + 60)) qemu-system-x86_64 -accel tcg -cpu "$cpu" -m 1024 -smp 1 -nographic -no-reboot \
    -kernel "$workdir/stick/linux" -initrd "$workdir/initrd-usb.gz" \
    -append "auto=true priority=critical console=ttyS0,115200n8 panic=-1" \
    -device qemu-xhci -drive "file=$usb,if=none,id=u0,format=raw" -device usb-storage,drive=u0 \
    </dev/null >"$log2" 2>&1 &
vm=$!
shown=""
while kill -0 "$vm" 2>/dev/null; do
    if grep -aq 'Loeschen fehlgeschlagen' "$log2"; then
        shown=yes
        sleep 10 # the rest of the screen
        break
    fi
    ((SECONDS - start < limit)) || break
    sleep 5
done
kill "$vm" 2>/dev/null || true
wait "$vm" 2>/dev/null || true
note "the VM ran $((SECONDS - start)) s"
# the screen as one line: escapes gone, the dialog's borders (x in the line-drawing set)
# between wrapped lines gone
screen=$(tr -d '\r\016\017' <"$log2" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' | tr -s ' \n' ' ' | sed 's/ \{1,\}x\{1,\} \{1,\}/ /g')

record=$(sed -n '/^UPCYCLE-E2E-RECORD/,/^UPCYCLE-E2E-LOG/p' "$log" | tr -d '\r')
# (cpio stops at the first archive's end: read the member after Debian's initrd)
stock_size=$(stat -c %s "$di_dir/initrd.gz")
check "the stick's initrd holds the static upcycle" cmp -s "$static" \
    <(tail -c +$((stock_size + 1)) "$workdir/stick/initrd.gz" | gzip -dc | cpio -i --quiet --to-stdout upcycle/upcycle)
# (the installer's screen may draw over the start line; the syslog copy comes after RECORD)
check "the installer found the disk" grep -aq 'UPCYCLE-E2E-START' <(sed '/^UPCYCLE-E2E-RECORD/q' "$log")
check "the bundle's partman/early_command ended 0" grep -aq '^UPCYCLE-E2E-EXIT=0' "$log"
check "the record says erased" grep -q '^status: erased' <<<"$record"
check "the read-back passed" grep -q 'result: passed' <<<"$record"
check "the image is all zeros, read on the host" cmp -s -n "$size" "$img" /dev/zero
check "the record's SHA-256 is in d-i's syslog" grep -aq 'upcycle: erasure record [0-9a-f]\{64\}  /var/lib/upcycle/erasure/erasure-' "$log"
check "the record names the installer as operator" grep -q '^operator: Debian-Installer, unbeaufsichtigt (schule-001)' <<<"$record"
# the record as the serial console printed it (the lines between the markers)
printed_sha=$(sed -n '/^UPCYCLE-E2E-RECORD/,/^UPCYCLE-E2E-LOG/p' "$log" | tr -d '\r' | sed '1d;$d' | sha256sum | cut -d ' ' -f 1)
ledger_sha=$("$host" log schule-001 --ledger "$workdir/bundles" --format json | grep -o '"record_sha256": *"[0-9a-f]\{64\}"' | grep -o '[0-9a-f]\{64\}' | head -n 1 || true)
note "record printed: $printed_sha; in serve's ledger: ${ledger_sha:-none}"
check "the installer sent the record to serve (d-i's syslog)" grep -aq 'upcycle: erasure record sent to upcycle serve: /var/lib/upcycle/erasure/erasure-' "$log"
check "serve's ledger has the erased event of the printed record (SHA-256)" test "$printed_sha" = "$ledger_sha"
check "serve said it in German" grep -q 'schule-001: Löschprotokoll des Installers für sda: gelöscht und geprüft' "$serve_log"
check "status: schule-001 erased" grep -q '"result": *"erased"' <("$host" status --ledger "$workdir/bundles" --format json)
check "a screendump shows d-i's progress bar text (OCR)" test -n "$progress_shot"
[[ -z $progress_shot ]] || note "progress screen: $progress_shot"
check "a USB disk as partman's disk: the error screen" test -n "$shown"
check "the screen names the disk and erase's exit code (10: refused)" grep -q 'Die Festplatte /dev/sda wurde nicht geloescht (upcycle erase endete mit 10' <<<"$screen"
check "the USB disk keeps every byte" test "$(sha256sum <"$usb")" = "$usb_before"
printf '%s passed, %s failed\n' "$passed" "$failed"
if ((failed > 0)); then
    note "see $log"
    exit 1
fi
