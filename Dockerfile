# Aktywizacja: the application image (gunicorn + whitenoise). See README, "Production".
#   docker build -t aktywizacja .
# The same image runs the web server (default command), the migrations and the
# background worker (compose.yaml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# The packages of .ci/system-packages: GNU gettext (compilemessages) and what WeasyPrint
# loads for the PDF reports, with a font that has the Polish letters.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Build time needs no database and no real secret: a throwaway key for this step only
# (the settings refuse to start without one when DEBUG is off).
RUN export DEBUG=0 SECRET_KEY=build-time-only-not-used-at-run-time \
    && python manage.py compilemessages --ignore='.venv' -v0 \
    && python manage.py collectstatic --no-input -v0

RUN groupadd --system --gid 10001 aktywizacja \
    && useradd --system --uid 10001 --gid aktywizacja --no-create-home --shell /usr/sbin/nologin aktywizacja
USER aktywizacja

EXPOSE 8000
# Django answers only to ALLOWED_HOSTS: the probe sends the first of them as Host.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request as r; h = os.environ.get('ALLOWED_HOSTS', 'localhost').split(',')[0].strip().lstrip('.').replace('*', 'localhost'); r.urlopen(r.Request('http://127.0.0.1:8000/zdrowie/', headers={'Host': h}), timeout=4)"

# Workers: WEB_CONCURRENCY (gunicorn.conf.py, default 2); timeouts and log format there too.
CMD ["gunicorn", "aktywizacja.wsgi", "--config", "gunicorn.conf.py", "--bind", "0.0.0.0:8000", "--no-control-socket", "--access-logfile", "-"]
