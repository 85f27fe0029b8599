#!/usr/bin/env bash
# Long-running checks kept out of CI: each fuzzer of outside input for a while, then the
# emulator's benchmarks (speed, and heap kept per MB of seeded mail).
#   scripts/bench.sh            fuzz 60s each, then benchmarks
#   FUZZTIME=10m scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-60s}

fuzz() { # package fuzzer
  echo "--- fuzz $2 ($1, $fuzztime)"
  go test -run '^$' -fuzz "^$2\$" -fuzztime "$fuzztime" "$1"
}
fuzz ./emulator/graph FuzzSearch
fuzz ./emulator/graph FuzzFilter
fuzz ./emulator/gmail FuzzQuery
fuzz ./emulator/store FuzzParseMessage
fuzz ./providers/mimemsg FuzzParse
fuzz ./internal/mimedecode FuzzDecode

echo "--- benchmarks"
go test -run '^$' -bench . -benchtime "${BENCHTIME:-1s}" ./emulator/...
