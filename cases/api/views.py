from rest_framework import viewsets

from cases.models import Article

from .serializers import ArticleSerializer


class ArticleViewSet(viewsets.ReadOnlyModelViewSet):
    """Case studies. Anonymous users see published ones only; staff see all."""

    serializer_class = ArticleSerializer
    filterset_fields = ["kind", "status"]
    ordering_fields = ["published_on", "title"]

    def get_queryset(self):
        qs = Article.objects.order_by("-published_on", "id")
        if not self.request.user.is_staff:
            qs = qs.filter(status=Article.Status.PUBLISHED)
        return qs
