#!/usr/bin/env bash
# scripts/e2e/boot-installed.sh - the laptop after the installer (issue 15): build the
# installed system of a generated bundle as the installer would, boot it in QEMU, drive
# the first-boot wizard, and prove what the recipient gets.
#
# Usage: scripts/e2e/boot-installed.sh [--machine PATH | --bundle DIR] [--workdir DIR]
#            [--cache DIR] [--stages LIST] [--timeout T] [--skip-later]
#
# Two kinds of laptop, as the bundle's preseed says (partman-partitioning/choose_label):
#   msdos  BIOS: msdos label, grub-pc, SeaBIOS; Debian i386 in qemu-system-i386 (the
#          T40: debian-12-i386-lxde; the Eee PC 1000H with --profile
#          debian-12-i386-xfce), Debian amd64 in qemu-system-x86_64 (the X220:
#          debian-13-lxqt; the T420: debian-13-xfce)
#   gpt    Debian amd64, UEFI: GPT with the recipe's EFI system partition, grub-efi-ia32
#          for 32-bit firmware (the report's firmware.uefi_bitness, d-i's
#          fw_platform_size; the T100TA: debian-13-xfce) or grub-efi-amd64 for 64-bit
#          (the XPS 15: debian-13-medialab); qemu-system-x86_64 (q35) with OVMF32 or OVMF
#
# Stages (--stages, comma-separated, default all: build,boot,verify; `grub` alone
# resumes a build that failed at the boot loader, `finish` alone one that failed after
# grub-install, `boot2` alone a boot whose wizard has run):
#   build   a raw disk image (WORKDIR/disk.raw) partitioned from the bundle's
#           partman-auto/expert_recipe (its label; i386: every partition at its
#           minimum size; amd64: root over the rest of the report's install disk (or,
#           when the report does not know its size, of the profile's min_disk_gb), as
#           partman grows it, the others at their minimum), ext4 root and swap, on gpt
#           the ESP (FAT32, mounted at /boot/efi through fusefat: the kernel here has
#           no vfat; with shim made again after with mkfs.vfat + mcopy, as fusefat
#           loses appended writes; fsck.fat checks it); the bundle's release/arch
#           debootstrapped into it
#           (chroot.sh's make_chroot, the cache of packages.sh); what d-i writes
#           (fstab, hostname, hosts, locale, keyboard, time zone, apt sources and
#           proxy); the bundle's debconf answers; its kernel
#           (base-installer/kernel/image); the pre-pkgsel hooks of the preseed's
#           early_command (the APT pin of the selection's keep_out); the tasks
#           tasksel would install for
#           tasksel/first (tasksel itself, in test mode, names them; language tasks
#           included; with Recommends, as tasksel installs); pkgsel/include; the first
#           account (passwd/*); the boot loader: msdos: grub-pc installed to the image;
#           gpt: the firmware's grub-efi package, grub-install --bootloader-id=debian
#           --no-nvram --force-extra-removable (EFI/debian/grubia32.efi or grubx64.efi
#           as d-i writes it, and EFI/BOOT/BOOTIA32.EFI or BOOTX64.EFI: the VM's NVRAM
#           has no boot entry, a chroot cannot write it, the firmware boots the
#           removable path); update-grub; then the bundle's postinstall.sh as
#           late_command runs it (chroot = in-target), and once more: the second run
#           must say `changed 0` and change no file (chroot.sh's postinstall_again).
#   boot    QEMU (TCG), the report's RAM (up to the next 512 MiB, at most 4 GiB) or,
#           when the report does not know it, the profile's min_ram_mib (the T40: 512).
#           msdos: SeaBIOS; i386: -cpu pentium3, AC97 sound (the T40's ICH); amd64:
#           -cpu qemu64 with SSE4.2/POPCNT, Intel HDA; both an Intel e1000 NIC
#           like the T40's on a restricted network that reaches only the host's
#           `upcycle serve`, an IDE disk that answers ATA SMART. gpt:
#           x86_64, q35, OVMF in pflash (32-bit: OVMF32's Secure Boot build with
#           unenrolled variables, smm=on; 64-bit: OVMF_CODE_4M), its variables
#           WORKDIR/efivars.fd, -cpu qemu64 with SSE4.2/POPCNT,
#           the disk on AHCI (ide-hd, ATA SMART), e1000 (for the
#           T100TA a stand-in for its USB Ethernet adapter), Intel HDA. Then the autologin
#           into the setup account and the wizard's questions are read from the screen
#           (screendump + tesseract, German data); first its failure paths (empty name,
#           cancel and not later, an invalid and a reserved user name, passwords that
#           differ: each German message waited for, the setup account still there),
#           then the recipient's name, user name and password, each typed with sendkey
#           (de layout) and sent with Enter; the wizard's reboot; the next
#           power-on must show LightDM's greeter with the recipient; the recipient
#           logs in (the desktop's panel and icons: lxpanel/pcmanfm,
#           xfce4-panel/xfdesktop, lxqt-panel/pcmanfm-qt); `free -m` and how it booted (fw_platform_size,
#           /proc/cmdline, efibootmgr) over the serial console; the first boot's self-check
#           (upcycle-check.service) has posted to serve; the room's check form posted
#           with curl for the laptop (a person's check); power off.
#           Screenshots: WORKDIR/shots/*.png.
#   serve   (with boot) `upcycle serve` on 127.0.0.1 for the folder that holds the
#           bundle and its ledger (the generated one: WORKDIR/bundles); the guest
#           reaches it as http://10.0.2.100:8080, the workshop PC of the generated
#           bundle's workshop file (workshop_pc), through QEMU's guestfwd (socat per
#           connection); `restrict=on`: nothing else leaves the guest. Log:
#           WORKDIR/logs/serve.log.
#   verify  the image mounted again: the recipient's account with a SHA-512 crypt
#           ($6$) hash that matches the typed password, the setup account, its home,
#           the sudo rule, autologin and the autostart entry gone; chosen == installed
#           (dpkg in the image against `upcycle bundle-info`: the kernel, desktop
#           packages, apps, packages and firmware packages installed; no package of an
#           app the selector dropped, nothing of the selection's keep_out, exactly one
#           network manager); disk used; the ledger that serve kept: the laptop's
#           `checked` event from the VM with the self-check's results (the same as the
#           image's check.json, disk-health from SMART), the form's check, and
#           `upcycle passport` of that ledger showing both (WORKDIR/passport/).
#           gpt also: the firmware's grub-efi package installed (and not the other
#           one's), BOOTIA32.EFI/BOOTX64.EFI the same image as EFI/debian's, the ESP in
#           fstab, the guest saw UEFI of that word size and a GRUB-started x86_64 kernel.
#           Results: WORKDIR/result.json.
#
# Test instrumentation (not the product): boot adds a root shell on the serial console
# ttyS0 (a service, no login session), so the harness can read `free` and the
# journal; verify removes it again.
#
# --machine PATH  the machine capture (default tests/fixtures/machines/ibm-thinkpad-t40/root;
#                 tests/fixtures/machines/asus-t100ta-baytrail-uefi32/root: 32-bit UEFI)
# --bundle DIR    a Debian bundle of `upcycle generate` for that machine (default:
#                 generated here from it with write_workshop's e2e workshop,
#                 workshop_pc 10.0.2.100:8080, --today 2026-11-25: debian-12-i386-lxde
#                 for the T40). serve runs when the folder holding DIR has the ledger
#                 (upcycle-ledger.sqlite); without one the guest has no network.
# --profile ID    generate the bundle with this profile instead of the selector's
#                 choice (`upcycle generate --profile`: the i386 Xfce profile on the
#                 Eee PC 1000H, whose report does not know its RAM)
# --workdir DIR   default /var/tmp/upcycle-e2e/boot (image ~4 GiB used for the T40, sparse)
# --cache DIR     packages.sh's cache layout (default /var/tmp/upcycle-e2e/cache)
# --timeout T     for the boot stage (default 60m)
#
# --skip-later    boot: leave out the wizard's "later" path (cancel, later, restart,
#                 back; ~8 min under TCG); default: it is run
#
# Exit 0 pass, 1 a check failed, 2 error (infrastructure). Needs root, debootstrap,
# qemu-system-i386, qemu-img, sfdisk, losetup, mkfs.ext4, tesseract (+ deu), jq,
# socat, curl; for gpt also qemu-system-x86_64, ovmf, ovmf-ia32, dosfstools, fusefat.
# Environment: UPCYCLE (default target/debug/upcycle, then target/release/upcycle),
# UPCYCLE_STATIC (the static binary the installer carries and late_command copies
# to /usr/local/sbin/upcycle, for the first-boot self-check; default, by the bundle's
# arch, target/i686-unknown-linux-musl/release/upcycle (i386) or
# target/x86_64-unknown-linux-musl/release/upcycle (amd64) of scripts/build-static.sh; without it
# the self-check is not run and says so), UPCYCLE_STATIC_READY (a file: the build waits,
# up to 30 min, for it to exist before it takes the static binary: scripts/e2e.sh starts
# this script while step 1 still builds that binary), DEBIAN_MIRROR.
set -euo pipefail
export LC_ALL=C

prog="boot-installed"
script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/../.." && pwd)
# shellcheck source=scripts/lib.sh
. "$script_dir/../lib.sh"
# shellcheck source=scripts/e2e/chroot.sh
. "$script_dir/chroot.sh"

machine=$repo_root/tests/fixtures/machines/ibm-thinkpad-t40/root
bundle='' profile_id='' workdir=/var/tmp/upcycle-e2e/boot cache=/var/tmp/upcycle-e2e/cache stages=build,boot,verify timeout=60m
skip_later=0
while (($#)); do
    case $1 in
        -h | --help) show_help ;;
        --skip-later) skip_later=1; shift ;;
        --profile) need_value "$1" $#; profile_id=$2; shift 2 ;;
        --bundle | --machine | --workdir | --cache | --stages | --timeout)
            need_value "$1" $#
            printf -v "${1#--}" '%s' "$2"
            shift 2
            ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done
timeout_s=$(timeout_seconds "$timeout") || die "--timeout: N or Nm minutes, Ns seconds"
((EUID == 0)) || die "needs root (losetup, mount, chroot)"
# what it needs, installed when missing (root: apt-get), as the other e2e scripts do
mapfile -t boot_pkgs < <(missing_packages debootstrap:debootstrap qemu-system-i386:qemu-system-x86 \
    qemu-img:qemu-utils sfdisk:fdisk losetup:mount mkfs.ext4:e2fsprogs jq:jq python3:python3 \
    tesseract:tesseract-ocr /usr/share/tesseract-ocr/5/tessdata/deu.traineddata:tesseract-ocr-deu \
    /usr/share/keyrings/debian-archive-keyring.gpg:debian-archive-keyring socat:socat curl:curl)
install_or_tell "${boot_pkgs[@]}" || die "missing packages: ${boot_pkgs[*]}"
need_tools debootstrap qemu-system-i386 qemu-img sfdisk losetup mkfs.ext4 mkswap jq python3 chroot flock socat curl
has_stage() { [[ ,$stages, == *,$1,* ]]; }

