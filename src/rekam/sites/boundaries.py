"""Desa boundaries a user supplies as GeoJSON, for the dashboard's map (issue #7).

``rekam sites boundaries FILE.geojson`` reads a FeatureCollection of Polygon or MultiPolygon
features, each naming its desa in a property (``KODE_DESA``, ``kode_desa``, ``desa_code``,
``KDEPUM``, ``kode`` ...; dotted 13.71.01.1001 or plain 1371011001). Features whose code is not
a desa, or whose geometry is not an area, are counted and skipped, never fatal; a file with no
usable feature is refused. The usable features are kept, coordinates rounded to 5 decimals
(about a metre), in ``REKAM_HOME/boundaries/desa.geojson``, replaced atomically.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rekam.domain.region import InvalidRegionCode, parse_region
from rekam.errors import IngestError
from rekam.files import write_atomic

#: Property names that may hold the desa code, in order of preference (case ignored).
CODE_PROPERTIES = ("kode_desa", "kodedesa", "desa_code", "kdepum", "kode_kel", "kode_wilayah", "kode", "code", "id")


@dataclass(frozen=True)
class BoundaryImport:
    features: int
    kept: int
    skipped: int
    path: Path

    def as_json(self) -> dict[str, Any]:
        return {"features": self.features, "kept": self.kept, "skipped": self.skipped, "path": str(self.path)}


def _code(properties: dict[str, Any]) -> str | None:
    lowered = {str(k).lower(): v for k, v in (properties or {}).items()}
    for name in CODE_PROPERTIES:
        value = lowered.get(name)
        if value in (None, ""):
            continue
        try:
            code = parse_region(str(value).strip())
        except InvalidRegionCode:
            continue
        if code.dotted.count(".") == 3:
            return code.dotted
    return None


def _rounded(coords: Any) -> Any:
    if isinstance(coords, list | tuple) and coords and isinstance(coords[0], int | float):
        return [round(float(coords[0]), 5), round(float(coords[1]), 5)]
    return [_rounded(c) for c in coords]


def import_boundaries(home: Path, path: Path) -> BoundaryImport:
    if not path.is_file():
        raise IngestError("file_missing", file=path.name)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError, UnicodeDecodeError):
        raise IngestError("boundaries_not_geojson", file=path.name) from None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise IngestError("boundaries_not_geojson", file=path.name)
    kept = []
    for f in features:
        geometry = (f or {}).get("geometry") or {}
        code = _code((f or {}).get("properties") or {})
        if code is None or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        try:
            coordinates = _rounded(geometry["coordinates"])
        except (KeyError, TypeError, IndexError, ValueError):
            continue
        kept.append(
            {
                "type": "Feature",
                "properties": {"desa_code": code},
                "geometry": {"type": geometry["type"], "coordinates": coordinates},
            }
        )
    if not kept:
        raise IngestError("boundaries_none_usable", file=path.name, features=len(features))
    out = home / "boundaries" / "desa.geojson"
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, json.dumps({"type": "FeatureCollection", "features": kept}))
    return BoundaryImport(len(features), len(kept), len(features) - len(kept), out)


def load_boundaries(home: Path) -> dict[str, list[list[list[float]]]]:
    """desa code -> its rings ([[lon, lat], ...], outer rings and holes alike); empty when none."""
    path = home / "boundaries" / "desa.geojson"
    if not path.exists():
        return {}
    rings: dict[str, list[list[list[float]]]] = {}
    for f in json.loads(path.read_text(encoding="utf-8"))["features"]:
        g = f["geometry"]
        polygons = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        rings.setdefault(f["properties"]["desa_code"], []).extend(ring for poly in polygons for ring in poly)
    return rings
