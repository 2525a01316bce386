"""Chinese substring search on Wagtail's database backends.

Those backends split text into tokens at spaces and punctuation, so a run of Chinese characters is a
single token and 农药 never matches 禁止使用高毒农药. We index each run of Han characters as its single
characters and overlapping pairs (bigrams), and turn a query's runs into bigrams searched with AND:
every two-character window of the query must occur in the text. Works the same on SQLite FTS5 and
PostgreSQL tsvector ("simple" configuration).
"""

import re

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(f"[{_HAN}]+")
_SPLIT = re.compile(f"([{_HAN}]+)")


def _bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def cjk_index_text(*parts: str) -> str:
    """Text for the search index: every Han run expanded to its characters and bigrams."""
    tokens: list[str] = []
    for part in parts:
        if not part:
            continue
        for run in _RUN.findall(str(part)):
            tokens.extend(run)
            tokens.extend(_bigrams(run))
    # The set keeps the index small; order does not matter to a full-text index.
    return " ".join(sorted(set(tokens)))


def cjk_query(query: str) -> str:
    """A user's query rewritten for an index built with cjk_index_text (search it with operator="and")."""
    words: list[str] = []
    for piece in _SPLIT.split(query or ""):
        if not piece.strip():
            continue
        if _RUN.fullmatch(piece):
            words.extend(_bigrams(piece))
        else:
            words.extend(re.findall(r"\w+", piece))
    return " ".join(dict.fromkeys(words))


# Domain apps add their own kinds of result to the site search (producers, substances…) without the
# portal importing them: each registers a callable in its AppConfig.ready().
_sources = []


def register_search_source(source) -> None:
    """source(query) -> list of dicts with title, url, summary and kind (a label)."""
    if source not in _sources:
        _sources.append(source)


def extra_search_results(query: str) -> list[dict]:
    results: list[dict] = []
    for source in _sources:
        results.extend(source(query))
    return results
