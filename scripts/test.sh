#!/usr/bin/env bash
# Run the test suite (installs what it needs first, including Chromium for browser tests).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh test
exec .venv/bin/python -m pytest "$@"