mkdir -p "$workdir" "$cache"/{tarballs,apt,keyrings,chroots,logs}
workdir=$(cd "$workdir" && pwd)
cache=$(cd "$cache" && pwd)
exec 8>"$workdir/.lock"
flock -n 8 || die "another run holds $workdir/.lock"
logdir=$workdir/logs
mkdir -p "$logdir" "$workdir/shots"
# the run's sockets and screenshots live in the work dir: a /tmp cleaner removed a
# run dir under /tmp here in the middle of a boot, and with it the monitor socket
rm -rf "$workdir/run"
run=$workdir/run
mkdir -p "$run"
img=$workdir/disk.raw
target=$workdir/target
result=$workdir/result.json
[[ -s $result ]] || echo '{}' >"$result"
# result_set KEY JSON: one field of the result
result_set() { jq --arg k "$1" --argjson v "$2" '.[$k] = $v' "$result" >"$result.tmp" && mv "$result.tmp" "$result"; }

upcycle=${UPCYCLE:-}
static_bin=${UPCYCLE_STATIC:-}
if [[ -z $upcycle ]]; then
    for u in "$repo_root/target/debug/upcycle" "$repo_root/target/release/upcycle"; do
        [[ -x $u ]] && { upcycle=$u; break; }
    done
fi
[[ -x ${upcycle:-} ]] || die "no upcycle binary (cargo build, or UPCYCLE=path)"

# The workshop PC as the guest sees it: QEMU's user network forwards this address
# (guestfwd) to the host's `upcycle serve`; it is the generated bundle's workshop_pc,
# which postinstall.sh writes into the laptop's /etc/upcycle/serve.conf
SERVE_GUEST_ADDR=10.0.2.100
SERVE_GUEST_PORT=8080

# --- cleanup ------------------------------------------------------------------
mounts=()
chroots=()
loops=()
qemu_pid=''
serve_pid=''
cleanup() {
    local rc=$? l
    set +e
    stop_pids "$qemu_pid" "$serve_pid"
    [[ ! -d $target ]] || umount_under "$target"
    if mountpoint -q "$target" 2>/dev/null; then umount "$target" || umount -l "$target"; fi
    for l in "${loops[@]}"; do losetup -d "$l"; done
    rm -rf "$run"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The kernel here reads no partition tables (no loopNpM devices, no device-mapper):
# each partition is a loop device of its own (offset and size from sfdisk), the
# whole disk another one (for grub-install).
# part_loop N: a loop device of partition N of $img (printed)
part_loop() {
    local start size
    read -r start size < <(sfdisk -J "$img" | jq -r --argjson n "$1" '.partitiontable.partitions[$n - 1] | "\(.start) \(.size)"')
    [[ $start =~ ^[0-9]+$ ]] || die "no partition $1 in $img"
    losetup --show -f -o $((start * 512)) --sizelimit $((size * 512)) "$img"
}
loops=()
# attach_image: the root partition mounted at $target (UEFI: the ESP at
# $target/boot/efi, as the laptop's fstab has it)
attach_image() {
    rootdev=$(part_loop "$root_part")
    loops+=("$rootdev")
    mkdir -p "$target"
    mount "$rootdev" "$target"
    if [[ -n $esp_part ]]; then
        espdev=$(part_loop "$esp_part")
        loops+=("$espdev")
        # this kernel has no vfat: FUSE's fusefat, read-write (rw+), its source the
        # loop device (fsname), so that grub-install finds the ESP's device
        mkdir -p "$target/boot/efi"
        fusefat -o rw+ -o "fsname=$espdev" "$espdev" "$target/boot/efi" >>"$logdir/fusefat.log" 2>&1 ||
            die "fusefat could not mount the ESP (see $logdir/fusefat.log)"
        mounts+=("$target/boot/efi")
    fi
}
detach_image() {
    local l
    umount_under "$target"
    umount "$target"
    for l in "${loops[@]}"; do losetup -d "$l"; done
    loops=()
}

# --- the bundle ---------------------------------------------------------------
if [[ -z $bundle ]]; then
    bundle=$workdir/bundle
    if [[ ! -s $bundle/preseed.cfg ]] || has_stage build; then
        use_mirror
        # the workshop PC (serve) as the guest reaches it: QEMU's guestfwd below
        write_workshop "$repo_root/data/workshop-default.yaml" "$workdir/workshop.yaml" \
            "workshop_pc=$SERVE_GUEST_ADDR:$SERVE_GUEST_PORT" || die "write_workshop failed"
        rm -rf "$workdir/bundles"
        "$upcycle" generate "$machine" ${profile_id:+--profile "$profile_id"} \
            --workshop "$workdir/workshop.yaml" -o "$workdir/bundles" --today 2026-11-25 \
            >"$logdir/generate.log" 2>&1 || die "upcycle generate failed (see $logdir/generate.log)"
        rm -rf "$bundle"
        # the one bundle directory (generate also writes its ledger beside it); it stays
        # there for serve, WORKDIR/bundle names it
        local_dirs=("$workdir"/bundles/*/)
        ((${#local_dirs[@]} == 1)) || die "upcycle generate wrote ${#local_dirs[@]} bundles, expected one"
        ln -s "bundles/$(basename "${local_dirs[0]}")" "$bundle"
    fi
fi
bundle=$(cd "$bundle" && pwd -P)
# serve's folder: the one holding the bundle, when its ledger is there too
asset=$(basename "$bundle")
serve_dir=$(dirname "$bundle")
[[ -e $serve_dir/upcycle-ledger.sqlite ]] || serve_dir=''
pre=$bundle/preseed.cfg
for f in preseed.cfg postinstall.sh selection.yaml; do
    [[ -r $bundle/$f ]] || die "$bundle has no $f (a Debian bundle of upcycle generate?)"
done
"$upcycle" bundle-info "$bundle" >"$workdir/bundle-info.json" || die "upcycle bundle-info failed"
# the machine the bundle is for, through upcycle's typed report (no script parses its YAML)
"$upcycle" bundle-info --report "$bundle" >"$workdir/report.json" || die "upcycle bundle-info --report failed"
install_target=$(jq -r '.storage.install_target // empty' "$workdir/report.json")
profile=$(jq -r .profile "$workdir/bundle-info.json")
family=$(jq -r .family "$workdir/bundle-info.json")
codename=$(jq -r .codename "$workdir/bundle-info.json")
arch=$(jq -r .arch "$workdir/bundle-info.json")
[[ $family == debian && ($arch == i386 || $arch == amd64) ]] ||
    die "$profile: only Debian i386 and amd64 bundles are built here so far"
note "bundle $bundle: $profile ($codename/$arch)"
# the static upcycle the installer carries: the one of the bundle's architecture
if [[ -z $static_bin ]]; then
    case $arch in
        i386) static_bin=$repo_root/target/i686-unknown-linux-musl/release/upcycle ;;
        amd64) static_bin=$repo_root/target/x86_64-unknown-linux-musl/release/upcycle ;;
    esac
fi
result_set profile "\"$profile\""

# --- the partition recipe -----------------------------------------------------
# recipe lines: MIN_MB FS MOUNTPOINT BOOTABLE (partman-auto/expert_recipe, in order)
# shellcheck disable=SC2016  # Python, not shell
recipe=$(preseed_value "$pre" partman-auto/expert_recipe | python3 -c '
import re, sys
r = sys.stdin.read()
r = r.split("::", 1)[1]
for st in re.split(r"\s\.(?:\s|$)", r):
    t = st.split()
    if len(t) < 4:
        continue
    mp = re.search(r"mountpoint\{\s*(\S+)\s*\}", st)
    swap = re.search(r"method\{\s*swap\s*\}", st)
    efi = re.search(r"method\{\s*efi\s*\}", st)
    print(t[0], "swap" if swap else "efi" if efi else t[3], mp.group(1) if mp else "-", "1" if "$bootable{" in st else "0")
')
[[ -n $recipe ]] || die "$pre: no partman-auto/expert_recipe"
label=$(preseed_value "$pre" partman-partitioning/choose_label)
root_part=$(awk '$3 == "/" {print NR}' <<<"$recipe")
[[ -n $root_part ]] || die "the recipe has no / partition"
esp_part=''
if [[ $label == msdos ]]; then
    awk '$3 != "/" && $2 != "swap" {exit 1}' <<<"$recipe" || die "the recipe has partitions other than / and swap"
elif [[ $label == gpt ]]; then
    # UEFI: the recipe's EFI system partition (method{ efi }), root and swap
    awk '$3 != "/" && $2 != "swap" && $2 != "efi" {exit 1}' <<<"$recipe" ||
        die "the recipe has partitions other than the ESP, / and swap"
    esp_part=$(awk '$2 == "efi" {print NR}' <<<"$recipe")
    [[ $esp_part =~ ^[0-9]+$ ]] || die "a gpt recipe without exactly one EFI system partition (method{ efi })"
    [[ $arch == amd64 ]] || die "$profile: a gpt (UEFI) bundle of $arch; only amd64 is built here for UEFI"
else
    die "$pre: partman-partitioning/choose_label '$label': neither msdos (BIOS) nor gpt (UEFI)"
fi
# the VM's RAM: the laptop's (the report's MemTotal up to the next 512 MiB), at most
# 4 GiB here; a report that does not know it (a capture without meminfo): the
# profile's min_ram_mib, the smallest laptop the profile is for
mem_kib=$(jq -r '.memory.mem_total_kib // empty' "$workdir/report.json")
if [[ $mem_kib =~ ^[0-9]+$ ]]; then
    vm_mem=$((((mem_kib / 1024 + 511) / 512) * 512))
    ((vm_mem <= 4096)) || vm_mem=4096
else
    vm_mem=$(jq -r '.min_ram_mib // empty' "$workdir/bundle-info.json")
    [[ $vm_mem =~ ^[0-9]+$ ]] || die "$bundle: neither the report's RAM nor the profile's min_ram_mib"
    note "the report does not know the laptop's RAM: the profile's minimum, $vm_mem MiB"
fi
# UEFI: the firmware's word size decides the boot loader, as d-i's grub-installer does
# (/sys/firmware/efi/fw_platform_size 32: grub-efi-ia32, else grub-efi-amd64); here it
# is the machine report's firmware.uefi_bitness, the capture of that file
efi_bits='' grub_pkg=grub-pc
if [[ $label == gpt ]]; then
    efi_bits=$(jq -r '.firmware.uefi_bitness // empty' "$workdir/report.json")
    case $efi_bits in
        32) grub_pkg=grub-efi-ia32 grub_target=i386-efi efi_suffix=ia32 ;;
        64) grub_pkg=grub-efi-amd64 grub_target=x86_64-efi efi_suffix=x64 ;;
        *) die "$bundle/report.yaml: no firmware.uefi_bitness (32 or 64) for a gpt bundle" ;;
    esac
    mapfile -t efi_pkgs < <(missing_packages mkfs.vfat:dosfstools fusefat:fusefat mcopy:mtools qemu-system-x86_64:qemu-system-x86 \
        /usr/share/OVMF/OVMF_CODE_4M.fd:ovmf /usr/share/OVMF/OVMF32_CODE_4M.secboot.fd:ovmf-ia32)
    install_or_tell "${efi_pkgs[@]}" || die "missing packages: ${efi_pkgs[*]}"
    need_tools mkfs.vfat fsck.fat fusefat mcopy qemu-system-x86_64
    note "UEFI: gpt label, ESP = partition $esp_part, ${efi_bits}-bit firmware: $grub_pkg ($grub_target), ${vm_mem} MiB RAM"
fi
# The VM's disk as the guest names it: sda (IDE, or AHCI on q35), an NVMe disk
# (nvme0n1, QEMU's nvme device, which answers the SMART health log) when the laptop
# installs to NVMe (the XPS 15); its partitions sda2 or nvme0n1p2
vm_disk=sda vm_part=sda
if [[ $label == gpt && $install_target == nvme0n1 ]]; then
    vm_disk=nvme0n1 vm_part=nvme0n1p
fi

# --- build --------------------------------------------------------------------
# d-i's answers that configure the target system itself (localechooser,
# keyboard-configuration, clock-setup), as debconf lines of the target's packages
di_system_answers() {
    local loc keymap zone
    loc=$(preseed_value "$pre" debian-installer/locale)
    keymap=$(preseed_value "$pre" keyboard-configuration/xkb-keymap)
    zone=$(preseed_value "$pre" time/zone)
    printf 'locales locales/default_environment_locale select %s\n' "$loc"
    printf 'locales locales/locales_to_be_generated multiselect %s UTF-8\n' "$loc"
    printf 'keyboard-configuration keyboard-configuration/xkb-keymap select %s\n' "$keymap"
    printf 'keyboard-configuration keyboard-configuration/layoutcode string %s\n' "$keymap"
    printf 'tzdata tzdata/Areas select %s\n' "${zone%%/*}"
    printf 'tzdata tzdata/Zones/%s select %s\n' "${zone%%/*}" "${zone#*/}"
}

