"""Case studies and what they report.

A *Source* is one ingested document (a magazine issue, a newspaper page); it
holds *Articles*, the case studies. An article describes *Initiatives* (named
practices) in *Regions* and reports *Figures* (outcome numbers). Every figure
keeps the exact quote it came from and its offsets in ``Article.body``, so an
editor can check it against the text in seconds. Values are stored as written
(15, 万人, 约) and normalised (150000, 人, approx) so figures compare across
places.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regions.models import Region


class Origin(models.TextChoices):
    EXTRACTED = "extracted", _("机器抽取")
    EDITOR = "editor", _("编辑录入")


class Publication(models.Model):
    class Kind(models.TextChoices):
        MAGAZINE = "magazine", _("期刊")
        NEWSPAPER = "newspaper", _("报纸")
        WEBSITE = "website", _("网站")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=100, unique=True, help_text=_("刊物名称，如“今日浙江”。"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.MAGAZINE)
    publisher = models.CharField(_("主办单位"), max_length=200, blank=True)
    url = models.URLField(_("网址"), blank=True)

    class Meta:
        verbose_name = _("刊物")
        verbose_name_plural = _("刊物")
        ordering = ["name"]

    def __str__(self):
        return self.name


class FileFormat(models.TextChoices):
    TEXT = "txt", _("文本")
    PDF = "pdf", "PDF"
    DOCX = "docx", _("Word 文档")
    HTML = "html", _("网页")


class Source(models.Model):
    """One ingested document, identified by the sha256 of its bytes.

    A new version of a file is a new Source; re-ingesting the same bytes finds
    the existing one.
    """

    publication = models.ForeignKey(
        Publication, verbose_name=_("刊物"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="sources",
    )
    file_name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True, help_text=_("原始文件字节的 SHA-256 摘要。"))
    encoding = models.CharField(_("编码"), max_length=20, help_text=_("检测到的文本编码，如 utf-8、gb18030。"))
    file_format = models.CharField(_("格式"), max_length=10, choices=FileFormat.choices, default=FileFormat.TEXT)
    size_bytes = models.PositiveIntegerField(_("字节数"), default=0)
    line_count = models.PositiveIntegerField(_("行数"), default=0)
    page_count = models.PositiveIntegerField(_("页数"), null=True, blank=True, help_text=_("PDF 的页数；其他格式留空。"))
    issue_label = models.CharField(_("期号"), max_length=50, blank=True, help_text=_("如“2024年第24期”。"))
    published_on = models.DateField(_("出版日期"), null=True, blank=True)
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("来源文件")
        verbose_name_plural = _("来源文件")
        ordering = ["-imported_at"]
        constraints = [
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="source_sha256_hex"),
        ]

    def __str__(self):
        label = " ".join(filter(None, [str(self.publication or ""), self.issue_label]))
        return label or self.file_name


class Theme(models.Model):
    """A controlled vocabulary of themes (缩小城乡差距, 基层治理 …)."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    slug = models.SlugField(_("标识"), max_length=60, unique=True, help_text=_("英文标识，用于 API 与网址。"))
    description = models.TextField(_("说明"), blank=True)
    keywords = models.JSONField(
        _("关键词"), default=list, blank=True, help_text=_("正文中提示该主题的词语，供自动标注使用。")
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("上级主题"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("主题")
        verbose_name_plural = _("主题")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Metric(models.Model):
    """A canonical indicator (常住人口, 网格数 …) that figures from many places share."""

    class Quantity(models.TextChoices):
        COUNT = "count", _("数量")
        POPULATION = "population", _("人口/人次")
        MONEY = "money", _("金额")
        AREA = "area", _("面积")
        LENGTH = "length", _("长度")
        WEIGHT = "weight", _("重量")
        RATIO = "ratio", _("比例")
        PERCENT = "percent", _("百分比")
        PERCENTAGE_POINT = "percentage_point", _("百分点")
        DURATION = "duration", _("时长")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=100, unique=True, help_text=_("规范指标名，如“常住人口”。"))
    slug = models.SlugField(_("标识"), max_length=100, unique=True, help_text=_("英文标识，如 resident-population。"))
    quantity = models.CharField(_("量的类型"), max_length=20, choices=Quantity.choices, default=Quantity.COUNT)
    base_unit = models.CharField(_("基本单位"), max_length=20, help_text=_("归一化后的单位，如 人、元、个、%。"))
    labels = models.JSONField(
        _("文中说法"), default=list, blank=True, help_text=_("正文中指称该指标的说法，如 [\"常住人口\", \"户籍人口\"]。")
    )
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}（{self.base_unit}）"


class ArticleQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What ``user`` may read: everything for staff, published articles for everyone else.

        The one visibility rule shared by the API, the pages and search, so a
        draft never leaks through a side door.
        """
        if user is not None and user.is_active and user.is_staff:
            return self
        return self.filter(status=Article.Status.PUBLISHED)


class Article(models.Model):
    """A case study (or another item) printed in a source."""

    class Kind(models.TextChoices):
        OVERVIEW = "overview", _("综述")
        FEATURE = "feature", _("专题报道")
        CASE = "case", _("案例")
        COMMENTARY = "commentary", _("评论")
        SPEECH = "speech", _("讲话")
        PROFILE = "profile", _("人物")
        NEWS = "news", _("新闻")
        POLICY = "policy", _("政策")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        IN_REVIEW = "in_review", _("待审核")
        PUBLISHED = "published", _("已发布")
        REJECTED = "rejected", _("已退回")

    source = models.ForeignKey(
        Source, verbose_name=_("来源文件"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="articles",
    )
    position = models.PositiveSmallIntegerField(_("文中次序"), default=0, help_text=_("在来源文件中的第几篇（从 1 起）。"))
    line_start = models.PositiveIntegerField(_("起始行"), null=True, blank=True, help_text=_("在来源文件中的起始行（从 1 起）。"))
    line_end = models.PositiveIntegerField(_("结束行"), null=True, blank=True)
    page = models.CharField(_("版面/页码"), max_length=20, blank=True)

    title = models.CharField(_("标题"), max_length=300)
    subtitle = models.CharField(_("副标题"), max_length=300, blank=True)
    authors = models.JSONField(_("作者"), default=list, blank=True, help_text=_("作者姓名列表。"))
    column = models.CharField(_("栏目"), max_length=50, blank=True, help_text=_("刊物栏目，如“本期关注”。"))
    kind = models.CharField(_("体裁"), max_length=12, choices=Kind.choices, default=Kind.CASE, db_index=True)
    published_on = models.DateField(_("发表日期"), null=True, blank=True, db_index=True)
    body = models.TextField(_("正文"), help_text=_("规范化后的正文；数字的引文位置均以此为准。"))
    body_line_map = models.JSONField(
        _("行号映射"), default=list, blank=True,
        help_text=_("正文各段起点与来源文件行号的对应：[[正文偏移, 文件行号], …]。"),
    )
    summary = models.TextField(_("摘要"), blank=True)

    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    origin = models.CharField(_("来源方式"), max_length=10, choices=Origin.choices, default=Origin.EXTRACTED)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("最后编辑人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("最后一位人工修改者；为空表示仍是机器生成的草稿，可被重新导入刷新。"),
    )
    edited_at = models.DateTimeField(_("最后编辑时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.TextField(_("审核意见"), blank=True, help_text=_("退回时必须说明理由。"))
    version = models.PositiveIntegerField(
        _("版本"), default=1, help_text=_("每次保存加一；用于防止两位编辑同时修改时互相覆盖。")
    )

    regions = models.ManyToManyField(
        Region, through="ArticleRegion", verbose_name=_("涉及区划"), related_name="articles", blank=True
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("主题"), related_name="articles", blank=True)

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["body_line_map"])
    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("文章")
        verbose_name_plural = _("文章")
        permissions = [("publish_article", _("可以发布或退回文章"))]
        ordering = ["-published_on", "source_id", "position", "id"]
        indexes = [
            models.Index(fields=["status", "-published_on"], name="article_status_date_idx"),
            models.Index(fields=["source", "position"], name="article_source_pos_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="article_title_not_empty"),
            models.CheckConstraint(
                condition=Q(line_start__isnull=True) | Q(line_end__isnull=True) | Q(line_end__gte=F("line_start")),
                name="article_lines_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
                name="article_published_is_reviewed",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(review_note=""),
                name="article_rejected_has_reason",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_machine_draft(self) -> bool:
        """Untouched by people: re-ingesting the source may refresh it."""
        return self.origin == Origin.EXTRACTED and self.edited_by_id is None and self.status == self.Status.DRAFT


class ArticleRegion(models.Model):
    """A region an article is about (main subject) or merely mentions."""

    class Role(models.TextChoices):
        MAIN = "main", _("主要对象")
        MENTIONED = "mentioned", _("提及")

    article = models.ForeignKey(Article, verbose_name=_("文章"), on_delete=models.CASCADE, related_name="region_links")
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="article_links")
    role = models.CharField(_("角色"), max_length=10, choices=Role.choices, default=Role.MENTIONED)
    mentions = models.PositiveIntegerField(_("提及次数"), default=1)

    class Meta:
        verbose_name = _("文章区划")
        verbose_name_plural = _("文章区划")
        ordering = ["article", "-role", "region__code"]
        constraints = [
            models.UniqueConstraint(fields=["article", "region"], name="article_region_unique"),
        ]
        indexes = [models.Index(fields=["region", "role"], name="article_region_role_idx")]

    def __str__(self):
        return f"{self.article} · {self.region} ({self.get_role_display()})"


class InitiativeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What ``user`` may see: everything for staff; for everyone else the initiatives a visible
        article names, or that an editor added. One known only from drafts stays hidden."""
        if user is not None and user.is_active and user.is_staff:
            return self
        named = Initiative.articles.through.objects.filter(
            initiative=models.OuterRef("pk"), article__in=Article.objects.visible_to(user).values("pk"))
        return self.filter(models.Exists(named) | models.Q(origin=Origin.EDITOR))


