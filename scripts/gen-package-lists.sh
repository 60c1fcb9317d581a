#!/usr/bin/env bash
# gen-package-lists.sh - build data/packages/<target>.txt.gz from the real
# package indexes of each release/architecture that upcycle installs.
#
# Each output file is gzip (-9n, so a rerun over the same indexes on the same
# day is byte-identical) of a text file:
#
#   # release: Debian 12 (bookworm)
#   # architecture: i386
#   # generated YYYY-MM-DD by scripts/gen-package-lists.sh from: <suite> (Date: <Release Date>); ...
#   # missing: none | <suite> <component>/binary-<arch>, ...
#   <one binary package name per line, LC_ALL=C sort -u>
#
# The names are every `Package:` of the suites' binary-<arch>/Packages
# indexes, plus binary-all where the release splits arch:all packages out of
# binary-<arch> (by APT's rule: "all" in the InRelease's Architectures: and no
# "No-Support-for-Architecture-all: Packages"; none of the suites here does:
# Debian's main suites say that line, its security suites and Ubuntu do not
# list "all", so binary-<arch> holds every arch:all package), and every
# virtual package name that some package `Provides:` (versions stripped).
#
# Where the indexes come from:
#   * Debian: the mirror base URLs are read from this machine's APT sources
#     (/etc/apt/sources.list and /etc/apt/sources.list.d/*.list|*.sources):
#     the URI ending in /debian for the release and -updates suites, the URI
#     ending in /debian-security for the -security suite. Override with
#     DEBIAN_MIRROR=... / DEBIAN_SECURITY_MIRROR=... if they are not there.
#     InRelease files are verified with gpgv against DEBIAN_KEYRING
#     (default: the debian-archive-keyring package's keyring).
#   * Ubuntu: UBUNTU_MIRROR, default below, is the standard Ubuntu archive
#     (the primary archive that carries amd64; all three noble suites are on
#     it). Its InRelease is verified only if UBUNTU_KEYRING exists (the
#     ubuntu-keyring package's file); otherwise a warning is printed and only
#     the index hashes are checked against the (unverified) InRelease.
#
# Nothing on the system is changed: no APT configuration, no APT lists. The
# script downloads InRelease and Packages.xz/.gz itself with curl into a
# temporary directory (removed on exit), checks each index's size and SHA256
# against its InRelease (by-hash URL first when the suite offers it), and
# retries RETRIES times. An index that still cannot be fetched is left out,
# listed on the `# missing:` line and warned about; the run goes on. Only if
# the base suite's InRelease or its main/binary-<arch> index is missing is
# that target not written (the old file is kept) and the exit status 1.
#
# Usage: scripts/gen-package-lists.sh [TARGET...]    (default: all targets)
#   targets: debian-12-bookworm-amd64 debian-12-bookworm-i386
#            debian-13-trixie-amd64 ubuntu-24.04-noble-amd64
# Environment: OUT_DIR (default <repo>/data/packages), RETRIES (4),
#   RETRY_DELAY (seconds, 5; grows linearly), SOURCE_DATE_EPOCH (fixes the
#   date on the `# generated` line), DEBIAN_MIRROR, DEBIAN_SECURITY_MIRROR,
#   UBUNTU_MIRROR, DEBIAN_KEYRING, UBUNTU_KEYRING.
# Needs: bash, curl, gpgv, xz, gzip, awk, sha256sum.
set -euo pipefail

