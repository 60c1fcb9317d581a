#!/usr/bin/env bash
# The project's test command (README, CI): formatting, clippy (warnings are errors),
# shell scripts through shellcheck, the Python watcher through pyflakes, the Python unit
# tests (the watcher's parsers, lib.sh's apt_install), and every Rust unit and integration
# test. The slow end-to-end checks (static binaries, installer in QEMU, package installs
# in chroots) are in scripts/e2e.sh.
#
# First it installs what the tests need, with apt on Debian 12, Debian 13 and Ubuntu
# 24.04 (scripts/lib.sh: TEST_TOOLS, test_needs): as root directly, else with `sudo -n`;
# if neither works it prints the one apt-get line to run and exits 1. Debian 12's netboot
# images (the media tests boot-menu and initrd checks run on the real files) come from
# the debian-installer-12-netboot-{i386,amd64} packages on Debian 12; elsewhere they are
# fetched from Debian's mirror (bookworm), checked against its signed InRelease with
# Debian's archive keyring and unpacked into a cache (/var/cache/upcycle/d-i as root,
# else ~/.cache/upcycle/d-i; UPCYCLE_CACHE moves it), which the tests read through
# UPCYCLE_TEST_IMAGES. Ubuntu 24.04 has Chromium only as a snap (no /usr/bin/chromium,
# a private /tmp, needs snapd): there Debian 12's chromium and chromium-common .debs
# (bookworm and bookworm-security, the newer), and the few libraries Ubuntu has no
# package for, are fetched the same verified way and installed with
# `apt-get install ./X.deb` (scripts/lib.sh: chromium_from_debian). Every package
# installed and every .deb or image fetched is named, with its source and checksum.
# NO_INSTALL=1: install nothing, only say what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
prog=test.sh
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

start=$(date +%s)
echo "== what the tests need ($(os_release))"
test_needs
if ((${#test_pkgs[@]})); then
    if [[ ${NO_INSTALL:-0} == 1 ]]; then
        note "missing packages: ${test_pkgs[*]} (NO_INSTALL=1: not installing)"
        printf 'sudo apt-get install %s\n' "${test_pkgs[*]}" >&2
        exit 1
    fi
    install_or_tell "${test_pkgs[@]}" || exit 1
else
    note "all packages the tests need are installed"
fi
if [[ $chromium_from == debian ]]; then
    if [[ ${NO_INSTALL:-0} == 1 ]]; then
        die_status=1 die "missing: /usr/bin/chromium (NO_INSTALL=1: not fetching Debian 12's chromium)"
    fi
    chromium_from_debian || die_status=1 die "Debian 12's chromium could not be fetched, verified and installed (see above)"
fi
if [[ -z ${UPCYCLE_TEST_IMAGES:-} ]]; then
    UPCYCLE_TEST_IMAGES=$(test_images) || die_status=1 die "Debian 12's netboot images are neither installed nor could be fetched and verified (see above)"
fi
export UPCYCLE_TEST_IMAGES
note "Debian 12's netboot images for the tests: $UPCYCLE_TEST_IMAGES"
# Still missing after the install (a package that does not give its tool, or none to be had)?
mapfile -t missing < <(missing_packages "${TEST_TOOLS[@]}" /usr/bin/chromium:chromium)
if ((${#missing[@]})); then
    die_status=1 die "still missing: ${missing[*]}"
fi
echo "== set-up done in $(($(date +%s) - start)) s"

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy"
cargo clippy --locked --all-targets -- -D warnings

echo "== shellcheck"
shellcheck scripts/*.sh scripts/e2e/*.sh .ci/run

echo "== pyflakes, the Python unit tests (di-watch.py's parsers, lib.sh's apt_install)"
pyflakes3 scripts/e2e/*.py
python3 -m unittest discover -s scripts/e2e -p 'test_*.py'

echo "== cargo test"
cargo test --locked
echo "== test.sh done in $(($(date +%s) - start)) s"
