"""Chinese full-text search as researchers and apps use it (same tests on SQLite and PostgreSQL)."""

import datetime
import json
import urllib.error
import urllib.parse
import urllib.request
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from cases.models import Article, ArticleRegion, Figure, Initiative, Metric
from regions.models import RegionAlias
from search.engine import (
    QueryError,
    make_snippet,
    parse_query,
    ranked_articles,
    search_all,
    search_articles,
    substring_search,
)
from search.grams import query_grams, text_grams
from search.models import ArticleDocument
from search.segment import normalize_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(django_user_model):
    return django_user_model.objects.create_user("reviewer", password=None, is_staff=True)


@pytest.fixture
def make_article(reviewer):
    def make(title, body, status="published", **fields):
        extra = {"reviewed_by": reviewer, "reviewed_at": timezone.now()} if status == "published" else {}
        return Article.objects.create(title=title, body=body, status=status, **extra, **fields)

    return make


@pytest.fixture
def cases(zhejiang_tree, make_article):
    """Three published articles and a draft, about places in 新昌县 and elsewhere."""
    qixing = make_article(
        "七星街道党建统领推进网格智治的实践",
        "七星街道是新昌的发展要地，辖区内常住人口约15万。\n街道以“一张网格管治理”为切入点，"
        "深化“党建+网格”治理模式，划分网格175个、微网格827个。",
    )
    ArticleRegion.objects.create(article=qixing, region=zhejiang_tree["town"], role=ArticleRegion.Role.MAIN)
    chengnan = make_article(
        "城南乡推进共同富裕的实践与思考",
        "城南乡依托乡贤力量建设共富工坊，带动农户增收。土家族小伙柳灿也来到这里创业。",
    )
    elsewhere = make_article(
        "老旧小区改造的几点体会",
        "社区推行物业服务，居民议事协商。社区也引入网格智治的做法，组建志愿队伍。",
    )
    draft = make_article("网格智治草稿", "尚未审核的网格智治稿件。", status="draft")
    return {"qixing": qixing, "chengnan": chengnan, "elsewhere": elsewhere, "draft": draft}


def found(q, queryset=None):
    queryset = Article.objects.all() if queryset is None else queryset
    return list(search_articles(queryset, q).order_by("-rank", "id"))


def titles(q):
    return [a.title for a in found(q)]


# --- query syntax ------------------------------------------------------------------


def test_several_words_mean_all_of_them(cases):
    assert found("七星街道 网格") == [cases["qixing"]]
    assert set(found("网格智治")) >= {cases["qixing"], cases["elsewhere"]}
    assert found("网格智治 共富工坊") == []


def test_quoted_phrase_must_appear_as_written(cases):
    assert found('"一张网格管治理"') == [cases["qixing"]]
    assert found("“一张网格管治理”") == [cases["qixing"]]  # Chinese quotation marks too
    # Both words are in the text, but not next to each other in this order.
    assert found('"网格七星街道"') == []
    assert found('"常住人口约15万"') == [cases["qixing"]]


def test_minus_excludes_a_word_or_phrase(cases):
    assert set(found("网格智治")) == {cases["qixing"], cases["elsewhere"], cases["draft"]}
    assert set(found("网格智治 -七星街道")) == {cases["elsewhere"], cases["draft"]}
    assert set(found('网格智治 -"一张网格管治理"')) == {cases["elsewhere"], cases["draft"]}
    assert set(found("网格智治 -柳")) == {cases["qixing"], cases["elsewhere"], cases["draft"]}


def test_place_name_finds_articles_linked_to_the_place_and_below(cases, zhejiang_tree):
    # The text never says 绍兴 or 新昌县; the article is linked to 七星街道, which is under both.
    assert found("绍兴") == [cases["qixing"]]
    assert found("新昌县") == [cases["qixing"]]
    assert found("绍兴市 网格") == [cases["qixing"]]
    # A former name reaches the region too.
    RegionAlias.objects.create(region=zhejiang_tree["county"], name="新昌旧县", kind="former")
    assert found("新昌旧县") == [cases["qixing"]]
    # Excluding a place excludes what is linked to it.
    assert cases["qixing"] not in found("网格智治 -绍兴")


def test_short_queries_find_what_a_substring_search_finds(cases):
    everything = Article.objects.all()
    for q in ["乡", "灿", "柳灿", "贤力"]:  # one character; two characters the dictionary does not know
        expected = set(substring_search(everything, q))
        assert expected, q
        assert set(found(q)) == expected, q


