"""Gunicorn settings for production (and for bench/answer_save.py, which runs the app and its
baseline with exactly these settings). Read by `gunicorn` from the current folder:

    gunicorn app:app                    # from the project folder, with the environment below

Every value can be changed with an environment variable (names below). See README, "Productie".
"""
import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


wsgi_app = "app:app"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Threads share a process (and its database connection pool); processes use all cores. With
# SQLite keep one host; with PostgreSQL add workers or hosts behind the load balancer.
workers = _int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9))
worker_class = "gthread"
# Two threads per worker: one can wait for the database while the other runs. More threads mostly
# wait for Python's GIL: bench/answer_save.py saved more per second with 2 than with 4
# (bench/README.md#figures-behind-the-code).
threads = _int("GUNICORN_THREADS", 2)
# How many open connections one worker takes (gthread counts idle keep-alive ones too). A worker
# that accepts every connection keeps them all and works on one core while the others idle (seen in
# bench/answer_save.py; bench/README.md#figures-behind-the-code). A low cap spreads the tablets over
# the workers; the whole server takes workers × worker_connections connections at once.
worker_connections = _int("GUNICORN_WORKER_CONNECTIONS", 8 * threads)
# Keep the connection of a tablet open between two saves: no new TCP/TLS handshake per answer.
keepalive = _int("GUNICORN_KEEPALIVE", 15)
timeout = _int("GUNICORN_TIMEOUT", 60)  # the report PDF of a big project takes a while
graceful_timeout = 30
# A fresh process now and then: a slow memory leak can never grow without end.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = 500
# Load the app in every worker, not in the master: no database connection crosses a fork.
preload_app = False
# The load balancer or reverse proxy in front sets X-Forwarded-*; trust only that address.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None  # "-" for stdout
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# Request lines and headers of a normal browser fit easily; anything larger is refused.
limit_request_line = 8190
limit_request_field_size = 8190


def on_starting(server):
    """Tell the app how many workers serve it (the final count, after options such as -w): in
    production it refuses to count failed logins per process when there is more than one
    (peerinterview/config.py, check_failure_counts_are_shared). The workers inherit this."""
    os.environ["PEERINTERVIEW_WORKER_PROCESSES"] = str(server.cfg.workers)


on_reload = on_starting  # a HUP reads this file again, perhaps with another worker count
