"""Test and benchmark articles built from the corpus at run time (the text is never committed).

Until the ingest pipeline is merged, the search tests, ``bench/eval_search.py`` and
``bench/bench_search.py`` need articles: this module cuts the corpus files into
articles with simple rules (the hand labels' line ranges for 002 and 004, item
headings for 003, page/column starts for the two magazine issues), links the
Zhejiang places each mentions, the initiatives it names and the labelled figures.
When ingested articles exist the relevance set still applies: it names the
expected articles by a clause of their text, not by an id.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

#: Zhejiang places the corpus talks about: (code, name, short name, level, aliases).
#: County and city codes are the NBS ones; a few town codes are stand-ins for the fixture.
PLACES = [
    ("330000000000", "浙江省", "浙江", "province", []),
    ("330100000000", "杭州市", "杭州", "city", []),
    ("330102000000", "上城区", "上城", "county", ["江干区"]),
    ("330106000000", "西湖区", "西湖", "county", []),
    ("330106004000", "古荡街道", "古荡", "town", []),
    ("330111000000", "富阳区", "富阳", "county", ["富阳市"]),
    ("330111212000", "春建乡", "春建", "town", []),
    ("330112000000", "临安区", "临安", "county", ["临安市"]),
    ("330112007000", "玲珑街道", "玲珑", "town", []),
    ("330112110000", "潜川镇", "潜川", "town", []),
    ("330200000000", "宁波市", "宁波", "city", []),
    ("330212000000", "鄞州区", "鄞州", "county", []),
    ("330212008000", "下应街道", "下应", "town", []),
    ("330400000000", "嘉兴市", "嘉兴", "city", []),
    ("330481000000", "海宁市", "海宁", "county", []),
    ("330481001000", "硖石街道", "硖石", "town", []),
    ("330482000000", "平湖市", "平湖", "county", []),
    ("330482003000", "曹桥街道", "曹桥", "town", []),
    ("330483000000", "桐乡市", "桐乡", "county", []),
    ("330500000000", "湖州市", "湖州", "city", []),
    ("330502000000", "吴兴区", "吴兴", "county", []),
    ("330502004000", "爱山街道", "爱山", "town", []),
    ("330503000000", "南浔区", "南浔", "county", []),
    ("330523000000", "安吉县", "安吉", "county", []),
    ("330523103000", "天荒坪镇", "天荒坪", "town", []),
    ("330523103201", "余村村", "余村", "village", []),
    ("330600000000", "绍兴市", "绍兴", "city", []),
    ("330624000000", "新昌县", "新昌", "county", []),
    ("330624003000", "七星街道", "七星", "town", []),
    ("330624201000", "城南乡", "城南", "town", []),
    ("330700000000", "金华市", "金华", "city", []),
    ("330727000000", "磐安县", "磐安", "county", []),
    ("330727103000", "尖山镇", "尖山", "town", []),
    ("330800000000", "衢州市", "衢州", "city", []),
    ("330802000000", "柯城区", "柯城", "county", []),
    ("330824000000", "开化县", "开化", "county", []),
    ("330900000000", "舟山市", "舟山", "city", []),
    ("330922000000", "嵊泗县", "嵊泗", "county", []),
    ("331000000000", "台州市", "台州", "city", []),
    ("331003000000", "黄岩区", "黄岩", "county", []),
    ("331100000000", "丽水市", "丽水", "city", []),
    ("331121000000", "青田县", "青田", "county", []),
    ("331127000000", "景宁畲族自治县", "景宁", "county", []),
]

#: Named practices the corpus reports (besides those in the hand labels).
INITIATIVES = [
    "一张网格管治理", "党建+网格", "网格智治", "共富工坊", "千万工程", "未来社区", "强村公司", "数字家庭",
    "微改造、精提升", "同心荟", "石榴红", "共同富裕现代化基本单元", "山海协作", "百姓议事会", "浙里办",
]

#: A few canonical metrics with the labels that name them.
METRICS = [
    ("常住人口", "resident-population", "population", "人", ["常住人口"]),
    ("网格数", "grids", "count", "个", ["网格", "微网格"]),
    ("工业企业数", "industrial-enterprises", "count", "家", ["工业企业"]),
    ("人均可支配收入", "disposable-income-per-capita", "money", "元", ["人均可支配收入", "农村居民人均可支配收入"]),
    ("村集体经济收入", "village-collective-income", "money", "元", ["村集体经济收入", "集体经济收入"]),
]

# 003: the lines where its items begin (title lines).
ITEM_STARTS_003 = [3, 29, 39, 51, 61, 79, 89, 111, 135]
_CJK_END = re.compile(r"[\u3400-\u9fff，。、；：？！“”‘’（）《》—…·]$")
_CJK_START = re.compile(r"^[\u3400-\u9fff，。、；：？！“”‘’（）《》—…·]")


@dataclass
class CorpusArticle:
    key: str  # "<file prefix>:<first line>"
    file: str
    line_start: int
    line_end: int
    title: str
    body: str
    authors: list[str] = field(default_factory=list)
    initiatives: list[str] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)


def join_lines(lines: list[str]) -> str:
    """Undo the PDF's line breaks: lines joined, new paragraphs where a line opens with a space."""
    paragraphs: list[str] = []
    current = ""
    for raw in lines:
        if not raw.strip():
            continue
        line = raw.strip()
        if raw.startswith((" ", "\u3000", "#")) and current:
            paragraphs.append(current)
            current = line.lstrip("# ")
            continue
        line = line.lstrip("# ")
        if current and not (_CJK_END.search(current) and _CJK_START.search(line)):
            current += " "
        current += line
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)


