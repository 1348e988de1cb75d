"""Synthetic corpora for the scale benchmark: N web pages in the seed outlets' real layouts.

Usage: .venv/bin/python benchmarks/generate.py 10000 [--out benchmarks/out/corpus-10000]
       [--seed 7] [--workers 2] [--metadata]

What a page looks like (one ``.txt`` file per article, as copied from a browser):
- Sputnik (35%): masthead, section label and blurb, headline, "© AFP 2023 / …" credit, image alt
  line "… - Sputnik International", "Subscribe", standfirst, "CITY (Sputnik) — " dateline, body with
  a related-story teaser (alt line, section, headline) in the middle, "Newsfeed" comment footer.
- TASS (25%): navigation lines, headline, date stamp "May 21, 2018, 9:56 UTC+3 TOKYO", standfirst,
  "1 pages in this article", "CITY, Month D. /TASS/." dateline, optional subhead
  ("South Kuril Islands issue") before the background paragraph, "Show more" / partner footer.
- Taipei Times (20%): "Tue, Mar 21, 2017 - Page 6 News List", headline, KICKER:standfirst,
  "Reuters and AP, TOKYO" byline, caption + "Photo: AFP / Pool", body, view counter, comment notice.
- Kyodo (12%): headline, "Published: March 3, 2018", "TOKYO (Kyodo) -- " dateline, "Related
  stories" footer with teaser headlines.
- The Japan Times (8%): masthead, share widgets, headline, standfirst, "By Name", "TOKYO – "
  dateline, "Most read" footer.

Bodies (~500 words: Zipf sentences for a budget drawn around 430, sd 80, plus terms, quotes and
reuse): sentences of Zipf-distributed words (s = 1.0 over
~40,000 types: English function words first, then words from the seed pages, then pseudo-words),
1–4 sentences per paragraph; 1–4 sentences carrying the lexicon's contested terms (each outlet
favours its side's names); 0–3 direct quotations with an attribution ("… ,” Lavrov said.), some
containing a term; a recycled background paragraph from the outlet's pool of 20 (60% of articles;
30% of those lightly edited), wire boilerplate shared by Taipei Times, Kyodo and The Japan Times;
0.3% of pages are near-copies of an earlier page (syndication), which the build rejects; they are
listed in the stamp file (`corpus-N.json`, key `copies`).

Deterministic: article i depends only on (seed, i // CHUNK), so a 1k corpus is the first 1,000 pages
of the 10k one. Vectorised with numpy: the words of a chunk are drawn at once; Python only joins.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
GENERATOR_VERSION = 5  # bump when the output changes (invalidates cached corpora)
CHUNK = 1000
ZIPF_S = 1.0
N_PSEUDO = 40_000

OUTLETS = ("Sputnik", "TASS", "Taipei Times", "Kyodo", "The Japan Times")
OUTLET_P = np.array([0.35, 0.25, 0.20, 0.12, 0.08])

FUNCTION_WORDS = """the of and to a in that is was he for it with as his on be at by this had not
are but from or have an they which one you were her all she there would their we him been has when
who will more no if out so said what up its about into than them can only other new some could time
these two may then do first any my now such like our over even most made after also did many before
must through back years where much your way well down should because each just those people how too
little state good very make world still own see men work long get here between both life being under
never day same another know while last might us great old year off come since against go came right
used take three""".split()

PLACES = ("TOKYO", "MOSCOW", "VLADIVOSTOK", "SAPPORO", "YUZHNO-SAKHALINSK", "BEIJING", "SEOUL",
          "WASHINGTON", "NEMURO", "SOCHI")  # fmt: skip
PEOPLE = ("Kishida", "Lavrov", "Abe", "Putin", "Zakharova", "Peskov", "Suga", "Motegi", "Shoigu",
          "Kono", "Hayashi", "Galuzin", "Kozhemyako", "Medvedev")  # fmt: skip
TITLES = ("Foreign Minister", "Prime Minister", "spokeswoman", "spokesman", "Defense Minister",
          "Chief Cabinet Secretary", "governor")  # fmt: skip
VERBS = ("said", "told reporters", "said in a statement", "told Sputnik", "stressed", "added")
SECTIONS = ("Asia", "World", "Russia", "Politics", "Military", "Economy")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")  # fmt: skip
DOW = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# Contested wording each outlet uses: (phrase, weight). Phrases are written to match the rows of
# data/lexicon.csv (the Russian name, the Japanese name, island names, 1945 and sovereignty
# framings) plus the stock phrases in data/phrases.csv ("peace treaty", "World War II").
TERMS = {
    "Sputnik": [
        ("the Southern Kurils", 5), ("Russia's Southern Kurils islands", 2),
        ("four islands which Russia calls the Southern Kurils and Japan the Northern Territories",
         2),
        ("Iturup, Kunashir, Shikotan and Habomai", 2), ("the Kuril Islands", 2),
        ("claimed by Soviet forces at the end of the war", 2), ("the disputed islands", 2),
        ("Tokyo's claims", 1), ("a permanent peace treaty after World War II", 2),
        ("the northern territories", 1), ("settling territorial dispute", 1),
    ],
    "TASS": [
        ("the southern Kuril Islands", 4), ("the South Kuril Islands", 2), ("the Kuril Islands", 3),
        ("the islands were handed over to the Soviet Union", 2), ("Russia's sovereignty", 2),
        ("effectively controlled by Moscow and claimed by Japan as the Northern Territories", 1),
        ("the Russia-controlled islands", 1), ("Japan laid claims to the four southern islands", 1),
        ("a peace treaty as a follow-up to World War II", 2), ("Iturup and Kunashir", 1),
    ],
    "Taipei Times": [
        ("islands north of Hokkaido", 3), ("a decades-old territorial dispute", 2),
        ("seized by Soviet troops at the end of World War II", 3),
        ("Etorofu, Kunashiri, Shikotan and the Habomai islets", 2),
        ("came under Russian control after Japan's defeat", 1), ("conflicting claims", 2),
        ("islands claimed by both countries", 1), ("the disputed islands", 2),
        ("a formal peace treaty", 2), ("the Northern Territories", 1),
    ],
    "Kyodo": [
        ("the Northern Territories", 5), ("Etorofu and Kunashiri", 2), ("the Habomai islets", 1),
        ("seized by the Soviet Union", 2), ("Japan's Northern Territories", 1),
        ("the Russian-held islands", 2), ("a territorial dispute", 2), ("the peace treaty", 2),
        ("Japan's sovereignty", 1),
    ],
    "The Japan Times": [
        ("the Northern Territories", 3), ("the Russian-held islands", 2),
        ("what Russia calls the southern Kurils", 1), ("occupied by Russia", 1),
        ("islands off Hokkaido", 2), ("the territorial row", 2), ("the disputed islands", 2),
        ("seized by Soviet troops", 1), ("Shikotan", 1),
    ],
}  # fmt: skip


# ------------------------------------------------------------------------------------------------
# Vocabulary and the shared pools (fixed seed: identical for every corpus size)
# ------------------------------------------------------------------------------------------------


def _lexicon_regex() -> re.Pattern:
    import csv

    with open(ROOT / "data" / "lexicon.csv", encoding="utf-8") as fh:
        patterns = [row["pattern"] for row in csv.DictReader(fh)]
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def build_vocabulary(seed: int) -> list[str]:
    """Function words, then the seed pages' words, then pseudo-words; none matches the lexicon."""
    lex = _lexicon_regex()
    words = list(dict.fromkeys(FUNCTION_WORDS))
    seen = set(words)
    for page in sorted((ROOT / "seeds").glob("*.txt")):
        for w in re.findall(r"[A-Za-z]{3,}", page.read_text(encoding="utf-8")):
            w = w.lower()
            if w not in seen and not lex.search(w):
                seen.add(w)
                words.append(w)
    rng = np.random.default_rng([seed, 1])
    onsets = "b c d f g h j k l m n p r s t v w z br cr dr fr gr pr st tr ch sh th sk pl".split()
    vowels = "a e i o u ai ea ou ie".split()
    codas = ["", "", "", "", "n", "r", "s", "t", "l", "nd", "st", "m"]
    syll = np.array([o + v + c for o in onsets for v in vowels for c in codas], dtype=object)
    pseudo: list[str] = []
    while len(pseudo) < N_PSEUDO:
        k = rng.choice([1, 2, 3], p=[0.15, 0.6, 0.25], size=N_PSEUDO)
        a, b, c = (rng.integers(0, len(syll), size=N_PSEUDO) for _ in range(3))
        for n_syl, x, y, z in zip(k, a, b, c, strict=True):
            w = syll[x] + (syll[y] if n_syl >= 2 else "") + (syll[z] if n_syl == 3 else "")
            if w not in seen and not lex.search(w):
                seen.add(w)
                pseudo.append(w)
    return words + pseudo[:N_PSEUDO]


