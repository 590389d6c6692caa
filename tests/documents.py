"""Documents made in the test, in every format an editor may upload (no corpus text).

The PDFs are drawn with fpdf2 in Noto Sans CJK, from Debian's fonts-noto-cjk; a PDF made this
way has a real text layer with CJK Unicode maps, as a publisher's PDF has.
"""

import io
import logging
from pathlib import Path

import pytest

CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
logging.getLogger("fontTools").setLevel(logging.WARNING)  # fpdf2 subsets fonts chattily
SC_INDEX = 2  # Noto Sans CJK SC in the collection (JP, KR, SC, TC, HK)

#: Two pages of a made-up case report; its figures fall on page 1 and page 2.
CASE_PAGES = [
    [
        "七星街道推行网格智治",
        "新昌县七星街道推行“网格智治”，全街道划分175个网格，",
        "常住人口约15万。街道建成共富工坊12家。",
    ],
    [
        "2023年，当地农村居民人均可支配收入40311元，",
        "比上年增长7.5%。七星街道还培育微网格827个，带动就业超过800人。",
    ],
]


def cjk_font() -> Path:
    if not CJK_FONT.exists():
        pytest.skip(f"no CJK font at {CJK_FONT} (apt-get install fonts-noto-cjk)")
    return CJK_FONT


def make_pdf(pages, user_password=None, text=True) -> bytes:
    """A PDF whose page i holds the lines pages[i]; text=False draws no text (a 'scanned' PDF), nor does a
    page given as None (a photo page inside a text PDF)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("noto", fname=str(cjk_font()), collection_font_number=SC_INDEX)
    pdf.set_font("noto", size=11)
    if user_password:
        pdf.set_encryption(owner_password="owner-" + user_password, user_password=user_password)
    for lines in pages:
        pdf.add_page()
        if not text or lines is None:
            pdf.rect(20, 20, 170, 250, style="F")  # an image-like page: ink, no text
            continue
        for line in lines:
            pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def make_docx(blocks) -> bytes:
    """A Word file: ("h1", text), ("p", text) or ("table", [[cell, …], …]) blocks in order."""
    import docx

    document = docx.Document()
    for kind, content in blocks:
        if kind == "h1":
            document.add_heading(content, level=1)
        elif kind == "table":
            table = document.add_table(rows=len(content), cols=len(content[0]))
            for r, row in enumerate(content):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
        else:
            document.add_paragraph(content)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
