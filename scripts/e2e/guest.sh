# shellcheck shell=bash
# workdir, repo_root: set by the script that sources this file.
# shellcheck disable=SC2154
# guest.sh: the small Linux the erase scripts boot in QEMU (erase-nvme.sh, erase-failing.sh):
# Debian 12's current kernel (its vmlinuz and the modules a script names), busybox-static
# as /init's shell, Debian programs (run through the dynamic loader copied from this
# machine, which must be Debian 12 like the packages) and the static upcycle; all in one
# initramfs, no root file system. Sourced after scripts/lib.sh, with `workdir` and
# `repo_root` set. The packages are fetched with apt-get download into
# `user_cache`/erase-nvme (kept, shared by the scripts).

# upcycle_bin: $UPCYCLE, else the static x86_64 binary of scripts/build-static.sh (built
# when missing).
guest_upcycle() {
    upcycle_bin=${UPCYCLE:-$repo_root/target/x86_64-unknown-linux-musl/release/upcycle}
    if [[ ! -x $upcycle_bin ]]; then
        note "building the static upcycle (scripts/build-static.sh)"
        "$repo_root/scripts/build-static.sh" >&2
    fi
    [[ -x $upcycle_bin ]] || die "no upcycle binary at $upcycle_bin"
}

# guest_packages PACKAGE...: Debian 12's current kernel and busybox-static, plus the
# PACKAGEs, fetched once and unpacked into $workdir/unpacked. Sets unpacked, kver, vmlinuz.
guest_packages() {
    local cache kernel_pkg p d
    cache=$(user_cache)/erase-nvme
    kernel_pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/ {print $2; exit}')
    [[ -n $kernel_pkg ]] || die "apt-cache knows no linux-image-amd64 (Debian 12 sources needed)"
    mkdir -p "$cache/debs"
    (
        cd "$cache/debs"
        for p in "$kernel_pkg" busybox-static "$@"; do
            compgen -G "${p}_*.deb" >/dev/null || apt-get download "$p" >&2 || exit 1
        done
    ) || die "apt-get download failed"
    unpacked=$workdir/unpacked
    rm -rf "$unpacked" && mkdir -p "$unpacked"
    for p in "$kernel_pkg" busybox-static "$@"; do
        for d in "$cache"/debs/"${p}"_*.deb; do dpkg-deb -x "$d" "$unpacked"; done
    done
    kver=${kernel_pkg#linux-image-}
    vmlinuz=$unpacked/boot/vmlinuz-$kver
    [[ -f $vmlinuz ]] || die "no kernel in $kernel_pkg"
}

# guest_initramfs MODULE...: the initramfs tree $workdir/initramfs (sets ir) with busybox
# and the kernel's MODULEs (paths below kernel/, in load order; /init loads them in turn).
guest_initramfs() {
    local m moddir=$unpacked/lib/modules/$kver/kernel
    ir=$workdir/initramfs
    rm -rf "$ir" && mkdir -p "$ir"/{bin,sbin,usr/sbin,proc,sys,dev,tmp,opt/lib,modules}
    cp "$unpacked/bin/busybox" "$ir/bin/busybox"
    ln -s busybox "$ir/bin/sh"
    for m in "$@"; do cp "$moddir/$m" "$ir/modules/"; done
    printf '%s\n' "${@##*/}" >"$ir/modules/order"
}

# add_program SRC NAME: SRC as /usr/sbin/NAME in the initramfs; a dynamic program runs
# through the loader and libraries ldd names on this machine.
add_program() {
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

# guest_init DEVICE < BODY: /init: busybox's applets, /proc, /sys, /dev, /tmp, the modules,
# up to 60 s for the block device DEVICE, then BODY (shell, from stdin), then poweroff.
guest_init() {
    {
        cat <<'EOF'
#!/bin/sh
/bin/busybox --install -s /bin
export PATH=/usr/sbin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
for m in $(cat /modules/order); do insmod /modules/$m || echo "insmod $m failed"; done
i=0
EOF
        # shellcheck disable=SC2016 # $i is the guest's, not expanded here
        printf 'while [ ! -b %s ] && [ $i -lt 60 ]; do sleep 1; i=$((i + 1)); done\n' "$1"
        cat
        printf 'sync\npoweroff -f\n'
    } >"$ir/init"
    chmod 755 "$ir/init"
}

# guest_pack: $workdir/initramfs.gz from the tree.
guest_pack() {
    (cd "$ir" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) >"$workdir/initramfs.gz"
}

# patterned_disk IMAGE BYTES: a pattern over every byte, then ext4 with a file on it
# (debugfs: no mount); dies if the image is zeros after all.
patterned_disk() {
    local img=$1 size=$2
    { yes "old owner's data" || true; } | head -c "$size" >"$img"
    mkfs.ext4 -q -F -E nodiscard "$img"
    printf 'a letter to the old owner\n' >"$img.letter.txt"
    debugfs -w -R "write $img.letter.txt letter.txt" "$img" >/dev/null 2>&1 || true
    if cmp -s -n "$size" "$img" /dev/zero; then die "the image is zeros before the erase"; fi
}
