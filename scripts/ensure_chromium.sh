#!/bin/sh
# Make sure a headless-capable Chromium is available at /usr/bin/chromium.
#
# Idempotent: does nothing when /usr/bin/chromium already exists. Otherwise, when running as
# root, installs the Debian package `chromium` with apt-get (the only browser source reachable
# from this project's machines and CI; Playwright's own browser download is not used). Prints
# what it did. Exit status: 0 when Chromium is present afterwards, 1 otherwise.
set -eu

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

if [ -x "$CHROMIUM" ]; then
    echo "ensure_chromium: already installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "ensure_chromium: $CHROMIUM is missing and this is not root; run as root:" >&2
    echo "    apt-get update && apt-get install -y chromium" >&2
    exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_chromium: $CHROMIUM is missing and apt-get is not available; install Chromium with your system's package manager" >&2
    exit 1
fi

echo "ensure_chromium: installing the Debian package 'chromium' with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null

if [ -x "$CHROMIUM" ]; then
    echo "ensure_chromium: installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
    exit 0
fi
echo "ensure_chromium: apt-get finished but $CHROMIUM is still missing" >&2
exit 1
