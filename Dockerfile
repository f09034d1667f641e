# Tremplin's production image: granian (the web service) or the background worker (same image, another command).
# Plain on purpose: the official Python image, Debian's packages, the pinned dependencies of pyproject.toml.
# compose.yaml runs it with PostgreSQL; docs/deployment.md explains both ways (this or `make prod`).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.prod \
    WEB_CONCURRENCY=3

# PDFs (WeasyPrint: Pango, a font), « Écouter » (espeak-ng, opusenc), backups (pg_dump, pg_restore).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core espeak-ng opus-tools postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system tremplin && useradd --system --gid tremplin --create-home --home-dir /home/tremplin tremplin

WORKDIR /app
COPY . /app
# Editable: settings find content/, templates and var/ beside manage.py (BASE_DIR), as on a plain machine.
RUN pip install -e . \
    && DJANGO_SECRET_KEY=build-only-not-used-at-run-time DJANGO_ALLOWED_HOSTS=localhost \
       DATABASE_URL=sqlite:////tmp/build.sqlite3 python manage.py collectstatic --noinput -v0 \
    && mkdir -p /app/var/backups /app/var/audio \
    && chown -R tremplin:tremplin /app/var

USER tremplin
EXPOSE 8000

# /sante/ answers 200 when the app and its database are up. The Host header must be an allowed host.
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
    CMD python -c "import os, urllib.request as u; h = os.environ['DJANGO_ALLOWED_HOSTS'].split(',')[0].strip().lstrip('.'); u.urlopen(u.Request('http://127.0.0.1:8000/sante/', headers={'Host': h}), timeout=4)"

# The options of the Procfile's web line (ADR 0016), listening on every interface of the container.
CMD ["sh", "-c", "exec granian --interface wsgi --host 0.0.0.0 --port 8000 --workers $WEB_CONCURRENCY --blocking-threads 1 --respawn-failed-workers --workers-kill-timeout 30 --log-level warning --no-access-log config.wsgi:application"]
