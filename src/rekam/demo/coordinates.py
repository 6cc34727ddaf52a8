"""Synthetic but plausible coordinates for every desa/kelurahan, and which desa are remote.

These points are NOT real village locations. Each desa is placed at random (uniform in a disc)
around the real centroid of its kecamatan (calibration.KEC_CENTROIDS, cahyadsn/wilayah_boundaries,
MIT), within a radius derived from the kab/kota area: r = 0.85 * sqrt(area / n_kecamatan / pi).
Kepulauan Mentawai points are kept inside its island box. Real users load their own village
coordinates (or site lists with coordinates) instead.

The geography is drawn with a fixed seed, so it is the same for every ``--seed``: a different
seed gives a different population on the same map.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import calibration
from .regions import KabRegions

GEOGRAPHY_SEED = 13_2025
KM_PER_DEG_LAT = 110.574


@dataclass(frozen=True)
class DesaGeo:
    lat: np.ndarray
    lon: np.ndarray
    remote: np.ndarray  # bool


def km_to_deg(lat: float | np.ndarray, dy_km: np.ndarray, dx_km: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    dlat = dy_km / KM_PER_DEG_LAT
    dlon = dx_km / (111.320 * np.cos(np.radians(lat)))
    return dlat, dlon


def desa_geography(region: KabRegions, index: int) -> DesaGeo:
    """Coordinates and remote flags of the villages of one kab/kota (deterministic)."""
    kab = region.kab
    rng = np.random.default_rng([GEOGRAPHY_SEED, index])
    n = region.n_desa
    if math.isnan(kab.lat):
        return _without_coordinates(rng, region)
    n_kec = max(len(region.kec_codes), 1)
    radius_km = 0.85 * math.sqrt(kab.area_km2 / n_kec / math.pi)
    centre = np.array(
        [calibration.KEC_CENTROIDS.get(region.kec_codes[k], (kab.lat, kab.lon)) for k in region.desa_kec],
        dtype=np.float64,
    ).reshape(n, 2)
    r = radius_km * np.sqrt(rng.random(n))
    theta = rng.random(n) * 2 * math.pi
    dlat, dlon = km_to_deg(centre[:, 0], r * np.sin(theta), r * np.cos(theta))
    lat = centre[:, 0] + dlat
    lon = centre[:, 1] + dlon
    if kab.code == calibration.MENTAWAI_CODE:
        lat_min, lat_max, lon_min, lon_max = calibration.MENTAWAI_BOX
        lat = np.clip(lat, lat_min, lat_max)
        lon = np.clip(lon, lon_min, lon_max)

    # Remote: in Kepulauan Mentawai every desa outside Sipora Utara (Tuapejat, the seat);
    # in the other kabupaten half of the quarter of villages farthest from the kab/kota
    # centroid; none in the kota. Assumption.
    u = rng.random(n)
    if kab.code == calibration.MENTAWAI_CODE:
        seat = np.array([region.kec_names[k] == "Sipora Utara" for k in region.desa_kec])
        remote = ~seat
    elif kab.is_kota:
        remote = np.zeros(n, dtype=bool)
    else:
        dy = (lat - kab.lat) * KM_PER_DEG_LAT
        dx = (lon - kab.lon) * 111.320 * math.cos(math.radians(kab.lat))
        dist = np.hypot(dx, dy)
        far = dist >= np.quantile(dist, 0.75) if n else np.zeros(0, dtype=bool)
        remote = far & (u < 0.5)
    return DesaGeo(lat=np.round(lat, 6), lon=np.round(lon, 6), remote=remote)


def _without_coordinates(rng: np.random.Generator, region: KabRegions) -> DesaGeo:
    """A kab/kota without a centroid (outside Sumatera Barat): no coordinates (NaN), and in a
    kabupaten 12.5 % of the villages, drawn at random, remote (the share the rule above gives
    in Sumatera Barat's kabupaten); none in a kota. Assumption (docs/demo-data.md)."""
    n = region.n_desa
    nan = np.full(n, np.nan)
    remote = np.zeros(n, dtype=bool) if region.kab.is_kota else rng.random(n) < 0.125
    return DesaGeo(lat=nan, lon=nan.copy(), remote=remote)


def jitter(rng: np.random.Generator, lat: np.ndarray, lon: np.ndarray, km: float) -> tuple[np.ndarray, np.ndarray]:
    """Points within ``km`` of the given ones (for sites placed in a desa)."""
    n = len(lat)
    r = km * np.sqrt(rng.random(n))
    theta = rng.random(n) * 2 * math.pi
    dlat, dlon = km_to_deg(lat, r * np.sin(theta), r * np.cos(theta))
    return np.round(lat + dlat, 6), np.round(lon + dlon, 6)