build() {
    local t0=$SECONDS sectors=2048 l line min fs mp boot mib script="label: ${label/msdos/dos}" n=0 swapdev='' type
    local grow_mib=0 disk_bytes
    disk_bytes=$(jq -r --arg d "$install_target" '.storage.disks[] | select(.name == $d) | .size_bytes // empty' \
        "$workdir/report.json" | head -n 1)
    [[ $label == msdos && $disk_bytes == '' ]] || [[ $disk_bytes =~ ^[0-9]+$ ]] ||
        die "$bundle/report.yaml: no size of storage.install_target"
    if [[ $arch == amd64 && -z $disk_bytes ]]; then
        # a report that does not know the disk's size (the X220's capture): the smallest
        # disk the profile is for (min_disk_gb), as the VM's RAM is its min_ram_mib; at
        # the recipe's minimum the self-check found too little free space (1.6 of 2 GiB)
        local min_gb
        min_gb=$(jq -r '.min_disk_gb // empty' "$workdir/bundle-info.json")
        [[ $min_gb =~ ^[0-9]+$ ]] || die "$bundle: neither the report's disk size nor the profile's min_disk_gb"
        disk_bytes=$((min_gb * 1000000000))
        note "the report does not know the install disk's size: the profile's minimum, $min_gb GB"
    fi
    if [[ $arch == amd64 ]]; then
        # amd64: root grows as partman grows it (its recipe maximum is -1): over the rest
        # of the laptop's install disk (the report's size, else the profile's minimum;
        # the image is sparse), so the self-check's free space is the laptop's. i386 (the
        # T40): every partition at its minimum, as before.
        grow_mib=$((disk_bytes / 1048576 - 2))
        while read -r min fs mp boot; do
            [[ $mp == / ]] || grow_mib=$((grow_mib - (min * 1000000 + 1048575) / 1048576))
        done <<<"$recipe"
        note "build: partitions from the recipe (root over the rest of the $((disk_bytes / 1000000000)) GB install disk, the others at their minimum):"
    else
        note "build: partitions from the recipe (each at its minimum):"
    fi
    while read -r min fs mp boot; do
        n=$((n + 1))
        mib=$(((min * 1000000 + 1048575) / 1048576))
        [[ $mp != / ]] || ((grow_mib <= mib)) || mib=$grow_mib
        if [[ $label == gpt ]]; then # sfdisk's GPT aliases: EFI system, Linux swap, Linux file system
            case $fs in efi) type=U ;; swap) type=S ;; *) type=L ;; esac
        else
            type=$([[ $fs == swap ]] && echo 82 || echo 83)
        fi
        line="size=${mib}MiB, type=$type"
        [[ $boot == 1 ]] && line+=", bootable"
        script+=$'\n'$line
        sectors=$((sectors + mib * 2048))
        note "  $n: $min MB ($mib MiB) $fs $mp$([[ $boot == 1 ]] && echo ' bootable')"
    done <<<"$recipe"
    rm -f "$img" "$workdir/efivars.fd" # a new laptop: a new disk, an empty NVRAM
    # the image is sparse: a host file system that fills up under it turns into I/O
    # errors and a read-only ext4 in the image (seen here), so insist on room first
    local free_mib
    free_mib=$(df -B1M --output=avail "$workdir" | tail -n 1 | tr -d ' ')
    ((free_mib > 7000)) || die "only $free_mib MiB free under $workdir; the build needs about 7000 (image ~5 GiB, .debs)"
    qemu-img create -q -f raw "$img" $(((sectors + 2048) * 512)) || die "qemu-img create failed"
    sfdisk -q "$img" <<<"$script" >"$logdir/sfdisk.log" 2>&1 || die "sfdisk failed (see $logdir/sfdisk.log)"
    n=0
    while read -r min fs mp boot; do
        n=$((n + 1))
        if [[ $fs == swap ]]; then
            swapdev=$(part_loop $n)
            loops+=("$swapdev")
            mkswap -q "$swapdev"
        elif [[ $fs == efi ]]; then # partman-efi: FAT32
            l=$(part_loop $n)
            mkfs.vfat -F 32 "$l" >>"$logdir/sfdisk.log"
            losetup -d "$l"
        else
            l=$(part_loop $n)
            mkfs.ext4 -q "$l"
            losetup -d "$l"
        fi
    done <<<"$recipe"
    attach_image
    diskdev=$(losetup --show -f "$img")
    loops+=("$diskdev")

    chroot_mirrors
    make_chroot "$family" "$codename" "$arch" "$target" || die "debootstrap into the image failed (see $logdir)"
    local c=$target k kernel tasks include t cmd
    local -a task_pkgs incl
    # what d-i writes into the target
    printf '%s\n' "$(preseed_value "$pre" netcfg/get_hostname)" >"$c/etc/hostname"
    printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n\n::1\tlocalhost ip6-localhost ip6-loopback\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n' \
        "$(cat "$c/etc/hostname")" >"$c/etc/hosts"
    {
        echo "# <file system> <mount point> <type> <options> <dump> <pass>"
        echo "UUID=$(blkid -s UUID -o value "$rootdev") / ext4 errors=remount-ro 0 1"
        [[ -z $esp_part ]] || echo "UUID=$(blkid -s UUID -o value "$espdev") /boot/efi vfat umask=0077 0 1"
        [[ -z $swapdev ]] || echo "UUID=$(blkid -s UUID -o value "$swapdev") none swap sw 0 0"
    } >"$c/etc/fstab"
    # debconf: d-i's answers for the target's own packages, then the preseed's package lines
    { di_system_answers; "$upcycle" preseed-value --lines "$pre" | awk '$1 != "d-i"'; } >"$c/root/upcycle-debconf.txt"
    in_chroot "$c" debconf-set-selections /root/upcycle-debconf.txt || die "debconf-set-selections failed"
    # base-installer/install-recommends false: d-i's 00InstallRecommends
    if [[ $(preseed_value "$pre" base-installer/install-recommends) == false ]]; then
        echo 'APT::Install-Recommends "false";' >"$c/etc/apt/apt.conf.d/00InstallRecommends"
    fi
    note "build: locales, keyboard, time zone (localechooser, console-setup, clock-setup)"
    chroot_apt_install "$c" "$logdir/build-1-locale.log" locales keyboard-configuration console-setup ||
        die "$full_note"
    loc=$(preseed_value "$pre" debian-installer/locale)
    printf 'LANG=%s\n' "$loc" >"$c/etc/default/locale"
    in_chroot "$c" ln -sf "/usr/share/zoneinfo/$(preseed_value "$pre" time/zone)" /etc/localtime
    kernel=$(preseed_value "$pre" base-installer/kernel/image)
    note "build: kernel $kernel"
    chroot_apt_install "$c" "$logdir/build-2-kernel.log" "$kernel" || die "$full_note"
    # pkgsel's pre-pkgsel hooks of the preseed's early_command (the APT pin of what the
    # selection keeps out), then tasksel as pkgsel runs it (--new-install, LANG of the
    # install), in test mode:
    # it prints the apt-get command it would run, with the language tasks
    di_pre_pkgsel "$c" "$pre" || die "$full_note"
    tasks=$(preseed_value "$pre" tasksel/first)
    # pkgsel installs tasksel into the target when it is not there: Debian 13's base
    # system (debootstrap) no longer has it, Debian 12's had
    if [[ ! -x $c/usr/bin/tasksel ]]; then
        note "build: tasksel (pkgsel installs it; not in $codename's base system)"
        chroot_apt_install "$c" "$logdir/build-3-tasksel.log" tasksel || die "$full_note"
    fi
    cmd=$(in_chroot "$c" env LANG="$loc" tasksel --new-install --test 2>"$logdir/tasksel.err" | tail -n 1)
    note "build: tasksel/first '$tasks': $cmd"
    [[ $cmd == *"apt-get "*" install "* ]] || die "tasksel --new-install --test printed no apt-get command (see $logdir/tasksel.err)"
    read -r -a task_pkgs <<<"${cmd##* install }"
    printf '%s\n' "${task_pkgs[@]}" >"$workdir/tasksel-packages.txt"
    note "build: tasks: ${#task_pkgs[@]} packages, with Recommends (tasksel's apt-get -o APT::Install-Recommends=true)"
    chroot_apt_install "$c" "$logdir/build-3-tasks.log" -o APT::Install-Recommends=true "${task_pkgs[@]}" ||
        die "$full_note"
    include=$(preseed_value "$pre" pkgsel/include)
    read -r -a incl <<<"$include"
    note "build: pkgsel/include: ${#incl[@]} packages"
    chroot_apt_install "$c" "$logdir/build-4-include.log" "${incl[@]}" || die "$full_note"
    check_installed "$c" "$kernel" "${task_pkgs[@]}" "${incl[@]}" || die "$full_note"
    make_first_user "$c" "$pre" || die "$full_note"
    if [[ $label == gpt ]]; then
        build_grub_efi
    else
        build_grub_pc
    fi
    build_finish "$t0"
}

