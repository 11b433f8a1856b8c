"""One warning per outage of the shared cache, instead of a traceback per cache call.

When Redis is down, django-redis (``IGNORE_EXCEPTIONS``) turns every cache
call into a miss and logs the error it ignored, with its traceback: dozens per
request. ``CacheOutageFilter``, set in ``LOGGING`` on the loggers that report
cache failures (``DJANGO_REDIS_LOGGER`` and the rate limits), lets the first
report of an outage through as one short warning without the traceback, then
at most one reminder per interval (with how many errors it held back), and
drops the rest.

The end of an outage is noticed cheaply: after a request, while this process
knows of an outage, the cache is pinged at most once per ``probe_interval``
seconds; the first ping that answers logs one record saying the cache is back.

The state is per process (each app server and worker says it once) and
guarded by a lock, so threads of one process share it safely.
"""

from __future__ import annotations

import logging
import threading
import time

logger = logging.getLogger("portal.cache.outage")


class CacheOutage:
    """What this process knows about the shared cache being unreachable."""

    def __init__(self, *, interval: float = 60.0, probe_interval: float = 10.0, clock=time.monotonic):
        self.interval = interval
        self.probe_interval = probe_interval
        self.clock = clock
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Forget any outage (the process starts afresh)."""
        with self._lock:
            self.down_since: float | None = None
            self.last_reported: float | None = None
            self.last_probe: float | None = None
            self.held_back = 0
            self.failures = 0

    @property
    def is_down(self) -> bool:
        return self.down_since is not None

    def failure(self, error: BaseException | None) -> str | None:
        """A cache call failed: the message to log now, or None to stay quiet."""
        now = self.clock()
        reason = f" ({error})" if error is not None else ""
        with self._lock:
            self.failures += 1
            if self.down_since is None:
                self.down_since = self.last_reported = self.last_probe = now
                self.held_back = 0
                return f"The shared cache is unreachable; the site serves uncached until it is back{reason}."
            if now - self.last_reported < self.interval:
                self.held_back += 1
                return None
            held_back, self.held_back, self.last_reported = self.held_back, 0, now
            minutes = int((now - self.down_since) // 60)
            return (
                f"The shared cache is still unreachable after {minutes} min; the site serves uncached"
                f" ({held_back} more cache errors not logged){reason}."
            )

    def recovered(self) -> str | None:
        """The cache answered: the message to log if it was down, else None."""
        with self._lock:
            if self.down_since is None:
                return None
            seconds = int(self.clock() - self.down_since)
            held_back = self.held_back
            self.down_since = self.last_reported = self.last_probe = None
            self.held_back = 0
        return f"The shared cache is reachable again after {seconds} s ({held_back} more cache errors not logged)."

    def probe_due(self) -> bool:
        """Whether to ping the cache now (during an outage, once per probe interval)."""
        if self.down_since is None:
            return False
        now = self.clock()
        with self._lock:
            if self.down_since is None or (self.last_probe is not None and now - self.last_probe < self.probe_interval):
                return False
            self.last_probe = now
            return True


#: This process's view of the shared cache.
cache_outage = CacheOutage()


class CacheOutageFilter(logging.Filter):
    """A logging filter for loggers whose records all mean "a cache call failed".

    Lets one record through per outage (and one reminder per `interval`
    seconds), as a warning with a short reason and no traceback.
    """

    def __init__(self, interval: float = 60.0, probe_interval: float = 10.0):
        super().__init__()
        cache_outage.interval = interval
        cache_outage.probe_interval = probe_interval

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        message = cache_outage.failure(error)
        if message is None:
            return False
        record.msg, record.args = message, None
        record.exc_info = record.exc_text = record.stack_info = None
        record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        return True


def _cache_answers() -> bool:
    try:
        from django_redis import get_redis_connection

        return bool(get_redis_connection("default").ping())
    except (ImportError, NotImplementedError):  # not a Redis cache: nothing to ping
        return True
    except Exception:  # noqa: BLE001 - still down, whatever the error
        return False


def check_recovery(**kwargs) -> None:
    """After a request (`request_finished`): during an outage, ping the cache
    now and then, and say so once when it answers again."""
    if not cache_outage.probe_due():
        return
    if _cache_answers():
        message = cache_outage.recovered()
        if message:
            logger.warning(message)
