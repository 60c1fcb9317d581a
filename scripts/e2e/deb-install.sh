#!/usr/bin/env bash
# scripts/e2e/deb-install.sh - prove the Debian package installs, works and removes
# cleanly on a fresh Debian, with the real package manager.
#
# Usage: scripts/e2e/deb-install.sh [--release bookworm|trixie] [--arch amd64|i386] [--cache DIR] [--keep] [--static] [DEB]
#
#   1. a clean debootstrap chroot of the release and architecture (default amd64; i386
#      runs natively on an amd64 kernel with IA32 emulation; the base system d-i installs,
#      cached as a tarball in DIR/tarballs like packages.sh's, default
#      /var/cache/upcycle-e2e; default release trixie);
#   2. apt-get install man-db, then `apt-get install ./upcycle_*.deb` (DEB, default the
#      newest target/debian/upcycle_*_ARCH.deb: scripts/build-deb.sh [--arch i386] makes it), so apt
#      resolves its Depends and Recommends from the archive;
#   3. in the chroot: `upcycle --help` (German, the default) and `--lang en --help`,
#      `man upcycle` and `man upcycle-generate` render through man-db, LANG=de_DE.UTF-8
#      `man upcycle` shows the German page, the bash completion is in place and completes
#      `upcycle med` to `media`, the handbook and the example workshop file are there;
#      the static binaries for the installer (/usr/lib/upcycle/<target>/upcycle, the
#      default of `media usb/netboot --upcycle-static`) are there and run, when the
#      package carries them (build-deb.sh with scripts/build-static.sh's binaries at
#      hand; --static: the package must carry both);
#   4. `apt-get remove upcycle`: the binary, the man pages and the completions are gone
#      (dpkg keeps nothing of them).
# Prints PASS or FAIL and the duration; exit 0 only on PASS.
#
# Needs root, debootstrap, mount/umount/chroot, and network access to a Debian mirror
# (DEBIAN_MIRROR, else the one in /etc/apt).

set -euo pipefail
export LC_ALL=C

prog="deb-install"
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=scripts/e2e/chroot.sh
. "$(dirname "${BASH_SOURCE[0]}")/chroot.sh"

usage() {
    sed -n '5,5s/^# //p' "$0" >&2
    exit 2
}

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cache=/var/cache/upcycle-e2e
codename=trixie
arch=amd64
keep=0
want_static=0
deb=
while [ $# -gt 0 ]; do
    case "$1" in
        --release) [ $# -ge 2 ] || usage; codename=$2; shift 2 ;;
        --arch) [ $# -ge 2 ] || usage; arch=$2; shift 2 ;;
        --cache) [ $# -ge 2 ] || usage; cache=$2; shift 2 ;;
        --keep) keep=1; shift ;;
        --static) want_static=1; shift ;;
        -h | --help) usage ;;
        -*) echo "$prog: unknown argument: $1" >&2; usage ;;
        *) deb=$1; shift ;;
    esac
done
case "$codename" in bookworm | trixie) ;; *) die "--release: bookworm or trixie, not '$codename'" ;; esac
case "$arch" in amd64 | i386) ;; *) die "--arch: amd64 or i386, not '$arch'" ;; esac

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot, mount)"
need_tools debootstrap chroot mount umount dpkg-deb apt-get flock
if [ -z "$deb" ]; then
    deb=$(find "$repo_root/target/debian" -maxdepth 1 -name "upcycle_*_$arch.deb" -printf '%T@ %p\n' 2>/dev/null |
        sort -n | tail -n 1 | cut -d' ' -f2-)
    [ -n "$deb" ] || die "no target/debian/upcycle_*_$arch.deb: run scripts/build-deb.sh --arch $arch first, or name the .deb"
fi
[ -r "$deb" ] || die "cannot read $deb"
[ "$(dpkg-deb --field "$deb" Architecture)" = "$arch" ] ||
    die "$deb is for $(dpkg-deb --field "$deb" Architecture), not --arch $arch"
deb=$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")

mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
mkdir -p "$cache/tarballs" "$cache/apt" "$cache/keyrings" "$cache/chroots" "$cache/logs"
exec 9>"$cache/.lock"
flock -n 9 || die "another run holds $cache/.lock"
logdir=$cache/logs/$(date -u +%Y%m%dT%H%M%SZ)-deb
mkdir -p "$logdir"
run=$(mktemp -d "${TMPDIR:-/tmp}/upcycle-deb.XXXXXX")

