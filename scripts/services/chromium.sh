#!/usr/bin/env bash
# Debian's chromium for the browser tests (Playwright drives it by executable path;
# browsers are never downloaded by Playwright). Installed with apt-get when missing;
# appends DATELINE_CHROMIUM to .test-env so the tests find it. Safe to run again.
set -eu
cd "$(dirname "$0")/../.."
find_chromium() {
  for candidate in /usr/bin/chromium /usr/bin/chromium-browser; do
    [ -x "$candidate" ] && { echo "$candidate"; return 0; }
  done
  return 1
}
if ! path=$(find_chromium); then
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
    echo "chromium: not installed and not root; browser tests will skip" >&2
    exit 1
  fi
  as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  echo "chromium: installing Debian's chromium with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y -q --no-install-recommends chromium >/dev/null 2>&1 \
    || { as_root apt-get update -q >/dev/null && as_root apt-get install -y -q --no-install-recommends chromium >/dev/null; }
  path=$(find_chromium)
fi
touch .test-env
grep -v '^DATELINE_CHROMIUM=' .test-env > .test-env.tmp || true
mv .test-env.tmp .test-env
echo "DATELINE_CHROMIUM=$path" >> .test-env
echo "chromium: $path" >&2
