#!/usr/bin/env bash
# Compiles the contracts, then the Solidity tests in a few batches of test/solidity's folders.
#
# Hardhat merges every file that needs compiling into one solc job. With via-IR, one job holding all the tests and
# the contracts they deploy needs more memory than solc's WebAssembly build can address, and solc then fails with
# "Error writing output JSON". Batches of folders up to BATCH_BYTES of test source stay well within it (each batch
# compiles the contracts it imports again, so fewer batches are faster). Hardhat caches each file's result, so a
# later `hardhat test solidity` (or `hardhat compile`) finds everything compiled. Extra arguments go to every
# `hardhat compile` (for example --build-profile coverage).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BATCH_BYTES=330000

compile_tests() { # files...
  echo "compiling ${#batch[@]} Solidity test files (${batch_bytes} bytes of source)"
  npx hardhat compile --quiet --no-contracts "${extra[@]}" "$@"
}

extra=("$@")
npx hardhat compile --quiet --no-tests "${extra[@]}"
batch=()
batch_bytes=0
while IFS= read -r folder; do
  mapfile -t files < <(find "$folder" -type f -name '*.sol' | sort)
  ((${#files[@]} > 0)) || continue
  bytes=$(cat "${files[@]}" | wc -c)
  if ((${#batch[@]} > 0 && batch_bytes + bytes > BATCH_BYTES)); then
    compile_tests "${batch[@]}"
    batch=()
    batch_bytes=0
  fi
  batch+=("${files[@]}")
  batch_bytes=$((batch_bytes + bytes))
done < <(find test/solidity -mindepth 1 -maxdepth 1 -type d | sort)
((${#batch[@]} == 0)) || compile_tests "${batch[@]}"
echo "compiling the remaining Solidity tests"
npx hardhat compile --quiet --no-contracts "${extra[@]}"