# build_grub_efi: grub-installer on UEFI: the package of the firmware's word size
# (grub-efi-ia32 for 32-bit firmware, grub-efi-amd64 for 64-bit), grub-install to the
# ESP at /boot/efi
build_grub_efi() {
    local c=$target
    note "build: $grub_pkg on the ESP ($grub_target)"
    # d-i's grub-installer registers EFI/debian/grub$efi_suffix.efi in the firmware's
    # NVRAM with efibootmgr. A chroot cannot write the VM's NVRAM (the OVMF variables
    # are a fresh copy), so the image also gets the removable-media path
    # EFI/BOOT/BOOT${efi_suffix^^}.EFI (--force-extra-removable; grub-installer does
    # that when grub-installer/force-efi-extra-removable is true), which the firmware
    # boots without a boot entry; grub2/force_efi_extra_removable keeps it current on
    # grub updates. The firmware boots that path, the same GRUB image.
    printf '%s grub2/force_efi_extra_removable boolean true\n%s grub2/update_nvram boolean false\n' "$grub_pkg" "$grub_pkg" |
        in_chroot "$c" debconf-set-selections
    do_mount "$c/dev" --bind /dev
    chroot_apt_install "$c" "$logdir/build-5-grub.log" "$grub_pkg" || die "$full_note"
    # part_gpt and ext2 named: grub-probe cannot see that the root loop device is a
    # partition of the disk, so grub-install would not know the image needs them
    in_chroot "$c" grub-install --target="$grub_target" --efi-directory=/boot/efi --bootloader-id=debian \
        --no-nvram --force-extra-removable --modules="part_gpt ext2" >>"$logdir/build-5-grub.log" 2>&1 ||
        die "grub-install failed (see $logdir/build-5-grub.log)"
    (cd "$c/boot/efi" && find . -type f | sort) >>"$logdir/build-5-grub.log"
    # with shim-signed (grub-efi-amd64's Recommends), BOOTX64.EFI is shim and the signed
    # GRUB lies beside it; without, BOOT*.EFI is GRUB itself
    [[ -s $c/boot/efi/EFI/BOOT/BOOT${efi_suffix^^}.EFI && -s $c/boot/efi/EFI/debian/grub$efi_suffix.efi ]] ||
        die "grub-install left no EFI/BOOT/BOOT${efi_suffix^^}.EFI or EFI/debian/grub$efi_suffix.efi on the ESP (see $logdir/build-5-grub.log)"
}

# build_grub_pc: grub-installer on BIOS: grub-pc on the disk (bootdev = the image)
build_grub_pc() {
    local c=$target
    # grub-installer: grub-pc on the disk (bootdev = the image), update-grub
    note "build: grub-pc on the disk image"
    # the package's postinst installs nowhere (the loop devices are the harness's);
    # grub-install below does it; afterwards the answer is the disk the laptop boots
    # from, /dev/sda (IDE under QEMU), as grub-installer/bootdev says
    printf 'grub-pc grub-pc/install_devices multiselect\ngrub-pc grub-pc/install_devices_empty boolean true\n' |
        in_chroot "$c" debconf-set-selections
    do_mount "$c/dev" --bind /dev
    chroot_apt_install "$c" "$logdir/build-5-grub.log" grub-pc || die "$full_note"
    # part_msdos and ext2 named: grub-probe cannot see that the root loop device is a
    # partition of the disk, so grub-install would not know the core image needs them
    in_chroot "$c" grub-install --target=i386-pc --modules="part_msdos ext2" "$diskdev" >>"$logdir/build-5-grub.log" 2>&1 ||
        die "grub-install failed (see $logdir/build-5-grub.log)"
}

# attach_chroot: the built image mounted again with /proc, /sys and /dev (to resume)
attach_chroot() {
    local c=$target
    attach_image
    do_mount "$c/proc" -t proc proc
    do_mount "$c/sys" -t sysfs -o ro sysfs
    do_mount "$c/dev" --bind /dev
}

# build_finish [T0]: update-grub, late_command and finish-install, on the image built
# by build (which calls it; alone as the stage `finish`, to resume a build that failed
# after grub-install)
build_finish() {
    local t0=${1:-} c=$target
    [[ -n $t0 ]] || attach_chroot
    # update-grub asks grub-probe about the root device; here that is a loop device,
    # which grub-probe follows to its backing file on this machine's disk and fails.
    # For update-grub only, grub-probe answers what it would on the laptop: root =
    # /dev/sda1 = (hd0,msdos1), the image's file system UUID (the real one for fs_uuid
    # and fs). The generated grub.cfg is then proven by the boot.
    local uuid partuuid partmap=$label
    uuid=$(blkid -s UUID -o value "$rootdev")
    if [[ $label == gpt ]]; then
        partuuid=$(sfdisk -J "$img" | jq -r --argjson n "$root_part" '.partitiontable.partitions[$n - 1].uuid | ascii_downcase')
    else
        partuuid=$(sfdisk --disk-id "$img" | sed 's/^0x//')-$(printf '%02d' "$root_part")
    fi
    mv "$c/usr/sbin/grub-probe" "$c/usr/sbin/grub-probe.real"
    cat >"$c/usr/sbin/grub-probe" <<PROBE
#!/bin/sh
# upcycle e2e (boot-installed.sh): for update-grub in a chroot on loop devices only
t=; for a in "\$@"; do case \$a in --target=*) t=\${a#--target=} ;; esac; done
case \$t in
    device) echo /dev/$vm_part$root_part ;;
    fs) echo ext2 ;;
    fs_uuid) echo $uuid ;;
    partuuid) echo $partuuid ;;
    fs_label | abstraction | cryptodisk_uuid | baremetal_hints | efi_hints | arc_hints | ieee1275_hints) ;;
    partmap) echo $partmap ;;
    drive) echo '(hd0,$partmap$root_part)' ;;
    compatibility_hint) echo 'hd0,$partmap$root_part' ;;
    bios_hints) echo '--hint-bios=hd0,$partmap$root_part' ;;
    disk) echo /dev/$vm_disk ;;
    *) exec /usr/sbin/grub-probe.real "\$@" ;;
esac
PROBE
    chmod 0755 "$c/usr/sbin/grub-probe"
    in_chroot "$c" update-grub >>"$logdir/build-5-grub.log" 2>&1 || die "update-grub failed (see $logdir/build-5-grub.log)"
    mv "$c/usr/sbin/grub-probe.real" "$c/usr/sbin/grub-probe"
    # root=UUID= needs /dev/disk/by-uuid (udev) at update-grub time; this /dev has
    # none, so the kernel line says root=/dev/sda1 (d-i's says root=UUID=...)
    grep -Eq "root=(UUID=$uuid|/dev/$vm_part$root_part) " "$c/boot/grub/grub.cfg" || die "grub.cfg: no root=UUID=$uuid or /dev/$vm_part$root_part"
    [[ $label == gpt ]] ||
        printf 'grub-pc grub-pc/install_devices multiselect %s\ngrub-pc grub-pc/install_devices_empty boolean false\n' \
            "$(preseed_value "$pre" grub-installer/bootdev)" | in_chroot "$c" debconf-set-selections
    # late_command: the static upcycle the installer carries, for the self-check at the
    # first boot (upcycle-check.service), then postinstall.sh
    if [[ -n ${UPCYCLE_STATIC_READY:-} && ! -e $UPCYCLE_STATIC_READY ]]; then
        note "build: waiting for the static upcycle ($UPCYCLE_STATIC_READY)"
        local waited=0
        while [[ ! -e $UPCYCLE_STATIC_READY ]] && ((waited < 1800)); do sleep 10; waited=$((waited + 10)); done
        [[ -e $UPCYCLE_STATIC_READY ]] || die "the static upcycle was not ready after 30 min ($UPCYCLE_STATIC_READY)"
        note "build: the static upcycle ready after ${waited}s"
    fi
    if [[ -x $static_bin ]]; then
        install -D -m 0755 "$static_bin" "$c/usr/local/sbin/upcycle"
        note "build: $static_bin -> /usr/local/sbin/upcycle (late_command)"
    else
        warn "no static $arch upcycle ($static_bin; scripts/build-static.sh): the image gets no self-check"
    fi
    # late_command: in-target bash /root/upcycle-postinstall.sh --installer
    note "build: postinstall.sh --installer (late_command)"
    cp "$bundle/postinstall.sh" "$c/root/upcycle-postinstall.sh"
    in_chroot "$c" bash /root/upcycle-postinstall.sh --installer >"$logdir/build-6-postinstall.log" 2>&1 ||
        die "postinstall.sh failed (see $logdir/build-6-postinstall.log)"
    grep '^upcycle-postinstall: changed' "$logdir/build-6-postinstall.log" >&2 || true
    # and once more, as a workshop reruns it: it must change nothing (chroot.sh)
    local why
    why=$(postinstall_again "$c" "$logdir/build-6-postinstall-2.log" "$run/postinstall-mark") ||
        die_status=1 die "build: $why"
    note "build: postinstall.sh again: changed 0, no file changed"
    # grub-install writes the ESP's grub.cfg (signed GRUB: with shim) as load.cfg, then
    # appends "configfile $prefix/grub.cfg"; fusefat loses that appended write (the XPS
    # 15's first boots stopped at grub> with the ESP's file exactly load.cfg), and a
    # rewrite through fusefat left a file without clusters (fsck.fat). The file is
    # written again after fusefat is gone, with mtools, as grub-install meant it
    local loadcfg=$c/boot/grub/${grub_target:-none}/load.cfg
    # shellcheck disable=SC2016  # GRUB's $prefix, not the shell's
    local cfgline='configfile $prefix/grub.cfg'
    # With shim the whole ESP is made again after fusefat is gone: its files read
    # through fusefat into WORKDIR/esp-staging, grub.cfg as grub-install meant it, then
    # mkfs.vfat (the same volume id, fstab's UUID) and mcopy (mtools writing into
    # fusefat's FAT left both FATs corrupt). Without shim (the T100TA) fusefat wrote
    # only whole new files, fsck.fat found the ESP clean, and it booted: kept as it is.
    rm -rf "$workdir/esp-staging"
    if [[ -n $esp_part && -e $c/boot/efi/EFI/debian/shim${efi_suffix:-}.efi ]]; then
        [[ -s $loadcfg ]] || die "no $loadcfg to write the ESP's grub.cfg from"
        mkdir -p "$workdir/esp-staging"
        cp -r "$c/boot/efi/EFI" "$workdir/esp-staging/"
        { cat "$loadcfg"; echo "$cfgline"; } >"$workdir/esp-staging/EFI/debian/grub.cfg"
    fi
    # finish-install: what the installer leaves behind. apt's lists stay (copied from
    # the bind-mounted cache), the .debs not (d-i cleans the archive); d-i's proxy
    # answer is written to /etc/apt/apt.conf (apt-setup), the harness's chroot
    # settings are removed.
    umount_under "$c"
    cp -a "$cache/apt/$family-$codename-$arch/lists/." "$c/var/lib/apt/lists/"
    rm -f "$c/var/lib/apt/lists/lock"
    rm -rf "$c/var/lib/apt/lists/partial"
    rm -f "$c/usr/sbin/policy-rc.d" "$c/etc/dpkg/dpkg.cfg.d/upcycle-e2e" "$c/etc/apt/apt.conf.d/99upcycle-e2e" \
        "$c/root/upcycle-debconf.txt"
    local proxy
    proxy=$(preseed_value "$pre" mirror/http/proxy)
    [[ -z $proxy ]] || printf 'Acquire::http::Proxy "%s";\n' "$proxy" >"$c/etc/apt/apt.conf"
    : >"$c/etc/resolv.conf"
    sync
    local used
    used=$(df -B1M --output=used "$c" | tail -n 1 | tr -d ' ')
    result_set disk_used_mib "$used"
    if [[ -n $t0 ]]; then
        result_set build_seconds $((SECONDS - t0))
        note "build: done in $(fmt_dur $((SECONDS - t0))); $used MiB used on /"
    else
        note "build: finished; $used MiB used on /"
    fi
    detach_image
    if [[ -n $esp_part ]]; then # the ESP that fusefat wrote, checked by dosfstools
        local l vid
        l=$(part_loop "$esp_part")
        if [[ -d $workdir/esp-staging ]]; then
            vid=$(blkid -s UUID -o value "$l" | tr -d -)
            { mkfs.vfat -F 32 -i "$vid" "$l" && MTOOLS_SKIP_CHECK=1 mcopy -s -i "$l" "$workdir/esp-staging/EFI" ::/; } \
                >>"$logdir/sfdisk.log" 2>&1 || { losetup -d "$l"; die "the ESP could not be made again (see $logdir/sfdisk.log)"; }
            note "build: the ESP made again with mkfs.vfat + mcopy, EFI/debian/grub.cfg with grub-install's configfile line (fusefat had lost it)"
        fi
        fsck.fat -n "$l" >"$logdir/fsck-esp.log" 2>&1 || { losetup -d "$l"; die "fsck.fat -n: the ESP is damaged (see $logdir/fsck-esp.log)"; }
        losetup -d "$l"
    fi
}

