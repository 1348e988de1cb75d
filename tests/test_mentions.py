"""Mentions: the seeds counted by hand, offsets and concordance, counts per outlet, and the
per-article function against the slow obvious way (with odd patterns for the RE2 twins)."""

from __future__ import annotations

import itertools
import re
from collections import Counter

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lexicon_helpers import LEXICON, articles, mentions_of, terms_voices  # noqa: E402, F401

from wording import lexicon as lx
from wording import mentions as mn
from wording import paths, pipeline
from wording import quotes as qt
from wording import text as txt

# --- the seeds, counted by hand ----------------------------------------------------------------

SPUTNIK_000 = "000_bc5782a3297aeda6.txt"
SPUTNIK_001 = "001_e9e6e489c14a83f0.txt"
SPUTNIK_002 = "002_b2da908307f10950.txt"
TASS_003 = "003_3f926fbd34ea6708.txt"
TAIPEI_004 = "004_c7fdcfd96570cd6d.txt"

# (file, term_id, voice, speaker): count. Every mention in the five bodies, read by hand.
# Anything the code finds that is not listed here is a failure too.
HAND_COUNTS = {
    # 000 Sputnik: "joint economic activities on the Southern Kuril Islands." (reported speech)
    (SPUTNIK_000, "southern_kurils", "editorial", ""): 2,
    # ... and "Tokyo's claims to a group of Russia's Southern Kurils islands."
    (SPUTNIK_000, "japanese_claim", "editorial", ""): 1,
    (SPUTNIK_000, "russias_islands", "editorial", ""): 1,
    # 001 Sputnik: "including settling territorial dispute" (body; the standfirst repeats it)
    (SPUTNIK_001, "territorial_dispute", "editorial", ""): 1,
    # "...to settle the issue of the northern territories and ...," Kishida told reporters
    (SPUTNIK_001, "northern_territories", "quoted", "Kishida"): 1,
    # "four islands which Russia calls the Southern Kurils and Japan the Northern Territories:
    #  Iturup, Kunashir, Shikotan and Habomai. The disputed islands, ... were claimed by
    #  Soviet forces at the end of the war."
    (SPUTNIK_001, "both_names", "editorial", ""): 1,
    (SPUTNIK_001, "southern_kurils", "editorial", ""): 1,
    (SPUTNIK_001, "northern_territories", "editorial", ""): 1,
    (SPUTNIK_001, "iturup", "editorial", ""): 1,
    (SPUTNIK_001, "kunashir", "editorial", ""): 1,
    (SPUTNIK_001, "shikotan", "editorial", ""): 1,
    (SPUTNIK_001, "habomai", "editorial", ""): 1,
    (SPUTNIK_001, "disputed_islands", "editorial", ""): 1,
    (SPUTNIK_001, "claimed_by_soviet", "editorial", ""): 1,
    # 002 Sputnik: "including the northern territories [Southern Kurils] issue. ...," Kawamura
    # said -- Kawamura's words quoted, Sputnik's bracketed insertion editorial.
    (SPUTNIK_002, "northern_territories", "quoted", "Kawamura"): 1,
    # the bracket, plus "four islands, which Russia calls the Southern Kurils and Japan the
    # Northern Territories. The disputed islands, ... were claimed by Soviet forces"
    (SPUTNIK_002, "southern_kurils", "editorial", ""): 2,
    (SPUTNIK_002, "both_names", "editorial", ""): 1,
    (SPUTNIK_002, "northern_territories", "editorial", ""): 1,
    (SPUTNIK_002, "disputed_islands", "editorial", ""): 1,
    (SPUTNIK_002, "claimed_by_soviet", "editorial", ""): 1,
    # (the removed teaser "Compromise With Japan on Kuril Islands Possible - Putin" adds nothing)
    # 003 TASS: Nikkei also wrote that "...the dispute over the southern Kuril Islands, which are
    # effectively controlled by Moscow and claimed by Japan as the Northern Territories."
    (TASS_003, "southern_kurils", "quoted", "Nikkei"): 1,
    (TASS_003, "effective_control", "quoted", "Nikkei"): 1,
    (TASS_003, "japanese_claim", "quoted", "Nikkei"): 1,
    (TASS_003, "northern_territories", "quoted", "Nikkei"): 1,
    # "...former residents of the Russia-controlled islands ...," the newspaper added.
    (TASS_003, "russian_controlled", "quoted", "the newspaper"): 1,
    # "The first flight to the South Kuril Islands" + the subhead "South Kuril Islands issue"
    (TASS_003, "southern_kurils", "editorial", ""): 2,
    # "The Kuril Islands issue remains the sticking point since after WWII the islands were
    # handed over to the Soviet Union while Japan laid claims to the four southern islands."
    (TASS_003, "kuril_islands", "editorial", ""): 1,
    (TASS_003, "handed_over_to_ussr", "editorial", ""): 1,
    (TASS_003, "japanese_claim", "editorial", ""): 1,
    # "Moscow has stated many times that Russia’s sovereignty over the islands ..." (indirect)
    (TASS_003, "russian_sovereignty", "editorial", ""): 1,
    # 004 Taipei Times: "a decades-old territorial dispute ... seized by Soviet troops"
    (TAIPEI_004, "territorial_dispute", "editorial", ""): 1,
    (TAIPEI_004, "seized_by_soviet", "editorial", ""): 1,
    # "islands claimed by both countries" + "conflicting claims to islands north of Hokkaido"
    (TAIPEI_004, "competing_claims", "editorial", ""): 2,
    (TAIPEI_004, "islands_off_hokkaido", "editorial", ""): 1,
    # "— Etorofu, Kunashiri, Shikotan and the Habomai islets — that came under Russian control"
    # + "surface-to-ship missiles on Etorofu ... elsewhere on the disputed islands"
    (TAIPEI_004, "etorofu", "editorial", ""): 2,
    (TAIPEI_004, "kunashiri", "editorial", ""): 1,
    (TAIPEI_004, "shikotan", "editorial", ""): 1,
    (TAIPEI_004, "habomai", "editorial", ""): 1,
    (TAIPEI_004, "came_under_control", "editorial", ""): 1,
    (TAIPEI_004, "disputed_islands", "editorial", ""): 1,
}


