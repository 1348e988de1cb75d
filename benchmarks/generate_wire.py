"""A second synthetic corpus: wire copy rewritten by many outlets, boilerplate, ragged line lengths.

Usage: .venv/bin/python benchmarks/generate_wire.py 10000 [--out benchmarks/out/wire-10000]
       [--seed 7] [--workers 2]

Independent of ``generate.py`` in what it stresses (it shares only the vocabulary builder): pages
recycle whole sentences and whole paragraphs, as wire copy and agency boilerplate do.

- Wire stories: a pool of 3,000 invented stories (6-14 paragraphs, ~450 words), picked with a
  Zipf-like popularity (s = 0.7: the most popular story is rewritten by ~3% of pages). Each outlet
  rewrites the story lightly: every sentence kept with probability 0.8, sentences reordered in a
  quarter of the paragraphs, one or two words swapped in a fifth of the sentences, the contested
  name filled in with the outlet's own wording, one to three sentences of its own added.
- Boilerplate backgrounds: four core paragraphs, included in 60%, 45%, 35% and 30% of the pages
  (15% of the copies lightly edited), and a tail of 40 paragraphs at about 0.3% each.
- Near-copies: 0.5% of pages are syndicated copies of an earlier page (the same text with one word
  changed, or the same body under an aggregator's chrome); they are listed in the stamp file
  (``wire-N.json``, key ``copies``), and the build should reject exactly these as duplicates.
- Line lengths: 50% ordinary paragraphs of 1-4 sentences, 12% one sentence per line (no blank
  lines), 8% no paragraph break at all, 10% very long paragraphs (2,000-4,500 words: a story and
  its background stories run together), 12% very short pages (two to four sentences), 8% mixed
  (paragraphs merged at random).
- Layouts of eight outlets: "Reuters" (cookie banner, "By REUTERS", "TOKYO, March 3 (Reuters) -",
  "Reporting by ...", "Read Next"), "Xinhua" ("Source: Xinhua| 2021-03-03 ...| Editor:", photo
  credit "(Xinhua/Name)", "(Xinhua) --", "Enditem", "Related:"), "Global Times" ("Source: Global
  Times Published: ...", "By Global Times", "Photo: VCG", "Latest"), NHK (one sentence per
  paragraph, "JST" stamp), AP ("(AP) —", "___", contributor line), "The Moscow Times" (cookie
  banner, "Read more about:", "Related stories"), an aggregator "Newsline" (cookie banner, "Source:
  Reuters · 3 min read", the wire's own dateline), a local paper "North Pacific Herald" (menu,
  "By Name, Staff Writer", "NEMURO —", "Photo credit:", "Latest").
- Text: invented sentences of Zipf-distributed words (generate.py's vocabulary: function words, the
  seed pages' words, pseudo-words), the lexicon's contested terms in each outlet's wording, and
  attributed quotations (curly and straight marks, some holding a term). No real page is copied.

Deterministic: article i depends only on (seed, i // CHUNK) and the fixed pools, so the 1k corpus
is the first 1,000 pages of the 10k one. Vectorised with numpy (each chunk's words and choices are
drawn at once; Python joins strings); chunks run in joblib workers.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import itertools
import json
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # generate.py's vocabulary, also in joblib's worker processes
    sys.path.insert(0, str(HERE))

from generate import build_vocabulary  # noqa: E402

OUT = HERE / "out"
GENERATOR_VERSION = 1  # bump when the output changes (invalidates cached corpora)
CHUNK = 1000
N_STORIES = 3000
STORY_ZIPF = 0.7
SLOT = "@T@"  # where a story sentence names the islands; each outlet fills in its own wording

OUTLETS = ("Reuters", "Xinhua", "Global Times", "NHK", "AP", "The Moscow Times", "Newsline",
           "North Pacific Herald")  # fmt: skip
OUTLET_P = np.array([0.18, 0.15, 0.12, 0.10, 0.10, 0.10, 0.13, 0.12])
STYLES = ("paragraphs", "line per sentence", "no breaks", "long", "short", "mixed")
STYLE_P = np.array([0.50, 0.12, 0.08, 0.10, 0.12, 0.08])
CORE_SHARE = (0.60, 0.45, 0.35, 0.30)  # share of pages carrying each core background paragraph
N_TAIL = 40
COPY_SHARE = 0.005

# Contested wording, written to match rows of data/lexicon.csv (names, 1945 and sovereignty
# framings, dispute framings, the both-names formula).
RUSSIAN = ("the Southern Kurils", "the South Kuril Islands", "the Kuril Islands", "the Kurils",
           "Russia's Southern Kuril Islands", "the Lesser Kuril chain", "Iturup and Kunashir",
           "islands handed over to the Soviet Union", "islands that became part of the USSR",
           "islands under Russian sovereignty", "islands liberated by the Red Army")  # fmt: skip
JAPANESE = ("the Northern Territories", "Japan's Northern Territories", "Etorofu and Kunashiri",
            "islands seized by the Soviet Union", "islands illegally occupied by Russia",
            "Japan's sovereignty over the islands", "islands effectively controlled by Russia",
            "Japan's four northern islands")  # fmt: skip
NEUTRAL = ("the disputed islands", "islands off Hokkaido", "a territorial dispute",
           "the territorial row", "Shikotan and the Habomai islets", "the Russian-held islands",
           "competing claims", "islands claimed by both countries",
           "islands that came under Soviet control", "Tokyo's claim", "islands north of Hokkaido",
           "islands which Russia calls the Southern Kurils and Japan calls the Northern "
           "Territories", "islands in dispute")  # fmt: skip
# Share of Russian, Japanese and neutral wording per outlet.
SIDES = {
    "Reuters": (0.15, 0.15, 0.70), "Xinhua": (0.30, 0.10, 0.60), "Global Times": (0.25, 0.15, 0.60),
    "NHK": (0.0, 0.75, 0.25), "AP": (0.10, 0.20, 0.70), "The Moscow Times": (0.45, 0.05, 0.50),
    "Newsline": (0.15, 0.15, 0.70), "North Pacific Herald": (0.0, 0.65, 0.35),
}  # fmt: skip

PEOPLE = ("Lavrov", "Kishida", "Hayashi", "Zakharova", "Peskov", "Kamikawa", "Matsuno", "Galuzin",
          "Limarenko", "Kozhemyako", "Mao Ning", "Suzuki", "Medvedev", "Ishiba")  # fmt: skip
ROLES = ("Foreign Minister", "Prime Minister", "spokeswoman", "spokesman", "governor",
         "Chief Cabinet Secretary", "ambassador", "a senior official")  # fmt: skip
SAID = ("said", "told reporters", "said on Tuesday", "said in a statement", "added", "wrote")
PLACES = ("TOKYO", "MOSCOW", "BEIJING", "NEMURO", "SAPPORO", "VLADIVOSTOK", "YUZHNO-SAKHALINSK",
          "WASHINGTON", "UNITED NATIONS", "KUNASHIR")  # fmt: skip
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")  # fmt: skip
COOKIES = (
    "We use cookies to improve your experience on our site. By continuing you agree to our use of "
    "cookies.\nAccept all\nManage settings"
)


# ------------------------------------------------------------------------------------------------
# The fixed pools (same seed: identical in every worker and for every corpus size)
# ------------------------------------------------------------------------------------------------


class Pools:
    """Vocabulary, Zipf CDF, the wire stories and the background paragraphs."""

    def __init__(self, seed: int):
        self.seed = seed
        self.vocab = np.array(build_vocabulary(seed), dtype=object)
        self.cap = np.array([w[:1].upper() + w[1:] for w in self.vocab], dtype=object)
        p = np.arange(1, len(self.vocab) + 1, dtype=np.float64) ** -1.0
        self.cdf = np.cumsum(p / p.sum())
        self.terms = {o: self._term_table(o) for o in OUTLETS}
        rng = np.random.default_rng([seed, 3])
        sizes = rng.integers(6, 15, size=N_STORIES)  # paragraphs per story
        per_para = rng.integers(1, 5, size=int(sizes.sum()))  # sentences per paragraph
        sentences = self.sentences(rng, int(per_para.sum()), slot_share=0.3, quote_share=0.15)
        self.stories: list[list[list[str]]] = []
        self.headlines = [self.title(rng, int(rng.integers(6, 12))) for _ in range(N_STORIES)]
        s = p_i = 0
        for n_paras in sizes:
            story = []
            for k in per_para[p_i : p_i + n_paras]:
                story.append(sentences[s : s + k])
                s += k
            p_i += n_paras
            self.stories.append(story)
        popularity = np.arange(1, N_STORIES + 1, dtype=np.float64) ** -STORY_ZIPF
        self.story_cdf = np.cumsum(popularity / popularity.sum()).tolist()
        # Background paragraphs: the contested name is fixed (verbatim boilerplate).
        neutral = self.terms["Reuters"]
        self.core = [self._background(rng, neutral) for _ in CORE_SHARE]
        self.tail = [self._background(rng, self.terms[o]) for o in OUTLETS for _ in range(5)]

    def _term_table(self, outlet: str) -> tuple[list[str], np.ndarray]:
        terms, weights = [], []
        for side, share in zip((RUSSIAN, JAPANESE, NEUTRAL), SIDES[outlet], strict=True):
            terms += side
            weights += [share / len(side)] * len(side)
        return terms, np.cumsum(weights) / sum(weights)

    def term(self, rng: np.random.Generator, outlet: str) -> str:
        terms, cdf = self.terms[outlet]
        return terms[int(np.searchsorted(cdf, rng.random()))]

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.minimum(np.searchsorted(self.cdf, rng.random(n)), len(self.vocab) - 1)

    def sentences(
        self, rng: np.random.Generator, n: int, slot_share: float, quote_share: float
    ) -> list[str]:
        """``n`` sentences (8-40 words); some hold SLOT for the contested name, some are quotes."""
        lengths = np.clip(rng.poisson(18, size=n), 8, 40)
        tokens = self.draw(rng, int(lengths.sum()))
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        slot_at = np.where(rng.random(n) < slot_share, rng.integers(1, 8, size=n), -1)
        kind = rng.random(n)
        who = rng.integers(len(PEOPLE), size=n)
        verb = rng.integers(len(SAID), size=n)
        role = rng.integers(len(ROLES), size=n)
        out = []
        for i in range(n):
            ids = tokens[starts[i] : starts[i] + lengths[i]]
            words = list(self.vocab[ids])
            words[0] = self.cap[ids[0]]
            if lengths[i] > 16:
                words[lengths[i] // 2] += ","
            if slot_at[i] >= 0:
                words.insert(min(int(slot_at[i]), len(words)), SLOT)
            text = " ".join(words)
            q = kind[i] / quote_share if kind[i] < quote_share else 1.0
            if q < 0.45:
                text = f"“{text},” {PEOPLE[who[i]]} {SAID[verb[i]]}."
            elif q < 0.7:
                text = f'"{text}," {ROLES[role[i]]} {PEOPLE[who[i]]} said.'
            elif q < 1.0:
                text = f"{PEOPLE[who[i]]} {SAID[verb[i]]}: “{text}.”"
            else:
                text += "."
            out.append(text)
        return out

    def _background(self, rng: np.random.Generator, terms: tuple[list[str], np.ndarray]) -> str:
        parts = self.sentences(rng, int(rng.integers(3, 6)), slot_share=0.7, quote_share=0.0)
        words, cdf = terms
        return " ".join(
            s.replace(SLOT, words[int(np.searchsorted(cdf, rng.random()))]) for s in parts
        )

    def title(self, rng: np.random.Generator, n: int) -> str:
        """A headline of ``n`` capitalised words; never opening with "By" (a byline to a
        cleaner: a teaser headline "By ..." below a body without dateline made the page lose it)."""
        words = list(self.cap[self.draw(rng, n + 1)])
        return " ".join(words[1:] if words[0] == "By" else words[:n])


_POOLS: Pools | None = None


def _pools(seed: int) -> Pools:
    global _POOLS
    if _POOLS is None or _POOLS.seed != seed:
        _POOLS = Pools(seed)
    return _POOLS


# ------------------------------------------------------------------------------------------------
# One page
# ------------------------------------------------------------------------------------------------


class Chance:
    """A chunk's random draws, made at once with numpy and consumed in order: uniforms, words,
    capitalised words, and sentences of the page's own (Python only indexes lists)."""

    def __init__(self, pools: Pools, rng: np.random.Generator, n_pages: int):
        self.pools = pools
        ids = pools.draw(rng, 60 * n_pages + 1000)
        self._caps = pools.cap[ids].tolist()
        self._at = 0
        self._terms = {o: (terms, cdf.tolist()) for o, (terms, cdf) in pools.terms.items()}
        own = pools.sentences(rng, 4 * n_pages + 10, slot_share=0.3, quote_share=0.2)
        plain = pools.sentences(rng, 2 * n_pages + 10, slot_share=0.0, quote_share=0.0)
        # Endless streams: a builtin's __next__ costs a fraction of a Python method call.
        self.u = itertools.cycle(rng.random(400 * n_pages + 1000).tolist()).__next__
        self.word = itertools.cycle(pools.vocab[ids].tolist()).__next__
        self._own = itertools.cycle(own).__next__
        self.plain = itertools.cycle(plain).__next__  # no contested name, no quotation

    def below(self, k: int) -> int:
        """An integer in [0, k)."""
        return int(self.u() * k)

    def between(self, a: int, b: int) -> int:
        """An integer in [a, b)."""
        return a + int(self.u() * (b - a))

    def title(self, n: int) -> str:
        """``n`` capitalised words; never opening with "By" (a byline to a cleaner: a teaser
        headline "By ..." below a body without dateline made the page lose its body)."""
        k = self._at
        self._at = (k + n + 1) % len(self._caps)
        words = self._caps[k + 1 : k + n + 2] if k + n + 2 <= len(self._caps) else self._caps[:n]
        return " ".join(words[1:] if words[0] == "By" else words[:n])

    def name(self) -> str:
        return self.title(2)

    def term(self, outlet: str) -> str:
        terms, cdf = self._terms[outlet]
        return terms[min(bisect.bisect(cdf, self.u()), len(terms) - 1)]

    def own(self, outlet: str) -> str:
        """A sentence of the outlet's own, the contested name in its wording."""
        s = self._own()
        return s.replace(SLOT, self.term(outlet)) if SLOT in s else s


