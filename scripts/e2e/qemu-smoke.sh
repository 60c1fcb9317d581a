#!/usr/bin/env bash
# qemu-smoke.sh: boot the real Debian installer (netboot kernel + initrd from
# Debian's debian-installer-N-netboot-ARCH package) in QEMU with PRESEED injected
# as /preseed.cfg into the initrd, and prove that it gets through localisation,
# keyboard, network, hostname and mirror selection without a question and
# reaches the "Download installer components" stage. The mirror reachable here
# serves .deb files but answers 404 for .udeb files, so the run ends there:
# that outcome is reported as "reached download stage; udeb retrieval failed as
# expected here", never as a finished install. See docs/e2e.md.
#
# Usage: scripts/e2e/qemu-smoke.sh [OPTIONS] PRESEED ARCH [BOOT_PARAMS...]
#   ARCH            amd64 | i386
#   BOOT_PARAMS     extra kernel parameters, appended to
#                   "auto=true priority=critical console=ttyS0,115200n8
#                    log_host=10.0.2.2 log_port=PORT" (e.g. forcepae)
# Options:
#   --timeout T     overall limit, minutes (or Ns / Nm); default 25m
#   --result FILE   JSON result (default WORKDIR/result.json)
#   --release N     Debian installer release: 12 (default) or 13 (amd64 only,
#                   if the package exists in this machine's APT sources)
#   --cpu MODEL     QEMU -cpu (default: qemu's default on amd64, pentium3 on i386)
#   --memory MB     guest memory (default 1024 amd64, 768 i386)
#   --workdir DIR   keep logs, initrd and disk here (default: a new temp dir,
#                   kept; the disk image is deleted at the end)
#   --no-install    do not apt-get install missing tools
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
die() { printf 'qemu-smoke: error: %s\n' "$*" >&2; exit 2; }
note() { printf 'qemu-smoke: %s\n' "$*" >&2; }

timeout_arg=25m
result=""
release=12
cpu=""
memory=""
workdir=""
do_install=1
positional=()
while (($#)); do
    case $1 in
        --timeout) timeout_arg=$2; shift 2 ;;
        --result) result=$2; shift 2 ;;
        --release) release=$2; shift 2 ;;
        --cpu) cpu=$2; shift 2 ;;
        --memory) memory=$2; shift 2 ;;
        --workdir) workdir=$2; shift 2 ;;
        --no-install) do_install=0; shift ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        --) shift; positional+=("$@"); break ;;
        *) positional+=("$1"); shift ;;
    esac
