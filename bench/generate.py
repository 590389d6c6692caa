"""Generate a realistic data set for benchmarks: articles, figures, regions, initiatives.

Records are recombined from real-looking parts (Zhejiang's cities and counties
with their NBS codes, the corpus's kinds of practices, metrics and the way
figures are written: 约15万人, 175个网格) so the database sees realistic
text lengths, value spreads and region fan-outs. Deterministic for a seed.
Everything is bulk-inserted (no history rows), so 10,000 articles and 100,000
figures take well under a minute.

    from bench.generate import generate
    generate(articles=10_000, figures=100_000)

Reused by the API benchmark, the query-count tests and the production helper.
"""

import datetime
import hashlib
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

# (city code prefix, city, [(county code prefix, county), ...]) — NBS codes.
CITIES = [
    ("3301", "杭州市", [("330102", "上城区"), ("330105", "拱墅区"), ("330106", "西湖区"), ("330110", "余杭区"),
                       ("330122", "桐庐县"), ("330127", "淳安县")]),
    ("3302", "宁波市", [("330203", "海曙区"), ("330212", "鄞州区"), ("330225", "象山县"), ("330226", "宁海县")]),
    ("3303", "温州市", [("330302", "鹿城区"), ("330324", "永嘉县"), ("330327", "苍南县"), ("330381", "瑞安市")]),
    ("3304", "嘉兴市", [("330402", "南湖区"), ("330421", "嘉善县"), ("330481", "海宁市"), ("330483", "桐乡市")]),
    ("3305", "湖州市", [("330502", "吴兴区"), ("330521", "德清县"), ("330522", "长兴县"), ("330523", "安吉县")]),
    ("3306", "绍兴市", [("330602", "越城区"), ("330603", "柯桥区"), ("330624", "新昌县"), ("330681", "诸暨市")]),
    ("3307", "金华市", [("330702", "婺城区"), ("330723", "武义县"), ("330782", "义乌市"), ("330783", "东阳市")]),
    ("3308", "衢州市", [("330802", "柯城区"), ("330822", "常山县"), ("330824", "开化县"), ("330881", "江山市")]),
    ("3309", "舟山市", [("330902", "定海区"), ("330903", "普陀区"), ("330921", "岱山县")]),
    ("3310", "台州市", [("331002", "椒江区"), ("331022", "三门县"), ("331023", "天台县"), ("331081", "温岭市")]),
    ("3311", "丽水市", [("331102", "莲都区"), ("331121", "青田县"), ("331127", "景宁畲族自治县")]),
]
TOWN_NAMES = ["城关", "七星", "南明", "东城", "西湖", "新塘", "大市聚", "回山", "儒岙", "镜岭", "澄潭", "沙溪",
              "白云", "桃源", "龙泉", "石门", "双溪", "梅溪"]
TOWN_SUFFIXES = ["街道", "镇", "乡"]

PRACTICES = ["网格智治", "共富工坊", "未来社区", "强村公司", "千万工程", "数字乡村", "县域医共体", "乡贤参事会",
             "红色物业", "共享法庭", "邻里中心", "山海协作", "飞地经济", "一老一小", "民生议事堂", "闲置农房激活"]
TITLE_PATTERNS = ["{place}：以“{practice}”推进基层治理现代化", "{place}探索{practice}新路径",
                  "从“{practice}”看{place}的共富实践", "{place}{practice}的三个关键", "{practice}：{place}的经验与启示"]
OPENINGS = ["近年来，{place}坚持以人民为中心，围绕“{practice}”持续发力。",
            "{place}把{practice}作为推动共同富裕的重要抓手，探索形成了一批可复制可推广的经验。",
            "走进{place}，{practice}带来的变化随处可见。"]
FILLERS = ["当地党委政府高位推动，建立健全工作机制，推动资源下沉、力量下沉。",
           "群众的获得感、幸福感、安全感不断增强。", "通过数字化改革，办事效率明显提升。",
           "各方力量协同参与，形成了共建共治共享的良好格局。", "这一做法得到上级部门的充分肯定。"]

