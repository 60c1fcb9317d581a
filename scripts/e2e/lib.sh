#!/usr/bin/env bash
# Shared by the e2e scripts (sourced, not run).

# detect_mirror: print the first http://.../debian URI of this machine's APT sources
# (deb822 .sources first, then one-line .list files); return 1 if there is none.
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

# find_upcycle REPO_ROOT: print the upcycle binary to test: $UPCYCLE if set, else the
# release build of REPO_ROOT (built first, its output on stderr); return 1 if it is not
# an executable file.
find_upcycle() {
    local repo_root=$1 bin
    if [[ -n ${UPCYCLE:-} ]]; then
        bin=$UPCYCLE
    else
        echo "cargo build --release --locked" >&2
        (cd "$repo_root" && cargo build --release --locked) >&2 || return 1
        bin=${CARGO_TARGET_DIR:-$repo_root/target}/release/upcycle
        [[ $bin == /* ]] || bin=$repo_root/$bin
    fi
    [[ -x $bin ]] || { echo "upcycle binary '$bin' is not executable" >&2; return 1; }
    printf '%s\n' "$bin"
}

# timeout_seconds T: print the seconds of a --timeout value (N or Nm minutes, Ns
# seconds); return 1 if it is not one or is under a minute.
timeout_seconds() {
    local t=$1 s
    case $t in
        *[0-9]s) s=${t%s} ;;
        *[0-9]m) s=${t%m}; [[ $s =~ ^[0-9]+$ ]] && s=$((10#$s * 60)) ;;
        *) s=$t; [[ $s =~ ^[0-9]+$ ]] && s=$((10#$s * 60)) ;;
    esac
    [[ $s =~ ^[0-9]+$ ]] && ((10#$s >= 60)) || return 1
    printf '%s\n' "$((10#$s))"
}