done
((${#positional[@]} >= 2)) || die "usage: qemu-smoke.sh [OPTIONS] PRESEED ARCH [BOOT_PARAMS...] (see --help)"
preseed=${positional[0]}
arch=${positional[1]}
boot_params=("${positional[@]:2}")

case $timeout_arg in
    *[0-9]s) timeout_s=${timeout_arg%s} ;;
    *[0-9]m) timeout_s=${timeout_arg%m}; timeout_s=$((10#$timeout_s * 60)) ;;
    *) timeout_s=$timeout_arg; [[ $timeout_s =~ ^[0-9]+$ ]] && timeout_s=$((10#$timeout_s * 60)) ;;
esac
if ! [[ $timeout_s =~ ^[0-9]+$ ]] || ((timeout_s < 60)); then
    die "--timeout must be at least 1 minute (minutes, Ns or Nm)"
fi
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

# The proxy line is how the guest reaches the mirror at all; without it the run
# could only fail at the mirror stage, which would say nothing about the preseed.
proxy_re='^[[:space:]]*d-i[[:space:]]+mirror/http/proxy[[:space:]]+string[[:space:]]+http://10\.0\.2\.100(:80)?/?[[:space:]]*$'
if ! grep -Eq "$proxy_re" "$preseed"; then
    die "$preseed has no line 'd-i mirror/http/proxy string http://10.0.2.100:80/'.
  The guest reaches the package mirror only through that proxy (QEMU guestfwd);
  add the line to the copy of the preseed under test and run again."
fi

# --- tools ------------------------------------------------------------------
di_pkg=debian-installer-$release-netboot-$arch
need_pkgs=()
command -v "$qemu" >/dev/null || need_pkgs+=(qemu-system-x86)
command -v qemu-img >/dev/null || need_pkgs+=(qemu-utils)
command -v cpio >/dev/null || need_pkgs+=(cpio)
command -v socat >/dev/null || need_pkgs+=(socat)
command -v python3 >/dev/null || need_pkgs+=(python3)
dpkg-query -W -f='${Status}' "$di_pkg" 2>/dev/null | grep -q 'install ok installed' || need_pkgs+=("$di_pkg")

apt_install() {
    local apt=(apt-get -o DPkg::Lock::Timeout=600 -y -q --no-install-recommends)
    export DEBIAN_FRONTEND=noninteractive
    "${apt[@]}" install "$@" && return 0
    # The machine image may carry a newer qemu-utils (from backports) that
    # Breaks the suite's qemu-system-common: take qemu-utils from the same
    # version as qemu-system-x86 (qemu-img keeps working).
    local v
    v=$(apt-cache policy qemu-system-x86 | awk '/Candidate:/ {print $2}')
    [[ -n $v && $v != "(none)" ]] || return 1
    note "retrying with qemu-utils=$v (matching qemu-system-x86)"
    "${apt[@]}" --allow-downgrades install "$@" "qemu-utils=$v"
}
if ((${#need_pkgs[@]})); then
    ((do_install)) || die "missing packages: ${need_pkgs[*]} (run without --no-install, as root)"
    ((EUID == 0)) || die "missing packages: ${need_pkgs[*]}; run as root to install them"
    if [[ $release == 13 ]] || ! apt-cache policy "$di_pkg" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
        apt-get -o DPkg::Lock::Timeout=600 update -qq || true
    fi
    if ! apt-cache policy "$di_pkg" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
        die "package $di_pkg is not available from this machine's APT sources"
    fi
    note "installing: ${need_pkgs[*]}"
    apt_install "${need_pkgs[@]}" >&2 || die "apt-get install failed: ${need_pkgs[*]}"
fi
img_dir=/usr/lib/debian-installer/images/$release/$arch/text/debian-installer/$arch
kernel=$img_dir/linux
initrd=$img_dir/initrd.gz
[[ -r $kernel && -r $initrd ]] || die "no netboot kernel/initrd under $img_dir ($di_pkg)"

# --- mirror: the host this machine's own APT uses ------------------------------
detect_mirror() {
    local f uri
    for f in /etc/apt/sources.list.d/*.sources; do
        [[ -r $f ]] || continue
        # shellcheck disable=SC2013  # URIs are whitespace-separated words
        for uri in $(sed -n 's/^URIs:[[:space:]]*//p' "$f"); do
            case $uri in http://*/debian | http://*/debian/) echo "${uri%/}"; return 0 ;; esac
        done
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [[ -r $f ]] || continue
        uri=$(sed -n -E 's#^[[:space:]]*deb[[:space:]]+(\[[^]]*\][[:space:]]+)?(http://[^[:space:]]+/debian)/?[[:space:]].*#\2#p' "$f" | head -n1)
        if [[ -n $uri ]]; then echo "$uri"; return 0; fi
    done
    return 1
}
mirror_url=${DEBIAN_MIRROR:-$(detect_mirror)} || die "no http://.../debian URI in /etc/apt; set DEBIAN_MIRROR"
mirror_hostport=${mirror_url#http://}
mirror_hostport=${mirror_hostport%%/*}
mirror_host=${mirror_hostport%%:*}
mirror_port=80
[[ $mirror_hostport == *:* ]] && mirror_port=${mirror_hostport##*:}

# --- work dir -------------------------------------------------------------------
if [[ -z $workdir ]]; then
    workdir=$(mktemp -d "${TMPDIR:-/tmp}/upcycle-smoke.XXXXXX")
else
    mkdir -p "$workdir"
fi
workdir=$(cd "$workdir" && pwd)
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
inject_preseed "$initrd" "$workdir/preseed.cfg" "$workdir/initrd.gz"
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

# --- run ------------------------------------------------------------------------
qemu_pid=""
watch_pid=""
# shellcheck disable=SC2317  # called from the EXIT trap
cleanup() {
    if [[ -n $qemu_pid ]] && kill -0 "$qemu_pid" 2>/dev/null; then
        kill "$qemu_pid" 2>/dev/null || true
        wait "$qemu_pid" 2>/dev/null || true
    fi
    if [[ -n $watch_pid ]] && kill -0 "$watch_pid" 2>/dev/null; then
        kill "$watch_pid" 2>/dev/null || true
    fi
    rm -f "$workdir/disk.qcow2" "$workdir/serial.sock"
}
trap cleanup EXIT

boot_line="auto=true priority=critical console=ttyS0,115200n8 log_host=10.0.2.2"
python3 "$here/di-watch.py" \
    --serial-log "$workdir/serial.log" --serial-sock "$workdir/serial.sock" \
    --syslog-out "$workdir/syslog.log" --dump-out "$workdir/installer-syslog.log" \
    --port-file "$workdir/port" --start-file "$workdir/start" --result "$result" \
    --preseed "$workdir/preseed.cfg" --preseed-label "$preseed" \
    --arch "$arch" --release "$release" --cpu "$cpu" --workdir "$workdir" \
    --boot-line-file "$workdir/bootline" \
    --timeout "$timeout_s" &
watch_pid=$!
for _ in $(seq 100); do [[ -s $workdir/port ]] && break; sleep 0.1; done
[[ -s $workdir/port ]] || die "syslog listener did not start"
port=$(<"$workdir/port")
append="$boot_line log_port=$port${boot_params[*]:+ ${boot_params[*]}}"

qemu_args=(-accel tcg -machine pc -m "$memory" -smp 1 -display none -monitor none -no-reboot
    -kernel "$kernel" -initrd "$workdir/initrd.gz" -append "$append"
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
