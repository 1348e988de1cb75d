"""What the explorer page holds: the build's tables cut to a bounded size, as plain JSON values.

The page must stay small at any corpus size (about 10 MB at 100,000 articles), so every part of
it is capped by a constant below, and the page says which caps bit:

- lexicon terms: the ``MAX_TERMS`` most mentioned; each term's counts by outlet and use cover
  every mention; its concordance shows at most ``MAX_LINES_PER_TERM`` lines, taken in turn from
  each (outlet, voice, use) group so that no group is crowded out;
- article texts (body and removed lines) up to ``TEXT_BUDGET_BYTES``: first the articles the
  concordance lines come from, then a fixed sample (articles in order of their SHA-256, in turn
  per outlet) for the free-text search; every concordance line shown links to an included text;
- keyness: the ``KEY_WORDS_PER_OUTLET`` words of highest z per outlet;
- word counts for the search box: the ``VOCAB_WORDS`` most frequent words and phrases of
  keyness.csv, fewer when that would pass ``VOCAB_ENTRIES`` (word, outlet) counts;
- counterparts: at most ``MAX_FACTS`` facts and ``MAX_COUNTERPART_ROWS`` rows.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pandas as pd

from wording import pipeline
from wording.mentions import USE_ORDER
from wording.order import VOICE_ORDER, outlet_order
from wording.report.style import outlet_colour

MAX_TERMS = 100
MAX_LINES_PER_TERM = 100
TEXT_BUDGET_BYTES = 3_500_000
KEY_WORDS_PER_OUTLET = 50
VOCAB_WORDS = 20_000
VOCAB_ENTRIES = 100_000
MAX_FACTS = 500
MAX_COUNTERPART_ROWS = 1_500

COUNTERPART_COLUMNS = [
    "fact_id", "file", "outlet", "paragraph", "sentence", "text", "counterpart_file",
    "counterpart_outlet", "counterpart_paragraph", "counterpart_sentence", "counterpart_text",
    "same_outlet", "semantic", "lexical", "score", "mutual", "shared_words", "differing_words",
    "terms", "counterpart_terms",
]  # fmt: skip


def _text(value) -> str:
    """A table cell as text: "" for a missing value."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _num(value, digits: int = 3):
    """A number rounded for the page (JSON has no NaN: missing is None)."""
    if value is None or pd.isna(value):
        return None
    value = float(value)
    return int(value) if value.is_integer() else round(value, digits)


def _utf8_bytes(texts: pd.Series) -> pd.Series:
    """UTF-8 length of each text ("" for missing)."""
    return texts.fillna("").astype(str).str.encode("utf-8").str.len()


def _article_costs(tables) -> dict[str, int]:
    """{file: UTF-8 bytes its texts add to the page (body, headline, removed lines)}."""
    a = tables.articles
    cost = _utf8_bytes(a["body"]) + _utf8_bytes(a["headline"])
    cost.index = a["file"]
    r = tables.removed_lines
    if not r.empty:
        cost = cost.add(_utf8_bytes(r["text"]).groupby(r["file"].to_numpy()).sum(), fill_value=0)
    return {f: int(c) for f, c in cost.items()}