if has_stage build; then
    build
elif has_stage grub; then # resume a build that failed at the boot loader
    attach_chroot
    if [[ $label == gpt ]]; then build_grub_efi; else build_grub_pc; fi
    detach_image
    build_finish
elif has_stage finish; then
    build_finish
fi

# --- boot ---------------------------------------------------------------------
# instrument on|off: the test instrumentation in the image: a root shell on the serial
# console ttyS0, a service and not a getty login, so that it opens no logind session
# (another session would make the wizard's `systemctl reboot` ask for a password)
instrument() {
    local unit=/etc/systemd/system/upcycle-e2e-serial-shell.service
    attach_image
    # gpt: the loader d-i's grub-installer registers in NVRAM when shim is on the ESP
    # (start_qemu_uefi writes that entry; see there)
    if [[ $label == gpt && $1 == on ]]; then
        if [[ -e $target/boot/efi/EFI/debian/shim$efi_suffix.efi ]]; then
            echo "\\EFI\\debian\\shim$efi_suffix.efi" >"$workdir/efi-nvram-entry"
        else
            rm -f "$workdir/efi-nvram-entry"
        fi
    fi
    if [[ $1 == on ]]; then
        cat >"$target$unit" <<'UNIT'
[Unit]
Description=upcycle e2e test instrumentation: root shell on ttyS0 (not part of the product)
After=systemd-user-sessions.service

[Service]
ExecStart=/bin/bash
StandardInput=tty
StandardOutput=tty
StandardError=tty
TTYPath=/dev/ttyS0
TTYReset=yes
Environment=TERM=dumb HOME=/root
Restart=always

[Install]
WantedBy=multi-user.target
UNIT
        mkdir -p "$target/etc/systemd/system/multi-user.target.wants"
        ln -sf "$unit" "$target/etc/systemd/system/multi-user.target.wants/upcycle-e2e-serial-shell.service"
    else
        rm -f "$target$unit" "$target/etc/systemd/system/multi-user.target.wants/upcycle-e2e-serial-shell.service"
    fi
    detach_image
}

# The recipient (typed into the wizard with the de layout: z, ü and - test it)
R_FULL='Lena Müller-Schulz'
R_USER=lena
R_PASS=Sonne-2026z
mon=$run/monitor.sock
ser=$run/serial.sock
vm() { nice -n 5 python3 "$script_dir/vm.py" "$@"; }

# start_qemu NAME: power on (QEMU exits when the guest reboots or powers off)
start_qemu() {
    rm -f "$mon" "$ser"
    # -no-reboot: a reboot ends QEMU; the harness powers on again (a clean power-on
    # for the time to the greeter). The network: the T40's Intel PRO/1000 (e1000) on
    # QEMU's user network, restricted (restrict=on: no packet leaves for the host or
    # the outside), except the workshop PC's serve through guestfwd (a socat per
    # connection to the host's serve); no serve: no network (-nic none). The disk:
    # IDE (ide-hd), which answers ATA SMART (the self-check's disk-health).
    # The T40's sound chip (AC97, Intel ICH: snd-intel8x0), silent: the self-check finds it.
    local nic=none
    [[ -z $serve_port ]] ||
        nic="user,model=e1000,restrict=on,guestfwd=tcp:$SERVE_GUEST_ADDR:$SERVE_GUEST_PORT-cmd:socat - TCP:127.0.0.1:$serve_port"
    if [[ $label == gpt ]]; then
        start_qemu_uefi "$1" "$nic"
    else
        start_qemu_bios "$1" "$nic"
    fi
    qemu_pid=$!
    power_on=$SECONDS
    local i
    for i in $(seq 100); do [[ -S $mon ]] && return 0; sleep 0.2; done
    die "QEMU did not start (see $logdir/qemu-$1.log)"
}
# start_qemu_bios NAME NIC: the BIOS laptop, in the background. i386 (the T40): a
# Pentium III (no PAE-less quirks of later models), its ICH's AC97 sound. amd64 (the
# X220, the T420): a generic 64-bit CPU with the SSE4.2/POPCNT their Sandy Bridge
# has, Intel HDA sound.
start_qemu_bios() {
    local nic=$2 qemu=(qemu-system-i386 -cpu pentium3) snd=(-device "AC97,audiodev=snd0")
    if [[ $arch == amd64 ]]; then
        qemu=(qemu-system-x86_64 -cpu "qemu64,+ssse3,+sse4.1,+sse4.2,+popcnt")
        snd=(-device intel-hda -device "hda-duplex,audiodev=snd0")
    fi
    timeout "$timeout_s" "${qemu[@]}" -accel tcg -machine pc -m "$vm_mem" -smp 1 \
        -drive "file=$img,format=raw,if=ide,cache=unsafe" -vga std -display none -nic "$nic" \
        -audiodev none,id=snd0 "${snd[@]}" \
        -no-reboot -monitor "unix:$mon,server=on,wait=off" \
        -chardev "socket,id=ser0,path=$ser,server=on,wait=off,logfile=$logdir/serial-$1.log" \
        -serial chardev:ser0 >"$logdir/qemu-$1.log" 2>&1 &
}
# virt_fw_vars: the path of virt-firmware's virt-fw-vars (PATH, else a venv in the
# cache, made with pip when missing)
virt_fw_vars() {
    local venv=$cache/virt-firmware
    if command -v virt-fw-vars; then return 0; fi
    if [[ ! -x $venv/bin/virt-fw-vars ]]; then
        # `python3 -m venv` needs ensurepip: Debian's and Ubuntu's python3-venv
        python3 -c 'import ensurepip' 2>/dev/null || install_or_tell python3-venv || return 1
        { python3 -m venv "$venv" && "$venv/bin/pip" install -q virt-firmware; } >>"$logdir/virt-firmware.log" 2>&1 || return 1
    fi
    echo "$venv/bin/virt-fw-vars"
}
# start_qemu_uefi NAME NIC: the amd64 UEFI laptop, in the background. OVMF in pflash,
# its variables a copy of the firmware's empty store kept in WORKDIR (the laptop's
# NVRAM: it lasts from power-on to power-on; a build starts it anew). 32-bit UEFI
# (the T100TA): OVMF32, Debian's only ia32 build is the Secure Boot one, which needs
# SMM (q35, smm=on, the secure pflash, S3 off); its unenrolled variables leave Secure
# Boot off, so the unsigned GRUB boots. 64-bit UEFI: OVMF_CODE_4M. The CPU: a generic
# 64-bit one with the SSE4.2/POPCNT of the T100TA's Atom (Silvermont, not a QEMU
# model), one core under TCG; the RAM of the report. The disk on q35's AHCI (ide-hd:
# it answers ATA SMART); e1000 stands in for the USB Ethernet adapter the T100TA
# needs in the workshop (it has no Ethernet port; QEMU has no USB NIC that Debian's
# installer and this harness use alike); Intel HDA stands in for its Baytrail SST sound.
start_qemu_uefi() {
    local nic=$2 code vars_src vars=$workdir/efivars.fd fw=() disk=(-device "ide-hd,drive=disk0,bus=ide.0")
    [[ $vm_disk != nvme0n1 ]] || disk=(-device "nvme,drive=disk0,serial=upcycle-e2e")
    if [[ $efi_bits == 32 ]]; then
        code=/usr/share/OVMF/OVMF32_CODE_4M.secboot.fd vars_src=/usr/share/OVMF/OVMF32_VARS_4M.fd
        fw=(-machine "q35,smm=on" -global "ICH9-LPC.disable_s3=1" -global "driver=cfi.pflash01,property=secure,value=on")
    else
        code=/usr/share/OVMF/OVMF_CODE_4M.fd vars_src=/usr/share/OVMF/OVMF_VARS_4M.fd
        fw=(-machine q35)
    fi
    if [[ ! -s $vars ]]; then
        cp "$vars_src" "$vars"
        # With shim on the ESP (64-bit: shim-signed), d-i's grub-installer has efibootmgr
        # register \EFI\debian\shimx64.efi as the boot entry "debian", and only that
        # boots: on the removable path shim loads EFI/BOOT/grubx64.efi, which finds no
        # grub.cfg there (grub-install --force-extra-removable copies none) and stops
        # at the grub> prompt (seen on the XPS 15's first boot). The chroot cannot run
        # efibootmgr on the VM's NVRAM, so the entry is written into the variable store
        # here (virt-fw-vars of virt-firmware: a short-form file path, which OVMF
        # expands to the ESP; d-i's has the partition in it). Without shim (32-bit),
        # no entry: the firmware boots the removable path BOOTIA32.EFI itself.
        if [[ -s $workdir/efi-nvram-entry ]]; then
            local vfw
            vfw=$(virt_fw_vars) || die "no virt-fw-vars (pip install virt-firmware; see $logdir/virt-firmware.log)"
            "$vfw" -i "$vars" -o "$vars.new" --append-boot-filepath "$(cat "$workdir/efi-nvram-entry")" \
                >>"$logdir/virt-firmware.log" 2>&1 || die "virt-fw-vars failed (see $logdir/virt-firmware.log)"
            mv "$vars.new" "$vars"
            note "NVRAM: boot entry for $(cat "$workdir/efi-nvram-entry") (as grub-installer's efibootmgr)"
        fi
    fi
    timeout "$timeout_s" qemu-system-x86_64 -accel tcg "${fw[@]}" \
        -drive "if=pflash,format=raw,unit=0,readonly=on,file=$code" -drive "if=pflash,format=raw,unit=1,file=$vars" \
        -cpu qemu64,+ssse3,+sse4.1,+sse4.2,+popcnt -m "$vm_mem" -smp 1 \
        -drive "file=$img,format=raw,if=none,id=disk0,cache=unsafe" "${disk[@]}" \
        -vga std -display none -nic "$nic" \
        -audiodev none,id=snd0 -device ich9-intel-hda -device hda-duplex,audiodev=snd0 \
        -no-reboot -monitor "unix:$mon,server=on,wait=off" \
        -chardev "socket,id=ser0,path=$ser,server=on,wait=off,logfile=$logdir/serial-$1.log" \
        -serial chardev:ser0 >"$logdir/qemu-$1.log" 2>&1 &
}
# wait_qemu_exit SECONDS: 0 when QEMU ended by itself in time
wait_qemu_exit() {
    local end=$((SECONDS + $1))
    while ((SECONDS < end)); do
        kill -0 "$qemu_pid" 2>/dev/null || { wait "$qemu_pid" 2>/dev/null || true; qemu_pid=''; return 0; }
        sleep 2
    done
    return 1
}
# screen NAME REGEX SECONDS: wait until REGEX is on the screen (OCR); keep the shot
# as shots/NAME.png and its text as shots/NAME.txt
screen() {
    local d=$run/shot-$1
    if vm wait-text "$mon" "$d" "$2" "$3" >/dev/null; then
        cp "$d/match.png" "$workdir/shots/$1.png"
        cp "$d/match.txt" "$workdir/shots/$1.txt"
        return 0
    fi
    [[ ! -f $d/last.png ]] || cp "$d/last.png" "$workdir/shots/$1-timeout.png"
    [[ ! -f $d/last.txt ]] || cp "$d/last.txt" "$workdir/shots/$1-timeout.txt"
    return 1
}
# guest CMD: a command in the root shell on the serial console (test instrumentation)
guest() { vm serial "$ser" 120 "export LC_ALL=C; $*"; }
fail_boot() {
    result_set boot "{\"pass\": false, \"reason\": $(jq -Rn --arg r "$1" '$r')}"
    die_status=1 die "boot: $1"
}

