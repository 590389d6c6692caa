"""Character grams: the index behind substring matches.

A query word the dictionary does not know (a person's name 翁建荣, a short place name
崇福, a slogan 钱随人走) is cut into single characters, which the word index cannot
look up, so it must be found as a substring of the text. Scanning every document's
text for it costs seconds at 100,000 articles. Each document therefore also keeps
the set of its character bigrams and trigrams (adjacent letters or digits, within a
run of them) and the last character of each run. A substring of two or three
characters is then one gram, and a single character is the start of some gram (a
prefix lookup): the index alone decides, exactly. A longer substring can only stand
in documents holding all its trigrams; the index narrows them to those, and the
substring check on their text decides. Results are the same as a full scan.

Both sides work on text normalised by :func:`search.segment.normalize_text`.
Grams are written as they stand (``翁建荣``); SQLite's FTS5 table uses the ``ascii``
tokenizer, for which every non-ASCII character and every ASCII letter or digit is
part of a token, so each gram stays one token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Letters and digits (not "_", which FTS5's tokenizers treat as a separator).
_RUN = re.compile(r"[^\W_]+")
#: Grams looked up per substring at most: the rest add little selectivity and cost index reads.
MAX_QUERY_GRAMS = 12
#: Grams up to this many characters are indexed (a substring this long or shorter is one gram).
LONGEST_GRAM = 3


def text_grams(text: str) -> list[str]:
    """The grams of a (normalised) text, sorted, each once."""
    grams: set[str] = set()
    for run in _RUN.findall(text or ""):
        for size in range(2, LONGEST_GRAM + 1):
            grams.update(run[i : i + size] for i in range(len(run) - size + 1))
        grams.add(run[-1])  # so that every character begins some gram
    return sorted(grams)


@dataclass(frozen=True)
class GramQuery:
    """What a document containing a substring must hold (see :func:`query_grams`)."""

    grams: tuple[str, ...] = ()  # each one a gram of the document
    prefixes: tuple[str, ...] = ()  # each one the start of a gram
    #: Holding them means containing the substring (no check of the text needed).
    exact: bool = False

    def __bool__(self):
        return bool(self.grams or self.prefixes)


def query_grams(part: str) -> GramQuery:
    """The grams a document containing ``part`` must hold.

    A run of one character gives a prefix; of two or three, itself (one gram); longer,
    its trigrams. Exact when ``part`` is a single run of at most three characters.
    Empty when ``part`` has no letters or digits (then only the substring check decides).
    """
    runs = _RUN.findall(part or "")
    grams: list[str] = []
    prefixes: list[str] = []
    for run in runs:
        if len(run) == 1:
            prefixes.append(run)
        elif len(run) <= LONGEST_GRAM:
            grams.append(run)
        else:
            grams.extend(run[i : i + LONGEST_GRAM] for i in range(len(run) - LONGEST_GRAM + 1))
    grams = list(dict.fromkeys(grams))
    if len(grams) > MAX_QUERY_GRAMS:  # spread over the part, first and last included
        step = (len(grams) - 1) / (MAX_QUERY_GRAMS - 1)
        grams = [grams[round(i * step)] for i in range(MAX_QUERY_GRAMS)]
    exact = len(runs) == 1 and runs[0] == part and len(part) <= LONGEST_GRAM
    return GramQuery(tuple(grams), tuple(dict.fromkeys(prefixes)), exact)
