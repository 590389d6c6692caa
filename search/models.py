"""The search index: one document per article, kept by :mod:`search.indexing`.

``ArticleDocument`` holds what the engine matches and ranks:

- four weighted lists of jieba tokens (space-separated), A › B › C › D:
  A title and initiative names; B subtitle, summary, region names;
  C authors, figure labels, metric names, initiative descriptions; D the body
  (filled on SQLite, whose FTS5 table is built from them; PostgreSQL keeps the
  tokens in ``vector`` only);
- ``plain_text``: the same texts normalised but unsegmented, for phrases and
  for short queries that need a substring match;
- on PostgreSQL ``vector``, a tsvector built *from our tokens* (never from
  PostgreSQL's own parser, whose handling of Chinese depends on the server's
  ctype), with a GIN index added by the migration;
- on SQLite the same tokens live in the FTS5 table ``search_articlefts``
  (created by the migration), one row per article, rowid = article id;
- ``grams``: the character bigrams of ``plain_text`` (:mod:`search.grams`), so a
  substring is looked up in an index before the text is checked (PostgreSQL: a
  tsvector with a GIN index; SQLite: the FTS5 table ``search_articlegrams``).
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Article


class TokenVectorField(SearchVectorField):
    """A tsvector written as a literal we build (``'词':1A …``), cast on the way in.

    Casting a literal does not run the text-search parser, so what is stored is
    exactly our tokens whatever the database's locale.
    """

    def get_placeholder(self, value, compiler, connection):
        if connection.vendor == "postgresql":
            return "%s::tsvector"
        return "%s"

    def get_db_prep_value(self, value, connection, prepared=False):
        if connection.vendor != "postgresql":
            return None
        return value


class ArticleDocument(models.Model):
    article = models.OneToOneField(
        Article, verbose_name=_("文章"), primary_key=True, on_delete=models.CASCADE, related_name="search_document"
    )
    tokens_a = models.TextField(_("标题与做法名词语"), blank=True)
    tokens_b = models.TextField(_("副标题、摘要与区划词语"), blank=True)
    tokens_c = models.TextField(_("作者、指标词语"), blank=True)
    tokens_d = models.TextField(_("正文词语"), blank=True)
    plain_text = models.TextField(_("规范化全文"), blank=True)
    vector = TokenVectorField(_("检索向量"), null=True, blank=True, editable=False)
    #: Character bigrams of ``plain_text`` (:mod:`search.grams`), PostgreSQL; SQLite keeps them in FTS5.
    grams = TokenVectorField(_("字符二元组"), null=True, blank=True, editable=False)
    indexed_at = models.DateTimeField(_("索引时间"), auto_now=True)

    class Meta:
        verbose_name = _("检索文档")
        verbose_name_plural = _("检索文档")

    def __str__(self):
        return f"检索文档 #{self.article_id}"


class TermImpact(models.Model):
    """How strongly one article is about one word: the article's best words, precomputed (PostgreSQL).

    A common word (网格, 千万工程) can match half of a large collection, and ranking every
    match costs time proportional to that half. Each article keeps here its words from the
    title, initiatives, places, subtitle and summary, and its most frequent body words,
    with a score; the first page of a search ranks only the best-scored articles of each
    query word (an index scan), then checks them against the full query.
    """

    # Indexed by termimpact_article_term_idx below, which leads with the article.
    article = models.ForeignKey(Article, verbose_name=_("文章"), on_delete=models.CASCADE, related_name="+",
                                db_index=False)
    term = models.CharField(_("词"), max_length=64)
    impact = models.FloatField(_("权重"))

    class Meta:
        verbose_name = _("词语权重")
        verbose_name_plural = _("词语权重")
        # Covering (PostgreSQL): a word's best articles come from the index alone, without the table.
        indexes = [
            models.Index(fields=["term", "-impact"], include=["article"], name="search_termimpact_cover_idx"),
            # One article's score for one word from the index alone: the anchored candidate pass
            # (search.engine.candidate_sql) looks up the other words for a rarer word's articles.
            models.Index(fields=["article", "term"], include=["impact"], name="termimpact_article_term_idx"),
        ]

    def __str__(self):
        return f"{self.term} #{self.article_id}"