# wizard_step NAME REGEX [what]: wait (5 min) for REGEX on the screen, shot NAME
wizard_step() {
    screen "$1" "$2" 300 || fail_boot "wizard: no ${3:-$1} on the screen within 5 min (see shots/$1-timeout.png)"
    sleep 2
}
# setup_kept: the setup account is still there and the recipient's not yet (serial shell)
setup_kept() {
    local out
    out=$(guest "id -u $setup_user >/dev/null && ! getent passwd $R_USER >/dev/null && echo kept" 2>/dev/null || true)
    [[ $out == *kept* ]]
}

# start_serve: `upcycle serve` on 127.0.0.1 (a free port) for the bundle's folder
# and ledger; sets serve_port (empty when there is no ledger: no network then)
serve_port=''
start_serve() {
    [[ -n $serve_dir ]] || { note "no ledger beside the bundle: no serve, no network for the guest"; return 0; }
    [[ -z $serve_pid ]] || return 0
    local i seen=0
    # only this serve's lines: the log is kept across runs, and an earlier serve's
    # "listening on" line sent a resumed run's guest to a dead port
    [[ ! -f $logdir/serve.log ]] || seen=$(wc -l <"$logdir/serve.log")
    "$upcycle" serve "$serve_dir" --lang de --listen 127.0.0.1:0 >>"$logdir/serve.log" 2>&1 &
    serve_pid=$!
    for i in $(seq 100); do
        serve_port=$(tail -n +$((seen + 1)) "$logdir/serve.log" | sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' | tail -n 1)
        [[ -n $serve_port ]] && break
        kill -0 "$serve_pid" 2>/dev/null || die "upcycle serve exited (see $logdir/serve.log)"
        sleep 0.1
    done
    [[ -n $serve_port ]] || die "upcycle serve printed no 'listening on' line (see $logdir/serve.log)"
    note "serve: upcycle serve $serve_dir on 127.0.0.1:$serve_port, the guest's http://$SERVE_GUEST_ADDR:$SERVE_GUEST_PORT"
}
# stop_serve: serve stopped (it writes the ledger as events come; stopped, all is in)
stop_serve() {
    [[ -n $serve_pid ]] || return 0
    kill "$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
    serve_pid='' serve_port=''
}

# room_form: a person's check through the room's form (docs/check.md), as a browser
# sends it: the form page (its per-run token), then the answers; the page says the
# laptop's new state
room_form() {
    [[ -n $serve_port ]] || return 0
    local base="http://127.0.0.1:$serve_port" token
    curl -fsS "$base/room/check/$asset" >"$workdir/room-form.html" || die "GET /room/check/$asset failed"
    token=$(sed -n 's/.*name="token" value="\([0-9a-f]*\)".*/\1/p' "$workdir/room-form.html" | head -n 1)
    [[ -n $token ]] || die "the room's check form has no token (see $workdir/room-form.html)"
    curl -fsS -H "Origin: $base" --data-urlencode "token=$token" \
        -d keyboard=ok -d touchpad=ok -d hinges=defect -d screen=not-checked -d grade=B -d verdict=to-repair \
        --data-urlencode "note=Scharnier links locker (e2e)" \
        "$base/room/check/$asset" >"$workdir/room-form-answer.html" || die "POST /room/check/$asset failed"
    note "room form: a person's check of $asset sent (hinges defective, grade B, to repair)"
}

boot() {
    local t out paths=()
    setup_user=$(preseed_value "$pre" passwd/username)
    instrument on
    # 1. first power-on: autologin into the setup account, the wizard's first question
    note "boot 1: power on; waiting for the wizard (TCG: minutes)"
    start_qemu boot1
    # the name question, not the dialog's title "Willkommen": Xfce's panel shows the
    # window's title before the dialog is drawn (the T100TA's first run matched it there)
    screen wizard 'Nachname|hei.t du' 1800 || fail_boot "no wizard on the screen within 30 min (see shots/wizard-timeout.png)"
    local t_wizard=$((SECONDS - power_on))
    note "boot 1: wizard after ${t_wizard}s; its failure paths first, one question a window, Enter goes on"
    # the mouse pointer rests in the middle of the screen, where the dialogs are, and
    # hides letters from the OCR: move it to the top right corner
    vm hmp "$mon" "mouse_move 2000 -2000" >/dev/null
    sleep 5
    # 2a. "later": cancel, and yes to "Später einrichten?": the wizard ends and changes
    # nothing; at the next start it comes back (docs/first-boot.md)
    local t_wizard_again=null
    if ((skip_later)); then
        note "boot 1: --skip-later: the 'later' path left out"
    else
        vm key "$mon" esc
        wizard_step wizard-later-first 'ter einrichten|kommt diese|diese Frage' "later question after cancel"
        vm key "$mon" ret # Enter = Yes: later
        sleep 15
        out=$(guest "pgrep -f /usr/local/bin/upcycle-firstboot >/dev/null && echo running || echo ended" 2>/dev/null || true)
        [[ $out == *ended* ]] || fail_boot "the wizard still runs after 'later' (serial: $out)"
        setup_kept || fail_boot "after 'later' the setup account is gone or the recipient exists"
        guest "systemctl reboot" >/dev/null 2>&1 || true
        wait_qemu_exit 300 || fail_boot "no restart within 5 min after 'later'"
        note "boot 1: 'later' ended the wizard, setup account kept; power on again"
        start_qemu boot1-again
        screen wizard-again 'Nachname|hei.t du' 1800 || fail_boot "the wizard did not come back after 'later' and a restart (see shots/wizard-again-timeout.png)"
        t_wizard_again=$((SECONDS - power_on))
        note "boot 1 again: the wizard is back after ${t_wizard_again}s"
        paths+=("later, and back after a restart")
        vm hmp "$mon" "mouse_move 2000 -2000" >/dev/null
        sleep 5
    fi
    # 2b. the failure paths: each shows a German message and asks again; the setup
    # account stays until all answers are right
    vm key "$mon" ret # empty name
    wizard_step wizard-error-name 'Namen e|gib deinen' "message for an empty name"
    vm key "$mon" ret
    wizard_step wizard-name-again 'Nachname|hei.t du' "name question after the message"
    paths+=("empty name")
    vm key "$mon" esc # cancel: "later?"; Esc = no, the wizard goes on
    wizard_step wizard-later 'ter einrichten|kommt diese|diese Frage' "later question after cancel"
    vm key "$mon" esc
    wizard_step wizard-name-after-later 'Nachname|hei.t du' "name question after 'not later'"
    paths+=("cancel, not later")
    vm type "$mon" "$R_FULL"$'\n'
    wizard_step wizard-user 'Anmelden|zum Anm' "user name question"
    vm type "$mon" "Lena"$'\n' # upper case: not a valid user name
    wizard_step wizard-error-user 'kleine Buch|Ziffern' "message for an invalid user name"
    vm key "$mon" ret
    wizard_step wizard-user-again 'Anmelden|zum Anm' "user name question after the message"
    paths+=("invalid user name")
    vm key "$mon" ctrl-a
    vm type "$mon" "root"$'\n' # a system account
    wizard_step wizard-error-taken 'gibt es|anderen|schon' "message for a reserved user name"
    vm key "$mon" ret
    wizard_step wizard-user-third 'Anmelden|zum Anm' "user name question after the message"
    paths+=("reserved user name (root)")
    vm key "$mon" ctrl-a
    vm type "$mon" "$R_USER"$'\n'
    wizard_step wizard-password 'ein Passwort|6 Zeichen' "password question"
    vm type "$mon" "$R_PASS"$'\n'
    wizard_step wizard-password2 'Sicherheit|einmal ein' "repeat question"
    vm type "$mon" "Mond-2026x"$'\n' # differs
    wizard_step wizard-error-match 'verschieden' "message for passwords that differ"
    setup_kept || fail_boot "after four wrong answers the setup account is gone or the recipient exists"
    vm key "$mon" ret
    wizard_step wizard-password-again 'ein Passwort|6 Zeichen' "password question after the message"
    paths+=("passwords that differ")
    note "boot 1: failure paths shown in German, setup account kept: ${paths[*]}"
    # 3. the right answers
    vm type "$mon" "$R_PASS"$'\n'
    wizard_step wizard-password2-again 'Sicherheit|einmal ein' "repeat question"
    vm type "$mon" "$R_PASS"$'\n'
    screen answer 'Fertig|verschieden|Benutzername darf|konnte nicht' 300 || fail_boot "no answer of the wizard after the last Enter"
    grep -q Fertig "$workdir/shots/answer.txt" || fail_boot "the wizard did not accept the data: $(tr '\n' ' ' <"$workdir/shots/answer.txt")"
    vm key "$mon" ret
    wait_qemu_exit 600 || fail_boot "the laptop did not restart within 10 min after the wizard"
    note "boot 1: the wizard restarted the laptop"
    result_set boot1 "$(jq -n --argjson w "$t_wizard" --argjson w2 "$t_wizard_again" \
        --argjson p "$(printf '%s\n' "${paths[@]}" | jq -R . | jq -s .)" \
        '{seconds_to_wizard: $w, seconds_to_wizard_again: $w2, failure_paths: $p}')"
}

# boot2: the power-on after the wizard (alone as the stage boot2, on an image whose
# wizard has run)
boot2() {
    local t out
    instrument on # again: idempotent, and boot2 can run alone
    # 3. second power-on: LightDM's greeter with the recipient
    start_qemu boot2
    # LightDM lists the recipient's full name, SDDM preselects their user name
    screen greeter "Lena|$R_USER" 1800 || fail_boot "no greeter with the recipient within 30 min"
    local t_greeter=$((SECONDS - power_on))
    note "boot 2: greeter with the recipient after ${t_greeter}s"
    local setup_user
    setup_user=$(preseed_value "$pre" passwd/username)
    if grep -qi "$setup_user" "$workdir/shots/greeter.txt"; then fail_boot "the greeter still shows $setup_user"; fi
    # 4. the recipient logs in
    vm type "$mon" "$R_PASS"$'\n'
    # the desktop's panel, then what draws its icons (LXDE: lxpanel, pcmanfm; Xfce:
    # xfce4-panel, xfdesktop; LXQt: lxqt-panel, pcmanfm-qt)
    local panel icons desktop
    desktop=$(jq -r .desktop "$workdir/bundle-info.json")
    case $desktop in
        LXDE) panel=lxpanel icons=pcmanfm ;;
        Xfce) panel=xfce4-panel icons=xfdesktop ;;
        LXQt) panel=lxqt-panel icons=pcmanfm-qt ;;
        *) die "boot 2: no panel process known for the desktop '$desktop'" ;;
    esac
    t=$SECONDS
    while ((SECONDS - t < 900)); do
        out=$(guest "pgrep -u $R_USER -x $panel >/dev/null && echo up || echo down" 2>/dev/null || true)
        [[ $out == *up* ]] && break
        sleep 10
    done
    [[ $out == *up* ]] || fail_boot "the recipient's desktop ($panel) did not start within 15 min after the password"
    # the panel runs; the desktop icons' process too: OCR cannot read the small white
    # "Papierkorb" on the wallpaper, so the serial shell decides and the screenshot
    # after the settling time is the evidence
    while ((SECONDS - t < 900)); do
        out=$(guest "pgrep -u $R_USER -x $icons >/dev/null && echo up || echo down" 2>/dev/null || true)
        [[ $out == *up* ]] && break
        sleep 10
    done
    local t_desktop=$((SECONDS - power_on))
    note "boot 2: desktop of $R_USER ($panel, $icons) after ${t_desktop}s; settling 120 s"
    sleep 120
    vm shot "$mon" "$workdir/shots/desktop.png"
    guest "free -m" >"$workdir/free.txt" || true
    # how the laptop booted: the firmware's word size (/sys/firmware/efi), the kernel
    # line GRUB gave, the NVRAM's boot entries
    guest "if [ -d /sys/firmware/efi ]; then echo uefi \$(cat /sys/firmware/efi/fw_platform_size); else echo bios; fi; uname -m; cat /proc/cmdline; efibootmgr -v 2>&1 || true" \
        >"$workdir/guest-firmware.txt" 2>&1 || true
    guest "systemd-analyze; loginctl list-sessions --no-legend; systemctl --failed --no-legend; ps -eo rss,comm --sort=-rss | head -n 15" \
        >"$workdir/guest-state.txt" || true
    local used avail
    used=$(awk '/^Mem:/ {print $3}' "$workdir/free.txt")
    avail=$(awk '/^Mem:/ {print $7}' "$workdir/free.txt")
    note "boot 2: free -m after login: used ${used:-?} MiB, available ${avail:-?} MiB"
    # the self-check of the first boot (upcycle-check.service, posted to serve; with no
    # serve it waits 120 s, fails, and the result stays on the laptop): wait until it has run
    t=$SECONDS
    while ((SECONDS - t < 600)); do
        out=$(guest "test -e /var/lib/upcycle/check-done && echo done || echo waiting" 2>/dev/null || true)
        [[ $out == *done* || $out == *waiting* && ! -x $static_bin ]] && break
        sleep 15
    done
    guest "systemctl status --no-pager upcycle-check.service; journalctl -b --no-pager -u upcycle-check.service | tail -n 40" \
        >"$workdir/check-unit.txt" 2>&1 || true
    # what the guest sees: its network, and the disk's SMART as smartctl reads it
    guest "ip -br addr; ip route; cat /etc/upcycle/serve.conf | sed 's/^token=.*/token=(hidden)/'; smartctl -i -H -A /dev/$vm_disk" \
        >"$workdir/guest-net-smart.txt" 2>&1 || true
    guest "systemctl poweroff" >/dev/null || true
    wait_qemu_exit 300 || { warn "no power-off within 5 min; stopping QEMU"; stop_pids "$qemu_pid"; qemu_pid=''; }
    local cpu="pentium3 (TCG)" firmware=BIOS ovmf=OVMF
    # (not `[[ ]] || a=$(...)`: a substitution that fails there ends the script under
    # set -e without a word: the XPS run of 04:19 stopped here, its 64-bit firmware made
    # `[[ $efi_bits == 32 ]] && echo 32` fail)
    [[ $efi_bits != 32 ]] || ovmf=OVMF32
    [[ $arch == i386 ]] || cpu="qemu64+ssse3,sse4.1,sse4.2,popcnt (TCG)"
    [[ $label != gpt ]] || firmware="UEFI ${efi_bits}-bit ($ovmf)"
    result_set boot2 "$(jq -n --argjson g "$t_greeter" --argjson d "$t_desktop" \
        --argjson u "${used:-null}" --argjson a "${avail:-null}" --argjson m "$vm_mem" --arg c "$cpu" --arg f "$firmware" \
        --arg b "$(grep -E '^(uefi|bios)' "$workdir/guest-firmware.txt" 2>/dev/null || true)" \
        '{pass: true, seconds_to_greeter: $g, seconds_to_desktop: $d, ram_used_mib: $u, ram_available_mib: $a, memory_mib: $m, cpu: $c, firmware: $f, guest_saw: $b}')"
}

