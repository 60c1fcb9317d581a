#!/usr/bin/env bash
# scripts/e2e/packages.sh - prove that every profile's FULL package set installs
# together on its release and architecture, with the real package manager.
#
# Usage: scripts/e2e/packages.sh [--full PROFILE]... [--bundle DIR]... [--only PROFILE]...
#            [--cache DIR] [--postinstall FILE] [--debconf FILE] [--machine PATH]...
#            [--no-order-check] [--jobs N] [--keep]
#
# For every profile of `upcycle profiles list` (or only those given with --only):
#   1. selection: `upcycle select MACHINE --format json --policy {pin: PROFILE}`
#      for every captured machine (tests/fixtures/machines/*/root, or the
#      --machine paths); the machines the pin is honoured for (chosen.profile
#      == PROFILE) all count, and their package sets are united: that is the
#      profile's full set (kernel flavour(s), task-<t> for each desktop task,
#      the Ubuntu desktop source as a package, desktop packages, apps, packages,
#      firmware packages);
#   2. chroot: `debootstrap` of the profile's release and architecture (one per
#      release/arch, shared by the profiles that simulate), sources with all
#      components (Debian: main contrib non-free non-free-firmware, Ubuntu:
#      main restricted universe multiverse) and the -updates and -security
#      suites, then `apt-get update` inside;
#   3. simulate: `apt-get --simulate install SET` inside the chroot. PASS when
#      apt finds a solution. On FAIL apt's explanation is printed, and each
#      package is then tried alone and added one by one to name the culprit.
#   4. --full PROFILE: in a fresh chroot, really `apt-get install` the set
#      (DEBIAN_FRONTEND=noninteractive, /usr/sbin/policy-rc.d exits 101 so no
#      service starts), then check `dpkg --audit` is clean and every requested
#      package is "install ok installed". --debconf FILE: debconf-set-selections
#      lines loaded into the chroot first (the answers an installer preseeds,
#      e.g. `firmware-ipw2x00 firmware-ipw2x00/license/accepted boolean true`);
#      without it every question gets its default, as with DEBIAN_FRONTEND=
#      noninteractive and no preseed.
#   5. --postinstall FILE (HOOK for the generated postinstall.sh; applies to
#      the --full profiles): FILE is copied into the full chroot and run with
#      bash twice. Contract: the script prints a line
#          upcycle-postinstall: changed N
#      (N = number of changes it made). Both runs must exit 0, both must print
#      that line, and the second must report `changed 0` (idempotence).
#   6. --bundle DIR (a Debian bundle of `upcycle generate`): the bundle's profile
#      is fully installed the way its installer would: the bundle's own package
#      selection (not the profile's union over all machines) in d-i's order,
#      the kernel of base-installer/kernel/image, then the tasksel tasks of
#      tasksel/first (`tasksel --task-packages`, "standard" included; tasksel
#      itself installed first where the base lacks it, as d-i's pkgsel does), then
#      pkgsel/include, each in its own apt-get run; the debconf answers are the
#      preseed.cfg's package lines (every line whose owner is not d-i); the
#      first account (passwd/*) and /etc/hostname are made as d-i makes them;
#      then the bundle's postinstall.sh is the hook of 5 (run 1 with
#      --installer, as the preseed's late_command runs it; run 2 without).
#      scripts/e2e/packages-ci.sh generates two bundles and calls this (CI).
#
# --no-order-check skips the reverse/sorted simulations (finding P1's check).
# --jobs N works on up to N release/arch chroots at the same time (default 1).
#
# Output: one line per profile on stdout,
#   PASS profile (release/arch): N packages, M MiB to download [mode, duration]
#   FAIL profile (release/arch): reason [mode, duration]
# and a final line exactly `N passed, M failed`. Exit 1 on any failure,
# 2 on a usage error. Progress and diagnostics go to stderr; apt's full output
# to the log directory printed at the start ($CACHE/logs/<time>/).
#
# Cache (--cache DIR, default /var/cache/upcycle-e2e), kept between runs:
#   tarballs/<family>-<codename>-<arch>.tgz   debootstrap --make-tarball output
#   apt/<family>-<codename>-<arch>/archives   apt's archive dir (bind-mounted)
#   apt/<family>-<codename>-<arch>/lists      apt's lists (bind-mounted)
#   keyrings/ubuntu-archive-keyring.gpg       Ubuntu's archive key (see below)
#   chroots/                                  work chroots (removed at exit unless --keep)
#   logs/<time>/                              apt and debootstrap logs of each run
#
# Ubuntu's archive key: the host's /usr/share/keyrings/ubuntu-archive-keyring.gpg
# if installed, else the `ubuntu-keyring` package of Debian trixie, fetched with
# a private apt configuration (so checked against Debian's archive key) and
# cached; only if neither works, debootstrap runs with --no-check-gpg and the
# output says so.
#
# Environment:
#   UPCYCLE                 upcycle binary (default target/release/upcycle, built if missing)
#   DEBIAN_MIRROR           Debian mirror (default: the first .../debian URI of /etc/apt)
#   DEBIAN_SECURITY_MIRROR  (default: the first .../debian-security URI of /etc/apt,
#                           else DEBIAN_MIRROR with -security appended)
#   UBUNTU_MIRROR           Ubuntu mirror (default: debootstrap's default for the suite)
#   DEBOOTSTRAP_VARIANT     debootstrap --variant (default: none, i.e. the base
#                           system d-i installs: Priority required + important)
#
# Needs root, debootstrap, jq, zstd (Ubuntu's .debs), mount/umount/chroot.

set -euo pipefail
export LC_ALL=C

prog=packages.sh
die() { echo "$prog: error: $*" >&2; exit 2; }
log() { echo "$prog: $*" >&2; }

usage() {
    sed -n '5,7s/^# //p' "$0" >&2
    echo "See the header of $0 and docs/e2e.md for details." >&2
    exit 2
}

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/../.." && pwd)

