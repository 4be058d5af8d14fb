#!/usr/bin/env bash
# Compiles the contracts, then the Solidity tests in a few batches of test/solidity's folders, the batches side by
# side on the machine's cores.
#
# Hardhat merges every file that needs compiling into one solc job. With via-IR, one job holding all the tests and
# the contracts they deploy needs more memory than solc's WebAssembly build can address, and solc then fails with
# "Error writing output JSON". Batches of folders up to BATCH_BYTES of test source stay well within it. Each batch
# compiles the contracts it imports again (for their types: the tests deploy them from the contracts' own build), and
# solc uses one core, so the batches run in SOLIDITY_BUILD_LANES lanes
# (default: the number of cores, at most 4). Each lane keeps its own compile cache (SOLIDITY_CACHE_DIR, read by
# hardhat.config.ts) so that no lane overwrites another's entries; the lanes' caches are then merged into the
# project's, and a later `hardhat test solidity` (or `hardhat compile`) finds everything compiled. Extra arguments
# go to every `hardhat compile` (for example --build-profile coverage).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BATCH_BYTES=330000
CACHE_FILE=cache/compile-cache.json

extra=("$@")
npx hardhat compile --quiet --no-tests "${extra[@]}"

# The batches: one line each, its files separated by spaces (paths under test/solidity have none).
batches=()
batch=""
batch_bytes=0
while IFS= read -r folder; do
  mapfile -t files < <(find "$folder" -type f -name '*.sol' | sort)
  ((${#files[@]} > 0)) || continue
  bytes=$(cat "${files[@]}" | wc -c)
  if [[ -n $batch ]] && ((batch_bytes + bytes > BATCH_BYTES)); then
    batches+=("$batch")
    batch=""
    batch_bytes=0
  fi
  batch+="${batch:+ }${files[*]}"
  batch_bytes=$((batch_bytes + bytes))
done < <(find test/solidity -mindepth 1 -maxdepth 1 -type d | sort)
[[ -z $batch ]] || batches+=("$batch")

cores=$(nproc 2> /dev/null || echo 1)
lanes=${SOLIDITY_BUILD_LANES:-$((cores < 4 ? cores : 4))}
if ! [[ $lanes =~ ^[1-9][0-9]*$ ]]; then
  echo "SOLIDITY_BUILD_LANES must be a whole number ≥ 1, got \"$lanes\"" >&2
  exit 2
fi
((lanes <= ${#batches[@]})) || lanes=${#batches[@]}

# Inside cache/: Hardhat moves each build-info from the cache folder to artifacts/ by renaming it.
lane_dir=cache/lanes
rm -rf "$lane_dir"
trap 'rm -rf "$lane_dir"' EXIT

# Lane k compiles batches k, k + lanes, k + 2·lanes… one after the other, with its own copy of the cache.
run_lane() { # k
  local k=$1 i files start
  mkdir -p "$lane_dir/$k"
  [[ ! -f $CACHE_FILE ]] || cp "$CACHE_FILE" "$lane_dir/$k/"
  for ((i = k; i < ${#batches[@]}; i += lanes)); do
    read -r -a files <<< "${batches[i]}"
    start=$SECONDS
    echo "lane $((k + 1))/$lanes: compiling ${#files[@]} Solidity test files (${files[0]%/*}…)"
    SOLIDITY_CACHE_DIR="$lane_dir/$k" npx hardhat compile --quiet --no-contracts "${extra[@]}" "${files[@]}"
    echo "lane $((k + 1))/$lanes: ${files[0]%/*}… compiled in $((SECONDS - start)) s"
  done
}

pids=()
for ((k = 0; k < lanes; k++)); do
  run_lane "$k" &
  pids+=($!)
done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
((failed == 0)) || {
  echo "a Solidity test batch failed to compile" >&2
  exit 1
}

# The entries each lane changed (the test files it compiled), over the project's cache.
node -e '
  const fs = require("node:fs");
  const read = (file) => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {});
  const [target, ...lanes] = process.argv.slice(1);
  const before = read(target);
  const merged = { ...before };
  for (const lane of lanes.map(read)) {
    for (const [key, entry] of Object.entries(lane)) {
      if (JSON.stringify(entry) !== JSON.stringify(before[key])) merged[key] = entry;
    }
  }
  fs.writeFileSync(target, JSON.stringify(merged, null, 2));
' "$CACHE_FILE" "$lane_dir"/*/compile-cache.json

echo "compiling the remaining Solidity tests"
npx hardhat compile --quiet --no-contracts "${extra[@]}"
