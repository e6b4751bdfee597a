#!/usr/bin/env bash
# Installs what the test suite needs beyond Go: Debian's Chromium for the
# browser tests and a CJK font so its screenshots show Chinese. Safe to run
# again; needs root (or sudo) only when something is missing.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
dpkg -s fonts-wqy-zenhei >/dev/null 2>&1 || need+=(fonts-wqy-zenhei)
if [ ${#need[@]} -gt 0 ]; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo apt-get update -q
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${need[@]}"
fi
# axe-core, the accessibility checker the browser test injects into each
# page (MPL-2.0; kept in the user's cache, never in the repository). The
# test reads it from there, or from $CORPUS_AXE.
axe_dir="${XDG_CACHE_HOME:-$HOME/.cache}/corpus/axe"
if [ ! -f "$axe_dir/node_modules/axe-core/axe.min.js" ]; then
	if ! command -v npm >/dev/null 2>&1; then
		sudo=""
		[ "$(id -u)" -eq 0 ] || sudo="sudo"
		$sudo apt-get update -q
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends npm
	fi
	npm install --prefix "$axe_dir" --no-audit --no-fund axe-core@4
fi
go mod download
