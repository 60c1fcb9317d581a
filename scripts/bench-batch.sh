#!/usr/bin/env bash
# Benchmark of `upcycle batch`: 1,000 and 10,000 synthetic reports (made from the fixture
# machines by the hidden `upcycle synthetic-reports`) to bundles plus inventory. Reports wall
# time and peak memory (minus /bin/true's, measured in the same run) and writes the
# results into docs/benchmarks.md between the batch markers.
# Targets: 1,000 reports in at most 2 s; 10,000 in at most 12 x the 1,000 time; peak
# memory at most 100 MiB.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
cargo build --release --locked -q
bin=target/release/upcycle
work=$(mktemp -d /dev/shm/upcycle-bench.XXXXXX 2>/dev/null || mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() { # LABEL CMD... -> "seconds kib"
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1 || true
    tail -n 1 "$work/time"
}

read -r _ true_kib < <(measure /bin/true)
secs_1000=0 secs_10000=0 kib_1000=0 kib_10000=0
for n in 1000 10000; do
    "$bin" -q synthetic-reports tests/fixtures/machines "$work/in-$n" "$n"
    read -r s k < <(measure "$bin" batch "$work/in-$n" -o "$work/out-$n" --today 2026-11-25 --quiet)
    printf -v "secs_$n" '%s' "$s"
    printf -v "kib_$n" '%s' "$(( k - true_kib ))"
    echo "batch of $n reports: ${s} s, peak memory $(( k / 1024 )) MiB (excess over /bin/true: $(( (k - true_kib) / 1024 )) MiB)"
    rm -rf "$work/in-$n" "$work/out-$n"
done
ratio=$(python3 -c "print(f'{$secs_10000/$secs_1000:.1f}')")
verdict() { python3 -c "print('PASS' if $1 else 'FAIL')"; }
table=$(cat <<TABLE
Measured $(date -u +%Y-%m-%d) on $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), load average $(cut -d' ' -f1 /proc/loadavg), output on $(df --output=fstype "$work" | tail -1).

| run | wall time | peak memory above /bin/true | target | result |
|---|---|---|---|---|
| 1,000 reports | ${secs_1000} s | $(( kib_1000 / 1024 )) MiB | ≤ 2 s | $(verdict "${secs_1000} <= 2") |
| 10,000 reports | ${secs_10000} s (${ratio} x) | $(( kib_10000 / 1024 )) MiB | ≤ 12 x the 1,000 time, ≤ 100 MiB | $(verdict "${secs_10000} <= 12 * ${secs_1000} and ${kib_10000} <= 100 * 1024") |
TABLE
)
echo "$table"
doc=docs/benchmarks.md
python3 - "$doc" "$table" <<'PY'
import sys
path, table = sys.argv[1], sys.argv[2]
text = open(path).read()
begin, end = "<!-- batch-bench:begin -->", "<!-- batch-bench:end -->"
block = f"{begin}\n{table}\n{end}"
if begin in text:
    text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
else:
    text = text.rstrip("\n") + "\n\n## Batch: 1,000 and 10,000 reports (`scripts/bench-batch.sh`)\n\n" + block + "\n"
open(path, "w").write(text)
PY
