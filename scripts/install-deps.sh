#!/usr/bin/env bash
# Install what a README command needs, and nothing that is already there:
#   bash scripts/install-deps.sh demo   what scripts/demo.sh builds and runs
#   bash scripts/install-deps.sh test   that, plus what the tests start and use (the default)
# Debian packages go through apt-get (root, or sudo that needs no password); sqlglot, which
# tests/it/teradata_sqlglot.rs runs, goes into a project-local virtual environment (target/venv),
# never into the system Python (Debian's is externally managed, PEP 668).
# Idempotent: on a machine that has everything it changes and prints nothing. Starts no
# services; the demo and the tests start their own private servers (never on port 6379).
# The have_* checks run through need(), which shellcheck cannot see (SC2317).
# shellcheck disable=SC2317
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

die() {
    echo "install-deps: $*" >&2
    exit 1
}

profile=${1:-test}
case $profile in
demo | test) ;;
*) die "unknown profile '$profile' (usage: install-deps.sh [demo|test])" ;;
esac

# The version tests/it/teradata_sqlglot.rs was written against: its assertions name sqlglot's
# tree classes, so a new release is taken deliberately, not by chance.
sqlglot_version=30.31.0
venv=target/venv

have_initdb() { compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; }
have_odbc_driver() { odbcinst -q -d -n "PostgreSQL Unicode" >/dev/null 2>&1; }
have_kill_binary() { [ -x /usr/bin/kill ] || [ -x /bin/kill ]; }
# The linker needs the unversioned libodbc.so (odbc-api links the driver manager).
have_libodbc_dev() { compgen -G '/usr/lib/*/libodbc.so' >/dev/null || [ -e /usr/lib/libodbc.so ]; }
# Debian's python3 has no venv/ensurepip until python3-venv is installed.
have_python_venv() { python3 -c 'import venv, ensurepip' >/dev/null 2>&1; }

missing=()
need() { # need PACKAGE CHECK...: remember PACKAGE unless CHECK succeeds
    local package=$1
    shift
    "$@" >/dev/null 2>&1 || missing+=("$package")
}

check_all() {
    missing=()
    # demo: build the tool (the bundled SQLite and ring are C; odbc-api links libodbc),
    # download crates over HTTPS, run a private Redis.
    need gcc command -v cc
    need libc6-dev test -e /usr/include/stdio.h
    need unixodbc-dev have_libodbc_dev
    need ca-certificates test -s /etc/ssl/certs/ca-certificates.crt
    need redis-server command -v redis-server
    need redis-tools command -v redis-cli
    [ "$profile" = test ] || return 0
    # test: PostgreSQL through psqlODBC, TLS certificates, kill(1) for the fault tests,
    # libFuzzer (C++) for the fuzz run, a Python venv for sqlglot.
    need g++ command -v c++
    need postgresql have_initdb
    need odbc-postgresql have_odbc_driver
    need openssl command -v openssl
    need procps have_kill_binary
    need python3-venv have_python_venv
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    else
        sudo -n "$@"
    fi
}

install_packages() {
    check_all
    [ ${#missing[@]} -eq 0 ] && return 0
    local wanted=("${missing[@]}")
    if [ "$(id -u)" -ne 0 ] && ! { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }; then
        die "missing packages (${wanted[*]}): run as root, or with sudo that needs no password"
    fi
    command -v apt-get >/dev/null 2>&1 || die "missing packages (${wanted[*]}) and no apt-get here"

    echo "install-deps: installing ${wanted[*]}" >&2
    # apt's chatter (debconf's "delaying package configuration" on a minimal system) only
    # when it fails.
    local log
    log=$(mktemp)
    if ! as_root apt-get update -qq >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        die "apt-get update failed"
    fi
    if ! as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${wanted[@]}" >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        rm -f "$log"
        die "apt-get install ${wanted[*]} failed"
    fi
    rm -f "$log"

    # A package that installed without providing what we check for is an error too.
    check_all
    [ ${#missing[@]} -eq 0 ] || die "still missing after installing ${wanted[*]}: ${missing[*]}"
}

# sqlglot in target/venv, as the user running this (not root through sudo): the venv is the
# project's, like the rest of target/.
install_sqlglot() {
    "$venv/bin/python3" -c "import sqlglot, sys; sys.exit(sqlglot.__version__ != '$sqlglot_version')" \
        >/dev/null 2>&1 && return 0
    echo "install-deps: installing sqlglot $sqlglot_version into $venv" >&2
    if ! "$venv/bin/python3" -c '' >/dev/null 2>&1; then
        mkdir -p "$(dirname "$venv")"
        python3 -m venv --clear "$venv" || die "python3 -m venv $venv failed"
    fi
    "$venv/bin/python3" -m pip install --quiet --disable-pip-version-check \
        "sqlglot==$sqlglot_version" || die "pip install sqlglot==$sqlglot_version into $venv failed"
}

install_packages
[ "$profile" = test ] && install_sqlglot
exit 0
