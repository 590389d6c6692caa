"""The app's URLs plus the minimal baseline views under /_baseline/ and a write probe under /_bench/."""

from django.urls import include, path

from bench import baseline_views

urlpatterns = [
    path("_baseline/", include(baseline_views.urlpatterns)),
    path("_bench/write", baseline_views.write_probe),
    path("", include("config.urls")),
]
