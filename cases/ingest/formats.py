"""Step 1 for uploads: a document's bytes in any format we accept → DecodedText, with its pages.

Editors upload what the publisher gives them: a PDF with a text layer, a Word file (.docx), a
saved web page (.html), or plain text/markdown in UTF-8 or GB18030. The format is told by the
bytes (``%PDF-``, a zip holding ``word/document.xml``, ``<html``), never by the file name, and
each reader yields plain lines the rest of the pipeline already knows how to split.

PDF text comes from pypdfium2 (PDFium, the engine in Chromium): it reads CJK text layers with
their Unicode maps, is fast (C, page by page), ships as a wheel with no system library, and
tells an encrypted file from a broken one. ``DecodedText.page_starts`` keeps the file line where
each page begins, so an article and a figure can cite their page.

Every refusal is a :class:`~cases.ingest.read.RefusedFile` whose message an editor can act on.
"""

from __future__ import annotations

import io
import re
import zipfile

from .read import DecodedText, RefusedFile, decode_bytes, sha256_hex

#: The formats an upload may have (Source.file_format).
FORMATS = ("txt", "pdf", "docx", "html")
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
                         re.IGNORECASE | re.DOTALL)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, .ppt (Office 97–2003)


def detect_format(data: bytes) -> str:
    """"pdf", "docx", "html" or "txt" from the first bytes (the name may lie)."""
    head = data[:1024]
    if head.lstrip(b"\x00\t\r\n ")[:5] == b"%PDF-":
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    probe = head.lstrip(b"\xef\xbb\xbf")
    if _HTML_START.match(probe):
        return "html"
    return "txt"


def read_document(data: bytes, name: str = "文件", max_bytes: int | None = DEFAULT_MAX_BYTES) -> DecodedText:
    """Decode an uploaded document; raise RefusedFile with a message in Chinese when we cannot."""
    if max_bytes is not None and len(data) > max_bytes:
        raise RefusedFile(f"{name}：文件大小 {len(data) / 1024 / 1024:.1f} MB，超过上限 {max_bytes // 1024 // 1024} MB，未导入。"
                          "请拆分后分别上传。")
    if not data or not data.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise RefusedFile(f"{name}：文件为空，未导入。")
    if data.startswith(_OLE_MAGIC):
        raise RefusedFile(f"{name}：这是旧版 Office 文件（.doc/.xls），无法读取，未导入。请在 Word 中另存为 .docx 或 PDF 后上传。")
    kind = detect_format(data)
    if kind == "pdf":
        return read_pdf(data, name)
    if kind == "docx":
        return read_docx(data, name)
    if kind == "html":
        return read_html(data, name)
    return decode_bytes(data, name)


def _decoded(lines: list[str], data: bytes, encoding: str, file_format: str, page_starts=(), notes=()) -> DecodedText:
    return DecodedText("\n".join(lines) + "\n", encoding, sha256_hex(data), len(data),
                       file_format=file_format, page_starts=tuple(page_starts), notes=tuple(notes))


# --- PDF --------------------------------------------------------------------------------------

