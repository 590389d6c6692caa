"""Reading: encodings are detected from the bytes; unreadable files are refused clearly."""

import hashlib

import pytest

from cases.ingest.read import RefusedFile, decode_bytes

TEXT = "七星街道常住人口约15万，有工业企业762家。\n网格智治成效明显。\n"


def test_utf8_without_bom():
    decoded = decode_bytes(TEXT.encode("utf-8"), "a.txt")
    assert decoded.text == TEXT
    assert decoded.encoding == "utf-8"
    assert decoded.sha256 == hashlib.sha256(TEXT.encode("utf-8")).hexdigest()


def test_utf8_with_bom_is_stripped():
    decoded = decode_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "a.txt")
    assert decoded.text == TEXT
    assert decoded.encoding == "utf-8-sig"


@pytest.mark.parametrize("codec", ["gb18030", "gbk"])
def test_gb_encodings_are_detected_whatever_the_file_name(codec):
    data = TEXT.encode(codec)
    decoded = decode_bytes(data, "named-utf8.txt")
    assert decoded.text == TEXT
    assert decoded.encoding == "gb18030"


def test_gb18030_only_characters_survive():
    text = "干𬒗镇位于嵊泗县，户籍人口约2.3万人。" * 3
    assert decode_bytes(text.encode("gb18030")).text == text


def test_crlf_becomes_lf_and_keeps_line_count():
    decoded = decode_bytes("第一行\r\n第二行\r\n".encode())
    assert decoded.text.split("\n")[:2] == ["第一行", "第二行"]


@pytest.mark.parametrize("data", [b"", b"   \n\r\n", b"\xef\xbb\xbf"])
def test_empty_file_is_refused(data):
    with pytest.raises(RefusedFile, match="文件为空"):
        decode_bytes(data, "empty.txt")


def test_binary_file_is_refused():
    pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x00\x01\x02stream\x00\xff\xfe"
    with pytest.raises(RefusedFile, match="二进制"):
        decode_bytes(pdf, "issue.pdf")


def test_undecodable_bytes_are_refused():
    data = bytes([0x81, 0x30, 0xFF, 0xFE, 0x80, 0x7F]) * 40
    with pytest.raises(RefusedFile, match="编码"):
        decode_bytes(data, "odd.txt")
