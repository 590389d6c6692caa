"""Character bigrams: the index behind substring matches.

A query word the dictionary does not know (a person's name 刘捷, a short place name
崇福, a slogan 钱随人走) is cut into single characters, which the word index cannot
look up, so it must be found as a substring of the text. Scanning every document's
text for it costs seconds at 100,000 articles. Each document therefore also keeps
the set of its character bigrams (every two adjacent letters or digits, within a
run of them), plus the last character of each run: a substring of two or more
characters can only stand in documents holding all its bigrams, and a single
character only in documents holding a gram that starts with it (a prefix lookup).
The index narrows the documents to a few; the substring check on their text then
decides exactly, so results are the same as a full scan.

Both sides work on text normalised by :func:`search.segment.normalize_text`.
Grams are written as they stand (``刘捷``); SQLite's FTS5 table uses the ``ascii``
tokenizer, for which every non-ASCII character and every ASCII letter or digit is
part of a token, so each gram stays one token.
"""

from __future__ import annotations

import re

# Letters and digits (not "_", which FTS5's tokenizers treat as a separator).
_RUN = re.compile(r"[^\W_]+")
#: Bigrams looked up per substring at most: the rest add little selectivity and cost index reads.
MAX_QUERY_GRAMS = 12


def text_grams(text: str) -> list[str]:
    """The grams of a (normalised) text, sorted, each once."""
    grams: set[str] = set()
    for run in _RUN.findall(text or ""):
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
        grams.add(run[-1])  # so that every character begins some gram
    return sorted(grams)


def query_grams(part: str) -> tuple[list[str], list[str]]:
    """What a document containing ``part`` must hold: (bigrams, prefixes of a gram).

    A run of two or more characters gives its bigrams; a run of one character gives
    that character as a prefix. Empty lists when ``part`` has no letters or digits
    (then only the substring check can decide).
    """
    bigrams: list[str] = []
    prefixes: list[str] = []
    for run in _RUN.findall(part or ""):
        if len(run) == 1:
            prefixes.append(run)
        else:
            bigrams.extend(run[i : i + 2] for i in range(len(run) - 1))
    bigrams = list(dict.fromkeys(bigrams))
    if len(bigrams) > MAX_QUERY_GRAMS:  # spread over the part, first and last included
        step = (len(bigrams) - 1) / (MAX_QUERY_GRAMS - 1)
        bigrams = [bigrams[round(i * step)] for i in range(MAX_QUERY_GRAMS)]
    return bigrams, list(dict.fromkeys(prefixes))


def tsvector_literal(grams: list[str]) -> str:
    """The grams as a PostgreSQL tsvector literal without positions: ``'刘捷' '捷说' …``."""
    return " ".join("'" + g.replace("\\", "\\\\").replace("'", "''") + "'" for g in grams)


def tsquery_literal(bigrams: list[str], prefixes: list[str]) -> str:
    """All bigrams and a gram starting with each prefix, as a tsquery literal."""
    terms = ["'" + g.replace("\\", "\\\\").replace("'", "''") + "'" for g in bigrams]
    terms += ["'" + p.replace("\\", "\\\\").replace("'", "''") + "':*" for p in prefixes]
    return " & ".join(terms)


def fts_query(bigrams: list[str], prefixes: list[str]) -> str:
    """The same for SQLite's FTS5: ``"刘捷" AND "捷说"``, ``"茶"*``."""
    terms = ['"' + g.replace('"', '""') + '"' for g in bigrams]
    terms += ['"' + p.replace('"', '""') + '"*' for p in prefixes]
    return " AND ".join(terms)
