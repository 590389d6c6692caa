"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py config.wsgi`.

Every value can be overridden from the environment (GUNICORN_* below, or
gunicorn's own GUNICORN_CMD_ARGS). Sync workers: the app is CPU- and
database-bound, each worker holds one persistent PostgreSQL connection.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}")
# (2 × cores) + 1: while one worker waits on PostgreSQL another uses the core.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))  # a stuck worker is killed and replaced
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so slow leaks cannot accumulate; jitter avoids all restarting at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Request-line and header limits (gunicorn answers 400/431 beyond them): huge query strings stop here.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# Import Django and the apps once in the master; workers fork with the code in memory and then
# build their own segmenter and gazetteer (post_worker_init) before taking requests.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"

# Behind a TLS-terminating proxy on the same host; widen with FORWARDED_ALLOW_IPS.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
if os.environ.get("LOG_FORMAT") == "json":
    access_log_format = (
        '{"time": "%(t)s", "remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", "query": "%(q)s", '
        '"status": %(s)s, "bytes": "%(B)s", "duration_us": %(D)s, "pid": "%(p)s", "user_agent": "%(a)s"}'
    )
else:
    access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(D)sus pid=%(p)s "%(a)s"'


def post_worker_init(worker):
    """Each worker, before its first request: the search segmenter and the gazetteer."""
    from config.warmup import warm_up

    worker.log.info("warm-up (worker %s) %s", worker.pid, "; ".join(warm_up()))
