#!/usr/bin/env bash
# qemu-smoke.sh: boot the real Debian installer (netboot kernel + initrd from
# Debian's debian-installer-N-netboot-ARCH package) in QEMU with PRESEED injected
# as /preseed.cfg into the initrd, and prove that it gets through localisation,
# keyboard, network, hostname and mirror selection without a question and
# reaches the "Download installer components" stage. The mirror reachable here
# serves .deb files but answers 404 for .udeb files, so the run ends there:
# that outcome is reported as "reached download stage; udeb retrieval failed as
# expected here", never as a finished install. Where the mirror serves a
# dists/CODENAME/Release that does not match its Release.gpg (checked on the
# host before the run), the installer stops one step earlier, at "Bad
# signature"; that is reported as such. See docs/e2e.md.
#
# Usage: scripts/e2e/qemu-smoke.sh [OPTIONS] PRESEED ARCH [BOOT_PARAMS...]
#   ARCH            amd64 | i386
#   BOOT_PARAMS     extra kernel parameters, appended to
#                   "auto=true priority=critical console=ttyS0,115200n8
#                    log_host=10.0.2.2 log_port=PORT" (e.g. forcepae;
#                   --console vga: earlyprintk=serial,ttyS0,115200,keep in place
#                   of console=ttyS0,115200n8)
# Options:
#   --timeout T     overall limit, minutes (or Ns / Nm); default 25m
#   --result FILE   JSON result (default WORKDIR/result.json)
#   --release N     Debian installer release: 12 (default) or 13 (amd64 only).
#                   12: debian-installer-12-netboot-ARCH from this machine's APT
#                   sources (apt-get install). 13: debian-installer-13-netboot-amd64
#                   fetched from trixie with a private APT configuration (the
#                   system's /etc/apt is only read for the mirror URL), extracted
#                   with dpkg-deb -x into the cache (--cache)
#   --cache DIR     where fetched installer packages are extracted (default
#                   /var/cache/upcycle-e2e/d-i as root, else ~/.cache/upcycle-e2e/d-i)
#   --boot-params S the installer's boot parameters, verbatim (one string), in
#                   place of "auto=true priority=critical" (e.g. the line a
#                   bundle's boot.txt documents); the boot line is then
#                   "console=ttyS0,115200n8 log_host=10.0.2.2 log_port=PORT S
#                   [BOOT_PARAMS...]"
#   --cpu MODEL     QEMU -cpu (default: qemu's default on amd64, pentium3 on i386)
#   --memory MB     guest memory (default 1024 amd64, 768 i386)
#   --workdir DIR   keep logs, initrd and disk here (default: a new temp dir,
#                   kept; the disk image is deleted at the end)
#   --no-install    do not apt-get install missing tools
#   --served        the installer fetches PRESEED itself, from a url= in
#                   --boot-params that points at a server the caller runs (e.g.
#                   `upcycle serve`, seen by the guest at 10.0.2.2): PRESEED is
#                   checked as usual but not put into the initrd
#   --console C     serial (default): d-i runs on the serial console, the
#                   watcher reads its screens and reads values back over it.
#                   vga (only with --served, url= preseeding): no console= (as
#                   on a laptop) but "earlyprintk=serial,ttyS0,115200,keep" for
#                   the kernel's messages, so d-i runs on the VGA console (tty1)
#                   as on a laptop's screen (localechooser then offers
#                   German; on a serial console only C/English: docs/e2e.md
#                   finding 10); the watcher judges from the syslog
#                   (di-watch.py --console vga)
#   --kernel FILE   boot this kernel instead of the installer package's
#   --initrd FILE   boot this initrd as it is (e.g. the initrd.gz of
#                   `upcycle media usb`, which has the bundle inside): the
#                   preseed is not injected here; PRESEED is still read for the
#                   proxy check and the comparison of the installer's answers
#   --print-images  locate (install or fetch) the installer images, print the
#                   folder holding RELEASE/ARCH/text/ (for `upcycle media
#                   --images`) and exit 0
# Exit: 0 pass, 1 fail (question shown or stage not reached), 2 error.
#
# The preseed must send its mirror traffic through the test proxy:
#   d-i mirror/http/proxy string http://10.0.2.100:80/
# QEMU forwards 10.0.2.100:80 (guestfwd) to this machine's own APT mirror.
# A literal @MIRROR_HOST@ in the preseed is replaced by that mirror's host name
# in the injected copy (for hand-written test data; generated preseeds name
# their host directly, and it must be the host this machine's APT uses).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prog="qemu-smoke"
# shellcheck source=scripts/lib.sh
. "$here/../lib.sh"

timeout_arg=25m
result=""
release=12
cpu=""
memory=""
workdir=""
do_install=1
served=0
cache_dir=""
base_params=""
kernel_given=""
initrd_given=""
print_images=0
console=serial
positional=()
while (($#)); do
    case $1 in
        --timeout) timeout_arg=$2; shift 2 ;;
        --result) result=$2; shift 2 ;;
        --release) release=$2; shift 2 ;;
        --cpu) cpu=$2; shift 2 ;;
        --memory) memory=$2; shift 2 ;;
        --workdir) workdir=$2; shift 2 ;;
        --cache) cache_dir=$2; shift 2 ;;
        --boot-params) base_params=$2; shift 2 ;;
        --no-install) do_install=0; shift ;;
        --served) served=1; shift ;;
        --console) console=$2; shift 2 ;;
        --kernel) kernel_given=$2; shift 2 ;;
        --initrd) initrd_given=$2; shift 2 ;;
        --print-images) print_images=1; shift ;;
        -h | --help) show_help ;;
        --) shift; positional+=("$@"); break ;;
        *) positional+=("$1"); shift ;;
    esac
done
((${#positional[@]} >= 2)) || die "usage: qemu-smoke.sh [OPTIONS] PRESEED ARCH [BOOT_PARAMS...] (see --help)"
preseed=${positional[0]}
arch=${positional[1]}
boot_params=("${positional[@]:2}")

timeout_s=$(timeout_seconds "$timeout_arg") || die "--timeout must be at least 1 minute (N or Nm minutes, Ns seconds)"
case $arch in
    amd64) qemu="qemu-system-x86_64"; memory=${memory:-1024} ;;
    i386) qemu="qemu-system-i386"; memory=${memory:-768}; cpu=${cpu:-pentium3} ;;
    *) die "ARCH must be amd64 or i386, not '$arch'" ;;
esac
case $release in
    12) ;;
    13) [[ $arch == amd64 ]] || die "--release 13 is amd64 only (Debian 13 has no i386 installer)" ;;
    *) die "--release must be 12 or 13" ;;
esac
[[ -r $preseed ]] || die "cannot read preseed '$preseed'"
case $console in
    serial) consoles="console=ttyS0,115200n8" ;;
    vga)
        ((served)) || die "--console vga needs --served (the watcher sees only the syslog, which starts with the network)"
        consoles="earlyprintk=serial,ttyS0,115200,keep" ;;
    *) die "--console must be serial or vga, not '$console'" ;;
esac

# The proxy line is how the guest reaches the mirror at all; without it the run
# could only fail at the mirror stage, which would say nothing about the preseed.
proxy_re='^[[:space:]]*d-i[[:space:]]+mirror/http/proxy[[:space:]]+string[[:space:]]+http://10\.0\.2\.100(:80)?/?[[:space:]]*$'
if ! grep -Eq "$proxy_re" "$preseed"; then
    die "$preseed has no line 'd-i mirror/http/proxy string http://10.0.2.100:80/'.
  The guest reaches the package mirror only through that proxy (QEMU guestfwd);
  add the line to the copy of the preseed under test and run again."
fi

# --- mirror: the host this machine's own APT uses ------------------------------
use_mirror