def _ranges_by_starts(starts: list[int], total: int) -> list[tuple[int, int]]:
    starts = sorted(set(starts))
    return [(s, (starts[i + 1] - 1) if i + 1 < len(starts) else total) for i, s in enumerate(starts)]


def split_file(path: Path, labels_dir: Path | None = None) -> list[CorpusArticle]:
    lines = path.read_text(encoding="utf-8").split("\n")
    prefix = path.name[:3]
    labels = None
    if labels_dir is not None and (labels_dir / f"{prefix}.json").is_file():
        labels = json.loads((labels_dir / f"{prefix}.json").read_text(encoding="utf-8"))
    out = []
    if labels:
        for item in labels["articles"]:
            s, e = item["line_start"], item["line_end"]
            body = join_lines(lines[s - 1 : e])
            figures = [{**f, "label": f.get("label") or f.get("metric")} for f in item.get("figures", [])
                       if f.get("quote") and (f.get("label") or f.get("metric"))]
            out.append(CorpusArticle(
                key=f"{prefix}:{s}", file=prefix, line_start=s, line_end=e, title=item["title"] or body[:30],
                body=body, authors=item.get("authors") or [],
                initiatives=[i["name"] for i in item.get("initiatives", []) if i.get("name")], figures=figures,
            ))
        return out
    if prefix == "003":
        ranges = _ranges_by_starts(ITEM_STARTS_003, len(lines))
    else:  # magazine pages and columns: a line opening with a space starts one
        starts = [1] + [i + 1 for i, line in enumerate(lines) if line.startswith(" ") and line.strip()]
        ranges = _ranges_by_starts(starts, len(lines))
    for s, e in ranges:
        body = join_lines(lines[s - 1 : e])
        if len(body) < 40:
            continue
        first = next(line.strip() for line in lines[s - 1 : e] if line.strip())
        out.append(CorpusArticle(key=f"{prefix}:{s}", file=prefix, line_start=s, line_end=e,
                                 title=first[:60], body=body))
    return out


def split_corpus(corpus_dir: Path, labels_dir: Path | None = None) -> list[CorpusArticle]:
    if labels_dir is None:
        labels_dir = Path(corpus_dir).parent / "labels"
    articles = []
    for path in sorted(Path(corpus_dir).glob("*.txt")):
        articles += split_file(path, labels_dir if labels_dir.is_dir() else None)
    return articles


def load_places():
    from regions.models import Region, RegionAlias, code_prefix

    by_code = {}
    for code, name, short, level, aliases in PLACES:
        parent = None
        for candidate in sorted(by_code, key=len, reverse=True):
            r = by_code[candidate]
            if code != candidate and code.startswith(code_prefix(r.code, r.level)):
                parent = r
                break
        region, _ = Region.objects.get_or_create(
            code=code, defaults={"name": name, "short_name": short, "level": level, "parent": parent,
                                 "edition": "fixture"})
        for alias in aliases:
            RegionAlias.objects.get_or_create(region=region, name=alias, defaults={"kind": "former"})
        by_code[code] = region
    return by_code


def load_into_db(articles: list[CorpusArticle], status: str = "published") -> dict:
    """Create the articles with their places, initiatives, metrics and figures; returns key → Article."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.db.models import Q
    from django.utils import timezone

    from cases.models import Article, ArticleRegion, Figure, Initiative, Metric
    from search import indexing

    regions = load_places()
    reviewer, _ = get_user_model().objects.get_or_create(username="corpus-reviewer", defaults={"is_staff": True})
    now = timezone.now()
    metrics = {}
    for name, slug, quantity, unit, labels in METRICS:
        # The seeded vocabulary (cases.0003) may already hold the metric under this name or slug.
        metrics[name] = Metric.objects.filter(Q(name=name) | Q(slug=slug)).first() or Metric.objects.create(
            name=name, slug=slug, quantity=quantity, base_unit=unit, labels=labels)
    created = {}
    with transaction.atomic(), indexing.batch():
        for item in articles:
            article = Article.objects.create(
                title=item.title[:300], body=item.body, authors=item.authors, line_start=item.line_start,
                line_end=item.line_end, status=status,
                reviewed_by=reviewer if status == "published" else None,
                reviewed_at=now if status == "published" else None,
            )
            created[item.key] = article
            flat = item.body.replace("\n", "")
            links = []
            for region in regions.values():
                names = [region.name] + ([region.short_name] if len(region.short_name or "") >= 2 else [])
                count = sum(flat.count(n) for n in set(names))
                if count:
                    links.append(ArticleRegion(article=article, region=region, mentions=count))
            if links:
                top = max(links, key=lambda link: (link.mentions, link.region.code))
                top.role = ArticleRegion.Role.MAIN
            for link in links:
                link.save()
            # An article is about a practice it names more than once (or that the labels give it).
            names = set(item.initiatives) | {n for n in INITIATIVES if flat.count(n) >= 2}
            for name in sorted(names):
                initiative = Initiative.objects.filter(name=name[:200], region__isnull=True).first()
                if initiative is None:
                    initiative = Initiative.objects.create(name=name[:200])
                initiative.articles.add(article)
            for fig in item.figures:
                quote = fig["quote"]
                start = item.body.find(quote)
                try:
                    value = Decimal(str(fig.get("value")))
                except (InvalidOperation, TypeError):
                    continue
                if start < 0:
                    continue
                metric = next((m for m in metrics.values() if fig["label"] in m.labels), None)
                Figure.objects.create(article=article, label=fig["label"][:100], value=value,
                                      unit=(fig.get("unit") or "")[:20], quote=quote, start=start,
                                      end=start + len(quote), metric=metric)
    return created
