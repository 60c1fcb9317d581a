#!/usr/bin/env bash
# Check that the static musl binaries report exactly what the normal build reports.
#
# Usage: scripts/test-static.sh
#
# 1. scripts/build-static.sh (builds and checks the x86_64 and i686 musl binaries);
# 2. for every fixture tests/fixtures/machines/*/root, runs
#      i686 musl binary     probe --root DIR --format json
#      x86_64 musl binary   probe --root DIR --format json
#      cargo run --quiet -- probe --root DIR --format json      (debug build)
#    and checks that the three outputs (stdout and exit status) are byte-identical;
#    when qemu-i386 is installed (and NO_QEMU=1 is not set), also runs the i686 binary on an emulated
#    Pentium-M-class CPU (qemu-i386 -cpu pentium3,+sse2) and checks the same output;
# 3. runs the live `probe --format json` of this machine with the i686 binary (and the
#    x86_64 one): exit status 0, JSON that python3 -m json.tool parses, and
#    "schema": "upcycle.report/v1".
# 4. runs `batch` with the x86_64 release binary on two fixtures while the test hook
#    UPCYCLE_TEST_PANIC makes one of them panic: the release profile must unwind, so the
#    batch ends with exit 7, that machine's row says "interner Fehler" (the German
#    workshop default's words for "internal error") and the other
#    machine's bundle is written (with panic = "abort" the process would die instead).
# Prints one line per check, details of each failure, and last `N passed, M failed`.
# Exits 1 when any check failed.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET_DIR=${CARGO_TARGET_DIR:-target}
SCHEMA=upcycle.report/v1
QEMU_PENTIUM_M=pentium3,+sse2

passed=0
failed=0
failures=()
pass() {
    passed=$((passed + 1))
    printf 'ok   %s\n' "$1"
}
fail() {
    failed=$((failed + 1))
    failures+=("$1")
    printf 'FAIL %s\n' "$1"
}
finish() {
    if ((failed > 0)); then
        printf '\ntest-static: %d check(s) FAILED:\n' "$failed"
        printf '  - %s\n' "${failures[@]}"
    fi
    printf '%d passed, %d failed\n' "$passed" "$failed"
    ((failed == 0))
}

if scripts/build-static.sh; then
    pass "scripts/build-static.sh (build, static linking, i686 runs, Pentium M instruction set)"
else
    fail "scripts/build-static.sh failed (see its error line above)"
    finish || exit 1
fi
# shellcheck source=/dev/null
. "$TARGET_DIR/static-build.env"
: "${BIN_X64:?}" "${BIN_I686:?}"
I686_RUNNER=${I686_RUNNER:-}
run_i686() {
    if [[ -n $I686_RUNNER ]]; then
        "$I686_RUNNER" "$BIN_I686" "$@"
    else
        "$BIN_I686" "$@"
    fi
}
[[ -z $I686_RUNNER ]] || echo "test-static: the kernel does not run i386 binaries; running the i686 binary through $I686_RUNNER"
have_qemu=0
if [[ ${NO_QEMU:-0} != 1 ]] && command -v qemu-i386 >/dev/null; then
    have_qemu=1
fi
command -v python3 >/dev/null || {
    echo "test-static: python3 is missing (apt-get install python3)" >&2
    exit 1
}

echo "== cargo build (debug, for cargo run)"
cargo build --quiet --locked

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run LABEL CMD...: stdout to $tmp/LABEL.out, stderr to .err, exit status to .rc
run() {
    local label=$1
    shift
    local rc=0
    "$@" >"$tmp/$label.out" 2>"$tmp/$label.err" || rc=$?
    echo "$rc" >"$tmp/$label.rc"
}

# same NAME A B: check that runs A and B printed the same and exited the same
same() {
    local what=$1 a=$2 b=$3 rca rcb
    rca=$(<"$tmp/$a.rc")
    rcb=$(<"$tmp/$b.rc")
    if [[ $rca != "$rcb" ]]; then
        fail "$what: exit status $a=$rca, $b=$rcb"
        sed 's/^/    stderr of '"$a"': /' "$tmp/$a.err" | head -5 || true
        sed 's/^/    stderr of '"$b"': /' "$tmp/$b.err" | head -5 || true
    elif ! cmp -s "$tmp/$a.out" "$tmp/$b.out"; then
        fail "$what: outputs differ"
        { diff -u --label "$a" --label "$b" "$tmp/$a.out" "$tmp/$b.out" || true; } | head -40 | sed 's/^/    /' || true
    else
        pass "$what (exit $rca, $(wc -c <"$tmp/$a.out") bytes)"
    fi
}

