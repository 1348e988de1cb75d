"""Quotations, speakers and voice on synthetic texts: curly/straight quotes, apostrophes,
brackets, multi-paragraph and unbalanced quotes; properties on random text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lexicon_helpers import LEXICON, articles, mentions_of, terms_voices  # noqa: E402, F401

from wording import quotes as qt
from wording import text as txt


def test_curly_and_straight_quotes_give_the_same_voice():
    curly = "“We will settle the Northern Territories issue,” Abe said of the Southern Kurils."
    straight = '"We will settle the Northern Territories issue," Abe said of the Southern Kurils.'
    for text in (curly, straight):
        found = mentions_of(text)
        assert list(zip(found["term_id"], found["voice"], found["speaker"], strict=True)) == [
            ("northern_territories", "quoted", "Abe"),
            ("southern_kurils", "editorial", ""),
        ], text


def test_apostrophes_are_not_quotes():
    text = (
        "Addressing the leaders’ talks, Russia’s envoy spoke of the Southern Kurils. "
        "Japan's view of the Northern Territories’ status differs."
    )
    assert terms_voices(text) == [
        ("southern_kurils", "editorial"),
        ("northern_territories", "editorial"),
    ]
    assert qt.quote_spans(text).empty


def test_single_quotes_when_clearly_a_quotation():
    text = "He called the Kuril Islands ‘Russia’s forever, the Southern Kurils’ in a speech."
    assert terms_voices(text) == [("kuril_islands", "editorial"), ("southern_kurils", "quoted")]


def test_quotation_spanning_sentences():
    text = (
        'Nikkei also wrote that "Tokyo wants a treaty. It wants the Northern Territories back. '
        'Talks go on." The Kuril Islands remain disputed.'
    )
    found = mentions_of(text)
    assert list(zip(found["term_id"], found["voice"], found["speaker"], strict=True)) == [
        ("northern_territories", "quoted", "Nikkei"),
        ("kuril_islands", "editorial", ""),
    ]


def test_multi_paragraph_quotation():
    text = (
        'The minister said: "We want progress on the Northern Territories this year.\n\n'
        '"The Southern Kurils, as Moscow calls them, are our land," he added.\n\n'
        "The Kuril Islands were not on the agenda."
    )
    assert terms_voices(text) == [
        ("northern_territories", "quoted"),
        ("southern_kurils", "quoted"),
        ("kuril_islands", "editorial"),
    ]
    spans = qt.quote_spans(text)
    assert len(spans) == 1 and spans["closed"].iat[0]


def test_unbalanced_quote_ends_with_its_paragraph_and_never_raises():
    text = (
        '"The Northern Territories must return, the official said of the talks.\n\n'
        "The Southern Kurils stay Russian, Moscow said."
    )
    assert terms_voices(text) == [
        ("northern_territories", "quoted"),
        ("southern_kurils", "editorial"),
    ]
    spans = qt.quote_spans(text)
    assert not spans["closed"].iat[0]
    for odd in ['"', "” “", 'a "b" c "', "‘", "’’’", '"[', '["]"', '""""\n\n"']:
        qt.quote_spans(odd)


def test_adjacent_quotes_with_speakers_before_and_after():
    # the TASS pattern: `...Territories." "Abe and Putin ...," the newspaper added.`
    text = (
        'Nikkei also wrote that "Tokyo hopes to settle the Northern Territories issue." '
        '"Former residents of the Russia-controlled islands may visit," the newspaper added.'
    )
    spans = qt.quote_spans(text)
    assert list(spans["speaker"]) == ["Nikkei", "the newspaper"]
    assert list(spans["speaker_basis"]) == ["before", "after"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ('"The Kurils are ours and will stay ours," Lavrov told reporters.', "Lavrov"),
        (
            '"The Kurils are ours and will stay ours," said Russian Foreign Minister Lavrov.',
            "Russian Foreign Minister Lavrov",
        ),
        (
            '"The Kurils are ours and will stay ours," a Russian diplomat said.',
            "a Russian diplomat",
        ),
        ('According to Kyodo, "the Kurils are ours and will stay ours."', "Kyodo"),
        ('Lavrov said: "The Kurils are ours and will stay ours."', "Lavrov"),
        ('"The Kurils are ours," he said. "They will stay ours forever."', "he"),
        ('Lavrov said the islands were "ours and will stay ours forever".', "Lavrov"),
    ],
)
def test_speaker_attribution(text, speaker):
    spans = qt.quote_spans(text)
    assert set(spans["speaker"]) == {speaker}, text
    assert set(spans["kind"]) == {"direct"}


