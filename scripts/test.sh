#!/usr/bin/env bash
# `npm test`: installs what the tests need when missing, then runs every suite:
# Vitest unit tests, integration tests on PGlite and on PostgreSQL, and Playwright specs in Chromium against `npm start`'s server.
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
ROOT=$PWD
OUT="$ROOT/.test-data"
mkdir -p "$OUT"
log() { printf '\n== %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
apt_updated=
apt_install() {
  [ -n "$apt_updated" ] || { as_root apt-get update -qq >/dev/null; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

log "npm packages"
if [ ! -x node_modules/.bin/next ] || [ ! -x node_modules/.bin/vitest ] || [ package.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund || exit 1
fi

log "system packages (Chromium, Go, OpenSSL)"
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v go >/dev/null || need+=(golang-go)
command -v openssl >/dev/null || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then echo "installing ${need[*]}"; apt_install "${need[@]}" || exit 1; fi

log "PostgreSQL for the integration tests"
pg_ok() { psql "$1" -Atqc 'select 1' >/dev/null 2>&1; }
PGURL="${TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if ! pg_ok "$PGURL" && [ -z "${TEST_PG_URL:-}" ]; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    for v in $(ls /etc/postgresql); do as_root pg_ctlcluster --skip-systemctl-redirect "$v" main start 2>/dev/null || true; done
    for _ in $(seq 1 30); do pg_ok "$PGURL" && break; sleep 1; done
  fi
  if ! pg_ok "$PGURL"; then
    # No usable server on 5432: a throw-away cluster with trust auth on its own port.
    command -v pg_ctlcluster >/dev/null || apt_install postgresql || exit 1
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    dir=/tmp/hookrelay-test-pg
    if [ ! -f "$dir/PG_VERSION" ]; then
      as_root rm -rf "$dir"; as_root mkdir -p "$dir"; as_root chown postgres "$dir"
      as_root runuser -u postgres -- "$bin/initdb" -D "$dir" -A trust -U postgres >/dev/null || exit 1
    fi
    as_root runuser -u postgres -- "$bin/pg_ctl" -D "$dir" -o "-p 55432 -k /tmp -c listen_addresses=127.0.0.1" -l "$dir/log" -w start >/dev/null || true
    PGURL=postgres://postgres@127.0.0.1:55432/postgres
  fi
fi
pg_ok "$PGURL" || { echo "PostgreSQL is not reachable at $PGURL"; exit 1; }
export TEST_PG_URL="$PGURL"
echo "using $TEST_PG_URL"

log "throw-away CA"
bash scripts/make-test-ca.sh "$OUT/ca" || exit 1
export HOOKRELAY_TEST_CA_DIR="$OUT/ca"
export NODE_EXTRA_CA_CERTS="$OUT/ca/ca.pem"

log "production build (into .next-test)"
NEXT_DIST_DIR=.next-test node_modules/.bin/next build || exit 1

status=0
log "Vitest: unit, then integration on PGlite and PostgreSQL"
node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile.json="$OUT/vitest.json" || status=1

log "Playwright in Chromium"
PLAYWRIGHT_JSON_OUTPUT_NAME="$OUT/playwright.json" node_modules/.bin/playwright test --reporter=list,json || status=1

node scripts/test-summary.mjs "$OUT/vitest.json" "$OUT/playwright.json"
exit $status
