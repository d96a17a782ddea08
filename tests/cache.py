"""The Redis cache of a test run: Django's own, except that ``clear()`` empties this run only.

Test runs (and pytest-xdist workers) share one Redis database, each under its own
``KEY_PREFIX`` (letters and digits only); Django's ``clear()`` would ``FLUSHDB`` the keys of
every run at once.
"""

from django.core.cache.backends.redis import RedisCache


class RunRedisCache(RedisCache):
    def clear(self):
        client = self._cache.get_client(None, write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
        return True