def _edit(sentence: str, ch: Chance, n: int) -> str:
    """Swap ``n`` plain lower-case words of a sentence for others (quotes and names untouched)."""
    words = sentence.split(" ")
    for _ in range(n):
        j = ch.between(1, len(words))
        if words[j].isalpha() and words[j].islower():
            words[j] = ch.word()
    return " ".join(words)


def _rewrite(ch: Chance, outlet: str, story: int) -> list[list[str]]:
    """An outlet's version of a wire story: paragraphs of sentences, lightly edited."""
    paragraphs = []
    u = ch.u
    for para in ch.pools.stories[story]:
        keep = [s for s in para if u() < 0.8]
        if len(keep) > 1 and u() < 0.25:
            if u() < 0.5:  # reordered: reversed, or the first sentence moved to the end
                keep.reverse()
            else:
                keep.append(keep.pop(0))
        for k, s in enumerate(keep):
            if u() < 0.2:
                s = _edit(s, ch, 1 + (u() < 0.5))
            if SLOT in s:
                s = s.replace(SLOT, ch.term(outlet))
            keep[k] = s
        if keep:
            paragraphs.append(keep)
    return paragraphs or [[ch.own(outlet)]]


def _body(ch: Chance, outlet: str, style: str, story: int) -> list[list[str]]:
    """Paragraphs (lists of sentences) of one page's body, before layout and dateline."""
    own = [ch.own(outlet) for _ in range(ch.between(2, 5))]
    if style == "short":  # an own lead and one or two of the story's sentences
        flat = [s for p in _rewrite(ch, outlet, story) for s in p]
        start = ch.below(len(flat))
        return [[own[0], *flat[start : start + ch.between(1, 3)]]]
    paragraphs = _rewrite(ch, outlet, story)
    if style == "long":  # the story and its background stories run together: 2,000+ words
        target, size = 6 * ch.between(2000, 4500), sum(len(s) for p in paragraphs for s in p)
        while size < target:
            more = _rewrite(ch, outlet, ch.below(N_STORIES))
            size += sum(len(s) for p in more for s in p)
            paragraphs += more
    paragraphs[0] = [own[0], *paragraphs[0]]
    for s in own[1:]:
        paragraphs[ch.below(len(paragraphs))].append(s)
    backgrounds = []
    for share, text in zip(CORE_SHARE, ch.pools.core, strict=True):
        if ch.u() < share:
            backgrounds.append(_edit(text, ch, 2) if ch.u() < 0.15 else text)
    if ch.u() < N_TAIL * 0.003:
        backgrounds.append(ch.pools.tail[ch.below(len(ch.pools.tail))])
    for text in backgrounds:
        paragraphs.insert(ch.between(1, len(paragraphs) + 1), [text])
    if style == "long":  # one or two paragraphs, each of thousands of words
        flat = [s for p in paragraphs for s in p]
        cut = ch.between(len(flat) // 3, len(flat)) if ch.u() < 0.5 else len(flat)
        paragraphs = [flat[:cut], flat[cut:]] if cut < len(flat) else [flat]
    elif style == "mixed":  # merge neighbours at random: paragraphs of very different lengths
        merged = [paragraphs[0]]
        for p in paragraphs[1:]:
            if ch.u() < 0.5:
                merged[-1] = merged[-1] + p
            else:
                merged.append(p)
        paragraphs = merged
    return paragraphs


def _layout(paragraphs: list[list[str]], style: str, dateline: str) -> str:
    """The body's lines: paragraphs, a line per sentence, or one line for everything."""
    if style == "line per sentence":
        lines = [s for p in paragraphs for s in p]
        lines[0] = dateline + lines[0]
        return "\n".join(lines)
    if style == "no breaks":
        return dateline + " ".join(s for p in paragraphs for s in p)
    text = [" ".join(p) for p in paragraphs]
    text[0] = dateline + text[0]
    return "\n\n".join(text)


def _page(ch: Chance, outlet: str, style: str, date: tuple[int, int, int]) -> tuple[str, str]:
    """(page text, body text) of one page in an outlet's layout."""
    y, m, d = date
    month = MONTHS[m - 1]
    place = PLACES[ch.below(len(PLACES))]
    if outlet == "NHK" and style == "paragraphs":
        style = "line per sentence"
    story = min(bisect.bisect(ch.pools.story_cdf, ch.u()), N_STORIES - 1)
    paragraphs = _body(ch, outlet, style, story)
    headline = ch.pools.headlines[story].split(" ")  # the wire's headline, retouched
    for _ in range(ch.below(4)):
        headline[ch.below(len(headline))] = ch.title(1)
    headline = " ".join(headline)
    latest = "\n".join(ch.title(ch.between(5, 10)) for _ in range(4))
    hh, mm, ss = ch.below(24), ch.below(60), ch.below(60)
    if outlet == "Reuters":
        body = _layout(paragraphs, style, f"{place}, {month} {d} (Reuters) - ")
        by = "By REUTERS" if ch.u() < 0.6 else f"By {ch.name()}"
        page = (
            f"Skip to main content\n{COOKIES}\n\nWorld\nAsia Pacific\n{headline}\n{by}\n"
            f"{month} {d}, {y} {hh % 12 + 1}:{mm:02d} AM GMT+9\n"
            f"Updated {ch.between(1, 23)} hours ago\n\n{body}\n\n"
            f"Reporting by {ch.name()}; Editing by {ch.name()}\n"
            f"Read our editorial standards\n\nRead Next\n{latest}"
        )
    elif outlet == "Xinhua":
        body = _layout(paragraphs, style, f"{place}, {month} {d} (Xinhua) -- ")
        page = (
            f"Source: Xinhua| {y}-{m:02d}-{d:02d} {hh:02d}:{mm:02d}:{ss:02d}"
            f"| Editor: {ch.name()}\n\n{headline}\n\n"
            f"{ch.plain()[:-1]}. (Xinhua/{ch.name()})\n\n{body}\n\nEnditem\n\nRelated:\n{latest}"
        )
    elif outlet == "Global Times":
        body = _layout(paragraphs, style, "")
        by = "By Global Times" if ch.u() < 0.5 else f"By {ch.name()}"
        page = (
            f"Source: Global Times Published: {y}/{m}/{d} {hh}:{mm:02d}:{ss:02d}\n\n"
            f"{headline}\n\n{by}\n\n{ch.plain()}\nPhoto: VCG\n\n{body}\n\nLatest\n{latest}"
        )
    elif outlet == "NHK":
        body = _layout(paragraphs, style, "")
        page = (
            f"NHK WORLD-JAPAN\nMenu\n\n{headline}\n{month[:3]}. {d}, {y} {hh:02d}:{mm:02d} JST\n\n"
            f"{body}\n\nLatest\n{latest}"
        )
    elif outlet == "AP":
        body = _layout(paragraphs, style, f"{place} (AP) — ")
        page = (
            f"{headline}\n\nBy {ch.name().upper()} and {ch.name().upper()}\n"
            f"Published {hh % 12 + 1}:{mm:02d} AM GMT+9, {month} {d}, {y}\n\n{body}\n\n___\n\n"
            f"Associated Press writer {ch.name()} in {place.title()} contributed to this "
            f"report.\n\nRelated stories\n{latest}"
        )
    elif outlet == "The Moscow Times":
        body = _layout(paragraphs, style, "")
        page = (
            f"The Moscow Times\n{COOKIES}\n\n{headline}\n{ch.plain()}\n\n"
            f"{month} {d}, {y}\nBy {ch.name()}\n\n{ch.title(8)}\n"
            f"{ch.name()} / TASS\n\n{body}\n\nRead more about: Japan, Kuril Islands\n\n"
            f"Related stories\n{latest}"
        )
    elif outlet == "Newsline":  # an aggregator running the wire with its dateline
        body = _layout(paragraphs, style, f"{place}, {month} {d} (Reuters) - ")
        page = (
            f"Newsline\nSign in\nNewsline and its partners store and access information on your "
            f"device.\nAccept\nReject\n\n{headline}\nSource: Reuters · "
            f"{ch.between(2, 9)} min read\n\n{body}\n\nLatest\n{latest}"
        )
    else:  # North Pacific Herald, a local paper
        body = _layout(paragraphs, style, f"{place} — ")
        page = (
            f"NORTH PACIFIC HERALD\nHome | Local | Politics | Opinion\n\n{headline}\n"
            f"Posted: {y}-{m:02d}-{d:02d}\nBy {ch.name()}, Staff Writer\n\n{body}\n\n"
            f"{ch.plain()}\nPhoto credit: {ch.name()} / North Pacific Herald\n\n"
            f"Latest\n{latest}"
        )
    return page, body


def _copy(ch: Chance, page: str, body: str) -> str:
    """A syndicated near-copy: the page with one word changed, or its body under Newsline's
    chrome."""
    if ch.u() < 0.5:
        return page.replace(" the ", f" {ch.word()} ", 1)
    return (
        "Newsline\nSign in\n\nSyndicated\nSource: partner feed · 4 min read\n\n"
        f"{body}\n\nLatest\nMore from Newsline"
    )


def page_name(seed: int, i: int) -> str:
    return f"wire{i:06d}_{hashlib.sha1(f'wire-{seed}-{i}'.encode()).hexdigest()[:8]}.txt"


def generate_chunk(seed: int, chunk: int, n: int, out: str) -> tuple[int, list[tuple], dict]:
    """Write pages chunk*CHUNK .. +n; return bytes written, (file, outlet, style) rows and the
    planted copies {copy: original}."""
    pools = _pools(seed)
    rng = np.random.default_rng([seed, 200, chunk])
    outlets = rng.choice(len(OUTLETS), size=n, p=OUTLET_P).tolist()
    styles = rng.choice(len(STYLES), size=n, p=STYLE_P).tolist()
    dates = np.stack(
        [rng.integers(2014, 2024, n), rng.integers(1, 13, n), rng.integers(1, 29, n)], axis=1
    ).tolist()
    is_copy = (rng.random(n) < COPY_SHARE).tolist()
    ch = Chance(pools, rng, n)
    written, rows, copies = 0, [], {}
    made: list[tuple[str, str, str]] = []  # (file, page, body) of the chunk's originals
    for j in range(n):
        name = page_name(seed, chunk * CHUNK + j)
        if is_copy[j] and made:
            original, page, body = made[ch.below(len(made))]
            text, outlet, style = _copy(ch, page, body), "copy", "copy"
            copies[name] = original
        else:
            outlet, style = OUTLETS[outlets[j]], STYLES[styles[j]]
            page, body = _page(ch, outlet, style, tuple(dates[j]))
            made.append((name, page, body))
            text = page
        data = (text + "\n").encode("utf-8")
        with open(Path(out, name), "wb") as fh:
            fh.write(data)
        written += len(data)
        rows.append((name, outlet, style))
    return written, rows, copies


def generate(n: int, out: Path, seed: int = 7, workers: int = 2) -> dict:
    """Write ``n`` pages into ``out`` (cached: skipped if the stamp ``out.json`` beside it
    matches); return stats, with ``copies`` (the planted near-copies, {copy: original})."""
    from joblib import Parallel, delayed

    out = Path(out)
    stamp = {"generator": "wire", "n": n, "seed": seed, "version": GENERATOR_VERSION}
    stamp_file = out.parent / f"{out.name}.json"  # outside the corpus folder
    if stamp_file.exists():
        old = json.loads(stamp_file.read_text())
        if {k: old.get(k) for k in stamp} == stamp:
            return old
    out.mkdir(parents=True, exist_ok=True)
    for p in out.glob("*.txt"):
        p.unlink()
    start = time.perf_counter()
    jobs = [(seed, c, min(CHUNK, n - c * CHUNK), str(out)) for c in range((n + CHUNK - 1) // CHUNK)]
    if workers > 1 and len(jobs) > 1:
        results = Parallel(n_jobs=workers)(delayed(generate_chunk)(*job) for job in jobs)
    else:
        results = [generate_chunk(*job) for job in jobs]
    rows = [row for r in results for row in r[1]]
    stats = {
        **stamp,
        "bytes": sum(r[0] for r in results),
        "seconds": round(time.perf_counter() - start, 2),
        "outlets": {o: sum(r[1] == o for r in rows) for o in (*OUTLETS, "copy")},
        "styles": {s: sum(r[2] == s for r in rows) for s in STYLES},
        "copies": {k: v for r in results for k, v in r[2].items()},
    }
    stamp_file.write_text(json.dumps(stats, indent=1))
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int, help="number of pages")
    parser.add_argument("--out", default=None, help="folder (default benchmarks/out/wire-N)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    out = Path(args.out) if args.out else OUT / f"wire-{args.n}"
    import generate_wire  # by module name, so joblib's workers import it rather than __main__

    stats = generate_wire.generate(args.n, out, args.seed, args.workers)
    shown = {k: v for k, v in stats.items() if k != "copies"}
    print(json.dumps({**shown, "copies": len(stats["copies"])}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
