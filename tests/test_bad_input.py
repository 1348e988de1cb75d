"""Any corpus: bad input gets a clear answer naming the file, and nothing is lost."""

from __future__ import annotations

import shutil
import string
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wording import clean, cli, duplicates, outlets, pages, paths, pipeline

SEEDS = paths.corpus_dir()

ARTICLE = (
    "Japan protests Russian drills near islands\n\n"
    "TOKYO (Kyodo) -- Japan on Tuesday protested to Russia over military drills on the disputed "
    "islands off Hokkaido, the top government spokesman said.\n\n"
    "The drills on Etorofu and Kunashiri were unacceptable, he told a news conference.\n"
)


def write(folder: Path, name: str, data: str | bytes) -> Path:
    p = folder / name
    p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return p


def load(folder: Path, metadata: Path | None = None) -> pipeline.Build:
    return pipeline.run(folder, metadata)


def reason(c: pipeline.Build, file: str) -> str:
    rejected = c.tables.rejected
    rows = rejected.loc[rejected["file"] == file, "reason"]
    assert len(rows) == 1, f"{file} should be rejected once: {rejected}"
    return rows.iloc[0]


def messages(c: pipeline.Build, file: str) -> str:
    warnings = c.tables.warnings
    return " | ".join(warnings.loc[warnings["file"] == file, "message"])


def test_empty_and_whitespace_files_are_rejected(tmp_path):
    write(tmp_path, "empty.txt", b"")
    write(tmp_path, "blank.txt", " \n\t\n  \r\n")
    write(tmp_path, "good.txt", ARTICLE)
    c = load(tmp_path)
    assert "empty or whitespace-only" in reason(c, "empty.txt")
    assert "empty or whitespace-only" in reason(c, "blank.txt")
    assert c.tables.articles["file"].tolist() == ["good.txt"]
    assert c.accounting() == "3 inputs: 1 articles, 2 rejected, 0 warnings"


def test_binary_file_is_rejected(tmp_path):
    write(tmp_path, "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    c = load(tmp_path)
    assert "binary" in reason(c, "photo.txt")


def test_non_txt_file_is_rejected_not_ignored(tmp_path):
    write(tmp_path, "page.pdf", "%PDF-1.4 " + ARTICLE)
    write(tmp_path, "good.txt", ARTICLE)
    c = load(tmp_path)
    assert ".txt" in reason(c, "page.pdf")
    assert c.n_files == 2


def test_html_file_is_read_not_rejected_as_non_txt(tmp_path):
    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n") if p.strip())
    write(tmp_path, "page.html", f"<html><body><article>{paragraphs}</article></body></html>")
    c = load(tmp_path)
    assert "page.html" in set(c.tables.articles["file"])


def test_windows_1251_page_is_decoded_with_a_warning(tmp_path):
    text = ARTICLE.replace("spokesman said.", "spokesman said, citing the «Известия» report.")
    write(tmp_path, "cp1251.txt", text.encode("cp1251"))
    c = load(tmp_path)
    a = c.tables.articles.set_index("file").loc["cp1251.txt"]
    assert "«Известия»" in a["body"]
    assert a["encoding"] == "windows-1251"
    assert "windows-1251" in messages(c, "cp1251.txt")


def test_latin1_page_is_decoded_with_a_warning(tmp_path):
    text = ARTICLE.replace("the top government", "the café-loving government")
    write(tmp_path, "latin1.txt", text.encode("latin-1"))
    c = load(tmp_path)
    a = c.tables.articles.set_index("file").loc["latin1.txt"]
    assert "café-loving" in a["body"]
    assert a["encoding"] == "windows-1252"
    assert "not UTF-8" in messages(c, "latin1.txt")


def test_bom_and_crlf_are_normalised(tmp_path):
    write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + ARTICLE.replace("\n", "\r\n").encode("utf-8"))
    c = load(tmp_path)
    a = c.tables.articles.set_index("file").loc["bom.txt"]
    assert "\r" not in a["body"] and "\ufeff" not in a["headline"]
    assert a["headline"] == "Japan protests Russian drills near islands"
    assert a["encoding"] == "utf-8-sig"


