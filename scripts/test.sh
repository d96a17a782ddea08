#!/usr/bin/env bash
# Install Caravana with its test tools and run the whole test suite.
# Usage: ./scripts/test.sh [pytest arguments]
# On PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/caravana ./scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
python -m pytest "$@"