if has_stage boot; then
    start_serve
    boot
    boot2
    room_form
elif has_stage boot2; then
    start_serve
    boot2
    room_form
fi
stop_serve

# --- verify -------------------------------------------------------------------
checks_failed=0
check() { # check TEXT CMD...: one result line (the command's own output, jq's `true`, left out)
    if "${@:2}" >/dev/null; then printf 'ok    %s\n' "$1"; else printf 'FAIL  %s\n' "$1"; checks_failed=$((checks_failed + 1)); fi
}
installed() { # installed PKG: "install ok installed" in the image's dpkg database
    dpkg-query --admindir="$target/var/lib/dpkg" -W -f='${Status}' "$1" 2>/dev/null | grep -x 'install ok installed' >/dev/null
}
absent() { [[ ! -e $target$1 ]]; }
absent_all() { local f; for f; do absent "$f" || return 1; done; }
hash_matches() { # the shadow hash of $R_USER is crypt(3) of the typed password
    local h
    h=$(awk -F: -v u="$R_USER" '$1 == u {print $2}' "$target/etc/shadow")
    [[ $h == "\$"* ]] || return 1
    [[ $(H=$h P=$R_PASS python3 -W ignore -c 'import crypt, os; print(crypt.crypt(os.environ["P"], os.environ["H"]))') == "$h" ]]
}
hash_scheme() { # $6$ = SHA-512 crypt, $y$ = yescrypt
    awk -F: -v u="$R_USER" '$1 == u {split($2, a, "$"); print "$" a[2] "$"}' "$target/etc/shadow"
}

# serve_ledger: what serve kept in the ledger while the VM ran (serve stopped: all is
# in), read with `upcycle log`, and the passport `upcycle passport` makes of it
# shellcheck disable=SC2016  # jq programs, not shell
serve_ledger() {
    local doc=$target/var/lib/upcycle/check.json log=$workdir/ledger-log.json pp=$workdir/passport
    echo "== serve's ledger ($serve_dir): the self-check posted from the VM, the room's form, the passport"
    check "the laptop found serve as the workshop PC (serve.conf url=http://$SERVE_GUEST_ADDR:$SERVE_GUEST_PORT)" \
        grep -qx "url=http://$SERVE_GUEST_ADDR:$SERVE_GUEST_PORT" "$target/etc/upcycle/serve.conf"
    "$upcycle" log "$asset" --ledger "$serve_dir" --format json >"$log" || die "upcycle log $asset failed"
    check "serve recorded the self-check: a checked event of $asset from serve (upcycle check --post in the VM)" \
        jq -e '[.events[] | select(.kind == "checked" and (.source | startswith("serve from ")))] | length == 1' "$log"
    check "its results are the ones the laptop kept (check.json's 11 results, evidence included)" \
        jq -e --slurpfile d "$doc" '[.events[] | select(.kind == "checked" and (.source | startswith("serve from ")))][0].details
            | .schema == "upcycle.check/v1" and .results == $d[0].results and .time == $d[0].time' "$log"
    # the self-check reads SMART of the selection's install disk; the VM's disk is sda
    # (IDE on the T40, AHCI on q35). Where the laptop's disk has another name (the
    # T100TA's eMMC mmcblk2) the VM cannot show it: that disk is not there
    local install_disk
    install_disk=$(jq -r '.install_disk // empty' "$workdir/bundle-info.json")
    if [[ $install_disk == "$vm_disk" ]]; then
        check "disk-health read SMART from the VM's disk $vm_disk (IDE, AHCI on q35, or NVMe) through smartctl (disk-health: pass)" \
            jq -e '.results[] | select(.check == "disk-health") | .outcome == "pass"' "$doc"
    else
        check "disk-health looked at the selection's install disk $install_disk, which this VM does not have (its disk is $vm_disk): unknown, not pass" \
            jq -e --arg d "$install_disk" '.results[] | select(.check == "disk-health") | .outcome == "unknown" and .evidence[0].args.disk == $d' "$doc"
    fi
    jq -r '.results[] | select(.check == "disk-health") | .evidence[] | "   disk-health evidence: \(.code) \(.args // {} | tojson)"' "$doc" 2>/dev/null || true
    check "serve recorded the room's form: checked by a person (items, grade B, to-repair, note)" \
        jq -e '[.events[] | select(.kind == "checked" and (.source | startswith("room from ")))] | length == 1 and (.[0].details
            | .manual == {keyboard: "ok", touchpad: "ok", hinges: "defect", screen: "not-checked"}
              and .grade == "B" and .verdict == "to-repair" and .note == "Scharnier links locker (e2e)")' "$log"
    rm -rf "$pp"
    "$upcycle" passport "$asset" --ledger "$serve_dir" -o "$pp" --lang de >"$logdir/passport.log" 2>&1 ||
        die "upcycle passport $asset failed (see $logdir/passport.log)"
    local pj=$pp/$asset.passport.json
    check "the passport has the self-check that serve recorded: $(jq '[.results[] | select(.outcome == "pass")] | length' "$doc") passed, none failed" \
        jq -e --slurpfile d "$doc" --slurpfile l "$log" '.self_check.time == ([$l[0].events[] | select(.kind == "checked" and (.source | startswith("serve from ")))][0].time)
            and .self_check.passed == ([$d[0].results[] | select(.outcome == "pass")] | length) and .self_check.failed == []' "$pj"
    check "the passport has the person's check (to-repair, grade B, the note) and the state to-repair" \
        jq -e '.check.verdict == "to-repair" and .check.grade == "B" and .check.note == "Scharnier links locker (e2e)" and .state == "to-repair"' "$pj"
    check "the passport has the form's four items (check.manual, upcycle.passport/v2)" \
        jq -e '.schema == "upcycle.passport/v2"
            and .check.manual == {keyboard: "ok", touchpad: "ok", hinges: "defect", screen: "not-checked"}' "$pj"
    check "the passport page (German) says the note" \
        grep -q 'Scharnier links locker (e2e)' "$pp/$asset.passport.html"
    check "the passport page (German) says the items, the hinges defective in bold" \
        grep -q 'Tastatur: in Ordnung.*Scharniere und Gehäuse: <strong>defekt</strong>' "$pp/$asset.passport.html"
    result_set serve "$(jq -c --slurpfile p "$pj" '{events: [.events[] | select(.kind == "checked") | {source, time, verdict: .details.verdict, manual: .details.manual, results: (.details.results // null | if . then (map({(.check): .outcome}) | add) else null end)}], passport: {state: $p[0].state, self_check: $p[0].self_check, check: $p[0].check}}' "$log" 2>/dev/null || echo null)"
}

