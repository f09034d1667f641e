"""gunicorn, the production server (ADR 0016, docs/deployment.md). Each value can be changed from the environment.

Sync workers: one request at a time per process, the shape measured in bench/bench_servers.py. Behind nginx or
Caddy, which buffer slow clients, sync workers are gunicorn's recommended setup."""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("TREMPLIN_BIND", "127.0.0.1:8000")
# gunicorn's rule of thumb is 2 × cores + 1; memory (≈ 120 MB a worker) is the other limit.
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2 + 1)))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))  # a request still running after it: worker replaced
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (with jitter), bounding any slow leak.
max_requests = 2000
max_requests_jitter = 200
# Access lines are written by the app itself (tremplin.lib.request_log: route pattern, no path, no address).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "tremplin"
