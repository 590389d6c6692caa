"""The app's URLs plus the minimal baseline views under /_baseline/ and a write probe under /_bench/."""

from django.urls import include, path

from bench import baseline_mix

urlpatterns = [
    path("_baseline/", include(baseline_mix.urlpatterns)),
    path("_bench/write", baseline_mix.write_probe),
    path("", include("config.urls")),
]
