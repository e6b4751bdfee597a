#!/usr/bin/env bash
# The long versions of the reliability tests, which CI runs short:
#
#   scripts/soak.sh                 # 5 minute soak, 100 killed builds
#   scripts/soak.sh 30m 500         # 30 minute soak, 500 killed builds
#   RACE=1 scripts/soak.sh 2m 20    # the same under the race detector
#
# - TestSoak: a server under steady load (8 connections) with a rebuild
#   every sixth of the run; its RSS, threads and open files must not grow.
# - TestKillBuildWhileServing and TestKilledBuildKeepsServing: `corpus index`
#   killed with SIGKILL at random moments while a server answers; every
#   answer comes from a complete generation, the next build cleans up.
# - TestOverload, TestSwitchUnderLoad, TestHostileRequests: run again, as a
#   check that nothing degrades over repetitions (count=3).
#
# Figures are printed with -v; docs/RELIABILITY.md records the last ones.
# Without RACE=1 the figures are those of a normal build.
set -euo pipefail
cd "$(dirname "$0")/.."

soak=${1:-5m}
kills=${2:-100}
race=()
[[ ${RACE:-} == 1 ]] && race=(-race)

echo "=== soak $soak, $kills killed builds${race:+, race detector}"
CORPUS_SOAK=$soak CORPUS_KILL_RUNS=$kills go test "${race[@]}" -count=1 -timeout 0 -v \
	-run '^(TestSoak|TestKillBuildWhileServing|TestKilledBuildKeepsServing)$' ./cmd/corpus/ |
	grep -E '^(=== RUN|--- |\s+\S+_test\.go:|PASS|FAIL|ok)'

echo "=== load, switch and hostile tests, three times"
go test "${race[@]}" -count=3 -timeout 0 -v \
	-run '^(TestOverload|TestSwitchUnderLoad|TestHostileRequests|TestShedding)$' ./web/ |
	grep -E '^(=== RUN|--- |\s+\S+_test\.go:|PASS|FAIL|ok)'
