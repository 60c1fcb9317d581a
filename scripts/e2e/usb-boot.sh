#!/usr/bin/env bash
# usb-boot.sh: boot the disk image of `upcycle media usb --image` in QEMU, from
# the image's own bootloader, and prove that it starts Debian's installer with
# the bundle's preseed from the injected initrd:
#   bios  i386, Debian 12, the T40 bundle (forcepae policy), SeaBIOS ->
#         syslinux's MBR -> ldlinux.sys -> syslinux.cfg; -cpu pentium3,-pae (no
#         PAE flag, like the T40's Pentium M: the PAE kernel boots only if the
#         menu's forcepae reached it)
#   uefi  amd64, Debian 13, the T420 bundle, OVMF -> EFI/BOOT/BOOTX64.EFI
#         (Debian's signed shim) -> grubx64.efi -> debian-installer/amd64/grub/grub.cfg
#   uefi32 amd64, Debian 13, the T100TA bundle (32-bit UEFI on a 64-bit CPU), Debian's
#         32-bit OVMF (ovmf-ia32, q35) -> EFI/BOOT/BOOTIA32.EFI (grubia32.efi of
#         grub-efi-ia32-bin) -> EFI/BOOT/grub.cfg -> the 64-bit kernel (EFI mixed mode)
# The stick is a USB mass-storage device (EHCI) and the first boot device; the
# laptop's disk is an empty IDE disk. The harness's parameters (serial console,
# syslog to the watcher) go in with `media usb --append`, so the kernel command
# line comes from the image's menu and nowhere else.
#
# Pass (the same watcher and criteria as qemu-smoke.sh, scripts/e2e/di-watch.py):
# the installer reaches the "Download installer components" stage without a
# question, its syslog shows "preseed: successfully loaded preseed file from
# /preseed.cfg" and the installer's answers equal the bundle's preseed; and the
# kernel's "Kernel command line:" on the serial console holds every parameter of the
# menu entry. It stops there (about 3-5 minutes under TCG), see docs/e2e.md.
#
# Usage: scripts/e2e/usb-boot.sh [--timeout T] [--workdir DIR] [--only bios|uefi|uefi32]...
#   --timeout T    per-run limit (minutes, or Ns / Nm; default 9m); QEMU is
#                  hard-bounded at T + 2 min
#   --workdir DIR  bundles, images, logs, results (default: a new temp dir, kept)
#   --only RUN     bios, uefi or uefi32 (repeatable)
# Environment: UPCYCLE=path (default: cargo build --release --locked, then
#   target/release/upcycle), DEBIAN_MIRROR (as qemu-smoke.sh).
# Needs (apt-installed when missing and run as root): qemu-system-x86,
#   qemu-utils, socat, python3, gpgv, debian-archive-keyring, dosfstools, mtools,
#   syslinux, syslinux-common, ovmf, ovmf-ia32, grub-efi-ia32-bin; the installer images come from
#   qemu-smoke.sh --print-images (Debian 12 from APT, Debian 13 fetched into its cache).
# Output: one line per run on stdout, then exactly "N passed, M failed".
# Exit: 0 all passed, 1 a run failed, 2 only errors (infrastructure).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$here/../.." && pwd)
prog=usb-boot
# shellcheck source=scripts/lib.sh
. "$here/../lib.sh"

TODAY=2026-11-25
OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd
OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.fd
# ovmf-ia32 ships only the Secure Boot build (it needs q35's SMM); its VARS have no keys
# enrolled, so Secure Boot is off, as it must be for the unsigned grubia32.efi.
OVMF32_CODE=/usr/share/OVMF/OVMF32_CODE_4M.secboot.fd
OVMF32_VARS=/usr/share/OVMF/OVMF32_VARS_4M.fd
GRUB_IA32=/usr/lib/grub/i386-efi/monolithic/grubia32.efi

workdir=""
only=()
e2e_args 9m "workdir only" "$@"

