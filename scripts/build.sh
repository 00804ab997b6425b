#!/usr/bin/env bash
# Build the whole site and every report from the evaluations: site/ (and reports inside it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh build
exec .venv/bin/zwpj build "$@"
