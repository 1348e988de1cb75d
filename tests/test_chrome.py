"""Generic chrome: pages written for the test in the layouts of real news sites (no real page is
copied). Each test checks what ends in the body and the rule that removed the rest."""

from __future__ import annotations

import pytest

from wording import chrome, clean

P1 = "The coast guard said on Monday that two patrol boats had been sent to the reef after a storm."
P2 = "Fishermen from the nearby port said the catch had fallen sharply since the spring, they said."
P3 = "The ministry will publish its annual report on the waters next month, an official added."


def cleaned(text: str) -> clean.Page:
    return clean.clean_page(text, None)


def body(page: clean.Page) -> list[str]:
    return [t for _, t in page.paragraphs]


def rules(page: clean.Page) -> dict[str, str]:
    return {t: r for _, t, r in page.removed}


def test_portal_page_menu_repeated_headline_widgets_and_cookie_notice():
    page = cleaned(
        "Menu Content\nGo Top\n\nWorld\n\nPatrol boats sent to the reef\n\n"
        "Written: 2020-03-01 10:00:00Updated: 2020-03-01 11:00:00\n\n"
        f"Patrol boats sent to the reef\n\n{P1}\n\n{P2}\n\nEditor's Pick\n\nClose\n\n"
        "This website uses cookies to improve the service; by using it you consent to the "
        "policy of the broadcaster.\n"
    )
    assert body(page) == [P1, P2]
    assert page.headline == "Patrol boats sent to the reef"
    r = rules(page)
    assert r["Patrol boats sent to the reef"] == "repeated"
    assert r["Editor's Pick"] == "promo" and r["Close"] == "promo"


def test_feedback_box_after_the_body():
    page = cleaned(f"A headline for the test page\n\n{P1}\n\n{P2}\n\nSend Feedback\n"
                   "How can we improve?\nThanks for your feedback!\n")  # fmt: skip
    assert body(page) == [P1, P2]
    assert set(rules(page).values()) == {"feedback-widget"}


def test_captions_with_a_cue_or_a_closing_credit_and_their_copies():
    cap = "This file photo, taken on May 2, shows the patrol boat leaving port in the morning."
    credit = "A banner used by the ministry to promote the campaign. Photo credit: Ministry"
    page = cleaned(f"A headline for the test page\n\n{cap}\n{cap}\n\n{P1}\n\n{credit}\n\n{P2}\n")
    assert body(page) == [P1, P2]
    assert [r for _, _, r in page.removed] == ["caption", "repeated", "caption"]


def test_related_stories_box_inside_the_article_does_not_end_it():
    page = cleaned(
        f"A headline for the test page\n\n{P1}\n\nRelated stories\n\nBoats Return To The Reef\n"
        f"Storm Season Begins Early\n\n{P2}\n\n{P3}\n"
    )
    assert body(page) == [P1, P2, P3]
    assert rules(page)["Related stories"] == "related-link"


def test_related_stories_at_the_end_is_the_footer():
    page = cleaned(f"A headline for the test page\n\n{P1}\n\n{P2}\n\nRelated stories\n\n"
                   "Boats Return To The Reef\n")  # fmt: skip
    assert body(page) == [P1, P2]


def test_photo_credit_inside_the_body_leaves_the_paragraph_above():
    page = cleaned(
        "Boats sent to reef\n\nStaff writer, with CNA, TAIPEI\n\n"
        f"{P1}\n\n{P2}\n\nPhoto: AP\n\n{P3}\n"
    )
    assert body(page) == [P1, P2, P3]
    assert rules(page) == {"Photo: AP": "photo-credit"}


def test_photo_credit_before_the_body_makes_a_caption():
    cap = "From left, the two ministers shake hands before their talks in the capital yesterday."
    page = cleaned(f"Boats sent to reef\n\nStaff writer, with CNA, TAIPEI\n\n{cap}\n\n"
                   f"Photo: AFP\n\n{P1}\n\n{P2}\n")  # fmt: skip
    assert body(page) == [P1, P2]
    assert rules(page)[cap] == "caption"


def test_crawl_stamp_is_split_off_and_never_the_date():
    page = cleaned(f" date 2022-05-30 Photo : Agency News\n\n date 2022-05-30 {P1}\n\n{P2}\n")
    assert body(page) == [P1, P2]
    assert page.date_stamp == ""
    assert rules(page) == {"date 2022-05-30 Photo : Agency News": "photo-credit"}


def test_icon_line_donation_banner_timestamp_and_search_box():
    page = cleaned(
        "Support The Evening Courier!\n\nBegin typing your search...\n\n20:52 04.05.2023\n\n"
        f"Boats sent to the reef after storm\n\nicon bookmark-bicon bookmarkicon\n\n{P1}\n\n{P2}\n"
    )
    assert body(page) == [P1, P2]
    assert page.headline == "Boats sent to the reef after storm"
    r = rules(page)
    assert r["Support The Evening Courier!"] == "notice"
    assert r["20:52 04.05.2023"] == "timestamp"
    assert r["icon bookmark-bicon bookmarkicon"] == "icon-line"


def test_summary_repeating_the_lead_is_the_standfirst():
    lead = "Explosions were heard in the city at night as drones attacked, officials said today."
    summary = "Explosions were heard in the city at night. Air defence is working, officials say."
    page = cleaned(f"Drones attack the city\n\nCity • Agency\n\n{summary}\n\n{lead}\n\n{P2}\n")
    assert body(page) == [lead, P2]
    assert page.standfirst == summary


def test_colon_dateline_starts_the_body_below_a_summary():
    page = cleaned(f"Boats sent to reef\n\n{P2}\n\nMANILA: {P1}\n\n{P3}\n")
    assert body(page)[0] == f"MANILA: {P1}"
    assert page.standfirst == P2


@pytest.mark.parametrize(
    "line",
    [
        "Readers can subscribe to the newsletter, the company said in a statement on Monday.",
        "The council said cookies sold at the fair raised money for the lifeboat crew.",
        "Photo agencies covered the summit, which ended on Tuesday with a joint statement.",
        "Close to 500 people attended the ceremony, the organisers said.",
        "Latest figures show the catch fell by a third.",
        "Subscribe Today To Dispute Fishing Rights Over Reef",  # a Title Case headline
    ],
)
def test_sentences_that_mention_chrome_words_are_left_alone(line):
    assert chrome.line_rule(line) is None, line


def test_tag_list():
    assert chrome.line_rule("Politics | Reef | Coast guard | Fishing") in {"tag-list", None}
    assert chrome.line_rule("Tags: reef, coast guard, fishing, storms") == "promo"


def test_breadcrumb_is_not_the_headline():
    page = cleaned(
        f"Home > World > Asia Pacific\n\nBoats sent to the reef after storm\n\n{P1}\n\n{P2}\n"
    )
    assert page.headline == "Boats sent to the reef after storm"
    assert rules(page) == {"Home > World > Asia Pacific": "tag-list"}


def test_fact_box_running_into_the_body_is_body():
    page = cleaned(
        "Other names: Reef A (north); Reef B (south)\nThe parties: Westland, Eastland\n"
        f"The dispute: {P1}\n"
    )
    assert len(body(page)) == 3 and page.headline == ""


def test_colon_headline_is_still_the_headline():
    page = cleaned(f"Ministry to fishermen: Stay in port\n\n{P1}\n\n{P2}\n")
    assert page.headline == "Ministry to fishermen: Stay in port"
    assert body(page) == [P1, P2]
