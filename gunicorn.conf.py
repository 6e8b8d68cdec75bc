"""Gunicorn settings for production (`gunicorn aktywizacja.wsgi`), read from the environment.

WEB_CONCURRENCY  worker processes (default 2; about 2 × CPU cores + 1 at most)
GUNICORN_BIND    address to listen on (default 0.0.0.0:8000)
GUNICORN_TIMEOUT seconds before a stuck worker is restarted (default 60: PDF reports)
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Recycle workers now and then, so that a slow leak never grows without bound.
max_requests = 1000
max_requests_jitter = 100
# Gunicorn ≥ 23 opens a control socket for `gunicornc`; nothing here uses it.
control_socket_disable = True
# One line per request on stdout, one per error on stderr: the container collects both.
accesslog = "-"
errorlog = "-"
# The path without its query string and no referrer: a search (`?q=`) may hold a PESEL
# or a name, and those never go into a log.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