readonly SELF=scripts/gen-package-lists.sh
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT_DIR=${OUT_DIR:-$repo_root/data/packages}
RETRIES=${RETRIES:-4}
RETRY_DELAY=${RETRY_DELAY:-5}
UBUNTU_KEYRING=${UBUNTU_KEYRING:-/usr/share/keyrings/ubuntu-archive-keyring.gpg}
# The Ubuntu archive (primary archive; amd64 lives here, not on ports).
UBUNTU_MIRROR=${UBUNTU_MIRROR:-http://archive.ubuntu.com/ubuntu}

ALL_TARGETS=(
    debian-12-bookworm-amd64
    debian-12-bookworm-i386
    debian-13-trixie-amd64
    ubuntu-24.04-noble-amd64
)

prog=gen-package-lists
# shellcheck source=scripts/lib.sh
. "$repo_root/scripts/lib.sh"

need_tools curl gpgv xz gzip awk sha256sum

# --- mirrors from this machine's APT sources ------------------------------

# (apt_source_uris, scripts/lib.sh)
if [[ -z ${DEBIAN_MIRROR:-} ]]; then
    DEBIAN_MIRROR=$(detect_mirror '*/debian' || true)
fi
if [[ -z ${DEBIAN_SECURITY_MIRROR:-} ]]; then
    DEBIAN_SECURITY_MIRROR=$(detect_mirror '*/debian-security' || true)
fi

# --- per-target settings ----------------------------------------------------

# Sets RELEASE_NAME, ARCH, COMPONENTS, KEYRING and SUITES (array of
# "base-url suite" pairs; the first is the base suite).
target_spec() {
    case $1 in
    debian-12-bookworm-amd64 | debian-12-bookworm-i386)
        RELEASE_NAME="Debian 12 (bookworm)"
        ARCH=${1##*-}
        COMPONENTS="main contrib non-free non-free-firmware"
        KEYRING=$DEBIAN_KEYRING
        SUITES=("$DEBIAN_MIRROR bookworm" "$DEBIAN_MIRROR bookworm-updates"
            "$DEBIAN_SECURITY_MIRROR bookworm-security")
        ;;
    debian-13-trixie-amd64)
        RELEASE_NAME="Debian 13 (trixie)"
        ARCH=amd64
        COMPONENTS="main contrib non-free non-free-firmware"
        KEYRING=$DEBIAN_KEYRING
        SUITES=("$DEBIAN_MIRROR trixie" "$DEBIAN_MIRROR trixie-updates"
            "$DEBIAN_SECURITY_MIRROR trixie-security")
        ;;
    ubuntu-24.04-noble-amd64)
        RELEASE_NAME="Ubuntu 24.04 LTS (noble)"
        ARCH=amd64
        COMPONENTS="main restricted universe multiverse"
        KEYRING=$UBUNTU_KEYRING
        SUITES=("$UBUNTU_MIRROR noble" "$UBUNTU_MIRROR noble-updates"
            "$UBUNTU_MIRROR noble-security")
        ;;
    *)
        die "unknown target '$1' (known: ${ALL_TARGETS[*]})"
        ;;
    esac
    case $1 in
    debian-*)
        [[ -n $DEBIAN_MIRROR ]] ||
            die "no URI ending in /debian in this machine's APT sources; set DEBIAN_MIRROR"
        [[ -n $DEBIAN_SECURITY_MIRROR ]] ||
            die "no URI ending in /debian-security in this machine's APT sources; set DEBIAN_SECURITY_MIRROR"
        ;;
    esac
}

# --- downloading ------------------------------------------------------------

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/release" "$work/index"

# Fetch InRelease of suite $2 at base $1, verify it with keyring $3 (if the
# keyring exists) and write the signed content to $4. Returns 1 on failure.
fetch_release() {
    local base=$1 suite=$2 keyring=$3 out=$4
    local url="$base/dists/$suite/InRelease" raw="$out.InRelease" attempt
    rm -f "$out"
    for ((attempt = 1; attempt <= RETRIES; attempt++)); do
        rm -f "$out.tmp"
        if curl -fsSL --connect-timeout 30 --max-time 300 -o "$raw" "$url"; then
            if [[ -f $keyring ]]; then
                if gpgv --quiet --keyring "$keyring" --output "$out.tmp" "$raw" 2>"$out.gpgv"; then
                    break
                fi
                warn "$suite: InRelease signature check failed: $(tr '\n' ' ' <"$out.gpgv")"
            else
                # No keyring: take the signed text unverified.
                awk '/^-----BEGIN PGP SIGNED MESSAGE-----/ { hdr = 1; next }
                     hdr && /^$/ { hdr = 0; body = 1; next }
                     hdr { next }
                     /^-----BEGIN PGP SIGNATURE-----/ { exit }
                     body { sub(/^- /, ""); print }' "$raw" >"$out.tmp"
                if [[ -s $out.tmp ]]; then
                    warn "$suite: keyring $keyring not found: InRelease NOT signature-checked (index hashes still are)"
                    break
                fi
            fi
        fi
        if ((attempt < RETRIES)); then
            note "  $suite: InRelease not usable, retry $attempt/$((RETRIES - 1)) in $((attempt * RETRY_DELAY))s"
            sleep $((attempt * RETRY_DELAY))
        fi
    done
    ((attempt <= RETRIES)) || return 1
    if ! awk -v s="$suite" '($1 == "Suite:" || $1 == "Codename:") && $2 == s { ok = 1 } END { exit !ok }' "$out.tmp"; then
        warn "$suite: InRelease names neither Suite nor Codename '$suite'"
        return 1
    fi
    mv "$out.tmp" "$out"
}

