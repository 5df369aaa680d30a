#!/usr/bin/env bash
# PostgreSQL for the store tests: Debian's `postgresql` (installed with apt-get when
# missing), a cluster started on localhost, a role and a test database. Appends
# DATELINE_TEST_PG=postgresql+psycopg://... to .test-env; tests make their own
# throw-away databases from it (the role may CREATEDB), so parallel runs never collide.
# The role is for this throw-away test cluster only. Its password is never a default:
# DATELINE_PG_PASSWORD when set, else the one already in .test-env, else a random one
# generated here; it is written only to .test-env and never printed.
# Safe to run again. Needs root (CI and `make test` run as root).
set -euo pipefail
cd "$(dirname "$0")/../.."

PG_USER=${DATELINE_PG_USER:-dateline}
# A password left in .test-env by an earlier run, so a rerun keeps the same role working.
previous_password() {
  [ -f .test-env ] || return 0
  sed -n 's|^DATELINE_TEST_PG=postgresql+psycopg://[^:]*:\([^@]*\)@.*|\1|p' .test-env | tail -1
}
PG_PASSWORD=${DATELINE_PG_PASSWORD:-$(previous_password)}
PG_PASSWORD=${PG_PASSWORD:-$(python3 -c 'import secrets; print(secrets.token_hex(16))')}
PG_DB=${DATELINE_PG_DB:-dateline_test}
PG_PORT=${DATELINE_PG_PORT:-5432}

log() { echo "postgres: $*" >&2; }

install_postgres() {
  command -v pg_lsclusters >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 && return
  [ "$(id -u)" = 0 ] || { log "not root and PostgreSQL is missing"; return 1; }
  log "installing Debian's postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q postgresql >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q postgresql >/dev/null; }
}

# The first cluster Debian knows of (creating one when there is none), as "VERSION NAME".
cluster() {
  local found
  found=$(pg_lsclusters -h 2>/dev/null | awk 'NR==1 {print $1, $2}')
  if [ -z "$found" ]; then
    local version
    version=$(ls /usr/lib/postgresql | sort -V | tail -1)
    pg_createcluster -p "$PG_PORT" "$version" main >/dev/null
    found="$version main"
  fi
  echo "$found"
}

start_cluster() {
  local version=$1 name=$2
  if ! pg_lsclusters -h | awk -v v="$version" -v n="$name" '$1==v && $2==n {print $4}' | grep -q online; then
    log "starting cluster $version/$name"
    # Without systemd (containers, CI) pg_ctlcluster starts the server directly.
    pg_ctlcluster "$version" "$name" start
  fi
  PG_PORT=$(pg_lsclusters -h | awk -v v="$version" -v n="$name" '$1==v && $2==n {print $3}')
}

psql_admin() { su postgres -c "psql -p $PG_PORT -v ON_ERROR_STOP=1 -qtA $*"; }

create_role_and_db() {
  if [ -z "$(psql_admin "-c \"SELECT 1 FROM pg_roles WHERE rolname='$PG_USER'\"")" ]; then
    psql_admin "-c \"CREATE ROLE $PG_USER LOGIN CREATEDB PASSWORD '$PG_PASSWORD'\""
  else  # a role from an older run may still have the old default password: set ours
    psql_admin "-c \"ALTER ROLE $PG_USER PASSWORD '$PG_PASSWORD'\""
  fi
  if [ -z "$(psql_admin "-c \"SELECT 1 FROM pg_database WHERE datname='$PG_DB'\"")" ]; then
    psql_admin "-c \"CREATE DATABASE $PG_DB OWNER $PG_USER\""
  fi
}

install_postgres
read -r VERSION NAME < <(cluster)
start_cluster "$VERSION" "$NAME"
create_role_and_db
URL="postgresql+psycopg://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB"
touch .test-env && chmod 600 .test-env
echo "DATELINE_TEST_PG=$URL" >> .test-env
log "ready: postgresql+psycopg://$PG_USER:***@127.0.0.1:$PG_PORT/$PG_DB (password in .test-env)"
