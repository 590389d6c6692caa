"""The admin speaks Chinese to every browser, and authors are typed as one line."""

import pytest

from cases.admin_forms import NameListField
from cases.models import Article


@pytest.mark.django_db
def test_an_english_browser_still_gets_the_chinese_admin(admin_client):
    article = Article.objects.create(title="七星街道网格智治", body="正文", authors=["周静", "严琰"])
    page = admin_client.get(f"/admin/cases/article/{article.pk}/change/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = page.content.decode()
    assert page.status_code == 200
    assert "修改 文章" in html and "Change 文章" not in html
    # Authors show as names, not as a JSON list.
    assert 'value="周静、严琰"' in html


def test_author_names_are_split_on_chinese_and_western_separators():
    field = NameListField(required=False)
    assert field.clean("周静、严琰") == ["周静", "严琰"]
    assert field.clean("陈作枪, 刘丹怡；袁卫") == ["陈作枪", "刘丹怡", "袁卫"]
    assert field.clean("") == []
    assert field.prepare_value(["周静", "严琰"]) == "周静、严琰"
    assert field.prepare_value('["周静"]') == "周静"