# (name, slug, quantity, base unit, [(unit as written, multiplier)], typical base value range)
METRICS = [
    ("网格数", "grids", "count", "个", [("个", 1)], (20, 800)),
    ("常住人口", "resident-population", "population", "人", [("万人", 10_000), ("人", 1)], (3_000, 600_000)),
    ("村集体经营性收入", "village-collective-income", "money", "元", [("万元", 10_000), ("亿元", 100_000_000)],
     (100_000, 50_000_000)),
    ("农村居民人均可支配收入", "rural-disposable-income", "money", "元", [("元", 1), ("万元", 10_000)], (20_000, 60_000)),
    ("共富工坊数", "common-prosperity-workshops", "count", "家", [("家", 1), ("个", 1)], (3, 300)),
    ("带动就业人数", "jobs-created", "population", "人", [("人", 1), ("万人", 10_000)], (50, 20_000)),
    ("志愿者人数", "volunteers", "population", "人", [("名", 1), ("人", 1)], (30, 5_000)),
    ("民生实事项目", "livelihood-projects", "count", "个", [("个", 1), ("项", 1)], (5, 120)),
]
QUALIFIERS = [("", "exact"), ("约", "approx"), ("超", "over"), ("近", "under"), ("", "exact"), ("", "exact")]


def ensure_regions():
    """The province, its cities and counties (real codes) and a few towns per county; returns the towns."""
    from regions.models import Level, Region

    def upsert(code, name, level, parent):
        region, _ = Region.objects.get_or_create(
            code=code, defaults={"name": name, "short_name": name[:-1] if len(name) > 2 else "", "level": level,
                                 "parent": parent, "edition": "bench"},
        )
        return region

    province = upsert("330000000000", "浙江省", Level.PROVINCE, None)
    towns = []
    for city_prefix, city_name, counties in CITIES:
        city = upsert(city_prefix.ljust(12, "0"), city_name, Level.CITY, province)
        for county_prefix, county_name in counties:
            county = upsert(county_prefix.ljust(12, "0"), county_name, Level.COUNTY, city)
            for i in range(1, 7):
                name = TOWN_NAMES[(int(county_prefix) + i) % len(TOWN_NAMES)] + TOWN_SUFFIXES[i % len(TOWN_SUFFIXES)]
                towns.append(upsert(f"{county_prefix}{i:03d}000", name, Level.TOWN, county))
    return towns


def ensure_metrics():
    from cases.models import Metric

    out = []
    for name, slug, quantity, base_unit, units, value_range in METRICS:
        # The migrations seed canonical metrics, some under these names with other slugs:
        # take the one with this slug, else the one with this name (given this slug), else create it.
        metric = Metric.objects.filter(slug=slug).first()
        if metric is None:
            metric, _ = Metric.objects.update_or_create(
                name=name, defaults={"slug": slug, "quantity": quantity, "base_unit": base_unit, "labels": [name]})
        out.append((metric, units, value_range))
    return out


def _figure_text(rng, metric_info):
    metric, units, (low, high) = metric_info
    unit, multiplier = rng.choice(units)
    base_value = rng.uniform(low, high)
    written = Decimal(str(round(base_value / multiplier, 2 if multiplier > 1 else 0))).normalize()
    if written <= 0:
        written = Decimal(1)
    qualifier, kind = rng.choice(QUALIFIERS)
    label = metric.name[:-1] if metric.name.endswith("数") and not metric.name.endswith("人数") else metric.name
    quote = f"{label}{qualifier}{format(written, 'f')}{unit}"
    return quote, (metric, label, written, unit, qualifier, kind, written * multiplier, metric.base_unit)


