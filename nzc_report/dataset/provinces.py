"""Provincial-level divisions and their GB/T 2260 codes.

Names are accepted in full (广东省), short (广东) or pinyin (Guangdong) form
and normalised to the 6-digit code.
"""
from __future__ import annotations

import re
import unicodedata

# code, full name, short name, pinyin/English names
_TABLE = [
    ("110000", "北京市", "北京", ("beijing",)),
    ("120000", "天津市", "天津", ("tianjin",)),
    ("130000", "河北省", "河北", ("hebei",)),
    ("140000", "山西省", "山西", ("shanxi",)),
    ("150000", "内蒙古自治区", "内蒙古", ("neimenggu", "nei mongol", "inner mongolia")),
    ("210000", "辽宁省", "辽宁", ("liaoning",)),
    ("220000", "吉林省", "吉林", ("jilin",)),
    ("230000", "黑龙江省", "黑龙江", ("heilongjiang",)),
    ("310000", "上海市", "上海", ("shanghai",)),
    ("320000", "江苏省", "江苏", ("jiangsu",)),
    ("330000", "浙江省", "浙江", ("zhejiang",)),
    ("340000", "安徽省", "安徽", ("anhui",)),
    ("350000", "福建省", "福建", ("fujian",)),
    ("360000", "江西省", "江西", ("jiangxi",)),
    ("370000", "山东省", "山东", ("shandong",)),
    ("410000", "河南省", "河南", ("henan",)),
    ("420000", "湖北省", "湖北", ("hubei",)),
    ("430000", "湖南省", "湖南", ("hunan",)),
    ("440000", "广东省", "广东", ("guangdong",)),
    ("450000", "广西壮族自治区", "广西", ("guangxi",)),
    ("460000", "海南省", "海南", ("hainan",)),
    ("500000", "重庆市", "重庆", ("chongqing",)),
    ("510000", "四川省", "四川", ("sichuan",)),
    ("520000", "贵州省", "贵州", ("guizhou",)),
    ("530000", "云南省", "云南", ("yunnan",)),
    ("540000", "西藏自治区", "西藏", ("xizang", "tibet")),
    ("610000", "陕西省", "陕西", ("shaanxi",)),
    ("620000", "甘肃省", "甘肃", ("gansu",)),
    ("630000", "青海省", "青海", ("qinghai",)),
    ("640000", "宁夏回族自治区", "宁夏", ("ningxia",)),
    ("650000", "新疆维吾尔自治区", "新疆", ("xinjiang",)),
    ("710000", "台湾省", "台湾", ("taiwan",)),
    ("810000", "香港特别行政区", "香港", ("hong kong", "hongkong", "xianggang")),
    ("820000", "澳门特别行政区", "澳门", ("macao", "macau", "aomen")),
]

PROVINCE_NAMES: dict[str, str] = {code: full for code, full, _, _ in _TABLE}
PROVINCE_PINYIN: dict[str, str] = {code: names[0].title() for code, _, _, names in _TABLE}
MAINLAND_CODES: list[str] = [code for code, *_ in _TABLE if code < "710000"]

_LOOKUP: dict[str, str] = {}
for _code, _full, _short, _latin in _TABLE:
    _LOOKUP[_full] = _code
    _LOOKUP[_short] = _code
    for _name in _latin:
        _LOOKUP[_name.replace(" ", "")] = _code
    _LOOKUP[_code] = _code


# English and pinyin suffixes that some spell out: "Guangdong Province", "Beijing Shi".
_SUFFIXES = ("specialadministrativeregion", "autonomousregion", "municipality", "province",
             "zizhiqu", "sheng", "city", "sar", "shi")


def _key(name: str) -> str:
    """Lower case, no spaces or tone marks (Guǎngdōng → guangdong)."""
    decomposed = unicodedata.normalize("NFKD", name.strip())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[\s'’·-]+", "", plain).lower()


def province_code(name: str) -> str | None:
    """The GB/T 2260 code of a province name in any accepted form, or None."""
    key = _key(name)
    if key in _LOOKUP:
        return _LOOKUP[key]
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and key[: -len(suffix)] in _LOOKUP:
            return _LOOKUP[key[: -len(suffix)]]
    return None


def suggest_province(name: str) -> str | None:
    """The full name of the province ``name`` most likely means, for "did you mean"."""
    import difflib

    key = _key(name)
    close = difflib.get_close_matches(key, list(_LOOKUP), n=1, cutoff=0.6)
    return PROVINCE_NAMES[_LOOKUP[close[0]]] if close else None


def accepted_names() -> list[str]:
    """Every spelling accepted (lower case, no spaces)."""
    return sorted(_LOOKUP)
