"""Gunicorn's settings for Caravana: ``gunicorn -c caravana/gunicorn.conf.py caravana.wsgi``.

The access log is on (standard output) with the tokens of secret links cut out of every
line: a rider's link is a key to where they sleep, and logs travel further than the
server (backups, log services). Gunicorn's own error log gets the same filter.

Anything here can be overridden on the command line (``--workers 4``, ``--bind``) or with
``GUNICORN_CMD_ARGS``.
"""

from gunicorn.glogging import Logger

from caravana.redact import RedactSecretLinks

bind = "127.0.0.1:8000"  # behind the TLS proxy, on the same machine
workers = 2
accesslog = "-"  # gunicorn's usual "combined" format, tokens redacted (also in the referrer)

_redact = RedactSecretLinks()


class PrivateLogger(Logger):
    """Gunicorn's logger with secret-link tokens redacted from access and error lines."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            log.addFilter(_redact)  # once: setup runs again on each reload


logger_class = PrivateLogger
