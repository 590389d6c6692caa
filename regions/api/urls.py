from .views import RegionViewSet

routes = [
    ("regions", RegionViewSet, "region"),
]
