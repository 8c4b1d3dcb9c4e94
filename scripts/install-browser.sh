#!/usr/bin/env bash
# Install Debian's chromium for the end-to-end browser test (tests/test_browser.py), which
# Playwright drives through executable_path: Playwright never downloads a browser of its own.
# Does nothing when chromium is present; as a non-root user it only says how to install it
# (the browser test then skips, except in CI where a missing browser is a failure).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "note: /usr/bin/chromium is missing; the browser test will be skipped." >&2
  echo "      install it with: sudo apt-get install chromium" >&2
  exit 0
fi
echo "installing chromium for the browser test (apt)..." >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
