"""The development-set evaluation's own parts (the set itself stays outside the project)."""

from __future__ import annotations

import json

import pandas as pd

from wording import evaluate


def test_lexicon_with_other_sides_is_read(tmp_path):
    lexicon = tmp_path / "lexicon_reef.csv"
    lexicon.write_text(
        "term_id,side,category,pattern,note\n"
        "reef_a,westland,reef name,\\breef a\\b,x\n"
        "reef_b,japanese,reef name,\\breef b\\b,x\n",
        encoding="utf-8",
    )
    (tmp_path / "out").mkdir()
    path, note = evaluate.usable_lexicon(lexicon, tmp_path / "out")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    if note:  # while the package accepts only its own sides: a mapped copy, said so
        assert "westland" in note
        assert table["side"].tolist() == ["neutral", "japanese"]
    else:
        assert path == lexicon


def test_justext_yardstick_counts_lines(tmp_path):
    (tmp_path / "raw").mkdir()
    prose = (
        "The harbour master said on Monday that the new pier would open to ferries in the "
        "spring, after two years of work that had been delayed by storms and by a shortage of "
        "steel, and that fishermen would keep their moorings on the old quay."
    )
    (tmp_path / "raw" / "a.txt").write_text(f"Home | News | Sport\n\n{prose}\n", "utf-8")
    truth = {"a.txt": {"body_lines": [3]}}
    (tmp_path / "truth.json").write_text(json.dumps(truth), encoding="utf-8")
    counts = evaluate.justext_lines(tmp_path)
    assert counts["tp"] + counts["fn"] == 1
    assert counts["tp"] + counts["fp"] <= 2
