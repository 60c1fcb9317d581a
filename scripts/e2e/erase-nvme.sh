#!/usr/bin/env bash
# erase-nvme.sh: `upcycle erase` on an emulated NVMe drive. Boots a small Linux in QEMU
# (TCG) with `-device nvme` whose disk image holds a known pattern and an ext4 file
# system, runs `upcycle erase --yes /dev/nvme0n1` inside with the real nvme-cli, and then
# checks the image from the host:
#   - the plan inside chose a firmware method from what the controller's id-ctrl says
#     (QEMU's controller: Format NVM, no Sanitize, no crypto erase: `nvme format --ses=1`);
#   - erase exited 0 and its record says erased, the method, and a passed read-back;
#   - the image, read on the host by cmp against /dev/zero, is all zeros.
# The guest: Debian 12's current kernel (linux-image-*-amd64: its vmlinuz and the nvme
# modules), busybox-static as /init's shell, nvme-cli with its libraries (run through the
# dynamic loader copied from this machine, which must be Debian 12 like the packages), and
# upcycle; all in one initramfs, no root file system. The packages are fetched with
# apt-get download into `user_cache`/erase-nvme (kept).
#
# Usage: scripts/e2e/erase-nvme.sh [--timeout T] [--workdir DIR]
#   --timeout T    limit for the VM (minutes, or Ns / Nm; default 10m)
#   --workdir DIR  image, initramfs, console log (default: a new temp dir, kept)
# Environment: UPCYCLE=path (default: the static x86_64 binary of
#   scripts/build-static.sh, built when missing).
# Needs: qemu-system-x86, apt-get (Debian 12 sources), cpio, gzip, e2fsprogs, ldd, file.
# Output: one line per check, then exactly "N passed, M failed".
# Exit: 0 all passed, 1 a check failed, 2 only errors (infrastructure).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$here/../.." && pwd)
prog=erase-nvme
# shellcheck source=scripts/lib.sh
. "$here/../lib.sh"

workdir=""
timeout=10m
while (($#)); do
    case $1 in
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

[[ -n $workdir ]] || workdir=$(mktemp -d "${TMPDIR:-/tmp}/erase-nvme.XXXXXX")
mkdir -p "$workdir"
note "work folder: $workdir"

# shellcheck source=scripts/e2e/guest.sh
. "$here/guest.sh"
guest_upcycle
guest_packages nvme-cli libnvme1 libjson-c5
# load order: what nvme-core needs first (Debian 6.1: t10-pi for its integrity support,
# and the CRCs t10-pi needs, each with its crypto driver)
guest_initramfs crypto/crct10dif_common.ko crypto/crct10dif_generic.ko lib/crc-t10dif.ko \
    lib/crc64.ko crypto/crc64_rocksoft_generic.ko lib/crc64-rocksoft.ko block/t10-pi.ko \
    drivers/nvme/host/nvme-core.ko drivers/nvme/host/nvme.ko
add_program "$unpacked/usr/sbin/nvme" nvme
add_program "$upcycle_bin" upcycle
guest_init /dev/nvme0n1 <<'EOF'
echo "=== id-ctrl"
nvme id-ctrl /dev/nvme0n1 -o json | grep -E '"(mn|sn|oacs|fna|sanicap)"'
echo "=== plan"
upcycle erase --plan /dev/nvme0n1 --format yaml
echo "=== erase"
upcycle erase --yes /dev/nvme0n1 --record /tmp/records --operator "e2e erase-nvme" --lang en
echo "UPCYCLE-EXIT=$?"
echo "=== record"
cat /tmp/records/*.yaml
echo "=== end"
EOF
guest_pack

img=$workdir/nvme.img
patterned_disk "$img" $((64 << 20))

log=$workdir/console.log
note "booting (TCG, up to $limit s); console in $log"
rc=0
timeout $((limit + 60)) qemu-system-x86_64 -accel tcg -m 512 -smp 1 -nographic -no-reboot \
    -kernel "$vmlinuz" -initrd "$workdir/initramfs.gz" \
    -append "console=ttyS0 panic=-1 loglevel=4" \
    -drive "file=$img,if=none,id=nv,format=raw" -device "nvme,serial=UPCYCLE0001,drive=nv" \
    </dev/null >"$log" 2>&1 || rc=$?
((rc == 0)) || warn "qemu ended with $rc"

record=$(sed -n '/^=== record/,/^=== end/p' "$log" | tr -d '\r')
plan=$(sed -n '/^=== plan/,/^=== erase/p' "$log" | tr -d '\r')
check "the plan chose NVMe Format NVM (user data erase)" grep -q 'method: nvme-format-user-data' <<<"$plan"
check "erase exited 0" grep -q 'UPCYCLE-EXIT=0' "$log"
check "the record says erased" grep -q '^status: erased' <<<"$record"
check "the record names the nvme-cli command" grep -q 'command: nvme format --ses=1 --force /dev/nvme0n1' <<<"$record"
check "the read-back passed" grep -q 'result: passed' <<<"$record"
check "the image is all zeros, read on the host" cmp -s -n $((64 << 20)) "$img" /dev/zero
printf '%s passed, %s failed\n' "$passed" "$failed"
if ((failed > 0)); then
    note "see $log"
    exit 1
fi