class Model:
    """Vocabulary, Zipf CDF and recycled paragraph pools, built once per process."""

    def __init__(self, seed: int):
        self.seed = seed
        self.vocab = np.array(build_vocabulary(seed), dtype=object)
        self.cap = np.array([w[:1].upper() + w[1:] for w in self.vocab], dtype=object)
        ranks = np.arange(1, len(self.vocab) + 1, dtype=np.float64)
        p = ranks**-ZIPF_S
        self.cdf = np.cumsum(p / p.sum())
        self.terms = {
            o: ([t for t, _ in v], np.array([w for _, w in v], float)) for o, v in TERMS.items()
        }
        for o, (t, w) in self.terms.items():
            self.terms[o] = (t, w / w.sum())
        rng = np.random.default_rng([seed, 2])
        self.pools = {o: [self._paragraph(rng, o, 3, term_share=0.7) for _ in range(20)]
                      for o in ("Sputnik", "TASS")}  # fmt: skip
        self.pools["wire"] = [self._paragraph(rng, "Taipei Times", 3, 0.7) for _ in range(30)]

    # -- words ----------------------------------------------------------------------------------
    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.minimum(np.searchsorted(self.cdf, rng.random(n)), len(self.vocab) - 1)

    def sentence(self, rng: np.random.Generator, n: int, term: str | None = None) -> str:
        ids = self.draw(rng, n)
        words = list(self.vocab[ids])
        words[0] = self.cap[ids[0]]
        if term is not None:
            words.insert(int(rng.integers(1, n)), term)
        return " ".join(words) + "."

    def term(self, rng: np.random.Generator, outlet: str) -> str:
        terms, p = self.terms[outlet]
        return terms[int(np.searchsorted(np.cumsum(p), rng.random()))]

    def _paragraph(self, rng, outlet: str, n_sent: int, term_share: float) -> str:
        return " ".join(
            self.sentence(
                rng,
                int(rng.integers(10, 24)),
                self.term(rng, outlet) if rng.random() < term_share else None,
            )
            for _ in range(n_sent)
        )

    def title(self, rng: np.random.Generator, n: int) -> str:
        ids = self.draw(rng, n)
        return " ".join(self.cap[ids])


