"""How high can precision at 1 go on the hand alignments with this model? (issue 15; a benchmark,
not a test.)

Usage: .venv/bin/python benchmarks/counterparts_ceiling.py [--markdown]

For the seeds (``tests/data/counterparts_hand.csv``) and the invented articles
(``tests/data/counterparts_invented.csv``), every pair of sentences of different articles is
scored by each kind of evidence a score could use, alone and in every weighting of a grid, and
the forced-choice precision at 1 (the best-scoring sentence in each other outlet is one the hand
alignment accepts) is printed, over every pair and over the pairs the stage's candidate rule
proposes (which drops some wrong answers with the right ones).
The grid is searched *in sample*: its best weighting is a ceiling for these features, not a
method. The kinds of evidence:

- ``semantic``: WordLlama cosine of the two sentences (the stage's own);
- ``lexical``: the stage's weighted Jaccard of anchors;
- ``stage``: the stage's score (both, halved on a date or number conflict) on its own candidates;
- ``soft``: idf-weighted greedy alignment of the content words by their WordLlama vectors (as
  BERTScore aligns tokens, with a static model), F1 of the two directions;
- ``tfidf``: cosine of scikit-learn TF-IDF vectors of the sentences (English stop words out);
- ``paragraph``: WordLlama cosine of the two sentences' paragraphs;
- ``article``: TF-IDF cosine of the two sentences' whole articles (same story, same fact);
- ``days``: exp(-days between the article dates / 30), 0.5 where a date is unknown.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from wording import anchors, candidates, counterparts, embedding  # noqa: E402
from wording.lexicon import load_lexicon  # noqa: E402
from wording.pipeline import load  # noqa: E402
from wording.report import counterparts as cpr  # noqa: E402

FEATURES = ["semantic", "lexical", "soft", "tfidf", "paragraph", "article", "days"]
GRID = {  # weights tried for each feature in the in-sample search
    "semantic": (0, 1),
    "lexical": (0, 1),
    "soft": (0, 1, 2),
    "tfidf": (0, 1),
    "paragraph": (0, 0.5),
    "article": (0, 0.5, 1),
    "days": (0, 0.3),
}


def seeds() -> tuple[pd.DataFrame, dict]:
    """The seeds' sentence table and hand alignment (accepted counterparts)."""
    tables = load(ROOT / "data" / "derived")
    lexicon = load_lexicon(ROOT / "data" / "lexicon.csv")
    table = counterparts.sentence_table(
        tables.paragraphs, tables.articles, tables.term_mentions, lexicon
    )
    outlet = dict(zip(tables.articles["file"], tables.articles["outlet"], strict=True))
    accepted, _ = cpr.seeds_hand(pd.read_csv(ROOT / "tests/data/counterparts_hand.csv"), outlet)
    return table, accepted


def invented() -> tuple[pd.DataFrame, dict]:
    """The invented articles' sentence table and hand alignment."""
    paragraphs, articles, accepted, _ = cpr.invented_hand(
        pd.read_csv(ROOT / "tests/data/counterparts_invented.csv")
    )
    return counterparts.sentence_table(paragraphs, articles), accepted