shopt -s nullglob
fixtures=(tests/fixtures/machines/*/root)
if ((${#fixtures[@]} == 0)); then
    fail "no fixture found under tests/fixtures/machines/*/root"
    finish || exit 1
fi

for dir in "${fixtures[@]}"; do
    name=$(basename "$(dirname "$dir")")
    echo "== $name"
    run "$name.i686" run_i686 probe --root "$dir" --format json
    run "$name.x86_64" "$BIN_X64" probe --root "$dir" --format json
    run "$name.debug" cargo run --quiet --locked -- probe --root "$dir" --format json
    if [[ $(<"$tmp/$name.debug.rc") != 0 ]]; then
        fail "$name: cargo run probe exited $(<"$tmp/$name.debug.rc")"
        sed 's/^/    /' "$tmp/$name.debug.err" | head -5 || true
    fi
    same "$name: i686 == x86_64 musl" "$name.i686" "$name.x86_64"
    same "$name: x86_64 musl == cargo run (debug)" "$name.x86_64" "$name.debug"
    if ((have_qemu)); then
        run "$name.pentium-m" qemu-i386 -cpu "$QEMU_PENTIUM_M" "$BIN_I686" probe --root "$dir" --format json
        same "$name: i686 on emulated Pentium M (qemu-i386 -cpu $QEMU_PENTIUM_M) == x86_64 musl" \
            "$name.pentium-m" "$name.x86_64"
    fi
done

# check_live LABEL: the live probe run LABEL exited 0 and printed a v1 JSON report
check_live() {
    local label=$1 rc
    rc=$(<"$tmp/$label.rc")
    if [[ $rc == 0 ]]; then
        pass "$label probe --format json: exit 0"
    else
        fail "$label probe --format json: exit $rc"
        sed 's/^/    /' "$tmp/$label.err" | head -10 || true
    fi
    if python3 -m json.tool <"$tmp/$label.out" >/dev/null 2>"$tmp/$label.json-err"; then
        pass "$label probe --format json: JSON parses (python3 -m json.tool)"
    else
        fail "$label probe --format json: not JSON: $(head -1 "$tmp/$label.json-err")"
        head -c 400 "$tmp/$label.out" | sed 's/^/    /'
        return
    fi
    local schema
    schema=$(python3 -c 'import json, sys; print(json.load(sys.stdin).get("schema"))' <"$tmp/$label.out")
    if [[ $schema == "$SCHEMA" ]]; then
        pass "$label probe --format json: \"schema\": \"$SCHEMA\""
    else
        fail "$label probe --format json: schema is \"$schema\", want \"$SCHEMA\""
    fi
}

echo "== live probe of this machine"
run live-i686 run_i686 probe --format json
check_live live-i686
run live-x86_64 "$BIN_X64" probe --format json
check_live live-x86_64

echo "== release build: a bug in one machine fails that machine, not the batch"
rc=0
fx=tests/fixtures/machines
UPCYCLE_TEST_PANIC=lenovo-thinkpad-x220 "$BIN_X64" batch "$fx/ibm-thinkpad-t40/root" "$fx/lenovo-thinkpad-x220/root" \
    -o "$tmp/panic-out" --today 2026-11-25 >"$tmp/panic.out" 2>"$tmp/panic.err" || rc=$?
if [[ $rc == 7 ]] && grep -q 'lenovo-thinkpad-x220.*interner Fehler' "$tmp/panic-out/inventory.csv" &&
    [[ -s $tmp/panic-out/schule-001/preseed.cfg ]]; then
    pass "release batch with one panicking machine: exit 7, its row failed, the other bundle written"
else
    fail "release batch with one panicking machine: exit $rc (want 7)"
    sed 's/^/    /' "$tmp/panic.err" | tail -5 || true
fi

finish || exit 1
