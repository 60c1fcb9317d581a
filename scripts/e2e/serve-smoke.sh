#!/usr/bin/env bash
# serve-smoke.sh: route 2 of a bundle's boot.txt, end to end: the real Debian
# installer in QEMU (scripts/e2e/qemu-smoke.sh), booted with the kernel line that
# boot.txt gives for an official image (url=http://WORKSHOP-PC:8080/<id>/preseed.cfg),
# fetches its preseed from `upcycle serve` over HTTP and reaches the download stage
# without a question, in the workshop's default locale (de_DE.UTF-8), with d-i on
# the VGA console as on a laptop's screen (qemu-smoke.sh --console vga; on a
# serial console localechooser would ignore German: docs/e2e.md, finding 10).
# scripts/e2e/netboot-boot.sh (in scripts/e2e.sh) proves the same line for Debian
# 12 i386 over PXE; this script is the Debian 13 amd64 counterpart, run by hand.
#
# Usage: scripts/e2e/serve-smoke.sh [--timeout T] [--workdir DIR]
#   --timeout T    limit passed to qemu-smoke.sh (minutes, or Ns / Nm; default 12m);
#                  the run is also hard-bounded at T + 6 min
#   --workdir DIR  where the workshop file, bundle, logs and result go
#                  (default: a new temp dir, kept)
# Environment: UPCYCLE=path (default: cargo build --release --locked, then
#   target/release/upcycle), DEBIAN_MIRROR (default: the first http://.../debian URI
#   of this machine's APT sources, as qemu-smoke.sh uses).
#
# What it does:
#   1. a workshop file: data/workshop-default.yaml with mirror.host/directory set to
#      this machine's APT mirror and proxy "http://10.0.2.100:80/" (qemu-smoke.sh
#      forwards that address to the mirror);
#   2. upcycle generate tests/fixtures/machines/lenovo-thinkpad-t420-battery-wear
#      (Debian 13 amd64) into DIR/bundles;
#   3. upcycle serve DIR/bundles --listen 127.0.0.1:0 (QEMU's user network shows the
#      host's loopback to the guest as 10.0.2.2), port read from its first line;
#   4. boot.txt's route-2 line with WORKSHOP-PC:8080 replaced by 10.0.2.2:PORT is
#      passed with --boot-params, and qemu-smoke.sh --served --console vga boots
#      the plain netboot initrd (no preseed inside): everything comes over HTTP;
#   5. pass = qemu-smoke.sh passes AND serve logged
#      "<asset-id> hat seine Antwortdatei (preseed.cfg) geholt (von 127.0.0.1)" (German, as
#      a volunteer sees it).
# Output: one line, then exactly "N passed, M failed". Exit: 0 pass, 1 fail,
# 2 error (infrastructure, build, generate). See docs/serve.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$here/../.." && pwd)
prog=serve-smoke
die_stdout="0 passed, 1 failed"   # die's line on stdout: the summary of this one run
# shellcheck source=scripts/lib.sh
. "$here/../lib.sh"

FIXTURE=lenovo-thinkpad-t420-battery-wear
ASSET_ID=schule-001

workdir=""
e2e_args 12m "workdir" "$@"

# --- the mirror this machine's APT uses (the rule of qemu-smoke.sh) ------------
use_mirror

# --- upcycle -------------------------------------------------------------------
upcycle=$(find_upcycle "$repo_root") || die "no usable upcycle binary (UPCYCLE, or cargo build --release in $repo_root)"

use_workdir serve-smoke
note "work dir $workdir (kept); upcycle $("$upcycle" --version 2>/dev/null || echo '?')"

# --- 1. workshop file, 2. bundle -------------------------------------------------
write_workshop "$repo_root/data/workshop-default.yaml" "$workdir/workshop.yaml" ||
    die "could not write the workshop file from data/workshop-default.yaml"
