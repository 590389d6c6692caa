"""Per-group statistics of a metric's normalised values: count, min, max, median.

The median is computed in the database portably (SQLite and PostgreSQL alike,
no percentile_cont): rank the values within each group with window functions
and keep the middle one or two rows; their mean is the median. Two queries
whatever the number of figures, plus one for the regions' names.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, F, Max, Min, Q, Window
from django.db.models.functions import RowNumber, Substr

from config.api.fields import detail_url
from regions.models import PREFIX_LENGTH, Region

#: group_by value → the figure field the groups are made of.
GROUPS = {"region": "region_id", "year": "year", "region_level": "region__level"}


def median_rows(queryset, key) -> dict:
    """{group key: median} using ROW_NUMBER and COUNT over partitions (``key``: a field name or an expression)."""
    expression = F(key) if isinstance(key, str) else key
    ranked = queryset.annotate(
        group=expression,
        position=Window(RowNumber(), partition_by=[expression], order_by=[F("normalized_value").asc(), F("pk").asc()]),
        size=Window(Count("pk"), partition_by=[expression]),
    )
    middle = ranked.filter(Q(position=(F("size") + 1) / 2) | Q(position=(F("size") + 2) / 2))
    values = defaultdict(list)
    for group, value in middle.values_list("group", "normalized_value"):
        values[group].append(Decimal(value))
    return {group: sum(vals) / len(vals) for group, vals in values.items()}


def summarise(queryset, group_by: str, request, level: str | None = None) -> list[dict]:
    """Rows of statistics per group. With ``group_by=region`` and a ``level``, each figure counts for its
    region's ancestor at that level (by code prefix): a county whose figures are all at town level is
    still a row, and ``rolled_up`` says how many of its figures came from below."""
    figures = queryset.filter(normalized_value__isnull=False).order_by()
    if group_by == "region" and level:
        key = "place"
        figures = figures.annotate(place=Substr("region__code", 1, PREFIX_LENGTH[level]))
    else:
        key = GROUPS[group_by]
    stats = list(
        figures.values(key)
        .annotate(count=Count("pk"), min=Min("normalized_value"), max=Max("normalized_value"),
                  own=Count("pk", filter=Q(region__level=level)) if level else Count("pk"))
        .order_by(key)
    )
    medians = median_rows(figures, F(key) if key == "place" else key)
    regions = {}
    if group_by == "region":
        if level:
            codes = [row[key].ljust(12, "0") for row in stats if row[key] is not None]
            found = Region.objects.filter(code__in=codes).only("code", "name", "level")
            regions = {r.code[:PREFIX_LENGTH[level]]: r for r in found}
        else:
            ids = [row[key] for row in stats if row[key] is not None]
            regions = {r.pk: r for r in Region.objects.filter(pk__in=ids).only("code", "name", "level")}
    rows = []
    for row in stats:
        group = row[key]
        if group_by == "region":
            region = regions.get(group)
            label = None if region is None else {
                "code": region.code, "name": region.name, "level": region.level,
                "url": detail_url(request, "api:region-detail", region.code, "code"),
            }
        else:
            label = group
        result = {
            group_by: label,
            "count": row["count"],
            "min": float(row["min"]),
            "max": float(row["max"]),
            "median": float(medians[group]),
        }
        if group_by == "region" and level:
            result["rolled_up"] = row["count"] - row["own"]
        rows.append(result)
    if group_by == "region":
        rows.sort(key=lambda r: (r["region"] is None, r["region"]["code"] if r["region"] else ""))
    return rows
