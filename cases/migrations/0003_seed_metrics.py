"""Seed the canonical metrics figures are matched to (常住人口, 网格数, 村集体经营性收入 …).

A frozen copy of ``cases.ingest.metrics.METRICS`` at the time of writing; later
additions go in a new migration. Existing rows (editors' edits) are left alone.
"""

from django.db import migrations

METRICS = [
    ('resident-population', '常住人口', 'population', '人', ['常住人口', '常住人数']),
    ('registered-population', '户籍人口', 'population', '人', ['户籍人口', '户籍人数']),
    ('grids', '网格数', 'count', '个', ['网格', '基础网格', '全科网格', '划分网格']),
    ('micro-grids', '微网格数', 'count', '个', ['微网格']),
    ('grid-workers', '网格员数', 'population', '人', ['网格员', '专职网格员', '兼职网格员', '网格指导员']),
    ('industrial-enterprises', '工业企业数', 'count', '家', ['工业企业', '规上工业企业', '规模以上工业企业']),
    ('enterprises', '企业数', 'count', '家', ['企业', '市场主体', '经营主体', '商贸业']),
    ('village-collective-operating-income', '村集体经营性收入', 'money', '元', ['村集体经营性收入', '集体经营性收入', '经营性收入']),
    ('village-collective-income', '村集体收入', 'money', '元', ['村集体收入', '村级集体经济收入', '集体经济收入', '村集体经济收入', '村集体经济收益', '集体经济收益']),
    ('per-capita-disposable-income', '人均可支配收入', 'money', '元', ['人均可支配收入', '居民人均可支配收入', '城镇居民人均可支配收入']),
    ('rural-per-capita-disposable-income', '农村居民人均可支配收入', 'money', '元', ['农村居民人均可支配收入', '农民人均可支配收入', '农民人均收入', '农村常住居民人均可支配收入']),
    ('urban-rural-income-ratio', '城乡居民收入比', 'ratio', '', ['城乡居民收入比', '城乡收入比', '城乡居民收入倍差']),
    ('gdp', '地区生产总值', 'money', '元', ['地区生产总值', '生产总值', 'GDP', '经济总量']),
    ('investment', '投资额', 'money', '元', ['投资', '总投资', '完成投资', '累计投资', '投资金额', '投资额', '投入']),
    ('output-value', '产值', 'money', '元', ['产值', '年产值', '总产值', '营收', '营业收入', '销售额']),
    ('employment', '就业人数', 'population', '人', ['就业', '吸纳就业', '带动就业', '就业人数']),
    ('volunteers', '志愿者数', 'population', '人', ['志愿者', '志愿力量', '志愿服务者']),
    ('tourist-visits', '游客人次', 'population', '人次', ['游客', '接待游客', '旅游人次', '客流']),
    ('tourism-revenue', '旅游收入', 'money', '元', ['旅游收入', '旅游综合收入', '旅游总收入']),
    ('party-members', '党员数', 'population', '人', ['党员', '在职党员', '党员干部']),
    ('area', '面积', 'area', '平方公里', ['面积', '区域面积', '总面积', '辖区面积', '占地']),
    ('land-transfer', '土地流转面积', 'area', '亩', ['流转土地', '土地流转', '流转低效林']),
    ('administrative-villages', '行政村数', 'count', '个', ['行政村']),
    ('natural-villages', '自然村数', 'count', '个', ['自然村']),
    ('communities', '社区数', 'count', '个', ['社区', '城乡社区', '城市社区']),
    ('households', '户数', 'count', '户', ['农户', '户数', '茶农', '家庭']),
    ('income-increase', '增收', 'money', '元', ['增收', '户均增收', '人均增收']),
    ('projects', '项目数', 'count', '个', ['项目', '重点项目']),
    ('disputes-resolved', '化解矛盾纠纷数', 'count', '件', ['矛盾纠纷', '纠纷']),
    ('issues-handled', '处置问题数', 'count', '件', ['问题', '事件', '民生实事', '诉求']),
    ('case-closure-rate', '办结率', 'percent', '%', ['办结率', '处置率', '化解率']),
    ('satisfaction-rate', '满意率', 'percent', '%', ['满意率', '满意度', '好评率']),
    ('completion-rate', '完成率', 'percent', '%', ['完成率']),
    ('social-organizations', '社会组织数', 'count', '家', ['社会组织', '社区社会组织', '公益组织']),
    ('common-prosperity-workshops', '共富工坊数', 'count', '家', ['共富工坊']),
    ('strong-village-companies', '强村公司数', 'count', '家', ['强村公司']),
    ('low-income-households', '低收入农户数', 'count', '户', ['低收入农户', '低保户', '低收入家庭']),
    ('hospital-beds', '床位数', 'count', '张', ['床位']),
    ('urbanization-rate', '城镇化率', 'percent', '%', ['城镇化率', '城市化率']),
    ('community-workers', '社区工作者数', 'population', '人', ['社区工作者', '社工', '专职社工', '社会工作师']),
    ('schools', '学校数', 'count', '所', ['学校', '小规模学校', '中小学', '幼儿园']),
    ('elderly-population-share', '老年人口占比', 'percent', '%', ['老年人口', '岁以上老人', '老龄化率']),
]


def seed(apps, schema_editor):
    Metric = apps.get_model("cases", "Metric")
    for slug, name, quantity, base_unit, labels in METRICS:
        Metric.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "quantity": quantity, "base_unit": base_unit, "labels": labels},
        )


def unseed(apps, schema_editor):
    Metric = apps.get_model("cases", "Metric")
    Metric.objects.filter(slug__in=[row[0] for row in METRICS], figures__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_seed_themes_publications")]
    operations = [migrations.RunPython(seed, unseed)]
