#!/usr/bin/env bash
# Runs the whole test suite: unit, protocol, fuzz and end-to-end tests with real peers.
# Installs the system tools the tests need from Debian packages when they are missing (as root);
# otherwise stops and says what to install.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# command -> Debian package that provides it
declare -A tools=(
  [chromium]=chromium
  [nats-server]=nats-server
  [ffmpeg]=ffmpeg
  [ip]=iproute2
  [nft]=nftables
)

missing=()
for cmd in "${!tools[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${tools[$cmd]}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing test tools: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "The tests need these Debian packages: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

use_jdk
cd "$relaymesh_root"
exec ./mvnw -B verify "$@"
