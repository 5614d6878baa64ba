# Obieg application image: web (gunicorn), Celery worker and beat all run from it (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=obieg.settings \
    STATIC_ROOT=/app/var/static \
    MEDIA_ROOT=/data/media

# OCR (Polish), PDF tools, file-type detection, msgfmt for compilemessages, and the DejaVu font the PDFs embed
# (printed registers, envelopes, return receipts, the dispatch book).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        tesseract-ocr tesseract-ocr-pol tesseract-ocr-eng poppler-utils ghostscript libmagic1 gettext \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home obieg

WORKDIR /app

# Dependencies first (the project itself installs no packages: the code runs from /app), so code changes reuse this layer.
COPY pyproject.toml README.md ./
RUN pip install .

COPY . .
# Catalogues and static files are baked into the image; the build needs no database.
RUN if find . -path ./var -prune -o -name '*.po' -path '*/LC_MESSAGES/*' -print | grep -q .; then \
        python manage.py compilemessages --ignore=var -v 0; \
    fi \
    && SECRET_KEY=build-only python manage.py collectstatic --noinput -v 0 \
    && mkdir -p /data/media /data/beat \
    && chown -R obieg:obieg /data

USER obieg
EXPOSE 8000
CMD ["gunicorn", "obieg.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120", \
     "--access-logfile", "-", "--forwarded-allow-ips", "*"]
