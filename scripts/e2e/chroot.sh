#!/usr/bin/env bash
# shellcheck disable=SC2154  # cache, logdir, run, mounts, chroots, upcycle: set by the caller (below)
# scripts/e2e/chroot.sh: debootstrap chroots for the e2e scripts (sourced after
# scripts/lib.sh, not run): packages.sh and boot-installed.sh. Nothing runs at
# source time. The caller sets:
#   cache      the cache dir (tarballs/, apt/, keyrings/, chroots/ below it)
#   logdir     where debootstrap and apt logs go
#   run        a temp dir of the run (ubuntu_keyring works in it)
#   mounts=()  mount points made by do_mount, in order (umount_under undoes them)
#   chroots=() chroot dirs made by make_chroot (the caller removes them at exit)
#   debian_mirror, debian_security, ubuntu_mirror  (chroot_mirrors sets them)
#   upcycle    for preseed_value (make_first_user)
# and gets:
#   chroot_mirrors, kill_chroot_procs, umount_under, remove_chroot, do_mount,
#   ubuntu_keyring, debootstrap_script, default_mirror_of, make_chroot (CH, CH_NOTE),
#   in_chroot, fmt_dur, explain_dpkg_errors (dpkg_why), chroot_apt_install,
#   check_installed (full_note), make_first_user, postinstall_again

# chroot_mirrors: debian_mirror, debian_security and ubuntu_mirror from the
# environment (DEBIAN_MIRROR, DEBIAN_SECURITY_MIRROR, UBUNTU_MIRROR) or /etc/apt.
# shellcheck disable=SC2034  # the variables are for the other functions here
chroot_mirrors() {
    debian_mirror=${DEBIAN_MIRROR:-$(detect_mirror '*/debian' || true)}
    debian_mirror=${debian_mirror%/}
    debian_security=${DEBIAN_SECURITY_MIRROR:-$(detect_mirror '*/debian-security' || true)}
    if [ -z "$debian_security" ] && [ -n "$debian_mirror" ]; then debian_security=$debian_mirror-security; fi
    ubuntu_mirror=${UBUNTU_MIRROR:-}
    ubuntu_mirror=${ubuntu_mirror%/}
}

