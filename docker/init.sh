#!/bin/sh
# One-shot deployment step (the `web-init` service): migrate, then (re)build the search index when the project has a
# reindex command. Catalogues and static files are already compiled into the image. Safe to run on every deploy.
set -eu
cd /app

has_command() { python manage.py help "$1" >/dev/null 2>&1; }

echo "[init] migrate"
python manage.py migrate --noinput

# First deploy (or SEARCH_REBUILD=1): build the index behind its alias; later deploys only repair differences
# (they go through the outbox, so the running index stays available).
if [ "${SEARCH_REBUILD:-0}" = "1" ] || [ ! -f /data/media/.search-built ]; then
    echo "[init] search_rebuild"
    python manage.py search_rebuild --no-progress
    touch /data/media/.search-built
else
    echo "[init] search_check --repair"
    python manage.py search_check --repair
fi

if [ "${OBIEG_LOAD_DEMO:-0}" = "1" ] && has_command load_demo; then
    echo "[init] load_demo (OBIEG_LOAD_DEMO=1)"
    python manage.py load_demo
fi
echo "[init] done"
