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
#      the kernel of base-installer/kernel/image, then the pre-pkgsel hooks the
#      preseed's early_command installs (chroot.sh's di_pre_pkgsel: the APT pin of
#      the selection's keep_out), then the tasksel tasks of tasksel/first (`tasksel --task-packages`, "standard" included; tasksel
#      itself installed first where the base lacks it, as d-i's pkgsel does), then
#      pkgsel/include, each in its own apt-get run; afterwards none of the
#      selection's keep_out may be installed and exactly one network manager must
#      be (chroot.sh's check_kept_out); the debconf answers are the
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
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=scripts/e2e/chroot.sh
. "$(dirname "${BASH_SOURCE[0]}")/chroot.sh"

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
need_tools debootstrap jq zstd chroot mount umount findmnt dpkg-deb apt-get flock
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
            note "kept chroot $c"
        else
            remove_chroot "$c"
        fi
    done
    [ "$worker" = 1 ] || rm -rf "$run"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- upcycle binary and profiles -------------------------------------------------
upcycle=${UPCYCLE:-$repo_root/target/release/upcycle}
if [ ! -x "$upcycle" ]; then
    note "building $upcycle (cargo build --release)"
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
declare -A bundle_of=()
for b in "${bundles[@]}"; do
    [ -d "$b" ] || die "--bundle: no such directory: $b"
    b=$(cd "$b" && pwd)
    for f in preseed.cfg postinstall.sh selection.yaml; do
        [ -r "$b/$f" ] || die "--bundle $b: no $f (only Debian bundles of 'upcycle generate' can be installed here)"
    done
    p=$("$upcycle" bundle-info "$b" | jq -r .profile) || die "--bundle $b: selection.yaml is not a bundle's selection"
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
    [ "$n" = 1 ] || { note "$p: machines disagree on release/arch"; return 1; }
}

