"""The Redis cache of a test run: Caravana's own, except that ``clear()`` empties this run only.

Test runs (and pytest-xdist workers) share one Redis database, each under its own
``KEY_PREFIX`` (letters and digits only); Django's ``clear()`` would ``FLUSHDB`` the keys of
every run at once.
"""

from caravana.cache import ResilientRedisCache


class RunRedisCache(ResilientRedisCache):
    def _clear_run(self):
        client = self._cache.get_client(None, write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
        return True

    def clear(self):
        self.local.clear()
        return self.attempt(self._clear_run, lambda: False)