def _term_rows(tables: pipeline.Tables, outlets: list[str]) -> tuple[list[dict], list[str]]:
    """One dict per lexicon term (most mentioned first, at most ``MAX_TERMS``): counts per
    outlet and use, mentions per 1,000 body words per outlet; and the caps that bit."""
    mentions, counts = tables.term_mentions, tables.term_counts
    if counts.empty:
        return [], []
    meta = counts.drop_duplicates("term_id").set_index("term_id")
    totals = mentions.groupby("term_id").size() if not mentions.empty else pd.Series(dtype=int)
    order = sorted(meta.index, key=lambda t: (-int(totals.get(t, 0)), t))
    caps = []
    if len(order) > MAX_TERMS:
        caps.append(f"terms: the {MAX_TERMS} most mentioned of {len(order)} lexicon terms")
        order = order[:MAX_TERMS]
    rate = counts.groupby(["term_id", "outlet"])["per_1000_words"].sum()
    # A lexicon name is one feature of the counts (compounded), so keyness.csv holds its z; a
    # framing spans words and has none (shown blank).
    key = tables.keyness
    z = key.set_index(["term", "outlet"])["z"] if not key.empty else pd.Series(dtype=float)
    by_use = (
        mentions.groupby(["term_id", "outlet", "use"]).size()
        if not mentions.empty
        else pd.Series(dtype=int)
    )
    rows = []
    for term in order:
        per_outlet = []
        for k, outlet in enumerate(outlets):
            uses = {u: int(by_use.get((term, outlet, u), 0)) for u in USE_ORDER}
            per_outlet.append(
                {
                    "o": k,
                    "uses": uses,
                    "rate": _num(rate.get((term, outlet), 0.0), 2),
                    "z": _num(z[(term, outlet)], 2) if (term, outlet) in z.index else None,
                }
            )
        rows.append(
            {
                "id": term,
                "side": _text(meta.at[term, "side"]),
                "category": _text(meta.at[term, "category"]),
                "total": int(totals.get(term, 0)),
                "outlets": per_outlet,
            }
        )
    return rows, caps


def _groups(mentions: pd.DataFrame) -> dict[str, list[list[int]]]:
    """Per term, its mentions' row numbers in (outlet, voice, use) groups, each in text order."""
    rank = {v: k for k, v in enumerate(VOICE_ORDER)}
    use_rank = {u: k for k, u in enumerate(USE_ORDER)}
    keyed = mentions.assign(
        _v=mentions["voice"].map(rank).fillna(len(rank)),
        _u=mentions["use"].map(use_rank).fillna(len(use_rank)),
        _row=range(len(mentions)),
    ).sort_values(["term_id", "outlet", "_v", "_u", "file", "start"], kind="mergesort")
    out: dict[str, list[list[int]]] = defaultdict(list)
    for (term, _, _, _), group in keyed.groupby(["term_id", "outlet", "_v", "_u"], sort=False):
        out[term].append(group["_row"].tolist())
    return out


def _round_robin(groups: list[list[int]], take) -> list[int]:
    """Rows taken one per group in turn (``take(row)`` says whether a row may be shown), up to
    ``MAX_LINES_PER_TERM``; returns the rows in the order taken."""
    chosen: list[int] = []
    depth = 0
    while len(chosen) < MAX_LINES_PER_TERM and any(depth < len(g) for g in groups):
        for group in groups:
            if depth < len(group) and len(chosen) < MAX_LINES_PER_TERM and take(group[depth]):
                chosen.append(group[depth])
        depth += 1
    return chosen


def select(tables: pipeline.Tables, term_ids: list[str]) -> tuple[dict[str, list[int]], list[str]]:
    """Concordance rows per term and the files whose texts the page holds, within the budget.

    Returns ({term: mention rows}, files in page order). Every row shown belongs to a file
    that is included.
    """
    costs = _article_costs(tables)
    mentions = tables.term_mentions
    files: dict[str, None] = {}
    spent = 0

    def include(file: str) -> bool:
        nonlocal spent
        if file in files:
            return True
        if file not in costs:
            return False
        cost = costs[file]
        if spent + cost > TEXT_BUDGET_BYTES:
            return False
        files[file] = None
        spent += cost
        return True

    groups = _groups(mentions) if not mentions.empty else {}
    file_of = mentions["file"].tolist() if not mentions.empty else []
    # First pass: each term in turn adds its lines' articles while the budget lasts; then each
    # term is topped up with lines from articles already included.
    chosen = {t: _round_robin(groups.get(t, []), lambda r: include(file_of[r])) for t in term_ids}
    for term in term_ids:
        if len(chosen[term]) < MAX_LINES_PER_TERM:
            taken = set(chosen[term])
            extra = _round_robin(
                [[r for r in g if r not in taken] for g in groups.get(term, [])],
                lambda r: file_of[r] in files,
            )
            chosen[term] = chosen[term] + extra[: MAX_LINES_PER_TERM - len(chosen[term])]
    # Then a fixed sample for the free-text search: by SHA-256, one outlet after another.
    queues = [
        group.sort_values(["sha256", "file"])["file"].tolist()
        for _, group in tables.articles.groupby("outlet", sort=True)
    ]
    depth = 0
    while any(depth < len(q) for q in queues):
        for queue in queues:
            if depth < len(queue):
                include(queue[depth])
        depth += 1
    return chosen, list(files)


