#!/usr/bin/env bash
# Runs the whole test suite, installing what it needs first (Chromium for
# the browser tests). The README's test command; CI calls it too.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
go test -race -count=1 "$@" ./...
