from django.urls import path

from . import baseline_views

urlpatterns = [
    path("articles/", baseline_views.articles),
    path("figures/", baseline_views.figures),
    path("regions/", baseline_views.regions),
]
