#!/usr/bin/env bash
# Runs every kind of test and ends with one summary line, "N passed, N failed", totalled over:
#   solidity  `hardhat test solidity`  unit, fuzz and invariant tests under test/solidity
#   mocha     `hardhat test mocha`     TypeScript tests under test/ts (all subfolders)
#   example   `npm run example:typecheck`  the ethers/TypeChain and viem integration examples typecheck (1 test)
#   dapp      `vitest run` in frontend/    component and hook tests of the dApp
#   e2e       `npm run test:e2e` in frontend/  the dApp in Chromium against a local chain (installs Chromium as root)
# Each part's output is streamed and parsed for Mocha-style "N passing" / "N failing" lines.
# A part that prints no count, or exits non-zero without reporting a failure, counts as 1 failed.
# Exit status is non-zero when anything failed.
set -u -o pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1

log_dir=$(mktemp -d "${TMPDIR:-/tmp}/alpha-markets-tests.XXXXXX") || exit 1
trap 'rm -rf "$log_dir"' EXIT

total_passed=0
total_failed=0
breakdown=()
failed_titles=() # "part: title" of each failing test, repeated just above the summary (long logs get cut)

# Each part's wall time is in the summary (CI has a time budget); `part_start` is set when a part begins.
part_start=$SECONDS
record() { # name passed failed note
  total_passed=$((total_passed + $2))
  total_failed=$((total_failed + $3))
  breakdown+=("$(printf '  %-9s passed=%s failed=%s  %ss%s' "$1" "$2" "$3" "$((SECONDS - part_start))" "${4:+  ($4)}")")
}

# Last "N <word>" count in a log, ignoring colour codes; empty when there is none.
count() { # log word
  sed -e $'s/\x1b\\[[0-9;]*[A-Za-z]//g' "$1" |
    sed -n -e "s/^[[:space:]]*\([0-9][0-9]*\) $2\b.*/\1/p" |
    tail -n 1
}

# Collects the failing tests' titles from a log: Mocha's "  1) title" lines and Vitest's "FAIL file > title" lines.
collect_failures() { # name log
  local line
  while IFS= read -r line; do
    failed_titles+=("$1: ${line}")
  done < <(sed -e $'s/\x1b\\[[0-9;]*[A-Za-z]//g' "$2" |
    sed -n -e 's/^[[:space:]]*\([0-9][0-9]*) .*\)/\1/p' -e 's/^[[:space:]]*FAIL[[:space:]]\{1,\}\(.*>.*\)/\1/p' |
    awk '!seen[$0]++' | head -n 20)
}

# Runs a Hardhat test part; its output goes to the terminal and to a log that is then parsed.
run_counted() { # name command...
  local name=$1 log="$log_dir/$1.log" rc passed failed
  shift
  [[ $name == solidity ]] || part_start=$SECONDS # the Solidity part's time includes its build
  printf '\n==> %s: %s\n' "$name" "$*"
  "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  passed=$(count "$log" passing)
  failed=$(count "$log" failing)
  ((${failed:-0} == 0)) || collect_failures "$name" "$log"
  if [[ -z $passed && -z $failed ]]; then
    echo "!! $name printed no test count (exit status $rc): counted as 1 failed"
    record "$name" 0 1 "no count, exit $rc"
  elif ((rc != 0 && ${failed:-0} == 0)); then
    echo "!! $name exited with status $rc but reported no failing test: counted as 1 more failed"
    record "$name" "${passed:-0}" 1 "exit $rc"
  else
    record "$name" "${passed:-0}" "${failed:-0}"
  fi
}

# Runs a step that is one test: passed when it exits 0.
run_check() { # name command...
  local name=$1 rc
  shift
  part_start=$SECONDS
  printf '\n==> %s: %s\n' "$name" "$*"
  "$@" 2>&1
  rc=$?
  if ((rc == 0)); then
    record "$name" 1 0
  else
    echo "!! $name failed (exit status $rc)"
    record "$name" 0 1 "exit $rc"
  fi
}

# The tests compile folder by folder first (see scripts/build-solidity.sh); a failed build fails the Solidity part.
part_start=$SECONDS
if bash scripts/build-solidity.sh; then
  run_counted solidity npx hardhat test solidity
else
  echo "!! the Solidity build failed: counted as 1 failed"
  record solidity 0 1 "build failed"
fi

# `hardhat test mocha` loads every .js/.ts file under test/ts; with none it prints nothing at all.
mocha_files=$(find test/ts -type f \( -name '*.ts' -o -name '*.mts' -o -name '*.cts' -o -name '*.js' -o -name '*.mjs' -o -name '*.cjs' \) 2>/dev/null | wc -l)
if ((mocha_files > 0)); then
  run_counted mocha npx hardhat test mocha
else
  printf '\n==> mocha: no test files under test/ts, skipped\n'
  record mocha 0 0 "no test files"
fi

run_check example npm run --silent example:typecheck

# Vitest prints "Tests  N passed | N failed"; its dot reporter ends with the same line. Turned into mocha words here.
run_counted_vitest() { # name command...
  local name=$1 log="$log_dir/$1.log" rc passed failed clean
  shift
  part_start=$SECONDS
  printf '\n==> %s: %s\n' "$name" "$*"
  "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  clean=$(sed -e $'s/\x1b\\[[0-9;]*[A-Za-z]//g' "$log" | grep -E '^[[:space:]]*Tests[[:space:]]' | tail -n 1)
  passed=$(sed -n -e 's/.* \([0-9][0-9]*\) passed.*/\1/p' <<<"$clean")
  failed=$(sed -n -e 's/.* \([0-9][0-9]*\) failed.*/\1/p' <<<"$clean")
  ((${failed:-0} == 0)) || collect_failures "$name" "$log"
  if [[ -z $passed && -z $failed ]]; then
    echo "!! $name printed no test count (exit status $rc): counted as 1 failed"
    record "$name" 0 1 "no count, exit $rc"
  elif ((rc != 0 && ${failed:-0} == 0)); then
    record "$name" "${passed:-0}" 1 "exit $rc"
  else
    record "$name" "${passed:-0}" "${failed:-0}"
  fi
}
run_counted_vitest dapp npm run --silent test -w alpha-markets-dapp
run_counted e2e npm run --silent test:e2e -w alpha-markets-dapp

echo
echo "Test parts:"
printf '%s\n' "${breakdown[@]}"
if ((${#failed_titles[@]} > 0)); then
  echo "Failing tests:"
  printf '  %s\n' "${failed_titles[@]}"
fi
echo "${total_passed} passed, ${total_failed} failed"

((total_failed == 0))
