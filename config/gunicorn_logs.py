"""gunicorn's error and access logs through :class:`config.logs.EscapingFormatter` (the
Makefile's ``serve`` passes ``--logger-class config.gunicorn_logs.Logger``): a request path
holding an encoded line break (``/%0AINFO...``) is written as one escaped line."""

import logging

from gunicorn.glogging import Logger as GunicornLogger

from .logs import EscapingFormatter


class Logger(GunicornLogger):
    """gunicorn's logger, every handler's formatter replaced by an escaping one with the same
    format (gunicorn's defaults or ``--access-logformat``)."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                old = handler.formatter or logging.Formatter()
                handler.setFormatter(EscapingFormatter(old._fmt, old.datefmt))