def _removed_by_file(removed_lines: pd.DataFrame, files: set[str]) -> dict[str, list[list]]:
    """{file: [[line, text, rule], ...]} in line order, for ``files``."""
    out: dict[str, list[list]] = defaultdict(list)
    if removed_lines.empty:
        return out
    kept = removed_lines[removed_lines["file"].isin(files)].sort_values(["file", "line"])
    for file, line, text, rule in zip(
        kept["file"], kept["line"], kept["text"], kept["rule"], strict=True
    ):
        out[file].append([int(line), _text(text), _text(rule)])
    return out


def _articles(tables: pipeline.Tables, files: list[str], outlets: list[str]) -> list[list]:
    """[file, outlet index, date, headline, body, wording source, [[start, end] of body
    paragraphs], [[line, text, rule] removed]] for each included file, in ``files`` order."""
    index = {o: k for k, o in enumerate(outlets)}
    wanted = set(files)
    articles = tables.articles[tables.articles["file"].isin(wanted)].set_index("file")
    if "wording_source" not in articles:
        articles = articles.assign(wording_source="")
    articles = articles.reindex(files)
    removed = _removed_by_file(tables.removed_lines, wanted)
    spans: dict[str, list[list[int]]] = defaultdict(list)
    paragraphs = tables.paragraphs
    if not paragraphs.empty and "start" in paragraphs:
        body = paragraphs[
            (paragraphs["kind"] == "body")
            & paragraphs["start"].notna()
            & paragraphs["file"].isin(wanted)
        ].sort_values(["file", "paragraph"])
        for file, start, end in zip(body["file"], body["start"], body["end"], strict=True):
            spans[file].append([int(start), int(end)])
    columns = ["outlet", "date", "headline", "body", "wording_source"]
    return [
        [file, index[outlet], _text(date), _text(headline), _text(body), _text(source),
         spans.get(file, []), removed.get(file, [])]
        for file, (outlet, date, headline, body, source) in zip(
            files, articles[columns].itertuples(index=False, name=None), strict=True
        )
    ]  # fmt: skip


def _lines(tables: pipeline.Tables, chosen: dict[str, list[int]], files: list[str],
           outlets: list[str]) -> dict[str, list[list]]:  # fmt: skip
    """{term: [[article index, start, end, outlet index, voice, use, speaker, wording source,
    left, matched, right], ...]} in (outlet, voice, use, file, start) order."""
    m = tables.term_mentions
    if "wording_source" not in m:
        m = m.assign(wording_source="")
    where = {f: k for k, f in enumerate(files)}
    index = {o: k for k, o in enumerate(outlets)}
    columns = ["file", "start", "end", "outlet", "voice", "use", "speaker", "wording_source",
               "kwic_left", "matched", "kwic_right"]  # fmt: skip
    out = {}
    for term, rows in chosen.items():
        picked = m.iloc[sorted(rows)][columns]
        out[term] = [
            [where[f], int(s), int(e), index[o], *(_text(v) for v in rest)]
            for f, s, e, o, *rest in picked.itertuples(index=False, name=None)
        ]
    return out


def _keyness(keyness: pd.DataFrame, outlets: list[str]) -> list[list]:
    """[outlet index, word, count, per 1,000 words, rest per 1,000, z, robust] for the top
    ``KEY_WORDS_PER_OUTLET`` words by z of each outlet, stop words left out (keyness.csv's
    ``stop_word``: "in", "the" lead by z in any register and say nothing of wording; the search
    box still counts them)."""
    if keyness.empty:
        return []
    index = {o: k for k, o in enumerate(outlets)}
    content = keyness[~keyness["stop_word"].astype(bool)] if "stop_word" in keyness else keyness
    top = (
        content[content["count"] > 0]
        .sort_values(["outlet", "z", "term"], ascending=[True, False, True], kind="mergesort")
        .groupby("outlet", sort=False)
        .head(KEY_WORDS_PER_OUTLET)
    )
    robust = top["robust"] if "robust" in top else pd.Series(False, index=top.index)
    return [
        [index[r.outlet], r.term, int(r.count), _num(r.rate_per_1000, 2),
         _num(r.rate_rest_per_1000, 2), _num(r.z, 2), bool(rb)]
        for r, rb in zip(top.itertuples(index=False), robust, strict=True)
        if r.outlet in index
    ]  # fmt: skip


