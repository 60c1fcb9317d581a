#!/usr/bin/env bash
# gen-ids.sh - refresh data/ids/pci.ids and data/ids/usb.ids from Debian
#
# Usage: scripts/gen-ids.sh [RELEASE [OUTDIR]]     (default: bookworm data/ids)
#
# Downloads (never installs) Debian's `pci.ids` and `usb.ids` binary packages
# for RELEASE with a PRIVATE apt configuration in a temporary directory (same
# approach as gen-firmware-map.sh: nothing under /etc/apt or /var/lib/apt is
# written; the mirror is the one /etc/apt already uses), extracts them with
# `dpkg-deb -x`, copies usr/share/misc/{pci,usb}.ids verbatim (following the
# package's own symlink, decompressing if the package ships a .gz) and writes
# OUTDIR/SOURCE.md with the package versions and licences.
#
# Environment: DEBIAN_MIRROR (mirror base URL), KEEP_WORKDIR=1 (debugging).

set -euo pipefail
export LC_ALL=C

prog=gen-ids
die_status=1
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

release=${1:-bookworm}
number=$(debian_number "$release") || { echo "usage: $0 [bookworm|trixie [OUTDIR]]" >&2; exit 2; }
script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/.." && pwd)
outdir=${2:-$repo_root/data/ids}
arch=amd64

need_tools apt-get dpkg-deb gzip sha256sum

use_apt_mirror

private_apt_tmp gen-ids "$arch" "deb [signed-by=$DEBIAN_KEYRING] $mirror $release main"
mkdir -p "$work/debs"
apt() { "${PRIVATE_APT[@]}" "$@"; }

private_apt_update "$work/update.log" || { cat "$work/update.log" >&2; die "apt-get update failed or warned (see above)"; }
(cd "$work/debs" && apt -q download pci.ids usb.ids) >"$work/download.log" 2>&1 \
    || { cat "$work/download.log" >&2; die "apt-get download failed"; }

# Resolve a path inside an extracted package tree, following its symlinks
# (usb.ids: usr/share/misc/usb.ids -> /var/lib/usbutils/usb.ids).
resolve_in_root() { # root relpath
    local root=$1 rel=$2 target i
    for i in 1 2 3 4 5 6 7 8; do
        if [ -L "$root/$rel" ]; then
            target=$(readlink "$root/$rel")
            case "$target" in
                /*) rel=${target#/} ;;
                *) rel=$(dirname "$rel")/$target ;;
            esac
        else
            echo "$root/$rel"
            return 0
        fi
        : "$i"
    done
    return 1
}

mkdir -p "$outdir"
declare -A version sha path
for name in pci usb; do
    deb=$(echo "$work/debs/$name.ids_"*.deb)
    [ -f "$deb" ] || die "no $name.ids .deb downloaded"
    root="$work/root-$name"
    mkdir -p "$root"
    dpkg-deb -x "$deb" "$root"
    version[$name]=$(dpkg-deb -f "$deb" Version)
    sha[$name]=$(sha256sum "$deb" | cut -d' ' -f1)
    if src=$(resolve_in_root "$root" "usr/share/misc/$name.ids") && [ -f "$src" ]; then
        cp "$src" "$outdir/$name.ids.tmp"
    elif src=$(resolve_in_root "$root" "usr/share/misc/$name.ids.gz") && [ -f "$src" ]; then
        gzip -dc "$src" >"$outdir/$name.ids.tmp"
    else
        die "$name.ids package has no usr/share/misc/$name.ids(.gz)"
    fi
    mv "$outdir/$name.ids.tmp" "$outdir/$name.ids"
    path[$name]=${src#"$root"/}
    cp "$root/usr/share/doc/$name.ids/copyright" "$work/$name.copyright"
done

# The licence paragraph below is written for these terms; stop if they change.
grep -q 'GPL-2+ or BSD-3-clause' "$work/pci.copyright" \
    || die "pci.ids copyright changed: review the licence text in SOURCE.md"
grep -q 'either the GNU General Public License (version 2 or later) or of the 3-clause BSD License' \
    <(tr -s ' \n' ' ' <"$work/usb.copyright") \
    || die "usb.ids copyright changed: review the licence text in SOURCE.md"

ids_line() { # file: the Version:/Date: header lines of an ids file
    sed -n -E 's/^#[[:space:]]*(Version|Date):[[:space:]]*/\1: /p' "$1" | head -n2 | paste -sd';' - | sed 's/;/, /'
}

cat >"$outdir/SOURCE.md" <<EOF
# data/ids: PCI and USB id databases

Copied verbatim (license headers included) from Debian ${number} (${release}) binary
packages, downloaded with \`apt-get download\` and unpacked with \`dpkg-deb -x\`
(never installed) by \`scripts/gen-ids.sh\` on $(date -u +%Y-%m-%d).

| file | Debian package | version | file in package | database header | .deb sha256 |
| --- | --- | --- | --- | --- | --- |
| pci.ids | \`pci.ids\` | ${version[pci]} | ${path[pci]} | $(ids_line "$outdir/pci.ids") | \`${sha[pci]}\` |
| usb.ids | \`usb.ids\` | ${version[usb]} | ${path[usb]} (usr/share/misc/usb.ids links to it) | $(ids_line "$outdir/usb.ids") | \`${sha[usb]}\` |

## Licence

Both databases may be distributed under either the GNU General Public
License, version 2 or later, or the 3-clause BSD License, as their own headers
say and as the Debian packages' copyright files state:

- pci.ids: "This file can be distributed under either the GNU General Public
  License (version 2 or higher) or the 3-clause BSD License." Copyright of the
  aggregation and formatting: Martin Mareš and Albert Pool (the PCI ID Project).
  Debian copyright file: \`License: GPL-2+ or BSD-3-clause\`.
- usb.ids: "The contents of the database and the generated files can be
  distributed under the terms of either the GNU General Public License
  (version 2 or later) or of the 3-clause BSD License." Maintainer: Stephen J.
  Gowdy (the Linux USB project).

The files are kept byte-for-byte as Debian ships them; do not edit them by
hand, rerun \`scripts/gen-ids.sh\` instead.
EOF
note "wrote $outdir/pci.ids (${version[pci]}), $outdir/usb.ids (${version[usb]}), $outdir/SOURCE.md"
