#!/usr/bin/env bash
# Build the static musl binaries of upcycle that run from any live USB, 32- or 64-bit:
#
#   target/x86_64-unknown-linux-musl/release/upcycle   (ELF 64-bit, static-pie)
#   target/i686-unknown-linux-musl/release/upcycle     (ELF 32-bit Intel 80386, static)
#
# Usage: scripts/build-static.sh
#
# What it does, in order:
#   1. installs what is missing: the two rustup targets, and (when run as root on
#      Debian) the apt packages it needs: gcc (the `cc` that rustc drives as linker,
#      with -m32 for i686), binutils (objdump), file, qemu-user (qemu-i386), and musl's
#      C headers for the bundled SQLite of the workshop ledger: musl-tools (musl-gcc,
#      x86_64) and musl-dev:i386 (adds the i386 architecture to dpkg);
#   2. cargo build --release --locked --target T, for both targets;
#   3. checks with `file` that both are statically linked, and that the i686 one is
#      "ELF 32-bit ... Intel 80386";
#   4. runs both with --version; the i686 one directly when the kernel runs i386
#      binaries (CONFIG_IA32_EMULATION), else through qemu-i386 (user mode);
#   5. checks that the i686 binary needs nothing newer than a Pentium M (P6 + SSE2):
#      the target features rustc enables, a scan of the disassembly, and a run of
#      the binary on an emulated Pentium-M-class CPU (qemu-i386 -cpu pentium3,+sse2);
#   6. prints the paths and sizes, and writes $TARGET_DIR/static-build.env (paths and
#      how to run the i686 binary) for scripts/test-static.sh and scripts/bench-probe.sh.
#
# Linking needs no gcc-multilib: the musl targets link with rustc's self-contained musl
# CRT objects and libc.a (-nostartfiles -nodefaultlibs), so Debian 12's plain x86_64 gcc
# with -m32 -Wl,-melf_i386 is enough. The one C dependency, SQLite (libsqlite3-sys,
# bundled), is compiled against musl's headers: musl-gcc for x86_64, gcc -m32 -nostdinc
# with /usr/include/i386-linux-musl for i686, there with -march=pentium-m (the same flags
# as .cargo/config.toml gives any i686 musl build), so its code runs on a Pentium M too.
#
# Environment:
#   NO_INSTALL=1   never run apt-get or rustup target add; fail instead
#   NO_QEMU=1      skip the emulated Pentium-M run (the static checks still run)
#   FORCE_QEMU=1   act as if the kernel could not run i386 binaries (tests the fallback)
#   ISA_AUDIT=1    also build an unstripped i686 copy (in $TARGET_DIR/isa-audit) and
#                  name the function of every instruction newer than a Pentium M
set -euo pipefail
cd "$(dirname "$0")/.."

X64=x86_64-unknown-linux-musl
I686=i686-unknown-linux-musl
TARGET_DIR=${CARGO_TARGET_DIR:-target}
BIN_X64=$TARGET_DIR/$X64/release/upcycle
BIN_I686=$TARGET_DIR/$I686/release/upcycle
ENV_FILE=$TARGET_DIR/static-build.env
# A fixture used for the emulated runs (any machine under tests/fixtures works).
FIXTURE=tests/fixtures/machines/ibm-thinkpad-t40/root
# qemu-i386 CPU standing in for a Pentium M (Banias/Dothan: P6 + MMX, SSE, SSE2; no
# SSE3). QEMU raises #UD for SSE3, SSSE3, SSE4, POPCNT, AVX... not in the model.
QEMU_PENTIUM_M=pentium3,+sse2

