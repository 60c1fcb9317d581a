#!/usr/bin/env bash
# Benchmark of the workshop ledger: `upcycle batch` of 1,000 and 10,000 synthetic reports
# (the hidden `upcycle synthetic-reports`) with the ledger, against the same batch by the
# upcycle before the ledger (BASE_REV, built from `git archive` into its own target
# folder), and `upcycle status` on the 10,000-machine ledger. Writes the results into
# docs/benchmarks.md between the ledger markers.
#
# Usage: scripts/bench-ledger.sh
#
# Targets: a batch with the ledger at most 15 % slower than without (median of RUNS runs
# each, alternating); `status` on 10,000 machines under 200 ms (median of 10 runs).
# Not a timed test: a shared VM is too noisy to gate CI on; the load average is recorded.
#
# Environment:
#   BASE_REV=REV   the upcycle without the ledger [default: the parent of the commit
#                  that added src/ledger/mod.rs]
#   RUNS=N         runs per batch size and binary [default: 3]
#   SIZES="N..."   batch sizes [default: "1000 10000"]
set -euo pipefail
cd "$(dirname "$0")/.."
prog=bench-ledger
# shellcheck source=scripts/lib.sh
. scripts/lib.sh
[[ ${1:-} == -h || ${1:-} == --help ]] && show_help

RUNS=${RUNS:-3}
SIZES=${SIZES:-1000 10000}
if [[ -z ${BASE_REV:-} ]]; then
    added=$(git log --diff-filter=A --format=%H -1 -- src/ledger/mod.rs)
    [[ -n $added ]] || die "cannot find the commit that added src/ledger/mod.rs: set BASE_REV"
    BASE_REV=$(git rev-parse --short "$added^")
fi
need_command /usr/bin/time time
need_command python3 python3

note "building this upcycle (release)"
cargo build --release --locked -q
bin=target/release/upcycle
base_dir=target/bench-base/$BASE_REV
if [[ ! -x $base_dir/target/release/upcycle ]]; then
    note "building the upcycle without the ledger ($BASE_REV, release) in $base_dir"
    rm -rf "$base_dir/src-tree"
    mkdir -p "$base_dir/src-tree"
    git archive "$BASE_REV" | tar -x -C "$base_dir/src-tree"
    cargo build --release --locked -q --manifest-path "$base_dir/src-tree/Cargo.toml" --target-dir "$base_dir/target"
fi
base=$base_dir/target/release/upcycle

work=$(mktemp -d /dev/shm/upcycle-bench-ledger.XXXXXX 2>/dev/null || mktemp -d)
trap 'rm -rf "$work"' EXIT

seconds() { # CMD... -> wall seconds (as /usr/bin/time measures them)
    /usr/bin/time -f "%e" -o "$work/time" "$@" >/dev/null 2>&1 || true
    tail -n 1 "$work/time"
}
median() { python3 -c "import statistics, sys; print(f'{statistics.median(map(float, sys.argv[1:])):.3f}')" "$@"; }

rows=""
status_ms=""
for n in $SIZES; do
    "$bin" -q synthetic-reports tests/fixtures/machines "$work/in-$n" "$n"
    with=() without=()
    for ((r = 1; r <= RUNS; r++)); do
        rm -rf "$work/out-base" "$work/out-ledger"
        without+=("$(seconds "$base" batch "$work/in-$n" -o "$work/out-base" --today 2026-11-25 --quiet)")
        with+=("$(seconds "$bin" batch "$work/in-$n" -o "$work/out-ledger" --today 2026-11-25 --quiet)")
    done
    m_without=$(median "${without[@]}")
    m_with=$(median "${with[@]}")
    slower=$(python3 -c "print(f'{($m_with / $m_without - 1) * 100:+.1f}')")
    verdict=$(python3 -c "print('PASS' if $m_with <= 1.15 * $m_without else 'FAIL')")
    note "batch of $n: without the ledger ${without[*]} s, with ${with[*]} s: $slower %"
    rows+="| batch of $n reports | $m_without s (${without[*]}) | $m_with s (${with[*]}) | $slower % | ≤ +15 % | $verdict |"$'\n'
    if [[ $n == 10000 ]]; then
        machines=$("$bin" status --ledger "$work/out-ledger" --format json | python3 -c "import json, sys; print(len(json.load(sys.stdin)))")
        times=()
        for ((r = 1; r <= 10; r++)); do
            t0=$(date +%s%N)
            "$bin" status --ledger "$work/out-ledger" >/dev/null
            times+=("$(( ($(date +%s%N) - t0) / 1000000 ))")
        done
        status_ms=$(median "${times[@]}")
        note "status on $machines machines: ${times[*]} ms"
        status_row="| \`status\` on $machines machines (text table) | | $status_ms ms (median of ${times[*]}) | | < 200 ms | $(python3 -c "print('PASS' if $status_ms < 200 else 'FAIL')") |"
    fi
    rm -rf "$work/in-$n" "$work/out-base" "$work/out-ledger"
done

table=$(cat <<TABLE
Measured $(date -u +%Y-%m-%d) on $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end, output on $(df --output=fstype "$work" | tail -1); without the ledger: upcycle at $BASE_REV, with: at $(git rev-parse --short HEAD)$(git diff --quiet || echo " + uncommitted changes"); $RUNS runs each, alternating.

| run | without the ledger | with the ledger | difference | target | result |
|---|---|---|---|---|---|
${rows}${status_row:-}
TABLE
)
echo "$table"
python3 - docs/benchmarks.md "$table" <<'PY'
import sys
path, table = sys.argv[1], sys.argv[2]
text = open(path).read()
begin, end = "<!-- ledger-bench:begin -->", "<!-- ledger-bench:end -->"
block = f"{begin}\n{table}\n{end}"
if begin in text:
    text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
else:
    text = text.rstrip("\n") + "\n\n## Ledger: batch with and without it, status (`scripts/bench-ledger.sh`)\n\n" + block + "\n"
open(path, "w").write(text)
PY