@transaction.atomic
def generate(articles=10_000, figures=100_000, published_share=0.9, seed=42, batch_size=2_000) -> dict:
    """Insert ``articles`` articles and about ``figures`` figures; returns the counts inserted."""
    from cases.models import Article, ArticleRegion, Figure, Initiative, Publication, Source, Theme

    rng = random.Random(seed)
    towns = ensure_regions()
    metrics = ensure_metrics()
    publications = list(Publication.objects.all()) or [Publication.objects.create(name="今日浙江")]
    themes = list(Theme.objects.all())
    reviewer_time = timezone.now()
    from django.contrib.auth import get_user_model

    reviewer, _ = get_user_model().objects.get_or_create(username="bench-reviewer", defaults={"is_active": False})

    run = hashlib.sha256(f"{seed}-{articles}-{figures}-{Article.objects.count()}".encode()).hexdigest()[:8]
    sources = []
    for i in range(max(1, articles // 20)):
        year = 2018 + i % 8
        sources.append(Source(
            publication=publications[i % len(publications)], file_name=f"bench-{run}-{i}.txt",
            sha256=hashlib.sha256(f"{run}-{i}".encode()).hexdigest(), encoding="utf-8",
            issue_label=f"{year}年第{i % 24 + 1}期", published_on=datetime.date(year, i % 12 + 1, 15),
        ))
    Source.objects.bulk_create(sources, batch_size=batch_size)

    wanted = [
        Initiative(name=f"{practice}（{town.name}）", region=town)
        for practice, town in zip(PRACTICES * 20, rng.sample(towns, min(len(towns), len(PRACTICES) * 20)), strict=False)
    ]
    Initiative.objects.bulk_create(wanted, batch_size=batch_size, ignore_conflicts=True)  # re-runs reuse them
    initiatives = list(Initiative.objects.filter(name__in={i.name for i in wanted}))

    per_article = max(0, figures // max(articles, 1))
    article_rows, plans = [], []
    for i in range(articles):
        town = rng.choice(towns)
        practice = rng.choice(PRACTICES)
        place = town.name
        source = sources[i % len(sources)]
        sentences = [rng.choice(OPENINGS).format(place=place, practice=practice)]
        figure_specs = []
        for _ in range(per_article):
            quote, rest = _figure_text(rng, rng.choice(metrics))
            sentence = f"{rng.choice(['截至目前，', '去年，', '三年来，', ''])}{place}{quote}。"
            offset = sum(len(s) for s in sentences) + sentence.index(quote)
            sentences.append(sentence)
            sentences.append(rng.choice(FILLERS))
            figure_specs.append((quote, offset, rest))
        sentences += rng.sample(FILLERS, 3)
        published = rng.random() < published_share
        article_rows.append(Article(
            source=source, position=i % 20 + 1, title=rng.choice(TITLE_PATTERNS).format(place=place, practice=practice),
            kind=rng.choice(["case", "case", "feature", "overview", "news"]), published_on=source.published_on,
            body="".join(sentences), summary=sentences[0], authors=[rng.choice(["王磊", "李娜", "张伟", "陈静"])],
            status="published" if published else "draft",
            reviewed_by=reviewer if published else None, reviewed_at=reviewer_time if published else None,
        ))
        plans.append((town, figure_specs))
    Article.objects.bulk_create(article_rows, batch_size=batch_size)

    links, theme_links, initiative_links, figure_rows = [], [], [], []
    ThemeLink, InitiativeLink = Article.themes.through, Initiative.articles.through
    for article, (town, figure_specs) in zip(article_rows, plans, strict=True):
        links.append(ArticleRegion(article=article, region=town, role="main", mentions=rng.randint(1, 6)))
        county = town.parent
        links.append(ArticleRegion(article=article, region=county, role="mentioned", mentions=1))
        for theme in rng.sample(themes, min(2, len(themes))):
            theme_links.append(ThemeLink(article_id=article.pk, theme_id=theme.pk))
        initiative = rng.choice(initiatives)
        initiative_links.append(InitiativeLink(article_id=article.pk, initiative_id=initiative.pk))
        for quote, offset, (metric, label, written, unit, qualifier, kind, normalized, base_unit) in figure_specs:
            figure_rows.append(Figure(
                article=article, region=town, metric=metric, label=label, value=written, unit=unit,
                qualifier=qualifier, qualifier_kind=kind, normalized_value=normalized.quantize(Decimal("0.000001")),
                base_unit=base_unit, year=article.published_on.year - rng.randint(0, 2),
                is_target=rng.random() < 0.1, quote=quote, start=offset, end=offset + len(quote),
            ))
    ArticleRegion.objects.bulk_create(links, batch_size=batch_size)
    ThemeLink.objects.bulk_create(theme_links, batch_size=batch_size)
    InitiativeLink.objects.bulk_create(initiative_links, batch_size=batch_size)
    Figure.objects.bulk_create(figure_rows, batch_size=batch_size)
    # bulk_create sends no signals: index the new articles (text, places, figures) for search.
    from search.indexing import index_articles

    index_articles([a.pk for a in article_rows])
    return {"articles": len(article_rows), "figures": len(figure_rows), "sources": len(sources),
            "initiatives": len(initiatives), "regions": len(towns)}
