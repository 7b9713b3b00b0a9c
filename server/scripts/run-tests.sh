#!/usr/bin/env bash
# Runs every server test file once, then prints the OpenAPI coverage line.
# Extra arguments go to `node --test`; arguments naming *.test.ts files replace the full list,
# e.g. `npm test -- server/test/support/openapi.test.ts`.
set -euo pipefail

cd "$(dirname "$0")/../.."

FLUXER_COVERAGE_DIR="$(mktemp -d "${TMPDIR:-/tmp}/fluxer-coverage.XXXXXX")"
export FLUXER_COVERAGE_DIR
trap 'rm -rf "$FLUXER_COVERAGE_DIR"' EXIT

options=()
files=()
for arg in "$@"; do
  case "$arg" in
    *.test.ts) files+=("$arg") ;;
    *) options+=("$arg") ;;
  esac
done

# Node 20's --test does not expand globs itself, so the list is built here.
if [ "${#files[@]}" -eq 0 ]; then
  mapfile -t files < <(find server/test server/src bench app/renderer/test -type f -name '*.test.ts' -not -path '*/node_modules/*' 2>/dev/null | LC_ALL=C sort)
fi

if [ "${#files[@]}" -eq 0 ]; then
  echo "run-tests: no *.test.ts files found under server/test or server/src" >&2
  exit 1
fi

status=0
node --import tsx --test --test-concurrency=1 --test-reporter=spec "${options[@]}" "${files[@]}" || status=$?

npx tsx server/scripts/coverage-report.ts || echo "run-tests: coverage report failed" >&2

exit "$status"
