#!/usr/bin/env bash
# npm run test:stress-ci -- [N]: runs `bash .ci/run` N times (default 3), each in a fresh clone of this
# repository's HEAD, while a CPU hog keeps one core busy, so a timing flake shows up here rather than in CI.
# Prints one line per run, keeps each run's full output, exits non-zero if any run failed.
# Not run by .ci/run itself: it runs .ci/run.
set -uo pipefail

runs=${1:-3}
if ! [[ $runs =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: npm run test:stress-ci -- [number of runs, default 3]" >&2
  exit 2
fi
repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
head=$(git -C "$repo" rev-parse --short HEAD)
[ -z "$(git -C "$repo" status --porcelain)" ] || echo "note: uncommitted changes are not tested; runs use HEAD ($head)"
work=$(mktemp -d /tmp/day15-stress-ci.XXXXXX)

# The hog: one busy loop, pinned to nothing, for as long as the runs last.
sh -c 'while :; do :; done' &
hog=$!
trap 'kill "$hog" 2>/dev/null; wait "$hog" 2>/dev/null' EXIT
echo "stress-ci: $runs run(s) of .ci/run at $head with a CPU hog (pid $hog) on one of $(nproc) cores; logs in $work"

failed=0
for i in $(seq 1 "$runs"); do
  clone="$work/run-$i"
  log="$work/run-$i.log"
  started=$(date +%s)
  if git clone -q "$repo" "$clone" && (cd "$clone" && CI=true bash .ci/run </dev/null >"$log" 2>&1); then
    verdict=PASS
  else
    verdict=FAIL
    failed=$((failed + 1))
  fi
  seconds=$(($(date +%s) - started))
  # jest's summary lines of the two suites, so the line says how much ran.
  tests=$(grep -E '^Tests: ' "$log" 2>/dev/null | sed 's/^Tests: *//' | paste -sd ';' -)
  echo "run $i/$runs: $verdict in ${seconds} s (tests: ${tests:-none}) log: $log"
  if [ "$verdict" = FAIL ]; then
    grep -E '✕|● ' "$log" | head -20 | sed 's/^/    /'
  fi
  rm -rf "$clone"
done

echo "stress-ci: $((runs - failed)) of $runs run(s) green"
[ "$failed" -eq 0 ]
