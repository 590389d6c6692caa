"""China's administrative divisions, keyed by the NBS 12-digit statistical code.

The National Bureau of Statistics' 统计用区划代码 encodes ancestry in its
prefixes (33 浙江省 › 3306 绍兴市 › 330624 新昌县 › 330624001 七星街道 ›
330624001xxx 村/社区), so "everything under 绍兴市" is ``code__startswith="3306"``
and needs no recursive query. Only one code system is ever used as the key;
codes from the Ministry of Civil Affairs are joined on county code plus name by
the loader and never stored here.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Level(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("地级")
    COUNTY = "county", _("县级")
    TOWN = "town", _("乡级")
    VILLAGE = "village", _("村级")


#: How many leading digits of the 12-digit code identify a region of each level.
PREFIX_LENGTH = {
    Level.PROVINCE: 2,
    Level.CITY: 4,
    Level.COUNTY: 6,
    Level.TOWN: 9,
    Level.VILLAGE: 12,
}


def code_prefix(code: str, level: str) -> str:
    """The significant prefix of a 12-digit code: the part its descendants share."""
    return code[: PREFIX_LENGTH[level]]


class RegionQuerySet(models.QuerySet):
    def subtree(self, region, include_self=True):
        """The region and everything under it, by code prefix (one indexed query)."""
        qs = self.filter(code__startswith=region.prefix)
        return qs if include_self else qs.exclude(pk=region.pk)

    def current(self):
        return self.filter(is_current=True)


class Region(models.Model):
    code = models.CharField(
        _("统计用区划代码"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^\d{12}$", _("区划代码必须是12位数字"))],
        help_text=_("国家统计局12位统计用区划代码；前缀即上级区划（如 3306 为绍兴市）。"),
    )
    name = models.CharField(_("全称"), max_length=64, db_index=True, help_text=_("官方全称，如“新昌县”。"))
    short_name = models.CharField(
        _("简称"), max_length=32, blank=True, db_index=True, help_text=_("常用简称，如“新昌”；无则留空。")
    )
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    urban_rural_code = models.CharField(
        _("城乡分类代码"),
        max_length=3,
        blank=True,
        help_text=_("国家统计局城乡分类代码（仅村级）：1xx 城镇（多为社区），2xx 乡村（多为村）。"),
    )
    is_current = models.BooleanField(
        _("现行"), default=True, help_text=_("是否为现行区划；已撤并的区划保留以便解析旧名。")
    )
    edition = models.CharField(
        _("代码版本"), max_length=32, help_text=_("代码来源与版本，如 “NBS-2023”。")
    )
    notes = models.TextField(_("备注"), blank=True, help_text=_("编辑备注，可修改。"))

    history = HistoricalRecords()
    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        indexes = [
            # Prefix (subtree) queries: LIKE '3306%' needs pattern ops on PostgreSQL.
            models.Index(fields=["code"], name="region_code_prefix_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["level", "code"], name="region_level_code_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{12}$"), name="region_code_12_digits"
            ),
            models.CheckConstraint(
                condition=~Q(name=""), name="region_name_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(level="province", parent__isnull=True) | ~Q(level="province"),
                name="region_province_has_no_parent",
            ),
            models.CheckConstraint(
                condition=Q(level="province") | Q(parent__isnull=False),
                name="region_below_province_has_parent",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def prefix(self) -> str:
        return code_prefix(self.code, self.level)

    def ancestors(self):
        """Ancestors from the province down, found by code prefixes in one query."""
        prefixes = [
            self.code[:n].ljust(12, "0")
            for lvl, n in PREFIX_LENGTH.items()
            if n < PREFIX_LENGTH[self.level]
        ]
        return Region.objects.filter(code__in=prefixes).order_by(Length("code"), "code")

    @property
    def path_name(self) -> str:
        """The breadcrumb as text: 浙江省 › 绍兴市 › 新昌县."""
        return " › ".join([r.name for r in self.ancestors()] + [self.name])


class AliasKind(models.TextChoices):
    SHORT = "short", _("简称")
    FORMER = "former", _("曾用名")
    VARIANT = "variant", _("异写")
    OTHER = "other", _("其他")


class RegionAlias(models.Model):
    """Another name a region goes by: 江干区 for 上城区, 干览镇 for 干𬒗镇, 硖石 for 硖石街道."""

    region = models.ForeignKey(
        Region, verbose_name=_("区划"), on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField(_("名称"), max_length=64, db_index=True)
    kind = models.CharField(_("类型"), max_length=10, choices=AliasKind.choices, default=AliasKind.OTHER)
    valid_until = models.PositiveSmallIntegerField(
        _("使用至（年）"), null=True, blank=True, help_text=_("曾用名最后使用的年份。")
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    is_editorial = models.BooleanField(
        _("编辑添加"), default=False, help_text=_("由编辑添加的别名；重新导入区划时不会被删除或覆盖。")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("区划别名")
        verbose_name_plural = _("区划别名")
        ordering = ["region__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="region_alias_unique"),
            models.CheckConstraint(condition=~Q(name=""), name="region_alias_not_empty"),
        ]

    def __str__(self):
        return f"{self.name} → {self.region.name}"
