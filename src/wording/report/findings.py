"""The study's headline findings in words, computed from the derived tables.

``make report`` writes them into README.md between the markers below, so the front page never
carries a number typed by hand; a test checks the block is fresh.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from wording import paths
from wording.report import corpus as corpus_report
from wording.report import style, terminology


def _start(name: str) -> str:
    return f"<!-- {name}:start (written by `python -m wording findings`; do not edit) -->"


def _end(name: str) -> str:
    return f"<!-- {name}:end -->"


COLLECTIVE = "collective name"
ISLAND = "island name"


def _read(derived: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(derived / name, keep_default_na=False)


def _by_side(counts: pd.DataFrame, category: str) -> pd.Series:
    """Mentions by (outlet, side, voice): notebook 03's own table, ``terminology.by_side``."""
    return terminology.by_side(counts, category).set_index(["outlet", "side", "voice"])["mentions"]


def collective_names(
    counts: pd.DataFrame, outlets: list[str], lexicon_path: Path | None = None
) -> str:
    """Who uses which side's name of the lexicon's headline group, in their own voice and in
    quotations (for tables without term_mentions' ``use`` column); sides from the lexicon."""
    lexicon = _lexicon(lexicon_path)
    group = terminology.headline_group(lexicon)
    n = _by_side(counts, group)
    contested, display = _contested(lexicon.loc[lexicon["category"] == group, "side"], lexicon_path)
    parts = []
    for o in outlets:
        neutral = int(n.get((o, "neutral", "editorial"), 0) + n.get((o, "neutral", "quoted"), 0))
        said = [
            f"{terminology.side_term(s, display, group)} {n.get((o, s, 'editorial'), 0)} in its "
            f"own words and {n.get((o, s, 'quoted'), 0)} quoted"
            for s in contested
        ]
        parts.append(
            f"{o}: "
            + ", ".join(said)
            + (f", {terminology.side_label('neutral', display)} {neutral}" if neutral else "")
        )
    return (
        f"**Who uses which side's {terminology.group_plural(group)}, in whose voice** (mentions "
        "in article bodies; [03_terminology](notebooks/03_terminology.ipynb)): "
        + "; ".join(parts)
        + "."
    )


USE_WORDS = {
    "own": "in its own words",
    "gloss": "in a gloss attributing it to a side",
    "bracketed": "inserted in brackets into a quotation",
    "scare": "in scare quotes",
    "quoted": "quoted",
}


def _lexicon(lexicon_path: Path | None) -> pd.DataFrame:
    """The lexicon the tables were built with (the study's own when ``lexicon_path`` is None)."""
    return pd.read_csv(lexicon_path or paths.lexicon_csv(), keep_default_na=False)


def _contested(sides, lexicon_path: Path | None) -> tuple[list[str], dict]:
    """The sides other than neutral, in order, and every side's display (label, colour)."""
    display = terminology.side_display(sides, lexicon_path)
    return [s for s in terminology.side_order(sides) if s != "neutral"], display


def collective_names_by_use(
    mentions: pd.DataFrame, outlets: list[str], lexicon_path: Path | None = None
) -> str:
    """Who uses which side's name of the lexicon's headline group (``terminology.
    headline_group``: the collective names when it has them), split by term_mentions' ``use``
    column (own use, gloss, bracketed insertion, scare quote, quotation): the headline counts
    own use, glosses apart. Sides and their labels follow the lexicon and its sides table."""
    lexicon = _lexicon(lexicon_path)
    group = terminology.headline_group(lexicon)
    names = mentions[mentions["category"] == group]
    sides = lexicon.loc[lexicon["category"] == group, "side"]
    contested, display = _contested(sides, lexicon_path)
    n = names.groupby(["outlet", "side", "use"]).size()
    parts = []
    for o in outlets:
        said = []
        for side in contested:
            own = int(n.get((o, side, "own"), 0))
            rest = [
                f"{int(n.get((o, side, use), 0))} {words}"
                for use, words in USE_WORDS.items()
                if use != "own" and n.get((o, side, use), 0)
            ]
            label = terminology.side_term(side, display, group)
            said.append(
                f"{label} {own} in its own words" + (f" ({', '.join(rest)})" if rest else "")
            )
        parts.append(f"{o}: " + "; ".join(said))
    adjectives = [terminology.side_adjective(terminology.side_label(s, display)) for s in contested]
    if len(adjectives) == 2:
        head = f"Who uses the {adjectives[0]} {group} and who the {adjectives[1]}"
    else:
        head = f"Which side's {terminology.group_plural(group)} each outlet uses"
    return (
        f"**{head}, in its own words** (mentions in article bodies; glosses that attribute a "
        "name to a side, bracketed insertions and quotations apart; "
        "[03_terminology](notebooks/03_terminology.ipynb)): " + " · ".join(parts) + "."
    )