# --- arguments -----------------------------------------------------------------
cache=/var/cache/upcycle-e2e
postinstall=
debconf=
dpkg_why=
keep=0
order_check=1
jobs=1
full=()
bundles=()
only=()
machines=()
while [ $# -gt 0 ]; do
    case "$1" in
        --full) [ $# -ge 2 ] || usage; full+=("$2"); shift 2 ;;
        --only) [ $# -ge 2 ] || usage; only+=("$2"); shift 2 ;;
        --cache) [ $# -ge 2 ] || usage; cache=$2; shift 2 ;;
        --postinstall) [ $# -ge 2 ] || usage; postinstall=$2; shift 2 ;;
        --debconf) [ $# -ge 2 ] || usage; debconf=$2; shift 2 ;;
        --machine) [ $# -ge 2 ] || usage; machines+=("$2"); shift 2 ;;
        --bundle) [ $# -ge 2 ] || usage; bundles+=("$2"); shift 2 ;;
        --no-order-check) order_check=0; shift ;;
        --jobs) [ $# -ge 2 ] || usage; jobs=$2; shift 2 ;;
        --keep) keep=1; shift ;;
        -h | --help) usage ;;
        *) echo "$prog: unknown argument: $1" >&2; usage ;;
    esac
done

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot, mount)"
for tool in debootstrap jq zstd chroot mount umount findmnt dpkg-deb apt-get flock; do
    command -v "$tool" >/dev/null 2>&1 || die "missing tool: $tool (apt-get install debootstrap jq zstd)"
