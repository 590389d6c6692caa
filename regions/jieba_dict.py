"""Place names as a jieba user dictionary, so segmentation keeps 七星街道 and 硖石街道 whole.

Search and ingest load it with ``jieba.load_userdict(write_user_dict(path))``.
"""

from pathlib import Path

from .models import Region, RegionAlias
from .names import PLACEHOLDER_NAMES
from .recognizer import SHORT_NAME_STOPLIST

#: High enough that jieba prefers the whole name over its parts (七星/街道), tagged ns (place).
PLACE_FREQUENCY = 20000


def place_names() -> list[str]:
    """Full names, short names and aliases of two characters or more, sorted, no duplicates."""
    names = set()
    for name, short in Region.objects.values_list("name", "short_name"):
        names.add(name)
        if short and short not in SHORT_NAME_STOPLIST:
            names.add(short)
    names.update(RegionAlias.objects.values_list("name", flat=True))
    return sorted(n for n in names if len(n) >= 2 and n not in PLACEHOLDER_NAMES and " " not in n)


def write_user_dict(path) -> Path:
    """Write every place name as ``name frequency ns`` (jieba's user dictionary format)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("".join(f"{name} {PLACE_FREQUENCY} ns\n" for name in place_names()), encoding="utf-8")
    tmp.replace(path)  # atomic: a reader never sees half a dictionary
    return path