rm -rf "$workdir/bundles"
"$upcycle" generate "$repo_root/tests/fixtures/machines/$FIXTURE/root" --workshop "$workdir/workshop.yaml" \
    -o "$workdir/bundles" --today 2026-11-25 >"$workdir/generate.log" 2>&1 ||
    die "upcycle generate failed (see $workdir/generate.log)"
bundle=$workdir/bundles/$ASSET_ID
[[ -r $bundle/preseed.cfg && -r $bundle/boot.txt ]] || die "no $bundle/preseed.cfg and boot.txt"
grep -q '^d-i mirror/suite string trixie$' "$bundle/preseed.cfg" || die "$bundle is not a Debian 13 bundle"

# --- 3. the server ---------------------------------------------------------------
serve_log=$workdir/serve.log
serve_pid=""
trap '[[ -z $serve_pid ]] || kill "$serve_pid" 2>/dev/null || true' EXIT
upcycle_serve "$upcycle" "$workdir/bundles" "$serve_log" --lang de
port=$serve_port
note "upcycle serve on 127.0.0.1:$port (the guest's 10.0.2.2:$port)"

# --- 4. the route-2 kernel line, the installer ---------------------------------------
# (route 2's kernel line: the line of section 2 that starts with auto=true, in any language)
line=$(awk '/^[0-9]+\.[[:space:]]/ { sec = $1 }
    sec == "2." && /^[[:space:]]+auto=true / { sub(/^[[:space:]]+/, ""); sub(/[[:space:]]+$/, ""); print; exit }' "$bundle/boot.txt")
want="url=http://WORKSHOP-PC:8080/$ASSET_ID/preseed.cfg"
[[ " $line " == *" $want "* ]] || die "boot.txt route 2 has no '$want': '$line'"
params=${line//WORKSHOP-PC:8080/10.0.2.2:$port}
# the installer's syslog goes to qemu-smoke.sh's own receiver (it adds log_host/log_port;
# a later pair on the line would win, and WORKSHOP-PC names no host here)
params=${params// log_host=WORKSHOP-PC/}
params=${params// log_port=8080/}
note "boot.txt route 2: $params"

start=$(date +%s)
rc=0
timeout --kill-after=30 $((timeout_s + 360)) "$here/qemu-smoke.sh" --release 13 --timeout "${timeout_s}s" \
    --result "$workdir/result.json" --workdir "$workdir/smoke" --boot-params "$params" --served --console vga \
    "$bundle/preseed.cfg" amd64 >"$workdir/smoke.log" 2>&1 || rc=$?
took=$(($(date +%s) - start))
took_s=$(printf '%d:%02d' $((took / 60)) $((took % 60)))
sed -n '/^== upcycle d-i smoke test/,$p' "$workdir/smoke.log" >&2 || true
rm -f "$workdir/smoke/initrd.gz"
kill "$serve_pid" 2>/dev/null || true
wait "$serve_pid" 2>/dev/null || true
note "upcycle serve's log:"
sed 's/^/  /' "$serve_log" >&2

label="amd64 Debian 13, preseed over HTTP from upcycle serve"
fetched="$ASSET_ID hat seine Antwortdatei (preseed.cfg) geholt (von 127.0.0.1)"
if ! grep -qxF "$fetched" "$serve_log"; then
    printf 'FAIL  %s: serve never logged "%s" (qemu-smoke.sh exit %s) [%s]\n' "$label" "$fetched" "$rc" "$took_s"
    printf '0 passed, 1 failed\n'
    exit 1
fi
case $rc in
    0) printf 'PASS  %s: fetched, then reached the download stage without a question [%s]\n' "$label" "$took_s"
        printf '1 passed, 0 failed\n'; exit 0 ;;
    1) printf 'FAIL  %s: fetched, but the installer stopped early (result: %s) [%s]\n' "$label" "$workdir/result.json" "$took_s"
        printf '0 passed, 1 failed\n'; exit 1 ;;
    *) printf 'ERROR %s: qemu-smoke.sh exit %s (log: %s) [%s]\n' "$label" "$rc" "$workdir/smoke.log" "$took_s"
        printf '0 passed, 1 failed\n'; exit 2 ;;
esac