@pytest.fixture(scope="module")
def seeds() -> pipeline.Tables:
    return pipeline.build(paths.corpus_dir(), paths.metadata_csv())


@pytest.fixture(scope="module")
def seed_mentions(seeds) -> pd.DataFrame:
    return mn.find_mentions(seeds.articles, LEXICON)


def test_seed_mentions_match_hand_counts(seed_mentions):
    found = Counter(
        zip(
            seed_mentions["file"],
            seed_mentions["term_id"],
            seed_mentions["voice"],
            seed_mentions["speaker"],
            strict=True,
        )
    )
    problems = [
        f"{file} {term} {voice} speaker={speaker!r}: expected {HAND_COUNTS.get(key, 0)}, "
        f"found {found.get(key, 0)}"
        for key in sorted(set(found) | set(HAND_COUNTS))
        for file, term, voice, speaker in [key]
        if found.get(key, 0) != HAND_COUNTS.get(key, 0)
    ]
    assert not problems, "\n".join(problems)


def test_sputnik_bracket_insertion_is_editorial_inside_kawamuras_quote(seed_mentions):
    rows = seed_mentions[seed_mentions["file"] == SPUTNIK_002].head(2)
    assert list(rows["matched"]) == ["northern territories", "Southern Kurils"], SPUTNIK_002
    assert list(rows["voice"]) == ["quoted", "editorial"], SPUTNIK_002
    assert list(rows["quote_kind"]) == ["direct", "bracket"], SPUTNIK_002
    assert list(rows["speaker"]) == ["Kawamura", ""], SPUTNIK_002


def test_nikkei_quotation_inside_tass_report(seed_mentions):
    tass = seed_mentions[(seed_mentions["file"] == TASS_003) & (seed_mentions["speaker"] != "")]
    assert set(tass["voice"]) == {"quoted"}, TASS_003
    nikkei = tass[tass["speaker"] == "Nikkei"]
    assert list(nikkei["matched"]) == [
        "southern Kuril Islands",
        "effectively controlled by Moscow",
        "claimed by Japan",
        "Northern Territories",
    ], f"{TASS_003}: Nikkei's quoted terms"