def read_pdf(data: bytes, name: str = "文件") -> DecodedText:
    """The text layer of each page, in order; page_starts[i] is the line page i+1 begins on."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise RefusedFile(f"{name}：PDF 已加密（需要密码才能打开），未导入。请向出版方索取未加密的文件，"
                              "或在阅读器中输入密码后另存为不加密的 PDF。") from error
        raise RefusedFile(f"{name}：PDF 文件已损坏或不完整，无法打开（{error}），未导入。请重新下载后再上传。") from error
    lines: list[str] = []
    page_starts: list[int] = []
    empty_pages: list[int] = []
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                text = textpage.get_text_bounded()
                textpage.close()
            finally:
                page.close()
            page_lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
            page_lines = [line.replace("\x00", "").replace("\ufffe", "") for line in page_lines]
            while page_lines and not page_lines[-1].strip():
                page_lines.pop()
            if not any(line.strip() for line in page_lines):
                empty_pages.append(index + 1)
                page_lines = []
            if lines:
                lines.append("")  # a blank line between pages
            page_starts.append(len(lines) + 1)
            lines.extend(page_lines)
    finally:
        pdf.close()
    if not page_starts:
        raise RefusedFile(f"{name}：PDF 没有任何页面，未导入。")
    if len(empty_pages) == len(page_starts):
        raise RefusedFile(f"{name}：PDF 共 {len(page_starts)} 页，但没有文字层（多为扫描件或图片），无法提取文字，未导入。"
                          "请先做文字识别（OCR，如 tesseract chi_sim 或 Acrobat“识别文本”）后再上传。")
    notes = []
    if empty_pages:
        shown = "、".join(map(str, empty_pages[:10])) + ("等" if len(empty_pages) > 10 else "")
        notes.append(f"第 {shown} 页没有文字层（图片或扫描页），其中的文字未能导入。")
    return _decoded(lines, data, "pdf", "pdf", page_starts, notes)


# --- Word -------------------------------------------------------------------------------------

def read_docx(data: bytes, name: str = "文件") -> DecodedText:
    """Paragraphs and table rows in document order; Word headings become markdown headings."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as error:
        raise RefusedFile(f"{name}：压缩文件已损坏，无法打开，未导入。") from error
    if "word/document.xml" not in names:
        if "EncryptedPackage" in names:
            raise RefusedFile(f"{name}：Word 文件已加密，未导入。请取消密码后另存再上传。")
        raise RefusedFile(f"{name}：这是压缩包（zip、xlsx、pptx 等），不是 Word 文档，未导入。请上传 PDF、DOCX、HTML 或文本文件。")
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises lxml, KeyError or its own errors on broken parts
        raise RefusedFile(f"{name}：Word 文件已损坏，无法读取（{type(error).__name__}），未导入。") from error
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = []
                for cell in row.cells:
                    text = " ".join(cell.text.split())
                    if text and (not cells or cells[-1] != text):  # merged cells repeat their text
                        cells.append(text)
                if cells:
                    lines.append("  ".join(cells))
            lines.append("")
            continue
        text = block.text.strip()
        if not text:
            lines.append("")
            continue
        level = _heading_level(block.style.name if block.style is not None else "")
        lines.append(("#" * level + " " + text) if level else text)
    if not any(line.strip() for line in lines):
        raise RefusedFile(f"{name}：Word 文档里没有文字（可能只有图片），未导入。")
    return _decoded(lines, data, "docx", "docx")


def _heading_level(style: str) -> int:
    if style == "Title":
        return 1
    match = re.match(r"(?:Heading|标题)\s*(\d)", style)
    return min(int(match.group(1)), 4) if match else 0


# --- HTML -------------------------------------------------------------------------------------

_SKIP_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe", "svg")
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "li", "ul", "ol", "table", "tr", "blockquote", "pre",
               "dd", "dt", "figure", "figcaption", "center"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 4, "h6": 4}


def read_html(data: bytes, name: str = "文件") -> DecodedText:
    """The readable text of a saved web page: blocks as lines, headings as markdown, no menus or scripts."""
    import lxml.etree
    import lxml.html

    source, encoding = _decode_html(data, name)
    source = re.sub(r"^\s*<\?xml[^>]*>", "", source)  # lxml refuses str with an encoding declaration
    try:
        root = lxml.html.document_fromstring(source)
    except Exception as error:  # lxml.etree.ParserError on markup without any element
        raise RefusedFile(f"{name}：网页无法解析（{error}），未导入。") from error
    for element in list(root.iter(*_SKIP_TAGS)):
        element.drop_tree()
    for element in list(root.iter(lxml.etree.Comment, lxml.etree.ProcessingInstruction)):
        element.drop_tree()
    body = root.find("body")
    if body is None:
        body = root
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag in _HEADINGS:
            element.text = "\n" + "#" * _HEADINGS[tag] + " " + (element.text or "").lstrip()
            element.tail = "\n" + (element.tail or "")
        elif tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif tag in _BLOCK_TAGS or tag in ("td", "th"):
            element.tail = ("\n" if tag not in ("td", "th") else "  ") + (element.tail or "")
    text = body.text_content().replace("\xa0", " ").replace("\u3000", " ")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    compact: list[str] = []
    for line in lines:  # at most one blank line in a row
        if line or (compact and compact[-1]):
            compact.append(line)
    while compact and not compact[-1]:
        compact.pop()
    if not compact:
        raise RefusedFile(f"{name}：网页里没有正文文字，未导入。")
    return _decoded(compact, data, encoding, "html")


_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_-]+)", re.IGNORECASE)


def _decode_html(data: bytes, name: str) -> tuple[str, str]:
    """UTF-8 unless the page declares GBK/GB2312/GB18030 (markup is ASCII, so no guessing by share of CJK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    declared = _META_CHARSET.search(data[:4096])
    order = ["utf-8", "gb18030"]
    if declared and declared.group(1).decode("ascii").lower().replace("-", "") in ("gbk", "gb2312", "gb18030", "cp936"):
        order.reverse()
    for encoding in order:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise RefusedFile(f"{name}：网页编码无法识别（既不是 UTF-8，也不是 GB18030/GBK），未导入。请另存为 UTF-8 后重试。")
