#!/bin/sh
# Run a python test script (the log compiler of tests/*.py); a machine
# without python3 skips it (77) rather than passing or failing it.
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
# No __pycache__ in the source tree (read-only under make distcheck).
PYTHONDONTWRITEBYTECODE=1 exec python3 "$@"