mounts=()
chroots=()
cleanup() {
    local rc=$? c
    set +e
    for c in "${chroots[@]}"; do
        [ -d "$c" ] || continue
        if [ "$keep" = 1 ]; then
            umount_under "$c"
            note "kept chroot $c"
        else
            remove_chroot "$c"
        fi
    done
    rm -rf "$run"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start=$(date +%s)
failures=()
check() { # check DESCRIPTION CMD...: run CMD, record a failure with its output
    local what=$1 out
    shift
    if out=$("$@" 2>&1); then
        note "ok: $what"
    else
        failures+=("$what")
        note "FAILED: $what"
        printf '%s\n' "$out" | tail -n 15 | sed 's/^/    /' >&2
    fi
}

chroot_mirrors
make_chroot debian "$codename" "$arch" || die "no chroot of debian $codename $arch (logs: $logdir)"
c=$CH
cp "$deb" "$c/tmp/"
pkg=/tmp/$(basename "$deb")

note "apt-get install man-db $pkg (log $logdir/install.log)"
in_chroot "$c" apt-get install -y -q man-db bash-completion "$pkg" >"$logdir/install.log" 2>&1 ||
    { tail -n 25 "$logdir/install.log" >&2; die "apt-get install of the package failed"; }

mapfile -t files < <(dpkg-deb --contents "$deb" | awk '{print $NF}' | sed 's#^\./#/#' | grep -v '/$')
note "the package holds ${#files[@]} files"

ic() { in_chroot "$c" sh -c "$1"; } # a shell line in the chroot
check "upcycle --help speaks German by default" ic 'upcycle --help | grep -q "^Befehle:"'
check "upcycle --lang en --help speaks English" ic 'upcycle --lang en --help | grep -q "^Commands:"'
check "apt installed the recommended validators (shellcheck, debconf-set-selections)" \
    ic 'command -v shellcheck && command -v debconf-set-selections'
check "upcycle --version names the profiles it carries" ic 'upcycle --lang en --version | grep -q "^[0-9]* profiles: "'
check "dpkg has it as $arch and the binary runs" ic "[ \"\$(dpkg-query -W -f '\${Architecture}' upcycle)\" = $arch ] && upcycle -V"
check "man upcycle renders (man-db)" ic 'MANPAGER=cat MANWIDTH=80 man upcycle | grep -q "upcycle-generate"'
check "man upcycle-generate renders" ic 'MANPAGER=cat MANWIDTH=80 man upcycle-generate | grep -q -- "--workshop"'
check "man -L de upcycle-generate shows the German page" \
    ic 'MANPAGER=cat MANWIDTH=80 man -L de upcycle-generate | grep -q "Installationsb"'
# shellcheck disable=SC2016  # expanded by the chroot's bash
check "the bash completion completes 'upcycle med' to media" \
    in_chroot "$c" bash -c '. /usr/share/bash-completion/completions/upcycle && COMP_WORDS=(upcycle med) && COMP_CWORD=1 && _upcycle upcycle med upcycle && [ "${COMPREPLY[*]}" = media ]'
# bash-completion 2.12+ (Debian 13) loads with _comp_load, 2.11 (Debian 12) with
# __load_completion (its _completion_loader falls back to _minimal, so it cannot fail)
check "bash-completion loads it by the command's name" \
    in_chroot "$c" bash -c '. /usr/share/bash-completion/bash_completion && if declare -F _comp_load >/dev/null; then _comp_load upcycle; else __load_completion upcycle; fi && complete -p upcycle | grep -q "F _upcycle "'
for f in /usr/share/zsh/vendor-completions/_upcycle /usr/share/fish/vendor_completions.d/upcycle.fish \
    /usr/share/doc/upcycle/docs/de/README.md /usr/share/doc/upcycle/docs/en/README.md \
    /usr/share/doc/upcycle/examples/workshop.yaml; do
    check "$f installed" test -s "$c$f"
done

# the static binaries for the installer: what `media usb`/`media netboot` take by default
static_targets=(i686-unknown-linux-musl x86_64-unknown-linux-musl)
carried=()
for t in "${static_targets[@]}"; do
    printf '%s\n' "${files[@]}" | grep -qx "/usr/lib/upcycle/$t/upcycle" && carried+=("$t")
done
if [ "$want_static" = 1 ] || [ ${#carried[@]} -gt 0 ]; then
    for t in "${static_targets[@]}"; do
        # both run here: the i686 one through the amd64 kernel's IA32 emulation
        check "/usr/lib/upcycle/$t/upcycle is there, executable, static, and runs (--version)" \
            ic "test -x /usr/lib/upcycle/$t/upcycle && /usr/lib/upcycle/$t/upcycle --lang en --version | grep -q '^upcycle '"
    done
    check "the static binaries are statically linked (no program interpreter)" \
        bash -c "for t in ${static_targets[*]}; do f=$c/usr/lib/upcycle/\$t/upcycle; [ -f \$f ] || exit 1; ! LC_ALL=C readelf -lW \$f | grep -q 'Requesting program interpreter' || exit 1; done"
else
    note "the package carries no static binaries (built without scripts/build-static.sh's): media usb/netboot will need --upcycle-static"
fi

note "apt-get remove upcycle (log $logdir/remove.log)"
in_chroot "$c" apt-get remove -y -q upcycle >"$logdir/remove.log" 2>&1 ||
    { tail -n 25 "$logdir/remove.log" >&2; die "apt-get remove failed"; }
left=()
for f in "${files[@]}"; do
    [ -e "$c$f" ] && left+=("$f")
done
check "apt-get remove leaves none of the package's ${#files[@]} files" test ${#left[@]} -eq 0
[ ${#left[@]} -eq 0 ] || printf '    left: %s\n' "${left[@]}" >&2
check "upcycle is no longer on PATH" ic '! command -v upcycle'

dur=$(($(date +%s) - start))
if [ ${#failures[@]} -eq 0 ]; then
    echo "PASS: $(basename "$deb") on debian $codename $arch ($(fmt_dur "$dur"); logs $logdir)"
else
    echo "FAIL: ${#failures[@]} check(s): ${failures[*]} ($(fmt_dur "$dur"); logs $logdir)"
    exit 1
fi