# ------------------------------------------------------------------------------------------------
# One chunk of articles
# ------------------------------------------------------------------------------------------------


def _body(model: Model, rng: np.random.Generator, outlet: str, stream, budget: int) -> list[str]:
    """Body paragraphs (without dateline): Zipf sentences, term sentences, quotations, reuse."""
    tokens, lengths, pos = stream
    sentences: list[str] = []
    used = 0
    while used < budget:
        n = int(lengths[pos[1]])
        pos[1] += 1
        ids = tokens[pos[0] : pos[0] + n]
        pos[0] += n
        words = model.vocab[ids]
        words[0] = model.cap[ids[0]]
        comma = n // 2
        if n > 14:
            words[comma] = words[comma] + ","
        sentences.append(" ".join(words) + ".")
        used += n
    # contested terms: woven into 1-4 sentences
    for _ in range(int(rng.integers(1, 5))):
        k = int(rng.integers(0, len(sentences)))
        s = sentences[k][:-1].split(" ")
        s.insert(int(rng.integers(1, len(s))), model.term(rng, outlet))
        sentences[k] = " ".join(s) + "."
    # paragraphs of 1-4 sentences
    paras: list[str] = []
    i = 0
    while i < len(sentences):
        k = int(rng.integers(1, 5))
        paras.append(" ".join(sentences[i : i + k]))
        i += k
    # direct quotations with attributions
    for _ in range(int(rng.integers(0, 4))):
        k = int(rng.integers(1, len(paras) + 1))
        who = PEOPLE[int(rng.integers(len(PEOPLE)))]
        inner = model.sentence(
            rng, int(rng.integers(8, 25)), model.term(rng, outlet) if rng.random() < 0.4 else None
        )
        style = rng.random()
        if style < 0.4:
            q = f"“{inner[:-1]},” {who} {VERBS[int(rng.integers(len(VERBS)))]}."
        elif style < 0.7:
            q = f'"{inner}" {TITLES[int(rng.integers(len(TITLES)))]} {who} said.'
        else:
            q = f"{who} told reporters: “{inner}”"
        paras.insert(k, q)
    # recycled background paragraph
    if rng.random() < 0.6:
        pool = model.pools.get(outlet, model.pools["wire"])
        bg = pool[int(rng.integers(len(pool)))]
        if rng.random() < 0.3:  # lightly edited copy: two words replaced
            w = bg.split(" ")
            for _ in range(2):
                j = int(rng.integers(len(w)))
                w[j] = str(model.vocab[int(model.draw(rng, 1)[0])]) + (
                    "." if w[j].endswith(".") else ""
                )
            bg = " ".join(w)
        paras.append(bg)
    return paras