class Initiative(models.Model):
    """A named practice or programme: 一张网格管治理, 共富工坊, “1+3+N”."""

    name = models.CharField(_("名称"), max_length=200, db_index=True)
    aliases = models.JSONField(_("别名"), default=list, blank=True, help_text=_("同一做法的其他叫法。"))
    description = models.TextField(_("简介"), blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("所在区划"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="initiatives",
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("主题"), related_name="initiatives", blank=True)
    articles = models.ManyToManyField(Article, verbose_name=_("相关文章"), related_name="initiatives", blank=True)
    origin = models.CharField(_("来源方式"), max_length=10, choices=Origin.choices, default=Origin.EXTRACTED)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = InitiativeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("做法/项目")
        verbose_name_plural = _("做法/项目")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="initiative_name_not_empty"),
            models.UniqueConstraint(fields=["name", "region"], name="initiative_name_region_unique"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(region__isnull=True), name="initiative_name_unique_without_region"
            ),
        ]

    def __str__(self):
        return self.name


class PeriodKind(models.TextChoices):
    """What time a figure covers (``cases/ingest/periods.py`` reads it from the text)."""

    UNSTATED = "", _("未注明")
    YEAR = "year", _("全年/年度")
    HALF = "half", _("半年")
    QUARTER = "quarter", _("季度")
    MONTHS = "months", _("年内累计（前几个月）")
    CUMULATIVE = "cumulative", _("累计（某年以来）")
    SPAN = "span", _("多年合计/区间")
    TARGET = "target", _("目标值")


class FigureQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Figures of the articles ``user`` may read (see ``Article.objects.visible_to``)."""
        if user is not None and user.is_active and user.is_staff:
            return self
        return self.filter(article__status=Article.Status.PUBLISHED)


class Figure(models.Model):
    """An outcome figure, as written and normalised, tied to its exact quote.

    ``start``/``end`` are offsets into ``article.body``; ``article.body[start:end]``
    contains ``quote``.
    """

    class Qualifier(models.TextChoices):
        EXACT = "exact", _("确数")
        APPROX = "approx", _("约数")
        OVER = "over", _("超过")
        UNDER = "under", _("不足")
        RANGE = "range", _("区间")

    article = models.ForeignKey(Article, verbose_name=_("文章"), on_delete=models.CASCADE, related_name="figures")
    region = models.ForeignKey(
        Region, verbose_name=_("区划"), null=True, blank=True, on_delete=models.PROTECT, related_name="figures",
        help_text=_("该数字所描述的地方。"),
    )
    initiative = models.ForeignKey(
        Initiative, verbose_name=_("做法/项目"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="figures",
    )
    metric = models.ForeignKey(
        Metric, verbose_name=_("指标"), null=True, blank=True, on_delete=models.PROTECT, related_name="figures",
    )
    label = models.CharField(_("文中指标"), max_length=100, help_text=_("正文中的指标说法，如“工业企业”。"))
    value = models.DecimalField(_("数值"), max_digits=24, decimal_places=6, help_text=_("如文中所写，如 15（万人）。"))
    value_max = models.DecimalField(
        _("区间上限"), max_digits=24, decimal_places=6, null=True, blank=True, help_text=_("区间（3至5个）的上限。")
    )
    unit = models.CharField(_("单位"), max_length=20, blank=True, help_text=_("如文中所写，如“万人”“亿元”“%”。"))
    qualifier = models.CharField(_("限定词"), max_length=10, blank=True, help_text=_("如文中所写：约、近、超、余、以上……；确数留空。"))
    qualifier_kind = models.CharField(
        _("限定类型"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT, db_index=True
    )
    normalized_value = models.DecimalField(
        _("归一化数值"), max_digits=24, decimal_places=6, null=True, blank=True, db_index=True,
        help_text=_("换算到基本单位后的数值（约15万人 → 150000）。"),
    )
    normalized_value_max = models.DecimalField(
        _("归一化上限"), max_digits=24, decimal_places=6, null=True, blank=True
    )
    base_unit = models.CharField(_("基本单位"), max_length=20, blank=True, help_text=_("如“人”“元”“个”“%”。"))
    year = models.PositiveSmallIntegerField(
        _("年份"), null=True, blank=True, validators=[MinValueValidator(1949), MaxValueValidator(2100)],
        help_text=_("文中写明的年份；“今年”等不写。"),
    )
    period = models.CharField(_("时期"), max_length=40, blank=True, help_text=_("如“2021—2023年”“近三年”。"))
    period_kind = models.CharField(
        _("时期类型"), max_length=12, choices=PeriodKind.choices, blank=True, default="", db_index=True,
        help_text=_("数字所指的时期：全年、半年、季度、前几个月（如前三季度）、累计（某年以来）、多年区间或目标；"
                    "不同类型的数字不能直接比较。"),
    )
    is_target = models.BooleanField(_("目标值"), default=False, help_text=_("力争、预计、计划等目标，而非已取得的结果。"))
    quote = models.TextField(_("引文"), help_text=_("正文中包含该数字的原句片段。"))
    page = models.PositiveIntegerField(_("页码"), null=True, blank=True, help_text=_("数字所在的来源页（PDF）；无页码的来源留空。"))
    start = models.PositiveIntegerField(_("起始偏移"), help_text=_("引文在正文中的起始字符偏移。"))
    end = models.PositiveIntegerField(_("结束偏移"))
    verified = models.BooleanField(_("已核实"), default=False, db_index=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("核实人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    origin = models.CharField(_("来源方式"), max_length=10, choices=Origin.choices, default=Origin.EXTRACTED)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("最后编辑人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords()
    objects = FigureQuerySet.as_manager()

    class Meta:
        verbose_name = _("数字")
        verbose_name_plural = _("数字")
        ordering = ["article_id", "start", "id"]
        indexes = [
            models.Index(fields=["metric", "normalized_value"], name="figure_metric_value_idx"),
            models.Index(fields=["region", "metric"], name="figure_region_metric_idx"),
            models.Index(fields=["year"], name="figure_year_idx"),
            models.Index(fields=["article", "start"], name="figure_article_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="figure_offsets_ordered"),
            models.CheckConstraint(condition=~Q(quote=""), name="figure_quote_not_empty"),
            models.CheckConstraint(
                condition=Q(value_max__isnull=True) | Q(value_max__gte=F("value")),
                name="figure_value_max_gte_value",
            ),
            models.CheckConstraint(
                condition=~Q(qualifier_kind="range") | Q(value_max__isnull=False),
                name="figure_range_has_max",
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1949, year__lte=2100),
                name="figure_year_plausible",
            ),
            models.CheckConstraint(
                condition=Q(verified=False) | Q(verified_at__isnull=False),
                name="figure_verified_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.label} {self.qualifier}{self.value.normalize():f}{self.unit}"

    @property
    def is_machine_made(self) -> bool:
        return self.origin == Origin.EXTRACTED and not self.verified and self.edited_by_id is None


class UploadJob(models.Model):
    """Files an editor uploaded in the admin, turned into drafts by the background worker.

    The web request only stores the files and enqueues ``cases.tasks.run_upload_job``; the
    worker (``manage.py db_worker``) reads, extracts and saves each file in its own
    transaction, and keeps the counts here current so the admin can show progress.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("处理中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True,
                                   on_delete=models.SET_NULL, related_name="upload_jobs")
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    publication = models.CharField(_("刊物"), max_length=100, blank=True, help_text=_("不填则从正文推断。"))
    issue_label = models.CharField(_("期号"), max_length=50, blank=True, help_text=_("如“2024年第24期”；不填则从正文推断。"))
    published_on = models.DateField(_("出版日期"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED, db_index=True)
    files_total = models.PositiveIntegerField(_("文件数"), default=0)
    files_done = models.PositiveIntegerField(_("已处理文件"), default=0)
    articles_created = models.PositiveIntegerField(_("新建文章"), default=0)
    figures_found = models.PositiveIntegerField(_("数字"), default=0)
    log = models.TextField(_("日志"), blank=True)
    task_id = models.CharField(_("任务编号"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("上传任务")
        verbose_name_plural = _("上传任务")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        label = " ".join(filter(None, [self.publication, self.issue_label]))
        return f"#{self.pk} {label}".strip()

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int:
        return round(100 * self.files_done / self.files_total) if self.files_total else 100


class UploadFile(models.Model):
    """One uploaded file of a job: its bytes until the worker has read them, then what came of it."""

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("处理中")
        DONE = "done", _("已导入")
        DUPLICATE = "duplicate", _("重复，未改动")
        REFUSED = "refused", _("拒绝导入")
        FAILED = "failed", _("出错")

    job = models.ForeignKey(UploadJob, verbose_name=_("上传任务"), on_delete=models.CASCADE, related_name="files")
    position = models.PositiveSmallIntegerField(_("次序"), default=0)
    name = models.CharField(_("文件名"), max_length=255)
    size_bytes = models.PositiveIntegerField(_("字节数"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    content = models.BinaryField(_("文件内容"), blank=True, editable=False,
                                 help_text=_("处理完即清空；原文不在数据库中长期保存。"))
    file_format = models.CharField(_("格式"), max_length=10, choices=FileFormat.choices, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    message = models.TextField(_("说明"), blank=True)
    source = models.ForeignKey(Source, verbose_name=_("来源文件"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="uploads")
    page_count = models.PositiveIntegerField(_("页数"), null=True, blank=True)
    articles_created = models.PositiveIntegerField(_("新建文章"), default=0)
    articles_total = models.PositiveIntegerField(_("文章"), default=0)
    figures_found = models.PositiveIntegerField(_("数字"), default=0)
    seconds = models.FloatField(_("用时（秒）"), null=True, blank=True)

    class Meta:
        verbose_name = _("上传文件")
        verbose_name_plural = _("上传文件")
        ordering = ["job_id", "position", "id"]

    def __str__(self):
        return self.name
