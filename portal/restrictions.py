"""The page view restrictions, as every request must know them at its start.

A restriction made in any way (the admin, ``bulk_create``, a queryset
``update()``, SQL) must be in force for the next request on every server
(DESIGN §5: no view-restriction decision is kept past the change that alters
it). The simplest way is to read the table first thing in every request; on
SQLite, and whenever what follows cannot be relied on, that is what happens.

On PostgreSQL each process knows them without that query:

* a trigger (migration ``portal.0009``) sends a notification on the channel
  ``CHANNEL`` after every statement that changes the table, whoever runs it.
  It fires in a replica session too (``ENABLE ALWAYS``);
* each process keeps one connection of its own that listens on the channel,
  and keeps the rows it read after it started listening;
* at the start of each request it sends that connection an empty query and
  waits for the answer (one round trip, no table read). PostgreSQL delivers
  the notifications of every transaction committed before the query arrived
  ahead of its answer, so a change committed before the request began is
  always seen; then the rows are read again.

The rows are read again, too, after the listening connection was opened (or
reopened after a failure), in a new process, and at the latest every
``RESTRICTION_WATCH_SECONDS`` (the connection is replaced then, and the trigger
checked again). Reversing the migration tells every listening process that
the trigger is gone. Without the trigger, or when anything about the listening
connection fails, the table is read, as on SQLite: it fails closed, never open.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection

logger = logging.getLogger(__name__)

CHANNEL = "portal_page_view_restrictions"
TRIGGER = "portal_page_view_restrictions_changed"
#: The payload sent when the trigger is dropped.
STOPPED = b"stopped"


def read_restrictions() -> tuple:
    """Every page view restriction as (id, page_id, restriction_type), from the database.

    It reopens, once, a kept connection the server dropped (a restart, a failover)."""
    try:
        return _restriction_rows()
    except (OperationalError, InterfaceError):
        if connection.in_atomic_block:
            raise
        connection.close()
        return _restriction_rows()


def _restriction_rows() -> tuple:
    from wagtail.models import PageViewRestriction

    table = connection.ops.quote_name(PageViewRestriction._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, page_id, restriction_type FROM {table} ORDER BY id")
        return tuple(cursor.fetchall())


def current_restrictions() -> tuple:
    """The page view restrictions as they are now: every change committed before this call is in them."""
    if not _may_watch():
        return read_restrictions()
    return _WATCH.restrictions()


def _may_watch() -> bool:
    # Inside a transaction (a test's), this connection may hold changes of its
    # own that nobody has been notified of yet.
    return (
        connection.vendor == "postgresql"
        and getattr(settings, "RESTRICTION_WATCH_SECONDS", 0) > 0
        and not connection.in_atomic_block
    )


class _Watch:
    """One process's listening connection and the rows it has read since."""

    def __init__(self):
        self.lock = threading.Lock()
        self.listener = None
        self.pid: int | None = None
        self.opened_at = 0.0
        self.rows: tuple | None = None
        #: After a failure to listen, when to try again (time.monotonic()); until then the table is read.
        self.retry_at = 0.0

    def restrictions(self) -> tuple:
        with self.lock:
            try:
                if not self._still_listening():
                    if time.monotonic() < self.retry_at:
                        return read_restrictions()
                    self._listen()
            except Exception as error:  # noqa: BLE001 - any failure: read the table, as without the watch
                self.close()
                self.retry_at = time.monotonic() + settings.RESTRICTION_WATCH_SECONDS
                logger.warning(
                    "Page view restrictions are read on every request for %s s: cannot listen for changes (%s).",
                    settings.RESTRICTION_WATCH_SECONDS,
                    error,
                )
                return read_restrictions()
            if self.rows is None:
                self.rows = read_restrictions()
            return self.rows

    def _still_listening(self) -> bool:
        """True when the connection still listens and nothing changed since the rows were read
        (then they stay); False when it must be opened again."""
        import psycopg

        if self.listener is None or self.pid != os.getpid():
            return False
        if time.monotonic() - self.opened_at > settings.RESTRICTION_WATCH_SECONDS:
            self.close()
            return False
        pgconn = self.listener.pgconn
        # The fence: an empty query's answer comes after every notification
        # committed before it arrived.
        try:
            status = pgconn.exec_(b"").status
        except psycopg.Error:
            status = None
        if status != psycopg.pq.ExecStatus.EMPTY_QUERY:
            # Dropped (a restart, a failover): opened again, and the rows read again.
            self.close()
            return False
        listening = True
        while (notification := pgconn.notifies()) is not None:
            self.rows = None
            # The trigger was taken away (migration portal.0009 reversed).
            listening = listening and notification.extra != STOPPED
        if not listening:
            self.close()
        return listening

    def _listen(self) -> None:
        import psycopg

        self.rows = None
        params = connection.get_connection_params()
        listener = psycopg.connect(**params, autocommit=True)
        try:
            listener.execute(f"LISTEN {CHANNEL}")
            if not _trigger_in_force(listener):
                raise RuntimeError(f"the trigger {TRIGGER} is missing or not enabled always")
        except BaseException:
            listener.close()
            raise
        self.listener, self.pid, self.opened_at = listener, os.getpid(), time.monotonic()

    def close(self) -> None:
        listener, self.listener, self.rows = self.listener, None, None
        if listener is not None and self.pid == os.getpid():
            try:
                listener.close()
            except Exception:  # noqa: BLE001, S110 - a broken connection is dropped either way
                pass


def _trigger_in_force(listener) -> bool:
    from wagtail.models import PageViewRestriction

    row = listener.execute(
        "SELECT tgenabled FROM pg_trigger WHERE tgname = %s AND tgrelid = %s::regclass",
        (TRIGGER, PageViewRestriction._meta.db_table),
    ).fetchone()
    return row is not None and row[0] == "A"


_WATCH = _Watch()


def stop_watching() -> None:
    """Close this process's listening connection (the next request opens it again)."""
    with _WATCH.lock:
        _WATCH.close()
        _WATCH.retry_at = 0.0
