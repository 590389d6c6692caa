"""Step 1: bytes → text, with the encoding detected from the bytes, never from the file name.

Chinese documents arrive as UTF-8 (with or without a BOM) or as GB18030/GBK. Strict decoding
is tried first (UTF-8 is self-checking: GBK bytes almost never decode as UTF-8); only when both
strict attempts fail is charset-normalizer asked, and its answer is accepted only if it yields
Chinese-looking text. Empty, binary or undecodable files are refused with a
:class:`RefusedFile` whose message can be shown to the user as is.
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass

from charset_normalizer import from_bytes

UTF8_BOM = b"\xef\xbb\xbf"
# Control characters that never occur in text files (tab, newline, CR, form feed are fine).
_BINARY_BYTES = set(range(0, 9)) | {11} | set(range(14, 32)) - {27}


class RefusedFile(ValueError):
    """A file the pipeline will not read; ``str(error)`` is a user-facing message."""


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str  # "utf-8", "utf-8-sig" or "gb18030"
    sha256: str
    size_bytes: int
    file_format: str = "txt"  # txt, pdf, docx or html (cases.ingest.formats)
    page_starts: tuple[int, ...] = ()  # the file line (from 1) each page begins on; () when not paged
    notes: tuple[str, ...] = ()  # what the reader noticed but did not refuse ("第 3 页没有文字层")

    def page_of(self, line: int | None) -> int | None:
        """The page (from 1) holding a file line, or None when the document has no pages."""
        if not self.page_starts or line is None:
            return None
        return max(1, bisect.bisect_right(self.page_starts, line))


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KiB mean a binary file."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte in _BINARY_BYTES)
    return controls > max(2, len(head) // 100)


def _cjk_share(text: str) -> float:
    sample = text[:5000]
    if not sample:
        return 0.0
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef")
    return cjk / len(sample)


def decode_bytes(data: bytes, name: str = "文件") -> DecodedText:
    """Decode a document's bytes; raise :class:`RefusedFile` when it is not readable text."""
    if not data or not data.strip(b" \t\r\n\x00" + UTF8_BOM):
        raise RefusedFile(f"{name}：文件为空，未导入。")
    if data.startswith(UTF8_BOM):
        try:
            text = data[len(UTF8_BOM):].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RefusedFile(f"{name}：文件声明为 UTF-8（带 BOM），但第 {exc.start} 字节起无法解码，未导入。") from exc
        return DecodedText(_clean(text), "utf-8-sig", sha256_hex(data), len(data))
    if looks_binary(data):
        raise RefusedFile(f"{name}：这是二进制文件（如 PDF、图片或压缩包），不是文本，未导入。请先转换为 UTF-8 或 GB18030 文本。")
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "gb18030" and _cjk_share(text) < 0.2:
            break  # decodes, but to gibberish: let the detector have a look
        return DecodedText(_clean(text), encoding, sha256_hex(data), len(data))
    best = from_bytes(data).best()
    if best is not None and best.encoding and _cjk_share(str(best)) >= 0.2:
        return DecodedText(_clean(str(best)), best.encoding.replace("_", "-"), sha256_hex(data), len(data))
    raise RefusedFile(f"{name}：无法识别文本编码（既不是 UTF-8，也不是 GB18030/GBK），未导入。请另存为 UTF-8 后重试。")


def _clean(text: str) -> str:
    """Unify line endings; keep everything else as written (line numbers must stay true)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