done
case "$jobs" in [1-9] | [1-9][0-9]) ;; *) die "--jobs: a number from 1, not '$jobs'" ;; esac
if [ -n "$postinstall" ]; then
    [ -r "$postinstall" ] || die "--postinstall: cannot read $postinstall"
    postinstall=$(cd "$(dirname "$postinstall")" && pwd)/$(basename "$postinstall")
    [ ${#full[@]} -gt 0 ] || die "--postinstall needs at least one --full PROFILE"
fi
if [ -n "$debconf" ]; then
    [ -r "$debconf" ] || die "--debconf: cannot read $debconf"
    debconf=$(cd "$(dirname "$debconf")" && pwd)/$(basename "$debconf")
fi

mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
mkdir -p "$cache/tarballs" "$cache/apt" "$cache/keyrings" "$cache/chroots" "$cache/logs"
exec 9>"$cache/.lock"
flock -n 9 || die "another run holds $cache/.lock"

stamp=$(date -u +%Y%m%dT%H%M%SZ)
logdir=$cache/logs/$stamp
mkdir -p "$logdir"
run=$(mktemp -d "${TMPDIR:-/tmp}/upcycle-e2e.XXXXXX")

# --- cleanup: every mount made here is unmounted, every chroot removed ----------
mounts=()     # mount points, in the order mounted
chroots=()    # chroot dirs created by this run

kill_chroot_procs() { # processes whose root is inside $1 (started by our chroot runs)
    local c=$1 p r pids=() sig
    for sig in TERM KILL; do
        pids=()
        for p in /proc/[0-9]*; do
            r=$(readlink "$p/root" 2>/dev/null) || continue
            case "$r" in "$c" | "$c"/*) pids+=("${p#/proc/}") ;; esac
        done
        [ ${#pids[@]} -gt 0 ] || return 0
        log "ending processes left in $c: ${pids[*]} (SIG$sig)"
        kill -s "$sig" "${pids[@]}" 2>/dev/null || true
        sleep 2
    done
}

umount_under() { # unmount (reverse order) everything we mounted under $1
    local c=$1 i m keepm=()
    kill_chroot_procs "$c"
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
        m=${mounts[i]}
        case "$m" in
            "$c"/*)
                if ! umount "$m" 2>/dev/null; then
                    log "umount $m busy; lazy unmount"
                    umount -l "$m" || keepm+=("$m")
                fi
                ;;
            *) keepm=("$m" "${keepm[@]}") ;;
        esac
    done
    mounts=("${keepm[@]}")
}

remove_chroot() {
    local c=$1
    umount_under "$c"
    if findmnt -rn -o TARGET | grep -qF "$c/"; then
        log "NOT removing $c: something is still mounted below it"
        return 1
    fi
    rm -rf --one-file-system "$c"
}

worker=0      # 1 in a --jobs worker subshell
workers=()    # pids of the --jobs workers
cleanup() {
    local rc=$? c w
    set +e
    if [ "$worker" = 0 ] && [ ${#workers[@]} -gt 0 ]; then
        # interrupted while workers run: end what runs in their chroots (a worker
        # only handles its signal after its current command), then let each
        # worker unmount and remove its own
        kill -TERM "${workers[@]}" 2>/dev/null
        for c in "$cache"/chroots/*."$$".*; do [ -d "$c" ] && kill_chroot_procs "$c"; done
        for w in "${workers[@]}"; do wait "$w"; done
    fi
    for c in "${chroots[@]}"; do
        [ -d "$c" ] || continue
        if [ "$keep" = 1 ]; then
            umount_under "$c"
            log "kept chroot $c"
        else
            remove_chroot "$c"
        fi
    done
    [ "$worker" = 1 ] || rm -rf "$run"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

do_mount() { # do_mount DEST mount-args...
    local dest=$1
    shift
    mkdir -p "$dest"
    mount "$@" "$dest"
    mounts+=("$dest")
}

# --- upcycle binary and profiles -------------------------------------------------
upcycle=${UPCYCLE:-$repo_root/target/release/upcycle}
if [ ! -x "$upcycle" ]; then
    log "building $upcycle (cargo build --release)"
    (cd "$repo_root" && cargo build --release -q) || die "cargo build --release failed"
fi

mapfile -t all_profiles < <("$upcycle" profiles list | awk 'NF {print $1}')
[ ${#all_profiles[@]} -gt 0 ] || die "upcycle profiles list printed no profile"
profiles=()
if [ ${#only[@]} -gt 0 ]; then profiles=("${only[@]}"); else profiles=("${all_profiles[@]}"); fi
for p in "${profiles[@]}" "${full[@]}"; do
    printf '%s\n' "${all_profiles[@]}" | grep -qxF -- "$p" || die "unknown profile: $p"
done
# --full profiles are checked even when --only leaves them out
for p in "${full[@]}"; do
    printf '%s\n' "${profiles[@]}" | grep -qxF -- "$p" || profiles+=("$p")
done

# --- bundles: what a generated bundle's installer would install and answer ------
# preseed_lines FILE: the preseed with continuation lines joined, no comments/blanks
preseed_lines() {
    awk '{ if (sub(/\\$/, "")) { buf = buf $0; next } print buf $0; buf = "" } END { if (buf != "") print buf }' "$1" |
        grep -v -E '^[[:space:]]*(#|$)' || true
}
# preseed_value FILE QUESTION: the value of QUESTION (any owner), empty if absent
preseed_value() {
    preseed_lines "$1" | awk -v q="$2" '$2 == q { $1 = $2 = $3 = ""; sub(/^ +/, ""); print; exit }'
}
declare -A bundle_of=()
for b in "${bundles[@]}"; do
    [ -d "$b" ] || die "--bundle: no such directory: $b"
    b=$(cd "$b" && pwd)
    for f in preseed.cfg postinstall.sh selection.yaml; do
        [ -r "$b/$f" ] || die "--bundle $b: no $f (only Debian bundles of 'upcycle generate' can be installed here)"
    done
    p=$(awk '/^chosen:/ { c = 1; next } c && /^[^ ]/ { exit } c && $1 == "profile:" { print $2; exit }' "$b/selection.yaml")
    [ -n "$p" ] || die "--bundle $b: selection.yaml names no chosen.profile"
    printf '%s\n' "${all_profiles[@]}" | grep -qxF -- "$p" || die "--bundle $b: unknown profile $p"
    [ -z "${bundle_of[$p]:-}" ] || die "--bundle: two bundles of profile $p (${bundle_of[$p]}, $b)"
    bundle_of[$p]=$b
    printf '%s\n' "${profiles[@]}" | grep -qxF -- "$p" || profiles+=("$p")
done
is_full() { [ -n "${bundle_of[$1]:-}" ] || printf '%s\n' "${full[@]}" | grep -qxF -- "$1"; }

if [ ${#machines[@]} -eq 0 ]; then
    for m in "$repo_root"/tests/fixtures/machines/*/root; do
        [ -d "$m" ] && machines+=("$m")
    done
fi
[ ${#machines[@]} -gt 0 ] || die "no machine captures found (tests/fixtures/machines/*/root)"

# Packages whose maintainer script downloads from outside the distribution's
# archive at install time: a sandbox without internet cannot run it, so the
# full install leaves them out (they are still simulated, and named in the output).
full_skip=(firmware-b43-installer firmware-b43legacy-installer ttf-mscorefonts-installer)

# --- selection: union over every machine the pin is honoured for ----------------
select_profile() { # select_profile PROFILE -> $run/sel/PROFILE.json, or return 1
    local p=$1 m name out
    out=$run/sel/$p
    mkdir -p "$out"
    printf 'pin: %s\n' "$p" >"$out/policy.yaml"
    for m in "${machines[@]}"; do
        name=$(basename "$m")
        if [ "$name" = root ]; then name=$(basename "$(dirname "$m")"); fi
        name=${name%.*}
        if "$upcycle" select "$m" --format json --policy "$out/policy.yaml" -q \
            >"$out/m-$name.json" 2>"$out/m-$name.err" &&
            jq -e --arg p "$p" '.chosen.profile == $p' "$out/m-$name.json" >/dev/null 2>&1; then
            :
        else
            rm -f "$out/m-$name.json"
        fi
    done
    compgen -G "$out/m-*.json" >/dev/null || return 1
    local names
    names=$(cd "$out" && printf '%s\n' m-*.json | sed 's/^m-//; s/\.json$//' | paste -sd' ')
    jq -s --arg names "$names" '
      def u(f): [.[] | .chosen | f // [] | if type == "array" then .[] else . end] | unique;
      {
        profile: .[0].chosen.profile,
        family: .[0].chosen.family,
        codename: .[0].chosen.codename,
        arch: .[0].chosen.arch,
        machines: ($names | split(" ")),
        kernels: u(.kernel_flavour),
        tasks: u(.desktop_tasks),
        desktop_source: u(.desktop_source),
        desktop_packages: u(.desktop_packages),
        apps: u(.apps),
        packages: u(.packages),
        firmware: u(.firmware_packages)
      }
      # the order an installer uses: kernel, desktop, apps, packages, firmware
      | .set = ([.kernels[], (.tasks[] | "task-" + .), .desktop_source[],
                 .desktop_packages[], .apps[], .packages[], .firmware[]]
                | reduce .[] as $x ([]; if any(.[]; . == $x) then . else . + [$x] end))
    ' "$out"/m-*.json >"$run/sel/$p.json"
    # all machines must agree on release and arch
    local n
    n=$(jq -s '[.[] | .chosen | "\(.family)/\(.codename)/\(.arch)"] | unique | length' "$out"/m-*.json)
    [ "$n" = 1 ] || { log "$p: machines disagree on release/arch"; return 1; }
}

# --- mirrors and keys ------------------------------------------------------------
detect_uri() { # detect_uri SUFFIX: first URI of /etc/apt ending in SUFFIX (/debian, /debian-security)
    local suffix=$1 f uri
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] || continue
        # shellcheck disable=SC2013  # URIs are whitespace-separated words
        for uri in $(sed -n 's/^URIs:[[:space:]]*//p' "$f"); do
            case "${uri%/}" in *"$suffix") echo "${uri%/}"; return 0 ;; esac
        done
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -r "$f" ] || continue
        # shellcheck disable=SC2013
        for uri in $(sed -n -E 's/^[[:space:]]*deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\2/p' "$f"); do
            case "${uri%/}" in *"$suffix") echo "${uri%/}"; return 0 ;; esac
        done
    done
    return 1
}
debian_mirror=${DEBIAN_MIRROR:-$(detect_uri /debian || true)}
debian_mirror=${debian_mirror%/}
debian_security=${DEBIAN_SECURITY_MIRROR:-$(detect_uri /debian-security || true)}
if [ -z "$debian_security" ] && [ -n "$debian_mirror" ]; then debian_security=$debian_mirror-security; fi
ubuntu_mirror=${UBUNTU_MIRROR:-}
ubuntu_mirror=${ubuntu_mirror%/}

ubuntu_keyring() { # prints a keyring path, or nothing (then: --no-check-gpg)
    local k=$cache/keyrings/ubuntu-archive-keyring.gpg w
    if [ -s /usr/share/keyrings/ubuntu-archive-keyring.gpg ]; then
        echo /usr/share/keyrings/ubuntu-archive-keyring.gpg
        return 0
    fi
    if [ -s "$k" ]; then echo "$k"; return 0; fi
    [ -n "$debian_mirror" ] || return 0
    w=$run/ubuntu-keyring
    mkdir -p "$w/lists/partial" "$w/archives/partial" "$w/parts"
    chmod -R 0755 "$w"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $debian_mirror trixie main" >"$w/sources.list"
    local o=(-o "Dir::Etc::SourceList=$w/sources.list" -o "Dir::Etc::SourceParts=$w/parts"
        -o "Dir::State::Lists=$w/lists" -o "Dir::State::status=/dev/null"
        -o "Dir::Cache=$w" -o "Dir::Cache::Archives=$w/archives"
        -o "Acquire::Languages=none" -o "APT::Sandbox::User=root" -q)
    if apt-get "${o[@]}" update >"$logdir/ubuntu-keyring.log" 2>&1 &&
        (cd "$w" && apt-get "${o[@]}" download ubuntu-keyring) >>"$logdir/ubuntu-keyring.log" 2>&1; then
        dpkg-deb -x "$w"/ubuntu-keyring_*.deb "$w/x"
        if [ -s "$w/x/usr/share/keyrings/ubuntu-archive-keyring.gpg" ]; then
            cp "$w/x/usr/share/keyrings/ubuntu-archive-keyring.gpg" "$k"
            cp "$w"/ubuntu-keyring_*.deb "$cache/keyrings/"
            echo "$k"
        fi
    fi
}

# --- chroots ---------------------------------------------------------------------
# debootstrap script for a suite: its own, else the family's generic one
# (an older debootstrap has no `noble` script; noble is a gutsy-style suite).
debootstrap_script() {
    local family=$1 codename=$2 d=/usr/share/debootstrap/scripts
    if [ -e "$d/$codename" ]; then echo "$d/$codename"
    elif [ "$family" = ubuntu ]; then echo "$d/gutsy"
    else echo "$d/sid"; fi
}

# the mirror a debootstrap script falls back to (amd64/i386, current releases)
default_mirror_of() {
    sed -n 's/^[[:space:]]*default_mirror[[:space:]]\{1,\}//p' "$1" | grep -v 'old-releases\|ports' | head -n1
}

# make_chroot FAMILY CODENAME ARCH -> sets CH to the chroot dir; apt updated, caches bound
CH=
CH_NOTE=
culprits=()
make_chroot() {
    local family=$1 codename=$2 arch=$3 key=$1-$2-$3
    local tgz=$cache/tarballs/$key.tgz c mirror script kr opts=()
    CH=
    script=$(debootstrap_script "$family" "$codename")
    if [ "$family" = ubuntu ]; then
        mirror=${ubuntu_mirror:-$(default_mirror_of "$script")}
        kr=$(ubuntu_keyring)
        if [ -n "$kr" ]; then
            opts+=("--keyring=$kr")
        else
            opts+=(--no-check-gpg)
            log "WARNING: no Ubuntu archive key (no ubuntu-keyring package): debootstrap of $codename runs with --no-check-gpg; apt inside the chroot then checks with the chroot's own ubuntu-keyring"
        fi
    else
        mirror=${debian_mirror:-$(default_mirror_of "$script")}
        opts+=(--keyring=/usr/share/keyrings/debian-archive-keyring.gpg)
    fi
    [ -n "${DEBOOTSTRAP_VARIANT:-}" ] && opts+=("--variant=$DEBOOTSTRAP_VARIANT")
    [ -n "$mirror" ] || { log "$key: no mirror known; set ${family^^}_MIRROR"; return 1; }

    if [ ! -s "$tgz" ]; then
        log "$key: debootstrap --make-tarball (first run only; log $logdir/debootstrap-$key.log)"
        local tmp=$cache/chroots/mk-$key.$$
        chroots+=("$tmp")
        debootstrap --arch="$arch" "${opts[@]}" --make-tarball="$tgz.part" "$codename" "$tmp" "$mirror" "$script" \
            >>"$logdir/debootstrap-$key.log" 2>&1 || { tail -n 20 "$logdir/debootstrap-$key.log" >&2; return 1; }
        mv "$tgz.part" "$tgz"
        remove_chroot "$tmp"
    fi

    c=$cache/chroots/$key.$$.${#chroots[@]}
    chroots+=("$c")
    log "$key: unpacking chroot $c"
    debootstrap --arch="$arch" "${opts[@]}" --unpack-tarball="$tgz" "$codename" "$c" "$mirror" "$script" \
        >>"$logdir/debootstrap-$key.log" 2>&1 || { tail -n 20 "$logdir/debootstrap-$key.log" >&2; return 1; }

    # sources: the mirror debootstrap used, all components, -updates and -security
    local used
    used=$(awk '$1 == "deb" {print $2; exit}' "$c/etc/apt/sources.list")
    [ -n "$used" ] || { log "$key: no mirror in the chroot's sources.list"; return 1; }
    if [ "$family" = ubuntu ]; then
        local comps="main restricted universe multiverse"
        printf 'deb %s %s %s\n' "$used" "$codename" "$comps" "$used" "$codename-updates" "$comps" \
            "$used" "$codename-security" "$comps" >"$c/etc/apt/sources.list"
    else
        local comps="main contrib non-free non-free-firmware" sec=${debian_security:-$used-security}
        printf 'deb %s %s %s\n' "$used" "$codename" "$comps" "$used" "$codename-updates" "$comps" \
            "$sec" "$codename-security" "$comps" >"$c/etc/apt/sources.list"
    fi
    cat >"$c/etc/apt/apt.conf.d/99upcycle-e2e" <<'EOF'
// upcycle e2e: quiet, retrying, keep downloaded .debs for the cache
Acquire::Languages "none";
Acquire::Retries "3";
APT::Keep-Downloaded-Packages "true";
Binary::apt::APT::Keep-Downloaded-Packages "true";
Dpkg::Use-Pty "false";
EOF
    rm -f "$c/etc/apt/apt.conf.d/docker-clean"
    # throwaway chroot: no fsync per file
    mkdir -p "$c/etc/dpkg/dpkg.cfg.d"
    echo force-unsafe-io >"$c/etc/dpkg/dpkg.cfg.d/upcycle-e2e"
    printf '#!/bin/sh\n# upcycle e2e: start no service in this chroot\nexit 101\n' >"$c/usr/sbin/policy-rc.d"
    chmod 0755 "$c/usr/sbin/policy-rc.d"
    cp /etc/resolv.conf "$c/etc/resolv.conf" 2>/dev/null || true

    mkdir -p "$cache/apt/$key/archives/partial" "$cache/apt/$key/lists/partial"
    do_mount "$c/proc" -t proc proc
    do_mount "$c/sys" -t sysfs -o ro sysfs
    do_mount "$c/dev/pts" -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts
    do_mount "$c/var/cache/apt/archives" --bind "$cache/apt/$key/archives"
    do_mount "$c/var/lib/apt/lists" --bind "$cache/apt/$key/lists"

    # apt-get update; one retry. An index of the -updates or -security suite
    # that still fails (e.g. a mirror mid-sync) is reported and left out; one of
    # the release itself fails the chroot.
    local ulog=$logdir/apt-update-$key.log try failed
    CH_NOTE=
    for try in 1 2; do
        if in_chroot "$c" apt-get -q update >"$ulog" 2>&1 && ! grep -q '^[WE]: Failed to fetch' "$ulog"; then
            break
        fi
        [ "$try" = 2 ] || { log "$key: apt-get update had errors; retrying in 20 s"; sleep 20; }
    done
    failed=$(sed -n -E 's#^[WE]: Failed to fetch [^ ]*/dists/([^/]+)/([^/]+)/.*#\1/\2#p' "$ulog" | sort -u | paste -sd' ')
    if [ -n "$failed" ] || grep -q '^E: ' "$ulog"; then
        if [ -z "$failed" ] || tr ' ' '\n' <<<"$failed" | grep -q "^$codename/"; then
            grep '^[WE]: ' "$ulog" | sed 's/^/    /' >&2
            log "$key: apt-get update failed"
            return 1
        fi
        CH_NOTE="index of $failed failed to download, left out"
        log "$key: WARNING: $CH_NOTE:"
        grep -A1 '^[WE]: Failed to fetch' "$ulog" | sed 's/^/    /' >&2
    fi
    CH=$c
}

in_chroot() { # in_chroot DIR CMD...
    local c=$1
    shift
    chroot "$c" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C \
        DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true "$@"
}

fmt_dur() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

# --- simulate --------------------------------------------------------------------
apt_says() { # the interesting lines of an apt output (stdin)
    sed -n '/unmet dependencies:/,$p; /^E: /p' | awk '!seen[$0]++' | sed 's/^/    /'
}

# apt_sim DIR PKGS...: does `apt-get -s install PKGS` (in this order) find a solution?
apt_sim() {
    local c=$1
    shift
    in_chroot "$c" apt-get -s -q install "$@" >/dev/null 2>&1
}

# minimal_failing DIR PKGS...: the last of PKGS breaks the set; drop every other
# package whose removal keeps it failing (order kept) and print what is left.
minimal_failing() {
    local c=$1 q k
    shift
    local -a kept=("$@") trial
    for q in "${@:1:$(($# - 1))}"; do
        trial=()
        for k in "${kept[@]}"; do [ "$k" = "$q" ] || trial+=("$k"); done
        if ! apt_sim "$c" "${trial[@]}"; then kept=("${trial[@]}"); fi
    done
    echo "${kept[*]}"
}

# explain_failure DIR LOG PKGS...: print apt's explanation and name the culprit(s):
# a package that does not install even alone, else the first package that,
# added in order, breaks the set, with a minimal set of packages it fails with.
explain_failure() {
    local c=$1 lg=$2 p out good=() bad=0 min
    shift 2
    echo "  apt says:" >&2
    apt_says <"$lg" >&2
    for p in "$@"; do
        if ! out=$(in_chroot "$c" apt-get -s -q install "$p" 2>&1); then
            bad=1
            echo "  culprit: $p does not install even alone:" >&2
            printf '%s\n' "$out" | apt_says >&2
        fi
    done
    [ "$bad" = 0 ] || return 0
    for p in "$@"; do
        if apt_sim "$c" "${good[@]}" "$p"; then
            good+=("$p")
        else
            min=$(minimal_failing "$c" "${good[@]}" "$p")
            echo "  culprit: $p installs alone but not after the packages before it; smallest failing list (in this order): $min" >&2
            # shellcheck disable=SC2086  # $min is a list of package names
            in_chroot "$c" apt-get -s -q install $min 2>&1 | apt_says >&2
            culprits+=("$min")
        fi
    done
}

# simulate DIR PROFILE -> sets sim_pkgs, sim_mib, sim_note; returns 1 on failure
simulate() {
    local c=$1 p=$2 lg rev=() i min
    lg=$logdir/$p-simulate.log
    local -a set
    mapfile -t set < <(jq -r '.set[]' "$run/sel/$p.json")
    sim_note=
    culprits=()
    if ! in_chroot "$c" apt-get -s -q install "${set[@]}" >"$lg" 2>&1; then
        explain_failure "$c" "$lg" "${set[@]}"
        sim_note="apt finds no solution${culprits[*]:+ for: ${culprits[*]}} (see $lg)"
        return 1
    fi
    sim_pkgs=$(sed -n -E 's/^[0-9]+ upgraded, ([0-9]+) newly installed.*/\1/p' "$lg" | tail -n1)
    local rm
    rm=$(awk '$1 == "Remv" {print $2}' "$lg" | tr '\n' ' ')
    [ -z "$rm" ] || sim_note="removes: ${rm% }"
    # apt's resolver depends on the order of the request: the same set in
    # reverse order (apps and firmware before the desktop) and sorted by name
    # (as a generator that keeps a sorted set may write it) must solve too, or
    # an installer that lists them so breaks. Reported, not failed.
    local order olog
    local -a perm
    for ((i = ${#set[@]} - 1; i >= 0; i--)); do rev+=("${set[i]}"); done
    local orders=(reverse sorted)
    [ "$order_check" = 1 ] || orders=()   # --no-order-check
    for order in "${orders[@]}"; do
        if [ "$order" = reverse ]; then perm=("${rev[@]}"); else mapfile -t perm < <(printf '%s\n' "${set[@]}" | sort); fi
        olog=$logdir/$p-simulate-$order.log
        in_chroot "$c" apt-get -s -q install "${perm[@]}" >"$olog" 2>&1 && continue
        log "$p: WARNING: the same set in $order order finds no solution:"
        apt_says <"$olog" >&2
        min=$(order_culprit "$c" "${perm[@]}")
        log "$p: smallest failing list (in this order): $min"
        sim_note="${sim_note:+$sim_note; }ORDER-DEPENDENT: 'apt-get install $min' ($order order) finds no solution"
    done
    # download size: every .deb's size, as if nothing were cached
    mkdir -p "$c/tmp/upcycle-empty-archives/partial"
    sim_mib=$(in_chroot "$c" apt-get -qq --print-uris -o Dir::Cache::Archives=/tmp/upcycle-empty-archives/ \
        install "${set[@]}" 2>/dev/null | awk '$1 ~ /^'"'"'/ {s += $3} END {printf "%.0f", s / 1048576}')
    rm -rf "$c/tmp/upcycle-empty-archives"
}

# order_culprit DIR PKGS...: the first prefix of PKGS that fails, minimised
order_culprit() {
    local c=$1 p
    shift
    local -a good=()
    for p in "$@"; do
        if apt_sim "$c" "${good[@]}" "$p"; then good+=("$p"); else
            minimal_failing "$c" "${good[@]}" "$p"
            return 0
        fi
    done
    echo "(no single prefix fails)"
}

# --- full install ----------------------------------------------------------------
# explain_dpkg_errors LOG: print what dpkg says about each package it failed on;
# sets dpkg_why to a one-line summary
explain_dpkg_errors() {
    local lg=$1 pkg why
    local -a pkgs
    dpkg_why=
    mapfile -t pkgs < <(sed -n -E 's#^dpkg: error processing (archive|package) ([^ ]*/[0-9]+-)?([^_ ]+)[_ ].*#\3#p' "$lg" | awk '!seen[$0]++')
    if [ ${#pkgs[@]} -eq 0 ]; then
        echo "  apt-get install failed; last lines of $lg:" >&2
        tail -n 25 "$lg" | sed 's/^/    /' >&2
        return 0
    fi
    for pkg in "${pkgs[@]}"; do
        echo "  dpkg failed on $pkg:" >&2
        grep -n -B6 -A2 -E "^dpkg: error processing (archive|package) ([^ ]*/[0-9]+-)?${pkg}[_ ]" "$lg" | sed 's/^/    /' >&2
        why="$pkg"
        if grep -q "^$pkg agree question could not be asked" "$lg"; then
            why="$pkg (its license must be accepted in debconf: preseed $pkg/license/accepted)"
        elif grep -q "dependency problems - leaving unconfigured" "$lg" &&
            grep -A3 -E "error processing package $pkg " "$lg" | grep -q 'dependency problems'; then
            why="$pkg (left unconfigured: a dependency failed)"
        fi
        dpkg_why="${dpkg_why:+$dpkg_why, }$why"
    done
}

# apt_install DIR LOG PKGS...: one unattended apt-get install; on failure sets
# full_note and returns 1
apt_install() {
    local c=$1 lg=$2
    shift 2
    if ! in_chroot "$c" apt-get install -y -q -o Dpkg::Options::=--force-confdef \
        -o Dpkg::Options::=--force-confold "$@" >"$lg" 2>&1; then
        explain_dpkg_errors "$lg"
        full_note="apt-get install failed${dpkg_why:+: $dpkg_why} (see $lg)"
        return 1
    fi
}

# check_installed DIR PKGS...: dpkg --audit clean and every PKG "install ok installed"
check_installed() {
    local c=$1 audit bad
    shift
    audit=$(in_chroot "$c" dpkg --audit 2>&1 || true)
    if [ -n "$audit" ]; then
        printf '  dpkg --audit:\n%s\n' "$audit" | sed 's/^/    /' >&2
        full_note="dpkg --audit reports half-installed packages"
        return 1
    fi
    # shellcheck disable=SC2016  # ${Package} is dpkg-query's format, not bash's
    bad=$(in_chroot "$c" dpkg-query -W -f='${Package} ${Status}\n' "$@" 2>&1 |
        awk '$NF != "installed" || $(NF-1) != "ok" {print $1}' | tr '\n' ' ')
    if [ -n "$bad" ]; then
        full_note="not installed afterwards: $bad"
        return 1
    fi
}

# without_skipped PKGS...: PKGS minus full_skip (-> inst, skipped)
without_skipped() {
    local x
    inst=()
    skipped=()
    for x in "$@"; do
        if printf '%s\n' "${full_skip[@]}" | grep -qxF -- "$x"; then skipped+=("$x"); else inst+=("$x"); fi
    done
}

# full_install_bundle DIR PROFILE: install as the bundle's installer would
# (header, item 6); returns 1 on failure (full_note says why)
full_install_bundle() {
    local c=$1 p=$2 b=${bundle_of[$2]} pre kernel tasks include host t out all=()
    local -a inst skipped task_pkgs=() incl more
    pre=$b/preseed.cfg
    full_note=
    # 1. the preseed's package answers (d-i's own questions mean nothing to apt)
    preseed_lines "$pre" | awk '$1 != "d-i"' >"$c/root/upcycle-debconf.txt"
    if [ -s "$c/root/upcycle-debconf.txt" ]; then
        in_chroot "$c" debconf-set-selections /root/upcycle-debconf.txt || {
            full_note="debconf-set-selections rejected the package lines of $pre"
            return 1
        }
        log "$p: debconf answers from the bundle's preseed.cfg: $(awk '{print $2}' "$c/root/upcycle-debconf.txt" | paste -sd' ')"
    fi
    # 2. the host name d-i writes (netcfg/get_hostname)
    host=$(preseed_value "$pre" netcfg/get_hostname)
    [ -z "$host" ] || printf '%s\n' "$host" >"$c/etc/hostname"
    # 3. base-installer: the kernel
    kernel=$(preseed_value "$pre" base-installer/kernel/image)
    [ -n "$kernel" ] || { full_note="$pre has no base-installer/kernel/image"; return 1; }
    log "$p: [bundle 1/3] kernel: $kernel"
    apt_install "$c" "$logdir/$p-full-1-kernel.log" "$kernel" || return 1
    all+=("$kernel")
    # 4. tasksel: the tasks of tasksel/first, expanded by the chroot's own tasksel
    tasks=$(preseed_value "$pre" tasksel/first | tr ',' ' ' | xargs)
    if [ -n "$tasks" ] && ! in_chroot "$c" sh -c 'command -v tasksel' >/dev/null; then
        # trixie's base system has no tasksel (no longer Priority important)
        log "$p: the base system has no tasksel; installing it first, as d-i's pkgsel does"
        apt_install "$c" "$logdir/$p-full-2-tasksel.log" tasksel || return 1
    fi
    for t in $tasks; do
        out=$(in_chroot "$c" tasksel --task-packages "$t" 2>&1) || {
            full_note="tasksel --task-packages $t in the chroot failed: $(head -n1 <<<"$out")"
            return 1
        }
        [ -n "$out" ] || {
            full_note="tasksel --task-packages $t in the chroot listed nothing"
            return 1
        }
        read -r -d '' -a more <<<"$out" || true
        task_pkgs+=("${more[@]}")
    done
    if [ ${#task_pkgs[@]} -gt 0 ]; then
        log "$p: [bundle 2/3] tasks ($tasks): ${#task_pkgs[@]} packages"
        apt_install "$c" "$logdir/$p-full-2-tasks.log" "${task_pkgs[@]}" || return 1
        all+=("${task_pkgs[@]}")
    fi
    # 5. pkgsel/include
    include=$(preseed_value "$pre" pkgsel/include)
    read -r -a incl <<<"$include"
    without_skipped "${incl[@]}"
    if [ ${#skipped[@]} -gt 0 ]; then
        log "$p: full install leaves out ${skipped[*]} (downloads from outside the archive at install time; simulated only)"
        full_note="not installed (simulated only): ${skipped[*]}"
    fi
    log "$p: [bundle 3/3] pkgsel/include: ${#inst[@]} packages"
    if [ ${#inst[@]} -gt 0 ]; then
        apt_install "$c" "$logdir/$p-full-3-include.log" "${inst[@]}" || return 1
        all+=("${inst[@]}")
    fi
    check_installed "$c" "${all[@]}" || return 1
    make_first_user "$c" "$pre" || return 1
    full_note="${full_note:+$full_note; }bundle $(basename "$b"): kernel, ${#task_pkgs[@]} task packages ($tasks), ${#inst[@]} pkgsel/include packages; debconf from its preseed.cfg"
}

# make_first_user DIR PRESEED: the account d-i's user-setup makes (passwd/*)
make_first_user() {
    local c=$1 pre=$2 name full hash groups g have=()
    [ "$(preseed_value "$pre" passwd/make-user)" != false ] || return 0
    name=$(preseed_value "$pre" passwd/username)
    [ -n "$name" ] || return 0
    full=$(preseed_value "$pre" passwd/user-fullname)
    hash=$(preseed_value "$pre" passwd/user-password-crypted)
    groups=$(preseed_value "$pre" passwd/user-default-groups)
    in_chroot "$c" useradd -m -s /bin/bash -c "$full" -p "${hash:-!}" "$name" || {
        full_note="useradd $name (the preseed's first account) failed"
        return 1
    }
    for g in $groups; do
        in_chroot "$c" getent group "$g" >/dev/null && have+=("$g")
    done
    if [ ${#have[@]} -gt 0 ]; then
        in_chroot "$c" usermod -aG "$(IFS=,; echo "${have[*]}")" "$name"
    fi
    log "$(basename "$c"): first account $name (groups: ${have[*]:-none}), as d-i's user-setup makes it"
}

# full_install DIR PROFILE -> returns 1 on failure (full_note says why)
full_install() {
    if [ -n "${bundle_of[$2]:-}" ]; then
        full_install_bundle "$@"
        return
    fi
    local c=$1 p=$2
    local -a set inst skipped
    mapfile -t set < <(jq -r '.set[]' "$run/sel/$p.json")
    without_skipped "${set[@]}"
    full_note=
    [ ${#skipped[@]} -eq 0 ] || {
        log "$p: full install leaves out ${skipped[*]} (downloads from outside the archive at install time; simulated only)"
        full_note="not installed (simulated only): ${skipped[*]}"
    }
    if [ -n "$debconf" ]; then
        cp "$debconf" "$c/root/upcycle-debconf.txt"
        in_chroot "$c" debconf-set-selections /root/upcycle-debconf.txt || {
            full_note="debconf-set-selections rejected $debconf"
            return 1
        }
        log "$p: debconf answers loaded from $debconf"
        full_note="${full_note:+$full_note; }debconf answers from $(basename "$debconf")"
    fi
    apt_install "$c" "$logdir/$p-full.log" "${inst[@]}" || return 1
    check_installed "$c" "${inst[@]}"
}

# --- postinstall hook (for the generated postinstall.sh) -------------------------
# Contract (docs/e2e.md): the script prints `upcycle-postinstall: changed N`;
# the first run may change things, the second must exit 0 and print `changed 0`.
run_postinstall() {
    local c=$1 p=$2 i out rc changed pi_first='' script=$postinstall args=() touched
    if [ -n "${bundle_of[$p]:-}" ]; then script=${bundle_of[$p]}/postinstall.sh; fi
    cp "$script" "$c/root/upcycle-postinstall.sh"
    for i in 1 2; do
        rc=0
        # a bundle's script: run 1 as the preseed's late_command runs it
        args=()
        if [ -n "${bundle_of[$p]:-}" ] && [ "$i" = 1 ]; then args=(--installer); fi
        # what the second run changes, independent of what it says: every file
        # whose inode changed (content, mode, owner, a new or removed entry in a
        # directory) after this mark
        [ "$i" = 1 ] || touch "$run/mark-$p"
        in_chroot "$c" bash /root/upcycle-postinstall.sh "${args[@]}" >"$logdir/$p-postinstall-$i.log" 2>&1 || rc=$?
        out=$logdir/$p-postinstall-$i.log
        changed=$(sed -n -E 's/^upcycle-postinstall: changed ([0-9]+)[[:space:]]*$/\1/p' "$out" | tail -n1)
        if [ "$rc" != 0 ]; then
            tail -n 20 "$out" | sed 's/^/    /' >&2
            full_note="postinstall run $i exited $rc (see $out)"
            return 1
        fi
        if [ -z "$changed" ]; then
            full_note="postinstall run $i printed no 'upcycle-postinstall: changed N' line"
            return 1
        fi
        log "$p: postinstall run $i: changed $changed"
        [ "$i" = 1 ] && pi_first=$changed
        if [ "$i" = 2 ] && [ "$changed" != 0 ]; then
            full_note="postinstall not idempotent: second run changed $changed"
            return 1
        fi
        if [ "$i" = 2 ]; then
            touched=$(cd "$c" && find . -xdev \( -path ./proc -o -path ./sys -o -path ./dev -o -path ./run \
                -o -path ./tmp -o -path ./var/tmp -o -path ./var/log -o -path ./var/cache/apt \
                -o -path ./var/lib/apt/lists \) -prune -o -cnewer "$run/mark-$p" -print |
                sed 's#^\.##' | sort | paste -sd' ')
            if [ -n "$touched" ]; then
                full_note="postinstall not idempotent: its second run said 'changed 0' but changed $touched"
                return 1
            fi
        fi
    done
    full_note="${full_note:+$full_note; }postinstall idempotent (changed $pi_first, then 0; no file changed by the second run)"
}

# --- main ------------------------------------------------------------------------
log "logs: $logdir"
log "machines: ${#machines[@]}; profiles: ${profiles[*]}"
: >"$run/status"
result_line() { # result_line PROFILE STATUS TEXT (also from --jobs workers: one short write each)
    echo "$2 $1 $3"
    echo "$2" >>"$run/status"
}

declare -A group_of=()
groups=()
for p in "${profiles[@]}"; do
    if ! select_profile "$p"; then
        result_line "$p" FAIL "(?/?): no machine capture fits this profile (pin not honoured for any)"
        continue
    fi
    g=$(jq -r '"\(.family) \(.codename) \(.arch)"' "$run/sel/$p.json")
    log "$p: $(jq -r '.set | length' "$run/sel/$p.json") requested packages from machines: $(jq -r '.machines | join(" ")' "$run/sel/$p.json")"
    group_of[$p]=$g
    printf '%s\n' "${groups[@]}" | grep -qxF -- "$g" || groups+=("$g")
done

# run_group "FAMILY CODENAME ARCH": one chroot of the release/arch, its profiles
# simulated in it, then the full installs (the first into the same chroot: the
# simulations change nothing in it; any further one into a fresh chroot)
run_group() {
    local family codename arch rel c t t0 p st d ok used_for_full=0
    local -a members=()
    read -r family codename arch <<<"$1"
    rel="$codename/$arch"
    for p in "${profiles[@]}"; do [ "${group_of[$p]:-}" = "$1" ] && members+=("$p"); done
    t0=$SECONDS
    if ! make_chroot "$family" "$codename" "$arch"; then
        for p in "${members[@]}"; do result_line "$p" FAIL "($rel): could not set up the chroot [see $logdir]"; done
        return 0
    fi
    c=$CH
    log "$family-$codename-$arch: chroot ready in $(fmt_dur $((SECONDS - t0)))"
    local -A sim_ok=() sim_text=() sim_time=()
    for p in "${members[@]}"; do
        t=$SECONDS
        if simulate "$c" "$p"; then
            sim_ok[$p]=1
            sim_text[$p]="$sim_pkgs packages, $sim_mib MiB to download${sim_note:+ ($sim_note)}${CH_NOTE:+; note: $CH_NOTE}"
        else
            sim_ok[$p]=0
            sim_text[$p]=$sim_note
        fi
        sim_time[$p]=$((SECONDS - t))
        if ! is_full "$p" || [ "${sim_ok[$p]}" = 0 ]; then
            if [ "${sim_ok[$p]}" = 1 ]; then st=PASS; else st=FAIL; fi
            result_line "$p" "$st" "($rel): ${sim_text[$p]} [simulate, $(fmt_dur "${sim_time[$p]}")]"
        fi
    done
    for p in "${members[@]}"; do
        if ! is_full "$p" || [ "${sim_ok[$p]}" != 1 ]; then continue; fi
        t=$SECONDS
        if [ "$used_for_full" = 1 ]; then
            remove_chroot "$c"
            if ! make_chroot "$family" "$codename" "$arch"; then
                result_line "$p" FAIL "($rel): could not set up a fresh chroot [full]"
                continue
            fi
            c=$CH
        fi
        used_for_full=1
        log "$p: full install into $c (logs $logdir/$p-full*.log)"
        ok=1
        full_install "$c" "$p" || ok=0
        if [ "$ok" = 1 ] && { [ -n "$postinstall" ] || [ -n "${bundle_of[$p]:-}" ]; }; then
            run_postinstall "$c" "$p" || ok=0
        fi
        d=$(fmt_dur $((SECONDS - t)))
        if [ "$ok" = 1 ]; then
            result_line "$p" PASS "($rel): ${sim_text[$p]}${full_note:+; $full_note} [full install, $d]"
        else
            result_line "$p" FAIL "($rel): $full_note [full install, $d]"
        fi
    done
    if [ "$keep" = 1 ]; then umount_under "$c"; else remove_chroot "$c"; fi
}

# biggest first: groups with a full install, then by number of profiles
ordered=()
for g in "${groups[@]}"; do
    n=0
    for p in "${profiles[@]}"; do
        [ "${group_of[$p]:-}" = "$g" ] || continue
        n=$((n + 1))
        if is_full "$p"; then n=$((n + 100)); fi
    done
    ordered+=("$n $g")
done
mapfile -t groups < <(printf '%s\n' "${ordered[@]}" | sort -s -k1,1nr | cut -d' ' -f2-)

if [ "$jobs" -le 1 ] || [ ${#groups[@]} -le 1 ]; then
    for g in "${groups[@]}"; do run_group "$g"; done
else
    # one worker (subshell) per release/arch, at most $jobs at a time; each
    # cleans up its own chroots (its own EXIT trap), stderr prefixed with its key
    for g in "${groups[@]}"; do
        while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
        key=${g// /-}
        (
            worker=1
            chroots=()
            mounts=()
            trap cleanup EXIT
            trap 'exit 130' INT TERM
            run_group "$g"
        ) 2> >(sed -u "s/^/[$key] /" >&2) &
        workers+=($!)
    done
    for w in "${workers[@]}"; do wait "$w" || true; done
    workers=()
fi

log "cache: $(du -sh "$cache/tarballs" | cut -f1) tarballs, $(du -sh "$cache/apt" | cut -f1) apt"
passed=$(grep -c '^PASS$' "$run/status" || true)
failed=$(grep -c -v '^PASS$' "$run/status" || true)
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