def test_page_without_article_body_is_rejected(tmp_path):
    write(tmp_path, "menu.txt", "Home\nNews\nSubscribe\nShare\n0\nLog in\n")
    c = load(tmp_path)
    assert "no recognisable article body" in reason(c, "menu.txt")


def test_identical_and_near_identical_duplicates(tmp_path):
    write(tmp_path, "a.txt", ARTICLE)
    write(tmp_path, "b.txt", ARTICLE)  # the same bytes under another name
    near = ARTICLE.replace("Japan on Tuesday protested", "Japan on Tuesday formally protested")
    write(tmp_path, "c.txt", near + "\nShare\n")
    c = load(tmp_path)
    assert c.tables.articles["file"].tolist() == ["a.txt"]
    assert "duplicate of a.txt (identical text)" in reason(c, "b.txt")
    assert reason(c, "c.txt").startswith("near-duplicate of a.txt")
    assert c.accounting().startswith("3 inputs: 1 articles, 2 rejected")


def test_distinct_articles_sharing_a_paragraph_are_not_duplicates():
    c = load(SEEDS)  # the Sputnik pieces share a background paragraph, not a whole article
    assert c.tables.rejected.empty


def test_unknown_outlet_is_analysed_with_generic_rules(tmp_path):
    page = ARTICLE.replace("(Kyodo) --", "--")
    write(tmp_path, "x.txt", page)
    c = load(tmp_path)
    a = c.tables.articles.set_index("file").loc["x.txt"]
    assert a["outlet"] == "unknown"
    assert a["body"].startswith("TOKYO -- Japan on Tuesday")
    assert "not recognised" in messages(c, "x.txt")


def test_outlet_inferred_from_the_dateline(tmp_path):
    write(tmp_path, "k.txt", ARTICLE)
    c = load(tmp_path)
    a = c.tables.articles.set_index("file").loc["k.txt"]
    assert a["outlet"] == "Kyodo"
    assert a["outlet_basis"] == "inferred from the page: dateline credit '(Kyodo)'"


def metadata(tmp_path: Path, text: str) -> Path:
    p = tmp_path.parent / f"{tmp_path.name}-meta.csv"
    p.write_text(text, encoding="utf-8")
    return p


def test_metadata_problems_warn_with_file_and_line(tmp_path):
    write(tmp_path, "k.txt", ARTICLE)
    meta = metadata(
        tmp_path,
        "file,outlet,date,date_basis,colour\n"
        "k.txt,Kyodo,21/03/2017,typed by hand,red\n"
        "missing.txt,Kyodo,2017-03-21,x,blue\n",
    )
    c = load(tmp_path, meta)
    text = " | ".join(c.tables.warnings["message"])
    assert "unknown column(s) ignored: colour" in text
    assert "malformed date '21/03/2017'" in text
    assert "metadata row for missing.txt" in text
    lines = c.tables.warnings.dropna(subset=["line"])
    assert set(lines["line"].astype(int)) == {2, 3}
    a = c.tables.articles.set_index("file").loc["k.txt"]
    assert a["date"] == ""  # a malformed date is not guessed at
    assert c.accounting() == "1 inputs: 1 articles, 0 rejected, 3 warnings"