kill_chroot_procs() { # processes whose root is inside $1 (started by our chroot runs)
    local c=$1 p r pids=() sig
    for sig in TERM KILL; do
        pids=()
        for p in /proc/[0-9]*; do
            r=$(readlink "$p/root" 2>/dev/null) || continue
            case "$r" in "$c" | "$c"/*) pids+=("${p#/proc/}") ;; esac
        done
        [ ${#pids[@]} -gt 0 ] || return 0
        note "ending processes left in $c: ${pids[*]} (SIG$sig)"
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
                    note "umount $m busy; lazy unmount"
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
    if findmnt -rn -o TARGET | grep -F "$c/" >/dev/null; then
        note "NOT removing $c: something is still mounted below it"
        return 1
    fi
    rm -rf --one-file-system "$c"
}

worker=0      # 1 in a --jobs worker subshell
workers=()    # pids of the --jobs workers

do_mount() { # do_mount DEST mount-args...
    local dest=$1
    shift
    mkdir -p "$dest"
    mount "$@" "$dest"
    mounts+=("$dest")
}


ubuntu_keyring() { # prints a keyring path, or nothing (then: --no-check-gpg)
    local k=$cache/keyrings/ubuntu-archive-keyring.gpg w
    if [ -s /usr/share/keyrings/ubuntu-archive-keyring.gpg ]; then
        echo /usr/share/keyrings/ubuntu-archive-keyring.gpg
        return 0
    fi
    if [ -s "$k" ]; then echo "$k"; return 0; fi
    [ -n "$debian_mirror" ] || return 0
    w=$run/ubuntu-keyring
    mkdir -p "$w"
    private_apt "$w" amd64 "deb [signed-by=$DEBIAN_KEYRING] $debian_mirror trixie main"
    if private_apt_update "$logdir/ubuntu-keyring.log" &&
        (cd "$w" && "${PRIVATE_APT[@]}" -q download ubuntu-keyring) >>"$logdir/ubuntu-keyring.log" 2>&1; then
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

# make_chroot FAMILY CODENAME ARCH [DIR] -> sets CH to the chroot dir; apt updated,
# caches bound. Without DIR a new dir under $cache/chroots (removed at exit); with DIR
# the base system is unpacked into DIR (which the caller made and removes).
CH=
CH_NOTE=
culprits=()
make_chroot() {
    local family=$1 codename=$2 arch=$3 key=$1-$2-$3 into=${4:-}
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
            note "WARNING: no Ubuntu archive key (no ubuntu-keyring package): debootstrap of $codename runs with --no-check-gpg; apt inside the chroot then checks with the chroot's own ubuntu-keyring"
        fi
    else
        mirror=${debian_mirror:-$(default_mirror_of "$script")}
        opts+=("--keyring=$DEBIAN_KEYRING")
    fi
    [ -n "${DEBOOTSTRAP_VARIANT:-}" ] && opts+=("--variant=$DEBOOTSTRAP_VARIANT")
    [ -n "$mirror" ] || { note "$key: no mirror known; set ${family^^}_MIRROR"; return 1; }

    if [ ! -s "$tgz" ]; then
        note "$key: debootstrap --make-tarball (first run only; log $logdir/debootstrap-$key.log)"
        local tmp=$cache/chroots/mk-$key.$$
        chroots+=("$tmp")
        debootstrap --arch="$arch" "${opts[@]}" --make-tarball="$tgz.part" "$codename" "$tmp" "$mirror" "$script" \
            >>"$logdir/debootstrap-$key.log" 2>&1 || { tail -n 20 "$logdir/debootstrap-$key.log" >&2; return 1; }
        mv "$tgz.part" "$tgz"
        remove_chroot "$tmp"
    fi

    if [ -n "$into" ]; then
        c=$into # the caller's directory (e.g. a mounted file system): not removed here
    else
        c=$cache/chroots/$key.$$.${#chroots[@]}
        chroots+=("$c")
    fi
    note "$key: unpacking chroot $c"
    debootstrap --arch="$arch" "${opts[@]}" --unpack-tarball="$tgz" "$codename" "$c" "$mirror" "$script" \
        >>"$logdir/debootstrap-$key.log" 2>&1 || { tail -n 20 "$logdir/debootstrap-$key.log" >&2; return 1; }

    # sources: the mirror debootstrap used, all components, -updates and -security
    local used
    used=$(awk '$1 == "deb" {print $2; exit}' "$c/etc/apt/sources.list")
    [ -n "$used" ] || { note "$key: no mirror in the chroot's sources.list"; return 1; }
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
        [ "$try" = 2 ] || { note "$key: apt-get update had errors; retrying in 20 s"; sleep 20; }
    done
    failed=$(sed -n -E 's#^[WE]: Failed to fetch [^ ]*/dists/([^/]+)/([^/]+)/.*#\1/\2#p' "$ulog" | sort -u | paste -sd' ')
    if [ -n "$failed" ] || grep -q '^E: ' "$ulog"; then
        if [ -z "$failed" ] || tr ' ' '\n' <<<"$failed" | grep -q "^$codename/"; then
            grep '^[WE]: ' "$ulog" | sed 's/^/    /' >&2
            note "$key: apt-get update failed"
            return 1
        fi
        CH_NOTE="index of $failed failed to download, left out"
        note "$key: WARNING: $CH_NOTE:"
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
            grep -A3 -E "error processing package $pkg " "$lg" | grep 'dependency problems' >/dev/null; then
            why="$pkg (left unconfigured: a dependency failed)"
        fi
        dpkg_why="${dpkg_why:+$dpkg_why, }$why"
    done
}

# chroot_apt_install DIR LOG PKGS...: one unattended apt-get install; on failure sets
# full_note and returns 1
chroot_apt_install() {
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
    note "$(basename "$c"): first account $name (groups: ${have[*]:-none}), as d-i's user-setup makes it"
}

# full_install DIR PROFILE -> returns 1 on failure (full_note says why)

