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