# Print "sha256 size" of path $2 from the SHA256 section of Release file $1.
release_entry() {
    awk -v p="$2" '/^SHA256:/ { s = 1; next } /^[^ ]/ { s = 0 } s && $3 == p { print $1, $2; exit }' "$1"
}

# Fetch index $3 (e.g. main/binary-i386/Packages) of suite $2 at base $1,
# whose Release text is $4; print the path of the verified compressed file.
fetch_index() {
    local base=$1 suite=$2 index=$3 release=$4
    local by_hash=no candidates=() ext entry sha size attempt cand url
    grep -qx 'Acquire-By-Hash: yes' "$release" && by_hash=yes
    for ext in .xz .gz ""; do
        entry=$(release_entry "$release" "$index$ext")
        [[ -n $entry ]] && candidates+=("$ext $entry")
    done
    ((${#candidates[@]})) || return 2
    for ((attempt = 1; attempt <= RETRIES; attempt++)); do
        for cand in "${candidates[@]}"; do
            read -r ext sha size <<<"$cand"
            local out="$work/index/$sha$ext"
            if [[ -f $out ]]; then
                printf '%s\n' "$out"
                return 0
            fi
            local urls=("$base/dists/$suite/$index$ext")
            [[ $by_hash == yes ]] &&
                urls=("$base/dists/$suite/${index%/*}/by-hash/SHA256/$sha" "${urls[@]}")
            for url in "${urls[@]}"; do
                curl -fsSL --connect-timeout 30 --max-time 900 -o "$out.part" "$url" 2>/dev/null || continue
                if [[ $(stat -c %s "$out.part") == "$size" ]] &&
                    [[ $(sha256sum <"$out.part" | cut -d' ' -f1) == "$sha" ]]; then
                    mv "$out.part" "$out"
                    printf '%s\n' "$out"
                    return 0
                fi
                note "  $suite $index$ext: size/SHA256 do not match InRelease (mirror sync in progress?)"
            done
        done
        rm -f "$work/index/"*.part
        if ((attempt < RETRIES)); then
            note "  $suite $index: retry $attempt/$((RETRIES - 1)) in $((attempt * RETRY_DELAY))s"
            sleep $((attempt * RETRY_DELAY))
        fi
    done
    return 1
}

# Package names and Provides: names of a (compressed) Packages file.
extract_names() {
    case $1 in
    *.xz) xz -dc "$1" ;;
    *.gz) gzip -dc "$1" ;;
    *) cat "$1" ;;
    esac | awk '
        function flush(   n, i, parts, p) {
            if (!inprov) return
            n = split(prov, parts, ",")
            for (i = 1; i <= n; i++) {
                p = parts[i]
                sub(/\(.*/, "", p)        # version: "foo (= 1.2)"
                sub(/:.*/, "", p)         # architecture qualifier, if any
                gsub(/[ \t]/, "", p)
                if (p != "") print p
            }
            inprov = 0; prov = ""
        }
        /^[ \t]/ { if (inprov) prov = prov " " $0; next }
        { flush() }
        /^Package:/ { print $2; next }
        /^Provides:/ { inprov = 1; prov = substr($0, 10); next }
        END { flush() }'
}

# --- one target -------------------------------------------------------------

build_target() {
    local target=$1
    target_spec "$target"
    note "== $target ($RELEASE_NAME, $ARCH)"
    local names="$work/$target.names" from=() missing=() fatal=0
    local pair base suite release idx comp a file rc first=1
    : >"$names"
    for pair in "${SUITES[@]}"; do
        read -r base suite <<<"$pair"
        release="$work/release/${base//[^A-Za-z0-9]/_}_$suite"
        if [[ ! -s $release ]] && ! fetch_release "$base" "$suite" "$KEYRING" "$release"; then
            warn "$target: $suite: InRelease could not be fetched; suite left out"
            missing+=("$suite (InRelease)")
            from+=("$suite (not fetched)")
            ((first)) && fatal=1
            first=0
            continue
        fi
        from+=("$suite (Date: $(sed -n 's/^Date: //p' "$release" | head -n 1))")
        local components architectures
        components=" $(sed -n 's/^Components: //p' "$release" | sed 's:[^ ]*/::g') "
        architectures=" $(sed -n 's/^Architectures: //p' "$release") "
        # binary-all is read only if the release really splits arch:all
        # packages out of binary-<arch>, by APT's rule: "all" is in its
        # Architectures: and it does not say "No-Support-for-Architecture-all:
        # Packages". Otherwise every arch:all package is in binary-<arch> and
        # a binary-all file, if listed at all, adds no name (and APT does not
        # read it either).
        local arches=("$ARCH")
        if [[ $architectures == *" all "* ]] &&
            ! grep -qx 'No-Support-for-Architecture-all: Packages' "$release"; then
            arches+=(all)
        else
            note "  $suite: arch:all packages are in binary-$ARCH (binary-all not split out); binary-all not read"
        fi
        for comp in $COMPONENTS; do
            if [[ $components != *" $comp "* ]]; then
                note "  $suite has no component $comp; skipped"
                continue
            fi
            for a in "${arches[@]}"; do
                idx="$comp/binary-$a/Packages"
                rc=0
                file=$(fetch_index "$base" "$suite" "$idx" "$release") || rc=$?
                if ((rc == 0)); then
                    extract_names "$file" >>"$names"
                    note "  $suite $idx: ok"
                elif [[ $a == all ]] && ((rc == 2)); then
                    : # the release does not split out binary-all
                else
                    if ((rc == 2)); then
                        warn "$target: $suite $idx is not listed in its InRelease (Architectures:$architectures)"
                    else
                        warn "$target: $suite $idx could not be fetched after $RETRIES tries; left out"
                    fi
                    missing+=("$suite $comp/binary-$a")
                    if ((first)) && [[ $comp == main && $a != all ]]; then
                        fatal=1
                    fi
                fi
            done
        done
        first=0
    done
    if ((fatal)); then
        warn "$target: base suite or its main index missing; $target.txt.gz NOT written"
        failed+=("$target")
        return 0
    fi

    local day plain="$work/$target.txt" out="$OUT_DIR/$target.txt.gz"
    if [[ -n ${SOURCE_DATE_EPOCH:-} ]]; then
        day=$(date -u -d "@$SOURCE_DATE_EPOCH" +%F)
    else
        day=$(date -u +%F)
    fi
    local from_text missing_text=none
    from_text=$(printf '%s; ' "${from[@]}")
    from_text=${from_text%; }
    if ((${#missing[@]})); then
        missing_text=$(printf '%s, ' "${missing[@]}")
        missing_text=${missing_text%, }
    fi
    {
        printf '# release: %s\n' "$RELEASE_NAME"
        printf '# architecture: %s\n' "$ARCH"
        printf '# generated %s by %s from: %s\n' "$day" "$SELF" "$from_text"
        printf '# missing: %s\n' "$missing_text"
        LC_ALL=C sort -u "$names"
    } >"$plain"
    mkdir -p "$OUT_DIR"
    gzip -9n <"$plain" >"$out.tmp"
    mv "$out.tmp" "$out"
    note "  wrote ${out#"$repo_root"/}: $(LC_ALL=C sort -u "$names" | wc -l) names, $(stat -c %s "$out") bytes"
    if ((${#missing[@]})); then
        warn "$target: written WITHOUT: $missing_text"
    fi
}

targets=("$@")
((${#targets[@]})) || targets=("${ALL_TARGETS[@]}")
for t in "${targets[@]}"; do
    target_spec "$t" # reject unknown targets before downloading anything
done
failed=()
for t in "${targets[@]}"; do
    build_target "$t"
done
if ((${#failed[@]})); then
    note "FAILED (not written): ${failed[*]}"
    exit 1
fi
