"""Seed the controlled vocabulary of themes and the two main publications.

The six domains of Zhejiang's common-prosperity demonstration zone pilots, plus
基层治理 and the themes the corpus shows. Editors extend the list in the admin.
"""

from django.db import migrations

THEMES = [
    # (slug, name, keywords, parent slug)
    ("regional-gap", "缩小地区差距", ["山海协作", "地区差距", "区域协调", "对口支援", "飞地"], None),
    ("urban-rural-gap", "缩小城乡差距", ["城乡差距", "城乡融合", "千万工程", "乡村振兴", "强村公司", "农民增收"], None),
    ("income-gap", "缩小收入差距", ["收入差距", "中等收入群体", "低收入", "增收", "共富工坊", "就业"], None),
    ("public-services", "公共服务优质共享", ["公共服务", "教育", "医疗", "养老", "托育", "一老一小"], None),
    ("spiritual-civilization", "打造精神文明高地", ["精神文明", "文化", "文明实践", "家风", "乡风"], None),
    ("basic-units", "建设共同富裕现代化基本单元", ["未来社区", "未来乡村", "基本单元", "现代化单元"], None),
    ("grassroots-governance", "基层治理", ["基层治理", "治理", "自治", "法治", "德治"], None),
    ("grid-governance", "网格化治理", ["网格", "网格员", "微网格", "网格智治"], "grassroots-governance"),
    ("party-building", "党建引领", ["党建", "党组织", "党员", "党建引领", "党建统领"], "grassroots-governance"),
    ("digital-governance", "数字化改革", ["数字化", "数字", "智治", "平台", "大数据"], "grassroots-governance"),
    ("community-modernization", "城乡社区现代化", ["社区", "城乡社区", "社工", "社区治理"], "grassroots-governance"),
    ("safety-emergency", "平安与应急", ["平安", "疫情防控", "防汛防台", "除险保安", "应急"], "grassroots-governance"),
    ("village-economy", "村级集体经济", ["村集体", "集体经济", "强村公司", "经营性收入"], "urban-rural-gap"),
    ("rural-talent", "乡贤与人才", ["乡贤", "人才", "新乡贤"], None),
    ("ethnic-unity", "民族团结", ["民族团结", "石榴红", "少数民族"], None),
    ("ecology", "生态文明", ["生态", "绿水青山", "环境整治", "垃圾分类"], None),
    ("united-front", "统战工作", ["统战", "新联会", "新的社会阶层"], None),
]

PUBLICATIONS = [
    ("今日浙江", "magazine", "中共浙江省委"),
    ("浙江日报", "newspaper", "浙江日报报业集团"),
]


def seed(apps, schema_editor):
    Theme = apps.get_model("cases", "Theme")
    Publication = apps.get_model("cases", "Publication")
    by_slug = {}
    for order, (slug, name, keywords, parent) in enumerate(THEMES, start=1):
        theme, _ = Theme.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "keywords": keywords, "sort_order": order * 10},
        )
        by_slug[slug] = theme
    for slug, _name, _kw, parent in THEMES:
        if parent and by_slug[slug].parent_id is None:
            by_slug[slug].parent = by_slug[parent]
            by_slug[slug].save(update_fields=["parent"])
    for name, kind, publisher in PUBLICATIONS:
        Publication.objects.get_or_create(name=name, defaults={"kind": kind, "publisher": publisher})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
