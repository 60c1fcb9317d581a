#!/usr/bin/env bash
# scripts/lib.sh: the pieces the scripts share (sourced, not run). Set `prog` (the
# name in messages) before sourcing. Nothing here runs at source time but one export:
# upcycle's terminal text is German by default (src/l10n.rs); the scripts read it, so it
# speaks English to them (generated files keep the workshop's language).
#   messages      note, warn, die (die_status: exit code, default 2; die_stdout:
#                 a line for stdout first, e.g. a "0 passed, 1 failed" summary)
#   arguments     show_help (the script's header comment), need_value, e2e_args,
#                 need_tools
#   mirrors       apt_source_uris, detect_mirror, use_mirror (e2e), use_apt_mirror
#   APT           private_apt (a private APT configuration), private_apt_tmp,
#                 private_apt_update,
#                 apt_install, need_packages (install what is missing, as root),
#                 need_command
#   Debian        debian_number, release_pair (the mirror's Release vs Release.gpg, gpgv),
#                 verified_index (a private APT index whose InRelease gpgv checked),
#                 fetch_di_packages (installer packages via a private APT, signature checked)
#   setup         os_release, is_ubuntu, test_needs (what scripts/test.sh needs on this release),
#                 e2e_needs (what scripts/e2e.sh needs), install_or_tell (root, sudo -n,
#                 or the apt-get line to run), chromium_from_debian (Debian 12's chromium
#                 on Ubuntu, verified), user_cache, test_images (Debian 12's
#                 netboot images for the tests: the packages' folder or a fetched cache)
#   e2e           find_upcycle, timeout_seconds, write_workshop, E2E_PROXY,
#                 preseed_value, use_workdir, stop_pids, report + report_summary (the "N passed,
#                 M failed" line)
export LANGUAGE=en

DEBIAN_KEYRING=${DEBIAN_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}
APT_SUDO=()
# The address QEMU's guestfwd forwards to this machine's APT mirror (scripts/e2e).
E2E_PROXY=http://10.0.2.100:80/

# --- messages -----------------------------------------------------------------
note() { printf '%s: %s\n' "${prog:-${0##*/}}" "$*" >&2; }
warn() { printf '%s: warning: %s\n' "${prog:-${0##*/}}" "$*" >&2; }
die() {
    printf '%s: error: %s\n' "${prog:-${0##*/}}" "$*" >&2
    [[ -z ${die_stdout:-} ]] || printf '%s\n' "$die_stdout"
    exit "${die_status:-2}"
}

# --- arguments ----------------------------------------------------------------
# show_help: print the script's header comment (line 2 up to `set -euo`), exit 0.
show_help() {
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit 0
}
# need_value OPTION ARGC: die unless the option has a value (ARGC: "$#" at the option).
need_value() { (($2 >= 2)) || die "$1 needs a value"; }

# e2e_args DEFAULT_TIMEOUT "NAME..." ARGS...: the argument loop of the e2e run
# scripts: --timeout T (default DEFAULT_TIMEOUT; sets timeout_s, in seconds) and
# the options NAME... (each --NAME VALUE sets the variable NAME; --only appends to
# the array only), -h/--help; anything else is an error.
# shellcheck disable=SC2034  # timeout_s is for the caller
e2e_args() {
    local timeout=$1 allowed=" timeout $2 " name
    shift 2
    while (($#)); do
        case $1 in
            -h | --help) show_help ;;
            --?*)
                name=${1#--}
                [[ $allowed == *" $name "* ]] || die "unknown argument '$1' (see --help)"
                need_value "$1" $#
                if [[ $name == only ]]; then only+=("$2"); else printf -v "$name" '%s' "$2"; fi
                shift 2
                ;;
            *) die "unknown argument '$1' (see --help)" ;;
        esac
    done
    timeout_s=$(timeout_seconds "$timeout") || die "--timeout must be at least 1 minute (N or Nm minutes, Ns seconds)"
}

# need_tools TOOL...: die naming the first TOOL that is not on PATH.
need_tools() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 || die "missing tool: $tool"
    done
}

# --- mirrors ------------------------------------------------------------------
# apt_source_uris: every repository URI of this machine's APT sources, deb822
# *.sources first ("URIs:", which may list several), then sources.list and *.list
# ("deb [options] URI ..."); trailing slashes dropped.
apt_source_uris() {
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        if [[ -r $f ]]; then awk 'tolower($1) == "uris:" { for (i = 2; i <= NF; i++) print $i }' "$f"; fi
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        if [[ -r $f ]]; then
            awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z+]+:\/\//) { print $i; break } }' "$f"
        fi
    done | sed 's:/*$::'
}

