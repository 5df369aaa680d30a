#!/usr/bin/env bash
# Installs and starts what the test suite needs beyond Python (PostgreSQL, Debian's
# chromium: browsers are never downloaded). Each scripts/services/*.sh appends the
# variables its tests read (DATELINE_TEST_PG, DATELINE_CHROMIUM, ...) to .test-env.
# Safe to run again; a service that cannot be had is reported, and its tests skip.
set -u
cd "$(dirname "$0")/.."
: > .test-env
for script in scripts/services/*.sh; do
  [ -e "$script" ] || continue
  bash "$script" || echo "test services: $script failed; its tests will skip" >&2
done
