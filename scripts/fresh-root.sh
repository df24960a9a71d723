#!/usr/bin/env bash
# Release check (not part of the test command): the README's two commands on a minimal
# Debian 12 that has nothing but the Rust toolchain.
#   sudo bash scripts/fresh-root.sh [--keep] [--mirror URL]
# Makes a fresh root with `debootstrap --variant=minbase bookworm` under /tmp, carries in only
# the Rust toolchain (read-only) and this machine's network settings (DNS, CA certificates,
# apt/pip proxy and mirror settings), clones the current commit into it (so only committed
# work is tested) and runs, with chroot, `bash scripts/demo.sh` then `bash scripts/test.sh`,
# each timed, printing what each installed and its result. Everything it mounts is unmounted
# when it ends, also on failure or Ctrl-C; the root is removed unless --keep.
# Needs root (debootstrap, mount, chroot), ~13 GB free in /tmp and about an hour on 2 cores.
# The caller picks the priority (`nice -n 5 bash scripts/fresh-root.sh` on a shared machine);
# the times it prints are wall times, so they include whatever else the machine was doing.
# Carried in from this machine: DNS, apt's proxy/date settings, the local CAs under
# /usr/local/share/ca-certificates, /etc/pip.conf, cargo's config; nothing else.
set -euo pipefail

die() {
    echo "fresh-root: $*" >&2
    exit 1
}
say() { printf '\n== fresh-root: %s\n' "$*" >&2; }

keep=0
mirror=http://deb.debian.org/debian
security_mirror=http://deb.debian.org/debian-security
while [ $# -gt 0 ]; do
    case $1 in
    --keep) keep=1 ;;
    --mirror)
        [ $# -ge 2 ] || die "--mirror needs a URL"
        mirror=$2
        shift
        ;;
    *) die "unknown argument '$1' (usage: fresh-root.sh [--keep] [--mirror URL])" ;;
    esac
    shift
done

[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, mount, chroot)"
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && git rev-parse --show-toplevel) ||
    die "not in a git checkout"
commit=$(git -C "$repo" rev-parse HEAD)
[ -z "$(git -C "$repo" status --porcelain --untracked-files=no)" ] ||
    echo "fresh-root: uncommitted changes are not tested: the root gets commit ${commit:0:12}" >&2

# The toolchain carried in: rustup's toolchains read-only, its proxies (cargo, rustc, ...)
# copied into a fresh CARGO_HOME so the registry and `cargo install` start empty.
rustup_home=${RUSTUP_HOME:-$HOME/.rustup}
cargo_home=${CARGO_HOME:-$HOME/.cargo}
if [ ! -x "$cargo_home/bin/rustup" ] || [ ! -d "$rustup_home/toolchains" ]; then
    die "no rustup toolchain in $cargo_home and $rustup_home (set CARGO_HOME/RUSTUP_HOME)"
fi

if ! command -v debootstrap >/dev/null 2>&1; then
    echo "fresh-root: installing debootstrap on this machine" >&2
    apt-get update -qq || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap \
        >/dev/null || die "apt-get install debootstrap failed"
fi

# The root ends up near 11 GB (the test binaries with debug info, the fuzz build); a full
# disk fails a step midway, and not only ours.
need_gb=13
free_gb=$(($(df --output=avail -k /tmp | tail -n 1) / 1024 / 1024))
[ "$free_gb" -ge "$need_gb" ] || die "/tmp has ${free_gb} GB free; the run needs about ${need_gb} GB"

root=$(mktemp -d /tmp/lineage-cache-fresh-root.XXXXXX)
# mktemp makes it 0700; a root directory is 0755, or apt's _apt and the tests' postgres user
# cannot reach anything.
chmod 755 "$root"
logs=$(mktemp -d /tmp/lineage-cache-fresh-root-logs.XXXXXX)
mounts=() # what we mounted, in order; unmounted in reverse

mounts_under_root() { findmnt -rn -o TARGET | awk -v r="$root/" 'index($0, r) == 1'; }