# Instructions newer than a Pentium M (Intel syntax mnemonics, as objdump -M intel
# prints them). SSE3, SSSE3, SSE4.1/4.2, POPCNT/LZCNT/BMI, MOVBE, AES, PCLMUL, RDRAND,
# XSAVE family, ADX, SHA, and every VEX/EVEX (AVX...) form (mnemonics starting with v).
NEWER_THAN_PENTIUM_M='^(addsubp[sd]|h(add|sub)p[sd]|lddqu|movddup|movs[hl]dup|fisttp|monitor|mwait|pshufb|ph(add|sub)(w|d|sw)|pmaddubsw|pmulhrsw|psign[bwd]|pabs[bwd]|palignr|blendv?p[sd]|pblendvb|pblendw|dpp[sd]|extractps|insertps|movntdqa|mpsadbw|packusdw|pcmpeqq|pextr[bdq]|pinsr[bdq]|pmax(sb|sd|ud|uw)|pmin(sb|sd|ud|uw)|pmov[sz]x[a-z]*|pmuldq|pmulld|ptest|round[ps][sd]|phminposuw|pcmpgtq|pcmp[ei]str[im]|crc32|popcnt|lzcnt|tzcnt|andn|bextr|blsi|blsmsk|blsr|bzhi|mulx|pdep|pext|rorx|sarx|shlx|shrx|movbe|aes[a-z]*|v?pclmul[a-z]*|rdrand|rdseed|xgetbv|xsave[a-z]*|xrstor[a-z]*|adcx|adox|sha(1|256)[a-z0-9]*|cmpxchg16b|v[a-z0-9]+)$'
# Those that ARE in the binary today, each reached only after a CPUID check or
# harmless on a Pentium M. Any mnemonic matched above and not listed here fails the
# build: find where it comes from with ISA_AUDIT=1, then fix it or extend this list.
#  - crc32fast (flate2): pclmulqdq kernels for SSE4.1, AVX2 and AVX-512, chosen at run
#    time by is_x86_feature_detected!(pclmulqdq, sse4.1, ssse3[, avx2|avx512f,
#    vpclmulqdq]); never taken on a CPU without PCLMULQDQ.
#  - std_detect: xgetbv, executed only when CPUID reports OSXSAVE.
#  - tzcnt: LLVM emits `rep bsf` (F3 0F BC), which objdump names tzcnt; CPUs without
#    BMI1 execute it as bsf, identical for the non-zero inputs LLVM uses it on (seen
#    only in std's backtrace symbolizer, gimli/addr2line).
ISA_EXPECTED='pclmullqlqdq pclmullqhqdq pclmulhqlqdq pclmulhqhqdq vpclmullqlqdq vpclmulhqhqdq vpclmullqhqdq vpclmulhqlqdq pshufb pmovzxdq pinsrd pextrd pblendw vpxor vpxorq vpternlogq vpbroadcastq vextracti32x4 vextracti128 vmovdqu vmovdqu64 vmovdqa vmovd vzeroupper xgetbv tzcnt'

prog=build-static
die_status=1
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

size_of() { stat -c %s "$1"; }
mib() { awk -v b="$1" 'BEGIN { printf "%.2f MiB", b / 1048576 }'; }

# --- 1. tools and targets -----------------------------------------------------------
command -v cargo >/dev/null || die "cargo not found (install Rust with rustup)"
command -v rustup >/dev/null || die "rustup not found: the musl targets are installed with rustup"
need_command cc gcc
need_command objdump binutils
need_command file file

installed_targets=$(rustup target list --installed)
for t in "$X64" "$I686"; do
    if ! grep -qx "$t" <<<"$installed_targets"; then
        [[ ${NO_INSTALL:-0} == 1 ]] && die "rustup target $t missing; NO_INSTALL=1 is set"
        note "rustup target add $t"
        rustup target add "$t"
    fi
done

# musl's C headers for the bundled SQLite (glibc's would not match musl's structs).
need_command musl-gcc musl-tools
MUSL_I386_INCLUDE=/usr/include/i386-linux-musl
if [[ ! -e $MUSL_I386_INCLUDE/stdio.h ]]; then
    [[ ${NO_INSTALL:-0} == 1 ]] && die "musl-dev:i386 missing ($MUSL_I386_INCLUDE); NO_INSTALL=1 is set"
    ((EUID == 0)) || die "musl-dev:i386 missing: sudo dpkg --add-architecture i386 && sudo apt-get update && sudo apt-get install musl-dev:i386"
    if ! dpkg --print-foreign-architectures | grep -x i386 >/dev/null; then
        note "dpkg --add-architecture i386 (for musl-dev:i386)"
        dpkg --add-architecture i386
        apt-get -o DPkg::Lock::Timeout=600 update -qq || true
    fi
    need_packages musl-dev:i386
    [[ -e $MUSL_I386_INCLUDE/stdio.h ]] || die "musl-dev:i386 did not install $MUSL_I386_INCLUDE"
fi
export CC_x86_64_unknown_linux_musl=musl-gcc
export CC_i686_unknown_linux_musl=gcc
CFLAGS_i686_unknown_linux_musl="-m32 -march=pentium-m -mtune=generic -nostdinc -isystem $MUSL_I386_INCLUDE -isystem $(gcc -print-file-name=include)"
export CFLAGS_i686_unknown_linux_musl

