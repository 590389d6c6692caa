"""Minimal views that answer the load mix with plain ``.values()`` queries.

They are the yardstick: the same data and roughly the same work (filter, page,
serialise to JSON or CSV) with no serializer, filterset, permission or
pagination classes. The app's endpoints are reported as a ratio to these.

``write_probe`` is a bench-only write (an initiative with two theme links, in
one request transaction) that the fault test uses to check no acknowledged
write is lost and none is half-done.
"""

import csv
import json

from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from cases.models import Article, Figure, Initiative, Theme

LIST_FIELDS = ("id", "title", "kind", "published_on", "source_id")
PAGE = 50


def published():
    return Article.objects.filter(status=Article.Status.PUBLISHED).order_by("-published_on", "id")


def article_list(request):
    rows = published()
    if kind := request.GET.get("kind"):
        rows = rows.filter(kind=kind)
    if since := request.GET.get("published_after"):
        rows = rows.filter(published_on__gte=since)
    if q := request.GET.get("q"):
        rows = rows.filter(title__icontains=q) | rows.filter(body__icontains=q)
    offset = int(request.GET.get("offset", 0))
    return JsonResponse({"results": list(rows.values(*LIST_FIELDS)[offset:offset + PAGE])})


def article_detail(request, pk):
    article = published().filter(pk=pk).values(*LIST_FIELDS, "subtitle", "summary", "authors").first()
    if article is None:
        return JsonResponse({"detail": "not found"}, status=404)
    article["figures"] = list(Figure.objects.filter(article_id=pk).values(
        "id", "label", "value", "unit", "normalized_value", "base_unit", "quote", "start", "end"))
    return JsonResponse(article)


def figures_csv(request):
    rows = Figure.objects.filter(article__status=Article.Status.PUBLISHED).order_by("id")
    if region := request.GET.get("region"):
        significant = region.rstrip("0") or region
        rows = rows.filter(region__code__startswith=significant[: max(2, len(significant) + len(significant) % 2)])
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.writer(response)
    fields = ("id", "article_id", "label", "value", "unit", "normalized_value", "base_unit", "year", "quote")
    writer.writerow(fields)
    writer.writerows(rows.values_list(*fields).iterator())
    return response


@csrf_exempt
def write_probe(request):
    if request.method != "POST":
        return JsonResponse({"detail": "POST only"}, status=405)
    try:
        payload = json.loads(request.body)
        name = str(payload["name"])
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"detail": "malformed JSON: expected {\"name\": ...}"}, status=400)
    with transaction.atomic():
        initiative = Initiative.objects.create(name=name)
        initiative.themes.add(*Theme.objects.order_by("id")[:2])
    return JsonResponse({"id": initiative.pk}, status=201)


urlpatterns = [
    path("articles/", article_list),
    path("articles/<int:pk>/", article_detail),
    path("figures.csv", figures_csv),
]
