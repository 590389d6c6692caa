from .views import ArticleViewSet

routes = [
    ("articles", ArticleViewSet, "article"),
]
