#!/usr/bin/env bash
# gen-firmware-map.sh - regenerate data/firmware/debian-<N>-<codename>.tsv
#
# Usage: scripts/gen-firmware-map.sh bookworm|trixie [OUTDIR]
#
# For the given Debian release this script
#   1. builds a PRIVATE apt configuration in a temporary directory (the
#      system's /etc/apt is only read to learn the mirror URL; nothing under
#      /etc/apt or /var/lib/apt is written),
#   2. runs `apt-get update` against <release> main contrib non-free-firmware,
#   3. selects every binary package whose Source is firmware-nonfree, plus
#      every other firmware package of contrib / non-free-firmware (Section
#      non-free-firmware/kernel, or "firmware" in its name; this leaves out
#      e.g. the microcode packages (Section admin) and contrib's applications),
#   4. `apt-get download`s them (signature- and hash-checked by apt against
#      /usr/share/keyrings/debian-archive-keyring.gpg), extracts each with
#      `dpkg-deb -x`, collects every <modalias> glob of its AppStream metainfo
#      (usr/share/metainfo/*.metainfo.xml); packages without any are skipped,
#   5. keeps the pci:, usb: and sdio: globs and writes
#      OUTDIR/debian-<N>-<codename>.tsv (default OUTDIR: data/firmware).
#
# Environment:
#   DEBIAN_MIRROR  mirror base URL (default: the first .../debian URI found in
#                  /etc/apt/sources.list{,.d/*}).
#   KEEP_WORKDIR=1 keep the temporary directory (for debugging).
#
# The output is sorted with LC_ALL=C sort -u, so two runs against the same
# archive state differ only in the "generated ... on DATE" header line.

set -euo pipefail
export LC_ALL=C

prog=gen-firmware-map
die_status=1
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
    echo "usage: $0 bookworm|trixie [OUTDIR]" >&2
    exit 2
}

if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi
release=$1
number=$(debian_number "$release") || usage

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/.." && pwd)
outdir=${2:-$repo_root/data/firmware}
arch=amd64   # firmware packages are Architecture: all; amd64 is just the index we read

need_tools apt-get dpkg-deb /usr/lib/apt/apt-helper awk sed sort

# --- mirror: same base URL as the system's own sources -----------------------
use_apt_mirror

# --- private apt configuration (private_apt, scripts/lib.sh) --------------------
private_apt_tmp gen-firmware-map "$arch" "deb [signed-by=$DEBIAN_KEYRING] $mirror $release main contrib non-free-firmware"
mkdir -p "$work/debs" "$work/root"
apt() { "${PRIVATE_APT[@]}" "$@"; }

note "apt-get update: $release main contrib non-free-firmware"
private_apt_update "$work/update.log" || { cat "$work/update.log" >&2; die "apt-get update failed or warned for $release (see above)"; }

# Print the decompressed Packages indices (optionally only some components).
cat_packages() { # args: extra indextargets filters, e.g. "Component: contrib"
    local f
    # shellcheck disable=SC2016  # $(FILENAME) is apt's placeholder, not shell
    apt indextargets --format '$(FILENAME)' "Created-By: Packages" "$@" | while read -r f; do
        [ -n "$f" ] || continue
        /usr/lib/apt/apt-helper cat-file "$f"
    done
}

# --- package selection ---------------------------------------------------------
# (a) every binary package built from source firmware-nonfree
cat_packages | awk '
    /^Package: / { pkg = $2 }
    /^Source: /  { src = $2 }
    /^$/ { if (src == "firmware-nonfree") print pkg; pkg = ""; src = "" }
    END  { if (src == "firmware-nonfree") print pkg }
' | sort -u >"$work/pkgs-firmware-nonfree"
[ -s "$work/pkgs-firmware-nonfree" ] || die "no firmware-nonfree binaries in the $release Packages index"

# (b) the other firmware packages of contrib and non-free-firmware: Section
#     non-free-firmware/kernel, or "firmware" in the name (contrib/kernel is
#     mostly dkms packages, so it is not taken whole). They are all downloaded and
#     only those whose metainfo has <modalias> globs end up in the map.
{
    cat_packages "Component: contrib"
    cat_packages "Component: non-free-firmware"
} | awk '
    function flush() { if (pkg != "" && (sec == "non-free-firmware/kernel" || pkg ~ /firmware/)) print pkg; pkg = ""; sec = "" }
    /^Package: / { pkg = $2 }
    /^Section: / { sec = $2 }
    /^$/ { flush() }
    END  { flush() }