def test_chrome_only_mentions_do_not_count(seeds, seed_mentions):
    # Sputnik 002's teaser "Compromise With Japan on Kuril Islands Possible - Putin" is chrome.
    sputnik = seed_mentions[seed_mentions["file"] == SPUTNIK_002]
    assert "kuril_islands" not in set(sputnik["term_id"]), SPUTNIK_002
    # 001's standfirst repeats "territorial dispute": only the body's mention counts.
    disputes = seed_mentions[
        (seed_mentions["file"] == SPUTNIK_001) & (seed_mentions["term_id"] == "territorial_dispute")
    ]
    assert len(disputes) == 1, f"{SPUTNIK_001} territorial_dispute"


def test_seed_offsets_and_concordance_point_at_the_match(seeds, seed_mentions):
    body = seeds.articles.set_index("file")["body"]
    for row in seed_mentions.itertuples(index=False):
        assert body[row.file][row.start : row.end] == row.matched, (row.file, row.term_id)
        assert f"\u27e6{row.matched}\u27e7" in row.kwic, (row.file, row.term_id)
    tass_subhead = seed_mentions[
        (seed_mentions["file"] == TASS_003) & (seed_mentions["matched"] == "South Kuril Islands")
    ]
    assert list(tass_subhead["body_paragraph"]) == [4, 6], f"{TASS_003} southern_kurils"


def test_seed_counts_per_outlet(seeds, seed_mentions):
    counts = mn.count_terms(seed_mentions, seeds.articles, LEXICON)
    assert len(counts) == 3 * len(LEXICON) * 2  # every outlet × term × voice, zeros included
    key = counts.set_index(["outlet", "term_id", "voice"])
    # Sputnik's own voice: 000 (2) + 001 (1) + 002 (2) "Southern Kuril(s)"
    assert key.loc[("Sputnik", "southern_kurils", "editorial"), "mentions"] == 5
    # Sputnik quotes "northern territories" twice (Kishida, Kawamura) and uses it once each
    # in the 001 and 002 background paragraphs
    assert key.loc[("Sputnik", "northern_territories", "quoted"), "mentions"] == 2
    assert key.loc[("Sputnik", "northern_territories", "editorial"), "mentions"] == 2
    assert key.loc[("TASS", "northern_territories", "editorial"), "mentions"] == 0
    assert key.loc[("Taipei Times", "southern_kurils", "editorial"), "mentions"] == 0
    words = seeds.articles.groupby("outlet")["n_words"].sum()
    row = key.loc[("TASS", "southern_kurils", "editorial")]
    assert row["body_words"] == words["TASS"]
    assert row["per_1000_words"] == pytest.approx(2 / words["TASS"] * 1000)


# --- the lexicon file --------------------------------------------------------------------------


def test_matching_is_one_pass_over_joined_bodies_and_offsets_map_back():
    bodies = ["Southern", "Kurils now.", "x " * 5 + "the Etorofu and Kunashir\nisland"]
    found = mentions_of(*bodies)
    # "Southern" ends one body and "Kurils" starts the next: never one mention across articles
    assert list(zip(found["file"], found["term_id"], strict=True)) == [
        ("b.txt", "kuril_islands"),
        ("c.txt", "etorofu"),
        ("c.txt", "kunashir"),
    ]
    for row in found.itertuples(index=False):
        body = bodies[ord(row.file[0]) - 97]
        assert body[row.start : row.end] == row.matched


def test_empty_inputs():
    assert mn.find_mentions(articles(), LEXICON).empty
    assert list(mn.find_mentions(articles(""), LEXICON).columns) == mn.MENTION_COLUMNS
    counts = mn.count_terms(
        mn.find_mentions(articles("nothing"), LEXICON), articles("x y"), LEXICON
    )
    assert (counts["mentions"] == 0).all() and len(counts) == len(LEXICON) * 2


# --- voice on synthetic texts ------------------------------------------------------------------


def test_build_registers_term_tables():
    from wording import pipeline

    tables = pipeline.build(paths.corpus_dir(), paths.metadata_csv(), paths.lexicon_csv())
    for column in ["file", "outlet", "term_id", "side", "matched", "voice", "speaker", "start"]:
        assert column in tables.term_mentions.columns
    assert tables.term_counts["mentions"].sum() == sum(HAND_COUNTS.values())
    assert len(tables.term_mentions) == sum(HAND_COUNTS.values())


