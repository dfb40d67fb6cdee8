#!/usr/bin/env bash
# The full test suite: every rule's examples, the engine, model, loader, CLI and property tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
# Two worker processes (CI and developers' machines have 2 cores): the suite is mostly CPU-bound, so this about
# halves it. Each worker is its own process, so durable-rules' process-global ruleset names and the tests' pack
# cache (tests/conftest.py) never meet. Plain `pytest` without -n runs the same tests in one process.
exec .venv/bin/python -m pytest -n "${HOCR_TEST_WORKERS:-2}" "$@"
