#!/usr/bin/env bash
# The full test suite: every rule's examples, the engine, model, loader, CLI and property tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec .venv/bin/python -m pytest "$@"
