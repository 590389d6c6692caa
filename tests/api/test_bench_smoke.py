"""A tiny run of the API benchmark (200 articles) so CI notices when it breaks; no timing is asserted."""

import pytest
from django.test import Client
from django.urls import include, path

from bench import bench_api
from bench.generate import generate

urlpatterns = [
    path("", include("config.urls")),
    path("bench/baseline/", include("bench.baseline_urls")),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def test_benchmark_smoke_run_compares_the_same_rows():
    generate(articles=200, figures=2_000, seed=7)
    client = Client()

    def get(url):
        response = client.get(url)
        return response.status_code, response.content

    bench_api.check_same_rows(get)
    results = bench_api.measure(get, requests_per_endpoint=3, warmup=1)
    assert [r["endpoint"] for r in results] == [name for name, _, _ in bench_api.ENDPOINTS]
    assert all(r["api_rps"] > 0 and r["baseline_rps"] > 0 for r in results)
    assert "ratio" in bench_api.format_table(results)