def _vocab(keyness: pd.DataFrame, outlets: list[str]) -> tuple[dict[str, list[int]], int]:
    """{word: [count per outlet]} for the most frequent words of keyness.csv, at most
    ``VOCAB_ENTRIES`` counts in all; and how many words the build counted."""
    if keyness.empty:
        return {}, 0
    used = keyness[keyness["count"] > 0]
    wide = used.pivot_table(index="term", columns="outlet", values="count", aggfunc="sum")
    wide = wide.reindex(columns=outlets).fillna(0).astype(int)
    wide = wide.assign(_total=wide.sum(axis=1)).reset_index()
    n_words = len(wide)
    keep = min(VOCAB_WORDS, max(1, VOCAB_ENTRIES // max(1, len(outlets))))
    wide = wide.sort_values(["_total", "term"], ascending=[False, True], kind="mergesort")
    wide = wide.head(keep).sort_values("term", kind="mergesort")
    counts = wide[outlets].to_numpy().tolist()
    return dict(zip(wide["term"], counts, strict=True)), n_words


def _counterparts(counterparts: pd.DataFrame | None) -> tuple[dict | None, list[str]]:
    """The counterpart rows of the ``MAX_FACTS`` facts told by the most outlets (then by best
    score), at most ``MAX_COUNTERPART_ROWS`` rows; None when the table is absent."""
    if counterparts is None:
        return None, []
    missing = [c for c in COUNTERPART_COLUMNS if c not in counterparts.columns]
    if missing:
        raise ValueError(f"counterparts.csv lacks the columns {missing}")
    table = counterparts.copy()
    table["fact_id"] = table["fact_id"].map(_text)
    for column in ("semantic", "lexical", "score"):
        table[column] = pd.to_numeric(table[column], errors="coerce")
    sides = pd.concat(
        [table[["fact_id", "outlet"]], table[["fact_id", "counterpart_outlet"]].set_axis(
            ["fact_id", "outlet"], axis=1)]
    )  # fmt: skip
    per_fact = (
        pd.DataFrame(
            {
                "n_outlets": sides.groupby("fact_id")["outlet"].nunique(),
                "best": table.groupby("fact_id")["score"].max().fillna(0.0),
                "rows": table.groupby("fact_id").size(),
            }
        )
        .rename_axis("fact_id")
        .reset_index()
    )
    order = per_fact.sort_values(
        ["n_outlets", "best", "fact_id"], ascending=[False, False, True], kind="mergesort"
    )
    facts, n_rows = [], 0
    for fact, rows in zip(order["fact_id"], order["rows"], strict=True):
        if len(facts) >= MAX_FACTS or n_rows + rows > MAX_COUNTERPART_ROWS:
            break
        facts.append(fact)
        n_rows += int(rows)
    caps = []
    if len(facts) < len(order):
        caps.append(
            f"counterparts: {len(facts):,} of {len(order):,} facts (those told by the most "
            f"outlets, then the best scores), {n_rows:,} of {len(table):,} rows"
        )
    keep = table[table["fact_id"].isin(facts)].copy()
    keep["_f"] = keep["fact_id"].map({f: k for k, f in enumerate(facts)})
    keep = keep.sort_values(["_f", "score"], ascending=[True, False], kind="mergesort")
    rows = [
        [_text(v) if c not in ("semantic", "lexical", "score") else _num(v, 3)
         for c, v in zip(COUNTERPART_COLUMNS, r, strict=True)]
        for r in keep[COUNTERPART_COLUMNS].itertuples(index=False)
    ]  # fmt: skip
    return {"columns": COUNTERPART_COLUMNS, "rows": rows, "n_facts": len(order),
            "n_rows": len(table)}, caps  # fmt: skip


def read_counterparts(derived: str | Path) -> pd.DataFrame | None:
    """``counterparts.csv`` of a derived folder as text, or None when it is absent."""
    path = Path(derived) / "counterparts.csv"
    if not path.is_file():
        return None
    return pd.read_csv(path, dtype=str, keep_default_na=False)


# Columns the page reads from each table (older builds lack some: the page says to rebuild).
NEEDED = {
    "articles": ["file", "outlet", "date", "headline", "body", "n_words", "sha256"],
    "term_mentions": ["file", "outlet", "term_id", "voice", "use", "start", "end", "matched",
                      "speaker", "kwic_left", "kwic_right"],
    "term_counts": ["outlet", "term_id", "side", "category", "per_1000_words"],
    "keyness": ["outlet", "term", "count", "rate_per_1000", "rate_rest_per_1000", "z"],
}  # fmt: skip


def page_data(tables: pipeline.Tables, counterparts: pd.DataFrame | None) -> dict:
    """Everything the page shows, as JSON-ready values (deterministic: same tables, same
    values), with ``caps``: one sentence per cap that bit. Raises ValueError naming the table
    and columns when a table lacks a column the page reads."""
    for name, columns in NEEDED.items():
        table = getattr(tables, name)
        missing = [c for c in columns if c not in table.columns]
        if missing and not (table.empty and name != "articles"):
            raise ValueError(
                f"{name}.csv lacks the columns {missing}: rebuild the tables with "
                "`python -m wording build`"
            )
    articles = tables.articles
    outlets = outlet_order(articles["outlet"]) if not articles.empty else []
    terms, caps = _term_rows(tables, outlets)
    chosen, files = select(tables, [t["id"] for t in terms])
    lines = _lines(tables, chosen, files, outlets)
    for term in terms:
        term["shown"] = len(lines.get(term["id"], []))
    cut = [t for t in terms if t["shown"] < t["total"]]
    if cut:
        caps.append(f"concordance: {len(cut)} terms show fewer lines than their mentions (at most "
                    f"{MAX_LINES_PER_TERM} per term, and only from articles whose text the page "
                    "holds); their counts still cover every mention")  # fmt: skip
    if len(files) < len(articles):
        caps.append(f"article texts: {len(files):,} of {len(articles):,} articles "
                    f"({TEXT_BUDGET_BYTES:,} bytes of text at most): the concordance's "
                    "articles first, then a fixed sample per outlet; the free-text search "
                    "reads these texts")  # fmt: skip
    vocab, n_words = _vocab(tables.keyness, outlets)
    if len(vocab) < n_words:
        caps.append(f"word counts for the search box: the {len(vocab):,} most frequent of "
                    f"{n_words:,} words and phrases")  # fmt: skip
    facts, fact_caps = _counterparts(counterparts)
    caps += fact_caps
    words = articles.groupby("outlet")["n_words"].sum() if not articles.empty else {}
    n_by_outlet = articles.groupby("outlet").size() if not articles.empty else {}
    return {
        "outlets": outlets,
        "colours": [outlet_colour(o, outlets) for o in outlets],
        "limits": {
            "terms": MAX_TERMS,
            "lines_per_term": MAX_LINES_PER_TERM,
            "text_bytes": TEXT_BUDGET_BYTES,
            "key_per_outlet": KEY_WORDS_PER_OUTLET,
            "vocab_entries": VOCAB_ENTRIES,
            "facts": MAX_FACTS,
        },  # fmt: skip
        "outlet_articles": [int(n_by_outlet[o]) for o in outlets],
        "outlet_words": [int(words[o]) for o in outlets],
        "n_articles": len(articles),
        "uses": USE_ORDER,
        "terms": terms,
        "lines": lines,
        "articles": _articles(tables, files, outlets),
        "keyness": _keyness(tables.keyness, outlets),
        "key_per_outlet": KEY_WORDS_PER_OUTLET,
        "vocab": vocab,
        "counterparts": facts,
        "caps": caps,
    }
