"""Load what the first request would otherwise wait for: jieba's dictionary, the gazetteer.

gunicorn calls :func:`warm_up_segmenter` once in the master before it forks
(the dictionary is static, so workers share it) and :func:`warm_up_gazetteer`
in every worker as it starts (the gazetteer is built from the database, so a
recycled worker gets the editors' latest aliases). Both tolerate the modules
not existing yet and a database that is not migrated: a server must start even
when the warm-up cannot run; the work then happens on the first request.
"""

import importlib
import logging
import time

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger("config.warmup")


def warm_up_segmenter() -> str:
    """Initialise the search segmenter (jieba and our user dictionary); return what was done."""
    started = time.monotonic()
    engine = _optional_module("search.engine")
    hook = getattr(engine, "warm_up", None) if engine else None
    if callable(hook):
        hook()  # the search app knows its dictionaries
    else:
        import jieba

        if not jieba.dt.initialized:
            settings.JIEBA_CACHE_DIR.mkdir(parents=True, exist_ok=True)
            jieba.dt.tmp_dir = str(settings.JIEBA_CACHE_DIR)
            jieba.initialize()
    return _done("segmenter", started)


def warm_up_gazetteer() -> str:
    """Build the place-name automaton from the database (cached per process)."""
    started = time.monotonic()
    recognizer = _optional_module("regions.recognizer")
    if recognizer is None or not hasattr(recognizer, "get_gazetteer"):
        return "gazetteer: skipped (regions.recognizer not available)"
    try:
        recognizer.get_gazetteer()
    except DatabaseError as exc:  # not migrated yet, database down: build lazily later
        logger.warning("gazetteer warm-up failed, it will be built on first use: %s", exc)
        return "gazetteer: failed"
    finally:
        # Never carry a connection across a fork or hold one idle from start-up.
        connections.close_all()
    return _done("gazetteer", started)


def warm_up() -> list[str]:
    return [warm_up_segmenter(), warm_up_gazetteer()]


def _optional_module(name: str):
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and name.startswith(exc.name):
            return None
        raise  # a module that exists but fails to import is a real error


def _done(what: str, started: float) -> str:
    message = f"{what}: loaded in {time.monotonic() - started:.2f} s"
    logger.info("warm-up %s", message)
    return message
