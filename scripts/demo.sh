#!/usr/bin/env bash
# Install Caravana, load the demo journey and start the development server.
# Usage: ./scripts/demo.sh            (then open http://127.0.0.1:8000/)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
export DEBUG="${DEBUG:-true}"
python manage.py migrate --no-input
python manage.py load_demo --coordinator demo
python manage.py runserver "${CARAVANA_ADDR:-127.0.0.1:8000}"