def _clear_grams(article_ids):
    """Drop these articles' grams, as a database restored without them would have."""
    with connection.cursor() as cursor:
        marks = ",".join(["%s"] * len(article_ids))
        if connection.vendor == "postgresql":
            cursor.execute(f"UPDATE search_articledocument SET grams = NULL WHERE article_id IN ({marks})", article_ids)
        else:
            cursor.execute(f"DELETE FROM search_articlegrams WHERE rowid IN ({marks})", article_ids)


def test_grams_admit_every_substring_and_decide_the_short_ones():
    text = normalize_text("副市长翁建荣说：钱随人走，1+3+N模式覆盖175个网格。茶")
    grams = set(text_grams(text))

    def admitted(part):
        query = query_grams(part)
        return set(query.grams) <= grams and all(any(g.startswith(p) for g in grams) for p in query.prefixes)

    for start in range(len(text)):
        for end in range(start + 1, min(len(text), start + 8) + 1):
            assert admitted(text[start:end]), text[start:end]
    # Up to three characters the grams decide alone: no false match to check the text for.
    for part in ["翁建", "翁建荣", "建荣说", "刘捷", "荣", "捷", "5个", "75个", "m模", "n模式"]:
        query = query_grams(part)
        assert query.exact, part
        assert admitted(part) == (part in text), part
    assert not query_grams("钱随人走").exact and not query_grams("1+3").exact  # the text is checked


def test_words_the_dictionary_does_not_know_are_looked_up_by_their_grams(cases):
    article = cases["chengnan"]
    assert found("柳灿") == [article]
    _clear_grams([article.pk])
    assert found("柳灿") == []  # the gram index is what finds it, not a scan of every text
    assert found("共富工坊") == [article]  # words are looked up as before
    article.save()  # reindexing writes the grams again
    assert found("柳灿") == [article]
    article.body = article.body.replace("柳灿", "某人")
    article.save()
    assert found("柳灿") == []


def test_the_migration_fills_grams_from_the_stored_text(cases):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("search.migrations.0006_grams")
    ids = list(ArticleDocument.objects.values_list("article_id", flat=True))
    _clear_grams(ids)
    assert found("柳灿") == []
    # What the migration uses of its schema editor (SQLite's own cannot open inside a test's transaction).
    if connection.vendor == "postgresql":  # CREATE INDEX refuses to run with deferred checks pending
        connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")
    editor = SimpleNamespace(connection=connection, execute=lambda sql: connection.cursor().execute(sql))
    migration.forward(apps, editor)
    assert found("柳灿") == [cases["chengnan"]]
    assert set(found("贤力")) == set(substring_search(Article.objects.all(), "贤力"))


def test_postgresql_plans_substrings_through_the_gram_index(cases):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL planner")
    sql, params = search_articles(Article.objects.all(), "柳灿").values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_seqscan = off")  # on four rows a scan is cheaper; ask which index applies
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_articledocument_match_gin" in plan, plan


