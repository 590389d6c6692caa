"""The ingest command as editors and tools use it: JSON dry runs, refusals, safe re-runs."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from cases.models import Article, Figure, Initiative, Source

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _regions(gazetteer):
    """The real gazetteer, so that places resolve as in production."""

PAGE = """\
# 七星街道:网格智治见实效

七星街道是新昌县的发展要地,辖区内常住人口约15万,有工业企业762家,商贸业11477家。街道以“一张网格管治理”为切入点,共划分175个网格、827个微网格。(张三 李四)

## 城南乡:共富路上步履坚实

城南乡地处新昌县南部,区域面积77平方公里,下辖17个行政村,户籍人口约2.3万人。去年流转土地436亩,带动低保户增收37.5万元。(王五)
"""


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("ingest", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


@pytest.fixture
def page(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text(PAGE, encoding="utf-8")
    return path


def test_dry_run_json_has_the_stable_shape_and_writes_nothing(page):
    out, err, error = run(page, "--dry-run", "--format", "json")
    assert error is None
    data = json.loads(out)  # stdout holds the JSON alone
    assert list(data) == ["sources"]
    source = data["sources"][0]
    assert set(source) == {"file", "encoding", "format", "pages", "publication", "issue_label", "articles"}
    assert (source["format"], source["pages"]) == ("txt", None)
    assert source["encoding"] == "utf-8"
    first = source["articles"][0]
    assert set(first) == {"title", "subtitle", "authors", "column", "kind", "publication", "published_on",
                          "line_start", "line_end", "page", "regions", "initiatives", "figures"}
    assert first["title"] == "七星街道:网格智治见实效"
    assert first["authors"] == ["张三", "李四"]
    assert (first["line_start"], first["line_end"]) == (1, 3)
    assert {"name": "一张网格管治理"} in first["initiatives"]
    figure = next(f for f in first["figures"] if f["value"] == 15)
    assert set(figure) == {"label", "value", "unit", "qualifier", "value_max", "normalized_value", "base_unit",
                           "year", "is_target", "region", "quote", "start", "end", "page"}
    assert (figure["unit"], figure["qualifier"], figure["normalized_value"], figure["base_unit"]) == ("万人", "约", 150000, "人")
    assert "约15万" in figure["quote"]
    assert figure["region"] == {"code": "330624003000", "name": "七星街道"}
    assert {"code": "330624003000", "name": "七星街道", "level": "town", "role": "main"} in first["regions"]
    assert "文件 1" in err and "文章 2" in err  # the summary goes to stderr
    # 城南乡 exists in many counties: the article's own 新昌县 decides, and it is the main region
    second = source["articles"][1]
    assert {"code": "330624200000", "name": "城南乡", "level": "town", "role": "main"} in second["regions"]
    assert {f["region"]["name"] for f in second["figures"]} == {"城南乡"}
    assert Source.objects.count() == 0 and Article.objects.count() == 0 and Figure.objects.count() == 0


def test_offsets_in_json_point_into_the_stored_body(page):
    out, _, _ = run(page, "--dry-run", "--format", "json")
    run(page)
    article = Article.objects.get(position=1)
    for figure in json.loads(out)["sources"][0]["articles"][0]["figures"]:
        assert article.body[figure["start"]:figure["end"]] == figure["quote"]


def test_a_refused_file_exits_non_zero_and_the_good_file_still_goes_in(page, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "scan.txt"  # a broken PDF, whatever its name says
    binary.write_bytes(b"%PDF-1.4\x00\x01\x02\x03" * 50)
    _, err, error = run(empty, page, binary, tmp_path / "missing.txt")
    assert error is not None and "3 个文件被拒绝" in str(error)
    assert "empty.txt：文件为空" in err and "scan.txt：PDF 文件已损坏" in err and "不存在" in err
    assert Source.objects.get().file_name == "page.txt"
    assert Article.objects.count() == 2


def test_gb18030_file_is_read(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(PAGE.encode("gb18030"))
    run(path)
    source = Source.objects.get()
    assert source.encoding == "gb18030"
    assert Article.objects.filter(title="城南乡:共富路上步履坚实").exists()


def test_write_creates_drafts_with_quotes_and_line_map(page):
    out, _, error = run(page, "--publication", "今日浙江", "--issue", "2024年第24期")
    assert error is None and "新建 2" in out
    source = Source.objects.get()
    assert (source.publication.name, source.issue_label, source.line_count) == ("今日浙江", "2024年第24期", 7)
    article = Article.objects.get(position=1)
    assert article.status == Article.Status.DRAFT and article.origin == "extracted"
    assert article.body_line_map[0] == [0, 3]
    figure = article.figures.get(value=Decimal("762"))
    assert article.body[figure.start:figure.end] == figure.quote
    assert Initiative.objects.get(name="一张网格管治理").region.name == "七星街道"
    assert figure.region.name == "七星街道"
    assert article.region_links.get(role="main").region.name == "七星街道"


def test_re_running_changes_nothing(page):
    run(page)
    before = {a.pk: (a.updated_at, a.version) for a in Article.objects.all()}
    figures = sorted(Figure.objects.values_list("pk", flat=True))
    out, _, _ = run(page)
    assert "已导入过" in out and "无变化 2" in out
    assert {a.pk: (a.updated_at, a.version) for a in Article.objects.all()} == before
    assert sorted(Figure.objects.values_list("pk", flat=True)) == figures
    assert Source.objects.count() == 1 and Initiative.objects.filter(name="一张网格管治理").count() == 1


def test_re_running_keeps_an_editors_work_and_refreshes_machine_drafts(page):
    run(page)
    editor = get_user_model().objects.create_user("editor", password="x-long-password-1")
    edited = Article.objects.get(position=1)
    edited.title, edited.edited_by, edited.edited_at = "编辑改过的标题", editor, timezone.now()
    edited.save()
    stale = Article.objects.get(position=2)
    stale.body = "过时的机器草稿"
    stale.save()
    verified = stale.figures.get(value=Decimal("436"))
    verified.label, verified.verified, verified.verified_by, verified.verified_at = "流转土地面积", True, editor, timezone.now()
    verified.save()
    machine_figures = stale.figures.exclude(pk=verified.pk).count()

    out, _, _ = run(page)

    assert "保留编辑修改 1" in out and "更新 1" in out
    edited.refresh_from_db()
    assert edited.title == "编辑改过的标题"
    stale.refresh_from_db()
    assert stale.body.startswith("城南乡地处新昌县南部")
    verified.refresh_from_db()
    assert verified.label == "流转土地面积" and verified.verified
    assert stale.figures.filter(value=Decimal("436")).count() == 1  # no machine duplicate beside it
    assert stale.figures.exclude(pk=verified.pk).count() == machine_figures


def test_published_article_is_kept(page):
    run(page)
    editor = get_user_model().objects.create_user("chief", password="x-long-password-2")
    Article.objects.filter(position=1).update(status="published", reviewed_by=editor, reviewed_at=timezone.now(),
                                              title="已发布")
    run(page)
    assert Article.objects.get(position=1).title == "已发布"


def test_new_version_of_a_file_is_a_new_source(page):
    run(page)
    page.write_text(PAGE + "\n# 新增一条\n\n新昌县又新建了5个共富工坊,带动300余名群众就业增收,村集体经营性收入明显提升。(赵六)\n",
                    encoding="utf-8")
    run(page)
    assert Source.objects.count() == 2
    assert Article.objects.count() == 5


def test_dry_run_json_with_a_refused_file_keeps_stdout_pure_json(page, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out, err, error = run(empty, page, "--dry-run", "--format", "json")
    assert error is not None
    data = json.loads(out)
    assert [s["file"].rsplit("/", 1)[-1] for s in data["sources"]] == ["page.txt"]
    assert "文件为空" in err
    assert Source.objects.count() == 0


def test_an_editor_dates_articles_whose_text_states_no_date(page):
    out, err, error = run(page, "--dry-run", "--format", "json", "--published-on", "2022-06-16")
    assert error is None
    articles = json.loads(out)["sources"][0]["articles"]
    assert {a["published_on"] for a in articles} == {"2022-06-16"}
    out, err, error = run(page, "--dry-run", "--published-on", "16/06/2022")
    assert error is not None and "YYYY-MM-DD" in str(error)