# --- tools ------------------------------------------------------------------
di_pkg=debian-installer-$release-netboot-$arch
need_pkgs=()
command -v "$qemu" >/dev/null || need_pkgs+=(qemu-system-x86)
command -v qemu-img >/dev/null || need_pkgs+=(qemu-utils)
command -v cpio >/dev/null || need_pkgs+=(cpio)
command -v socat >/dev/null || need_pkgs+=(socat)
command -v python3 >/dev/null || need_pkgs+=(python3)
command -v gpgv >/dev/null || need_pkgs+=(gpgv)
[[ -r $DEBIAN_KEYRING ]] || need_pkgs+=(debian-archive-keyring)
# Release 12 comes from this machine's own APT sources (bookworm); release 13
# is fetched privately below (fetch_installer).
if [[ $release == 12 ]]; then
    dpkg-query -W -f='${Status}' "$di_pkg" 2>/dev/null | grep 'install ok installed' >/dev/null || need_pkgs+=("$di_pkg")
else
    command -v dpkg-deb >/dev/null || need_pkgs+=(dpkg)
fi

if ((${#need_pkgs[@]})); then
    ((do_install)) || die "missing packages: ${need_pkgs[*]} (run without --no-install, as root)"
    if [[ $release == 12 ]] && ((EUID == 0)) && ! apt-cache policy "$di_pkg" 2>/dev/null | grep 'Candidate: [0-9]' >/dev/null; then
        apt-get -o DPkg::Lock::Timeout=600 update -qq || true
        apt-cache policy "$di_pkg" 2>/dev/null | grep 'Candidate: [0-9]' >/dev/null ||
            die "package $di_pkg is not available from this machine's APT sources"
    fi
    need_packages "${need_pkgs[@]}"
fi

# --- installer image ------------------------------------------------------------
img_sub=usr/lib/debian-installer/images/$release/$arch/text/debian-installer/$arch

# fetch_installer CODENAME: $di_pkg of CODENAME unpacked under $cache_dir/$di_pkg/VERSION;
# print that directory. fetch_di_packages (scripts/lib.sh): a private APT configuration
# whose sources.list names only "$mirror_url CODENAME main", signed-by the Debian
# archive keyring; apt-get update and gpgv check the InRelease signature, apt-get
# download the .deb's hash; the system's /etc/apt and /var/lib/apt are only read (the
# mirror URL), never written; dpkg-deb -x unpacks it (nothing is installed). A cached
# version is reused; if the index cannot be fetched, the newest cached version is used
# with a note.
fetch_installer() {
    local line
    line=$(fetch_di_packages "$mirror_url" "$1" "$cache_dir" "$di_pkg") || return 1
    printf '%s\n' "${line#* }"
}

if [[ $release == 12 ]]; then
    di_root=/
    di_version=$(dpkg-query -W -f='${Version}' "$di_pkg")
    di_source="this machine's APT sources"
else
    if [[ -z $cache_dir ]]; then
        if ((EUID == 0)); then cache_dir=/var/cache/upcycle-e2e/d-i; else cache_dir=${XDG_CACHE_HOME:-$HOME/.cache}/upcycle-e2e/d-i; fi
    fi
    mkdir -p "$cache_dir" || die "cannot create the cache dir $cache_dir"
    cache_dir=$(cd "$cache_dir" && pwd)
    di_root=$(fetch_installer trixie) || die "could not fetch $di_pkg from trixie (mirror $mirror_url) and none is cached in $cache_dir"
    di_version=${di_root##*/}
    di_source="trixie via a private APT configuration, cached in $cache_dir"
fi
img_dir=${di_root%/}/$img_sub
kernel=$img_dir/linux
initrd=$img_dir/initrd.gz
[[ -r $kernel && -r $initrd ]] || die "no netboot kernel/initrd under $img_dir ($di_pkg)"
note "installer: $di_pkg $di_version ($di_source)"
if ((print_images)); then
    printf '%s\n' "${di_root%/}/usr/lib/debian-installer/images"
    exit 0
fi
if [[ -n $kernel_given ]]; then
    [[ -r $kernel_given ]] || die "cannot read --kernel '$kernel_given'"
    kernel=$kernel_given
    note "kernel: $kernel (given)"
fi

# --- work dir -------------------------------------------------------------------
use_workdir smoke
result=${result:-$workdir/result.json}
rm -f "$workdir"/{serial.log,syslog.log,installer-syslog.log,port,start,serial.sock}

# Substitute the test-data placeholder, then check the host matches the proxy's.
sed "s/@MIRROR_HOST@/$mirror_host/g" "$preseed" >"$workdir/preseed.cfg"
pre_host=$(sed -n -E 's/^[[:space:]]*d-i[[:space:]]+mirror\/http\/hostname[[:space:]]+string[[:space:]]+([^[:space:]]+).*/\1/p' "$workdir/preseed.cfg" | tail -n1)
if [[ -n $pre_host && $pre_host != "$mirror_host" && $pre_host != "$mirror_hostport" ]]; then
    die "the preseed's mirror/http/hostname ($pre_host) is not the mirror this machine can
  reach (the one in its APT sources); the test proxy forwards only to that one.
  Use that host (or @MIRROR_HOST@ in test data)."
fi

# inject_preseed INITRD PRESEED OUT: copy INITRD to OUT and append a gzip'd
# newc cpio archive holding PRESEED as /preseed.cfg. The kernel unpacks
# concatenated archives in order, so the file lands at the initrd's root, where
# d-i reads it before anything else (initrd preseeding).
inject_preseed() {
    local src=$1 pre=$2 out=$3 tmp
    tmp=$(mktemp -d)
    install -m 0644 "$pre" "$tmp/preseed.cfg"
    cp "$src" "$out"
    (cd "$tmp" && printf 'preseed.cfg\n' | cpio -o -H newc -R 0:0 --quiet) | gzip -9n >>"$out"
    rm -rf "$tmp"
}
if ((served)); then
    cp "$initrd" "$workdir/initrd.gz"
    boot_initrd=$workdir/initrd.gz
elif [[ -n $initrd_given ]]; then
    # The preseed is already inside (upcycle media usb); boot that file unchanged.
    [[ -r $initrd_given ]] || die "cannot read --initrd '$initrd_given'"
    boot_initrd=$(cd "$(dirname "$initrd_given")" && pwd)/$(basename "$initrd_given")
    note "initrd: $boot_initrd (given; no injection here)"
else
    inject_preseed "$initrd" "$workdir/preseed.cfg" "$workdir/initrd.gz"
    boot_initrd=$workdir/initrd.gz
fi
qemu-img create -q -f qcow2 "$workdir/disk.qcow2" 12G

# Is the mirror reachable the way the guest will use it (proxy-form request)?
probe_mirror() {
    python3 - "$mirror_host" "$mirror_port" "${mirror_url#http://"$mirror_hostport"}" <<'EOF'
import socket, sys
host, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3] or "/debian"
s = socket.create_connection((host, port), timeout=20)
s.sendall(("HEAD http://%s%s/dists/bookworm/Release HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n"
           % (host, path, host)).encode())
line = s.recv(200).split(b"\r\n")[0].decode(errors="replace")
sys.exit(0 if " 200 " in line + " " else 1)
EOF
}
probe_mirror || die "the mirror $mirror_host:$mirror_port does not answer a proxy-form request"

# d-i's net-retriever checks dists/CODENAME/Release against the detached
# Release.gpg (not InRelease). A mirror that serves a Release and a Release.gpg
# of different dates makes the installer stop there ("Bad signature") instead
# of at the udeb 404. Check the pair here, on the host, so the watcher can tell
# that outcome of this mirror from a real problem: ok | mismatch | unknown.
case $release in 12) di_codename=bookworm ;; 13) di_codename=trixie ;; esac
release_pair=$(release_pair "$mirror_url" "$di_codename" "$workdir/mirror-release")
if [[ $release_pair != ok ]]; then
    note "the mirror's dists/$di_codename/Release vs Release.gpg: $release_pair (InRelease: $(sed -n 's/^Version: //p' "$workdir/mirror-release/InRelease" 2>/dev/null | head -n1), Release: $(sed -n 's/^Version: //p' "$workdir/mirror-release/Release" 2>/dev/null | head -n1))"
fi

# --- run ------------------------------------------------------------------------
qemu_pid=""
watch_pid=""
# shellcheck disable=SC2317  # called from the EXIT trap
cleanup() {
    stop_pids "$qemu_pid" "$watch_pid"
    rm -f "$workdir/disk.qcow2" "$workdir/serial.sock"
}
trap cleanup EXIT

# Default: "auto=true priority=critical" and the harness's own parameters
# (serial console, syslog to the watcher), then BOOT_PARAMS. With --boot-params
# the harness's parameters come first and the string under test follows
# verbatim, so it stays one piece (with anything after a "---" in it).
boot_line="auto=true priority=critical $consoles log_host=10.0.2.2"
[[ -n $base_params ]] && boot_line="$consoles log_host=10.0.2.2"
python3 "$here/di-watch.py" \
    --serial-log "$workdir/serial.log" --serial-sock "$workdir/serial.sock" \
    --syslog-out "$workdir/syslog.log" --dump-out "$workdir/installer-syslog.log" \
    --port-file "$workdir/port" --start-file "$workdir/start" --result "$result" \
    --preseed "$workdir/preseed.cfg" --preseed-label "$preseed" \
    --arch "$arch" --release "$release" --cpu "$cpu" --workdir "$workdir" \
    --boot-line-file "$workdir/bootline" --installer "$di_pkg $di_version" \
    --release-pair "$release_pair" --console "$console" \
    --timeout "$timeout_s" &
watch_pid=$!
for _ in $(seq 100); do [[ -s $workdir/port ]] && break; sleep 0.1; done
[[ -s $workdir/port ]] || die "syslog listener did not start"
port=$(<"$workdir/port")
append="$boot_line log_port=$port${base_params:+ $base_params}${boot_params[*]:+ ${boot_params[*]}}"

qemu_args=(-accel tcg -machine pc -m "$memory" -smp 1 -display none -monitor none -no-reboot
    -kernel "$kernel" -initrd "$boot_initrd" -append "$append"
    -drive "file=$workdir/disk.qcow2,if=ide,format=qcow2,cache=unsafe"
    -netdev "user,id=n0,guestfwd=tcp:10.0.2.100:80-cmd:socat - TCP:$mirror_host:$mirror_port"
    -device "e1000,netdev=n0"
    -chardev "socket,id=ser0,path=$workdir/serial.sock,server=on,wait=off,logfile=$workdir/serial.log"
    -serial chardev:ser0)
[[ -n $cpu ]] && qemu_args+=(-cpu "$cpu")
printf '%s' "$qemu ${qemu_args[*]}" >"$workdir/qemu.cmdline"
note "arch $arch, Debian $release, work dir $workdir"
note "boot line: $append"
# Hard bound on QEMU itself, whatever happens to the watcher.
timeout --kill-after=10 $((timeout_s + 300)) "$qemu" "${qemu_args[@]}" \
    </dev/null >"$workdir/qemu.out" 2>&1 &
qemu_pid=$!
printf '%s\n' "$append" >"$workdir/bootline"
printf '%s %s\n' "$qemu_pid" "$(date +%s.%N)" >"$workdir/start"

rc=0
wait "$watch_pid" || rc=$?
watch_pid=""
case $rc in 0 | 1 | 2) ;; *) note "watcher ended with status $rc"; rc=2 ;; esac
if ((rc == 2)) && [[ -s $workdir/qemu.out ]]; then
    note "QEMU said:"; sed 's/^/  /' "$workdir/qemu.out" >&2
fi
note "logs: $workdir (serial.log, syslog.log, installer-syslog.log)"
exit "$rc"