# --- 2. build -----------------------------------------------------------------------
# The static builds leave out the package lists of `profiles check` (feature
# package-lists, 2 MB), to stay small for old laptops; everything else is the same.
for t in "$X64" "$I686"; do
    note "cargo build --release --locked --no-default-features --target $t"
    cargo build --release --locked --no-default-features --target "$t" \
        || die "cargo build --release --locked --no-default-features --target $t failed"
done

# --- 3. file(1) checks --------------------------------------------------------------
check_file() { # BIN WANT_REGEX DESCRIPTION
    local out
    out=$(file -b "$1")
    note "file $1: $out"
    grep -Eq "$2" <<<"$out" || die "$1 is not $3 (file says: $out)"
    grep -Eq 'statically linked|static-pie linked' <<<"$out" ||
        die "$1 is not statically linked (file says: $out)"
}
check_file "$BIN_X64" '^ELF 64-bit .*x86-64' 'an ELF 64-bit x86-64 binary'
check_file "$BIN_I686" '^ELF 32-bit .*Intel 80386' 'an ELF 32-bit Intel 80386 binary'

# --- 4. run them --------------------------------------------------------------------
"$BIN_X64" --version >/dev/null || die "$BIN_X64 --version failed"

ia32_config=unknown
if [[ -r /proc/config.gz ]] && command -v zcat >/dev/null; then
    kconfig=$(zcat /proc/config.gz)
    if grep -q '^CONFIG_IA32_EMULATION=y' <<<"$kconfig"; then
        ia32_config=enabled
        if grep -q '^CONFIG_IA32_EMULATION_DEFAULT_DISABLED=y' <<<"$kconfig"; then
            ia32_config="built in, off by default"
        fi
    else
        ia32_config="not built (CONFIG_IA32_EMULATION unset)"
    fi
fi
case " $(cat /proc/cmdline 2>/dev/null) " in
    *" ia32_emulation=0 "* | *" ia32_emulation=false "* | *" ia32_emulation=n "*) ia32_config+=", switched off by ia32_emulation=0 on the kernel command line" ;;
    *" ia32_emulation=1 "* | *" ia32_emulation=true "* | *" ia32_emulation=y "*) ia32_config+=", switched on by ia32_emulation=1" ;;
esac
I686_RUNNER=""
if [[ ${FORCE_QEMU:-0} != 1 ]] && out=$("$BIN_I686" --version 2>&1); then
    note "i686 binary runs natively on this $(uname -m) kernel (IA32 emulation: $ia32_config): $out"
else
    [[ ${FORCE_QEMU:-0} == 1 ]] && out="not tried (FORCE_QEMU=1)"
    note "WARNING: the i686 binary does not run natively here: $out"
    note "WARNING: kernel IA32 emulation (CONFIG_IA32_EMULATION, boot option ia32_emulation=) is $ia32_config;" \
        "running it through qemu-i386 (user mode) instead"
    need_command qemu-i386 qemu-user
    I686_RUNNER=qemu-i386
    out=$(qemu-i386 "$BIN_I686" --version 2>&1) || die "$BIN_I686 --version fails under qemu-i386 too: $out"
    note "i686 binary runs under qemu-i386: $out"
fi

# --- 5. nothing newer than a Pentium M ----------------------------------------------
# 5a. what rustc compiles for: default CPU and enabled target features.
i686_cpu=$(rustc --print target-cpus --target "$I686" | awk '/default target CPU/ && !found { print $1; found = 1 }')
i686_features=$(rustc --print cfg --target "$I686" | sed -n 's/^target_feature="\(.*\)"$/\1/p' | sort | tr '\n' ' ')
note "rustc target $I686: default CPU ${i686_cpu:-?}; target features: $i686_features"
for f in $i686_features; do
    case $f in
        crt-static | x87 | mmx | fxsr | sse | sse2 | cmov | cx8) ;;
        *) die "i686 target enables feature '$f', which a Pentium M lacks (check RUSTFLAGS / .cargo/config)" ;;
    esac
done

# 5b. every instruction in the binary newer than a Pentium M must be an expected one.
mnemonics=$(objdump -d -M intel --no-show-raw-insn "$BIN_I686" |
    awk -F'\t' 'NF >= 2 { split($2, a, " "); m = a[1]; if (m ~ /^(rep|repz|repnz|repe|repne|lock|data16|addr16|bnd|notrack|cs|ds|ss|es|fs|gs)$/) m = a[2]; print m }' |
    sort | uniq -c)
