#!/usr/bin/env bash
# Import one fixture machine whose symlinks were flattened into placeholder files.
#
# Usage: scripts/import-fixture.sh SRC_MACHINE_DIR DEST_MACHINE_DIR
#
# SRC_MACHINE_DIR holds root/, source.md and expected.yaml (e.g. a machine of the
# shared fixture collection). In that copy every symlink of the captured sysfs tree
# was replaced by a regular file whose whole content is the link target, e.g.
# root/sys/class/net/eth1 containing
#   ../../devices/pci0000:00/0000:00:1e.0/0000:02:02.0/net/eth1
# This script copies the machine to DEST_MACHINE_DIR and turns each such placeholder
# back into a real relative symlink. Nothing else is changed.
#
# A file is a placeholder when ALL of these hold:
#   - it is a regular file under root/sys/, 1..4095 bytes, without NUL bytes;
#   - its content is one single line starting with `../` (no newline inside; one
#     trailing newline is tolerated and dropped), without blanks or control chars;
#   - its name is a symlink kind of name in sysfs: an entry directly under
#     sys/class/*/, sys/block/, sys/bus/*/devices/, or a file named
#     device, driver, subsystem or firmware_node.
# A placeholder whose target would resolve outside DEST/root is NOT converted: a
# warning is printed and the file is left as it is.
set -euo pipefail

prog=import-fixture
die_status=1
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
    printf 'usage: %s SRC_MACHINE_DIR DEST_MACHINE_DIR\n' "${0##*/}" >&2
    exit 2
}

[[ $# -eq 2 ]] || usage
src=${1%/}
dest=${2%/}

[[ -d $src/root ]] || die "$src has no root/ directory"
if [[ -e $dest ]]; then
    [[ -d $dest ]] || die "$dest exists and is not a directory"
    if [[ -n $(ls -A -- "$dest") ]]; then
        die "$dest exists and is not empty; remove it first to re-import"
    fi
fi
mkdir -p -- "$dest"

# Copy root/ and the two documents. The shared copies are read-only, so give the
# owner write permission back (git does not record it anyway).
cp -R -- "$src/root" "$dest/root"
for doc in source.md expected.yaml; do
    if [[ -f $src/$doc ]]; then
        cp -- "$src/$doc" "$dest/$doc"
    else
        warn "$src has no $doc"
    fi
done
chmod -R u+w -- "$dest"

root_abs=$(realpath -e -- "$dest/root")

# is_symlink_kind REL: REL is the path relative to root/.
is_symlink_kind() {
    local rel=$1 base=${1##*/}
    case $base in
        device | driver | subsystem | firmware_node) return 0 ;;
    esac
    [[ $rel =~ ^sys/class/[^/]+/[^/]+$ ]] && return 0
    [[ $rel =~ ^sys/block/[^/]+$ ]] && return 0
    [[ $rel =~ ^sys/bus/[^/]+/devices/[^/]+$ ]] && return 0
    return 1
}

# placeholder_target FILE: prints the link target when FILE's content has the
# placeholder shape, fails otherwise.
placeholder_target() {
    local f=$1 size newlines nonul content
    size=$(stat -c %s -- "$f")
    ((size > 0 && size < 4096)) || return 1
    nonul=$(tr -d '\000' <"$f" | wc -c)
    ((nonul == size)) || return 1
    newlines=$(tr -cd '\n' <"$f" | wc -c)
    if ((newlines > 1)); then
        return 1
    fi
    if ((newlines == 1)) && [[ $(tail -c 1 -- "$f" | od -An -tx1 | tr -d ' \n') != 0a ]]; then
        return 1
    fi
    content=$(<"$f")
    [[ $content == ../* ]] || return 1
    local LC_ALL=C
    [[ $content =~ ^[^[:space:][:cntrl:]]+$ ]] || return 1
    printf '%s' "$content"
}

converted=0
skipped=0
while IFS= read -r -d '' file; do
    rel=${file#"$dest/root/"}
    [[ $rel == sys/* ]] || continue
    is_symlink_kind "$rel" || continue
    target=$(placeholder_target "$file") || continue
    # Where the link would point, resolved like the kernel would (following the
    # links made so far; the missing tail is resolved lexically).
    resolved=$(realpath -m -- "$(dirname -- "$file")/$target")
    if [[ $resolved != "$root_abs" && $resolved != "$root_abs"/* ]]; then
        warn "$rel -> $target resolves outside root/ ($resolved); left as a file"
        skipped=$((skipped + 1))
        continue
    fi
    rm -f -- "$file"
    ln -s -- "$target" "$file"
    converted=$((converted + 1))
done < <(find "$dest/root" -type f -print0 | sort -z)

# Second pass: report links that do not resolve (a dangling `driver` link is
# normal in a capture; anything else probably means a missing file in the source).
while IFS= read -r -d '' link; do
    if [[ ! -e $link && ${link##*/} != driver ]]; then
        warn "${link#"$dest/root/"} -> $(readlink -- "$link") does not resolve"
    fi
done < <(find "$dest/root" -type l -print0 | sort -z)

printf 'import-fixture: %s -> %s: %d symlinks restored' "$src" "$dest" "$converted"
if ((skipped > 0)); then
    printf ', %d placeholders left as files (see warnings)' "$skipped"
fi
printf '\n'