def test_short_unattributed_quotes_are_scare_quotes_and_editorial():
    text = (
        'Ministers met in the "2+2" format. The previous "two-plus-two" meeting was held. '
        "Kishida wants a “speedy manner” on the “Southern Kurils” question."
    )
    spans = qt.quote_spans(text)
    assert list(spans["kind"]) == ["scare"] * 4
    found = mentions_of(text)
    assert list(zip(found["term_id"], found["voice"], found["quote_kind"], strict=True)) == [
        ("southern_kurils", "editorial", "scare")
    ]
    # four words, or an attributed speaker, make it a direct quotation
    longer = mentions_of('Officials spoke of "the so-called Southern Kurils" again.')
    assert list(longer["voice"]) == ["quoted"]
    attributed = mentions_of('"Northern Territories," Abe said.')
    assert list(zip(attributed["voice"], attributed["speaker"], strict=True)) == [("quoted", "Abe")]


def test_square_brackets_inside_a_quote_are_editorial_outside_are_not_special():
    text = (
        '"We discussed the northern territories [Southern Kurils] issue," Kawamura said. '
        "Sputnik [Kuril Islands] wrote."
    )
    found = mentions_of(text)
    assert list(zip(found["term_id"], found["voice"], found["quote_kind"], strict=True)) == [
        ("northern_territories", "quoted", "direct"),
        ("southern_kurils", "editorial", "bracket"),
        ("kuril_islands", "editorial", "none"),
    ]


def test_case_possessive_plural_and_line_breaks():
    text = (
        "the SOUTHERN KURIL ISLAND's coast; the southern\nkurils; Kunashir's port; "
        "the Habomai islets; the Northern\u00a0Territories’ people"
    )
    assert [t for t, _ in terms_voices(text)] == [
        "southern_kurils",
        "southern_kurils",
        "kunashir",
        "habomai",
        "northern_territories",
    ]


# --- quote_spans on random text ------------------------------------------------------------------

QUOTE_ALPHABET = st.sampled_from(
    list("\"“”„«»'‘’[] \n.,:;abcXYZ") + [" said ", " told ", "\n\n", "Kurils", " Abe "]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(QUOTE_ALPHABET, max_size=60).map("".join))
def test_quote_spans_never_raise_and_are_sorted_disjoint_within_bounds(text):
    spans = qt.quote_spans(text)
    assert list(spans.columns) == qt.QUOTE_COLUMNS
    starts, ends = spans["start"].to_numpy(), spans["end"].to_numpy()
    assert ((starts >= 0) & (ends <= len(text)) & (starts < ends)).all()
    assert (starts[1:] >= ends[:-1]).all()
    assert set(spans["kind"]) <= {"direct", "scare", "bracket"}


# --- the named regexes: what each must and must not match ----------------------------------------


@pytest.mark.parametrize(
    ("regex", "must", "must_not"),
    [
        (txt.DOUBLE_QUOTE_RE, ['"', "“", "”", "«"], ["'", "’", "‘"]),
        (
            qt.BRACKET_RE,
            ["[Southern Kurils]", "[Japanese Prime Minister Shinzo]"],
            ["[a", "[a\nb]"],
        ),
        (
            qt.SPEECH_VERB_RE,
            ["said", "told", "pointed out", "wrote"],
            ["saidi", "unsaid", "claimed"],
        ),
        (qt.SPEAKER_TOKEN_RE, ["Kishida", "Japan’s", "U.S"], [",", "“", " "]),
        (qt.CONTINUATION_GAP_RE, [" he said. ", ", Kishida added, "], ["Kishida said. The "]),
    ],
)
def test_named_regexes(regex, must, must_not):
    for text in must:
        assert regex.fullmatch(text) or regex.search(text), (regex.pattern, text)
    for text in must_not:
        hit = regex.fullmatch(text) if regex is not qt.SPEECH_VERB_RE else regex.search(text)
        assert not hit, (regex.pattern, text)


@pytest.mark.parametrize(
    ("regex", "text", "expected"),
    [
        (qt.SINGLE_OPEN_RE, "‘TWO-PLUS-TWO’", [0]),
        (qt.SINGLE_OPEN_RE, "called it 'a trap'", [10]),
        (qt.SINGLE_OPEN_RE, "Russia’s leaders’ talks, don't", []),
        (qt.SINGLE_CLOSE_RE, "‘TWO-PLUS-TWO’:", [13]),
        (qt.SINGLE_CLOSE_RE, "Russia’s and don't", []),
        (qt.SINGLE_CLOSE_RE, "leaders’ talks", [7]),  # hence PLURAL_POSSESSIVE_RE
        (qt.PLURAL_POSSESSIVE_RE, "leaders’ talks", [7]),
        (qt.PLURAL_POSSESSIVE_RE, "islands’. Kurils’ And", []),
    ],
)
def test_single_quote_regexes(regex, text, expected):
    assert [m.start() for m in regex.finditer(text)] == expected


