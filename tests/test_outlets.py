"""The outlet registry (data/outlets.csv) and the credit forms that name an outlet.

Pages here are written for the test in the layouts real sites use; no real page is copied."""

from __future__ import annotations

import pytest

from wording import outlets

BODY = (
    "Officials met on Monday to discuss the fishing quota, and both sides said talks would go on."
)


@pytest.mark.parametrize(
    ("page", "outlet", "basis"),
    [
        (f"SEOUL, March 3 (Yonhap) -- {BODY}", "Yonhap", "dateline credit '(Yonhap)'"),
        (f"Seoul, Mar 3 (IANS): {BODY}", "IANS", "dateline credit '(IANS)'"),
        (f"Matsue, Shimane Pref., (Jiji Press)—{BODY}", "Jiji", "dateline credit '(Jiji Press)'"),
        (f"WASHINGTON, March 3 (UPI) -- {BODY}", "UPI", "dateline credit '(UPI)'"),
        (f"MOSCOW, March 3. /ITAR-TASS/. {BODY}", "TASS", "dateline credit '/ITAR-TASS/'"),
        (f"MOSCOW, Feb. 1, Kyodo\n\n{BODY}", "Kyodo", "dateline credit 'Kyodo'"),
        (f"KYIV, Nov 21 — RIA Novosti. {BODY}", "RIA Novosti", "dateline credit 'RIA Novosti'"),
        (f"A headline here\n\nBy Yonhap\n\n{BODY}", "Yonhap", "byline 'Yonhap'"),
        (f"• Kyodo\n\n{BODY}", "Kyodo", "byline 'Kyodo'"),
        (f"By REUTERS\n\n{BODY}", "Reuters", "byline 'REUTERS'"),
        (f"Source:Global Times\n\n{BODY}", "Global Times", "byline 'Global Times'"),
        (f"{BODY} (Xinhua)", "Xinhua", "closing credit '(Xinhua)'"),
        (f"By: Global Times | Published: May 2, 2021\n\n{BODY}", "Global Times", "byline"),
        (f"{BODY} (China Daily)", "China Daily", "closing credit '(China Daily)'"),
        (
            f"{BODY}\n\n[Copyright The Jiji Press, Ltd.]",
            "Jiji",
            "copyright line naming 'Jiji Press'",
        ),
        (f"{BODY}\n\nAlso on rt.com Another story here", "RT", "Also on rt.com"),
        (f"{BODY}\n\nBBC News", "BBC", "a line that is only the name 'BBC News'"),
        (f"THE ASAHI SHIMBUN\n\n{BODY}", "The Asahi Shimbun", "only the name"),
        (f"© Sputnik / A. Photographer\n\n{BODY}", "Sputnik", "photo credit '© Sputnik/'"),
    ],
)
def test_credit_forms_name_the_outlet(page, outlet, basis):
    got, why = outlets.infer_outlet(page)
    assert got == outlet
    assert basis in why


def test_old_names_map_to_todays():
    assert outlets.canonical_outlet("ITAR-TASS") == "TASS"
    # RIA Novosti still publishes under its own name: not an old name of Sputnik.
    assert outlets.canonical_outlet("RIA Novosti") == "RIA Novosti"
    assert outlets.canonical_outlet("kyodo news") == "Kyodo"
    assert outlets.canonical_outlet("Nobody's Gazette") is None


@pytest.mark.parametrize(
    "page",
    [
        f"{BODY} According to Kyodo News, the talks ended early.",  # a source named in prose
        f"{BODY} The Korean Broadcasting System (KBS) said so.",  # a spelled-out abbreviation
        f"Photo by Reuters\n\n{BODY}",  # a photo credit is not a byline
        f"{BODY}\n\nTime",  # a short name in another case
    ],
)
def test_prose_mentions_do_not_name_the_outlet(page):
    assert outlets.infer_outlet(page)[0] == "unknown"


def test_wire_credit_beats_host_masthead():
    page = f"The Japan Times\n\nA headline\n\n• Kyodo\n\n{BODY}"
    assert outlets.infer_outlet(page)[0] == "Kyodo"


def test_photo_credit_is_the_weakest_marker():
    page = f"Support The Moscow Times!\n\nCaption. Someone / NEWS.ru / TASS\n\n{BODY}"
    assert outlets.infer_outlet(page)[0] == "The Moscow Times"


def test_registry_rows_and_user_markers(tmp_path):
    path = tmp_path / "outlets.csv"
    path.write_text(
        "outlet,aliases,kind,markers,note\n"
        "Harbour Herald,The Harbour Herald;HH Daily,publisher,Read more from the Herald,\n",
        encoding="utf-8",
    )
    registry = outlets.load_registry(str(path))
    assert outlets.canonical_outlet("HH Daily", registry) == "Harbour Herald"
    evidence = outlets.outlet_evidence(f"{BODY}\n\nRead more from the Herald", registry)
    assert evidence[0][3] == "Harbour Herald"
    # the seed profiles' outlets are always registered
    assert outlets.canonical_outlet("Taipei Times", registry) == "Taipei Times"


def test_literal_needle():
    assert outlets.literal_needle(r"\bAlso on rt\.com\b") == "Also on rt.com"
    assert outlets.literal_needle(r"^This story has been viewed") == "This story has been viewed"
    assert outlets.literal_needle(r"a|b") == ""
    assert outlets.literal_needle(r"\bReuters['’]? witnesses") == "Reuters"


def test_curated_alias_is_canonical():
    outlet, basis, profile, warnings = outlets.resolve_outlet(BODY, "ITAR-TASS", "meta line 2")
    assert outlet == "TASS" and profile is not None and not warnings


def test_the_registry_file_reads_the_same_for_cleaning_and_for_wording_sources():
    # One registry (data/outlets.csv), read by two modules: a malformed row must fail here.
    from wording import sources

    registry = outlets.load_registry()
    names = sources.load_outlets()
    registered = {entry.outlet for entry in registry.outlets}
    assert len(names) >= 50
    assert set(names["outlet"]) <= registered
    assert outlets.canonical_outlet("ITAR-TASS") == "TASS"
