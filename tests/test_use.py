"""Use and mention: whether each mention is the outlet's own use of a term, a gloss that names it
and attributes it to a side, a quotation, an editor's [insertion] or a scare quote.

The seed counts were made by hand from seeds/*.txt before the code was written.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

from wording import lexicon as lx
from wording import mentions as mn
from wording import paths, pipeline

LEXICON = lx.load_lexicon(paths.lexicon_csv())


@pytest.fixture(scope="module")
def seed_mentions() -> pd.DataFrame:
    seeds = pipeline.build(paths.corpus_dir(), paths.metadata_csv())
    return mn.find_mentions(seeds.articles, LEXICON)


def uses(body: str) -> list[tuple[str, str]]:
    found = mn.find_mentions(
        pd.DataFrame({"file": ["a.txt"], "outlet": "X", "body": [body]}), LEXICON
    )
    return list(zip(found["term_id"], found["use"], strict=True))


# (outlet, side, use): mentions, read by hand. Lines are of the seed files.
HAND_USE = {
    # Sputnik 000 line 19 "on the Southern Kuril Islands", line 21 "a group of Russia's Southern
    # Kurils islands" (southern_kurils and russias_islands): 3 own, Russian side.
    # 001 line 23 "four islands which Russia calls the Southern Kurils and Japan the Northern
    # Territories: Iturup, Kunashir, Shikotan and Habomai": both names in a gloss (and the
    # both_names formula itself, neutral), Iturup and Kunashir own (Russian), Shikotan, Habomai
    # own (neutral). 002 line 14: the same gloss. 002 line 10 "[Southern Kurils]" bracketed
    # inside Kawamura's quotation.
    ("Sputnik", "russian", "own"): 5,  # southern_kurils ×2, russias_islands, iturup, kunashir
    ("Sputnik", "russian", "gloss"): 2,  # southern_kurils in 001 and 002
    ("Sputnik", "russian", "bracketed"): 1,  # 002 line 10
    # 001 line 17 Kishida's quotation, 002 line 10 Kawamura's: "the northern territories"
    ("Sputnik", "japanese", "quoted"): 2,
    ("Sputnik", "japanese", "gloss"): 2,  # northern_territories in 001 and 002
    # 000 line 21 "Tokyo's claims"; 001 line 15 "territorial dispute", line 23 Shikotan, Habomai,
    # "The disputed islands", "claimed by Soviet forces"; 002 line 14 the last two again
    ("Sputnik", "neutral", "own"): 8,
    ("Sputnik", "neutral", "gloss"): 2,  # both_names, 001 and 002
    # TASS 003 line 22: Nikkei's quotation ("southern Kuril Islands", "effectively controlled by
    # Moscow", "claimed by Japan", "Northern Territories"), then the newspaper's quotation
    # ("Russia-controlled"); TASS's own sentence "the South Kuril Islands" closes the paragraph.
    ("TASS", "russian", "quoted"): 1,
    ("TASS", "japanese", "quoted"): 2,
    ("TASS", "neutral", "quoted"): 2,
    # line 22 "the South Kuril Islands", line 26 subhead, line 28 "The Kuril Islands issue",
    # "handed over to the Soviet Union", "Russia’s sovereignty"; neutral: "Japan laid claims"
    ("TASS", "russian", "own"): 5,
    ("TASS", "neutral", "own"): 1,
    # Taipei Times 004: no term inside a quotation. Line 15 "seized by Soviet troops", line 31
    # "Etorofu, Kunashiri", line 37 "Etorofu": Japanese own 4. Neutral: line 15 "territorial
    # dispute", line 19 "claimed by both", line 31 "conflicting claims", "islands north of
    # Hokkaido", Shikotan, "Habomai islets", "came under Russian control", line 37 "disputed
    # islands": 8.
    ("Taipei Times", "japanese", "own"): 4,
    ("Taipei Times", "neutral", "own"): 8,
}


def test_seed_uses_match_the_hand_count(seed_mentions):
    found = Counter(
        zip(seed_mentions["outlet"], seed_mentions["side"], seed_mentions["use"], strict=True)
    )
    assert dict(found) == HAND_USE


def test_sputnik_names_as_the_issue_reads_them(seed_mentions):
    # Russian name (southern_kurils): 2 own (000), 2 in glosses (001, 002), 1 bracketed (002).
    # Japanese name (northern_territories): 0 own, 2 in glosses, 2 quoted.
    sputnik = seed_mentions[seed_mentions["outlet"] == "Sputnik"]
    russian = sputnik[sputnik["term_id"] == "southern_kurils"]
    assert Counter(zip(russian["file"], russian["use"], strict=True)) == {
        ("000_bc5782a3297aeda6.txt", "own"): 2,
        ("001_e9e6e489c14a83f0.txt", "gloss"): 1,
        ("002_b2da908307f10950.txt", "gloss"): 1,
        ("002_b2da908307f10950.txt", "bracketed"): 1,
    }
    japanese = sputnik[sputnik["term_id"] == "northern_territories"]
    assert Counter(japanese["use"]) == {"gloss": 2, "quoted": 2}


def test_voice_is_unchanged_by_use(seed_mentions):
    # the bracketed insertion stays editorial; a gloss is editorial
    assert set(seed_mentions.loc[seed_mentions["use"] == "bracketed", "voice"]) == {"editorial"}
    assert set(seed_mentions.loc[seed_mentions["use"] == "gloss", "voice"]) == {"editorial"}
    assert set(seed_mentions.loc[seed_mentions["use"] == "quoted", "voice"]) == {"quoted"}


@pytest.mark.parametrize(
    "body, expected",
    [
        ("The islands, which Russia calls the Kurils, are small.", [("kuril_islands", "gloss")]),
        ("He flew to the Kurils, as Russia calls them, on Monday.", [("kuril_islands", "gloss")]),
        ("Islands known in Japan as the Northern Territories lie there.",
         [("northern_territories", "gloss")]),
        ("The area is what Tokyo calls the Northern Territories.",
         [("northern_territories", "gloss")]),
        ("They are called the Northern Territories by Japan.",
         [("northern_territories", "gloss")]),
        ("The Kuril Islands (as they are known in Russia) are small.",
         [("kuril_islands", "gloss")]),
        ("The islands are referred to as the Northern Territories in Japan.",
         [("northern_territories", "gloss")]),
        ("Four islands, dubbed the Southern Kurils, lie there.", [("southern_kurils", "gloss")]),
        # a pronoun after the relative; a possessive and quotation marks before the name
        ("Missiles on the islands, which it calls the Southern Kurils.",
         [("southern_kurils", "gloss")]),
        ('The Southern Kurils, which Japan calls its "Northern Territories."',
         [("southern_kurils", "own"), ("northern_territories", "gloss")]),
        ("It visited the Southern Kurils on Monday.", [("southern_kurils", "own")]),
        # "calls" without a relative or object pronoun is not a naming formula
        ("Moscow calls the Kuril Islands an integral part of Russia.",
         [("kuril_islands", "own")]),
        ("It sent ships to the \"Northern Territories\" again.",
         [("northern_territories", "scare")]),
        ("\"We discussed the Kuril Islands,\" Kishida said.", [("kuril_islands", "quoted")]),
        ("\"We discussed the northern territories [Kurils],\" Kishida said.",
         [("northern_territories", "quoted"), ("kuril_islands", "bracketed")]),
        # a gloss another dispute would write: the formula is general, not Kuril-specific
        ("The islands, which Seoul calls the Southern Kurils and Tokyo the Northern Territories,"
         " are small.",
         [("southern_kurils", "gloss"), ("northern_territories", "gloss")]),
    ],
)  # fmt: skip
def test_use_of_constructed_sentences(body, expected):
    assert uses(body) == expected
