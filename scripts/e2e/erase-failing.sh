#!/usr/bin/env bash
# erase-failing.sh: `upcycle erase` on an emulated SATA disk (QEMU `-device ahci` +
# `ide-hd`), once healthy and twice failing mid-way through QEMU's blkdebug driver (issue
# 14, "How to test it": a disk that errors midway must fail honestly). Boots a small Linux
# in QEMU (TCG) per case, runs `upcycle erase --yes /dev/sda` inside (the overwrite: a
# plain QEMU ATA disk has no security feature set) and checks the console and the image
# from the host:
#   good         no rule: exit 0, the record says erased with a passed read-back, the
#                image (a pattern and ext4 before) is all zeros by cmp against /dev/zero;
#   write-error  blkdebug fails every write that touches sector FAIL_SECTOR (EIO): exit
#                11, the record says failed at that byte with the I/O error (never
#                erased), the read-back not run, nothing says "erased", and the image
#                still holds the old pattern after the failing block (not skipped);
#   read-error   blkdebug fails every read of that sector: the overwrite completes (the
#                image is zeros) but the read-back fails there: exit 11, the record says
#                failed, the verification failed at that byte (not proven, so not erased).
# The guest is erase-nvme.sh's: Debian 12's kernel (here its ahci/libata/sd_mod modules),
# busybox-static, hdparm (so the plan reads the drive's IDENTIFY: no security erase) run
# through this machine's loader, and upcycle; the packages are shared with erase-nvme.sh
# in `user_cache`/erase-nvme (fetched with apt-get download once, kept).
#
# Usage: scripts/e2e/erase-failing.sh [--only CASE] [--timeout T] [--workdir DIR]
#   --only CASE    good, write-error or read-error (default: all three, in that order)
#   --timeout T    limit per VM (minutes, or Ns / Nm; default 10m)
#   --workdir DIR  images, initramfs, console logs (default: a new temp dir, kept)
# Environment: UPCYCLE=path (default: the static x86_64 binary of
#   scripts/build-static.sh, built when missing).
# Needs: qemu-system-x86 (7.2: blkdebug's `iotype`), apt-get (Debian 12 sources), cpio,
#   gzip, e2fsprogs, ldd, file.
# Output: one line per check (prefixed with the case), then exactly "N passed, M failed".
# Exit: 0 all passed, 1 a check failed, 2 only errors (infrastructure).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$here/../.." && pwd)
prog=erase-failing
# shellcheck source=scripts/lib.sh
. "$here/../lib.sh"

workdir=""
timeout=10m
cases=(good write-error read-error)
while (($#)); do
    case $1 in
        --only)
            need_value "$1" $#
            case $2 in good | write-error | read-error) cases=("$2") ;; *) die "--only takes good, write-error or read-error" ;; esac
            shift 2
            ;;
        --timeout) need_value "$1" $#; timeout=$2; shift 2 ;;
        --workdir) need_value "$1" $#; workdir=$2; shift 2 ;;
        -h | --help) show_help ;;
        *) die "unknown argument: $1" ;;
    esac
done
limit=$(timeout_seconds "$timeout") || die "--timeout takes minutes (N, Nm) or seconds (Ns), at least a minute"
for t in qemu-system-x86_64 apt-get cpio gzip mkfs.ext4 ldd file cmp dpkg-deb; do
    command -v "$t" >/dev/null || die "$t is missing"
done

[[ -n $workdir ]] || workdir=$(mktemp -d "${TMPDIR:-/tmp}/erase-failing.XXXXXX")
mkdir -p "$workdir"
workdir=$(cd "$workdir" && pwd)
note "work folder: $workdir"

# shellcheck source=scripts/e2e/guest.sh
. "$here/guest.sh"
guest_upcycle
guest_packages hdparm
# the initramfs (the same for every case: only the disk differs). Load order (each
# module's depends= in Debian 6.1): the CRCs and t10-pi that sd_mod needs, the SCSI core,
# libata, AHCI, the SCSI disk driver
guest_initramfs crypto/crct10dif_common.ko crypto/crct10dif_generic.ko lib/crc-t10dif.ko \
    lib/crc64.ko crypto/crc64_rocksoft_generic.ko lib/crc64-rocksoft.ko block/t10-pi.ko \
    drivers/scsi/scsi_common.ko drivers/scsi/scsi_mod.ko drivers/ata/libata.ko \
    drivers/ata/libahci.ko drivers/ata/ahci.ko drivers/scsi/sd_mod.ko
