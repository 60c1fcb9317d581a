#!/usr/bin/env bash
# scripts/e2e/packages-ci.sh - the chroot package test as CI runs it (scripts/e2e.sh):
# every shipped profile simulated, and a bundle that `upcycle generate` really
# makes installed with its own files.
#
# Usage: scripts/e2e/packages-ci.sh [packages.sh options, e.g. --cache DIR --keep]
#
# 1. `upcycle generate` makes a Debian bundle from a captured machine:
#      tests/fixtures/machines/lenovo-thinkpad-t420-battery-wear/root -> amd64, Debian 13
#    (--today 2026-11-25, the default workshop settings). Its profile is read
#    from the bundle's selection.yaml: whatever the selector picks is what is installed.
#    The T40's i386 Debian 12 bundle is installed, rerun and booted by
#    scripts/e2e/boot-installed.sh in the same CI run (scripts/e2e.sh), not here.
# 2. scripts/e2e/packages.sh simulates the full package set of every profile of
#    `upcycle profiles list` in a chroot of its release/arch, and installs each
#    bundle for real (`--bundle`): its own package selection in d-i's order, the
#    debconf answers of its preseed.cfg, then its postinstall.sh twice (the
#    second run must change nothing). The order check (finding P1) is left out
#    (`--no-order-check`: it only reports, and costs minutes), and the three
#    release/arch chroots are worked on at the same time (`--jobs 3`: downloads,
#    debootstrap and the bundle's dpkg run overlap; runs in docs/e2e.md, not compared
#    with --jobs 1 under the same conditions).
#
# Output: packages.sh's, ending in "N passed, M failed"; exit 1 on any failure.
# Needs root, debootstrap, jq, zstd and the Debian and Ubuntu archives (docs/e2e.md).
# UPCYCLE: the upcycle binary (default target/release/upcycle, built if missing).
set -euo pipefail
export LC_ALL=C

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/../.." && pwd)
upcycle=${UPCYCLE:-$repo_root/target/release/upcycle}
if [ ! -x "$upcycle" ]; then
    echo "packages-ci.sh: building $upcycle (cargo build --release)" >&2
    (cd "$repo_root" && cargo build --release --locked -q)
fi
export UPCYCLE=$upcycle

work=$(mktemp -d "${TMPDIR:-/tmp}/upcycle-packages-ci.XXXXXX")
trap 'rm -rf "$work"' EXIT

args=()
# (a list: more machines' bundles can be added here)
machines=(lenovo-thinkpad-t420-battery-wear)
for m in "${machines[@]}"; do
    "$upcycle" generate "$repo_root/tests/fixtures/machines/$m/root" -o "$work/$m" --today 2026-11-25 -q
    bundle=$(find "$work/$m" -mindepth 2 -maxdepth 2 -name selection.yaml -printf '%h\n')
    [ "$(printf '%s\n' "$bundle" | grep -c .)" = 1 ] || {
        echo "packages-ci.sh: error: expected one bundle in $work/$m, found: ${bundle:-none}" >&2
        exit 1
    }
    echo "packages-ci.sh: $m -> $("$upcycle" bundle-info "$bundle" | jq -r .profile) (bundle $bundle)" >&2
    args+=(--bundle "$bundle")
done

# In the background, so that a TERM (e.g. from e2e.sh's timeout) reaches packages.sh
# at once: its own trap ends what runs in the chroots and unmounts them. Not exec:
# the EXIT trap removes the bundles afterwards.
"$script_dir/packages.sh" "${args[@]}" --no-order-check --jobs 3 "$@" &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null; wait "$pid"; exit 130' INT TERM
rc=0
wait "$pid" || rc=$?
exit "$rc"