# shim_pair_ok EFI UP SUFFIX: shim on the removable path, the signed GRUB beside it
shim_pair_ok() {
    cmp -s "$1/BOOT/BOOT$2.EFI" "$1/debian/shim$3.efi" && cmp -s "$1/BOOT/grub$3.efi" "$1/debian/grub$3.efi"
}
# verify_uefi: the boot loader as grub-installer chose it for the firmware, on the ESP,
# and the firmware that booted it (what the guest saw, boot 2)
verify_uefi() {
    local up=${efi_suffix^^} other
    other=$([[ $efi_bits == 32 ]] && echo grub-efi-amd64 || echo grub-efi-ia32)
    echo "== UEFI: ${efi_bits}-bit firmware, $grub_pkg"
    local -a incl
    read -r -a incl <<<"$(preseed_value "$pre" pkgsel/include)"
    # 32-bit firmware under a 64-bit system: grub-installer would choose grub-efi-ia32
    # by fw_platform_size; the bundle names it itself (pkgsel/include)
    if [[ $efi_bits == 32 ]]; then
        check "the bundle carries $grub_pkg for the 32-bit firmware (pkgsel/include)" \
            grep -qx "$grub_pkg" < <(printf '%s\n' "${incl[@]}")
    fi
    grub_pkgs_ok() { installed "$grub_pkg" && installed "$grub_pkg-bin" && ! installed "$other"; }
    check "$grub_pkg and $grub_pkg-bin are installed (dpkg), $other not" grub_pkgs_ok
    local e=$target/boot/efi/EFI
    if [[ -e $e/debian/shim$efi_suffix.efi ]]; then
        # shim-signed and grub-efi-<arch>-signed are there (the package's Recommends;
        # d-i installs them on amd64 too): grub-install puts shim on the removable path,
        # the signed GRUB beside it
        check "the ESP has the firmware's removable path EFI/BOOT/BOOT$up.EFI = EFI/debian/shim$efi_suffix.efi (shim), and EFI/BOOT/grub$efi_suffix.efi = EFI/debian/grub$efi_suffix.efi (the signed GRUB)" \
            shim_pair_ok "$e" "$up" "$efi_suffix"
    else
        check "the ESP has the firmware's removable path EFI/BOOT/BOOT$up.EFI and EFI/debian/grub$efi_suffix.efi, the same GRUB image" \
            cmp -s "$e/BOOT/BOOT$up.EFI" "$e/debian/grub$efi_suffix.efi"
    fi
    check "no loader for the other word size on the ESP (EFI/BOOT/BOOT$([[ $efi_bits == 32 ]] && echo X64 || echo IA32).EFI)" \
        absent "/boot/efi/EFI/BOOT/BOOT$([[ $efi_bits == 32 ]] && echo X64 || echo IA32).EFI"
    check "the fstab mounts the ESP at /boot/efi (vfat)" \
        grep -Eq '^UUID=[0-9A-F-]+ /boot/efi vfat ' "$target/etc/fstab"
    if [[ -s $workdir/guest-firmware.txt ]]; then
        sed 's/^/   guest: /' "$workdir/guest-firmware.txt"
        check "the laptop booted from ${efi_bits}-bit UEFI (the guest's /sys/firmware/efi/fw_platform_size: $(grep -E '^(uefi|bios)' "$workdir/guest-firmware.txt"))" \
            grep -qx "uefi $efi_bits" "$workdir/guest-firmware.txt"
        check "a 64-bit kernel (x86_64), started by GRUB (BOOT_IMAGE= on its command line)" \
            bash -c "grep -qx x86_64 '$workdir/guest-firmware.txt' && grep -q '^BOOT_IMAGE=/boot/vmlinuz' '$workdir/guest-firmware.txt'"
    else
        check "the guest's firmware facts were read in boot 2 (guest-firmware.txt)" false
    fi
}

verify() {
    local setup_user p dropped_pkgs=() chosen_pkgs=() bad=()
    setup_user=$(preseed_value "$pre" passwd/username)
    attach_image
    echo "== accounts (image after the first boot)"
    # the full name as GECOS, with (Debian 12's adduser) or without (Debian 13's) ",,,"
    check "recipient $R_USER exists ($R_FULL)" grep -Eq "^$R_USER:x:[0-9]+:[0-9]+:$R_FULL(,[^:]*)?:" "$target/etc/passwd"
    check "recipient's password hash ($(hash_scheme)) matches the typed password" hash_matches
    # SHA-512 crypt, as every password upcycle handles (the wizard's chpasswd -c SHA512;
    # without it Debian 12's PAM made yescrypt, finding B7)
    check "recipient's password hash is SHA-512 crypt (\$6\$)" test "$(hash_scheme)" = "\$6\$"
    result_set password_hash_scheme "\"$(hash_scheme)\""
    check "recipient has the setup account's groups (audio video netdev)" \
        bash -c "for g in audio video netdev; do grep -q \"^\$g:.*[:,]$R_USER\\(,\\|\$\\)\" '$target/etc/group' || exit 1; done"
    check "setup account $setup_user is gone" bash -c "! grep -q '^$setup_user:' '$target/etc/passwd'"
    check "its home /home/$setup_user is gone" absent "/home/$setup_user"
    check "the sudo rule is gone" absent /etc/sudoers.d/upcycle-firstboot
    check "the autostart entry is gone" absent /etc/xdg/autostart/upcycle-firstboot.desktop
    check "automatic login is off (LightDM, SDDM)" absent_all /etc/lightdm/lightdm.conf.d/50-upcycle-firstboot.conf \
        /etc/sddm.conf.d/50-upcycle-firstboot.conf
    check "firstboot-done is set" test -e "$target/var/lib/upcycle/firstboot-done"
    echo "== chosen == installed"
    jq -r '[.kernel_flavour] + (.desktop_tasks | map("task-" + .)) + .desktop_packages + .apps + .packages + .firmware_packages | .[]' \
        "$workdir/bundle-info.json" >"$workdir/chosen.txt"
    mapfile -t chosen_pkgs <"$workdir/chosen.txt"
    for p in "${chosen_pkgs[@]}"; do installed "$p" || bad+=("$p"); done
    check "every chosen package is installed (${#chosen_pkgs[@]}: kernel, desktop, apps, packages, firmware)${bad[*]:+; missing: ${bad[*]}}" \
        test ${#bad[@]} -eq 0
    # the packages of the apps the selector dropped: the same selection with a copy of
    # the catalog whose apps have no needs (upcycle's own reader), minus the chosen apps
    cp -r "$repo_root/profiles" "$run/profiles-no-needs"
    sed -i '/^[[:space:]]*needs:/d' "$run/profiles-no-needs/apps/"*.yaml
    printf 'pin: %s\n' "$profile" >"$run/pin.yaml"
    "$upcycle" select "$machine" --profiles "$run/profiles-no-needs" --policy "$run/pin.yaml" --format json -q \
        >"$run/all-apps.json" || die "upcycle select with the needs-free catalog failed"
    mapfile -t dropped_pkgs < <(jq -r --slurpfile b "$workdir/bundle-info.json" \
        '.chosen.apps - $b[0].apps | .[]' "$run/all-apps.json")
    printf '%s\n' "${dropped_pkgs[@]}" >"$workdir/dropped-packages.txt"
    bad=()
    for p in "${dropped_pkgs[@]}"; do installed "$p" && bad+=("$p"); done
    check "no package of a dropped app is installed (${dropped_pkgs[*]})${bad[*]:+; installed: ${bad[*]}}" test ${#bad[@]} -eq 0
    # what the selection itself keeps out (the APT pin of the installer's pre-pkgsel
    # hook: the dropped apps with their keep_out, the desktop's keep_out), and exactly
    # one network manager (chroot.sh's check_kept_out, as packages.sh checks bundles)
    local -a kept_out
    mapfile -t kept_out < <(jq -r '.keep_out[]?' "$workdir/bundle-info.json")
    full_note=
    check "nothing the selection keeps out is installed (${kept_out[*]}), exactly one network manager ($(installed_of "$target" "${NETWORK_MANAGERS[@]}" | paste -sd' '))" \
        check_kept_out "$target" "${kept_out[@]}"
    [ -z "$full_note" ] || note "$full_note"
    for p in "${kept_out[@]}"; do installed "$p" && bad+=("$p"); done
    if [[ $label == gpt ]]; then verify_uefi; fi
    echo "== the self-check of the first boot (upcycle check, upcycle-check.service)"
    if [[ -x $static_bin ]]; then
        local doc=$target/var/lib/upcycle/check.json
        cp "$doc" "$workdir/check.json" 2>/dev/null || true
        check "the self-check ran once at the first boot (check-done)" test -e "$target/var/lib/upcycle/check-done"
        check "it kept its result: $doc is upcycle.check/v1 with 11 checks" \
            jq -e '.schema == "upcycle.check/v1" and (.results | length) == 11' "$doc"
        check "the chosen packages are installed, by its own reading (packages: pass)" \
            jq -e '.results[] | select(.check == "packages") | .outcome == "pass"' "$doc"
        check "the sound card of the emulated laptop is found (sound: pass)" \
            jq -e '.results[] | select(.check == "sound") | .outcome == "pass"' "$doc"
        check "no Wi-Fi, no battery in this VM: not-applicable, not a pass" \
            jq -e '[.results[] | select(.check == "wifi-driver" or .check == "battery") | .outcome] == ["not-applicable", "not-applicable"]' "$doc"
        jq -r '.results[] | "   \(.check): \(.outcome)"' "$doc" 2>/dev/null || true
        result_set self_check "$(jq -c '[.results[] | {(.check): .outcome}] | add' "$doc" 2>/dev/null || echo null)"
    else
        note "no static binary: the self-check was not in the image"
    fi
    if [[ -n $serve_dir ]]; then
        serve_ledger
    else
        note "no ledger beside the bundle: the post to serve was not tried"
    fi
    dpkg-query --admindir="$target/var/lib/dpkg" -W -f='${db:Status-Abbrev} ${Package} ${Installed-Size}\n' |
        awk '$1 == "ii"' >"$workdir/dpkg-l.txt"
    note "$(wc -l <"$workdir/dpkg-l.txt") packages installed"
    result_set packages_installed "$(wc -l <"$workdir/dpkg-l.txt")"
    result_set dropped_installed "$(printf '%s\n' "${bad[@]}" | jq -R . | jq -s 'map(select(. != ""))')"
    detach_image
    instrument off
    result_set checks_failed "$checks_failed"
    ((checks_failed == 0)) || { echo "FAIL  $checks_failed check(s) failed"; exit 1; }
    echo "PASS  $profile: first boot, accounts, chosen == installed"
}

if has_stage verify; then verify; fi
