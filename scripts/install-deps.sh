#!/usr/bin/env bash
# Install what the tests need (Debian/Ubuntu packages), and nothing that is already there.
# Idempotent: on a machine that has everything it changes nothing. Starts no services; the
# tests start their own private servers (never on port 6379).
set -euo pipefail

die() {
    echo "install-deps: $*" >&2
    exit 1
}

have_initdb() { compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; }
have_odbc_driver() { odbcinst -q -d -n "PostgreSQL Unicode" >/dev/null 2>&1; }
have_kill_binary() { [ -x /usr/bin/kill ] || [ -x /bin/kill ]; }

missing=()
need() { # need PACKAGE CHECK...: remember PACKAGE unless CHECK succeeds
    local package=$1
    shift
    "$@" >/dev/null 2>&1 || missing+=("$package")
}

check_all() {
    missing=()
    need redis-server command -v redis-server
    need redis-tools command -v redis-cli
    need unixodbc command -v odbcinst
    need unixodbc-dev test -e /usr/include/sql.h
    need odbc-postgresql have_odbc_driver
    need postgresql have_initdb
    need openssl command -v openssl
    need pkg-config command -v pkg-config
    need procps have_kill_binary
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    else
        sudo -n "$@"
    fi
}

python3 -c 'import sqlglot' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check sqlglot || die "pip install sqlglot failed (tests/it/teradata_sqlglot.rs needs it)"
check_all
[ ${#missing[@]} -eq 0 ] && exit 0
wanted=("${missing[@]}")

if [ "$(id -u)" -ne 0 ] && ! { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }; then
    die "missing packages (${wanted[*]}): run as root, or with sudo that needs no password"
fi
command -v apt-get >/dev/null 2>&1 || die "missing packages (${wanted[*]}) and no apt-get here"

echo "install-deps: installing ${wanted[*]}" >&2
as_root apt-get update -qq || die "apt-get update failed"
as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${wanted[@]}" >/dev/null ||
    die "apt-get install ${wanted[*]} failed"

# A package that installed without providing what we check for is an error too.
check_all
[ ${#missing[@]} -eq 0 ] || die "still missing after installing ${wanted[*]}: ${missing[*]}"
