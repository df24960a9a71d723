#!/usr/bin/env bash
# Run the cargo-fuzz targets (key parser, URL mapper, keys-file reader, value decoder), each
# for SECONDS (default 20): the short run of the test command. For a long run:
#   bash scripts/fuzz.sh 600
# Installs cargo-fuzz from crates.io when missing. Works on the stable toolchain
# (RUSTC_BOOTSTRAP lets cargo-fuzz pass its flags); no sanitizer: the code is safe Rust and
# the targets check behaviour with assertions.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz: installing cargo-fuzz" >&2
    cargo install cargo-fuzz --locked --quiet
fi
export RUSTC_BOOTSTRAP=1
targets=(key_parse url_map keys_file value_decode)
cargo fuzz build -s none --fuzz-dir fuzz >/dev/null
failed=0
for t in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$t"
    log=$(mktemp)
    echo "fuzz: $t for ${seconds}s" >&2
    status=0
    cargo fuzz run -s none --fuzz-dir fuzz "$t" "fuzz/corpus/$t" fuzz/seeds -- \
        -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 >"$log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    if [ "$status" -ne 0 ] || [ -z "$runs" ] || [ "$runs" -eq 0 ]; then
        echo "fuzz: $t FAILED (exit $status, ${runs:-0} runs):" >&2
        tail -n 30 "$log" >&2
        failed=$((failed + 1))
    else
        echo "fuzz: $t ok, $runs inputs in ${seconds}s" >&2
    fi
    rm -f "$log"
done
echo "fuzz: $((${#targets[@]} - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
