"""Who oversees a zone whose params name no competent authority (params/rules.yaml
``competent_authority``): the place the zone's name names, at the first level its rule lists.

Returns codes and names as the data writes them ({"level": "county", "place": "庆元县"}); the
words (庆元县人民政府, 所在县（市、区）人民政府) are the catalogue's, in render.
"""
from __future__ import annotations

import re

from nzc_report.dataset.provinces import PROVINCE_NAMES


def _place(name: str, suffixes: list[str], endings_of_any: set[str], not_places: list[str]) -> str | None:
    """The place at the start of ``name`` whose name ends in one of ``suffixes``: 庆元县 of 庆元县安南乡安溪村.
    Its own name is Chinese characters, none of them a place's ending (of any level) or 村: 小榄镇北区
    names no county-level 区, 安南乡 is looked for after 庆元县."""
    stop = "".join(sorted({s for s in endings_of_any if len(s) == 1} | {"村"}))
    endings = "|".join(re.escape(s) for s in sorted(suffixes, key=len, reverse=True))
    m = re.match(f"((?:(?![{stop}])[\u4e00-\u9fff]){{1,6}}(?:{endings}))", name)
    if not m:
        return None
    # 东区 of 东区街道 is part of a longer place's name, not a place of its own
    rest, found = name[m.end():], m.group(1)
    if any(rest.startswith(s) for s in endings_of_any) or any(found.endswith(w) for w in not_places):
        return None
    return found


def _local_part(zone: dict) -> str:
    """The zone's name after its province and city (广东省, 珠海市 or 珠海): where a lower place begins."""
    name = str(zone.get("name") or "")
    province = zone.get("province_name") or PROVINCE_NAMES.get(str(zone.get("province")), zone.get("province"))
    for whole in (province, zone.get("city")):
        whole = str(whole or "")
        for prefix in (whole, whole[:-1] if len(whole) > 2 and whole[-1] in "省市" else None):
            if prefix and name.startswith(prefix):
                name = name[len(prefix):]
                break
    return name


def derive_authority(zone: dict, rule: dict | None) -> dict | None:
    """{"level", "place"} for a zone of a type the rule reads off its name: the place found at the
    first level listed (place None where none is named and the rule says to name the level);
    None where the catalogue's form by zone type and city applies."""
    if not rule:
        return None
    how = (rule.get("from_name") or {}).get(str(zone.get("zone_type")))
    if not how:
        return None
    rest = _local_part(zone)
    levels = rule["levels"]
    every = {s for suffixes in levels.values() for s in suffixes}
    for level in how["levels"]:
        place = _place(rest, levels[level], every, rule.get("not_places") or [])
        if place:
            return {"level": level, "place": place}
    if how.get("otherwise") == "level":
        return {"level": how["levels"][0], "place": None}
    return None
