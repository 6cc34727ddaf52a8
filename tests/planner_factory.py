"""Small jemput-bola scenarios for tests, written as the JSON a user would write."""

from __future__ import annotations

import random
from typing import Any


def site(
    sid: str, lat: float, lon: float, people: dict[str, float] | None = None, kind: str = "desa", **extra: Any
) -> dict[str, Any]:
    return {
        "id": sid,
        "kind": kind,
        "name": f"Lokasi {sid}",
        "desa_code": "1371011001",
        "lat": lat,
        "lon": lon,
        "people": people or {"pemula": 10, "rentan": 2, "lainnya": 20},
        "turnout": 0.6,
        "setup_minutes": 20,
        "open_weekdays": [1, 2, 3, 4, 5, 6],
        "open": "08:00",
        "close": "16:00",
        "max_visits": 1,
        **extra,
    }


def scenario(
    sites: list[dict[str, Any]],
    teams: int = 1,
    date_from: str = "2024-11-18",
    date_to: str = "2024-11-18",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "format": "rekam-scenario",
        "version": 1,
        "name": "uji",
        "region": "1371",
        "period": {
            "from": date_from,
            "to": date_to,
            "weekdays": [1, 2, 3, 4, 5],
            "hours": {"start": "08:00", "end": "16:00"},
        },
        "depots": [{"id": "dinas", "name": "Dinas", "lat": -0.95, "lon": 100.35}],
        "teams": [{"id": f"T{t + 1}", "start_depot": "dinas", "kits": 2} for t in range(teams)],
        "sites": sites,
        "travel": {"mode": "coordinates", "road_factor": 1.4, "speed_kmh": 30},
        **extra,
    }


def random_sites(n: int, seed: int, spread: float = 0.12, big: int = 60, max_visits: int = 2) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    return [
        site(
            f"S{i:02d}",
            -0.95 + rnd.uniform(-spread, spread),
            100.35 + rnd.uniform(-spread, spread),
            {"pemula": rnd.randint(0, big // 3), "rentan": rnd.randint(0, 4), "lainnya": rnd.randint(1, big)},
            kind=rnd.choice(["desa", "sekolah", "lapas"]),
            turnout=round(rnd.uniform(0.4, 0.9), 2),
            max_visits=max_visits,
        )
        for i in range(n)
    ]
