"""Assign themes from the controlled vocabulary to an article.

Three kinds of evidence, each cheap and explainable to an editor:
- the article's own keywords (jieba.analyse TF-IDF) that contain or are
  contained in a theme keyword (网格智治 → 网格化治理);
- how often the theme's keywords occur, per thousand characters, so a
  passing mention in a long article does not count;
- the initiatives and metrics found in it (“共富工坊”, 村集体经营性收入).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

# Metric slugs (cases.ingest.metrics) that point to a theme.
METRIC_THEMES = {
    "grids": "grid-governance",
    "micro-grids": "grid-governance",
    "grid-workers": "grid-governance",
    "village-collective-operating-income": "village-economy",
    "village-collective-income": "village-economy",
    "strong-village-companies": "village-economy",
    "urban-rural-income-ratio": "urban-rural-gap",
    "rural-per-capita-disposable-income": "urban-rural-gap",
    "income-increase": "income-gap",
    "low-income-households": "income-gap",
    "common-prosperity-workshops": "income-gap",
    "employment": "income-gap",
    "party-members": "party-building",
    "hospital-beds": "public-services",
    "elderly-population-share": "public-services",
    "volunteers": "spiritual-civilization",
    "communities": "community-modernization",
    "disputes-resolved": "grassroots-governance",
    "issues-handled": "grassroots-governance",
    "case-closure-rate": "grassroots-governance",
}

TOP_KEYWORDS = 20
SCORE_NEEDED = 2.5
MAX_THEMES = 6


class _CutWithoutHMM:
    """jieba's tokenizer without the HMM guesser for unknown words: several times faster, and
    TF-IDF keywords barely change.

    rjieba (jieba's algorithm and dictionary in Rust) cuts the same words about ten times faster;
    it is used while jieba's dictionary is the stock one (rjieba cannot load user words), and
    tests/test_ingest_quality.py checks the two agree on every corpus article.
    """

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    def cut(self, sentence):
        if _rjieba is not None and not getattr(self.tokenizer, "user_word_tag_tab", None):
            return _rjieba.cut(sentence, hmm=False)
        return self.tokenizer.cut(sentence, HMM=False)


try:
    import rjieba as _rjieba
except ImportError:  # an optional speed-up; jieba alone gives the same words
    _rjieba = None


@lru_cache(maxsize=1)
def _keyword_extractor():
    """A jieba.analyse TF-IDF extractor that cuts without HMM, built once per process.

    It is a copy of jieba.analyse's default one, so the IDF table is shared, not read again.
    """
    import copy

    import jieba
    import jieba.analyse

    jieba.setLogLevel(60)  # no "Building prefix dict" chatter on stderr
    extractor = copy.copy(jieba.analyse.default_tfidf)
    extractor.tokenizer = _CutWithoutHMM(jieba.dt)
    return extractor


def article_keywords(body: str, top: int = TOP_KEYWORDS) -> list[str]:
    """The article's own keywords by TF-IDF: jieba.analyse's ``extract_tags``, same words in the same order.

    Its loop is re-done with a ``Counter`` (counted in C, then each distinct word weighed once),
    which matters because every article goes through it; the IDF table and stop words are
    jieba.analyse's own.
    """
    if not body.strip():
        return []
    extractor = _keyword_extractor()
    stop_words = extractor.stop_words
    counts = {
        word: count for word, count in Counter(extractor.tokenizer.cut(body)).items()
        if len(word.strip()) >= 2 and word.lower() not in stop_words
    }
    total = sum(counts.values())
    idf, median_idf = extractor.idf_freq, extractor.median_idf
    weights = {word: count * (idf.get(word, median_idf) / total) for word, count in counts.items()}
    return sorted(weights, key=weights.__getitem__, reverse=True)[:top]


def theme_scores(
    body: str,
    initiative_names: Iterable[str],
    metric_slugs: Iterable[str | None],
    themes: Sequence[tuple[str, Sequence[str]]],
) -> dict[str, float]:
    """Evidence for each theme; see the module docstring."""
    keywords = article_keywords(body)
    names = [n for n in initiative_names if n]
    slugs = {s for s in metric_slugs if s}
    per_thousand = max(len(body), 1) / 1000
    scores: dict[str, float] = {}
    for slug, theme_keywords in themes:
        words = tuple(w for w in theme_keywords if w)
        contains, joined = _theme_matchers(words)
        score = 0.0
        occurrences = sum(body.count(w) for w in words)
        score += min(occurrences / per_thousand, 6.0) / 2
        # a keyword counts if it contains a theme word or (two characters or more) lies inside one
        score += 2.0 * sum(1 for k in keywords if contains.search(k) or (len(k) >= 2 and k in joined))
        score += 2.0 * sum(1 for n in names if contains.search(n))  # an initiative's name holds a theme word
        score += 2.0 * sum(1 for s in slugs if METRIC_THEMES.get(s) == slug)
        if occurrences == 0 and not any(METRIC_THEMES.get(s) == slug for s in slugs):
            score = 0.0  # a theme the text never names is not the article's theme
        scores[slug] = score
    return scores


@lru_cache(maxsize=512)
def _theme_matchers(words: tuple[str, ...]) -> tuple[re.Pattern, str]:
    """One theme's words as a regex alternation and as one string (so ``k in w`` is one search)."""
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or r"(?!)")
    return pattern, "\n".join(words)


def assign_themes(
    body: str,
    initiative_names: Iterable[str],
    metric_slugs: Iterable[str | None],
    themes: Sequence[tuple[str, Sequence[str]]],
) -> list[str]:
    """Theme slugs for the article, best first (at most ``MAX_THEMES``).

    ``themes`` is the controlled vocabulary as (slug, keywords) pairs, e.g.
    ``Theme.objects.values_list("slug", "keywords")``.
    """
    scores = theme_scores(body, initiative_names, metric_slugs, themes)
    chosen = sorted((s for s, v in scores.items() if v >= SCORE_NEEDED), key=lambda s: (-scores[s], s))
    return chosen[:MAX_THEMES]