hdparm_bin=$(find "$unpacked" -path '*sbin/hdparm' -type f | head -n1)
[[ -n $hdparm_bin ]] || die "no hdparm in the hdparm package"
add_program "$hdparm_bin" hdparm
add_program "$upcycle_bin" upcycle
guest_init /dev/sda <<'EOF'
echo "=== identify"
hdparm -I /dev/sda 2>&1 | grep -E 'Model Number|Serial Number|Security|supported|frozen' | head -n 12
echo "=== plan"
upcycle erase --plan /dev/sda --format yaml
echo "=== erase"
start=$(date +%s)
upcycle erase --yes /dev/sda --record /tmp/records --operator "e2e erase-failing" --lang en
echo "UPCYCLE-EXIT=$?"
echo "UPCYCLE-SECONDS=$(($(date +%s) - start))"
echo "=== record"
cat /tmp/records/*.yaml
echo "=== certificate"
grep -o -E '(ERASED|FAILED|INTERRUPTED)[^<]*' /tmp/records/*.html | sort | uniq -c
echo "=== end"
EOF
guest_pack

size=$((64 << 20))
# the failing sector: the middle of the disk (512-byte sectors), the start of an
# overwrite block (4 MiB), so the record's offset is the rule's
fail_sector=$(((size / 2) / 512))
fail_byte=$((fail_sector * 512))

# one PASS/FAIL line per check, named with the case (lib.sh's check)
case_check() {
    local name=$1
    shift
    check "$cname: $name" "$@"
}
# the old content from BYTE on (to the end) is still there: compared with the original
unchanged_from() { cmp -s -i "$1:$1" "$img" "$orig"; }
# TEXT does not hold the pattern (case-insensitive)
lacks() { ! grep -q -i -e "$1" <<<"$2"; }
not_zeros() { ! cmp -s -n "$size" "$img" /dev/zero; }
# failed_at_fail_byte write|read: what every failed erase must show: exit 11, a failed (not
# erased) record that names the failed write or read at $fail_byte with EIO (in the
# record's words: Rust's io::Error with the C library's strerror, musl "I/O error", glibc
# "Input/output error", then "(os error 5)")
failed_at_fail_byte() {
    case_check "erase exited 11" grep -q 'UPCYCLE-EXIT=11' "$log"
    case_check "the record says failed" grep -q '^status: failed' <<<"$record"
    case_check "the record does not say erased" lacks '^status: erased' "$record"
    case_check "the record names the failed $1 at byte $fail_byte" grep -q "note-$1-failed" <<<"$record"
    case_check "... at byte $fail_byte" grep -q "at: $fail_byte" <<<"$record"
    case_check "... with the I/O error (EIO)" grep -q -E 'error: .*error \(os error 5\)' <<<"$record"
}

for cname in "${cases[@]}"; do
    cdir=$workdir/$cname
    mkdir -p "$cdir"
    # the disk: a pattern over every byte, then ext4 with a file on it
    img=$cdir/sata.img
    orig=$cdir/before.img
    patterned_disk "$img" "$size"
    cp "$img" "$orig"
    drive="file=$img,if=none,id=d0,format=raw"
    case $cname in
        write-error | read-error)
            io=${cname%-error}
            # blkdebug: the raw driver fires write_aio/read_aio before each request; the
            # rule then fails every request of that kind touching the sector, every time
            cat >"$cdir/rules.cfg" <<EOF
[inject-error]
event = "${io}_aio"
iotype = "$io"
errno = "5"
sector = "$fail_sector"
once = "off"
immediately = "off"
EOF
            drive="file=blkdebug:$cdir/rules.cfg:$img,if=none,id=d0,format=raw"
            ;;
    esac
    log=$cdir/console.log
    note "$cname: booting (TCG, up to $limit s); console in $log"
    t0=$(date +%s)
    rc=0
    timeout $((limit + 60)) nice -n 19 qemu-system-x86_64 -accel tcg -m 512 -smp 1 -nographic -no-reboot \
        -kernel "$vmlinuz" -initrd "$workdir/initramfs.gz" \
        -append "console=ttyS0 panic=-1 loglevel=4" \
        -drive "$drive" -device ahci,id=ahci -device "ide-hd,drive=d0,bus=ahci.0,serial=UPCYCLE0002,model=QEMU SATA disk" \
        </dev/null >"$log" 2>&1 || rc=$?
    ((rc == 0)) || warn "$cname: qemu ended with $rc"
    note "$cname: VM ran $(($(date +%s) - t0)) s; upcycle erase $(tr -d '\r' <"$log" | sed -n 's/^UPCYCLE-SECONDS=//p') s inside"

    record=$(sed -n '/^=== record/,/^=== certificate/p' "$log" | tr -d '\r')
    cert=$(sed -n '/^=== certificate/,/^=== end/p' "$log" | tr -d '\r')
    plan=$(sed -n '/^=== plan/,/^=== erase/p' "$log" | tr -d '\r')
    erase_out=$(sed -n '/^=== erase/,/^=== record/p' "$log" | tr -d '\r')
    case_check "the plan chose the overwrite" grep -q 'method: overwrite' <<<"$plan"
    case $cname in
        good)
            case_check "erase exited 0" grep -q 'UPCYCLE-EXIT=0' "$log"
            case_check "the record says erased" grep -q '^status: erased' <<<"$record"
            case_check "the read-back passed" grep -q 'result: passed' <<<"$record"
            case_check "the certificate says ERASED and verified" grep -q 'ERASED and verified' <<<"$cert"
            case_check "the image is all zeros, read on the host" cmp -s -n "$size" "$img" /dev/zero
            ;;
        write-error)
            failed_at_fail_byte write
            case_check "the read-back did not run" grep -q 'result: not-run' <<<"$record"
            case_check "nothing said erased (output and certificate)" lacks 'erased and verified' "$erase_out$cert$record"
            case_check "the certificate says FAILED" grep -q 'FAILED' <<<"$cert"
            case_check "the image is not zeros, read on the host" not_zeros
            case_check "before the failing byte, the image is zeros (written)" cmp -s -n "$fail_byte" "$img" /dev/zero
            case_check "after the failing block, the old content is untouched" unchanged_from $((fail_byte + (4 << 20)))
            ;;
        read-error)
            failed_at_fail_byte read
            case_check "the verification failed at byte $fail_byte" grep -q "failed_at: $fail_byte" <<<"$record"
            case_check "the certificate says FAILED" grep -q 'FAILED' <<<"$cert"
            case_check "nothing said erased (output and certificate)" lacks 'erased and verified' "$erase_out$cert$record"
            case_check "the overwrite itself completed: the image is all zeros on the host" cmp -s -n "$size" "$img" /dev/zero
            ;;
    esac
done
printf '%s passed, %s failed\n' "$passed" "$failed"
if ((failed > 0)); then
    note "see the console logs in $workdir/*/console.log"
    exit 1
fi
