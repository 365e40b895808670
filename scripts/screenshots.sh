#!/usr/bin/env bash
# `npm run screenshots`: regenerates the README's screenshots (docs/*.png) from the real pages in Chromium.
# Not part of `npm test`. Uses the test build (.next-test, built when missing) and a fresh embedded database.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 NEXT_DIST_DIR="${NEXT_DIST_DIR:-.next-test}"
bash scripts/make-test-ca.sh .test-data/ca
export HOOKRELAY_TEST_CA_DIR="$PWD/.test-data/ca" NODE_EXTRA_CA_CERTS="$PWD/.test-data/ca/ca.pem"
[ -f "$NEXT_DIST_DIR/BUILD_ID" ] || node_modules/.bin/next build
mkdir -p docs
HOOKRELAY_SCREENSHOTS=1 node_modules/.bin/playwright test e2e/screenshots.spec.ts --reporter=list
ls -l docs/*.png
