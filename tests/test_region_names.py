"""Short names and village names: pure functions, no database."""

import pytest

from regions.names import short_name, village_name


@pytest.mark.parametrize(
    "name,level,short",
    [
        ("新昌县", "county", "新昌"),
        ("海宁市", "county", "海宁"),
        ("景宁畲族自治县", "county", "景宁"),
        ("围场满族蒙古族自治县", "county", "围场"),
        ("鄂伦春自治旗", "county", "鄂伦春"),
        ("沛县", "county", "沛"),  # stored; the recogniser ignores one-character names
        ("硖石街道", "town", "硖石"),
        ("七星街道", "town", "七星"),
        ("城南乡", "town", "城南"),
        ("萧山经济技术开发区", "town", ""),
        ("余村村", "village", "余村"),
        ("上礼泉村", "village", "上礼泉"),
        ("西山社区", "village", "西山"),
        ("广西壮族自治区", "province", "广西"),
        ("延边朝鲜族自治州", "city", "延边"),
        ("市辖区", "city", ""),
    ],
)
def test_short_name(name, level, short):
    assert short_name(name, level) == short


@pytest.mark.parametrize(
    "raw,adds_cun,name",
    [
        ("上礼泉村委会", False, "上礼泉村"),
        ("余村村委会", False, "余村村"),
        ("张村村委会", True, "张村"),
        ("富城村村民委员会", False, "富城村"),
        ("前坞村民委员会", False, "前坞村"),
        ("周垟村村委员会", False, "周垟村"),
        ("多福巷社区居委会", False, "多福巷社区"),
        ("邓家居委会", False, "邓家社区"),
        ("围垦生活区", False, "围垦生活区"),
    ],
)
def test_village_name(raw, adds_cun, name):
    assert village_name(raw, adds_cun) == name
