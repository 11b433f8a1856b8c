"""Search that finds what people type: without diacritics, and in other Czech word forms.

PostgreSQL has no Czech dictionary or stemmer, and SQLite's full-text index none
either, so both databases search one *normalised* field that every page type
indexes (`search_terms`), and the query is normalised the same way:

1. words are lower-cased and stripped of diacritics ("Doučovací" → "doucovaci"),
   and apostrophes are left out, whichever of their characters the text uses, so
   a word is one word and is found without them too (Ukrainian "кав’ярня",
   "кав'ярня", "кавʼярня" and "кавярня" are all "кавярня");
2. each word is stemmed by the Snowball stemmer of the page's language
   (Czech: "keramika" → "keramik", "keramický" → "keramick");
3. the index also holds each stem's beginnings from `MIN_PREFIX` letters on, and
   the query looks for its stem less the last letter. Czech derives words by
   suffixes, so "keramika" (→ "kerami") finds "Keramický kroužek" and
   "doucovani" (→ "doucova") finds "Doučovací klub".

The backend's own analysis is switched off for this field's language
(`SEARCH_CONFIG = "simple"` in settings): the words arrive already normalised.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import snowballstemmer
from django.utils.html import strip_tags
from wagtail.search import index

#: Stems shorter than this are matched whole; longer ones also by their beginnings.
MIN_PREFIX = 5
#: The Snowball algorithm per language code; a language without one is only normalised.
STEMMERS = {"cs": "czech", "en": "english", "de": "german", "pl": "polish", "ru": "russian", "sk": "czech"}
WORD = re.compile(r"\w+", re.UNICODE)
#: The characters people type as an apostrophe: ASCII, typographic (’ ‘), the modifier letter
#: Ukrainian orthography prescribes (ʼ), the grave and acute accents and the full-width one.
APOSTROPHES = dict.fromkeys(map(ord, "'’‘ʼ`´＇"))


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@cache
def _stemmer(language: str):
    algorithm = STEMMERS.get((language or "").split("-")[0].lower())
    return snowballstemmer.stemmer(algorithm) if algorithm else None


def stems(text: str, *, language: str) -> list[str]:
    """The text's words, lower-cased, without diacritics and stemmed, in order."""
    words = WORD.findall(strip_diacritics((text or "").translate(APOSTROPHES)).lower())
    stemmer = _stemmer(language)
    if stemmer is None:
        return words
    return [stemmer.stemWord(word) or word for word in words]


def index_terms(text: str, *, language: str) -> str:
    """What the index holds for a text: every stem and its beginnings from MIN_PREFIX letters on."""
    terms: dict[str, None] = {}
    for stem in stems(text, language=language):
        terms[stem] = None
        for end in range(MIN_PREFIX, len(stem)):
            terms[stem[:end]] = None
    return " ".join(terms)


def query_terms(query: str, *, language: str) -> str:
    """The query as the index holds it: each word's stem, less its last letter when it is long.

    One-letter words ("a", "v", "s") are left out when the query has longer ones.
    """
    words = stems(query, language=language)
    longer = [word for word in words if len(word) > 1]
    terms = []
    for word in longer or words:
        terms.append(word[:-1] if len(word) > MIN_PREFIX else word)
    return " ".join(dict.fromkeys(terms))


class NormalisedSearchMixin:
    """A page type whose text is also indexed normalised (add `SEARCH_TERMS` to its search_fields)."""

    def search_terms(self) -> str:
        """The page's searchable text (title and its other search fields), normalised for the index."""
        texts: list[str] = []
        for field in self.get_search_fields():
            if not isinstance(field, index.SearchField) or field.field_name == "search_terms":
                continue
            value = field.get_value(self)
            if value is None:
                continue
            parts = value if isinstance(value, list | tuple) else [value]
            texts.extend(strip_tags(str(part)) for part in parts if part is not None)
        language = getattr(getattr(self, "locale", None), "language_code", "") or ""
        return index_terms(" ".join(texts), language=language)


#: The field each page type adds to its `search_fields`.
SEARCH_TERMS = index.SearchField("search_terms")
