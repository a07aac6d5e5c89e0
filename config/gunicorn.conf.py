"""gunicorn settings of `make serve` (docs/deployment.md). Every value can be overridden on the command line
or with GUNICORN_CMD_ARGS."""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("HOST", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # PDFs of a whole month take a few seconds
graceful_timeout = 30
max_requests = 1000  # recycle workers now and then (WeasyPrint holds memory)
max_requests_jitter = 100
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# CTL-8/CTL-9: the access log never holds a query string (the residents' search box takes ID numbers and
# names): %(U)s is the path without the query, and the referer (which carries the previous page's query)
# is not logged.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss "%(a)s"'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
