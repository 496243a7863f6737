#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium for the browser test, installing it with
# apt-get when it is missing (which needs root). Used by .ci/run and by `npm run test:browser`,
# so that `npm test` works as the README says on a fresh machine.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi
echo "/usr/bin/chromium is missing: installing Debian's chromium package for the browser test"
if [ "$(id -u)" -ne 0 ]; then
  echo "installing it needs root: run as root, or install Debian's chromium package first" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update
apt-get -o DPkg::Lock::Timeout=600 install -y chromium
