#!/usr/bin/env bash
# The main job on the bundled examples: check every example incident against the rule pack.
# Exit status as `hocr check`: 1 means breaches were found (the examples contain them on purpose).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec .venv/bin/hocr check examples/incidents.jsonl "$@"
