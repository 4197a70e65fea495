#!/bin/sh
# Installs the Debian packages the tests use, when they are missing:
#   chromium, chromium-driver  the dashboard's browser test (real headless Chromium via Selenium)
#   sqlite3                    the mirror's tampering test (edits a mirror file with the sqlite3 shell)
# Run by Maven in the process-test-classes phase (exec-maven-plugin); safe to run by hand, idempotent,
# and instant when everything is there. Installs only as root with apt-get; otherwise it prints the
# command to run, and the tests that need the packages fail saying what is missing.
set -eu

missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
[ -x /usr/bin/chromedriver ] || missing="$missing chromium-driver"
command -v sqlite3 >/dev/null 2>&1 || missing="$missing sqlite3"

if [ -z "$missing" ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "test-setup: missing Debian packages:$missing" >&2
  echo "test-setup: install them with: sudo apt-get install -y$missing (tests that need them will fail)" >&2
  exit 0
fi
echo "test-setup: installing$missing with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >&2