def island_names(counts: pd.DataFrame, outlets: list[str], lexicon_path: Path | None = None) -> str:
    """Each outlet's island names by side, all voices, with each side's forms from the
    lexicon's labels ('' when the lexicon has no island names)."""
    lexicon = _lexicon(lexicon_path)
    rows = lexicon[lexicon["category"] == ISLAND]
    if rows.empty:
        return ""
    contested, display = _contested(rows["side"], lexicon_path)
    n = _by_side(counts, ISLAND).groupby(level=["outlet", "side"]).sum()
    adjective = {
        s: terminology.side_adjective(terminology.side_label(s, display)) for s in contested
    }
    parts = [
        f"{o} " + terminology._join([f"{n.get((o, s), 0)} {adjective[s]}" for s in contested])
        for o in outlets
    ]
    forms = []
    for s in contested:
        labels = list(dict.fromkeys(x for x in rows.loc[rows["side"] == s, "label"] if x))
        labels = labels or list(rows.loc[rows["side"] == s, "term_id"])
        forms.append(f"{adjective[s]} forms ({', '.join(labels[:2])})")
    return (
        f"**Island names** — {' against '.join(forms)}, all voices: " + "; ".join(parts) + " "
        "([03_terminology](notebooks/03_terminology.ipynb))."
    )


def framing_1945(mentions: pd.DataFrame) -> str:
    return (
        "**How 1945 is described**, in the outlets' own words: "
        + terminology.framing_findings(mentions)
        + " ([03_terminology](notebooks/03_terminology.ipynb))."
    )


def recycled_passages(shared: pd.DataFrame) -> str:
    """Passages shared between articles: notebook 02's sentence."""
    from wording.report.wording_prose import reuse_sentence

    said = reuse_sentence(shared).rstrip(".")
    return f"**Recycled passages**: {said} ([02_wording](notebooks/02_wording.ipynb))."


def whose_wording(articles: pd.DataFrame, paragraphs: pd.DataFrame) -> str:
    """Whose words the articles carry (``wording_source``): notebook 02's sentences."""
    from wording.report.whose_prose import wording_source_sentences

    sentences = wording_source_sentences(articles, paragraphs)
    said = " ".join(sentences) if sentences else "Every article is in its outlet's own words."
    return f"**Whose wording**: {said.rstrip('.')} ([02_wording](notebooks/02_wording.ipynb))."


def distinctive_words(keyness: pd.DataFrame) -> str:
    """What keyness can claim under both priors and the article resampling (notebook 02)."""
    from wording.report.wording_prose import listed, prior_flips, robust_summary

    flips = prior_flips(keyness)
    flipped = (
        f" The highest-z word of {listed(flips)} changes when the prior changes." if flips else ""
    )
    return (
        "**Distinctive words** (Fightin' Words keyness under two priors and an article-level "
        f"resampling): {(robust_summary(keyness) + flipped).rstrip('.')} "
        "([02_wording](notebooks/02_wording.ipynb))."
    )


