"""Uploads in every format: what the editor's file becomes, and what is refused (and why, in Chinese)."""

import io
import zipfile

import pytest

from cases.ingest.formats import detect_format, read_document
from cases.ingest.pipeline import process_text
from cases.ingest.read import RefusedFile
from tests.documents import CASE_PAGES, make_docx, make_pdf


def refusal(data, name="x"):
    with pytest.raises(RefusedFile) as error:
        read_document(data, name)
    return str(error.value)


def test_a_pdf_keeps_its_text_and_where_each_page_begins():
    decoded = read_document(make_pdf(CASE_PAGES), "case.pdf")
    assert decoded.file_format == "pdf"
    lines = decoded.text.splitlines()
    assert lines[0] == "七星街道推行网格智治"
    assert "常住人口约15万" in decoded.text and "微网格827个" in decoded.text
    assert decoded.page_starts == (1, 5)  # page 2 starts after page 1's three lines and a blank line
    assert lines[decoded.page_starts[1] - 1].startswith("2023年")
    assert [decoded.page_of(n) for n in (1, 3, 4, 5, 6)] == [1, 1, 1, 2, 2]


def test_articles_and_figures_from_a_pdf_cite_their_pages():
    document = process_text(read_document(make_pdf(CASE_PAGES), "case.pdf"), "case.pdf", with_places=False)
    [article] = document.articles
    assert article.pages == "1–2"
    pages = {figure.quote: figure.page for figure in article.figures}
    assert pages["常住人口约15万"] == 1
    assert pages["微网格827个"] == 2
    assert all(page in (1, 2) for page in pages.values())


def test_text_files_have_no_pages():
    decoded = read_document("常住人口约15万。\n".encode("gb18030"), "a.txt")
    assert (decoded.file_format, decoded.encoding, decoded.page_starts) == ("txt", "gb18030", ())
    assert decoded.page_of(1) is None


def test_a_word_file_keeps_headings_paragraphs_and_tables_in_order():
    data = make_docx([("h1", "七星街道推行网格智治"), ("p", "全街道划分175个网格。"),
                      ("table", [["指标", "数值"], ["微网格", "827个"]]), ("p", "常住人口约15万。")])
    decoded = read_document(data, "case.docx")
    assert decoded.file_format == "docx"
    assert decoded.text.splitlines()[:2] == ["# 七星街道推行网格智治", "全街道划分175个网格。"]
    assert "微网格  827个" in decoded.text
    assert decoded.text.index("微网格") < decoded.text.index("常住人口")


def test_a_web_page_gives_its_text_without_menus_or_scripts():
    page = ("<!DOCTYPE html><html><head><meta charset='gbk'><title>站点</title><style>p{}</style></head><body>"
            "<nav>首页 | 新闻</nav><h1>七星街道推行网格智治</h1><p>全街道划分175个网格，<br>常住人口约15万。</p>"
            "<script>var x = '123个';</script><footer>版权所有</footer></body></html>")
    decoded = read_document(page.encode("gbk"), "case.html")
    assert decoded.file_format == "html"
    assert decoded.text.splitlines() == ["# 七星街道推行网格智治", "全街道划分175个网格，", "常住人口约15万。"]


def test_the_format_is_read_from_the_bytes_not_the_name():
    assert detect_format(make_pdf(CASE_PAGES)) == "pdf"
    assert detect_format(b"<html><body>x</body></html>") == "html"
    assert detect_format("常住人口".encode()) == "txt"
    assert read_document(make_pdf(CASE_PAGES), "misnamed.txt").file_format == "pdf"


def test_empty_files_are_refused():
    assert "文件为空" in refusal(b"", "empty.pdf")
    assert "文件为空" in refusal(b"  \n\n", "blank.txt")


def test_binary_files_are_refused():
    assert "二进制文件" in refusal(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "photo.png")


def test_old_word_files_are_refused_with_what_to_do():
    message = refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old.doc")
    assert "旧版 Office" in message and ".docx" in message


def test_an_encrypted_pdf_is_refused():
    message = refusal(make_pdf(CASE_PAGES, user_password="secret"), "locked.pdf")
    assert "PDF 已加密" in message and "locked.pdf" in message


def test_a_pdf_without_a_text_layer_is_refused_with_ocr_advice():
    message = refusal(make_pdf(CASE_PAGES, text=False), "scan.pdf")
    assert "没有文字层" in message and "OCR" in message and "共 2 页" in message


def test_pages_without_text_are_noted_and_the_rest_is_read():
    decoded = read_document(make_pdf([CASE_PAGES[0], None, CASE_PAGES[1]]), "mixed.pdf")
    assert len(decoded.page_starts) == 3 and "微网格827个" in decoded.text
    assert decoded.notes == ("第 2 页没有文字层（图片或扫描页），其中的文字未能导入。",)
    assert decoded.page_of(decoded.text.splitlines().index(CASE_PAGES[1][0]) + 1) == 3


def test_a_broken_pdf_is_refused():
    data = make_pdf(CASE_PAGES)
    assert "已损坏" in refusal(data[: len(data) // 3], "cut.pdf")


def test_a_zip_that_is_not_a_word_file_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("data.csv", "a,b\n")
    assert "不是 Word 文档" in refusal(out.getvalue(), "data.zip")


def test_files_over_the_limit_are_refused_before_reading():
    with pytest.raises(RefusedFile, match="超过上限 1 MB"):
        read_document(b"a" * (1024 * 1024 + 1), "big.txt", max_bytes=1024 * 1024)
