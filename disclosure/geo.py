"""Grid boundaries as GeoJSON, checked and drawn as SVG without any outside map service."""

from django.utils.translation import gettext as _


def _rings(geometry: dict) -> list[list[list[float]]]:
    kind = geometry.get("type")
    coords = geometry.get("coordinates")
    if kind == "Polygon":
        return list(coords or [])
    if kind == "MultiPolygon":
        return [ring for polygon in coords or [] for ring in polygon]
    raise ValueError(kind)


def geometry_of(value: dict) -> dict:
    if value.get("type") == "Feature":
        return value.get("geometry") or {}
    if value.get("type") == "FeatureCollection":
        features = value.get("features") or []
        polygons = []
        for feature in features:
            geometry = geometry_of(feature)
            if geometry.get("type") == "Polygon":
                polygons.append(geometry["coordinates"])
            elif geometry.get("type") == "MultiPolygon":
                polygons.extend(geometry["coordinates"])
        return {"type": "MultiPolygon", "coordinates": polygons}
    return value


def boundary_error(value) -> str | None:
    """A message in words if value is not a usable polygon boundary, else None."""
    if not isinstance(value, dict):
        return _("边界必须是 GeoJSON 对象。")
    try:
        rings = _rings(geometry_of(value))
    except (ValueError, TypeError, AttributeError):
        return _("边界必须是 Polygon 或 MultiPolygon 类型的 GeoJSON。")
    if not rings:
        return _("边界没有坐标。")
    for ring in rings:
        if len(ring) < 4:
            return _("边界的每个环至少需要4个坐标点（首尾相同）。")
        for point in ring:
            if (not isinstance(point, list | tuple) or len(point) < 2
                    or not all(isinstance(c, int | float) for c in point[:2])):
                return _("坐标必须是 [经度, 纬度] 数字对。")
            lon, lat = point[0], point[1]
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                return _("坐标超出经纬度范围：[%(lon)s, %(lat)s]。") % {"lon": lon, "lat": lat}
    return None


def rings_of(value: dict) -> list[list[list[float]]]:
    return _rings(geometry_of(value))


# --- drawing: boundaries as an inline SVG map (no tiles, no outside service) ---------------------------

MAX_POINTS_PER_RING = 400  # enough for a wall-map outline; keeps the page small


def _project(lon: float, lat: float, cos_lat: float) -> tuple[float, float]:
    # Equirectangular, corrected for the latitude: at 44°N a degree of longitude is 0.72 of one of latitude.
    return lon * cos_lat, -lat


def _thin(ring: list) -> list:
    if len(ring) <= MAX_POINTS_PER_RING:
        return ring
    step = len(ring) / MAX_POINTS_PER_RING
    return [ring[int(i * step)] for i in range(MAX_POINTS_PER_RING)] + [ring[-1]]


def _centroid(points: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Area-weighted centroid of a ring, and its absolute area."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-12:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        return sum(xs) / len(xs), sum(ys) / len(ys), 0.0
    return cx / (3 * area), cy / (3 * area), abs(area / 2)


def svg_shapes(boundaries: list[tuple[object, dict]], *, width: int = 1000, padding: int = 10) -> dict | None:
    """Project boundaries (key, GeoJSON) into one SVG coordinate space that fits `width`.

    Returns {"view_box", "width", "height", "shapes": [{"key", "d", "x", "y"}]} with a path and a label
    point per key, or None when none of the boundaries can be drawn.
    """
    projected = []
    all_lats = [p[1] for _key, value in boundaries for ring in _safe_rings(value) for p in ring]
    if not all_lats:
        return None
    import math

    cos_lat = math.cos(math.radians((min(all_lats) + max(all_lats)) / 2))
    for key, value in boundaries:
        rings = [[_project(p[0], p[1], cos_lat) for p in _thin(ring)] for ring in _safe_rings(value)]
        if rings:
            projected.append((key, rings))
    xs = [x for _k, rings in projected for ring in rings for x, _y in ring]
    ys = [y for _k, rings in projected for ring in rings for _x, y in ring]
    span_x, span_y = (max(xs) - min(xs)) or 1e-6, (max(ys) - min(ys)) or 1e-6
    scale = (width - 2 * padding) / span_x
    height = int(span_y * scale + 2 * padding)
    if height > width * 1.6:  # a tall area: fit the height instead
        scale = (width * 1.6 - 2 * padding) / span_y
        height = int(span_y * scale + 2 * padding)

    def fit(point):
        return (round((point[0] - min(xs)) * scale + padding, 1), round((point[1] - min(ys)) * scale + padding, 1))

    shapes = []
    for key, rings in projected:
        fitted = [[fit(p) for p in ring] for ring in rings]
        d = " ".join("M" + " L".join(f"{x} {y}" for x, y in ring) + "Z" for ring in fitted)
        x, y, _area = max((_centroid(ring) for ring in fitted), key=lambda c: c[2])
        shapes.append({"key": key, "d": d, "x": round(x, 1), "y": round(y, 1)})
    return {"view_box": f"0 0 {width} {height}", "width": width, "height": height, "shapes": shapes}


def _safe_rings(value) -> list:
    if not value or boundary_error(value):
        return []
    # Outer rings only for drawing and labels: holes are rare in administrative areas and a hole drawn
    # as a filled ring would hide nothing important on a small map.
    geometry = geometry_of(value)
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"][0]]
    return [polygon[0] for polygon in geometry.get("coordinates") or [] if polygon]
