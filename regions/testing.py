"""Test support: the real gazetteer in a test database, quickly (used by the `gazetteer` fixture).

The data is loaded per test with the bulk loader (about a second), because a session-wide
load would leak into tests that build their own small region trees. The recogniser built from
that pristine data is cached for the session; a test that edits aliases calls
regions.recognizer.reset_gazetteer() to see its change.
"""

from . import recognizer
from .loader import LoadReport, load_regions

_pristine: recognizer.Gazetteer | None = None


def load_gazetteer_for_tests() -> LoadReport:
    global _pristine
    report = load_regions()
    if _pristine is None:
        recognizer.reset_gazetteer()
        _pristine = recognizer.get_gazetteer()
    else:
        recognizer._gazetteer = _pristine
    return report


def forget_gazetteer() -> None:
    """After a test: the next user of find_places must not see that test's database."""
    recognizer.reset_gazetteer()
