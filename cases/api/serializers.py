from rest_framework import serializers

from cases.models import Article


class ArticleSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:article-detail")

    class Meta:
        model = Article
        fields = ["id", "url", "title", "subtitle", "authors", "column", "kind", "published_on", "summary", "status"]