def _date(rng: np.random.Generator) -> tuple[int, int, int, int]:
    y, m, d = int(rng.integers(2014, 2023)), int(rng.integers(1, 13)), int(rng.integers(1, 29))
    import datetime as dt

    return y, m, d, dt.date(y, m, d).weekday()


def _page(model: Model, rng: np.random.Generator, outlet: str, stream, budget: int) -> str:
    paras = _body(model, rng, outlet, stream, budget)
    place = PLACES[int(rng.integers(len(PLACES)))]
    headline = model.title(rng, int(rng.integers(6, 11)))
    standfirst = model.sentence(rng, int(rng.integers(14, 26)))
    y, m, d, wd = _date(rng)
    section = SECTIONS[int(rng.integers(len(SECTIONS)))]
    if outlet == "Sputnik":
        paras[0] = f"{place} (Sputnik) — {paras[0]}"
        caption = model.sentence(rng, int(rng.integers(6, 14)))[:-1]
        teaser = (
            f"{model.sentence(rng, 10)[:-1]} - Sputnik International\n{section}\n"
            f"{model.title(rng, int(rng.integers(5, 9)))}"
        )
        k = int(rng.integers(1, len(paras)))
        body = "\n\n".join(paras[:k]) + "\n\n" + teaser + "\n" + "\n\n".join(paras[k:])
        head = ""
        if rng.random() < 0.8:
            head = f"- Sputnik International\n{section}\n{model.sentence(rng, 18)}\n\n"
        return (
            f"{head}{headline}\n\n© AFP {y} / {model.title(rng, 2)} {caption}\n"
            f"{caption} - Sputnik International\nSubscribe\n{standfirst}\n\n{body}\n\n"
            "Newsfeed\n0\nTo participate in the discussion\nlog in or register\nloader\nChats\n"
            "Заголовок открываемого материала"
        )
    if outlet == "TASS":
        paras[0] = f"{place}, {MONTHS[m - 1]} {d}. /TASS/. {paras[0]}"
        if len(paras) > 3 and rng.random() < 0.5:
            paras.insert(len(paras) - 1, "South Kuril Islands issue")
        nav = "Currency converter\nAll news\nNews Search Topics\nUse filter\n"
        nav += "You can filter your feed,\nby choosing only interesting\n\n"
        hh, mm = int(rng.integers(0, 24)), int(rng.integers(0, 60))
        stamp = f"{MONTHS[m - 1]} {d}, {y}, {hh}:{mm:02d} UTC+3 {place}"
        return (
            f"{nav}{headline}\n\n{stamp}\n\n{standfirst}\n\n1 pages in this article\n\n"
            + "\n\n".join(paras)
            + "\n\nShow more\nIn other media\nPartner News"
        )
    if outlet == "Taipei Times":
        header = (
            f"{DOW[wd]}, {MONTHS[m - 1][:3]} {d}, {y} - Page {int(rng.integers(1, 13))} News List"
        )
        kicker = model.title(rng, 2).upper()
        byline = ("Reuters and AP", "AFP", "Reuters", "Staff writer, with CNA")[
            int(rng.integers(4))
        ]
        caption = model.sentence(rng, int(rng.integers(12, 24)))
        return (
            f"{header}\n\n{headline}\n\n{kicker}:{standfirst}\n\n{byline}, {place}\n\n{caption}\n\n"
            f"Photo: {('AFP', 'Reuters', 'AP')[int(rng.integers(3))]} / Pool\n\n"
            + "\n\n".join(paras)
            + f"\n\nThis story has been viewed {int(rng.integers(100, 9000))} times.\n\n"
            "Comments will be moderated. Remarks containing abusive and obscene language, personal "
            "attacks of any kind or promotion will be removed and the user banned.\n\nTOP top"
        )
    if outlet == "Kyodo":
        paras[0] = f"{place} (Kyodo) -- {paras[0]}"
        related = "\n".join(model.title(rng, int(rng.integers(5, 9))) for _ in range(3))
        return (
            f"{headline}\n\nPublished: {MONTHS[m - 1]} {d}, {y}\n\n" + "\n\n".join(paras)
            + f"\n\nRelated stories\n{related}"
        )  # fmt: skip
    # The Japan Times
    paras[0] = f"{place} – {paras[0]}"
    who = f"{model.title(rng, 1)} {model.title(rng, 1)}"
    return (
        f"The Japan Times\nShare\nTweet\n\n{headline}\n\n{standfirst}\n\nBy {who}\n\n"
        + "\n\n".join(paras)
        + "\n\nMost read\n" + model.title(rng, 6)
    )  # fmt: skip


