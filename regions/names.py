"""Pure functions on division names: official names from NBS committee names, short names.

Kept free of Django so the data build script, the loader and the recogniser share one
definition of "the short name of 景宁畲族自治县" (景宁) and can each be tested on a string.
"""

import re

#: The 56 ethnic groups' names as they appear inside autonomous-area names (without 族).
ETHNIC_NAMES = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 "
    "景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 "
    "保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()
# Longest first so 土家 is tried before 土.
_ETHNIC_RE = re.compile("(?:" + "|".join(sorted(ETHNIC_NAMES, key=len, reverse=True)) + ")族?$")

#: Names the NBS uses for statistical groupings that are not places one would write.
PLACEHOLDER_NAMES = frozenset(
    {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "直辖村级区划"}
)

_PROVINCE_SHORT = {
    "内蒙古自治区": "内蒙古",
    "广西壮族自治区": "广西",
    "西藏自治区": "西藏",
    "宁夏回族自治区": "宁夏",
    "新疆维吾尔自治区": "新疆",
}

# Level words, longest first; a short name is the name without them.
_SUFFIXES = {
    "province": ("省", "市"),
    "city": ("自治州", "地区", "市", "盟"),
    "county": ("自治县", "自治旗", "特区", "林区", "县", "区", "市", "旗"),
    "town": ("街道办事处", "民族乡", "民族镇", "街道", "镇", "乡", "苏木"),
    "village": ("社区", "村"),
}


def strip_ethnic(stem: str) -> str:
    """管城回族 → 管城, 围场满族蒙古族 → 围场; a stem that is only an ethnic name is kept (鄂伦春)."""
    while True:
        match = _ETHNIC_RE.search(stem)
        if not match or match.start() == 0:
            return stem
        stem = stem[: match.start()]


def short_name(name: str, level: str) -> str:
    """The name without its level word and ethnic qualifiers: 新昌县→新昌, 景宁畲族自治县→景宁.

    Returns "" when there is no sensible short name (placeholders, farms, development zones).
    One-character results (沛县→沛) are returned: the recogniser, not the data, guards them.
    """
    if name in PLACEHOLDER_NAMES:
        return ""
    if level == "province" and name in _PROVINCE_SHORT:
        return _PROVINCE_SHORT[name]
    if level == "province" and name.endswith("特别行政区"):
        return name[: -len("特别行政区")]
    for suffix in _SUFFIXES[level]:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            break
    else:
        return ""
    stem = strip_ethnic(stem)
    if level == "village" and stem.endswith("村") and len(stem) >= 2:
        # 余村村 → 余村: keeps the 村 that is part of the name, as people write it.
        return stem
    if level == "town" and stem.endswith(("开发区", "农场", "林场", "园区", "新区")):
        return ""
    return stem


def village_name(raw: str, county_adds_cun: bool) -> str:
    """The village or community name from the NBS committee name.

    The NBS lists committees: 上礼泉村委会, 富城村村民委员会, 多福巷社区居委会, 邓家居委会.
    Counties differ in how they write 村委会: most write name + "村委会" (余村村委会 is the
    village 余村村), some write full name + "村委会" for every village (张村村委会 is 张村) —
    ``county_adds_cun`` is True for those (detected per county by the build script).
    """
    for suffix, replacement in (
        ("社区居民委员会", "社区"),
        ("社区居委会", "社区"),
        ("居民委员会", "社区"),
        ("居委会", "社区"),
    ):
        if raw.endswith(suffix):
            return raw[: -len(suffix)] + replacement
    if raw.endswith("村民委员会"):
        stem = raw[: -len("村民委员会")]
        return stem if stem.endswith("村") else stem + "村"
    if raw.endswith("村村委会") and county_adds_cun:
        return raw[: -len("村委会")]
    if raw.endswith("村委员会"):
        stem = raw[: -len("村委员会")]
        return stem if stem.endswith("村") else stem + "村"
    if raw.endswith("村委会"):
        return raw[: -len("委会")]
    return raw
