"""Numerals and units as Chinese reports write them."""

from decimal import Decimal

import pytest

from cases.ingest.numbers import NumberError, parse_number, to_half_width
from cases.ingest.units import normalize, quantity_of, split_multiplier


@pytest.mark.parametrize(
    ("text", "value", "multiplier", "kind"),
    [
        ("15万", "15", 10_000, "mixed"),
        ("1.2亿", "1.2", 100_000_000, "mixed"),
        ("7.05亿", "7.05", 100_000_000, "mixed"),
        ("3千万", "3", 10_000_000, "mixed"),
        ("两万", "20000", 1, "chinese"),
        ("千", "1000", 1, "chinese"),
        ("百亿", "10000000000", 1, "chinese"),
        ("一千二百万", "12000000", 1, "chinese"),
        ("二十三", "23", 1, "chinese"),
        ("一千零五", "1005", 1, "chinese"),
        ("二〇二三", "2023", 1, "chinese"),
        ("三分之一", "0.333", 1, "fraction"),
        ("2/3", "0.667", 1, "fraction"),
        ("1/6", "0.167", 1, "fraction"),
        ("一半", "0.5", 1, "fraction"),
        ("１５", "15", 1, "arabic"),
        ("1,234", "1234", 1, "arabic"),
        ("191.41 亿", "191.41", 100_000_000, "mixed"),
    ],
)
def test_parse_number(text, value, multiplier, kind):
    parsed = parse_number(text)
    assert parsed.value == Decimal(value)
    assert parsed.multiplier == multiplier
    assert parsed.kind == kind


def test_total_applies_the_multiplier():
    assert parse_number("1.2亿").total == Decimal("120000000")
    assert parse_number("两万").total == 20_000


@pytest.mark.parametrize("text", ["", "三五", "abc", "1/0", "约"])
def test_parse_number_refuses_what_is_no_numeral(text):
    with pytest.raises(NumberError):
        parse_number(text)


def test_full_width_translation_keeps_offsets():
    text = "８批次，达１５％"
    assert len(to_half_width(text)) == len(text)
    assert to_half_width(text) == "8批次，达15%"


@pytest.mark.parametrize(
    ("value", "unit", "normalized", "base"),
    [
        ("15", "万人", "150000", "人"),
        ("1.2", "亿元", "120000000", "元"),
        ("46", "万平方米", "460000", "平方米"),
        ("436", "亩", "436", "亩"),
        ("4.7", "公里", "4.7", "公里"),
        ("2.2", "%", "2.2", "%"),
        ("0.6", "个百分点", "0.6", "百分点"),
        ("260", "万人次", "2600000", "人次"),
        ("12", "家次", "12", "家次"),
        ("3000", "元/亩", "3000", "元/亩"),
        ("1.5", "万元/亩", "15000", "元/亩"),
        ("546", "名", "546", "人"),
        ("100", "位", "100", "人"),
        ("1000", "人", "1000", "人"),
        ("30", "万斤", "300000", "斤"),
        ("2.37", "", "2.37", ""),
    ],
)
def test_normalize(value, unit, normalized, base):
    assert normalize(Decimal(value), unit) == (Decimal(normalized), base)


def test_normalize_tolerates_spaces_in_units():
    assert normalize(Decimal("60"), "平 方米") == (Decimal(60), "平方米")


def test_split_multiplier():
    assert split_multiplier("万人") == (10_000, "人")
    assert split_multiplier("个") == (1, "个")


def test_quantity_of_base_units():
    assert quantity_of("人") == "population"
    assert quantity_of("元") == "money"
    assert quantity_of("%") == "percent"
    assert quantity_of("元/亩") == "ratio"
    assert quantity_of("个") == "count"