def test_postgresql_decides_words_and_grams_together_inside_one_index(cases):
    """A word (网格, in the vector) and a name of single characters (柳灿, in the grams) are both
    index conditions of one GIN scan: no document's vector is read to test the word."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL planner")
    sql, params = search_articles(Article.objects.all(), "柳灿 网格").values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = [row[0] for row in cursor.fetchall()]
    scans = [line for line in plan if "Bitmap Index Scan on search_articledocument" in line]
    assert len(scans) == 1 and "search_articledocument_match_gin" in scans[0], plan
    conditions = "\n".join(line for line in plan if "Index Cond" in line)
    assert "vector @@" in conditions and "grams @@" in conditions, plan
    assert not any("Filter" in line and "@@" in line for line in plan), plan


def test_malformed_queries_raise_a_clear_error():
    for q, words in [
        ("", "不能为空"),
        ("   ", "不能为空"),
        ('"共富工坊', "引号不成对"),
        ('""', "引号中没有检索词"),
        ("-网格", "不能只有排除词"),
        ("网格 -", "缺少要排除的词"),
        ("，。！", "没有可查找的文字"),
        ("网" * 201, "过长"),
        (" ".join(f"词{i}" for i in range(13)), "太多"),
    ]:
        with pytest.raises(QueryError) as error:
            parse_query(q)
        assert words in str(error.value), q


def test_words_stay_whole_with_the_user_dictionary(cases):
    clause = parse_query("一张网格管治理").clauses[0]
    assert clause.tokens == ("一张网格管治理",)
    assert parse_query("七星街道").clauses[0].tokens == ("七星街道",)
    assert parse_query("共富工坊").clauses[0].tokens == ("共富工坊",)


# --- ranking and snippets ------------------------------------------------------------


def test_a_known_word_inside_a_longer_known_word_is_found(make_article):
    from search.segment import add_words

    add_words(["农村居民人均可支配收入", "人均可支配收入"])
    article = make_article("收入情况", "去年农村居民人均可支配收入增长8%。")
    assert [a.pk for a in found("人均可支配收入")] == [article.pk]


def test_title_match_ranks_above_body_match(make_article):
    body_only = make_article("社区工作札记", "文中提到共富工坊一次。" + "社区服务不断完善。" * 20)
    in_title = make_article("共富工坊带富一方", "各村因地制宜。" * 20)
    assert found("共富工坊") == [in_title, body_only]


def test_more_mentions_rank_above_a_passing_mention(make_article):
    passing = make_article("乡村札记之一", "顺带说到强村公司。" + "田野风光很好。" * 30)
    about = make_article("乡村札记之二", "强村公司让村集体增收。强村公司吸纳就业，强村公司还做农文旅。" + "田野。" * 30)
    assert found("强村公司") == [about, passing]


def test_snippet_marks_terms_in_the_original_text_and_escapes_html():
    text = "前言<script>alert(1)</script>。" + "无关内容。" * 40 + "街道以“一张网格管\n治理”为切入点，深化网格治理。" + "尾声。" * 40
    snippet = make_snippet(text, "一张网格管治理 网格", width=60)
    assert "<mark>一张网格管治理</mark>" in snippet  # the PDF line break inside the term is undone
    assert "<mark>网格</mark>" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet.replace("<mark>", "").replace("</mark>", "")) <= 62
    escaped = make_snippet(text, "alert", width=60)
    assert "&lt;script&gt;" in escaped and "<script>" not in escaped
    assert make_snippet("没有匹配的文字", "网格") == "没有匹配的文字"
    assert make_snippet("<b>粗体</b>", '"未闭合') == "&lt;b&gt;粗体&lt;/b&gt;"


# --- the index stays current -----------------------------------------------------------


def test_editing_an_article_updates_the_index(cases):
    article = cases["chengnan"]
    assert found("强村公司") == []
    article.body += "村里成立了强村公司。"
    article.save()
    assert found("强村公司") == [article]
    article.body = "全文改写，不再提及那些。"
    article.save()
    assert found("共富工坊") == []


def test_adding_a_region_link_updates_the_index(cases, zhejiang_tree):
    article = cases["elsewhere"]
    assert article not in found("上礼泉村")
    ArticleRegion.objects.create(article=article, region=zhejiang_tree["village"])
    assert article in found("上礼泉村")
    assert article in found("七星街道")  # the village is under 七星街道
    ArticleRegion.objects.filter(article=article).delete()
    assert article not in found("上礼泉村")


def test_initiative_links_and_renames_update_the_index(cases):
    article = cases["elsewhere"]
    initiative = Initiative.objects.create(name="红色物业联盟", description="物业企业与社区党组织结对。")
    initiative.articles.add(article)
    assert found("红色物业联盟") == [article]
    initiative.name = "幸福物业联盟"
    initiative.aliases = ["物业共同体"]
    initiative.save()
    assert found("幸福物业联盟") == [article]
    assert found("物业共同体") == [article]
    assert found("红色物业联盟") == []
    initiative.articles.remove(article)
    assert found("幸福物业联盟") == []
    initiative.articles.add(article)
    initiative.delete()
    assert found("幸福物业联盟") == []


def test_figure_labels_and_metric_names_are_indexed(cases):
    article = cases["elsewhere"]
    metric = Metric.objects.update_or_create(name="加装电梯数", defaults=dict(
        slug="elevators", base_unit="部", labels=["加装电梯"]))[0]
    Figure.objects.create(article=article, label="加装电梯", value=12, unit="部", quote="社区推行物业服务",
                          start=0, end=8, metric=metric)
    assert found("加装电梯") == [article]
    assert found("加装电梯数") == [article]


def test_deleting_an_article_removes_its_document(cases):
    article = cases["qixing"]
    pk = article.pk
    article.delete()
    assert not ArticleDocument.objects.filter(article_id=pk).exists()
    assert found("七星街道") == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_articlefts WHERE rowid = %s", [pk])
            assert cursor.fetchone()[0] == 0


def test_rebuild_search_index_restores_a_lost_index(cases):
    ArticleDocument.objects.all().delete()
    assert found("一张网格管治理") == []
    call_command("rebuild_search_index", verbosity=0)
    assert found("一张网格管治理") == [cases["qixing"]]
    assert ArticleDocument.objects.count() == Article.objects.count()


def test_postgresql_plans_common_words_through_the_index(cases):
    """Matching a vector is costed as expensive (so at scale the planner reads the GIN index rather
    than every document), and the index serves a word alone (on four rows a scan is cheaper: ask
    which index applies)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL planner setting")
    with connection.cursor() as cursor:
        cursor.execute("SELECT procost FROM pg_proc WHERE oid = 'pg_catalog.ts_match_vq(tsvector, tsquery)'::regprocedure")
        assert cursor.fetchone()[0] >= 100
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN SELECT count(*) FROM search_articledocument WHERE vector @@ '网格'::tsquery")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_articledocument_match_gin" in plan, plan