' | sort -u >"$work/pkgs-other"

sort -u "$work/pkgs-firmware-nonfree" "$work/pkgs-other" >"$work/pkgs"
note "$(wc -l <"$work/pkgs-firmware-nonfree") firmware-nonfree binaries, $(comm -13 "$work/pkgs-firmware-nonfree" "$work/pkgs-other" | wc -l) other firmware packages"

# --- download, extract, collect -------------------------------------------------
mapfile -t pkgs <"$work/pkgs"
(cd "$work/debs" && apt -q download "${pkgs[@]}") >"$work/download.log" 2>&1 \
    || { cat "$work/download.log" >&2; die "apt-get download failed"; }

: >"$work/all-globs"
: >"$work/sources"
: >"$work/no-globs"
for deb in "$work"/debs/*.deb; do
    pkg=$(dpkg-deb -f "$deb" Package)
    ver=$(dpkg-deb -f "$deb" Version)
    src=$(dpkg-deb -f "$deb" Source)
    src=${src:-$pkg}
    case "$src" in
        *" ("*")") srcver=${src#* (}; srcver=${srcver%)}; src=${src%% *} ;;
        *) srcver=$ver ;;
    esac
    rm -rf "$work/root"
    mkdir "$work/root"
    dpkg-deb -x "$deb" "$work/root"
    shopt -s nullglob
    metainfo=("$work"/root/usr/share/metainfo/*.metainfo.xml)
    shopt -u nullglob
    if [ ${#metainfo[@]} -eq 0 ]; then
        note "note: $pkg $ver ships no metainfo"
        echo "$pkg" >>"$work/no-globs"
        continue
    fi
    # <modalias>GLOB</modalias>, one glob per element; tolerate whitespace/newlines
    cat "${metainfo[@]}" | tr '\n' ' ' | { grep -o '<modalias>[^<]*</modalias>' || [ $? -eq 1 ]; } \
        | sed -e 's/<modalias>[[:space:]]*//' -e 's/[[:space:]]*<\/modalias>//' \
        | awk -v pkg="$pkg" 'NF { print $0 "\t" pkg }' >"$work/pkg-globs"
    if [ -s "$work/pkg-globs" ]; then
        cat "$work/pkg-globs" >>"$work/all-globs"
        if grep -qE '^(pci|usb|sdio):' "$work/pkg-globs"; then
            printf '%s %s\n' "$src" "$srcver" >>"$work/sources"
        else
            echo "$pkg" >>"$work/no-globs"
        fi
    else
        note "note: $pkg $ver: metainfo has no <modalias>"
        echo "$pkg" >>"$work/no-globs"
    fi
done
rm -rf "$work/root"

if grep -q '&' "$work/all-globs"; then
    die "XML entities in a <modalias>; extend the parser"
fi

awk -F'\t' '$1 ~ /^(pci|usb|sdio):/' "$work/all-globs" | sort -u >"$work/kept"
[ -s "$work/kept" ] || die "no pci/usb/sdio globs collected"
dropped=$(awk -F'\t' '$1 !~ /^(pci|usb|sdio):/ { split($1, b, ":"); n[b[1]]++ }
    END { for (k in n) printf "%s: %d\n", k, n[k] }' "$work/all-globs" | sort | paste -sd, - | sed 's/,/, /g')
sources_line=$(sort -u "$work/sources" | paste -sd, - | sed 's/,/, /g')
no_globs_line=$(sort -u "$work/no-globs" | paste -sd, - | sed 's/,/, /g')

mkdir -p "$outdir"
out="$outdir/debian-$number-$release.tsv"
{
    echo "# upcycle firmware map: device modalias glob -> Debian package that ships the firmware"
    echo "# release: $release (Debian $number)"
    echo "# generated by scripts/gen-firmware-map.sh on $(date -u +%Y-%m-%d) from: $sources_line"
    echo "# kept: pci:, usb: and sdio: globs from usr/share/metainfo/*.metainfo.xml <modalias> elements"
    echo "# also scanned, no pci/usb/sdio glob in their metainfo (or no metainfo): ${no_globs_line:-none}"
    echo "# dropped (other buses, irrelevant for laptops): ${dropped:-none}"
    echo "# columns: glob<TAB>package"
    cat "$work/kept"
} >"$out.tmp"
mv "$out.tmp" "$out"
note "wrote $out ($(wc -l <"$work/kept") globs from $(wc -l <"$work/pkgs") packages)"
