#!/usr/bin/env bash
# Runs every fuzz target of the module, one after another, for a while each.
#
#   scripts/fuzz.sh              # 60s per target
#   scripts/fuzz.sh 5m           # five minutes per target
#   scripts/fuzz.sh 30s web      # only targets whose package or name matches "web"
#
# CI does not call this: `go test ./...` runs every target's seeds (f.Add and
# testdata/fuzz/<Target>/) as ordinary tests. A failure found here is written
# by go test to <package>/testdata/fuzz/<Target>/<hash>: fix the bug, then
# commit that file so the input stays a regression test.
set -uo pipefail
cd "$(dirname "$0")/.."

fuzztime=${1:-60s}
[[ $fuzztime =~ ^[0-9]+$ ]] && fuzztime=${fuzztime}s
filter=${2:-}

# package directory and target name of every fuzz test, e.g. "web FuzzRouter"
mapfile -t targets < <(grep -rE --include='*_test.go' -o '^func Fuzz[A-Za-z0-9_]*\(' . |
	grep -v -e '/testdata/' -e '/vendor/' |
	sed -E 's|^\./(.*)/[^/]+_test\.go:func (Fuzz[A-Za-z0-9_]*)\($|\1 \2|' | sort -u)

failed=()
ran=0
for t in "${targets[@]}"; do
	read -r dir name <<<"$t"
	if [[ -n $filter && ! "$dir/$name" =~ $filter ]]; then
		continue
	fi
	echo "=== ./$dir $name ($fuzztime)"
	ran=$((ran + 1))
	if ! go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "./$dir"; then
		failed+=("./$dir $name")
	fi
done

echo
echo "fuzzed $ran targets for $fuzztime each"
if ((${#failed[@]} > 0)); then
	echo "FAILED:"
	printf '  %s\n' "${failed[@]}"
	exit 1
fi
