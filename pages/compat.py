"""Stand-ins for interfaces other branches deliver, used only until they are merged.

The pages call exactly the agreed interfaces (COMMON.md): ``cases.filtersets.ArticleFilterSet``,
``Article.objects.visible_to(user)`` (api branch) and ``search.engine.make_snippet`` (search
branch). Each name below is the real one when it exists; the fallbacks keep the pages usable
and testable meanwhile and are deleted once those branches are in.
"""

import html

import django_filters
from django.db.models import Exists, OuterRef

from cases.models import Article, ArticleRegion, Initiative, Publication, Theme

try:
    from cases.filtersets import ArticleFilterSet
except ImportError:  # until the api branch is merged

    def region_prefix(code: str) -> str:
        """330624001000 → 330624001: the code without its trailing all-zero levels."""
        for length in (2, 4, 6, 9):
            if code[length:].strip("0") == "":
                return code[:length]
        return code

    class ArticleFilterSet(django_filters.FilterSet):
        region = django_filters.CharFilter(method="filter_region", label="区划代码")
        theme = django_filters.ModelChoiceFilter(
            field_name="themes", to_field_name="slug", queryset=Theme.objects.all(), label="主题"
        )
        kind = django_filters.ChoiceFilter(choices=Article.Kind.choices, label="体裁")
        publication = django_filters.ModelChoiceFilter(
            field_name="source__publication", queryset=Publication.objects.all(), label="刊物"
        )
        year = django_filters.NumberFilter(field_name="published_on", lookup_expr="year", label="年份")
        initiative = django_filters.ModelChoiceFilter(
            field_name="initiatives", queryset=Initiative.objects.all(), label="做法/项目"
        )

        class Meta:
            model = Article
            fields = ["region", "theme", "kind", "publication", "year", "initiative"]

        def filter_region(self, queryset, name, value):
            if not (len(value) == 12 and value.isdigit()):
                return queryset.none()
            links = ArticleRegion.objects.filter(
                article=OuterRef("pk"), region__code__startswith=region_prefix(value)
            )
            return queryset.filter(Exists(links))


try:
    from search.engine import make_snippet
except ImportError:  # until the search branch is merged

    def make_snippet(text: str, q: str, width: int = 120) -> str:
        """The first passage around a query term, HTML-escaped, terms in <mark>."""
        terms = [t for t in (q or "").split() if t]
        first = min((i for i in (text.find(t) for t in terms) if i >= 0), default=0)
        start = max(0, first - width // 3)
        passage = text[start : start + width]
        escaped = html.escape(passage)
        for term in terms:
            escaped = escaped.replace(html.escape(term), f"<mark>{html.escape(term)}</mark>")
        return ("…" if start else "") + escaped + ("…" if start + width < len(text) else "")


def visible_articles(user):
    """``Article.objects.visible_to(user)``: published only, unless the user is staff."""
    if hasattr(Article.objects, "visible_to"):
        return Article.objects.visible_to(user)
    queryset = Article.objects.all()
    if user is not None and user.is_active and user.is_staff:
        return queryset
    return queryset.filter(status=Article.Status.PUBLISHED)


__all__ = ["ArticleFilterSet", "make_snippet", "visible_articles"]
