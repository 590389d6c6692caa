"""Load what the first request would otherwise wait for: jieba's dictionaries, the gazetteer, the map.

gunicorn calls :func:`warm_up` in every worker as it starts, before it accepts
a request (``post_worker_init`` in gunicorn.conf.py). Both structures are built
partly from the database (the search user dictionary holds initiative and place
names, the gazetteer the regions and aliases), so each worker, including one
recycled after ``max_requests``, starts with the editors' latest names; the
Django code itself is preloaded once in the master. Both steps tolerate their
modules not existing and a database that is not migrated: a server must start
even when warm-up cannot run; the work then happens on the first request.
"""

import importlib
import logging
import time

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger("config.warmup")


def warm_up_segmenter() -> str:
    """Build the search segmenter (jieba with our user dictionary); return what was done."""
    started = time.monotonic()
    segment = _optional_module("search.segment")
    try:
        if segment is not None and hasattr(segment, "get_tokenizer"):
            segment.get_tokenizer()
        else:  # no search app yet: at least jieba's own dictionary
            import jieba

            if not jieba.dt.initialized:
                settings.JIEBA_CACHE_DIR.mkdir(parents=True, exist_ok=True)
                jieba.dt.tmp_dir = str(settings.JIEBA_CACHE_DIR)
                jieba.initialize()
    finally:
        connections.close_all()
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


def warm_up_map() -> str:
    """Project the map's county boundaries to SVG paths (cached per process; no database)."""
    started = time.monotonic()
    geo = _optional_module("pages.geo")
    if geo is None or not hasattr(geo, "zhejiang_geometry"):
        return "map: skipped (pages.geo not available)"
    try:
        geo.zhejiang_geometry()
    except (OSError, ValueError, geo.BoundaryDataMissing) as exc:  # drawn on first use, or the page says why
        logger.warning("map warm-up failed: %s", exc)
        return "map: failed"
    return _done("map", started)


def warm_up() -> list[str]:
    return [warm_up_segmenter(), warm_up_gazetteer(), warm_up_map()]


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
