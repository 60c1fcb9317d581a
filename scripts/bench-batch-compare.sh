#!/usr/bin/env bash
# Two upcycle binaries on the same 1,000 synthetic reports, run in turn: wall time, user+sys
# CPU and peak memory of each run, and how many files each gave to shellcheck. For "is the
# batch slower than before" (issue #11), on one machine, in one sitting.
#
#   scripts/bench-batch-compare.sh OLD_BINARY [NEW_BINARY] [RUNS]
#
# NEW_BINARY defaults to target/release/upcycle (built here). The reports are made by the
# new binary; fields an old binary does not know (`cpu.flags.cmov`, `machine.uuid`,
# `storage.controllers`, added since ae271c7) are removed with jq, for both binaries, so
# both do the same work (with cmov unknown the new one rejects no VIA C3 variant either:
# 921 bundles each; given the full reports it makes 855). Output on tmpfs.
# Stop other work on the machine for the runs: the figures are only comparable then.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

old=${1:?usage: scripts/bench-batch-compare.sh OLD_BINARY [NEW_BINARY] [RUNS]}
new=${2:-target/release/upcycle}
runs=${3:-3}
for tool in jq /usr/bin/time shellcheck; do
    command -v "$tool" >/dev/null || die "$tool is missing (apt-get install jq time shellcheck)"
done
[ "$new" != target/release/upcycle ] || cargo build --release --locked -q
work=$(mktemp -d /dev/shm/upcycle-compare.XXXXXX 2>/dev/null || mktemp -d)
trap 'rm -rf "$work"' EXIT

"$new" -q synthetic-reports tests/fixtures/machines "$work/in-new" 1000
mkdir "$work/in-old"
for f in "$work"/in-new/*; do
    jq -c 'del(.cpu.flags.cmov, .machine.uuid, .storage.controllers)' "$f" >"$work/in-old/${f##*/}"
done

# A shellcheck that counts the files it is given, in front of the real one.
mkdir "$work/bin"
cat >"$work/bin/shellcheck" <<EOF
#!/bin/sh
for a in "\$@"; do [ -f "\$a" ] && echo x >>"$work/shellcheck-files"; done
exec $(command -v shellcheck) "\$@"
EOF
chmod +x "$work/bin/shellcheck"

one() { # LABEL BINARY INPUT
    rm -rf "$work/out" "$work/shellcheck-files"
    PATH="$work/bin:$PATH" /usr/bin/time -f "%e %U %S %M" -o "$work/time" \
        "$2" batch "$3" -o "$work/out" --today 2026-11-25 --quiet >/dev/null 2>&1 || true
    read -r wall user sys kib < <(tail -n 1 "$work/time")
    printf '| %s | %s s | %.2f s | %d MiB | %d | %d |\n' "$1" "$wall" "$(echo "$user + $sys" | bc)" \
        $((kib / 1024)) "$(wc -l <"$work/shellcheck-files" 2>/dev/null || echo 0)" \
        "$(find "$work/out" -name preseed.cfg -o -name user-data | wc -l)"
}

echo "$(date -u +%Y-%m-%d) on $(nproc) CPUs, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| binary | wall time | user + sys CPU | peak RSS | files given to shellcheck | bundles |"
echo "|---|---|---|---|---|---|"
for _ in $(seq "$runs"); do
    one "before ($old)" "$old" "$work/in-old"
    one "now ($new)" "$new" "$work/in-old"
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
