#!/usr/bin/env bash
# Compiles the contracts, then the Solidity tests one folder of test/solidity at a time.
#
# Hardhat merges every file that needs compiling into one solc job. With via-IR, one job holding all the tests and
# the contracts they deploy needs more memory than solc's WebAssembly build can address, and solc then fails with
# "Error writing output JSON". A job per folder stays well within it; Hardhat caches each file's result, so a later
# `hardhat test solidity` (or `hardhat compile`) finds everything compiled. Extra arguments go to every
# `hardhat compile` (for example --build-profile coverage).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

npx hardhat compile --quiet --no-tests "$@"
mapfile -t folders < <(find test/solidity -mindepth 1 -maxdepth 1 -type d | sort)
for folder in "${folders[@]}"; do
  mapfile -t files < <(find "$folder" -type f -name '*.sol' | sort)
  ((${#files[@]} > 0)) || continue
  echo "compiling the Solidity tests of ${folder} (${#files[@]} files)"
  npx hardhat compile --quiet --no-contracts "$@" "${files[@]}"
done
echo "compiling the remaining Solidity tests"
npx hardhat compile --quiet --no-contracts "$@"
