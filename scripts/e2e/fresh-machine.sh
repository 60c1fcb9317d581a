#!/usr/bin/env bash
# fresh-machine.sh: prove the README's "two commands" on fresh machines. For each
# RELEASE (default: bookworm noble) it debootstraps a fresh amd64 system (Debian:
# main, CODENAME-updates and security; Ubuntu: main and universe with -updates and
# -security, as a fresh install has), adds only Rust to it (this machine's toolchain,
# ~/.rustup and ~/.cargo/bin bind-mounted read-only, because rustup cannot download
# one here; plus what rustup's own installer asks for: a C linker, gcc + libc6-dev,
# and ca-certificates for crates.io), clones this repository's committed HEAD into it
# and runs the README's two commands, in its order, as root in the chroot with an
# empty cargo registry (crates come from crates.io):
#     scripts/test.sh
#     cargo run --release -- plan
# Both run and both must pass: test.sh installs what upcycle and the tests need itself
# (apt, and on trixie and noble Debian 12's netboot images fetched and verified into
# /var/cache/upcycle; on noble Debian 12's chromium .debs, fetched and verified the same
# way); plan needs shellcheck from it (its bundles are checked).
# Prints one PASS/FAIL line a release (with the durations of its steps) and
# "N passed, M failed"; the full output of each release is in WORKDIR/RELEASE.log.
#
# Usage (as root): scripts/e2e/fresh-machine.sh [OPTIONS] [RELEASE...]
#   RELEASE         bookworm | trixie | noble (default: bookworm noble)
# Options:
#   --workdir DIR   where the chroots and logs go (default: a new temp dir; the logs
#                   are kept, the chroots removed at exit)
#   --keep          keep the chroots (unmounted) for a look afterwards
#   --tmpfs SIZE    build each chroot in a tmpfs of SIZE (e.g. 12G; about 7 GB are used:
#                   the system, chromium, the release and the test builds) instead of
#                   on disk; it is unmounted at exit (--keep does not apply). The
#                   test erase::the_boot_disk_and_a_partition_are_refused then fails:
#                   it needs / on a disk (in a tmpfs chroot no disk holds /; upcycle
#                   refuses the host's disk only as mounted, for the bind-mounted Rust)
#   --timeout T     limit for the two commands of one release, minutes (or Ns / Nm);
#                   default 60m
#   --repo DIR      the repository to clone (default: this checkout); its HEAD commit
#                   is what is tested, uncommitted changes are not
# Environment: DEBIAN_MIRROR (default: this machine's .../debian source, else
# http://deb.debian.org/debian), UBUNTU_MIRROR (default http://archive.ubuntu.com/ubuntu),
# RUSTUP_HOME and CARGO_HOME (default ~/.rustup, ~/.cargo): the toolchain to add.
# The .debs debootstrap fetches are kept in /var/cache/upcycle-e2e/fresh-machine/ (the
# next run needs not fetch them again; it still checks their signatures).
# Mounts /proc, /sys, /dev (and /dev/pts, /dev/shm) in each chroot; everything is
# unmounted at exit, also on an interrupt. Exit: 0 all passed, 1 a release failed,
# 2 error (not root, bad arguments, debootstrap failed).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prog=fresh-machine
# shellcheck source=scripts/lib.sh
. "$here/../lib.sh"

workdir=""
keep=0
tmpfs_size=""
timeout_arg=60m
repo=$(cd "$here/../.." && pwd)
releases=()
while (($#)); do
    case $1 in
        --workdir) need_value "$1" $#; workdir=$2; shift 2 ;;
        --keep) keep=1; shift ;;
        --tmpfs) need_value "$1" $#; tmpfs_size=$2; shift 2 ;;
        --timeout) need_value "$1" $#; timeout_arg=$2; shift 2 ;;
        --repo) need_value "$1" $#; repo=$2; shift 2 ;;
        -h | --help) show_help ;;
        bookworm | trixie | noble) releases+=("$1"); shift ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done
