"""Citing and downloading: a citation line per article and figure, the release from /about/.

A researcher cites what they used (the publication, this dataset's version, a stable URL) and
downloads the release with checksums they can verify.
"""

import hashlib
import io
import json
import re
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest

from cases.citation import dataset_version

from . import pages_data
from .test_pages import text_of

pytestmark = pytest.mark.django_db

RELEASE = Path(__file__).resolve().parent.parent / "data" / "release"


@pytest.fixture
def world(zhejiang_tree):
    return pages_data.build(zhejiang_tree, n_articles=3)


def test_the_article_page_gives_a_citation_for_the_article_and_each_figure(client, world):
    article = world["articles"][0]
    page = client.get(f"/articles/{article.pk}/")
    text = text_of(page)
    version = dataset_version()
    assert version and version == json.loads((RELEASE / "manifest.json").read_text())["dataset_version"]
    [line] = re.findall(r'<span class="citation-text" id="cite-article">([^<]+)</span>', page.content.decode())
    assert article.title in line and f"数据版本 {version}" in line
    assert f"http://testserver/articles/{article.pk}/" in line and "访问日期" in line
    if article.source and article.source.publication:
        assert article.source.publication.name in line
    figure = article.figures.order_by("start").first()
    assert f"http://testserver/articles/{article.pk}/#q-{figure.pk}" in text
    assert f"“{figure.quote}”" in text and "复制引用" in text


def test_the_api_gives_the_same_citations(client, world):
    article = world["articles"][0]
    detail = client.get(f"/api/v1/articles/{article.pk}/").json()
    assert detail["citation"].startswith(article.authors[0] if article.authors else "") and article.title in detail["citation"]
    figure = detail["figures"][0]
    assert f"#q-{figure['id']}" in figure["citation"] and figure["quote"] in figure["citation"]
    alone = client.get(f"/api/v1/figures/{figure['id']}/").json()
    assert alone["citation"] == figure["citation"]


def test_the_about_page_offers_the_release_with_version_and_checksums(client, world):
    manifest = json.loads((RELEASE / "manifest.json").read_text(encoding="utf-8"))
    about = client.get("/about/")
    text = text_of(about)
    assert f"版本 {manifest['dataset_version']}" in text
    for name, meta in manifest["files"].items():
        assert name in text and meta["sha256"] in text
    assert "datapackage.json" in manifest["files"] and "sha256sum -c SHA256SUMS" in text

    response = client.get("/about/release.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    name = f"浙江案例库-数据集-{manifest['dataset_version']}.zip"
    assert response["Content-Disposition"].endswith(quote(name))
    digest = hashlib.sha256(response.content).hexdigest()
    assert response["X-Checksum-SHA256"] == digest and digest in text  # the page shows the zip's checksum
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        folder = f"zj-cases-{manifest['dataset_version']}/"
        sums = archive.read(folder + "SHA256SUMS").decode().splitlines()
        for line in sums:  # what `sha256sum -c SHA256SUMS` would check
            expected, file_name = line.split("  ")
            assert hashlib.sha256(archive.read(folder + file_name)).hexdigest() == expected


def test_release_files_are_served_one_by_one_and_nothing_else(client, db):
    response = client.get("/about/release/figures.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert b"".join(response.streaming_content) == (RELEASE / "figures.csv").read_bytes()
    assert client.get("/about/release/datapackage.json").status_code == 200
    for name in ("settings.py", "..%2F..%2Fmanage.py", "%2Fetc%2Fpasswd", "nope.csv"):
        assert client.get(f"/about/release/{name}").status_code == 404