def reference_mentions(arts: pd.DataFrame, lexicon: pd.DataFrame) -> pd.DataFrame:
    """``find_mentions`` the slow, obvious way: each category's Python ``finditer`` over each
    body, ``quote_spans`` of the body, and the quotation piece holding each match."""
    bodies = arts["body"].fillna("").astype(str).tolist()
    terms = lexicon.set_index("term_id")
    rows = []
    for (d, body), pattern in itertools.product(
        enumerate(bodies), lx.category_patterns(lexicon).values()
    ):
        spans = qt.quote_spans(body)
        # a break at the very start only drops an empty first paragraph
        breaks = [b.start() for b in txt.PARAGRAPH_BREAK_RE.finditer(body) if b.start() > 0]
        para_starts = [b.end() for b in txt.PARAGRAPH_BREAK_RE.finditer(body) if b.start() > 0]
        for m in pattern.finditer(body):
            start, end = m.start(), m.end()
            pieces = spans[(spans["start"] <= start) & (start < spans["end"])]
            kind = pieces["kind"].iat[0] if len(pieces) else "none"
            speaker = pieces["speaker"].iat[0] if kind == "direct" else ""
            left = re.sub(r"\s+", " ", body[max(0, start - mn.KWIC_WIDTH) : start])
            right = re.sub(r"\s+", " ", body[end : end + mn.KWIC_WIDTH])
            inner = re.sub(r"\s+", " ", m.group())
            rows.append(
                {
                    "file": str(arts["file"].iat[d]),
                    "outlet": str(arts["outlet"].iat[d]),
                    "term_id": m.lastgroup,
                    "side": terms.at[m.lastgroup, "side"],
                    "category": terms.at[m.lastgroup, "category"],
                    "matched": m.group(),
                    "voice": "quoted" if kind == "direct" else "editorial",
                    "quote_kind": kind,
                    "speaker": speaker,
                    "body_paragraph": 1 + sum(b <= start for b in breaks),
                    "start": start,
                    "end": end,
                    "kwic_left": left,
                    "kwic_right": right,
                    "kwic": f"{left}⟦{inner}⟧{right}",
                    "_body": d,  # not a column: which body the row is of
                    # the formula windows stop at the mention's paragraph
                    "use": mn.use_of(
                        kind,
                        kind not in ("direct", "bracket")
                        and mn.is_gloss(
                            body, start, end, max([0] + [b for b in para_starts if b <= start])
                        ),
                    ),
                }
            )
    # a mention that holds a glossed mention (the formula itself) is a gloss: all pairs
    for row in rows:
        if row["use"] == "own" and any(
            o["_body"] == row["_body"] and o["use"] == "gloss" and o is not row
            and row["start"] <= o["start"] and o["end"] <= row["end"]
            and (o["start"], o["end"]) != (row["start"], row["end"])
            for o in rows
        ):  # fmt: skip
            row["use"] = "gloss"
    table = pd.DataFrame(rows, columns=mn.MENTION_COLUMNS)
    table = table.sort_values(["file", "start", "term_id"], kind="mergesort")
    return table.reset_index(drop=True).astype(mn.MENTION_DTYPES)


# Words of the lexicon in odd spellings (dotless ı, long ſ, Kelvin sign K and non-breaking spaces
# match ASCII letters and white space case-insensitively), quotation marks, speech verbs, breaks.
SCALE_TOKENS = st.sampled_from(
    [
        "Southern", "Kurils", "KURILS", "kurıls", "ſouthern", "\u212auril", "Kuril\u00a0Islands",
        "the", "Russian", "Federation's", "Russia’s", "islands", "Northern", "Territories",
        "Iturup", "Etorofu", "Kunashiri", "Kunashir", "Shikotan", "Habomai", "Hoppō Ryōdo",
        "seized by", "Soviet", "troops", "handed over to the Soviet Union", "came under",
        "territorial dispute", "disputed", "Japan", "Tokyo", "calls", "and", "Moscow",
        "sovereignty", "said", "told", "Kishida", "according to", "wrote that", ":", ",", ".",
        '"', "“", "”", "‘", "’", "'", "[", "]", "\n", "\n\n", "\n \n", "\t", "\u2009", "  ", "x",
    ]
)  # fmt: skip
BODIES = st.lists(st.lists(SCALE_TOKENS, max_size=40).map(" ".join), max_size=6)


