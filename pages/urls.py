"""Public pages at the site root (the admin and the API keep their own prefixes)."""

from django.urls import path

from . import maps, release, views

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<int:pk>/", views.article_detail, name="article"),
    path("regions/<str:code>/", views.region_detail, name="region"),
    path("initiatives/<int:pk>/", views.initiative_detail, name="initiative"),
    path("metrics/", views.metric_list, name="metrics"),
    path("metrics/<slug:slug>/", views.metric_detail, name="metric"),
    path("map/", maps.map_page, name="map"),
    path("about/", views.about, name="about"),
    path("about/release.zip", release.download_zip, name="release-zip"),
    path("about/release/<str:name>", release.download_file, name="release-file"),
]