def test_metadata_without_file_column_stops_the_build(tmp_path, capsys):
    write(tmp_path, "k.txt", ARTICLE)
    meta = metadata(tmp_path, "name,outlet\nk.txt,Kyodo\n")
    with pytest.raises(pages.CorpusError, match="no 'file' column"):
        load(tmp_path, meta)
    code = cli.main(
        [
            "build",
            "--corpus",
            str(tmp_path),
            "--metadata",
            str(meta),
            "--out",
            str(tmp_path.parent / "o"),
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "no 'file' column" in err and "Traceback" not in err


def test_curated_values_win_and_say_so(tmp_path):
    write(tmp_path, "k.txt", ARTICLE)
    meta = metadata(tmp_path, "file,outlet,date,date_basis\nk.txt,NHK,2020-01-02,press release\n")
    c = load(tmp_path, meta)
    a = c.tables.articles.set_index("file").loc["k.txt"]
    assert (a["outlet"], a["date"], a["date_basis"]) == ("NHK", "2020-01-02", "press release")
    assert a["outlet_basis"].startswith("curated")
    assert "looks like Kyodo" in messages(c, "k.txt")  # a curated/inferred conflict is flagged


def test_cli_accounting_and_exit_codes(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder, "k.txt", ARTICLE)
    write(folder, "empty.txt", b"")
    out = tmp_path / "out"
    assert cli.main(["build", "--corpus", str(folder), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "2 inputs: 1 articles, 1 rejected, 0 warnings" in captured.out
    assert "rejected: empty.txt: empty or whitespace-only" in captured.err
    rejected = pd.read_csv(out / "rejected.csv")
    assert rejected["file"].tolist() == ["empty.txt"]
    assert sorted(p.name for p in folder.iterdir()) == ["empty.txt", "k.txt"]  # never written


def test_cli_no_article_at_all_exits_1(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder, "empty.txt", b"")
    assert cli.main(["build", "--corpus", str(folder), "--out", str(tmp_path / "o")]) == 1
    assert "no file yielded an article" in capsys.readouterr().err


def test_cli_missing_folder_exits_2_without_traceback(tmp_path, capsys):
    assert cli.main(["build", "--corpus", str(tmp_path / "nope"), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and "Traceback" not in err


def test_cli_broken_lexicon_exits_2_before_writing_any_table(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder, "k.txt", ARTICLE)
    lexicon = tmp_path / "lexicon.csv"
    lexicon.write_text("term_id,side\nkurils,russian\n", encoding="utf-8")  # no pattern column
    out = tmp_path / "out"
    code = cli.main(
        ["build", "--corpus", str(folder), "--lexicon", str(lexicon), "--out", str(out)]
    )
    assert code == 2
    assert "Traceback" not in capsys.readouterr().err
    assert not list(out.glob("*.csv")), "no half-built set of tables"


def test_tables_are_written_as_plain_csv_with_quotes_where_needed(tmp_path):
    table = pd.DataFrame({"a": [1, 2], "b": ["x, y", "z"], "c": [0.1234567, None]})
    path = pipeline.write_table(table, tmp_path / "t.csv")
    assert path.read_text(encoding="utf-8") == 'a,b,c\n1,"x, y",0.123457\n2,z,\n'


def test_seeds_folder_copy_runs_end_to_end_without_metadata(tmp_path, capsys):
    folder = tmp_path / "mine"
    shutil.copytree(SEEDS, folder)
    out = tmp_path / "out"
    assert cli.main(["build", "--corpus", str(folder), "--out", str(out)]) == 0
    articles = pd.read_csv(out / "articles.csv", keep_default_na=False)
    assert articles["outlet"].tolist() == ["Sputnik", "Sputnik", "Sputnik", "TASS", "Taipei Times"]
    assert (out / "term_mentions.csv").is_file() and (out / "keyness.csv").is_file()


# ----------------------------------------------------------------------------------------------
# Properties on generated pages
# ----------------------------------------------------------------------------------------------

WORDS = st.text(alphabet=string.ascii_letters + "’'-", min_size=1, max_size=9)
LINE = st.one_of(
    st.lists(WORDS, min_size=1, max_size=30).map(" ".join).map(lambda s: s + st_choice(s)),
    st.sampled_from(
        ["", "", "Subscribe", "© AFP 2023 / Somebody", "Newsfeed", "0", "Photo: AP", "Share",
         "X - Sputnik International", "TOKYO (Sputnik) — Japan said on Friday that talks go on.",
         "Comments will be moderated.", "Заголовок", "Home | News | Asia", "\u00a0", "“", "\""]
    ),
    st.text(max_size=60),
)  # fmt: skip


def st_choice(s: str) -> str:
    return "." if len(s) % 3 == 0 else ""


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(LINE, min_size=0, max_size=40),
    st.sampled_from([None, "Sputnik", "TASS", "Taipei Times"]),
)
def test_clean_page_accounts_for_every_line(lines, outlet):
    page_text = "\n".join(lines)
    page = clean.clean_page(page_text, outlets.profile_for(outlet))
    nonblank = [" ".join(x.split()) for x in page_text.split("\n") if x.split()]
    body_lines = [ln for _, t in page.paragraphs for ln in t.split("\n")]
    placed = body_lines + [page.headline, page.standfirst, page.byline_text]
    placed = [x for x in placed if x] + [t for _, t, _ in page.removed]
    assert sorted(placed) == sorted(nonblank)  # nothing lost, nothing invented
    assert {r for _, _, r in page.removed} <= clean.rule_names()  # every removal has a named rule


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.one_of(st.binary(max_size=300), st.lists(LINE, max_size=20).map("\n".join)), max_size=6
    )
)
def test_loader_accounting_always_balances(tmp_path_factory, pages):
    folder = tmp_path_factory.mktemp("gen")
    for k, page in enumerate(pages):
        write(folder, f"{k:02d}.txt", page)
    c = load(folder)
    assert len(c.tables.articles) + len(c.tables.rejected) == c.n_files == len(pages)
    assert set(c.tables.articles["file"]).isdisjoint(set(c.tables.rejected["file"]))


# ----------------------------------------------------------------------------------------------
# A folder of other outlets' pages (constructed in their layouts; see examples/other_outlets/)
# ----------------------------------------------------------------------------------------------

OTHER = paths.project_root() / "examples" / "other_outlets"


def test_other_outlets_folder_end_to_end(tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["build", "--corpus", str(OTHER), "--out", str(out)]) == 0
    assert "8 inputs: 4 articles, 4 rejected, 0 warnings" in capsys.readouterr().out
    a = pd.read_csv(out / "articles.csv", keep_default_na=False).set_index("file")
    assert a["outlet"].to_dict() == {
        "japantimes_2022-03-22.txt": "The Japan Times",
        "kyodo_2022-03-03.txt": "Kyodo",
        "nhk_2022-03-22.txt": "NHK",
        "rt_2022-03-21.txt": "RT",
    }
    assert a["date"].tolist() == ["2022-03-22", "2022-03-03", "2022-03-22", "2022-03-21"]
    assert a.loc["japantimes_2022-03-22.txt", "byline"] == "Jesse Johnson"
    assert a.loc["kyodo_2022-03-03.txt", "headline"].startswith("Japan protests Russian military")
    kyodo = a.loc["kyodo_2022-03-03.txt", "body"]
    assert kyodo.startswith("TOKYO (Kyodo) -- Japan on Thursday lodged a protest")
    assert kyodo.endswith("from signing a postwar peace treaty.")
    for chrome in ["Related coverage", "Russia suspends peace treaty talks", "Share", "10:14 JST"]:
        assert chrome not in kyodo, chrome
    assert "Follow RT on Telegram" not in a.loc["rt_2022-03-21.txt", "body"]
    assert "RELATED STORIES" not in a.loc["japantimes_2022-03-22.txt", "body"]
    rejected = pd.read_csv(out / "rejected.csv").set_index("file")["reason"]
    assert set(rejected.index) == {
        "README.md",
        "empty_download.txt",
        "kyodo_2022-03-03_copy.txt",
        "saved_as_zip.txt",
    }
    mentions = pd.read_csv(out / "term_mentions.csv", keep_default_na=False)
    rt = mentions[mentions["file"] == "rt_2022-03-21.txt"].set_index("term_id")
    assert rt.loc["southern_kurils", "voice"] == "editorial"
    assert rt.loc["handed_over_to_ussr", "voice"] == "editorial"


@pytest.fixture(scope="module")
def other_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


@pytest.mark.parametrize(
    "notebook",
    sorted((paths.project_root() / "notebooks").glob("[0-9]*.ipynb")),
    ids=lambda p: p.name,
)
def test_notebooks_rerun_on_another_corpus(notebook, tmp_path, other_cache):
    """The README's papermill command: every notebook runs on an analyst's own folder (its tables
    built once, by the first notebook, into a cache folder outside the checkout)."""
    import papermill

    papermill.execute_notebook(
        str(notebook),
        str(tmp_path / notebook.name),
        parameters={
            "corpus_dir": str(OTHER),
            "figures_dir": str(tmp_path / "figures"),
            "derived_dir": str(other_cache),
        },
        cwd=str(notebook.parent),
        kernel_name="python3",
        progress_bar=False,
    )
    assert any((tmp_path / "figures").glob("*.svg"))
    assert not any((paths.project_root() / "figures").glob("*other*"))
    builds = [p for p in other_cache.iterdir() if p.name != ".pages"]  # .pages: checksums
    assert len(builds) == 1  # one build, whichever notebook ran first


def _duplicates_by_definition(files, bodies):
    """The rule, pair by pair over every earlier article (quadratic, for checking only): an exact
    copy names the first article with the same words; any other article is a near copy of the
    earlier kept article whose 3-word shingle Jaccard similarity is highest and >= 0.8."""
    rows, first, kept, shingles = [], {}, [], []
    for k, body in enumerate(bodies):
        words = tuple(duplicates.normal_words(body))
        shingles.append(duplicates.shingle_set(body))
        if words in first:
            rows.append((files[k], files[first[words]], 1.0))
            continue
        first[words] = k
        scored = [(duplicates.jaccard(shingles[k], shingles[j]), -j) for j in kept]
        best = max((s for s in scored if s[0] >= 0.8), default=None)
        if best:
            rows.append((files[k], files[-best[1]], round(best[0], 4)))
        else:
            kept.append(k)
    return rows


def _sentence(rng, vocab):
    return " ".join(rng.choice(vocab) for _ in range(rng.randint(6, 14))).capitalize() + "."


def test_duplicate_search_matches_the_pair_by_pair_definition():
    import random

    rng = random.Random(7)
    vocab = [f"w{i}" for i in range(300)]
    boilerplate = [_sentence(rng, vocab) for _ in range(3)]  # shared by many articles
    bodies = []
    for _ in range(260):
        kind = rng.random()
        if bodies and kind < 0.1:  # an exact copy (also of a near copy)
            bodies.append(rng.choice(bodies))
        elif bodies and kind < 0.25:  # a near copy: one word changed, perhaps a sentence added
            words = rng.choice(bodies).split(" ")
            words[rng.randrange(len(words))] = rng.choice(vocab)
            bodies.append(" ".join(words) + rng.choice(["", " " + _sentence(rng, vocab)]))
        elif bodies and kind < 0.35:  # shares a third of another article's sentences
            other = rng.choice(bodies).split(". ")
            bodies.append(
                ". ".join(other[: max(1, len(other) // 3)]) + ". " + _sentence(rng, vocab)
            )
        else:
            own = [_sentence(rng, vocab) for _ in range(rng.randint(4, 12))]
            bodies.append(" ".join(own + rng.sample(boilerplate, rng.randint(0, 3))))
    files = [f"p{i:04d}.txt" for i in range(len(bodies))]
    expected = _duplicates_by_definition(files, bodies)
    shuffled = list(range(len(files)))
    rng.shuffle(shuffled)  # the input order does not matter: file names decide
    got = duplicates.find_duplicates(
        [files[i] for i in shuffled],
        [duplicates.fingerprint(bodies[i]) for i in shuffled],
        [bodies[i] for i in shuffled],
    )
    assert list(got.itertuples(index=False, name=None)) == expected
    # The sample exercises every branch: exact copies, near copies, and distinct articles.
    assert {r[2] == 1.0 for r in expected} == {True, False}
    assert len(expected) < len(files) - 100


def _article(rng, vocab, n_sentences):
    return " ".join(_sentence(rng, vocab) for _ in range(n_sentences))


def test_near_copy_with_one_sentence_changed_is_found_boilerplate_is_not():
    """80 short articles made mostly of the same 8 sentences (an outlet's standard background),
    and, after them in name order, an article and its copy with one sentence rewritten: only the
    copy is a near-duplicate, though the shared sentences fill whole bands of the signatures."""
    import random

    import numpy as np

    rng = random.Random(11)
    vocab = [f"w{i}" for i in range(2000)]
    boilerplate = _article(rng, vocab, 8)
    bodies = {f"p{i:03d}.txt": _article(rng, vocab, 3) + " " + boilerplate for i in range(80)}
    original = [_sentence(rng, vocab) for _ in range(30)]
    changed = list(original)
    changed[12] = _sentence(rng, vocab)  # one sentence rewritten
    bodies["x_a.txt"] = " ".join(original) + " " + boilerplate
    bodies["x_c.txt"] = " ".join(changed) + " " + boilerplate
    files, texts = list(bodies), list(bodies.values())
    fingerprints = [duplicates.fingerprint(b) for b in texts]
    got = duplicates.find_duplicates(files, fingerprints, texts)
    assert got["file"].tolist() == ["x_c.txt"], "x_c.txt is x_a.txt with one sentence changed"
    assert got["duplicate_of"].tolist() == ["x_a.txt"]
    a, c = duplicates.shingle_set(bodies["x_a.txt"]), duplicates.shingle_set(bodies["x_c.txt"])
    assert got["similarity"].tolist() == [round(duplicates.jaccard(a, c), 4)]
    assert 0.8 <= got["similarity"].iloc[0] < 1.0
    # The boilerplate did crowd band values past the cap, so the cap was exercised.
    signatures = np.stack([fp.minhash for fp in fingerprints])
    rows = duplicates.ROWS
    crowded = max(
        np.unique(signatures[:, t * rows : (t + 1) * rows], axis=0, return_counts=True)[1].max()
        for t in range(duplicates.BANDS)
    )
    assert crowded > duplicates.COMMON_BAND


def test_shared_boilerplate_does_not_make_candidate_pairs_quadratic():
    """1,500 articles that all carry the same 20 sentences, each with 20 of its own: every pair
    shares half its sentences, yet the candidate pairs the LSH proposes per article do not grow
    with the number of articles (all pairs would be 1,124,250), and none is a near copy."""
    import random

    import numpy as np

    rng = random.Random(3)
    vocab = [f"w{i}" for i in range(5000)]
    shared = _article(rng, vocab, 20)
    bodies = [_article(rng, vocab, 20) + " " + shared for _ in range(1500)]
    fingerprints = [duplicates.fingerprint(b) for b in bodies]
    signatures = np.stack([fp.minhash for fp in fingerprints])
    per_article = {n: len(duplicates.candidate_pairs(signatures[:n])) / n for n in (750, 1500)}
    assert per_article[1500] < 1.25 * per_article[750], per_article  # linear, not quadratic
    assert per_article[1500] <= duplicates.BANDS * duplicates.COMMON_BAND
    files = [f"p{i:04d}.txt" for i in range(len(bodies))]
    assert duplicates.find_duplicates(files, fingerprints, bodies).empty


def test_candidate_pairs_are_capped_per_band_value():
    """The bound itself: rows whose signatures are all equal pair only with the first
    COMMON_BAND rows (a band value carried by more rows is boilerplate)."""
    import numpy as np

    n = 200
    signatures = np.zeros((n, duplicates.NUM_PERM), dtype=np.uint32)
    pairs = duplicates.candidate_pairs(signatures)
    cap = duplicates.COMMON_BAND
    assert len(pairs) == cap * (cap - 1) // 2 + (n - cap) * cap
    assert pairs[:, 0].max() == cap - 1
