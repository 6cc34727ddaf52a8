"""Region codes given to ops (users, service points): dotted, valid, known to the gazetteer."""

from __future__ import annotations

from rekam.domain.region import InvalidRegionCode, RegionCode, parse_region
from rekam.errors import OpsInvalid, UnknownRegion
from rekam.register import gazetteer


def known_region(code: str, option: str = "--region") -> RegionCode:
    """The region ``code`` (dotted or plain); refused when malformed or not in the gazetteer
    (Kepmendagri 2025: a typo would otherwise scope a user to nothing)."""
    try:
        region = parse_region(code)
    except InvalidRegionCode:
        raise OpsInvalid("bad_region", code=code) from None
    if not gazetteer.is_known(region.dotted):
        raise UnknownRegion("ops_unknown_region", code=region.dotted, option=option)
    return region
