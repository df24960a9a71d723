#!/usr/bin/env bash
# Run every test: install what is missing, then the test suite (unit, integration, doc),
# a short fuzzing run, formatting and lints. The tests start their own private servers
# (Redis, a Redis Cluster, TLS Redis, PostgreSQL); nothing needs to be running. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n==> %s\n' "$*" >&2; }

step "system packages, and sqlglot in target/venv"
bash scripts/install-deps.sh test
# tests/it/teradata_sqlglot.rs runs this interpreter (the venv install-deps.sh made).
export LINEAGE_CACHE_PYTHON="$PWD/target/venv/bin/python3"
# The ODBC tests read non-ASCII names through psqlODBC, which converts text to the locale's
# character set ("invalid string conversion occured" under the POSIX locale a minimal system
# starts with): run them in a UTF-8 locale. C.UTF-8 is built into Debian 12's libc.
if [ "$(locale charmap 2>/dev/null)" != UTF-8 ]; then
    export LC_ALL=C.UTF-8
fi

step "rust components"
add_component() {
    command -v rustup >/dev/null 2>&1 ||
        { echo "test: the Rust component $1 is missing and rustup is not available" >&2; exit 1; }
    rustup component add "$1"
}
cargo fmt --version >/dev/null 2>&1 || add_component rustfmt
cargo clippy --version >/dev/null 2>&1 || add_component clippy

step "cargo test --all-targets"
cargo test --all-targets

step "cargo test --doc"
cargo test --doc

step "fuzzing: a short run of every cargo-fuzz target (LINEAGE_CACHE_FUZZ_SECONDS, default 20)"
bash scripts/fuzz.sh "${LINEAGE_CACHE_FUZZ_SECONDS:-20}"

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets -- -D warnings

step "all tests passed"
