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

# upcycle: the static binary (any dynamic one is run through its loader, see below)
upcycle_bin=${UPCYCLE:-$repo_root/target/x86_64-unknown-linux-musl/release/upcycle}
if [[ ! -x $upcycle_bin ]]; then
    note "building the static upcycle (scripts/build-static.sh)"
    "$repo_root/scripts/build-static.sh" >&2
fi
[[ -x $upcycle_bin ]] || die "no upcycle binary at $upcycle_bin"

# Debian's packages, fetched once
cache=$(user_cache)/erase-nvme
kernel_pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/ {print $2; exit}')
[[ -n $kernel_pkg ]] || die "apt-cache knows no linux-image-amd64 (Debian 12 sources needed)"
mkdir -p "$cache/debs"
(
    cd "$cache/debs"
    for p in "$kernel_pkg" nvme-cli libnvme1 libjson-c5 busybox-static; do
        compgen -G "${p}_*.deb" >/dev/null || apt-get download "$p" >&2 || exit 1
    done
) || die "apt-get download failed"
unpacked=$workdir/unpacked
rm -rf "$unpacked" && mkdir -p "$unpacked"
for d in "$cache"/debs/*.deb; do dpkg-deb -x "$d" "$unpacked"; done
kver=${kernel_pkg#linux-image-}
vmlinuz=$unpacked/boot/vmlinuz-$kver
[[ -f $vmlinuz ]] || die "no kernel in $kernel_pkg"

# the initramfs
ir=$workdir/initramfs
rm -rf "$ir" && mkdir -p "$ir"/{bin,sbin,usr/sbin,proc,sys,dev,tmp,opt/lib,modules}
cp "$unpacked/bin/busybox" "$ir/bin/busybox"
ln -s busybox "$ir/bin/sh"
moddir=$unpacked/lib/modules/$kver/kernel
# load order: what nvme-core needs first (Debian 6.1: t10-pi for its integrity support,
# and the CRCs t10-pi needs, each with its crypto driver)
modules=(crypto/crct10dif_common.ko crypto/crct10dif_generic.ko lib/crc-t10dif.ko
    lib/crc64.ko crypto/crc64_rocksoft_generic.ko lib/crc64-rocksoft.ko block/t10-pi.ko
    drivers/nvme/host/nvme-core.ko drivers/nvme/host/nvme.ko)
for m in "${modules[@]}"; do cp "$moddir/$m" "$ir/modules/"; done
printf '%s\n' "${modules[@]##*/}" >"$ir/modules/order"

# A dynamic program runs through the loader and libraries ldd names on this machine.
add_program() { # SRC NAME
    local src=$1 name=$2 lib
    cp "$src" "$ir/opt/$name.bin"
    if file -L "$src" | grep -q 'dynamically linked'; then
        for lib in $(LD_LIBRARY_PATH=$unpacked/usr/lib/x86_64-linux-gnu ldd "$src" | awk '/=> \// {print $3} /^\t\/.*ld-linux/ {print $1}'); do
            cp -L "$lib" "$ir/opt/lib/"
        done
        printf '#!/bin/sh\nexec /opt/lib/ld-linux-x86-64.so.2 --library-path /opt/lib /opt/%s.bin "$@"\n' "$name" >"$ir/usr/sbin/$name"
    else
        printf '#!/bin/sh\nexec /opt/%s.bin "$@"\n' "$name" >"$ir/usr/sbin/$name"
    fi
    chmod 755 "$ir/usr/sbin/$name"
}
add_program "$unpacked/usr/sbin/nvme" nvme
add_program "$upcycle_bin" upcycle

cat >"$ir/init" <<'EOF'
#!/bin/sh
/bin/busybox --install -s /bin
export PATH=/usr/sbin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
for m in $(cat /modules/order); do insmod /modules/$m || echo "insmod $m failed"; done
i=0
while [ ! -b /dev/nvme0n1 ] && [ $i -lt 60 ]; do sleep 1; i=$((i + 1)); done
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
sync
poweroff -f
EOF
chmod 755 "$ir/init"
(cd "$ir" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) >"$workdir/initramfs.gz"

# the disk: a pattern over every byte, then ext4 with a file on it (debugfs: no mount)
img=$workdir/nvme.img
{ yes "old owner's data" || true; } | head -c $((64 << 20)) >"$img"
mkfs.ext4 -q -F -E nodiscard "$img"
printf 'a letter to the old owner\n' >"$workdir/letter.txt"
debugfs -w -R "write $workdir/letter.txt letter.txt" "$img" >/dev/null 2>&1 || true
if cmp -s -n $((64 << 20)) "$img" /dev/zero; then die "the image is zeros before the erase"; fi

log=$workdir/console.log
note "booting (TCG, up to $limit s); console in $log"
rc=0
timeout $((limit + 60)) qemu-system-x86_64 -accel tcg -m 512 -smp 1 -nographic -no-reboot \
    -kernel "$vmlinuz" -initrd "$workdir/initramfs.gz" \
    -append "console=ttyS0 panic=-1 loglevel=4" \
    -drive "file=$img,if=none,id=nv,format=raw" -device "nvme,serial=UPCYCLE0001,drive=nv" \
    </dev/null >"$log" 2>&1 || rc=$?
((rc == 0)) || warn "qemu ended with $rc"

passed=0 failed=0
check() { # NAME CONDITION...
    local name=$1
    shift
    if "$@"; then
        printf 'PASS %s\n' "$name"
        passed=$((passed + 1))
    else
        printf 'FAIL %s\n' "$name"
        failed=$((failed + 1))
    fi
}
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
