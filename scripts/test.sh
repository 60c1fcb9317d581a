#!/usr/bin/env bash
# The project's test command (README, CI): formatting, shell scripts through shellcheck,
# and every unit and integration test. The slow end-to-end checks (static binaries,
# installer in QEMU, package installs in chroots) are in scripts/e2e.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for tool in shellcheck debconf-set-selections openssl chromium cpio bsdtar mkfs.fat mcopy syslinux dnsmasq curl busybox ip unshare; do
    command -v "$tool" >/dev/null || PATH="$PATH:/usr/sbin:/sbin" command -v "$tool" >/dev/null || missing+=("$tool")
done
[ -d /usr/lib/debian-installer/images/12/i386 ] && [ -d /usr/lib/debian-installer/images/12/amd64 ] ||
    missing+=("debian-installer-12-netboot-{i386,amd64}")
if [ "${#missing[@]}" -gt 0 ]; then
    echo "missing: ${missing[*]}" >&2
    echo "install: apt-get install shellcheck debconf openssl chromium fonts-dejavu-core debian-installer-12-netboot-amd64 debian-installer-12-netboot-i386 cpio libarchive-tools dosfstools mtools syslinux syslinux-common dnsmasq-base curl busybox iproute2 util-linux" >&2
    exit 1
fi

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== shellcheck"
shellcheck scripts/*.sh scripts/e2e/*.sh .ci/run

echo "== cargo test"
cargo test --locked
