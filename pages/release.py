"""The shipped release (data/release/) for download from /about/: the whole as a zip, or file by file.

The release is what `make release` exported: CSV and JSON per table, codebook, Frictionless
datapackage.json, manifest and SHA256SUMS. The about page lists each file with its size and
SHA-256 (from the manifest, which the export computed), so a researcher can check what they
downloaded (``sha256sum -c SHA256SUMS``). Only files the manifest names are served.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.http import require_safe

MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
CONTENT_TYPES = {".csv": "text/csv; charset=utf-8", ".json": "application/json", ".md": "text/markdown; charset=utf-8"}


def release_dir() -> Path:
    return Path(settings.BASE_DIR) / "data" / "release"


@dataclass(frozen=True)
class ReleaseFile:
    name: str
    bytes: int
    sha256: str
    table: str = ""  # the table the file holds, if any
    rows: int | None = None


@lru_cache(maxsize=4)
def _manifest(path: Path, mtime: float) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def manifest() -> dict | None:
    path = release_dir() / MANIFEST
    try:
        return _manifest(path, path.stat().st_mtime)
    except (OSError, ValueError):
        return None


def files() -> list[ReleaseFile]:
    """Every file of the release with its size and checksum; tables first, in the manifest's order."""
    meta = manifest()
    if meta is None:
        return []
    table_of = {name: (table, info["rows"]) for table, info in meta["tables"].items() for name in info["files"]}
    listed = [ReleaseFile(name, info["bytes"], info["sha256"], *table_of.get(name, ("", None)))
              for name, info in meta["files"].items()]
    listed.sort(key=lambda f: (not f.table, list(meta["tables"]).index(f.table) if f.table else 0, f.name))
    return listed


def _allowed(name: str) -> bool:
    meta = manifest()
    return meta is not None and (name in meta["files"] or name in (MANIFEST, CHECKSUMS))


def zip_name(version: str) -> str:
    return f"zj-cases-{version}.zip"


@lru_cache(maxsize=2)
def _zip(version: str, signature: str) -> tuple[bytes, str]:
    """The release as one zip (built once per release and process: 1–2 MB) and its SHA-256."""
    buffer = io.BytesIO()
    folder = f"zj-cases-{version}"
    names = [*manifest()["files"], MANIFEST, CHECKSUMS]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.write(release_dir() / name, f"{folder}/{name}")
    data = buffer.getvalue()
    return data, hashlib.sha256(data).hexdigest()


def zip_bytes() -> tuple[bytes, str] | None:
    meta = manifest()
    if meta is None:
        return None
    signature = (release_dir() / CHECKSUMS).read_text(encoding="ascii") if (release_dir() / CHECKSUMS).exists() else ""
    return _zip(meta["dataset_version"], hashlib.sha256(signature.encode()).hexdigest())


@require_safe
def download_zip(request):
    built = zip_bytes()
    if built is None:
        raise Http404("本副本没有数据发布。")
    data, digest = built
    version = manifest()["dataset_version"]
    response = HttpResponse(data, content_type="application/zip")
    chinese = f"浙江案例库-数据集-{version}.zip"
    response["Content-Disposition"] = f"attachment; filename=\"{zip_name(version)}\"; filename*=UTF-8''{quote(chinese)}"
    response["X-Checksum-SHA256"] = digest
    return response


@require_safe
def download_file(request, name: str):
    if "/" in name or "\\" in name or not _allowed(name):
        raise Http404("数据发布中没有这个文件。")
    path = release_dir() / name
    content_type = CONTENT_TYPES.get(path.suffix, "text/plain; charset=utf-8")
    return FileResponse(path.open("rb"), content_type=content_type, as_attachment=path.suffix == ".csv", filename=name)