# Processes still running inside the root (a server a killed test left behind) keep its
# mounts busy: only those whose root directory is ours, which this run started.
stop_processes_in_root() {
    local signal pid pids
    for signal in TERM KILL; do
        pids=()
        for pid in /proc/[0-9]*; do
            [ "$(readlink "$pid/root" 2>/dev/null)" = "$root" ] && pids+=("${pid#/proc/}")
        done
        [ ${#pids[@]} -eq 0 ] && return 0
        echo "fresh-root: stopping ${#pids[@]} process(es) left in the root (SIG$signal)" >&2
        kill "-$signal" "${pids[@]}" 2>/dev/null || true
        sleep 2
    done
}

cleanup() {
    local status=$? i left
    trap - EXIT INT TERM
    stop_processes_in_root
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
        umount "${mounts[i]}" 2>/dev/null || {
            echo "fresh-root: ${mounts[i]} busy, detaching it (umount --lazy)" >&2
            umount --lazy "${mounts[i]}" || true
        }
    done
    left=$(mounts_under_root)
    if [ -n "$left" ]; then
        echo "fresh-root: still mounted, root kept at $root: $left" >&2
        exit 1
    fi
    echo "fresh-root: nothing left mounted under $root (findmnt)" >&2
    if [ "$keep" -eq 1 ]; then
        echo "fresh-root: root kept at $root (chroot $root bash); logs in $logs" >&2
    else
        # --one-file-system: never follow into a mount, whatever happened above.
        rm -rf --one-file-system "$root"
        echo "fresh-root: root removed; logs in $logs" >&2
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mount_in() { # mount_in TARGET MOUNT-ARGS...: mount and remember it for cleanup
    local target=$root$1
    shift
    mkdir -p "$target"
    mount "$@" "$target"
    mounts+=("$target")
}

say "debootstrap --variant=minbase bookworm into $root"
start=$SECONDS
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$logs/debootstrap.log" 2>&1 ||
    { tail -n 20 "$logs/debootstrap.log" >&2; die "debootstrap failed (log: $logs/debootstrap.log)"; }
bootstrap_secs=$((SECONDS - start))

say "carrying in the network settings, the toolchain and commit ${commit:0:12}"
# Debian 12's own sources (what its installer and its container image write), not
# debootstrap's single line: security updates are part of a minimal system.
rm -f "$root/etc/apt/sources.list"
cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security_mirror
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
# This machine's apt network settings (proxy, CA, release-date checks), as apt reads them.
apt-config dump | grep -E '^Acquire::(Check-Valid-Until|Check-Date|(http|https|ftp)(::[^ ]+)?) ' \
    >"$root/etc/apt/apt.conf.d/99host-network" || true
# Like a container image: packages must not start services (redis-server on 6379) inside the
# root, where nothing would stop them; the demo and the tests start their own.
printf '#!/bin/sh\n# fresh-root.sh: no service starts in this root\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
# debootstrap leaves /etc/hosts to the installer; the tests connect to "localhost".
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
# This machine's local CAs (the registries are reached through them), where Debian keeps
# them: the root gets no CA bundle, as a fresh machine has none, so the demo's install step
# must install ca-certificates, whose update-ca-certificates builds the bundle from Debian's
# CAs and these. (Here that is exactly this machine's bundle: Debian's plus the local ones.)
mkdir -p "$root/usr/local/share/ca-certificates"
if [ -d /usr/local/share/ca-certificates ]; then
    cp -rL /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
fi
for f in /etc/pip.conf /etc/xdg/pip/pip.conf "$cargo_home/config.toml" "$cargo_home/config"; do
    [ -f "$f" ] || continue
    case $f in
    "$cargo_home"/*) dest=/root/.cargo/${f##*/} ;;
    *) dest=$f ;;
    esac
    mkdir -p "$root$(dirname "$dest")"
    cp -L "$f" "$root$dest"
done

mkdir -p "$root/root/.cargo/bin"
cp "$cargo_home/bin/rustup" "$root/root/.cargo/bin/"
for f in "$cargo_home"/bin/*; do # rustup's proxies are links to rustup itself
    [ -L "$f" ] && [ "$(basename "$(readlink "$f")")" = rustup ] && ln -s rustup "$root/root/.cargo/bin/${f##*/}"
done
git clone --quiet --no-hardlinks --no-checkout "$repo" "$root/root/lineage-cache"
git -C "$root/root/lineage-cache" checkout --quiet --detach "$commit"

mount_in /proc -t proc proc
mount_in /dev --bind /dev
mount_in /dev/pts --bind /dev/pts
mount_in /dev/shm -t tmpfs -o mode=1777,nosuid,nodev tmpfs
mount_in /root/.rustup --bind "$rustup_home"
mount -o remount,bind,ro "$root/root/.rustup"

# A clean environment: what a login on the fresh machine has, plus the toolchain's
# variables and this machine's proxy and pip index settings.
envs=(HOME=/root USER=root LOGNAME=root TERM="${TERM:-dumb}"
    PATH=/root/.cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
    RUSTUP_HOME=/root/.rustup CARGO_HOME=/root/.cargo)
for v in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY \
    PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_TRUSTED_HOST PIP_CERT LINEAGE_CACHE_FUZZ_SECONDS; do
    [ -n "${!v:-}" ] && envs+=("$v=${!v}")
done
in_root() { chroot "$root" /usr/bin/env -i "${envs[@]}" "$@"; }
# shellcheck disable=SC2016 # a dpkg-query format, not a shell expansion
packages() { in_root dpkg-query -W -f '${Package}\n' | sort; }

base_count=$(packages | wc -l)
results=()
failed=0
for cmd in "bash scripts/demo.sh" "bash scripts/test.sh"; do
    name=${cmd#bash scripts/}
    name=${name%.sh}
    packages >"$logs/$name.before"
    say "running '$cmd' in the root (log: $logs/$name.log)"
    start=$SECONDS
    status=0
    chroot "$root" /usr/bin/env -i "${envs[@]}" \
        bash -c "cd /root/lineage-cache && $cmd" 2>&1 | tee "$logs/$name.log" || status=$?
    secs=$((SECONDS - start))
    packages >"$logs/$name.after"
    comm -13 "$logs/$name.before" "$logs/$name.after" >"$logs/$name.installed"
    [ "$status" -eq 0 ] || failed=$((failed + 1))
    results+=("$(printf "'%s': exit %d in %dm%02ds; installed %d packages: %s" "$cmd" \
        "$status" $((secs / 60)) $((secs % 60)) "$(wc -l <"$logs/$name.installed")" \
        "$(paste -sd ' ' "$logs/$name.installed")")")
done

say "summary"
{
    echo "date:    $(date)"
    echo "machine: $(uname -srm), $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB;" \
        "host $(# shellcheck disable=SC1091
            . /etc/os-release && echo "$PRETTY_NAME")"
    echo "commit:  $(git -C "$repo" log -1 --format='%h %s' "$commit")"
    echo "toolchain: $(in_root rustc --version)"
    echo "root:    debootstrap --variant=minbase bookworm, $base_count packages, in" \
        "$((bootstrap_secs / 60))m$(printf %02d $((bootstrap_secs % 60)))s"
    printf '%s\n' "${results[@]}"
    if [ "$failed" -eq 0 ]; then
        echo "result:  both commands passed in the fresh root"
    else
        echo "result:  $failed of 2 commands FAILED in the fresh root"
    fi
} | tee "$logs/summary.txt"
[ "$failed" -eq 0 ]
