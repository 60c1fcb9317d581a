#!/usr/bin/env bash
# Overwrite throughput of `upcycle erase` as a ratio to dd with the same block size and
# O_DIRECT on the same loop device (goal >= 0.95). Needs root and loop devices.
# Usage: scripts/bench-erase.sh [SIZE_MIB] [RUNS]   (default 2048 MiB, 3 runs each)
set -euo pipefail
size_mib=${1:-2048}
runs=${2:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${UPCYCLE:-$here/target/release/upcycle}
[ -x "$bin" ] || bin=$here/target/debug/upcycle
work=$(mktemp -d)
loop=""
cleanup() { [ -n "$loop" ] && losetup -d "$loop" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
truncate -s "${size_mib}M" "$work/disk.img"
# A fully allocated backing file, so neither tool pays for allocation.
dd if=/dev/zero of="$work/disk.img" bs=4M count=$((size_mib / 4)) conv=fsync status=none
loop=$(losetup --find --show "$work/disk.img")
bytes=$((size_mib * 1024 * 1024))
echo "device $loop, $size_mib MiB, binary $bin, block 4 MiB, $runs runs each"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$runs"); do
  start=$(date +%s.%N)
  dd if=/dev/zero of="$loop" bs=4M count=$((size_mib / 4)) oflag=direct conv=fsync status=none
  end=$(date +%s.%N)
  dd_s=$(echo "$end - $start" | bc -l)
  rec="$work/rec-$i"
  "$bin" -q erase --yes "$loop" --method overwrite --verify sample --record "$rec" >/dev/null
  up_s=$(grep -A20 '^sanitization:' "$rec"/*.yaml | awk '/^  seconds:/ {print $2; exit}')
  printf 'run %d: dd %.2f s (%.0f MB/s), upcycle %.2f s (%.0f MB/s), ratio %.3f\n' "$i" \
    "$dd_s" "$(echo "$bytes / $dd_s / 1000000" | bc -l)" "$up_s" "$(echo "$bytes / $up_s / 1000000" | bc -l)" \
    "$(echo "$dd_s / $up_s" | bc -l)"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