def test_stored_tokens_do_not_depend_on_the_database_locale(cases):
    """The tsvector is cast from our own literal, never parsed by PostgreSQL's (ctype-dependent) parser."""
    from search.indexing import build_document

    document = ArticleDocument.objects.get(article=cases["qixing"])
    if connection.vendor != "postgresql":
        assert "七星街道" in document.tokens_a.split()
        assert "一张网格管治理" in document.tokens_d.split()
        return
    rebuilt = build_document(Article.objects.prefetch_related("region_links__region__aliases", "initiatives",
                                                              "figures__metric").get(pk=cases["qixing"].pk))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT vector = %s::tsvector, vector::text FROM search_articledocument WHERE article_id = %s",
            [rebuilt.vector, cases["qixing"].pk],
        )
        same, text = cursor.fetchone()
    assert same
    assert "'七星街道':" in text and "'一张网格管治理':" in text


# --- the one search box ----------------------------------------------------------------


def test_search_all_returns_each_resource_ranked_and_respects_visibility(cases, reviewer, zhejiang_tree):
    Initiative.objects.create(name="一张网格管治理", description="七星街道的网格治理做法。").articles.add(cases["qixing"])
    Initiative.objects.create(name="网格议事草案", description="只见于草稿。").articles.add(cases["draft"])
    Metric.objects.all().delete()  # without the seeded vocabulary (migrations), to assert exact lists
    Metric.objects.create(name="网格数", slug="grid-count", base_unit="个", labels=["网格", "微网格"])
    results = search_all("网格智治", None)
    assert [a["id"] for a in results["articles"]] == [cases["qixing"].pk, cases["elsewhere"].pk]
    assert "<mark>网格智治</mark>" in results["articles"][1]["snippet"]
    assert "<mark>网格</mark>" in results["articles"][0]["snippet"]  # only the title has the whole word
    staff = search_all("网格智治", reviewer)
    assert cases["draft"].pk in [a["id"] for a in staff["articles"]]

    grid = search_all("网格", None)
    assert [m["name"] for m in grid["metrics"]] == ["网格数"]
    assert [i["name"] for i in grid["initiatives"]] == ["一张网格管治理"]  # not the one only a draft names
    assert "网格议事草案" in [i["name"] for i in search_all("网格", reviewer)["initiatives"]]
    places = search_all("七星", None)
    assert [r["code"] for r in places["regions"]][0] == zhejiang_tree["town"].code


def test_search_all_runs_a_constant_number_of_queries(cases, make_article, django_assert_max_num_queries):
    for i in range(15):
        make_article(f"网格智治案例{i}", "网格智治的又一个案例。")
    # (On PostgreSQL two of them switch bitmap scans off and on around the id-list queries.)
    with django_assert_max_num_queries(12):
        results = search_all("网格智治", None, limit=20)
    assert len(results["articles"]) == 17


