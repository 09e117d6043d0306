#!/usr/bin/env bash
# Chromium for the browser test (tests/test_browser.py): Debian's package, installed when
# /usr/bin/chromium is missing. Playwright drives it through `executable_path`; its own browser
# builds are never downloaded.
#
# Exit 0 when Chromium is there (or was just installed). Otherwise exit 1 with one last line on
# stderr saying why (no apt-get, not root, the install failed): the test prints it when it skips.
# Called by the test's fixture and by .ci/run before `make test`; safe to run side by side (a lock).
set -uo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "chromium is missing and there is no apt-get to install it (install Chromium at $CHROMIUM)" >&2
    exit 1
fi
if [ "$(id -u)" != 0 ]; then
    echo "chromium is missing and installing it needs root (as root: apt-get install chromium)" >&2
    exit 1
fi

# One install at a time: pytest-xdist's workers each ask for it.
exec 9>/tmp/baixiao-setup-browser.lock
flock 9
if [ -x "$CHROMIUM" ]; then  # another worker installed it while this one waited
    exit 0
fi

echo "installing Chromium (Debian's package chromium) for the browser test" >&2
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
if ! { apt-get -o DPkg::Lock::Timeout=300 update -q \
        && apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends chromium; } >"$log" 2>&1; then
    tail -n 15 "$log" >&2
    reason=$(grep -E '^(E|Err):' "$log" | tail -n 1)
    rm -f "$log"
    echo "chromium could not be installed with apt-get: ${reason:-see the lines above} (no network?)" >&2
    exit 1
fi
rm -f "$log"
if [ ! -x "$CHROMIUM" ]; then
    echo "apt-get installed chromium but $CHROMIUM is not there" >&2
    exit 1
fi
echo "installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)" >&2
