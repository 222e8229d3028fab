#!/usr/bin/env bash
# The test command: builds everything and runs every test against real PostgreSQL and Kafka
# (started and stopped by the tests themselves). Installs what is missing first. See README.md.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/env.sh
ensure_java
ensure_postgres
if [ -x system-tests/src/test/browser/setup.sh ]; then
  system-tests/src/test/browser/setup.sh
fi
exec ./mvnw -B verify "$@"
