#!/usr/bin/env bash
# Benchmark of serve's events from the room: 30 fake laptops (UDP sockets on 127.0.0.10 to
# 127.0.0.39, each first says hello with its bundle's install token over HTTP, as a real
# installer's partman/early_command does) send d-i syslog lines to `upcycle serve` at RATE
# lines a second in all, for SECONDS; then the lines the ledger recorded are counted
# (`upcycle status --format json`, log_lines) against the lines sent. Writes the results
# into docs/benchmarks.md between the serve-events markers.
#
# Usage: scripts/bench-serve-events.sh
#
# Target: 1,000 lines/s from 30 laptops without loss (issue #13). Not a timed test: a
# shared VM is too noisy to gate CI on; the load average is recorded.
#
# Environment:
#   RATES="N..."   lines a second, in all [default: "1000 5000"]
#   SECONDS_EACH=N how long each rate is sent [default: 10]
#   BIN=PATH       the upcycle to measure [default: target/release/upcycle, built]
set -euo pipefail
cd "$(dirname "$0")/.."
prog=bench-serve-events
# shellcheck source=scripts/lib.sh
. scripts/lib.sh
[[ ${1:-} == -h || ${1:-} == --help ]] && show_help

RATES=${RATES:-1000 5000}
SECONDS_EACH=${SECONDS_EACH:-10}
LAPTOPS=30
need_command python3 python3

if [[ -z ${BIN:-} ]]; then
    note "building this upcycle (release)"
    cargo build --release --locked -q
    BIN=target/release/upcycle
fi

work=$(mktemp -d /dev/shm/upcycle-bench-serve.XXXXXX 2>/dev/null || mktemp -d)
server=""
cleanup() {
    [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

note "a room of $LAPTOPS bundles"
"$BIN" -q synthetic-reports tests/fixtures/machines "$work/in" $((LAPTOPS + 10))
# Some synthetic machines fit no profile (exit 7): only the bundles made count.
"$BIN" batch "$work/in" -o "$work/room" --today 2026-11-25 --quiet \
    --skip-validator debconf --skip-validator shellcheck --skip-validator bash || [[ $? == 7 ]]
count=$(find "$work/room" -mindepth 2 -maxdepth 2 -name preseed.cfg | wc -l)
((count >= LAPTOPS)) || die "the batch made $count preseed bundles, $LAPTOPS needed"

rows=""
for rate in $RATES; do
    "$BIN" serve "$work/room" --listen 127.0.0.1:0 2>"$work/serve.log" &
    server=$!
    for _ in $(seq 100); do
        grep -q "^listening on " "$work/serve.log" 2>/dev/null && break
        sleep 0.1
    done
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$work/serve.log")
    [[ -n $port ]] || die "serve did not start: $(cat "$work/serve.log")"
    before=$("$BIN" status --ledger "$work/room" --format json |
        python3 -c "import json, sys; print(sum(r['log_lines'] for r in json.load(sys.stdin)))")
    result=$(python3 - "$work/room" "$port" "$rate" "$SECONDS_EACH" "$LAPTOPS" <<'PY'
import glob, http.client, os, re, socket, sys, time
room, port, rate, seconds, laptops = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
bundles = sorted(glob.glob(os.path.join(room, "*", "preseed.cfg")))[:laptops]
socks = []
for i, preseed in enumerate(bundles):
    ip = f"127.0.0.{10 + i}"
    m = re.search(r"/_upcycle/hello/([a-z0-9-]+)/([0-9a-f]{32})", open(preseed).read())
    conn = http.client.HTTPConnection("127.0.0.1", port, source_address=(ip, 0), timeout=10)
    conn.request("GET", f"/_upcycle/hello/{m.group(1)}/{m.group(2)}")
    assert conn.getresponse().status == 200, preseed
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((ip, 0))
    socks.append(s)
items = ["ethdetect", "download-installer", "partman-base", "bootstrap-base", "apt-setup-udeb", "pkgsel", "grub-installer", "finish-install"]
sent, start, tick = 0, time.monotonic(), 0.01
total = int(rate * seconds)
while sent < total:
    due = min(total, int((time.monotonic() - start) * rate) + 1)
    while sent < due:
        s = socks[sent % len(socks)]
        n = sent // len(socks)
        if n % 500 == 0:
            line = f"<14>Dec  6 09:00:00 main-menu[242]: INFO: Menu item '{items[(n // 500) % len(items)]}' selected"
        else:
            line = f"<13>Dec  6 09:00:00 debootstrap: I: Unpacking package {n} of laptop {sent % len(socks)}"
        s.sendto(line.encode(), ("127.0.0.1", port))
        sent += 1
    time.sleep(tick)
elapsed = time.monotonic() - start
print(f"{sent} {elapsed:.2f}")
PY
)
    read -r sent elapsed <<<"$result"
    sleep 2 # the writer writes every 250 ms
    after=$("$BIN" status --ledger "$work/room" --format json |
        python3 -c "import json, sys; print(sum(r['log_lines'] for r in json.load(sys.stdin)))")
    cpu=$(python3 -c "import os,sys; f=open(f'/proc/{sys.argv[1]}/stat').read().rsplit(')',1)[1].split(); print(f'{(int(f[11])+int(f[12]))/os.sysconf(\"SC_CLK_TCK\"):.2f}')" "$server")
    kill "$server"
    wait "$server" 2>/dev/null || true
    server=""
    recorded=$((after - before))
    lost=$((sent - recorded))
    achieved=$(python3 -c "print(f'{$sent / $elapsed:.0f}')")
    verdict=$([[ $lost -eq 0 ]] && echo PASS || echo "FAIL")
    note "rate $rate/s: sent $sent in $elapsed s ($achieved/s), recorded $recorded, lost $lost; serve CPU $cpu s"
    rows+="| $rate lines/s from $LAPTOPS laptops, ${SECONDS_EACH} s | $sent ($achieved/s) | $recorded | $lost | $cpu s | $verdict |"$'\n'
done

table=$(cat <<TABLE
Measured $(date -u +%Y-%m-%d) on $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end, ledger on $(df --output=fstype "$work" | tail -1); upcycle at $(git rev-parse --short HEAD)$(git diff --quiet || echo " + uncommitted changes") ($BIN).

| run | lines sent (rate reached) | lines recorded | lost | serve CPU (user+sys) | target: none lost |
|---|---|---|---|---|---|
${rows}
TABLE
)
echo "$table"
python3 - docs/benchmarks.md "$table" <<'PY'
import sys
path, table = sys.argv[1], sys.argv[2]
text = open(path).read()
begin, end = "<!-- serve-events-bench:begin -->", "<!-- serve-events-bench:end -->"
block = f"{begin}\n{table}\n{end}"
if begin in text:
    text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
else:
    text = text.rstrip("\n") + "\n\n## Serve: the installers' syslog (`scripts/bench-serve-events.sh`)\n\n" + block + "\n"
open(path, "w").write(text)
PY