# --- mirrors and keys ------------------------------------------------------------
chroot_mirrors

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
        note "$p: WARNING: the same set in $order order finds no solution:"
        apt_says <"$olog" >&2
        min=$(order_culprit "$c" "${perm[@]}")
        note "$p: smallest failing list (in this order): $min"
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
    "$upcycle" preseed-value --lines "$pre" | awk '$1 != "d-i"' >"$c/root/upcycle-debconf.txt"
    if [ -s "$c/root/upcycle-debconf.txt" ]; then
        in_chroot "$c" debconf-set-selections /root/upcycle-debconf.txt || {
            full_note="debconf-set-selections rejected the package lines of $pre"
            return 1
        }
        note "$p: debconf answers from the bundle's preseed.cfg: $(awk '{print $2}' "$c/root/upcycle-debconf.txt" | paste -sd' ')"
    fi
    # 2. the host name d-i writes (netcfg/get_hostname)
    host=$(preseed_value "$pre" netcfg/get_hostname)
    [ -z "$host" ] || printf '%s\n' "$host" >"$c/etc/hostname"
    # 3. base-installer: the kernel
    kernel=$(preseed_value "$pre" base-installer/kernel/image)
    [ -n "$kernel" ] || { full_note="$pre has no base-installer/kernel/image"; return 1; }
    note "$p: [bundle 1/3] kernel: $kernel"
    chroot_apt_install "$c" "$logdir/$p-full-1-kernel.log" "$kernel" || return 1
    all+=("$kernel")
    # pkgsel's pre-pkgsel hooks that the preseed's early_command installs (the APT pin
    # of the packages the selection keeps out)
    di_pre_pkgsel "$c" "$pre" || return 1
    # 4. tasksel: the tasks of tasksel/first, expanded by the chroot's own tasksel
    tasks=$(preseed_value "$pre" tasksel/first | tr ',' ' ' | xargs)
    if [ -n "$tasks" ] && ! in_chroot "$c" sh -c 'command -v tasksel' >/dev/null; then
        # trixie's base system has no tasksel (no longer Priority important)
        note "$p: the base system has no tasksel; installing it first, as d-i's pkgsel does"
        chroot_apt_install "$c" "$logdir/$p-full-2-tasksel.log" tasksel || return 1
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
        note "$p: [bundle 2/3] tasks ($tasks): ${#task_pkgs[@]} packages"
        chroot_apt_install "$c" "$logdir/$p-full-2-tasks.log" "${task_pkgs[@]}" || return 1
        all+=("${task_pkgs[@]}")
    fi
    # 5. pkgsel/include
    include=$(preseed_value "$pre" pkgsel/include)
    read -r -a incl <<<"$include"
    without_skipped "${incl[@]}"
    if [ ${#skipped[@]} -gt 0 ]; then
        note "$p: full install leaves out ${skipped[*]} (downloads from outside the archive at install time; simulated only)"
        full_note="not installed (simulated only): ${skipped[*]}"
    fi
    note "$p: [bundle 3/3] pkgsel/include: ${#inst[@]} packages"
    if [ ${#inst[@]} -gt 0 ]; then
        chroot_apt_install "$c" "$logdir/$p-full-3-include.log" "${inst[@]}" || return 1
        all+=("${inst[@]}")
    fi
    check_installed "$c" "${all[@]}" || return 1
    # chosen == installed: nothing the selection keeps out (apps left out, a second
    # network manager), exactly one network manager
    local -a kept_out
    mapfile -t kept_out < <("$upcycle" bundle-info "$b" | jq -r '.keep_out[]?')
    check_kept_out "$c" "${kept_out[@]}" || return 1
    make_first_user "$c" "$pre" || return 1
    full_note="${full_note:+$full_note; }bundle $(basename "$b"): kernel, ${#task_pkgs[@]} task packages ($tasks), ${#inst[@]} pkgsel/include packages; debconf from its preseed.cfg"
}

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
        note "$p: full install leaves out ${skipped[*]} (downloads from outside the archive at install time; simulated only)"
        full_note="not installed (simulated only): ${skipped[*]}"
    }
    if [ -n "$debconf" ]; then
        cp "$debconf" "$c/root/upcycle-debconf.txt"
        in_chroot "$c" debconf-set-selections /root/upcycle-debconf.txt || {
            full_note="debconf-set-selections rejected $debconf"
            return 1
        }
        note "$p: debconf answers loaded from $debconf"
        full_note="${full_note:+$full_note; }debconf answers from $(basename "$debconf")"
    fi
    chroot_apt_install "$c" "$logdir/$p-full.log" "${inst[@]}" || return 1
    check_installed "$c" "${inst[@]}"
}

# --- postinstall hook (for the generated postinstall.sh) -------------------------
# Contract (docs/e2e.md): the script prints `upcycle-postinstall: changed N`;
# the first run may change things, the second must exit 0 and print `changed 0`.
run_postinstall() {
    local c=$1 p=$2 rc=0 changed script=$postinstall args=() why
    if [ -n "${bundle_of[$p]:-}" ]; then script=${bundle_of[$p]}/postinstall.sh; fi
    cp "$script" "$c/root/upcycle-postinstall.sh"
    # a bundle's script: run 1 as the preseed's late_command runs it
    if [ -n "${bundle_of[$p]:-}" ]; then args=(--installer); fi
    in_chroot "$c" bash /root/upcycle-postinstall.sh "${args[@]}" >"$logdir/$p-postinstall-1.log" 2>&1 || rc=$?
    changed=$(sed -n -E 's/^upcycle-postinstall: changed ([0-9]+)[[:space:]]*$/\1/p' "$logdir/$p-postinstall-1.log" | tail -n1)
    if [ "$rc" != 0 ]; then
        tail -n 20 "$logdir/$p-postinstall-1.log" | sed 's/^/    /' >&2
        full_note="postinstall run 1 exited $rc (see $logdir/$p-postinstall-1.log)"
        return 1
    fi
    if [ -z "$changed" ]; then
        full_note="postinstall run 1 printed no 'upcycle-postinstall: changed N' line"
        return 1
    fi
    note "$p: postinstall run 1: changed $changed"
    why=$(postinstall_again "$c" "$logdir/$p-postinstall-2.log" "$run/mark-$p") || {
        full_note=$why
        return 1
    }
    note "$p: postinstall run 2: changed 0"
    full_note="${full_note:+$full_note; }postinstall idempotent (changed $changed, then 0; no file changed by the second run)"
}

# --- main ------------------------------------------------------------------------
note "logs: $logdir"
note "machines: ${#machines[@]}; profiles: ${profiles[*]}"
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
    note "$p: $(jq -r '.set | length' "$run/sel/$p.json") requested packages from machines: $(jq -r '.machines | join(" ")' "$run/sel/$p.json")"
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
    note "$family-$codename-$arch: chroot ready in $(fmt_dur $((SECONDS - t0)))"
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
        note "$p: full install into $c (logs $logdir/$p-full*.log)"
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

note "cache: $(du -sh "$cache/tarballs" | cut -f1) tarballs, $(du -sh "$cache/apt" | cut -f1) apt"
passed=$(grep -c '^PASS$' "$run/status" || true)
failed=$(grep -c -v '^PASS$' "$run/status" || true)
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
