#!/usr/bin/env bash
# Obieg developer commands (see README.md):
#   ./obieg.sh demo [--port 8000]   run everything locally: embedded PostgreSQL/Redis unless DATABASE_URL/REDIS_URL are set
#   ./obieg.sh test [pytest args]   ruff + makemigrations --check + pytest -n 2 (what CI runs)
#   ./obieg.sh manage <args>        manage.py, against the running demo's services
#   ./obieg.sh ping                 one Celery round trip against the running demo
# The first run creates .venv (or $OBIEG_VENV) with Python 3.11 and installs the project with `pip install -e .[dev]`;
# later runs reinstall only when pyproject.toml changed. OBIEG_SKIP_INSTALL=1 skips the install check.
set -euo pipefail
cd "$(dirname "$0")"

VENV="${OBIEG_VENV:-.venv}"

find_python() {
    for candidate in "${PYTHON:-}" python3.11 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return
        fi
    done
    echo "obieg.sh: Python 3.11 is required (set PYTHON=/path/to/python3.11)" >&2
    exit 1
}

ensure_venv() {
    if [ ! -x "$VENV/bin/python" ]; then
        echo "[obieg] creating $VENV"
        "$(find_python)" -m venv "$VENV"
    fi
    [ "${OBIEG_SKIP_INSTALL:-0}" = "1" ] && return
    local stamp="$VENV/.obieg-install" want
    want="$(pwd) $(sha256sum pyproject.toml | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        echo "[obieg] installing the project and its dependencies into $VENV (pip install -e .[dev])"
        "$VENV/bin/python" -m pip install -q --upgrade pip
        "$VENV/bin/python" -m pip install -q -e '.[dev]'
        echo "$want" > "$stamp"
    fi
}

command="${1:-help}"
[ $# -gt 0 ] && shift
case "$command" in
    demo | test | ping)
        ensure_venv
        exec "$VENV/bin/python" -m obieg.devserver "$command" "$@"
        ;;
    manage)
        ensure_venv
        if [ -z "${DATABASE_URL:-}" ] && [ -f var/demo.env ]; then
            set -a; . var/demo.env; set +a
        fi
        exec "$VENV/bin/python" manage.py "$@"
        ;;
    *)
        sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
        [ "$command" = help ] || [ "$command" = -h ] || [ "$command" = --help ]
        ;;
esac