# name fixture arch release codename firmware cpu pentium_m_kernel
RUNS=(
    "bios ibm-thinkpad-t40 i386 12 bookworm bios pentium3,-pae pae-forcepae"
    "uefi lenovo-thinkpad-t420-battery-wear amd64 13 trixie uefi - -"
    "uefi32 asus-t100ta-baytrail-uefi32 amd64 13 trixie uefi32 - -"
)
for o in "${only[@]}"; do
    case $o in bios | uefi | uefi32) ;; *) die "--only takes bios, uefi or uefi32, not '$o'" ;; esac
done

# --- tools for the image and UEFI (qemu-smoke.sh --print-images installs the rest)
need=()
for t in mkfs.fat:dosfstools mcopy:mtools syslinux:syslinux; do
    PATH=$PATH:/usr/sbin:/sbin command -v "${t%%:*}" >/dev/null || need+=("${t#*:}")
done
[[ -r /usr/lib/syslinux/mbr/mbr.bin ]] || need+=(syslinux-common)
[[ -r $OVMF_CODE && -r $OVMF_VARS ]] || need+=(ovmf)
if ((${#only[@]} == 0)) || [[ " ${only[*]} " == *" uefi32 "* ]]; then
    [[ -r $OVMF32_CODE && -r $OVMF32_VARS ]] || need+=(ovmf-ia32)
    [[ -r $GRUB_IA32 ]] || need+=(grub-efi-ia32-bin)
fi
command -v python3 >/dev/null || need+=(python3)
command -v gpgv >/dev/null || need+=(gpgv)
need_packages "${need[@]}"

# --- the mirror this machine's APT uses (same rule as qemu-smoke.sh) -----------
use_mirror

# --- upcycle -------------------------------------------------------------------
upcycle=$(find_upcycle "$repo_root") || die "no usable upcycle binary (UPCYCLE, or cargo build --release in $repo_root)"

use_workdir usb-boot
note "work dir $workdir (kept); upcycle $("$upcycle" --version 2>/dev/null || echo '?')"

qemu_pid=""
watch_pid=""
# shellcheck disable=SC2317  # called from the EXIT trap and between runs
stop_run() {
    stop_pids "$qemu_pid" "$watch_pid"
    qemu_pid=""
    watch_pid=""
}
trap stop_run EXIT

# run_one NAME FIXTURE ARCH RELEASE CODENAME FIRMWARE CPU PM: one boot; reports.
run_one() {
    local name=$1 fixture=$2 arch=$3 release=$4 codename=$5 firmware=$6 cpu=$7 pm=$8
    local label="$firmware $arch Debian $release ($fixture, media usb --image)"
    local d=$workdir/$name
    rm -rf "$d"
    mkdir -p "$d"
    note "== $label"
    local settings=()
    [[ $pm == - ]] || settings+=("pentium_m_kernel=$pm")
    write_workshop "$repo_root/data/workshop-default.yaml" "$d/workshop.yaml" "${settings[@]}" || { report ERROR "$label: cannot write the workshop file"; return; }
    if ! "$upcycle" generate "$repo_root/tests/fixtures/machines/$fixture/root" --workshop "$d/workshop.yaml" \
        -o "$d/bundles" --today "$TODAY" >"$d/generate.log" 2>&1; then
        report ERROR "$label: upcycle generate failed (see $d/generate.log)"
        return
    fi
    local bundle
    bundle=$(find "$d/bundles" -mindepth 1 -maxdepth 1 -type d | head -n1)
    [[ -n $bundle && -r $bundle/preseed.cfg ]] || { report ERROR "$label: no bundle under $d/bundles"; return; }
    if [[ $pm == pae-forcepae ]] && ! grep -q 'add-kernel-opts string forcepae' "$bundle/preseed.cfg"; then
        report ERROR "$label: the bundle has no forcepae; the test would not test what it says"
        return
    fi
    local images
    if ! images=$("$here/qemu-smoke.sh" --release "$release" --print-images "$bundle/preseed.cfg" "$arch" \
        2>"$d/images.log"); then
        sed 's/^/  /' "$d/images.log" >&2
        report ERROR "$label: qemu-smoke.sh --print-images failed (see $d/images.log)"
        return
    fi
    local pair qemu
    pair=$(release_pair "$mirror_url" "$codename" "$d/mirror-release")
    qemu="qemu-system-i386"
    [[ $arch == amd64 ]] && qemu="qemu-system-x86_64"

    # The watcher picks the syslog port; the image is made after, with that port.
    rm -f "$d/port" "$d/start"
    python3 "$here/di-watch.py" \
        --serial-log "$d/serial.log" --serial-sock "$d/serial.sock" \
        --syslog-out "$d/syslog.log" --dump-out "$d/installer-syslog.log" \
        --port-file "$d/port" --start-file "$d/start" --result "$d/result.json" \
        --preseed "$bundle/preseed.cfg" --arch "$arch" --release "$release" \
        --cpu "${cpu#-}" --workdir "$d" --boot-line-file "$d/bootline" \
        --installer "$(tr '\n' ' ' <"$images/$release/$arch/text/version.info" 2>/dev/null)" \
        --release-pair "$pair" --timeout "$timeout_s" >"$d/watch.out" 2>"$d/watch.log" &
    watch_pid=$!
    for _ in $(seq 100); do [[ -s $d/port ]] && break; sleep 0.1; done
    [[ -s $d/port ]] || { stop_run; report ERROR "$label: the syslog watcher did not start"; return; }
    local append
    append="console=ttyS0,115200n8 log_host=10.0.2.2 log_port=$(<"$d/port")"
    if ! "$upcycle" media usb "$bundle" -o "$d/stick" --image "$d/stick.img" --images "$images" \
        --grub-ia32 "$GRUB_IA32" --append "$append" >"$d/media-usb.log" 2>&1; then
        stop_run
        sed 's/^/  /' "$d/media-usb.log" >&2
        report ERROR "$label: upcycle media usb --image failed (see $d/media-usb.log)"
        return
    fi
    local menu
    if [[ $firmware == bios ]]; then
        menu=$(sed -n -E 's/^[[:space:]]*APPEND[[:space:]]+//p' "$d/stick/syslinux.cfg")
    elif [[ $firmware == uefi32 ]]; then
        [[ -s $d/stick/EFI/BOOT/BOOTIA32.EFI ]] || { stop_run; report FAIL "$label: the stick has no EFI/BOOT/BOOTIA32.EFI"; return; }
        menu=$(sed -n -E 's#^[[:space:]]*linux[[:space:]]+/linux[[:space:]]+##p' "$d/stick/EFI/BOOT/grub.cfg")
    else
        menu=$(sed -n -E 's#^[[:space:]]*linux[[:space:]]+/linux[[:space:]]+##p' "$d/stick/debian-installer/$arch/grub/grub.cfg")
    fi
    printf '%s\n' "$menu" >"$d/bootline"
    qemu-img create -q -f qcow2 "$d/disk.qcow2" 12G

    local machine=pc
    [[ $firmware == uefi32 ]] && machine=q35,smm=on
    # shellcheck disable=SC2054  # commas belong to QEMU's option syntax
    local args=(-accel tcg -machine "$machine" -smp 1 -display none -monitor none -no-reboot
        -device usb-ehci,id=ehci
        -drive "if=none,id=stick,format=raw,file=$d/stick.img,snapshot=on"
        -device "usb-storage,bus=ehci.0,drive=stick,bootindex=0"
        -drive "if=none,id=hd,format=qcow2,file=$d/disk.qcow2,cache=unsafe"
        -device "ide-hd,drive=hd,bootindex=1"
        -netdev "user,id=n0,guestfwd=tcp:10.0.2.100:80-cmd:socat - TCP:$mirror_host:$mirror_port"
        -device "e1000,netdev=n0"
        -chardev "socket,id=ser0,path=$d/serial.sock,server=on,wait=off,logfile=$d/serial.log"
        -serial chardev:ser0)
    if [[ $arch == i386 ]]; then args+=(-m 768); else args+=(-m 1024); fi
    [[ $cpu != - ]] && args+=(-cpu "$cpu")
    if [[ $firmware == uefi ]]; then
        cp "$OVMF_VARS" "$d/ovmf-vars.fd"
        args+=(-drive "if=pflash,format=raw,readonly=on,file=$OVMF_CODE"
            -drive "if=pflash,format=raw,file=$d/ovmf-vars.fd")
    elif [[ $firmware == uefi32 ]]; then
        cp "$OVMF32_VARS" "$d/ovmf-vars.fd"
        # shellcheck disable=SC2054  # commas belong to QEMU's option syntax
        args+=(-global driver=cfi.pflash01,property=secure,value=on
            -drive "if=pflash,format=raw,unit=0,readonly=on,file=$OVMF32_CODE"
            -drive "if=pflash,format=raw,unit=1,file=$d/ovmf-vars.fd")
    fi
    printf '%s\n' "$qemu ${args[*]}" >"$d/qemu.cmdline"
    note "menu line: $menu"
    local start rc=0
    start=$(date +%s)
    timeout --kill-after=10 $((timeout_s + 120)) "$qemu" "${args[@]}" </dev/null >"$d/qemu.out" 2>&1 &
    qemu_pid=$!
    printf '%s %s\n' "$qemu_pid" "$(date +%s.%N)" >"$d/start"
    wait "$watch_pid" || rc=$?
    watch_pid=""
    stop_run
    local took=$(($(date +%s) - start))
    local took_s
    took_s=$(printf '%d:%02d' $((took / 60)) $((took % 60)))
    sed -n '/^== upcycle d-i smoke test/,$p' "$d/watch.out" >&2 || true
    rm -f "$d/disk.qcow2" "$d/serial.sock" "$d/stick/initrd.gz" "$d/stick/linux"

    [[ -s $d/result.json ]] || { report ERROR "$label: the watcher exited $rc without a result [$took_s] (log: $d/watch.log)"; return; }
    # The kernel's own view of its command line (printed early on ttyS0).
    local cmdline missing=()
    cmdline=$(tr -d '\r' <"$d/serial.log" | grep -a -m1 -o -E '(Kernel command line|Command line): .*' || true)
    cmdline=${cmdline#*: }
    for p in $menu; do
        [[ " $cmdline " == *" $p "* ]] || missing+=("$p")
    done
    local verdict reason
    IFS=$'\t' read -r verdict reason < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(r.get("verdict", "error") + "\t" + r.get("reason", "").replace("\t", " "))' "$d/result.json")
    if [[ -z $cmdline ]]; then
        report FAIL "$label: no kernel command line on the serial console: the image's bootloader did not start the installer kernel with console=ttyS0 [$took_s] (log: $d/serial.log)"
    elif ((${#missing[@]})); then
        report FAIL "$label: the kernel's command line lacks the menu's ${missing[*]}: $cmdline [$took_s]"
    else
        case $rc:$verdict in
            0:pass) report PASS "$label: $reason; kernel command line from the image's menu [$took_s]" ;;
            1:fail) report FAIL "$label: $reason [$took_s] (result: $d/result.json)" ;;
            *) report ERROR "$label: watcher exit $rc, verdict $verdict: $reason [$took_s] (log: $d/watch.log)" ;;
        esac
    fi
}

for spec in "${RUNS[@]}"; do
    read -r -a f <<<"$spec"
    if ((${#only[@]})) && [[ " ${only[*]} " != *" ${f[0]} "* ]]; then continue; fi
    run_one "${f[@]}"
done

note "results: $workdir/*/result.json"
report_summary
