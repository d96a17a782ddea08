"""Running work in threads released at the same instant, each on its own database connection
(tests marked ``needs_postgresql`` and ``django_db(transaction=True)``)."""

import threading

from django.core.exceptions import ValidationError
from django.db import connection


def run_together(work, count):
    """Run ``work(i)`` in ``count`` threads released at the same instant; return outcomes:
    "ok", or the ValidationError a thread's work raised."""
    barrier = threading.Barrier(count)
    outcomes = [None] * count

    def worker(i):
        try:
            barrier.wait()
            work(i)
            outcomes[i] = "ok"
        except ValidationError as error:
            outcomes[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes
