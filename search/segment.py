"""Chinese word segmentation for the index and for queries (jieba), in one place.

Both sides must cut text the same way, so everything goes through this module:
the search index, the query parser, and the ingest pipeline if it wants words.

- One :class:`jieba.Tokenizer` per process, built lazily. Its prefix-dictionary
  cache lives in ``settings.JIEBA_CACHE_DIR`` (fixed and writable) so that web
  workers, management commands and CI build it once and agree.
- A user dictionary keeps our names whole (七星街道, 共富工坊, 一张网格管治理):
  place names from the gazetteer (``regions.jieba_dict.write_user_dict`` when the
  gazetteer provides it, otherwise the Region/RegionAlias rows), initiative
  names and aliases, metric names and labels, plus a short built-in list of the
  corpus's common terms. It is written to ``JIEBA_CACHE_DIR/user_dict.txt``.
- HMM (new-word guessing) is off: segmentation depends only on the
  dictionaries, so a word cut in a query is cut the same way in the text.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

#: Terms of the trade that jieba's general dictionary cuts apart.
BUILTIN_WORDS = (
    "共富工坊", "共同富裕", "网格智治", "网格员", "微网格", "专属网格", "全科网格", "一张网格管治理",
    "千万工程", "千村示范", "万村整治", "未来社区", "未来乡村", "强村公司", "共富", "乡贤", "新乡贤",
    "数字化改革", "基层治理", "城乡社区", "社区现代化", "山海协作", "三大差距", "党建统领", "党建引领",
    "党建+网格", "1+3+N", "民族团结", "石榴红", "数字家庭", "微改精提", "同心荟", "新联会", "两山",
    "绿水青山", "物业服务", "邻里中心", "老年食堂", "居家养老", "浙里办", "基本单元", "共同富裕现代化基本单元",
    "三治融合", "枫桥经验", "最多跑一次", "村集体经济", "集体经济", "低收入农户", "农文旅",
)

_dictionary_lock = threading.Lock()
_tokenizer = None

# Characters that make a token worth indexing: letters, digits, CJK ideographs.
_WORDLIKE = re.compile(r"\w")
_CJK = re.compile(r"[\u3400-\u9fff\U00020000-\U0003ffff]")
_SPACE_BETWEEN_CJK = re.compile(r"(?<=[\u3400-\u9fff\U00020000-\U0003ffff，。、；：？！“”‘’（）《》])\s+(?=[\u3400-\u9fff\U00020000-\U0003ffff，。、；：？！“”‘’（）《》])")
_SPACES = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """The form both the index and queries compare: NFKC, lower case, PDF line breaks undone.

    Whitespace between two Chinese characters is a line break of the PDF, not a
    word boundary, so it goes; other runs of whitespace become one space.
    """
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = _SPACE_BETWEEN_CJK.sub("", text)
    return _SPACES.sub(" ", text).strip()


def is_cjk(char: str) -> bool:
    return bool(_CJK.match(char))


def is_reliable_token(token: str) -> bool:
    """Whether the index holds this token wherever the text contains it.

    Single characters (一 character of a name the dictionary does not know,
    or the "1" of "1+3+N") are cut out of the text only when no word covers
    them, so a query made of them needs a substring check instead.
    """
    return len(token) >= 2


def user_dict_path() -> Path:
    return Path(settings.JIEBA_CACHE_DIR) / "user_dict.txt"


def dictionary_words() -> list[str]:
    """Our names, for the user dictionary: places, initiatives, metrics, built-ins."""
    from cases.models import Initiative, Metric
    from regions.models import Region, RegionAlias

    words: set[str] = set(BUILTIN_WORDS)
    # Villages are left out (hundreds of thousands nationally; slow to load, and a village
    # name query still finds its articles through the place links and the same cut on both sides).
    regions = Region.objects.exclude(level="village").values_list("name", "short_name")
    for name, short in regions.iterator(chunk_size=5000):
        words.add(name)
        if short and len(short) >= 2:
            words.add(short)
    words.update(RegionAlias.objects.exclude(region__level="village").values_list("name", flat=True))
    for name, aliases in Initiative.objects.values_list("name", "aliases"):
        words.add(name)
        words.update(a for a in (aliases or []) if isinstance(a, str))
    for name, labels in Metric.objects.values_list("name", "labels"):
        words.add(name)
        words.update(a for a in (labels or []) if isinstance(a, str))
    return sorted(w for w in (_clean_word(w) for w in words) if w)


def _clean_word(word: str) -> str:
    # jieba's dictionary format is "word freq tag" separated by spaces: no spaces in words.
    word = unicodedata.normalize("NFKC", word or "").strip().lower()
    if not word or len(word) < 2 or len(word) > 40 or re.search(r"\s", word):
        return ""
    return word


def write_user_dict(path: Path | None = None) -> Path:
    """Write the user dictionary (one word a line) and return its path."""
    path = Path(path or user_dict_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    words = set(dictionary_words())
    try:  # The gazetteer's own list of place names, when that module exists.
        from regions.jieba_dict import write_user_dict as write_place_dict
    except ImportError:
        write_place_dict = None
    if write_place_dict is not None:
        places = write_place_dict(path.with_name("places_dict.txt"))
        for line in Path(places).read_text(encoding="utf-8").splitlines():
            word = _clean_word(line.split(" ")[0]) if line.strip() else ""
            if word:
                words.add(word)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")  # parallel test workers write the same file
    tmp.write_text("".join(f"{w}\n" for w in sorted(words)), encoding="utf-8")
    tmp.replace(path)
    return path


def get_tokenizer():
    """The process's tokenizer, with the user dictionary loaded (built on first use)."""
    global _tokenizer
    if _tokenizer is not None:
        return _tokenizer
    with _dictionary_lock:
        if _tokenizer is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            cache_dir = Path(settings.JIEBA_CACHE_DIR)
            cache_dir.mkdir(parents=True, exist_ok=True)
            tokenizer = jieba.Tokenizer()
            tokenizer.tmp_dir = str(cache_dir)
            tokenizer.cache_file = "jieba.cache"
            tokenizer.initialize()
            try:
                words = Path(write_user_dict()).read_text(encoding="utf-8").split()
            except Exception:  # no tables yet (before migrate): the built-ins still help
                logger.warning("search: user dictionary from the database unavailable", exc_info=True)
                words = [w for w in map(_clean_word, BUILTIN_WORDS) if w]
            for word in words:
                _add_word(tokenizer, word)
            _tokenizer = tokenizer
    return _tokenizer


def _add_word(tokenizer, word: str) -> None:
    # Frequent enough to beat any split of itself, so the name stays whole in context.
    freq = max(tokenizer.suggest_freq(word, tune=False), 50 * len(word))
    tokenizer.add_word(word, freq=freq)


def add_words(words: Iterable[str]) -> list[str]:
    """Teach the running process new names (an initiative just created or renamed).

    Returns the words that were new. A process that has not built its tokenizer yet
    does nothing: it reads every name from the database when it does.
    """
    tokenizer = _tokenizer
    if tokenizer is None:
        return []
    new = []
    for word in words:
        word = _clean_word(word)
        if word and not tokenizer.FREQ.get(word):
            _add_word(tokenizer, word)
            new.append(word)
    if new:
        _segment_paragraph.cache_clear()
    return new


def reset_tokenizer() -> None:
    """Forget the tokenizer; the next call rebuilds it from the database (tests, rebuilds)."""
    global _tokenizer
    with _dictionary_lock:
        _tokenizer = None
    _segment_paragraph.cache_clear()


def _clean_tokens(tokens: Iterable[str]) -> list[str]:
    out = []
    for token in tokens:
        token = token.strip().lower()
        if token and _WORDLIKE.search(token):
            out.append(token)
    return out


@lru_cache(maxsize=50_000)
def _segment_paragraph(paragraph: str) -> tuple[str, ...]:
    # Paragraphs repeat (boilerplate, reprints): segment each distinct one once.
    tokenizer = get_tokenizer()
    tokens = _with_long_subwords(_clean_tokens(tokenizer.cut_for_search(paragraph, HMM=False)), tokenizer.FREQ)
    return tuple(tokens + _words_across_cuts(paragraph, tokens, tokenizer))


def _words_across_cuts(paragraph: str, tokens: list[str], tokenizer) -> list[str]:
    """Known words of the text that its cut left out: they straddle two of its words.

    The text 饮用水源地 is cut 饮用 | 水源地, but the query 饮用水源 is cut 饮用水 | 源: every
    dictionary word of two or more characters that stands in the text (jieba's full mode) is
    indexed too, so any word a query is cut into is found wherever the text holds it.
    """
    have = Counter(tokens)
    extra = []
    for word in _clean_tokens(tokenizer.cut(paragraph, cut_all=True)):
        if len(word) < 2:
            continue
        if have[word] > 0:
            have[word] -= 1
        else:
            extra.append(word)
    return extra


def _with_long_subwords(tokens: list[str], known) -> list[str]:
    """Each token, then the known words of four or more characters inside it.

    ``cut_for_search`` adds only two- and three-character sub-words, so a query for
    人均可支配收入 would miss a text the dictionary cut as 农村居民人均可支配收入.
    """
    out = []
    for token in tokens:
        out.append(token)
        for size in range(len(token) - 1, 3, -1):
            out.extend(sub for start in range(len(token) - size + 1) if known.get(sub := token[start : start + size]))
    return out


def index_tokens(text: str) -> list[str]:
    """Tokens for the index: ``cut_for_search`` (whole words and their dictionary sub-words)."""
    tokens: list[str] = []
    for paragraph in normalize_text_paragraphs(text):
        tokens.extend(_segment_paragraph(paragraph))
    return tokens


#: Index terms for places: ``rc3306`` stands for "linked to a region under code prefix 3306".
REGION_TOKEN_PREFIX = "rc"
#: Code prefix lengths of the levels (province, city, county, town, village).
REGION_PREFIX_LENGTHS = (2, 4, 6, 9, 12)


def region_tokens(code: str, prefix_length: int) -> list[str]:
    """The index terms of a linked region: one per level from the province down to it.

    ``prefix_length`` is the length of the region's own code prefix (its level's, see
    ``regions.models.PREFIX_LENGTH``). A town 330624001000 (9) gives rc33, rc3306,
    rc330624, rc330624001, so a query for 新昌县 (prefix 330624) finds every article
    linked to the county or anything under it with one index term, like a word.
    """
    return [REGION_TOKEN_PREFIX + code[:n] for n in REGION_PREFIX_LENGTHS if n <= prefix_length]


def region_token(prefix: str) -> str:
    """The index term for "under this code prefix" (see :func:`region_tokens`)."""
    return REGION_TOKEN_PREFIX + prefix


def normalize_text_paragraphs(text: str) -> list[str]:
    """Normalised paragraphs: split on blank lines or newlines, each normalised."""
    return [p for p in (normalize_text(part) for part in re.split(r"\n\s*\n|\n(?=\s)", text or "")) if p]


def query_tokens(text: str) -> list[str]:
    """The words of one query term, cut precisely (each must be in a matching text)."""
    return _clean_tokens(get_tokenizer().cut(normalize_text(text), HMM=False))


def query_search_tokens(text: str) -> list[str]:
    """The words and sub-words of a query term (``cut_for_search``), used for ranking."""
    return _clean_tokens(get_tokenizer().cut_for_search(normalize_text(text), HMM=False))


def is_known_word(word: str) -> bool:
    return bool(get_tokenizer().FREQ.get(word))