_MODEL: Model | None = None


def _model(seed: int) -> Model:
    global _MODEL
    if _MODEL is None or _MODEL.seed != seed:
        _MODEL = Model(seed)
    return _MODEL


def generate_chunk(seed: int, chunk: int, n: int, out: str) -> tuple[int, list[tuple], dict]:
    """Write articles chunk*CHUNK .. +n; return bytes written, (file, outlet) rows and the
    planted near-copies {copy: original}."""
    model = _model(seed)
    rng = np.random.default_rng([seed, 100, chunk])
    outlets = rng.choice(len(OUTLETS), size=n, p=OUTLET_P)
    budgets = np.clip(rng.normal(430, 80, size=n), 200, 800).astype(int)
    total = int(budgets.sum()) + 60 * n
    tokens = model.draw(rng, total)
    lengths = np.clip(rng.poisson(19, size=total // 8 + 100), 6, 45)
    stream = (tokens, lengths, [0, 0])
    written, rows, pages, copies = 0, [], [], {}
    for j in range(n):
        i = chunk * CHUNK + j
        outlet = OUTLETS[int(outlets[j])]
        name = f"page{i:06d}_{hashlib.sha1(f'{seed}-{i}'.encode()).hexdigest()[:8]}.txt"
        if pages and rng.random() < 0.003:  # syndicated near-copy of an earlier page in the chunk
            original, text = pages[int(rng.integers(len(pages)))]
            text = text.replace(" the ", " a ", 1)
            copies[name] = original
        else:
            text = _page(model, rng, outlet, stream, int(budgets[j]))
            pages.append((name, text))
        data = (text + "\n").encode("utf-8")
        Path(out, name).write_bytes(data)
        written += len(data)
        rows.append((name, outlet))
    return written, rows, copies


def generate(n: int, out: Path, seed: int = 7, workers: int = 2, metadata: bool = False) -> dict:
    """Write ``n`` pages into ``out`` (cached: skipped if ``out/.stamp`` matches); return stats."""
    out = Path(out)
    stamp = {"n": n, "seed": seed, "version": GENERATOR_VERSION}
    stamp_file = out.parent / f"{out.name}.json"  # outside the corpus folder
    if stamp_file.exists():
        old = json.loads(stamp_file.read_text())
        if {k: old.get(k) for k in stamp} == stamp and "copies" in old:
            return old
    out.mkdir(parents=True, exist_ok=True)
    for p in out.glob("*.txt"):
        p.unlink()
    start = time.perf_counter()
    jobs = [(seed, c, min(CHUNK, n - c * CHUNK), str(out)) for c in range((n + CHUNK - 1) // CHUNK)]
    if workers > 1 and len(jobs) > 1:
        from joblib import Parallel, delayed

        results = Parallel(n_jobs=workers)(delayed(generate_chunk)(*job) for job in jobs)
    else:
        results = [generate_chunk(*job) for job in jobs]
    total = sum(r[0] for r in results)
    rows = [row for r in results for row in r[1]]
    if metadata:
        with open(out.parent / f"{out.name}-sources.csv", "w", encoding="utf-8") as fh:
            fh.write("file,outlet\n" + "".join(f"{f},{o}\n" for f, o in rows))
    stats = {**stamp, "bytes": total, "seconds": round(time.perf_counter() - start, 2),
             "outlets": {o: sum(r[1] == o for r in rows) for o in OUTLETS},
             "copies": {k: v for r in results for k, v in r[2].items()}}  # fmt: skip
    stamp_file.write_text(json.dumps(stats, indent=1))
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int, help="number of pages")
    parser.add_argument("--out", default=None, help="folder (default benchmarks/out/corpus-N)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--metadata", action="store_true", help="also write file,outlet CSV")
    args = parser.parse_args(argv)
    out = Path(args.out) if args.out else OUT / f"corpus-{args.n}"
    import generate  # by module name, so joblib's workers import it rather than __main__

    stats = generate.generate(args.n, out, args.seed, args.workers, args.metadata)
    print(json.dumps({**stats, "copies": len(stats["copies"])}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