((${#releases[@]})) || releases=(bookworm noble)
timeout_s=$(timeout_seconds "$timeout_arg") || die "--timeout must be at least 1 minute"
((EUID == 0)) || die "needs root (debootstrap, chroot, mounts)"
rustup_home=${RUSTUP_HOME:-$HOME/.rustup}
cargo_home=${CARGO_HOME:-$HOME/.cargo}
[[ -x $cargo_home/bin/cargo && -d $rustup_home/toolchains ]] ||
    die "no Rust toolchain in $rustup_home with $cargo_home/bin/cargo (set RUSTUP_HOME, CARGO_HOME)"
git -C "$repo" rev-parse --verify -q HEAD >/dev/null || die "$repo is not a git checkout"
need_command debootstrap debootstrap
need_command gpgv gpgv

use_workdir fresh-machine
cache=/var/cache/upcycle-e2e/fresh-machine
mkdir -p "$cache"
debian_mirror=${DEBIAN_MIRROR:-$(detect_mirror '*/debian' || echo http://deb.debian.org/debian)}
debian_mirror=${debian_mirror%/}
ubuntu_mirror=${UBUNTU_MIRROR:-http://archive.ubuntu.com/ubuntu}
ubuntu_mirror=${ubuntu_mirror%/}

# --- cleanup: unmount everything under the chroots, remove them ------------------
chroots=()
# shellcheck disable=SC2317  # called from the EXIT trap and below
unmount_chroot() {
    local root=$1 m pid
    # Processes a test left behind in the chroot (dnsmasq, chromium) hold its mounts.
    for pid in /proc/[0-9]*; do
        if [[ $(readlink "$pid/root" 2>/dev/null) == "$root" ]]; then
            kill -KILL "${pid#/proc/}" 2>/dev/null || true
        fi
    done
    while read -r m; do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done < <(findmnt -rn -o TARGET | grep -F "$root/" | sort -r)
    if mountpoint -q "$root"; then
        umount "$root" 2>/dev/null || umount -l "$root" 2>/dev/null || true
    fi
}
# shellcheck disable=SC2317  # called from the EXIT trap
cleanup() {
    local root
    for root in "${chroots[@]}"; do
        unmount_chroot "$root"
        if findmnt -rn -o TARGET | grep -F "$root/" >/dev/null; then
            note "still mounted under $root: not removed"
        elif ((keep)) && [[ -z $tmpfs_size ]]; then
            note "chroot kept: $root"
        else
            rm -rf --one-file-system "$root"
        fi
    done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ubuntu_keyring: Ubuntu's archive key: the host's, the package e2e's cache, else the
# ubuntu-keyring package of Debian trixie (private APT, signature checked); prints a
# path, or returns 1.
ubuntu_keyring() {
    local k w
    for k in /usr/share/keyrings/ubuntu-archive-keyring.gpg /var/cache/upcycle-e2e/keyrings/ubuntu-archive-keyring.gpg \
        "$cache/ubuntu-archive-keyring.gpg"; do
        if [[ -s $k ]]; then printf '%s\n' "$k"; return 0; fi
    done
    w=$(mktemp -d "${TMPDIR:-/tmp}/upcycle-ubuntu-keyring.XXXXXX")
    private_apt "$w" amd64 "deb [signed-by=$DEBIAN_KEYRING] $debian_mirror trixie main"
    if private_apt_update "$w/update.log" && (cd "$w" && "${PRIVATE_APT[@]}" -q download ubuntu-keyring) >>"$w/update.log" 2>&1 &&
        dpkg-deb -x "$w"/ubuntu-keyring_*.deb "$w/x" && [[ -s $w/x/usr/share/keyrings/ubuntu-archive-keyring.gpg ]]; then
        cp "$w/x/usr/share/keyrings/ubuntu-archive-keyring.gpg" "$cache/ubuntu-archive-keyring.gpg"
        rm -rf "$w"
        printf '%s\n' "$cache/ubuntu-archive-keyring.gpg"
        return 0
    fi
    rm -rf "$w"
    return 1
}

# root_env ROOT: set ROOT_CMD, the command prefix that runs a command in the chroot with
# the environment of a fresh login of root that has Rust (rustup's PATH line), nothing
# else of this machine's.
root_env() {
    ROOT_CMD=(chroot "$1" /usr/bin/env -i HOME=/root USER=root LOGNAME=root TERM=dumb LANG=C.UTF-8
        PATH=/root/.cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
        RUSTUP_HOME=/root/.rustup CARGO_HOME=/root/.cargo)
}
# in_root ROOT CMD...: CMD in the chroot (root_env).
# shellcheck disable=SC2317  # called through step
in_root() {
    root_env "$1"
    shift
    "${ROOT_CMD[@]}" "$@"
}

# step LOG NAME CMD...: run CMD, output to LOG; note its duration in $steps; return its status.
step() {
    local log=$1 name=$2 t0 rc=0
    shift 2
    t0=$(date +%s)
    printf '\n===== %s: %s\n' "$name" "$*" >>"$log"
    "$@" >>"$log" 2>&1 </dev/null || rc=$?
    steps+="${steps:+, }$name $(($(date +%s) - t0)) s"
    ((rc == 0)) || steps+=" (exit $rc)"
    return "$rc"
}

# one_release CODENAME: the whole proof for one release; returns 0 (pass), 1 (fail) or 2.
one_release() {
    local codename=$1 family=debian mirror components=main script="" keyring=() root log sources suites
    root=$workdir/$codename/root
    log=$workdir/$codename.log
    : >"$log"
    steps=""
    case $codename in
        noble)
            family=ubuntu mirror=$ubuntu_mirror components=main,universe
            [[ -e /usr/share/debootstrap/scripts/noble ]] || script=/usr/share/debootstrap/scripts/gutsy
            local k
            k=$(ubuntu_keyring) || { note "no Ubuntu archive key to check noble with"; return 2; }
            keyring=(--keyring="$k")
            ;;
        *) mirror=$debian_mirror keyring=(--keyring="$DEBIAN_KEYRING") ;;
    esac
    if [[ -e $root ]]; then
        unmount_chroot "$root"
        rm -rf --one-file-system "$root"
    fi
    mkdir -p "$root" "$cache/debs-$codename"
    chroots+=("$root")
    # The chroot's / is a mount point, as a machine's is: `unshare -m` (the tests) makes
    # / private and fails with "cannot change root filesystem propagation: Invalid
    # argument" on a plain directory; and `erase` finds the disk holding / in
    # /proc/self/mountinfo, where a plain directory's disk does not show as /.
    if [[ -n $tmpfs_size ]]; then
        mount -t tmpfs -o "size=$tmpfs_size,mode=0755" "fresh-$codename" "$root" || return 2
    else
        mount --bind "$root" "$root" || return 2
    fi
    note "$codename: debootstrap from $mirror (log: $log)"
    step "$log" debootstrap debootstrap --arch=amd64 --components="$components" "${keyring[@]}" \
        --cache-dir="$cache/debs-$codename" "$codename" "$root" "$mirror" ${script:+"$script"} || return 2

    # The sources of a fresh install of that release.
    if [[ $family == ubuntu ]]; then
        sources="Types: deb
URIs: $mirror
Suites: $codename $codename-updates $codename-security
Components: main universe
Signed-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg"
    else
        suites="$codename-security"
        sources="Types: deb
URIs: $mirror
Suites: $codename $codename-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${mirror%/debian}/debian-security
Suites: $suites
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"
    fi
    rm -f "$root/etc/apt/sources.list"
    printf '%s\n' "$sources" >"$root/etc/apt/sources.list.d/$family.sources"
    cp /etc/resolv.conf "$root/etc/resolv.conf"
    printf '%s\n' "fresh-$codename" >"$root/etc/hostname"

    mount -t proc proc "$root/proc"
    mount -t sysfs sysfs "$root/sys"
    mount --rbind /dev "$root/dev"
    mount --make-rslave "$root/dev"
    # Rust: this machine's toolchain, read-only; an empty cargo registry of its own.
    mkdir -p "$root/root/.rustup" "$root/root/.cargo/bin"
    mount --bind "$rustup_home" "$root/root/.rustup"
    mount -o remount,bind,ro "$root/root/.rustup"
    mount --bind "$cargo_home/bin" "$root/root/.cargo/bin"
    mount -o remount,bind,ro "$root/root/.cargo/bin"
    step "$log" apt-update in_root "$root" apt-get -q update || return 2
    step "$log" rust-prerequisites in_root "$root" env DEBIAN_FRONTEND=noninteractive \
        apt-get -q -y install gcc libc6-dev ca-certificates || return 2
    # The local CA certificates this machine trusts (/usr/local/share/ca-certificates):
    # where the network reaches crates.io through a TLS proxy, a fresh machine on it is
    # set up with them too, or cargo cannot fetch a crate.
    if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
        cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
        step "$log" local-ca in_root "$root" update-ca-certificates || return 2
    fi
    step "$log" rustc-version in_root "$root" cargo --version || return 2

    git clone -q --no-hardlinks "$repo" "$root/root/upcycle" >>"$log" 2>&1 || return 2
    note "$codename: cloned $(git -C "$root/root/upcycle" log --oneline -1 | cut -c1-60)"
    local rc=0
    # The README's two commands, in the clone, in its order, each under the time limit;
    # both run whatever the first did, and both must pass.
    root_env "$root"
    local in_clone=(timeout --kill-after=1m "$timeout_s" "${ROOT_CMD[@]}" /bin/sh -c 'cd /root/upcycle && exec "$@"' sh)
    note "$codename: scripts/test.sh"
    step "$log" test.sh "${in_clone[@]}" scripts/test.sh || rc=1
    note "$codename: cargo run --release -- plan"
    step "$log" plan "${in_clone[@]}" cargo run --release -- plan || rc=1
    # What test.sh said it did, for the summary.
    grep -E '^test\.sh: (installing|installed|verified|fetched|unpacked|cached|warning|chromium|this release)|^test result|passed, [0-9]+ failed' "$log" |
        sed 's/^/    /' || true
    return "$rc"
}

for codename in "${releases[@]}"; do
    t0=$(date +%s)
    rc=0
    one_release "$codename" || rc=$?
    case $rc in
        0) report PASS "$codename: both commands passed in $(($(date +%s) - t0)) s ($steps)" ;;
        1) report FAIL "$codename: after $(($(date +%s) - t0)) s ($steps); see $workdir/$codename.log" ;;
        *) report ERROR "$codename: set-up failed after $(($(date +%s) - t0)) s ($steps); see $workdir/$codename.log" ;;
    esac
    unmount_chroot "$workdir/$codename/root"
done
note "logs: $workdir"
report_summary