def _soft(table: pd.DataFrame, w: anchors.Words, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """idf-weighted greedy alignment F1 of the pairs' content words (WordLlama word vectors)."""
    content = ~w.kind["stop"].to_numpy()[w.code]
    held = pd.DataFrame({"s": w.sentence[content], "c": w.code[content]}).drop_duplicates()
    df = np.bincount(held["c"], minlength=len(w.distinct))
    idf = np.log((len(table) + 1) / (df + 1)) + 1
    vectors, _ = embedding._piece_vectors(list(w.distinct))
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    own = [g["c"].to_numpy() for _, g in held.groupby("s")]
    index = dict(zip(sorted(held["s"].unique()), range(len(own)), strict=True))
    out = np.zeros(len(a))
    for k, (x, y) in enumerate(zip(a, b, strict=True)):
        if x not in index or y not in index:
            continue
        u, v = own[index[x]], own[index[y]]
        sim = vectors[u] @ vectors[v].T
        p = (sim.max(1) * idf[u]).sum() / idf[u].sum()
        r = (sim.max(0) * idf[v]).sum() / idf[v].sum()
        out[k] = 2 * p * r / (p + r) if p + r > 0 else 0.0
    return out


def features(table: pd.DataFrame) -> pd.DataFrame:
    """Every ordered pair of sentences of different articles with each feature and the conflict
    flag, plus ``candidate`` (the stage's candidate rule proposes the pair)."""
    n = len(table)
    article = pd.factorize(table["file"])[0]
    a, b = np.triu_indices(n, 1)
    keep = article[a] != article[b]
    a, b = a[keep], b[keep]
    p = embedding.pieces(table["text"].tolist())
    postings, idf, _, w = anchors.anchor_matrix(table, anchors.words(p))
    emb = embedding.embed_pieces(p)
    year = pd.to_numeric(table["date"].astype(str).str[:4], errors="coerce").fillna(0)
    clash = anchors.conflicts(anchors.time_masks(w, year.to_numpy(np.int64)), a, b)
    lex = candidates.Lexical.of(postings, idf, counterparts.LEX_WIDTH)
    semantic, lexical = candidates.pair_scores(emb.__getitem__, lex, a, b)
    w_sem = counterparts.SEMANTIC_WEIGHT
    stage = w_sem * semantic + (1 - w_sem) * lexical
    stage = np.where(clash, counterparts.CONFLICT_FACTOR * stage, stage)
    tf = TfidfVectorizer(stop_words="english").fit_transform(table["text"])
    para_code, paras = pd.factorize(table["file"] + "\x00" + table["paragraph"].astype(str))
    para = np.zeros((len(paras), emb.shape[1]))
    np.add.at(para, para_code, emb)
    para /= np.linalg.norm(para, axis=1, keepdims=True)
    docs = TfidfVectorizer(stop_words="english").fit_transform(
        table.groupby(article)["text"].apply(" ".join)
    )
    doc_sim = (docs @ docs.T).toarray()
    date = pd.to_datetime(table["date"], errors="coerce").to_numpy()
    days = np.abs((date[a] - date[b]) / np.timedelta64(1, "D")).astype(float)
    order = pd.factorize(table["date"].astype(str) + "\x00" + table["file"], sort=True)[0]
    seeds_ = candidates.rarest(postings, article.astype(np.int64), counterparts.SEEK)
    ca, cb = candidates.candidate_pairs(
        seeds_, article.astype(np.int64), order.astype(np.int64), counterparts.WINDOW
    )
    proposed = set(zip(ca.tolist(), cb.tolist(), strict=True))
    one = pd.DataFrame(
        {
            "i": a,
            "j": b,
            "semantic": semantic,
            "lexical": lexical,
            "stage": stage,
            "soft": _soft(table, w, a, b),
            "tfidf": np.asarray(tf[a].multiply(tf[b]).sum(axis=1)).ravel(),
            "paragraph": np.einsum("ij,ij->i", para[para_code[a]], para[para_code[b]]),
            "article": doc_sim[article[a], article[b]],
            "days": np.where(np.isnan(days), 0.5, np.exp(-np.nan_to_num(days) / 30)),
            "conflict": clash,
            "candidate": [(x, y) in proposed for x, y in zip(a, b, strict=True)],
        }
    )
    return pd.concat([one, one.rename(columns={"i": "j", "j": "i"})], ignore_index=True)


def precision_at_1(table: pd.DataFrame, pairs: pd.DataFrame, accepted: dict, col: str) -> int:
    """How many (sentence, outlet) keys of ``accepted`` get an accepted sentence as their
    best-scoring pair by ``col``."""
    outlet = table["outlet"].to_numpy()
    ranked = pairs.assign(o=outlet[pairs["j"].to_numpy()]).sort_values(
        [col, "j"], ascending=[False, True], kind="stable"
    )
    top = ranked.drop_duplicates(["i", "o"])
    got = dict(zip(zip(top["i"], top["o"], strict=True), top["j"], strict=True))
    keys = zip(table["file"], table["paragraph"], table["sentence"], strict=True)
    row = {k: i for i, k in enumerate(keys)}
    right = 0
    for key, ok in accepted.items():
        j = got.get((row[key[:3]], key[3]))
        if j is not None and tuple(table.iloc[j][["file", "paragraph", "sentence"]]) in ok:
            right += 1
    return right


def paragraphs_of_seeds(sentences: pd.DataFrame, accepted: dict) -> tuple[pd.DataFrame, dict]:
    """The seeds' body paragraphs as passages (the columns of ``sentence_table``, sentence 0, the
    terms and referents of their sentences), and the paragraph-level hand alignment derived from
    the sentence-level one (``accepted``): a paragraph's counterpart in an outlet is any
    paragraph holding a sentence the hand accepts for one of its sentences."""
    tables = load(ROOT / "data" / "derived")
    body = tables.paragraphs[tables.paragraphs["kind"] == "body"]
    meta = tables.articles.set_index("file")
    table = pd.DataFrame(
        {
            "file": body["file"].to_numpy(),
            "outlet": meta["outlet"].reindex(body["file"]).to_numpy(),
            "date": meta["date"].reindex(body["file"]).fillna("").astype(str).to_numpy(),
            "paragraph": body["paragraph"].to_numpy(),
            "sentence": 0,
            "text": [" ".join(t.split()) for t in body["text"]],
        }
    )
    joined = sentences.groupby(["file", "paragraph"])[["terms", "referents"]].agg(
        lambda col: ";".join(dict.fromkeys(x for v in col for x in v.split(";") if x))
    )
    at = pd.MultiIndex.from_frame(table[["file", "paragraph"]])
    for col in ("terms", "referents"):
        table[col] = joined[col].reindex(at).fillna("").to_numpy()
    table = table[table["text"].str.split().str.len() >= counterparts.MIN_WORDS]
    by_paragraph: dict = {}
    for (file, paragraph, _, outlet), ok in accepted.items():
        held = by_paragraph.setdefault((file, paragraph, 0, outlet), set())
        held.update((f, p, 0) for f, p, _ in ok)
    return table.reset_index(drop=True), by_paragraph


def paragraph_rows(sentences: pd.DataFrame, sentence_accepted: dict) -> list[str]:
    """Paragraph-level P@1 on the seeds (``sentences`` and ``sentence_accepted`` from
    ``seeds``): the stage's machinery on paragraphs (its candidates, and every pair), and each
    paragraph's best sentence-level counterpart's paragraph."""
    table, accepted = paragraphs_of_seeds(sentences, sentence_accepted)
    n = len(accepted)
    pairs = features(table)
    rows = [
        f"| paragraphs as passages, the stage's candidates | "
        f"{precision_at_1(table, pairs[pairs['candidate']], accepted, 'stage')}/{n} |",
        f"| paragraphs as passages, every pair | "
        f"{precision_at_1(table, pairs, accepted, 'stage')}/{n} |",
    ]
    best = counterparts.best_counterparts(sentences, threshold=0.0)
    left = sentences.iloc[best["i"].to_numpy()].reset_index(drop=True)
    right = sentences.iloc[best["j"].to_numpy()].reset_index(drop=True)
    top = (
        pd.DataFrame(
            {
                "key": list(
                    zip(
                        left["file"],
                        left["paragraph"],
                        [0] * len(left),
                        right["outlet"],
                        strict=True,
                    )
                ),
                "got": list(zip(right["file"], right["paragraph"], [0] * len(left), strict=True)),
                "score": best["score"].to_numpy(),
            }
        )
        .sort_values("score", ascending=False, kind="stable")
        .drop_duplicates("key")
    )
    got = dict(zip(top["key"], top["got"], strict=True))
    right_n = sum(1 for k, ok in accepted.items() if got.get(k) in ok)
    rows.append(
        f"| the paragraph of its sentences' best counterpart (the stage's) | {right_n}/{n} |"
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print README tables")
    parser.parse_args()
    sets = {"seeds": seeds(), "invented": invented()}
    pairs = {name: features(table) for name, (table, _) in sets.items()}
    print("| evidence | seeds P@1 | invented P@1 |")
    print("|---|---:|---:|")
    n = {name: len(acc) for name, (_, acc) in sets.items()}
    stage = {
        name: precision_at_1(t, pairs[name][pairs[name]["candidate"]], acc, "stage")
        for name, (t, acc) in sets.items()
    }
    print(f"| the stage as built (its candidates) | {stage['seeds']}/{n['seeds']} "
          f"| {stage['invented']}/{n['invented']} |")  # fmt: skip
    for col in ["stage", *FEATURES]:
        got = {name: precision_at_1(t, pairs[name], acc, col) for name, (t, acc) in sets.items()}
        label = "the stage's score, every pair" if col == "stage" else f"{col} alone, every pair"
        print(f"| {label} | {got['seeds']}/{n['seeds']} | {got['invented']}/{n['invented']} |")
    for among in ("every pair", "the stage's candidates"):
        best = []
        for weights in itertools.product(*GRID.values()):
            if not any(weights):
                continue
            got = []
            for name, (t, acc) in sets.items():
                f = pairs[name]
                f = f if among == "every pair" else f[f["candidate"]].copy()
                mix = sum(wt * f[c] for wt, c in zip(weights, GRID, strict=True))
                f["mix"] = np.where(f["conflict"], counterparts.CONFLICT_FACTOR, 1.0) * mix
                got.append(precision_at_1(t, f, acc, "mix"))
            best.append((got[0], got[1], weights))
        best.sort(key=lambda x: (x[0], x[1]), reverse=True)
        top = best[0]
        label = " + ".join(f"{w:g} {c}" for w, c in zip(top[2], GRID, strict=True) if w)
        print(f"| best of {len(best)} weightings, in sample, {among} ({label}; conflict halves) "
              f"| {top[0]}/{n['seeds']} | {top[1]}/{n['invented']} |")  # fmt: skip
    print("\n| paragraph-level (seeds) | P@1 |\n|---|---:|")
    print("\n".join(paragraph_rows(*sets["seeds"])))
    target = int(np.ceil(0.9 * n["seeds"]))
    print(f"\nSeeds: the issue's target (P@1 >= 0.9) is {target} of {n['seeds']}.")


if __name__ == "__main__":
    main()
