from .views import (
    ArticleViewSet,
    FigureViewSet,
    InitiativeViewSet,
    MetricViewSet,
    PublicationViewSet,
    SourceViewSet,
    ThemeViewSet,
)

routes = [
    ("articles", ArticleViewSet, "article"),
    ("figures", FigureViewSet, "figure"),
    ("initiatives", InitiativeViewSet, "initiative"),
    ("metrics", MetricViewSet, "metric"),
    ("themes", ThemeViewSet, "theme"),
    ("publications", PublicationViewSet, "publication"),
    ("sources", SourceViewSet, "source"),
]
