#!/usr/bin/env bash
# Creates .venv and installs hocr-rules with its test dependencies, once; later runs reuse it until
# pyproject.toml changes. Needs only Python 3.11+ and a C compiler (durable-rules builds from source).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
VENV=${HOCR_VENV:-.venv}
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.hocr-installed"
want=$(cat pyproject.toml scripts/bootstrap.sh | "$VENV/bin/python" -c 'import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setting up $VENV (first run only) ..." >&2
  # durable-rules 2.0.28 does not build against Python 3.13+ without this define (see DEVELOPERS.md)
  export CPPFLAGS="${CPPFLAGS:-} -DPyEval_CallObject=PyObject_CallObject"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[test,durable]" >&2
  echo "$want" > "$stamp"
fi
