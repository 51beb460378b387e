#!/usr/bin/env bash
# Debian packages the tests, the explorer, the grader and the contracts need: chromium (real-browser
# tests, driven by Playwright with executable_path=/usr/bin/chromium; never `playwright install`), a CJK
# font (so Chinese text renders as characters, not boxes, in the browser and in screenshots),
# bubblewrap (`bwrap`: the grader runs every learner's notebook in its sandbox, see grader/sandbox.py),
# and nodejs + npm (the offline Solidity compiler: solc-js, installed under contracts/ by `npm ci`).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-noto-cjk)
command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
[ ${#need[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${need[*]}"
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
  echo "need root (or sudo) to install: ${need[*]}" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" fontconfig >/dev/null