@pytest.mark.parametrize(
    ("regex", "text", "hit"),
    [
        (qt.AFTER_VERB_FIRST_RE, ", said Kishida.", True),
        (qt.AFTER_VERB_FIRST_RE, " according to the newspaper", True),
        (qt.AFTER_VERB_FIRST_RE, " meeting said", False),
        (qt.BEFORE_VERB_RE, "Nikkei also wrote that ", True),
        (qt.BEFORE_VERB_RE, "Kishida told reporters: ", True),
        (qt.BEFORE_VERB_RE, "Kawamura told Sputnik on Friday: ", True),
        (qt.BEFORE_VERB_RE, "Kishida said he intended to work in a ", False),
        (qt.ACCORDING_BEFORE_RE, "according to Nikkei, ", True),
        (qt.ACCORDING_BEFORE_RE, "according to Nikkei the talks ", False),
    ],
)
def test_attribution_regexes(regex, text, hit):
    assert bool(regex.search(text)) is hit, (regex.pattern, text)


def test_straight_quote_role_from_context_then_from_state():
    # the middle marks sit between a letter and "/": context cannot tell, the open quote can
    text = 'Both "Southern Kurils"/"Northern Territories" appear.'
    spans = qt.quote_spans(text)
    assert [text[s:e] for s, e in zip(spans["start"], spans["end"], strict=True)] == [
        '"Southern Kurils"',
        '"Northern Territories"',
    ]
    assert list(spans["closed"]) == [True, True]


def test_quotation_marks_come_from_text():
    chars = [chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000]
    openers = {c for c in chars if qt.SINGLE_OPEN_RE.match(f" {c}a", 1)}
    assert openers == set(txt.SINGLE_OPENERS)
    closers = {c for c in chars if qt.SINGLE_CLOSE_RE.match(f"a{c} ", 1)}
    assert closers == set(txt.SINGLE_CLOSERS)


def test_sentence_start_before_a_quote_uses_the_shared_sentence_end():
    # "U.S." is no sentence end (text.SENTENCE_END_RE), so the speaker keeps its title
    spans = qt.quote_spans('U.S. President Biden said: "The Kurils are ours."')
    assert list(spans["speaker"]) == ["U.S. President Biden"]
    # a sentence that ends right before the quote leaves the quote unattributed
    spans = qt.quote_spans('Kishida said so. "The Kurils are ours."')
    assert list(spans["speaker"]) == [""]


# --- properties on random text -------------------------------------------------------------------

MARKS_TEXT = st.lists(
    st.sampled_from(['"', "“", "”", "'", "‘", "’", " ", "a", "Kurils", "\n\n", ".", ","]),
    max_size=50,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(MARKS_TEXT, st.data())
def test_voices_never_raise_and_agree_with_quote_spans(text_, data):
    offsets = sorted(data.draw(st.lists(st.integers(0, max(len(text_) - 1, 0)), max_size=8)))
    found = qt.voices(text_, offsets)
    spans = qt.quote_spans(text_)
    for at, (voice, kind, speaker) in zip(offsets, found, strict=True):
        piece = spans[(spans["start"] <= at) & (at < spans["end"])]
        assert kind == (piece["kind"].iat[0] if len(piece) else "none"), (text_, at)
        assert voice == ("quoted" if kind == "direct" else "editorial")
        assert speaker == (piece["speaker"].iat[0] if kind == "direct" else "")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c", "Kurils"]), min_size=4, max_size=12), st.data())
def test_every_mention_inside_a_closed_attributed_double_quote_is_quoted(words, data):
    inner = " ".join(words)
    mark = data.draw(st.sampled_from([('"', '"'), ("“", "”"), ("«", "»")]))
    text_ = f"Lavrov said: {mark[0]}{inner}.{mark[1]} Then nothing."
    offsets = [text_.index(mark[0]) + 1 + k for k in range(len(inner))]
    assert {v for v, _, _ in qt.voices(text_, offsets)} == {"quoted"}, text_


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 9).map(lambda n: n * 2 + 1), st.sampled_from(['"', "“", "”"]))
def test_odd_numbers_of_marks_never_raise(n, mark):
    text_ = " ".join(f"{mark}Kurils" for _ in range(n))
    assert len(qt.voices(text_, list(range(0, len(text_), 3)))) == len(range(0, len(text_), 3))
