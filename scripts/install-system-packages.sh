#!/usr/bin/env bash
# Debian packages Blockwise uses: the Fashion-MNIST dataset (the default dataset, used by tests) and Chromium
# (browser mode without Electron, and the end-to-end tests through playwright-core). With --for-tests, also
# PyTorch (python3-torch): the export tests run the exported code in it; the app never needs it.
# Idempotent: does nothing when they are present. Needs root (or sudo) the first time.
set -euo pipefail
packages=(dataset-fashion-mnist chromium)
[ "${1:-}" = "--for-tests" ] && packages+=(python3-torch)
missing=()
for p in "${packages[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing Debian packages: ${missing[*]}"
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
