"""Before load_regions has run, ingest still works and says why no places were linked."""

from io import StringIO

import pytest
from django.core.management import call_command

from cases.models import Article

pytestmark = pytest.mark.django_db


def test_without_a_gazetteer_the_drafts_still_go_in_with_a_warning(tmp_path):
    from regions.recognizer import reset_gazetteer

    reset_gazetteer()
    path = tmp_path / "page.txt"
    path.write_text("# 七星街道:网格智治见实效\n\n七星街道常住人口约15万,有工业企业762家,共划分175个网格。(张三)\n",
                    encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("ingest", str(path), stdout=out, stderr=err)
    assert "load_regions" in err.getvalue()
    article = Article.objects.get()
    assert article.figures.count() == 3
    assert not article.region_links.exists()