@settings(max_examples=60, deadline=None)
@given(BODIES, st.data())
def test_find_mentions_equals_the_slow_obvious_way(bodies, data):
    files = [data.draw(st.sampled_from(["a.txt", "b.txt", "c.txt"])) for _ in bodies]
    arts = pd.DataFrame({"file": files, "outlet": "Test", "body": bodies})
    pd.testing.assert_frame_equal(
        mn.find_mentions(arts, LEXICON), reference_mentions(arts, LEXICON)
    )


# Constructs the RE2 twins must read as Python does, or leave to Python: no word boundary, a
# case-sensitive group, classes, digits, any character, lookbehind, repeats, lazy and
# possessive repeats, an atomic group, a non-ASCII letter and a leading Kelvin sign.
ODD_LEXICON = lx.validate_lexicon(
    pd.DataFrame(
        [
            ("a_plain", "russian", "c1", r"kuril(?:e?s)?", ""),
            ("b_case", "russian", "c1", r"(?-i:Southern)\s+\w+", ""),
            ("c_class", "neutral", "c2", r"\b[A-Z]\w*\s+islands?\b", ""),
            ("d_digit", "neutral", "c2", r"\b\d+\+\d+\b", ""),
            ("e_any", "neutral", "c3", r"\bs.viet\b", ""),
            ("f_behind", "neutral", "c3", r"\b(?<=\s)moscow\b", ""),
            ("g_repeat", "japanese", "c4", r"\bx{2,}|\b(?:ab)+c", ""),
            ("h_space", "japanese", "c4", r"\bthe\s+russian\s+federation['’]s\s+islands\b", ""),
            ("i_macron", "japanese", "c5", r"\bhopp?[oō]u?\s+ry[oō]u?do\b|\bōta\b", ""),
            ("j_kelvin", "japanese", "c5", "\\b\u212a\\w+", ""),
            ("k_verbs", "neutral", "c6", r"\b(?:said|told)\b|\bsaid\s+that", ""),
            ("l_lazy", "neutral", "c6", r"\bjapan\b.*?\btokyo\b", ""),
            ("m_possessive", "neutral", "c7", r"\bislands?+\b|\b(?>terr)itor", ""),
        ],
        columns=lx.LEXICON_COLUMNS,
    )
)


@settings(max_examples=60, deadline=None)
@given(BODIES)
def test_odd_patterns_give_the_same_matches_as_finditer(bodies):
    arts = pd.DataFrame({"file": "a.txt", "outlet": "Test", "body": bodies})
    pd.testing.assert_frame_equal(
        mn.find_mentions(arts, ODD_LEXICON), reference_mentions(arts, ODD_LEXICON)
    )


def test_article_mentions_is_pure_and_per_article():
    compiled = lx.compile_lexicon(LEXICON)
    body = 'Kishida said: "The Northern Territories are ours." The Southern Kurils, Moscow says.'
    rows = mn.article_mentions("a.txt", "Test", body, compiled)
    assert rows == mn.article_mentions("a.txt", "Test", body, compiled)
    assert [(r[2], r[6], r[8]) for r in rows] == [
        ("northern_territories", "quoted", "Kishida"),
        ("southern_kurils", "editorial", ""),
    ]
    assert all(len(r) == len(mn.MENTION_COLUMNS) for r in rows)
    table = mn.mentions_table(rows)
    pd.testing.assert_frame_equal(table, mn.find_mentions(articles(body), LEXICON))


def test_old_entry_points_still_work(seeds, seed_mentions):
    pd.testing.assert_frame_equal(lx.find_mentions(seeds.articles, LEXICON), seed_mentions)
    pd.testing.assert_frame_equal(
        lx.count_terms(seed_mentions, seeds.articles, LEXICON),
        mn.count_terms(seed_mentions, seeds.articles, LEXICON),
    )
    assert list(lx.quote_spans("x").columns) == lx.QUOTE_COLUMNS
