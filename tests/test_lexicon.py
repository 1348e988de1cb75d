"""The lexicon file: columns, validation errors, each pattern's must/must-not matches, and the
compiled lexicon (category alternations, RE2 twins)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from lexicon_helpers import LEXICON, articles, mentions_of, terms_voices  # noqa: E402, F401

from wording import lexicon as lx
from wording import paths


def test_lexicon_has_the_required_terms_and_documented_rows():
    required = {
        "southern_kurils",
        "kuril_islands",
        "northern_territories",
        "iturup",
        "etorofu",
        "kunashir",
        "kunashiri",
        "shikotan",
        "habomai",
    }
    assert required <= set(LEXICON["term_id"])
    assert set(LEXICON["side"]) <= {"russian", "japanese", "neutral"}
    assert (LEXICON["note"].str.len() > 20).all(), "every term needs its reasoning in note"
    for category in ["collective name", "island name", "1945 framing", "sovereignty framing"]:
        assert category in set(LEXICON["category"])
    order = list(LEXICON["term_id"])
    assert order.index("southern_kurils") < order.index("kuril_islands")


def write_lexicon(tmp_path, rows: list[dict]) -> str:
    path = tmp_path / "lex.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


GOOD = {
    "term_id": "kurils",
    "side": "russian",
    "category": "name",
    "pattern": "kurils?",
    "note": "x",
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"pattern": "kuril(s"}, r"lex\.csv: row 2 \(term_id 'bad'\): bad regular expression"),
        ({"pattern": "(?P<x>kuril)"}, r"row 2 \(term_id 'bad'\): named groups"),
        ({"pattern": "k?"}, r"row 2 \(term_id 'bad'\): pattern can match the empty string"),
        ({"side": ""}, r"row 2 \(term_id 'bad'\): empty side"),
        ({"term_id": "kurils"}, r"row 2 \(term_id 'kurils'\): duplicate term_id"),
        ({"term_id": "Bad Term"}, r"row 2 \(term_id 'Bad Term'\): term_id must be"),
        ({"pattern": ""}, r"row 2 \(term_id 'bad'\): empty pattern"),
    ],
)
def test_load_lexicon_errors_name_file_row_and_term(tmp_path, change, message):
    path = write_lexicon(tmp_path, [GOOD, {**GOOD, "term_id": "bad", **change}])
    with pytest.raises(lx.LexiconError, match=message):
        lx.load_lexicon(path)


def test_any_side_name_is_allowed_and_group_defaults_to_category(tmp_path):
    path = write_lexicon(tmp_path, [GOOD, {**GOOD, "term_id": "soviet", "side": "soviet"}])
    lexicon = lx.load_lexicon(path)
    assert lexicon["side"].tolist() == ["russian", "soviet"]
    assert lexicon["group"].tolist() == ["name", "name"]


def test_study_lexicon_groups_every_neutral_description_with_the_names():
    lexicon = lx.load_lexicon(paths.lexicon_csv())
    names = lexicon[lexicon["group"] == "collective name"]
    # the Russian and Japanese collective names, and every neutral description of the islands:
    # "islands off Hokkaido", "the disputed islands", "islands claimed by both countries",
    # "Russia-controlled islands"
    assert names.groupby("side")["term_id"].apply(sorted).to_dict() == {
        "japanese": ["northern_territories"],
        "neutral": [
            "competing_claims", "disputed_islands", "islands_off_hokkaido", "russian_controlled",
        ],
        "russian": ["kuril_islands", "lesser_kurils", "southern_kurils"],
    }  # fmt: skip
    # category stays as it was (the TF-IDF compounds and term_counts read it)
    assert lexicon.set_index("term_id").at["disputed_islands", "category"] == "dispute framing"


def test_study_sides_keep_the_report_colours():
    sides = lx.load_sides(paths.lexicon_csv())
    assert sides.to_dict("list") == {
        "side": ["russian", "japanese", "neutral"],
        "label": ["Russian name", "Japanese name", "neutral wording"],
        "colour": ["#D55E00", "#0072B2", "#999999"],  # report/style.py SIDE_COLOURS
        "order": [1, 2, 3],
    }


# The sides the development set's lexicons name (../shared/devpages/lexicon_*.csv), in their order.
DEVPAGES_SIDES = {"dokdo": ["korean", "japanese", "neutral"], "kyiv": ["ukrainian", "russian"]}


@pytest.mark.parametrize(
    "dispute, expected",
    [
        # Dokdo/Takeshima: "japanese" and "neutral" from data/sides.csv; "korean" is unknown:
        # title-cased, and the first palette colour not taken (vermillion)
        (
            "dokdo",
            [("japanese", "Japanese name", "#0072B2", 1), ("neutral", "neutral wording", "#999999", 2),
             ("korean", "Korean", "#D55E00", 3)],
        ),
        # Kyiv/Kiev: "russian" known; "ukrainian" takes the first free colour (blue)
        (
            "kyiv",
            [("russian", "Russian name", "#D55E00", 1), ("ukrainian", "Ukrainian", "#0072B2", 2)],
        ),
    ],
)  # fmt: skip
def test_sides_of_the_devpages_lexicons(tmp_path, dispute, expected):
    # only the side names are read from the development lexicons (never committed); the terms
    # written here are placeholders
    sides = DEVPAGES_SIDES[dispute]
    rows = [{**GOOD, "term_id": f"t{k}", "side": side} for k, side in enumerate(sides)]
    path = write_lexicon(tmp_path, rows)
    with pytest.warns(UserWarning, match="names no label or colour"):
        found = lx.load_sides(path)
    assert list(found.itertuples(index=False, name=None)) == expected


def test_a_lexicon_sides_file_beside_it_wins(tmp_path):
    path = write_lexicon(tmp_path, [GOOD, {**GOOD, "term_id": "b", "side": "chinese"}])
    (tmp_path / "lex_sides.csv").write_text(
        "side,label,colour,order\nchinese,Chinese name,#123456,1\nrussian,Russian form,#654321,2\n"
    )
    found = lx.load_sides(path)
    assert list(found.itertuples(index=False, name=None)) == [
        ("chinese", "Chinese name", "#123456", 1),
        ("russian", "Russian form", "#654321", 2),
    ]


def test_load_lexicon_missing_column(tmp_path):
    path = write_lexicon(tmp_path, [{k: v for k, v in GOOD.items() if k != "side"}])
    with pytest.raises(lx.LexiconError, match=r"lex\.csv: missing column\(s\) side"):
        lx.load_lexicon(path)


# --- each lexicon pattern: what it must and must not match ---------------------------------------

MUST = [
    ("southern_kurils", "Russia's Southern Kurils islands", "Southern Kurils islands"),
    ("southern_kurils", "on the Southern Kuril Islands.", "Southern Kuril Islands"),
    ("southern_kurils", "the southern Kuril Islands", "southern Kuril Islands"),
    ("southern_kurils", "to the South Kuril Islands for", "South Kuril Islands"),
    ("southern_kurils", "SOUTHERN KURILS", "SOUTHERN KURILS"),
    ("southern_kurils", "the Southern\nKurils", "Southern\nKurils"),
    ("southern_kurils", "the Southern\u00a0Kuril island", "Southern\u00a0Kuril island"),
    ("southern_kurils", "the South Kuril’s fishermen", "South Kuril’s"),
    ("kuril_islands", "The Kuril Islands issue", "Kuril Islands"),
    ("kuril_islands", "the Kurils.", "Kurils"),
    ("kuril_islands", "the Kurile Islands", "Kurile Islands"),
    ("lesser_kurils", "the Lesser Kuril Chain", "Lesser Kuril Chain"),
    ("northern_territories", "the northern territories [", "northern territories"),
    ("northern_territories", "Japan's Northern Territories’ residents", "Northern Territories"),
    ("northern_territories", "Hoppo Ryodo", "Hoppo Ryodo"),
    ("islands_off_hokkaido", "islands north of Hokkaido —", "islands north of Hokkaido"),
    ("islands_off_hokkaido", "four islands off Japan's northern island of Hokkaido", None),
    ("iturup", "Iturup Island's airport", "Iturup Island's"),
    ("etorofu", "on Etorofu and", "Etorofu"),
    ("kunashiri", "Kunashiri,", "Kunashiri"),
    ("kunashir", "Kunashir, Shikotan", "Kunashir"),
    ("shikotan", "Shikotan and", "Shikotan"),
    ("habomai", "the Habomai islets —", "Habomai islets"),
    ("seized_by_soviet", "seized by Soviet troops at the end", "seized by Soviet troops"),
    ("seized_by_soviet", "occupied by the Soviet Union in 1945", "occupied by the Soviet Union"),
    ("seized_by_soviet", "Soviet forces seized the islands", "Soviet forces seized"),
    ("claimed_by_soviet", "were claimed by\u00a0Soviet forces at", "claimed by\u00a0Soviet forces"),
    ("handed_over_to_ussr", "handed over to the Soviet Union while", None),
    ("handed_over_to_ussr", "became part of the USSR", "became part of the USSR"),
    ("came_under_control", "that came under Russian control after", "came under Russian control"),
    ("liberated_by_soviet", "liberated by the Red Army", "liberated by the Red Army"),
    ("russias_islands", "a group of Russia's Southern Kurils islands.", None),
    ("russias_islands", "Russia’s Kuril Islands", "Russia’s Kuril Islands"),
    ("japans_islands", "Japan's Northern Territories", "Japan's Northern Territories"),
    ("russian_sovereignty", "that Russia’s sovereignty over", "Russia’s sovereignty"),
    ("japanese_sovereignty", "Japanese sovereignty over", "Japanese sovereignty"),
    ("effective_control", "which are effectively controlled by Moscow and", None),
    ("russian_occupied", "illegally occupied by Russia", "illegally occupied by Russia"),
    ("russian_controlled", "the Russia-controlled islands", "Russia-controlled"),
    ("russian_controlled", "Russian-held islands", "Russian-held"),
    ("japanese_claim", "claimed by Japan as the", "claimed by Japan"),
    ("japanese_claim", "due to Tokyo's claims to a group", "Tokyo's claims"),
    ("japanese_claim", "while Japan laid claims to the four", "Japan laid claims"),
    ("competing_claims", "islands claimed by both countries", "claimed by both"),
    ("competing_claims", "on conflicting claims to islands", "conflicting claims"),
    ("territorial_dispute", "settling territorial dispute and", "territorial dispute"),
    ("territorial_dispute", "the territorial issue", "territorial issue"),
    ("disputed_islands", "The disputed islands, located", "disputed islands"),
    ("both_names", "which Russia calls the Southern Kurils and Japan the Northern", None),
]


@pytest.mark.parametrize(("term", "text", "matched"), MUST)
def test_pattern_must_match(term, text, matched):
    found = mentions_of(text)
    hits = found[found["term_id"] == term]
    assert len(hits) == 1, f"{term} in {text!r}: {list(found['term_id'])}"
    if matched is not None:
        assert hits["matched"].iat[0] == matched, term


MUST_NOT = [
    ("kuril_islands", "Southern Kurils"),  # southern_kurils wins at this position
    ("kuril_islands", "the Lesser Kuril Chain"),
    ("kuril_islands", "the Kuril-Kamchatka Trench"),  # bare adjective Kuril
    ("kuril_islands", "the Kurilsk airport"),
    ("southern_kurils", "the southernmost point of Kyushu"),
    ("northern_territories", "Australia's Northern Territory"),  # singular = Australian
    ("northern_territories", "the Northwest Territories"),
    ("kunashir", "Kunashiri"),
    ("kunashiri", "Kunashir"),
    ("iturup", "Iturupa"),
    ("habomai", "Habomaian"),
    ("seized_by_soviet", "Russia’s annexation of Crimea from Ukraine"),
    ("seized_by_soviet", "claimed by Soviet forces"),
    ("claimed_by_soviet", "seized by Soviet troops"),
    ("came_under_control", "came under fire"),
    ("russias_islands", "Russia’s installment of surface-to-ship missiles on Etorofu"),
    ("russias_islands", "Russia's claim to the islands"),
    ("russias_islands", "Russia’s sovereignty over the islands"),
    ("russian_controlled", "effectively controlled by Moscow"),  # effective_control wins
    ("japanese_claim", "Japan's defeat"),
    ("japanese_claim", "claimed by both countries"),
    ("territorial_dispute", "resolving the territorial."),  # the truncated Taipei Times sentence
    ("territorial_dispute", "territorial waters"),
    ("disputed_islands", "undisputed islands"),
    ("both_names", "Russia calls for talks. Japan"),
]


@pytest.mark.parametrize(("term", "text"), MUST_NOT)
def test_pattern_must_not_match(term, text):
    assert term not in set(mentions_of(text)["term_id"]), f"{term} in {text!r}"


def test_terms_of_one_category_do_not_overlap_but_categories_may():
    found = mentions_of(
        "Tokyo's claims to a group of Russia's Southern Kurils islands, "
        "claimed by Japan as the Northern Territories."
    )
    assert list(found["term_id"]) == [
        "japanese_claim",
        "russias_islands",
        "southern_kurils",
        "japanese_claim",
        "northern_territories",
    ]
    spans = found[found["category"] == "collective name"][["start", "end"]].to_numpy()
    assert (spans[1:, 0] >= spans[:-1, 1]).all()


def test_word_start_skip_keeps_the_same_matches():
    start = re.compile(lx.WORD_START)
    assert [m.start() for m in start.finditer(" Kurils x")] == [1, 8]
    assert [m.start() for m in start.finditer("Kurils")] == [0]
    text_ = "x_Kurils, (Southern Kurils) 2Kurils Kurils_ “Etorofu” Northern Territories'"
    for category, pattern in lx.category_patterns(LEXICON).items():
        plain = re.compile(pattern.pattern.removeprefix(lx.WORD_START), re.IGNORECASE)
        assert [m.span() for m in pattern.finditer(text_)] == [
            m.span() for m in plain.finditer(text_)
        ], category


def test_term_id_regex():
    for good in ["southern_kurils", "iturup"]:
        assert lx.TERM_ID_RE.fullmatch(good), good
    for bad in ["Southern Kurils", "1945_x", "a-b"]:
        assert not lx.TERM_ID_RE.fullmatch(bad), bad


def test_compiled_lexicon_pickles_and_keeps_order_and_twins():
    import pickle

    compiled = lx.compile_lexicon(LEXICON)
    assert [t.term_id for t in compiled.terms] == list(LEXICON["term_id"])
    assert compiled.by_id["kunashir"].side == "russian"
    assert sorted(compiled.rank, key=compiled.rank.get) == sorted(LEXICON["term_id"])
    again = pickle.loads(pickle.dumps(compiled))
    assert [p.pattern for p in again.patterns] == [p.pattern for p in compiled.patterns]
    assert [t is None for t in again.twins] == [t is None for t in compiled.twins]
    # only the naming formula (a lookahead) has no RE2 twin
    categories = list(lx.category_patterns(LEXICON))
    assert [c for c, t in zip(categories, compiled.twins, strict=True) if t is None] == [
        "naming formula"
    ]


@pytest.mark.parametrize(
    ("text_", "safe"),
    [
        ("Southern Kurils “quoted” Russia’s — 2+2", True),
        ("tab\tand\nlines", True),
        ("café", False),  # a non-ASCII word character: \\w and \\b differ
        ("a\u00a0b", False),  # non-ASCII white space: \\s differs
        ("\u212auril", False),  # Kelvin sign: Python folds it to k
        ("\x1f", False),
        ("\x0b", False),
    ],
)
def test_re2_safe_texts(text_, safe):
    assert lx.re2_safe(text_) is safe, repr(text_)


def test_re2_twin_refuses_what_it_would_read_differently():
    assert lx.re2_twin(r"(?P<a>\bkurils\b)") is not None
    for pattern in [r"(?P<a>x(?=y))", r"(?P<a>(?<=y)x)", r"(?P<a>x$)", r"(?P<a>[[:alpha:]])"]:
        assert lx.re2_twin(pattern) is None, pattern
