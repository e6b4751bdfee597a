#!/usr/bin/env bash
# Runs the whole test suite, installing what it needs first (Chromium for
# the browser tests). The README's test command; CI calls it too.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# 60 minutes, not go test's 10 per package: the tests take their budgets
# from t.Deadline(), and on a busy machine the slowest packages need more.
go test -race -count=1 -timeout 60m "$@" ./...
