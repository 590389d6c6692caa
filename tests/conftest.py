"""Shared fixtures: users in the editor roles, a tiny region tree, corpus access."""

from pathlib import Path

import pytest
from django.conf import settings

# The admin's fixtures (editors, reviewers, a draft with figures) live in their own module.
pytest_plugins = ["tests.admin_fixtures", "tests.browser_fixtures"]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The hashed-name storage needs collectstatic; tests serve static files from the apps.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _downloads_built_fresh(settings):
    # Public CSV downloads are kept per data version (config/api/downloads.py); tests that compare
    # two downloads of one URL must see two builds. tests/api/test_downloads.py turns keeping on.
    # A setting of its own: overriding CACHES would reset every cache handler for every test.
    settings.KEEP_DOWNLOADS = False


@pytest.fixture
def corpus_dir() -> Path:
    """The article corpus (third-party text, read at run time); skip when absent."""
    path = Path(settings.CORPUS_DIR)
    if not path.is_dir() or not any(path.glob("*.txt")):
        pytest.skip(f"corpus not found at CORPUS_DIR={path}")
    return path


@pytest.fixture
def zhejiang_tree(db):
    """浙江省 › 绍兴市 › 新昌县 › 七星街道 › 上礼泉村 with their real NBS 2023 codes."""
    from regions.models import Level, Region

    def make(code, name, short, level, parent):
        return Region.objects.create(
            code=code, name=name, short_name=short, level=level, parent=parent, edition="test"
        )

    zj = make("330000000000", "浙江省", "浙江", Level.PROVINCE, None)
    sx = make("330600000000", "绍兴市", "绍兴", Level.CITY, zj)
    xc = make("330624000000", "新昌县", "新昌", Level.COUNTY, sx)
    qx = make("330624003000", "七星街道", "七星", Level.TOWN, xc)
    village = make("330624003222", "上礼泉村", "上礼泉", Level.VILLAGE, qx)
    return {"province": zj, "city": sx, "county": xc, "town": qx, "village": village}


@pytest.fixture(autouse=True)
def _fresh_place_recogniser():
    # find_places caches its automaton per process; a test's regions must not leak into the next.
    yield
    from regions.recognizer import reset_gazetteer

    reset_gazetteer()


@pytest.fixture
def gazetteer(db):
    """The real gazetteer (NBS 2023: China to county level, Zhejiang to village) in the test DB."""
    from regions.testing import forget_gazetteer, load_gazetteer_for_tests

    yield load_gazetteer_for_tests()
    forget_gazetteer()