def test_search_endpoint(client, cases, reviewer):
    response = client.get("/api/v1/search/", {"q": "网格智治 -七星街道"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"query", "articles", "initiatives", "regions", "metrics"}
    assert [a["id"] for a in body["articles"]] == [cases["elsewhere"].pk]
    assert body["articles"][0]["url"].endswith(f"/api/v1/articles/{cases['elsewhere'].pk}/")
    client.force_login(reviewer)
    staff = client.get("/api/v1/search/", {"q": "网格智治"}).json()
    assert cases["draft"].pk in [a["id"] for a in staff["articles"]]


@pytest.mark.parametrize("params, field", [
    ({"q": '"共富工坊'}, "q"), ({"q": ""}, "q"), ({}, "q"), ({"q": "-网格"}, "q"),
    ({"q": "网格", "limit": "abc"}, "limit"), ({"q": "网格", "limit": "500"}, "limit"),
])
def test_search_endpoint_rejects_bad_queries(client, params, field):
    response = client.get("/api/v1/search/", params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.django_db(transaction=True)
def test_search_endpoint_over_real_http(live_server, zhejiang_tree, reviewer):
    article = Article.objects.create(
        title="七星街道网格智治", body="以“一张网格管治理”为切入点。", status="published",
        reviewed_by=reviewer, reviewed_at=timezone.now(),
    )
    url = f"{live_server.url}/api/v1/search/?" + urllib.parse.urlencode({"q": '"一张网格管治理"'})
    with urllib.request.urlopen(url, timeout=30) as response:
        body = json.loads(response.read().decode("utf-8"))
    assert [a["id"] for a in body["articles"]] == [article.pk]
    assert "<mark>一张网格管治理</mark>" in body["articles"][0]["snippet"]
    bad = f"{live_server.url}/api/v1/search/?" + urllib.parse.urlencode({"q": '"网格'})
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(bad, timeout=30)
    assert error.value.code == 400


# --- the fast first page, term impacts --------------------------------------------------


def test_first_page_is_the_top_of_the_full_ranking(make_article):
    for i in range(12):
        make_article(f"案例{i}", "网格智治。" * (i + 1) + "其他内容。" * 10)
    make_article("网格智治的标题", "正文只有其他内容。")
    full = list(search_articles(Article.objects.all(), "网格智治").order_by("-rank", "id")[:5])
    assert ranked_articles(Article.objects.all(), "网格智治", limit=5) == full
    assert full[0].title == "网格智治的标题"
    assert ranked_articles(Article.objects.all(), "网格智治", limit=5, offset=5) == list(
        search_articles(Article.objects.all(), "网格智治").order_by("-rank", "id")[5:10])


def test_paging_past_the_candidates_neither_skips_nor_repeats(make_article, monkeypatch):
    """With a pool of 3 candidates, 13 matches still page out completely, each exactly once."""
    from search import engine

    monkeypatch.setattr(engine, "EXACT_RANK_LIMIT", 0)
    monkeypatch.setattr(engine, "MIN_CANDIDATES", 3)
    monkeypatch.setattr(engine, "MAX_CANDIDATES", 3)
    monkeypatch.setattr(engine, "CANDIDATE_DEPTH", 2)
    for i in range(12):
        make_article(f"案例{i}", "网格智治。" * (i + 1) + "其他内容。" * 10)
    make_article("网格智治的标题", "正文只有其他内容。")
    make_article("无关的文章", "只有其他内容。")
    pages = [ranked_articles(Article.objects.all(), "网格智治", limit=4, offset=o) for o in range(0, 16, 4)]
    seen = [a.pk for page in pages for a in page]
    assert [len(p) for p in pages] == [4, 4, 4, 1]
    assert len(seen) == len(set(seen)) == 13
    assert set(seen) == {a.pk for a in search_articles(Article.objects.all(), "网格智治")}
    assert pages[0][0].title == "网格智治的标题"  # the title match is among the strongest candidates


def test_a_rare_word_anchors_the_second_candidate_pass_and_finds_every_candidate(make_article, monkeypatch):
    """讲话 has two postings, read in full at depth 3; 网格's best three are articles without 讲话,
    and so are its next ones (the deep pass at depth 5 would find no candidate). The second pass
    looks up 网格's scores of the two 讲话 articles instead: both are candidates, ranked first."""
    if connection.vendor != "postgresql":
        pytest.skip("candidates are PostgreSQL's (SQLite ranks every match)")
    from django.test.utils import CaptureQueriesContext

    from search import engine

    monkeypatch.setattr(engine, "CANDIDATE_DEPTH", 3)
    monkeypatch.setattr(engine, "DEEP_CANDIDATE_DEPTH", 5)
    for i in range(6):
        make_article(f"网格案例{i}", "网格员走访。" * (8 + i) + "其他内容。" * 3)
    speeches = {make_article(f"会议{i}", "网格员走访。领导讲话。" + "其他内容。" * (30 + i)).pk for i in range(2)}
    parsed = engine.with_places(engine.parse_query("网格 讲话"))
    with CaptureQueriesContext(connection) as queries:
        ids = engine.candidate_ids(parsed, pool=10)
    assert set(ids) == speeches
    assert sum("anchor AS MATERIALIZED" in q["sql"] for q in queries.captured_queries) == 1
    # The same as reading every posting: the anchored pass is exact.
    with connection.cursor() as cursor:
        cursor.execute(*engine.candidate_sql(parsed, depth=10**6, limit=10))
        assert [row[0] for row in cursor.fetchall()] == ids
    page = ranked_articles(Article.objects.all(), "网格 讲话", limit=2)
    assert {a.pk for a in page} == speeches


def test_without_a_fully_read_word_the_second_candidate_pass_reads_deeper(make_article, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("candidates are PostgreSQL's (SQLite ranks every match)")
    from django.test.utils import CaptureQueriesContext

    from search import engine

    monkeypatch.setattr(engine, "CANDIDATE_DEPTH", 2)
    monkeypatch.setattr(engine, "DEEP_CANDIDATE_DEPTH", 10)
    for i in range(4):
        make_article(f"网格案例{i}", "网格员走访。" * (8 + i))
    for i in range(3):
        make_article(f"会议{i}", "领导讲话。" * (8 + i))
    both = make_article("网格会议", "网格员走访。领导讲话。" + "其他内容。" * 40)
    parsed = engine.with_places(engine.parse_query("网格 讲话"))
    with CaptureQueriesContext(connection) as queries:
        assert engine.candidate_ids(parsed, pool=10) == [both.pk]
    sqls = [q["sql"] for q in queries.captured_queries]
    assert len(sqls) == 2 and "anchor" not in sqls[1] and "LIMIT 10)" in sqls[1]


def test_matches_past_the_candidates_are_ranked_in_full_when_few(make_article, monkeypatch):
    """Past a pool of 3 candidates, the 10 other matches (fewer than EXACT_RANK_LIMIT) come by rank."""
    from search import engine

    monkeypatch.setattr(engine, "MIN_CANDIDATES", 3)
    monkeypatch.setattr(engine, "MAX_CANDIDATES", 3)
    for i in range(12):
        make_article(f"案例{i}", "网格智治。" * (i + 1) + "其他内容。" * (3 * i + 1))
    make_article("网格智治的标题", "正文只有其他内容。")
    seen = [a for o in range(0, 16, 4) for a in ranked_articles(Article.objects.all(), "网格智治", limit=4, offset=o)]
    full = list(search_articles(Article.objects.all(), "网格智治").order_by("-rank", "id"))
    first = seen[:3] if connection.vendor == "postgresql" else []  # SQLite ranks every match
    assert len(seen) == 13
    assert seen[len(first):] == [a for a in full if a not in first]


def test_api_and_pages_page_through_ranked_results_completely(client, make_article, monkeypatch):
    from search import engine

    monkeypatch.setattr(engine, "EXACT_RANK_LIMIT", 0)
    monkeypatch.setattr(engine, "MIN_CANDIDATES", 2)
    monkeypatch.setattr(engine, "MAX_CANDIDATES", 2)
    for i in range(7):
        make_article(f"共富工坊案例{i}", "共富工坊带动增收。" * (i + 1))
    api_ids = [a["id"] for o in (0, 3, 6) for a in client.get(
        "/api/v1/articles/", {"q": "共富工坊", "limit": 3, "offset": o}).json()["results"]]
    assert len(api_ids) == len(set(api_ids)) == 7
    page_one = client.get("/", {"q": "共富工坊"}).content.decode()
    assert all(f"共富工坊案例{i}" in page_one for i in range(7))  # one page of 20: every match, past the pool of 2


def test_term_impacts_favour_titles_and_keep_the_strongest_body_words():
    from search.indexing import MAX_BODY_TERMS, term_impacts

    body = ["网格"] * 5 + [f"词{i:03d}" for i in range(200)] + ["乡"]
    impacts = term_impacts({"A": ["共富工坊"], "B": [], "C": [], "D": body})
    assert impacts["共富工坊"] > impacts["网格"] > impacts["词000"]
    assert "乡" not in impacts  # single characters are matched as substrings, not by impact
    assert len(impacts) == 1 + MAX_BODY_TERMS


@pytest.mark.corpus
def test_relevance_set_beats_icontains(corpus_dir):
    """The relevance set on corpus articles: recall@10 ≥ 0.95, MRR ≥ 0.85, both above icontains."""
    from bench.corpus_articles import load_into_db, split_corpus
    from bench.eval_search import evaluate, load_relevance

    load_into_db(split_corpus(corpus_dir))
    report = evaluate(load_relevance())
    assert report["queries"] >= 40 and not report["unresolved"]
    ours, plain = report["ours"], report["icontains"]
    assert ours["recall@10"] >= 0.95, ours
    assert ours["mrr"] >= 0.85, ours
    assert ours["recall@10"] > plain["recall@10"] and ours["mrr"] > plain["mrr"], report


@pytest.mark.corpus
def test_benchmark_smoke_run(corpus_dir):
    """bench/bench_search.py on a few hundred articles: it indexes them and times both engines."""
    from bench.bench_search import corpus_paragraphs, generate_articles, index_all, measure

    generate_articles(300, corpus_paragraphs(corpus_dir), log=lambda message: None)
    indexed = index_all(log=lambda message: None)
    assert indexed["articles"] == indexed["total_articles"] == 300
    report = measure(["七星街道", "网格 治理", '"共同富裕"'], repeats=1)
    assert report["queries"] == 3
    assert report["ours"]["p95_ms"] > 0 and report["icontains"]["p95_ms"] > 0
    assert all(row["ours_ms"] > 0 for row in report["per_query"])


# --- relevance on researchers' queries (bench/search_queries/) ------------------------


def test_a_place_and_a_topic_find_the_place_s_article_first(zhejiang_tree, make_article):
    # The article about 七星街道 never writes 新昌; another names 新昌 in passing and talks of grids more.
    about = make_article("街道网格智治的实践", "街道划分网格175个，网格员走村入户。")
    ArticleRegion.objects.create(article=about, region=zhejiang_tree["town"], role=ArticleRegion.Role.MAIN)
    passing = make_article("网格工作札记", "网格网格网格，网格员说起新昌的一次培训。" + "网格服务。" * 5)
    for q in ("新昌 网格", "新昌网格", "新昌县网格员"):
        assert found(q)[0] == about, q
    assert set(found("新昌 网格")) == {about, passing}


def test_an_alias_finds_its_place_and_what_lies_under_it(zhejiang_tree, make_article):
    article = make_article("街道网格智治的实践", "街道划分网格175个。")
    ArticleRegion.objects.create(article=article, region=zhejiang_tree["town"], role=ArticleRegion.Role.MAIN)
    make_article("别处的网格", "社区划分网格。")
    RegionAlias.objects.create(region=zhejiang_tree["county"], name="新昌旧县", kind="former")
    from search.segment import reset_tokenizer

    reset_tokenizer()  # the alias becomes a dictionary word, as after a rebuild
    assert found("新昌旧县") == [article]
    assert found("新昌旧县 网格") == [article]
    assert found("新昌旧县网格")[0] == article


def test_a_title_match_outranks_body_mentions_of_both_words(zhejiang_tree, make_article):
    body = make_article("乡村工作札记", "特色产业带动增收，共同富裕。" * 6)
    title = make_article("特色产业点燃共同富裕引擎", "各村因地制宜发展。" * 6 + "特色产业。共同富裕。")
    assert found("特色产业 共同富裕") == [title, body]


def test_the_article_about_a_place_outranks_those_that_mention_it(zhejiang_tree, make_article):
    main = make_article("甲文", "网格治理。" * 3)
    often = make_article("乙文", "网格治理。" * 3)
    once = make_article("丙文", "网格治理。" * 3)
    county = zhejiang_tree["county"]
    ArticleRegion.objects.create(article=main, region=county, role=ArticleRegion.Role.MAIN)
    ArticleRegion.objects.create(article=often, region=county, role=ArticleRegion.Role.MENTIONED, mentions=4)
    ArticleRegion.objects.create(article=once, region=county, role=ArticleRegion.Role.MENTIONED, mentions=1)
    assert found("新昌 网格") == [main, often, once]


def test_words_cut_differently_in_the_query_and_the_text_are_found(make_article):
    # The text cuts 饮用|水源地, the query 饮用水|源.
    article = make_article("水源保护", "四岭水库是饮用水源地，市民监督员参与采样。")
    assert found("饮用水源") == [article]
    assert found("饮用水源 监督员") == [article]


def test_a_term_of_words_and_single_characters_is_matched_by_its_parts(zhejiang_tree, make_article):
    # 新昌茶产业 is cut 新昌 茶 产业: the article says 新昌县 and 茶产业 apart, never 新昌茶产业.
    article = make_article("新昌县推进共同富裕", "新昌县立足山区，做强茶产业，带动茶农增收。")
    make_article("别处的产业", "某地发展产业，茶馆林立。")
    assert found("新昌茶产业") == [article]
    together = make_article("新昌茶产业的故事", "新昌茶产业兴旺。")
    assert found("新昌茶产业")[0] == together


def test_words_found_together_rank_above_the_same_words_apart(make_article):
    apart = make_article("甲", "疫情过后，社区加强防控。" + "居民。" * 10)
    together = make_article("乙", "社区做好疫情防控。" + "居民。" * 10)
    assert found("疫情防控") == [together, apart]


@pytest.mark.parametrize("text", ["新昌县 ABC 网格", "İstanbul 的网格", "ΣΑΣ 网格", "ẞtraße", "ＡＢＣ共同富裕"])
def test_case_folding_keeps_offsets_and_matches_folding_each_character(text):
    from search.engine import normalize_fold

    folded = normalize_fold(text)
    assert len(folded) == len(text)  # snippet marks are cut from the original at these offsets
    assert folded == "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _match_index_exists():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'search_articledocument_match_gin'")
        return cursor.fetchone() is not None


@pytest.mark.django_db(transaction=True)
def test_a_large_rebuild_builds_the_gin_index_once_at_the_end_even_if_it_fails(make_article, monkeypatch):
    """Row by row, ~2,500 index entries a document overran the GIN pending list at 100k articles;
    a large rebuild drops the index, rewrites the documents and builds the index over them."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL index")
    from django.test.utils import CaptureQueriesContext

    from search import indexing

    make_article("城南乡推进共同富裕的实践", "城南乡依托乡贤力量建设共富工坊。")
    monkeypatch.setattr(indexing, "REBUILD_WITHOUT_INDEX_FROM", 1)
    with CaptureQueriesContext(connection) as ctx:
        assert indexing.rebuild_all() == 1
    statements = [q["sql"] for q in ctx.captured_queries if "INDEX" in q["sql"]]
    assert [s.split()[0] for s in statements] == ["DROP", "CREATE"], statements
    assert _match_index_exists()
    assert [a.title for a in search_articles(Article.objects.all(), "共富工坊")] == ["城南乡推进共同富裕的实践"]

    def broken(*args):
        raise RuntimeError("a chunk failed")

    monkeypatch.setattr(indexing, "_rebuild", broken)
    with pytest.raises(RuntimeError):
        indexing.rebuild_all()
    assert _match_index_exists()


def test_a_long_substring_is_checked_in_bonus_order_on_few_texts(make_article, monkeypatch):
    """钱随人走 is four single characters: its trigrams suggest documents, their text decides. The
    page comes from checking the documents in bonus order, a few at a time, and is the page that
    ordering every match would give; decoys holding the trigrams apart never appear."""
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL ranked path")
    from search import engine

    monkeypatch.setattr(engine, "TEXT_WALK_BATCH", 2)
    for i in range(6):
        make_article(f"案例{i}", "推行钱随人走的做法。" + "其他内容。" * i, published_on=datetime.date(2020, 1, 1 + i))
        make_article(f"干扰{i}", "钱随人。随人走。")  # both trigrams, not the substring
    make_article("钱随人走的改革", "正文。")
    full = [a.pk for a in search_articles(Article.objects.all(), "钱随人走").order_by("-rank", "id")]
    assert len(full) == 7
    assert not engine._ranks_text(engine.with_places(engine.parse_query("钱随人走")))
    checked = []
    original = engine._by_bonus_reading_few_texts
    monkeypatch.setattr(engine, "_by_bonus_reading_few_texts",
                        lambda *args, **kwargs: checked.append(result := original(*args, **kwargs)) or result)
    pages = [[a.pk for a in ranked_articles(Article.objects.all(), "钱随人走", limit=3, offset=o)] for o in (0, 3, 6)]
    assert [pk for page in pages for pk in page] == full
    assert None not in checked  # each page came from the walk
    # Ties in bonus keep the caller's order after the rank (the API: newest first).
    newest = search_articles(Article.objects.all(), "钱随人走").order_by("-rank", "-published_on", "id")
    assert [a.pk for a in engine.ranked_slice(newest, "钱随人走", 0, 7)] == [a.pk for a in newest]
    assert [a.pk for a in newest] != full  # (the dates do reorder the ties)
    monkeypatch.setattr(engine, "TEXT_WALK_LIMIT", 4)  # too short a walk for the last page: every match is ordered
    assert [a.pk for a in ranked_articles(Article.objects.all(), "钱随人走", limit=3, offset=6)] == full[6:]
    assert checked[-1] is None