# detect_mirror [GLOB]: the first URI of apt_source_uris matching GLOB (default
# http://*/debian, the form QEMU's proxy forwards to); return 1 if there is none.
detect_mirror() {
    local glob=${1:-http://*/debian} uri
    while read -r uri; do
        # shellcheck disable=SC2053  # GLOB is a pattern
        if [[ $uri == $glob ]]; then
            printf '%s\n' "$uri"
            return 0
        fi
    done < <(apt_source_uris)
    return 1
}

# use_mirror: the e2e mirror, $DEBIAN_MIRROR or detect_mirror, split into
# mirror_url (http://HOST[:PORT]/DIR), mirror_hostport, mirror_host, mirror_port
# and mirror_dir (/DIR); dies if there is none or it is not of that shape.
# shellcheck disable=SC2034  # the mirror_* variables are for the caller
use_mirror() {
    mirror_url=${DEBIAN_MIRROR:-$(detect_mirror 'http://*/debian')} || die "no http://.../debian URI in /etc/apt; set DEBIAN_MIRROR"
    mirror_url=${mirror_url%/}
    [[ $mirror_url == http://*/* ]] || die "mirror URL '$mirror_url' is not http://HOST/DIRECTORY"
    local rest=${mirror_url#http://}
    mirror_hostport=${rest%%/*}
    mirror_host=${mirror_hostport%%:*}
    mirror_port=80
    if [[ $mirror_hostport == *:* ]]; then mirror_port=${mirror_hostport##*:}; fi
    mirror_dir=/${rest#*/}
}

# use_apt_mirror: mirror = $DEBIAN_MIRROR or the first .../debian URI of this
# machine's APT sources (any scheme: APT fetches it), for private_apt; dies if
# there is none or Debian's archive keyring (which signs it) is missing.
# shellcheck disable=SC2034  # mirror is for the caller
use_apt_mirror() {
    [[ -r $DEBIAN_KEYRING ]] || die "missing keyring $DEBIAN_KEYRING (package debian-archive-keyring)"
    mirror=${DEBIAN_MIRROR:-$(detect_mirror '*/debian')} || die "no .../debian mirror URI in /etc/apt; set DEBIAN_MIRROR"
    mirror=${mirror%/}
}

# debian_number CODENAME: print 12 (bookworm) or 13 (trixie); return 1 otherwise.
debian_number() {
    case $1 in
        bookworm) echo 12 ;;
        trixie) echo 13 ;;
        *) return 1 ;;
    esac
}

# --- APT ----------------------------------------------------------------------
# private_apt DIR ARCH SOURCES_LINE: a private APT configuration in DIR (its own
# sources.list with SOURCES_LINE, lists, cache, an empty dpkg status) and sets the
# array PRIVATE_APT, the apt-get command that uses it. APT_CONFIG is read before
# Dir::Etc::Parts and Dir::Etc::Main, so none of the system's apt.conf.d snippets
# apply; /etc/apt and /var/lib/apt are never written. `update` checks the
# InRelease signature (signed-by in SOURCES_LINE), `download` each .deb's hash.
private_apt() {
    local work=$1 arch=$2 line=$3
    chmod 0755 "$work"
    mkdir -p "$work/etc/apt.conf.d" "$work/etc/preferences.d" "$work/etc/trusted.gpg.d" \
        "$work/state/lists/partial" "$work/cache/archives/partial" "$work/log"
    : >"$work/state/status"
    printf '%s\n' "$line" >"$work/etc/sources.list"
    cat >"$work/etc/apt.conf" <<EOF
Dir::Etc::Parts "$work/etc/apt.conf.d";
Dir::Etc::Main "/dev/null";
APT::Architecture "$arch";
APT::Architectures { "$arch"; };
Acquire::Languages "none";
EOF
    PRIVATE_APT=(env "APT_CONFIG=$work/etc/apt.conf" apt-get
        -o "Dir::Etc::SourceList=$work/etc/sources.list"
        -o "Dir::Etc::SourceParts=/dev/null"
        -o "Dir::Etc::Preferences=$work/etc/preferences"
        -o "Dir::Etc::PreferencesParts=$work/etc/preferences.d"
        -o "Dir::Etc::Trusted=$work/etc/trusted.gpg"
        -o "Dir::Etc::TrustedParts=$work/etc/trusted.gpg.d"
        -o "Dir::State=$work/state" -o "Dir::State::Lists=$work/state/lists"
        -o "Dir::State::status=$work/state/status"
        -o "Dir::Cache=$work/cache" -o "Dir::Cache::Archives=$work/cache/archives"
        -o "Dir::Log=$work/log" -o "APT::Sandbox::User=$(id -un)" -o "Debug::NoLocking=1"
        -o "Acquire::Retries=3")
}

# private_apt_tmp NAME ARCH SOURCES_LINE: private_apt in a new temp dir $work
# (NAME.XXXXXX), removed at exit unless KEEP_WORKDIR=1 (then its path is noted).
# Sets the EXIT trap.
private_apt_tmp() {
    work=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
    # shellcheck disable=SC2317  # called from the EXIT trap
    private_apt_cleanup() {
        if [[ ${KEEP_WORKDIR:-0} == 1 ]]; then note "work dir kept: $work"; else rm -rf "$work"; fi
    }
    trap private_apt_cleanup EXIT
    private_apt "$work" "$2" "$3"
}

# private_apt_update LOG: apt-get update with PRIVATE_APT, output in LOG; return 1
# if it failed or warned (W:/E: lines: a missing or badly signed index).
private_apt_update() {
    "${PRIVATE_APT[@]}" -q update >"$1" 2>&1 && ! grep -qE '^(W|E):' "$1"
}

# apt_install PKGS...: apt-get install from this machine's sources (as root),
# after an apt-get update if one of PKGS has no candidate yet. When PKGS hold a
# qemu-system package, qemu-utils of qemu-system-x86's version comes with it (also
# in place of a bare qemu-utils among PKGS; scripts/e2e/test_lib_sh.py): a
# machine image may carry a newer qemu-utils (from backports) that Breaks the
# suite's qemu-system-common, and apt would remove it (and qemu-img with it) to
# install qemu-system-x86, under a script that found qemu-img a moment before.
# APT_SUDO (an array, e.g. (sudo -n)) is put before each apt-get.
apt_install() {
    local sudo=("${APT_SUDO[@]}" env DEBIAN_FRONTEND=noninteractive) p v install_list=("$@")
    local apt=("${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 -y -q --no-install-recommends)
    export DEBIAN_FRONTEND=noninteractive
    for p in "$@"; do
        [[ $p != */* ]] || continue # a .deb file: no candidate to look for
        if ! apt-cache policy "$p" 2>/dev/null | grep 'Candidate: [0-9]' >/dev/null; then
            "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq || true
            break
        fi
    done
    if [[ " $* " == *" qemu-system-"* ]]; then
        v=$(apt-cache policy qemu-system-x86 | awk '/Candidate:/ {print $2}')
        if [[ -n $v && $v != "(none)" ]]; then
            install_list=()
            for p in "$@"; do [[ $p == qemu-utils ]] || install_list+=("$p"); done
            install_list+=("qemu-utils=$v")
        fi
    fi
    "${apt[@]}" --allow-downgrades install "${install_list[@]}"
}

# need_packages PKGS...: nothing if empty; else apt_install them (dies unless
# root, or with NO_INSTALL=1).
need_packages() {
    (($#)) || return 0
    [[ ${NO_INSTALL:-0} != 1 ]] || die "missing packages: $*; NO_INSTALL=1 is set"
    ((EUID == 0)) || die "missing packages: $*; run as root, or: sudo apt-get install $*"
    note "installing: $*"
    apt_install "$@" >&2 || die "apt-get install failed: $*"
}

# need_command COMMAND|/PATH PACKAGE: need_packages PACKAGE unless COMMAND is on
# PATH (or /PATH is executable); dies if it is still missing afterwards.
need_command() {
    local try
    for try in 1 2; do
        if [[ $1 == /* ]]; then [[ -x $1 ]] && return 0; else command -v "$1" >/dev/null && return 0; fi
        ((try == 1)) || die "$1 still missing after installing $2"
        need_packages "$2"
    done
}

# --- Debian archive -----------------------------------------------------------
# release_pair MIRROR_URL CODENAME DIR: ok | mismatch | unknown, whether the
# mirror's dists/CODENAME/Release matches its detached Release.gpg, which is what
# d-i's net-retriever checks (not InRelease; docs/e2e.md finding 9). The three
# files are kept in DIR; unknown when they cannot be fetched or InRelease itself
# does not verify against Debian's archive keyring.
release_pair() {
    local d=$3
    mkdir -p "$d"
    python3 - "$1/dists/$2" "$d" <<'EOF_PY' || { echo unknown; return 0; }
import sys, urllib.request
base, out = sys.argv[1], sys.argv[2]
for name in ("InRelease", "Release", "Release.gpg"):
    with urllib.request.urlopen(base + "/" + name, timeout=60) as r, open(out + "/" + name, "wb") as f:
        f.write(r.read())
EOF_PY
    if ! gpgv --keyring "$DEBIAN_KEYRING" "$d/InRelease" >"$d/gpgv.log" 2>&1; then
        echo unknown
    elif gpgv --keyring "$DEBIAN_KEYRING" "$d/Release.gpg" "$d/Release" >>"$d/gpgv.log" 2>&1; then
        echo ok
    else
        echo mismatch
    fi
}

# verified_index DIR "URL SUITE"...: a private APT configuration in DIR (private_apt,
# amd64) whose sources.list names only "URL SUITE main" of each pair, signed-by
# $DEBIAN_KEYRING, and its index: apt-get update checks each InRelease's signature,
# which is checked once more here with gpgv (the key is noted for each suite). Then
# `"${PRIVATE_APT[@]}" download PKG` fetches a .deb of that signed index and checks its
# SHA256 against it. Return 1 (the reason noted) if the index cannot be fetched or an
# InRelease has no good signature by a key of the keyring, or a bad one.
verified_index() {
    local work=$1 pair lines="" inrelease key suite n=0
    shift
    for pair in "$@"; do
        lines+="${lines:+$'\n'}deb [signed-by=$DEBIAN_KEYRING] $pair main"
    done
    private_apt "$work" amd64 "$lines"
    for pair in "$@"; do
        note "fetching the index of $pair main (private APT configuration, $work)"
    done
    if ! private_apt_update "$work/update.log"; then
        sed 's/^/  /' "$work/update.log" >&2
        note "apt-get update of $* failed"
        return 1
    fi
    while read -r inrelease; do
        n=$((n + 1))
        suite=$(sed -n 's/^Codename: //p' "$inrelease" | head -n1)
        # As APT judges it: at least one good signature by a key of the keyring and no bad
        # one; a signature by a key the keyring lacks (an older debian-archive-keyring, as
        # Ubuntu 24.04's, has no 13/trixie key) makes gpgv exit 2 but is no bad signature.
        gpgv --keyring "$DEBIAN_KEYRING" "$inrelease" >"$work/gpgv.log" 2>&1 || true
        if [[ -s $work/gpgv.log ]] && grep -q '^gpgv: Good signature from ' "$work/gpgv.log" &&
            ! grep -q '^gpgv: BAD signature' "$work/gpgv.log"; then
            key=$(awk '/^gpgv: +using .* key / { k = $NF } /^gpgv: Good signature from / { sub(/^gpgv: Good signature from /, ""); printf "%s%s (key %s)", sep, $0, k; sep = "; " }' "$work/gpgv.log")
            note "verified: ${suite:-$inrelease}'s InRelease is signed by $key (gpgv with $DEBIAN_KEYRING)"
            if grep -q "Can't check signature" "$work/gpgv.log"; then
                note "  (also signed by keys not in that keyring: $(awk '/^gpgv: +using .* key / { k = $NF } /Can.t check signature/ { printf "%s%s", sep, k; sep = ", " }' "$work/gpgv.log"))"
            fi
        else
            if [[ -s $work/gpgv.log ]]; then sed 's/^/  /' "$work/gpgv.log" >&2; fi
            note "${suite:-$inrelease}'s InRelease does not verify against $DEBIAN_KEYRING (no good signature, or a bad one)"
            return 1
        fi
    done < <(find "$work/state/lists" -maxdepth 1 -name '*_InRelease')
    if ((n != $#)); then
        note "expected $# signed InRelease files in $work/state/lists, found $n"
        return 1
    fi
}

# fetch_di_packages MIRROR CODENAME CACHE PKG...: Debian's installer packages PKG...
# (debian-installer-N-netboot-ARCH) of CODENAME, each unpacked under CACHE/PKG/VERSION
# (the index's current version; older ones are removed), and print "PKG DIR" for each.
# The index is "MIRROR CODENAME main", fetched and its signature checked by
# verified_index (a private APT configuration in a temp dir); apt-get download checks
# each .deb's SHA256 against that signed index, dpkg-deb -x unpacks it (nothing is
# installed; the system's /etc/apt and /var/lib/apt are never written).
# A cached current version is reused. If the index cannot be fetched, the newest cached
# version is used with a note; return 1 if a PKG is neither fetched nor cached.
fetch_di_packages() {
    local mirror=$1 codename=$2 cache=$3 work pkg ver dest sum rc=0 indexed=0
    shift 3
    work=$(mktemp -d "${TMPDIR:-/tmp}/upcycle-di-apt.XXXXXX")
    mkdir -p "$work/debs" "$cache"
    if verified_index "$work" "$mirror $codename"; then indexed=1; fi
    for pkg in "$@"; do
        dest=""
        ver=""
        if ((indexed)); then
            ver=$("${PRIVATE_APT[@]}" -q download --print-uris "$pkg" 2>/dev/null |
                sed -n -E "s/^'[^']*' ${pkg}_([^_]+)_all\.deb .*/\1/p" | head -n1)
            ver=${ver//%3a/:}
            [[ -n $ver ]] || note "$pkg is not in $codename's index"
        fi
        if [[ -n $ver ]]; then
            dest=$cache/$pkg/$ver
            if [[ -d $dest/usr/lib/debian-installer/images ]]; then
                note "cached: $pkg $ver in $dest (fetched and verified earlier)"
            elif (cd "$work/debs" && "${PRIVATE_APT[@]}" -q download "$pkg") >"$work/download.log" 2>&1; then
                sum=$(sha256sum "$work"/debs/"${pkg}"_*.deb | awk '{print $1}')
                note "fetched: $pkg $ver ($(du -k "$work"/debs/"${pkg}"_*.deb | awk '{print $1}') KiB, SHA256 $sum as listed in the signed index)"
                rm -rf "$dest.tmp"
                mkdir -p "$dest.tmp"
                if dpkg-deb -x "$work"/debs/"${pkg}"_*.deb "$dest.tmp"; then
                    rm -rf "$dest"
                    mv "$dest.tmp" "$dest"
                    note "unpacked: $pkg $ver into $dest"
                    # keep only this version (about 150 MB each)
                    find "$cache/$pkg" -mindepth 1 -maxdepth 1 -type d ! -name "$ver" -exec rm -rf {} +
                else
                    note "dpkg-deb -x of $pkg failed"
                    rm -rf "$dest.tmp"
                    dest=""
                fi
                rm -f "$work"/debs/*.deb
            else
                sed 's/^/  /' "$work/download.log" >&2
                note "apt-get download $pkg failed"
                dest=""
            fi
        fi
        if [[ -z $dest ]]; then
            ver=$(find "$cache/$pkg" -mindepth 1 -maxdepth 1 -type d ! -name '*.tmp' -printf '%f\n' 2>/dev/null |
                sort -V | tail -n1)
            if [[ -z $ver ]]; then
                rc=1
                continue
            fi
            dest=$cache/$pkg/$ver
            note "using the cached $pkg $ver (verified when it was fetched)"
        fi
        printf '%s %s\n' "$pkg" "$dest"
    done
    rm -rf "$work"
    return "$rc"
}

# --- setup: what the test command and the e2e checks need --------------------------
# os_release: "ID VERSION_ID" of this machine (/etc/os-release), e.g. "debian 12",
# "ubuntu 24.04".
# shellcheck disable=SC1091  # the machine's own file
os_release() { (. /etc/os-release && printf '%s %s\n' "${ID:-unknown}" "${VERSION_ID:-}"); }
# is_ubuntu: whether this machine is Ubuntu or one built on it (ID or ID_LIKE "ubuntu",
# e.g. Linux Mint 22).
# shellcheck disable=SC1091  # the machine's own file
is_ubuntu() { (. /etc/os-release && [[ " ${ID:-} ${ID_LIKE:-} " == *" ubuntu "* ]]); }

# The tools scripts/test.sh and the tests run, as COMMAND-or-/FILE:PACKAGE (one
# package name on Debian 12, Debian 13 and Ubuntu 24.04 alike; Ubuntu's in universe).
TEST_TOOLS=(shellcheck:shellcheck pyflakes3:pyflakes3 debconf-set-selections:debconf groff:groff-base man:man-db
    openssl:openssl python3:python3 /usr/lib/python3/dist-packages/yaml/__init__.py:python3-yaml cpio:cpio gzip:gzip bsdtar:libarchive-tools
    mkfs.fat:dosfstools mcopy:mtools syslinux:syslinux
    /usr/lib/syslinux/mbr/mbr.bin:syslinux-common dnsmasq:dnsmasq-base curl:curl
    busybox:busybox wget:wget gpgv:gpgv ip:iproute2 unshare:util-linux sha256sum:coreutils systemctl:systemd
    /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:fonts-dejavu-core
    glib-compile-schemas:libglib2.0-bin desktop-file-validate:desktop-file-utils
    /usr/share/glib-2.0/schemas/org.gnome.desktop.a11y.interface.gschema.xml:gsettings-desktop-schemas)
# What the test command adds to fetch and check Debian's netboot images where they are
# not packaged (Debian 13, Ubuntu): gpgv and Debian's archive keyring, dpkg-deb.
FETCH_TOOLS=(gpgv:gpgv /usr/share/keyrings/debian-archive-keyring.gpg:debian-archive-keyring
    dpkg-deb:dpkg)
# What scripts/e2e.sh needs beyond its scripts' own need_packages (qemu-smoke.sh,
# usb-boot.sh, netboot-boot.sh, build-static.sh): the chroot step's tools
# (scripts/e2e/packages.sh: debootstrap, Debian's archive key, jq, zstd for Ubuntu's
# .debs), qemu-user and file (build-static.sh, test-static.sh), the generator's
# validators (shellcheck, debconf).
# shellcheck disable=SC2034  # for scripts/e2e.sh
E2E_TOOLS=(debootstrap:debootstrap /usr/share/keyrings/debian-archive-keyring.gpg:debian-archive-keyring
    jq:jq zstd:zstd qemu-i386:qemu-user file:file shellcheck:shellcheck
    debconf-set-selections:debconf python3:python3 gpgv:gpgv)

# missing_packages SPEC...: the packages of the SPECs (COMMAND:PACKAGE or /FILE:PACKAGE)
# whose command is not on PATH (or in /usr/sbin, /sbin) or whose file is missing, one
# per line, each once.
missing_packages() {
    local spec what
    for spec in "$@"; do
        what=${spec%%:*}
        if [[ $what == /* ]]; then
            [[ -e $what ]] && continue
        else
            PATH="$PATH:/usr/sbin:/sbin" command -v "$what" >/dev/null 2>&1 && continue
        fi
        printf '%s\n' "${spec#*:}"
    done | awk '!seen[$0]++'
}

# test_needs: set test_pkgs (the packages scripts/test.sh needs that are missing here),
# chromium_from (apt: this release's chromium package; debian: Debian 12's .debs through
# chromium_from_debian, on Ubuntu and its derivatives, whose chromium is only a snap;
# empty: /usr/bin/chromium is there) and images_from (apt: Debian 12's netboot packages;
# fetch: Debian's mirror, on Debian 13 and Ubuntu) for this machine's release.
# shellcheck disable=SC2034  # the variables are for the caller
test_needs() {
    local id ver di=()
    read -r id ver < <(os_release)
    mapfile -t test_pkgs < <(missing_packages "${TEST_TOOLS[@]}")
    chromium_from=""
    if [[ ! -x /usr/bin/chromium ]]; then
        if is_ubuntu; then
            # Ubuntu's chromium-browser is only a stub that installs the snap, which needs
            # snapd (no chroot, no container), has no /usr/bin/chromium and cannot read
            # the tests' temp files (a private /tmp).
            chromium_from=debian
            mapfile -t -O "${#test_pkgs[@]}" test_pkgs < <(missing_packages "${FETCH_TOOLS[@]}")
        else
            chromium_from=apt
            test_pkgs+=(chromium)
        fi
    fi
    images_from=fetch
    if [[ "$id $ver" == "debian 12" ]]; then
        images_from=apt
        for a in i386 amd64; do
            [[ -d /usr/lib/debian-installer/images/12/$a ]] || di+=("debian-installer-12-netboot-$a")
        done
        test_pkgs+=("${di[@]}")
    elif [[ ! -d /usr/lib/debian-installer/images/12/i386 || ! -d /usr/lib/debian-installer/images/12/amd64 ]]; then
        mapfile -t -O "${#test_pkgs[@]}" test_pkgs < <(missing_packages "${FETCH_TOOLS[@]}")
    else
        images_from=installed
    fi
    if ((${#test_pkgs[@]})); then
        mapfile -t test_pkgs < <(printf '%s\n' "${test_pkgs[@]}" | awk '!seen[$0]++')
    fi
}

# install_or_tell PKG...: install PKG... with apt-get: as root directly, else with
# `sudo -n` (never a password prompt); print each package installed with its version.
# If neither works, print the one apt-get line to run and return 1.
install_or_tell() {
    (($#)) || return 0
    local sudo=() p
    if ((EUID != 0)); then
        if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            note "missing packages: $*"
            note "not root, and sudo -n cannot run apt-get here; run this, then again:"
            printf 'sudo apt-get install %s\n' "$*" >&2
            return 1
        fi
    fi
    note "installing with ${sudo[*]:+${sudo[*]} }apt-get: $*"
    APT_SUDO=("${sudo[@]}")
    # A stale package list names .debs the mirror no longer has: update, try once more.
    if ! apt_install "$@" >&2 && ! { "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq >&2 && apt_install "$@" >&2; }; then
        APT_SUDO=()
        note "apt-get install failed: $*"
        return 1
    fi
    APT_SUDO=()
    for p in "$@"; do
        # a .deb file given as ./PATH or /PATH: its package's name
        if [[ $p == */* ]]; then p=$(dpkg-deb -f "$p" Package); fi
        note "installed: $p $(dpkg-query -W -f='${Version}' "$p" 2>/dev/null)"
    done
}

# chromium_from_debian: Debian 12's chromium for a machine whose release has no chromium
# .deb (Ubuntu 24.04 and its derivatives: only the snap, see test_needs). The .debs of
# chromium and chromium-common come from bookworm and bookworm-security (the newer
# wins) on Debian's mirror ($DEBIAN_MIRROR, else this machine's .../debian source, else
# http://deb.debian.org/debian; security from its debian-security sibling): the index is
# fetched and its InRelease signatures checked with gpgv by verified_index, each .deb's
# SHA256 against that signed index by apt-get download. `apt-get install -s` of them
# on this machine then names the dependencies its release has no package for (Ubuntu
# 24.04: libdav1d6, libjpeg62-turbo); those come from the same index the same way,
# until the simulation resolves (at most 4 rounds). Then `apt-get install ./X.deb...`
# (install_or_tell: root, sudo -n, or the line to run) installs them and this
# release's packages for the rest (its t64 libraries provide the old names). The .debs
# wait in `user_cache`/chromium-debs until they are installed (the line to run names
# them). Every .deb is named with its version, suite and SHA256. Return 1 if anything
# fails.
chromium_from_debian() {
    local mirror security dir work deb round more wanted=(chromium chromium-common) p fetched_pkgs=()
    mirror=${DEBIAN_MIRROR:-$(detect_mirror '*/debian' || echo http://deb.debian.org/debian)}
    mirror=${mirror%/}
    security=${DEBIAN_SECURITY_MIRROR:-${mirror%/debian}/debian-security}
    dir=$(user_cache)/chromium-debs
    note "chromium: $(os_release) has no chromium .deb (chromium-browser installs a snap); taking Debian 12's"
    work=$(mktemp -d "${TMPDIR:-/tmp}/upcycle-chromium-apt.XXXXXX")
    if ! verified_index "$work" "$mirror bookworm" "$security bookworm-security"; then
        rm -rf "$work"
        return 1
    fi
    mkdir -p "$dir" && chmod 0755 "$dir" && rm -f "$dir"/*.deb
    for round in 1 2 3 4; do
        for p in "${wanted[@]}"; do
            if ! (cd "$dir" && "${PRIVATE_APT[@]}" -q download "$p") >"$work/download.log" 2>&1; then
                sed 's/^/  /' "$work/download.log" >&2
                note "apt-get download $p from bookworm/bookworm-security failed"
                rm -rf "$work"
                return 1
            fi
            # "Get:N URL SUITE/COMPONENT ARCH PKG ARCH VERSION [SIZE]"
            deb=$(awk -v p="$p" '$1 ~ /^Get:/ && $5 == p { print $7 " from " $2 " " $3; exit }' "$work/download.log")
            note "fetched: $p ${deb:-(version not said)} ($(sha256sum "$dir/${p}"_*.deb | awk '{print "SHA256 " $1}'), as listed in the signed index)"
            fetched_pkgs+=("$p")
        done
        chmod 0644 "$dir"/*.deb
        # What this release cannot give: "Depends: NAME ... but it is not installable".
        more=$(cd "$dir" && LC_ALL=C apt-get -s -q install ./*.deb 2>&1 | tee "$work/simulate.log" |
            sed -n -E 's/.*(Pre-?)?Depends: ([a-z0-9][a-z0-9.+-]*).* but it is not installable.*/\2/p' | sort -u) || true
        if [[ -z $more ]]; then
            if grep -q '^Inst chromium ' "$work/simulate.log"; then break; fi
            sed 's/^/  /' "$work/simulate.log" >&2
            note "apt-get install -s of Debian 12's chromium does not resolve here"
            rm -rf "$work"
            return 1
        fi
        wanted=()
        for p in $more; do
            if [[ " ${fetched_pkgs[*]} " == *" $p "* ]]; then
                sed 's/^/  /' "$work/simulate.log" >&2
                note "$p was fetched but still is not installable"
                rm -rf "$work"
                return 1
            fi
            wanted+=("$p")
        done
        note "this release has no package for: ${wanted[*]}; taking them from Debian 12 too"
        if ((round == 4)); then
            note "still unresolved after 4 rounds: ${wanted[*]}"
            rm -rf "$work"
            return 1
        fi
    done
    rm -rf "$work"
    install_or_tell "$dir"/*.deb || return 1
    rm -f "$dir"/*.deb
    note "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo '/usr/bin/chromium does not start') (Debian 12's; $(os_release)'s apt does not update it)"
}

# user_cache: upcycle's cache folder: $UPCYCLE_CACHE, else /var/cache/upcycle as root,
# else ${XDG_CACHE_HOME:-~/.cache}/upcycle.
user_cache() {
    if [[ -n ${UPCYCLE_CACHE:-} ]]; then
        printf '%s\n' "$UPCYCLE_CACHE"
    elif ((EUID == 0)); then
        echo /var/cache/upcycle
    else
        printf '%s\n' "${XDG_CACHE_HOME:-$HOME/.cache}/upcycle"
    fi
}

# test_images: print the folder holding Debian 12's netboot images as 12/ARCH/ (i386
# and amd64), the layout `upcycle media --images` reads: the packages' own folder
# where both are installed, else `user_cache`/d-i/images, whose 12/ARCH are links into
# the packages fetched and verified by fetch_di_packages from bookworm ($DEBIAN_MIRROR,
# else this machine's .../debian source, else http://deb.debian.org/debian). Return 1
# if they can be neither found nor fetched.
test_images() {
    local sys=/usr/lib/debian-installer/images cache mirror pkg dir a
    if [[ -d $sys/12/i386 && -d $sys/12/amd64 ]]; then
        printf '%s\n' "$sys"
        return 0
    fi
    cache=$(user_cache)/d-i
    mirror=${DEBIAN_MIRROR:-$(detect_mirror '*/debian' || echo http://deb.debian.org/debian)}
    mkdir -p "$cache/images/12" || return 1
    while read -r pkg dir; do
        a=${pkg##*-}
        [[ -d $dir/usr/lib/debian-installer/images/12/$a ]] || { note "$pkg has no images/12/$a"; return 1; }
        ln -sfn "$dir/usr/lib/debian-installer/images/12/$a" "$cache/images/12/$a"
    done < <(fetch_di_packages "${mirror%/}" bookworm "$cache" debian-installer-12-netboot-i386 debian-installer-12-netboot-amd64)
    [[ -d $cache/images/12/i386/text && -d $cache/images/12/amd64/text ]] || return 1
    printf '%s\n' "$cache/images"
}

# --- e2e ----------------------------------------------------------------------
# find_upcycle REPO_ROOT: print the upcycle binary to test: $UPCYCLE if set, else the
# release build of REPO_ROOT (built first, its output on stderr); return 1 if it is not
# an executable file.
find_upcycle() {
    local repo_root=$1 bin
    if [[ -n ${UPCYCLE:-} ]]; then
        bin=$UPCYCLE
    else
        echo "cargo build --release --locked" >&2
        (cd "$repo_root" && cargo build --release --locked) >&2 || return 1
        bin=${CARGO_TARGET_DIR:-$repo_root/target}/release/upcycle
        [[ $bin == /* ]] || bin=$repo_root/$bin
    fi
    [[ -x $bin ]] || { echo "upcycle binary '$bin' is not executable" >&2; return 1; }
    printf '%s\n' "$bin"
}

# timeout_seconds T: print the seconds of a --timeout value (N or Nm minutes, Ns
# seconds); return 1 if it is not one or is under a minute.
timeout_seconds() {
    local t=$1 s
    case $t in
        *[0-9]s) s=${t%s} ;;
        *[0-9]m) s=${t%m}; [[ $s =~ ^[0-9]+$ ]] && s=$((10#$s * 60)) ;;
        *) s=$t; [[ $s =~ ^[0-9]+$ ]] && s=$((10#$s * 60)) ;;
    esac
    [[ $s =~ ^[0-9]+$ ]] && ((10#$s >= 60)) || return 1
    printf '%s\n' "$((10#$s))"
}

# write_workshop DEFAULT OUT [pentium_m_kernel=K] [locale=L] [workshop_pc=ADDR:PORT]:
# the workshop file of an e2e run: DEFAULT (data/workshop-default.yaml) with
# mirror.host/directory set to use_mirror's mirror_hostport/mirror_dir, proxy E2E_PROXY
# and, if given, selection.pentium_m_kernel, locale and workshop_pc (where serve runs). The default file writes these as block
# mappings and plain top-level keys; anything else (a key missing, a flow mapping)
# is an error (status 3), not a silent duplicate key.
write_workshop() {
    local default=$1 out=$2 pm="" locale="" pc="" kv
    shift 2
    for kv in "$@"; do
        case $kv in
            pentium_m_kernel=*) pm=${kv#*=} ;;
            locale=*) locale=${kv#*=} ;;
            workshop_pc=*:*) pc=${kv#*=} ;;
            *) die "write_workshop: unknown setting '$kv'" ;;
        esac
    done
    awk -v host="$mirror_hostport" -v dir="$mirror_dir" -v proxy="$E2E_PROXY" -v pm="$pm" -v locale="$locale" \
        -v pc_addr="${pc%:*}" -v pc_port="${pc##*:}" '
        /^[^[:space:]#]/ { top = $1 }
        /^mirror:/ {
            if ($0 !~ /^mirror:[[:space:]]*(#.*)?$/) { bad = bad " mirror(not a block)" }
            print "mirror:"; print "  host: " host; print "  directory: " dir; seen_m = 1; next
        }
        top == "mirror:" && /^[[:space:]]+(host|directory):/ { next }
        /^proxy:/ { print "proxy: \"" proxy "\""; seen_p = 1; next }
        locale != "" && /^locale:/ { print "locale: " locale; seen_l = 1; next }
        pc_addr != "" && /^workshop_pc:/ { print "workshop_pc: {address: " pc_addr ", port: " pc_port "}"; seen_w = 1; next }
        pm != "" && /^selection:/ {
            if ($0 !~ /^selection:[[:space:]]*(#.*)?$/) { bad = bad " selection(not a block)" }
            print "selection:"; print "  pentium_m_kernel: " pm; seen_s = 1; next
        }
        pm != "" && top == "selection:" && /^[[:space:]]+pentium_m_kernel:/ { next }
        { print }
        END {
            if (!seen_m) bad = bad " mirror(missing)"
            if (!seen_p) bad = bad " proxy(missing)"
            if (locale != "" && !seen_l) bad = bad " locale(missing)"
            if (pc_addr != "" && !seen_w) bad = bad " workshop_pc(missing)"
            if (pm != "" && !seen_s) { print "selection:"; print "  pentium_m_kernel: " pm }
            if (bad != "") { print "workshop-default.yaml:" bad > "/dev/stderr"; exit 3 }
        }' "$default" >"$out"
}

# preseed_value FILE QUESTION...: each QUESTION's answer in the preseed FILE on a
# line of its own (any owner, the last answer wins, continuation lines joined;
# empty when unanswered), read by `$upcycle preseed-value`: the reader that
# `media netboot` uses (src/preseed.rs), not one of the scripts' own.
preseed_value() { "${upcycle:?}" preseed-value "$@"; }

# use_workdir NAME: $workdir as given (created if missing), else a new temp dir
# upcycle-NAME.XXXXXX (kept); made absolute.
use_workdir() {
    if [[ -z ${workdir:-} ]]; then
        workdir=$(mktemp -d "${TMPDIR:-/tmp}/upcycle-$1.XXXXXX")
    else
        mkdir -p "$workdir"
    fi
    workdir=$(cd "$workdir" && pwd)
}

# stop_pids PID...: end each (empty or finished ones skipped) and reap it.
stop_pids() {
    local p
    for p in "$@"; do
        if [[ -n $p ]] && kill -0 "$p" 2>/dev/null; then
            kill "$p" 2>/dev/null || true
            wait "$p" 2>/dev/null || true
        fi
    done
}

# report STATUS LINE: one result line on stdout ("PASS  ...", "FAIL  ...",
# "ERROR ..."), counted in passed/failed/errors; report_summary prints exactly
# "N passed, M failed" (errors count as failed) and exits 1 if a run failed, 2 if
# there were only errors, else 0 (dies if nothing ran).
passed=0 failed=0 errors=0
report() {
    case $1 in
        PASS) passed=$((passed + 1)) ;;
        FAIL) failed=$((failed + 1)) ;;
        *) errors=$((errors + 1)) ;;
    esac
    printf '%-5s %s\n' "$1" "$2"
}
# upcycle_serve BIN DIR LOG [ARG...]: `BIN serve DIR --listen 127.0.0.1:0 ARG...` in the
# background (its log in LOG), the port read from its first line ("listening on ...").
# Sets serve_pid and serve_port; dies with the log if it exits or says nothing in 10 s.
upcycle_serve() {
    local bin=$1 dir=$2 log=$3 _
    shift 3
    "$bin" serve "$dir" --listen 127.0.0.1:0 "$@" 2>"$log" >/dev/null &
    serve_pid=$!
    serve_port=""
    for _ in $(seq 100); do
        serve_port=$(sed -n '1s/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$log")
        [[ -n $serve_port ]] && return 0
        kill -0 "$serve_pid" 2>/dev/null || die "upcycle serve exited: $(cat "$log")"
        sleep 0.1
    done
    die "upcycle serve printed no 'listening on' line: $(cat "$log")"
}

# check NAME COMMAND...: COMMAND's success as a PASS or FAIL line named NAME (report).
check() {
    local name=$1
    shift
    if "$@"; then report PASS "$name"; else report FAIL "$name"; fi
}
report_summary() {
    ((passed + failed + errors)) || die "no run selected"
    printf '%d passed, %d failed\n' "$passed" $((failed + errors))
    if ((failed)); then exit 1; fi
    if ((errors)); then exit 2; fi
    exit 0
}