def render_findings(derived: Path, lexicon_path: Path | None = None) -> str:
    """The findings block (Markdown) from the tables in ``derived``, built with the lexicon at
    ``lexicon_path`` (the study's own when None)."""
    articles = _read(derived, "articles.csv")
    mentions = _read(derived, "term_mentions.csv")
    counts = _read(derived, "term_counts.csv")
    # Articles of unknown outlet are not an outlet: counted in the sample, left out of comparisons.
    outlets = style.outlet_order(corpus_report.known_outlets(articles)["outlet"])
    lines = [
        f"From {corpus_report.sample_line(articles)} "
        f"({', '.join(f'{o} {int((articles.outlet == o).sum())}' for o in outlets)}):",
        "",
        "- "
        + (
            collective_names_by_use(mentions, outlets, lexicon_path)
            if "use" in mentions.columns  # term_mentions' use column (own, gloss, ...)
            else collective_names(counts, outlets, lexicon_path)
        ),
        *(["- " + islands] if (islands := island_names(counts, outlets, lexicon_path)) else []),
        # the 1945 line only when the lexicon has 1945 framings
        *(
            ["- " + framing_1945(mentions)]
            if (mentions["category"] == "1945 framing").any()
            else []
        ),
    ]
    shared_path = derived / "shared_passages.csv"
    if shared_path.is_file():
        lines.append("- " + recycled_passages(_read(derived, "shared_passages.csv")))
    if "wording_source" in articles.columns:
        lines.append(
            "- "
            + whose_wording(corpus_report.known_outlets(articles), _read(derived, "paragraphs.csv"))
        )
    if (derived / "keyness.csv").is_file():
        keyness = pd.read_csv(derived / "keyness.csv")  # numbers and flags as numbers and flags
        if "robust" in keyness.columns:
            lines.append("- " + distinctive_words(keyness))
    return "\n".join(lines)


def render_processing(derived: Path) -> str:
    """The processing steps with the count after each, from the derived tables."""
    articles = _read(derived, "articles.csv")
    removed = _read(derived, "removed_lines.csv")
    paragraphs = _read(derived, "paragraphs.csv")
    rejected = _read(derived, "rejected.csv")
    mentions = _read(derived, "term_mentions.csv")
    n_files = len(articles) + len(rejected)
    body = paragraphs[paragraphs["kind"].isin(["body", "subhead"])]
    kept = int(paragraphs["text"].str.count("\n").sum() + len(paragraphs))
    top = removed["rule"].value_counts().head(4)
    rules = ", ".join(f"{r} {n}" for r, n in top.items())
    voices = mentions["voice"].value_counts()
    return "\n".join(
        [
            f"1. **Read** {n_files} inputs; {len(rejected)} rejected, {len(articles)} articles.",
            f"2. **Clean** {kept + len(removed)} non-blank page lines: {len(removed)} removed as "
            f"chrome by {removed['rule'].nunique()} named rules (most: {rules}); every removal in "
            "`data/derived/removed_lines.csv`.",
            f"3. **Split** the rest into {int((paragraphs.kind == 'headline').sum())} headlines, "
            f"{int((paragraphs.kind == 'standfirst').sum())} standfirsts and {len(body)} body "
            f"paragraphs ({int((paragraphs.kind == 'subhead').sum())} subheads): "
            f"{int(articles['n_words'].sum()):,} body words.",
            f"4. **Match** the lexicon: {len(mentions)} mentions of "
            f"{mentions['term_id'].nunique()} terms, {int(voices.get('editorial', 0))} editorial "
            f"and {int(voices.get('quoted', 0))} quoted.",
        ]
    )


BLOCKS = {"findings": render_findings, "processing": render_processing}


def update_readme(readme: Path, derived: Path) -> bool:
    """Rewrite every generated block in ``readme``; return True when the file changed."""
    text = original = readme.read_text(encoding="utf-8")
    for name, render in BLOCKS.items():
        start, end = _start(name), _end(name)
        if start not in text or end not in text:
            raise ValueError(f"{readme.name} lacks the {name} markers")
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        text = f"{head}{start}\n{render(derived)}\n{end}{tail}"
    if text != original:
        readme.write_text(text, encoding="utf-8")
        return True
    return False


def readme_block(readme: Path, name: str) -> str:
    """The generated block ``name`` as it stands in ``readme``."""
    text = readme.read_text(encoding="utf-8")
    return text.split(_start(name), 1)[1].split(_end(name), 1)[0].strip("\n")