# di_pre_pkgsel DIR PRESEED: what d-i makes of the preseed's preseed/early_command before
# the packages: the command runs in d-i's ramdisk right after the preseed is loaded
# (S33preseed_early_command), and pkgsel (0.79) runs every hook in /usr/lib/pre-pkgsel.d
# after the base system, before tasksel and pkgsel/include. Here the command runs
# literally in the chroot, with /target pointing at / for the time of the run, then the
# hooks it made; afterwards only what the hooks wrote into /target stays (d-i's own
# hooks, hw-detect's, are not stood in for). Returns 1 (full_note) on failure.
di_pre_pkgsel() {
    local c=$1 pre=$2 cmd h
    local -a before made
    cmd=$(preseed_value "$pre" preseed/early_command)
    [ -n "$cmd" ] || return 0
    # As d-i: its debconf reads \n in an answer as a line break and the installer runs the
    # first line only (docs/e2e.md, finding 12).
    cmd=${cmd%%'\n'*}
    [ ! -e "$c/target" ] || { full_note="$c/target exists already"; return 1; }
    mapfile -t before < <(cd "$c" && find tmp usr/lib/pre-pkgsel.d -mindepth 1 2>/dev/null | sort)
    ln -s / "$c/target"
    if ! in_chroot "$c" sh -c "$cmd"; then
        rm -f "$c/target"
        full_note="the preseed's preseed/early_command failed in the chroot"
        return 1
    fi
    mapfile -t made < <(cd "$c" && find tmp usr/lib/pre-pkgsel.d -mindepth 1 2>/dev/null | sort | comm -13 <(printf '%s\n' "${before[@]}") -)
    for h in "${made[@]}"; do
        [[ $h == usr/lib/pre-pkgsel.d/* ]] || continue
        note "$(basename "$c"): pre-pkgsel hook of preseed/early_command: ${h##*/}"
        in_chroot "$c" "/$h" || { rm -f "$c/target"; full_note="pre-pkgsel hook /$h failed"; return 1; }
    done
    rm -f "$c/target"
    for h in "${made[@]}"; do rm -rf "${c:?}/$h"; done
    rmdir "$c/usr/lib/pre-pkgsel.d" 2>/dev/null || true
}

# Network managers: the daemons that bring up Wi-Fi and wired links (one of them, or
# two fight over the devices).
NETWORK_MANAGERS=(network-manager connman wicd-daemon)

# installed_of DIR PKGS...: those of PKGS installed in the system at DIR (its dpkg
# database; no chroot needed), one a line
installed_of() {
    local c=$1
    shift
    [ $# -gt 0 ] || return 0
    # shellcheck disable=SC2016  # ${Package} is dpkg-query's format, not bash's
    dpkg-query --admindir="$c/var/lib/dpkg" -W -f='${Package} ${db:Status-Abbrev}\n' "$@" 2>/dev/null |
        awk '$2 == "ii" {print $1}'
}

# check_kept_out DIR PKGS...: none of PKGS (a bundle's keep_out) is installed and
# exactly one network manager is; returns 1 (full_note) otherwise
check_kept_out() {
    local c=$1 bad nm
    shift
    bad=$(installed_of "$c" "$@" | paste -sd' ')
    nm=$(installed_of "$c" "${NETWORK_MANAGERS[@]}" | paste -sd' ')
    if [ -n "$bad" ]; then
        full_note="installed, though the selection keeps it out: $bad"
        return 1
    fi
    if [ "$(wc -w <<<"$nm")" != 1 ]; then
        full_note="not exactly one network manager installed: ${nm:-none}"
        return 1
    fi
    note "$(basename "$c"): none of the ${#} kept-out packages installed; one network manager ($nm)"
}

# postinstall_again C LOG MARK: run /root/upcycle-postinstall.sh in the chroot C once
# more, after its first run (the contract, docs/e2e.md: a second run exits 0, prints
# `upcycle-postinstall: changed 0`, and changes no file: every file whose inode changed,
# content, mode, owner or a directory's entries, after the new file MARK, outside C,
# counts). Its output goes to LOG. Returns 1 with the reason on stdout when it does not
# hold.
postinstall_again() {
    local c=$1 log=$2 mark=$3 rc=0 changed touched
    touch "$mark"
    in_chroot "$c" bash /root/upcycle-postinstall.sh >"$log" 2>&1 || rc=$?
    if [ "$rc" != 0 ]; then
        tail -n 20 "$log" | sed 's/^/    /' >&2
        echo "postinstall run 2 exited $rc (see $log)"
        return 1
    fi
    changed=$(sed -n -E 's/^upcycle-postinstall: changed ([0-9]+)[[:space:]]*$/\1/p' "$log" | tail -n1)
    if [ -z "$changed" ]; then
        echo "postinstall run 2 printed no 'upcycle-postinstall: changed N' line"
        return 1
    fi
    if [ "$changed" != 0 ]; then
        echo "postinstall not idempotent: second run changed $changed"
        return 1
    fi
    touched=$(cd "$c" && find . -xdev \( -path ./proc -o -path ./sys -o -path ./dev -o -path ./run \
        -o -path ./tmp -o -path ./var/tmp -o -path ./var/log -o -path ./var/cache/apt \
        -o -path ./var/lib/apt/lists \) -prune -o -cnewer "$mark" -print |
        sed 's#^\.##' | sort | paste -sd' ')
    if [ -n "$touched" ]; then
        echo "postinstall not idempotent: its second run said 'changed 0' but changed $touched"
        return 1
    fi
}
