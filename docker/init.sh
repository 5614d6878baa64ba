#!/bin/sh
# One-shot deployment step (the `web-init` service): migrate, then (re)build the search index when the project has a
# reindex command. Catalogues and static files are already compiled into the image. Safe to run on every deploy.
set -eu
cd /app

has_command() { python manage.py help "$1" >/dev/null 2>&1; }

echo "[init] migrate"
python manage.py migrate --noinput

if has_command search_reindex; then
    echo "[init] search_reindex --if-needed"
    python manage.py search_reindex --if-needed
else
    echo "[init] no search_reindex command yet: skipping the search index"
fi

if [ "${OBIEG_LOAD_DEMO:-0}" = "1" ] && has_command load_demo; then
    echo "[init] load_demo (OBIEG_LOAD_DEMO=1)"
    python manage.py load_demo
fi
echo "[init] done"
