from .views import RegionAliasViewSet, RegionViewSet

routes = [
    ("regions", RegionViewSet, "region"),
    ("region-aliases", RegionAliasViewSet, "regionalias"),
]