newer=$(awk -v re="$NEWER_THAN_PENTIUM_M" '$2 ~ re { print $2 "(" $1 ")" }' <<<"$mnemonics" | tr '\n' ' ')
unexpected=""
for item in $newer; do
    m=${item%%(*}
    [[ " $ISA_EXPECTED " == *" $m "* ]] || unexpected+="$item "
done
note "i686 instructions newer than a Pentium M (all runtime-dispatched or bsf-compatible): ${newer:-none}"
if [[ ${ISA_AUDIT:-0} == 1 ]]; then
    audit_dir=$TARGET_DIR/isa-audit
    note "ISA_AUDIT=1: building an unstripped i686 copy in $audit_dir"
    CARGO_PROFILE_RELEASE_STRIP=false cargo build --release --locked --no-default-features --target "$I686" --target-dir "$audit_dir"
    objdump -d -M intel --no-show-raw-insn -C "$audit_dir/$I686/release/upcycle" |
        awk -F'\t' -v re="$NEWER_THAN_PENTIUM_M" '
            /^[0-9a-f]+ <.*>:$/ { fn = substr($0, index($0, "<")); next }
            NF >= 2 { split($2, a, " "); if (a[1] ~ re) n[a[1] "\t" fn]++ }
            END { for (k in n) print n[k] "\t" k }' | sort -k2 | cut -c1-200
fi
# Crates such as sha2 and memchr carry SSSE3/AVX2/SHA-NI code behind runtime CPU
# detection, and each new dependency can bring more: an exact list of mnemonics only
# breaks. The gates are the target features above (no baseline beyond SSE2) and the run
# on an emulated Pentium M below, which executes the probe; this list is for review.
[[ -z $unexpected ]] ||
    note "note: instructions a Pentium M lacks, expected behind runtime CPU detection: $unexpected(ISA_AUDIT=1 $0 shows the functions)"

# 5c. run it on an emulated Pentium-M-class CPU: --version and one fixture probe must
#     work and print the same as the native run.
if [[ ${NO_QEMU:-0} == 1 ]]; then
    note "NO_QEMU=1: skipping the emulated Pentium M run"
else
    need_command qemu-i386 qemu-user
    qemu-i386 -cpu "$QEMU_PENTIUM_M" "$BIN_I686" --version >/dev/null ||
        die "the i686 binary fails on an emulated Pentium M (qemu-i386 -cpu $QEMU_PENTIUM_M)"
    want=$(${I686_RUNNER:+"$I686_RUNNER"} "$BIN_I686" probe --root "$FIXTURE" --format json 2>/dev/null)
    got=$(qemu-i386 -cpu "$QEMU_PENTIUM_M" "$BIN_I686" probe --root "$FIXTURE" --format json 2>/dev/null) ||
        die "probe fails on an emulated Pentium M (qemu-i386 -cpu $QEMU_PENTIUM_M)"
    [[ $want == "$got" ]] || die "probe prints something else on an emulated Pentium M"
    # the bundled SQLite (C, compiled with -march=pentium-m): make a ledger, read it back
    ledger_dir=$(mktemp -d)
    if ! qemu-i386 -cpu "$QEMU_PENTIUM_M" "$BIN_I686" probe --root "$FIXTURE" --redact --ledger "$ledger_dir" \
        --format json >/dev/null 2>&1 ||
        ! qemu-i386 -cpu "$QEMU_PENTIUM_M" "$BIN_I686" status --ledger "$ledger_dir" >/dev/null; then
        rm -rf "$ledger_dir"
        die "the workshop ledger (SQLite) fails on an emulated Pentium M"
    fi
    rm -rf "$ledger_dir"
    note "i686 binary runs on an emulated Pentium M (qemu-i386 -cpu $QEMU_PENTIUM_M): --version, probe and the ledger OK"
fi

# --- 6. report ----------------------------------------------------------------------
cat >"$ENV_FILE" <<EOF
# Written by scripts/build-static.sh; read by scripts/test-static.sh and bench-probe.sh.
BIN_X64=$BIN_X64
BIN_I686=$BIN_I686
I686_RUNNER=$I686_RUNNER
IA32_EMULATION="$ia32_config"
I686_CPU=$i686_cpu
I686_FEATURES="$i686_features"
EOF
echo
printf '%-28s %-55s %10s  %s\n' target path bytes size
for t in "$X64" "$I686"; do
    b=$TARGET_DIR/$t/release/upcycle
    printf '%-28s %-55s %10d  %s\n' "$t" "$b" "$(size_of "$b")" "$(mib "$(size_of "$b")")"
done
