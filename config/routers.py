"""Send reads to a read replica, writes (and reads that must see them) to the primary.

Enabled by ``DATABASE_REPLICA_URL`` (see settings): the ``replica`` alias is a
streaming copy of the same database, so relations between objects loaded from
either alias are allowed, and migrations only ever run on the primary.

A replica lags a little. Code that reads and then writes on what it read (an
editor's POST, the ingest command, an import) must read the primary, so reads
go to the replica only where that is known to be safe: inside a GET/HEAD/OPTIONS
request (``ReplicaReadsMiddleware`` marks them) or inside ``reads_from_replica()``.
Everything else, including management commands and the shell, reads the primary.
"""

from contextlib import contextmanager
from contextvars import ContextVar

PRIMARY = "default"
REPLICA = "replica"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


@contextmanager
def reads_from_replica(enabled: bool = True):
    """Within the block, reads that no write depends on go to the replica."""
    token = _replica_reads.set(enabled)
    try:
        yield
    finally:
        _replica_reads.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return instance._state.db  # follow the object's own alias for its relations
        return REPLICA if _replica_reads.get() else PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


class ReplicaReadsMiddleware:
    """Let read-only requests (GET, HEAD, OPTIONS) read from the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with reads_from_replica(request.method in SAFE_METHODS):
            return self.get_response(request)
