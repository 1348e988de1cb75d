"""Reading the inputs: the corpus folder, the bytes of each page, and the curated metadata CSV.

Side effects live here and in ``wording.corpus``: every other step of cleaning takes the values
read here (bytes, metadata rows) and returns values. A problem that stops the build is a
``CorpusError``; anything less is a warning row ``(file, line or None, message)``.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePath

import numpy as np
import pandas as pd

from wording import paths

# A warning about a file or a metadata line: (file, line or None, message).
WarningRow = tuple[str, int | None, str]


class CorpusError(Exception):
    """A problem that stops the build: the corpus or metadata cannot be read at all."""


@dataclass
class Decoded:
    """A page's bytes as text (LF line ends, NFC), or the reason to reject the file."""

    text: str | None
    encoding: str
    problem: str | None = None  # a reason to reject the file
    notes: list[str] = field(default_factory=list)  # warnings


# Control bytes that never occur in text (tab, LF, FF, CR and ESC-free text only).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def _looks_binary(raw: bytes) -> bool:
    sample = raw[:8192]
    if b"\x00" in sample:
        return True
    control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return control > max(8, len(sample) // 50)


_CYRILLIC_WORD = re.compile(r"[\u0400-\u04FF]{2,}")
_ACCENTED_WORD = re.compile(r"[A-Za-z\u00C0-\u00FF]*[\u00C0-\u00FF][A-Za-z\u00C0-\u00FF]*")


def decode_page(raw: bytes) -> Decoded:
    """Decode a page's bytes: UTF-8 (BOM allowed), else Windows-1251 or Windows-1252 by content.

    Line ends become LF. A legacy encoding is a warning, not a rejection: the guess is written down.
    """
    if not raw.strip():
        return Decoded(None, "", "empty or whitespace-only file: nothing to analyse; remove it")
    if _looks_binary(raw):
        return Decoded(
            None, "", "binary file (NUL or control bytes), not text: export the page as plain text"
        )
    notes: list[str] = []
    try:
        text = raw.decode("utf-8-sig")
        encoding = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
    except UnicodeDecodeError:
        # Score the two usual legacy code pages by how many decoded non-ASCII characters are letters
        # of the script each implies; Cyrillic text decoded as 1252 gives accented Latin gibberish.
        cyr = raw.decode("cp1251", errors="replace")
        lat = raw.decode("cp1252", errors="replace")
        # Cyrillic read as 1252 becomes runs of accented letters ("Èçâåñòèÿ"); real Latin-1 text
        # has accents inside otherwise ASCII words ("café"). Score each reading by what it implies.
        cyr_score = sum(len(w) for w in _CYRILLIC_WORD.findall(cyr))
        lat_score = sum(
            sum(ord(c) > 127 for c in w)
            for w in _ACCENTED_WORD.findall(lat)
            if sum(c.isascii() for c in w) >= sum(ord(c) > 127 for c in w)
        )
        if cyr_score > lat_score:
            text, encoding = cyr, "windows-1251"
        else:
            text, encoding = lat, "windows-1252"
        notes.append(
            f"not UTF-8: decoded as {encoding} (guessed from its characters); "
            "re-save the file as UTF-8 to be sure"
        )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    if text.count("\ufffd") > 0:
        notes.append(f"{text.count(chr(0xFFFD))} undecodable characters replaced by U+FFFD")
    if not text.strip():
        return Decoded(None, encoding, "whitespace-only file after decoding: remove it")
    return Decoded(text, encoding, None, notes)


METADATA_COLUMNS = ("file", "outlet", "date", "date_basis", "url", "sha256", "headline", "notes")


def read_metadata(path: Path) -> tuple[pd.DataFrame, list[WarningRow]]:
    """Read curated metadata; return rows keyed by file and warnings (file, line, message).

    Stops (CorpusError) only when the file cannot be read or has no ``file`` column.
    """
    warnings: list[WarningRow] = []
    label = paths.display(path)
    if not Path(path).is_file():
        raise CorpusError(f"metadata file {label} not found: pass --metadata PATH or omit it")
    try:
        meta = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except Exception as exc:  # pandas raises several types for a broken CSV
        raise CorpusError(f"metadata file {label} is not a readable CSV ({exc})") from exc
    meta.columns = [c.strip() for c in meta.columns]
    # Line ends inside a quoted cell become LF, as in pages: no table text holds a bare CR,
    # which a CSV reader would take for the end of a row.
    meta = meta.apply(lambda column: column.str.replace("\r\n", "\n").str.replace("\r", "\n"))
    if "file" not in meta.columns:
        raise CorpusError(
            f"metadata file {label} has no 'file' column (it has: {', '.join(meta.columns)}); "
            "add a 'file' column naming each page's file"
        )
    unknown = [c for c in meta.columns if c not in METADATA_COLUMNS]
    if unknown:
        warnings.append(
            (
                label,
                None,
                f"unknown column(s) ignored: {', '.join(unknown)} "
                f"(known: {', '.join(METADATA_COLUMNS)})",
            )
        )
    for col in METADATA_COLUMNS:
        if col not in meta.columns:
            meta[col] = ""
    meta["line"] = np.arange(2, len(meta) + 2)  # header is line 1
    meta["file"] = meta["file"].str.strip()
    dup = meta["file"].duplicated(keep="first") & (meta["file"] != "")
    for row in meta[dup].itertuples():
        warnings.append((label, row.line, f"second row for {row.file} ignored (first row kept)"))
    blank = meta["file"] == ""
    for row in meta[blank].itertuples():
        warnings.append((label, row.line, "row with an empty 'file' ignored"))
    meta = meta[~dup & ~blank]
    return meta[[*METADATA_COLUMNS, "line"]].set_index("file", drop=False), warnings


def valid_iso_date(value: str) -> date | None:
    """The date a curated ISO ``YYYY-MM-DD`` value names, or None if it is malformed."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def is_page_name(name: str) -> bool:
    """Is the file named ``name`` one page to read (``.txt``, or ``.html``/``.htm``, which
    ``wording.inputs.html_page`` reads)? Tables and archives are expanded by ``wording.inputs``."""
    return PurePath(name).suffix.lower() in (".txt", ".html", ".htm")


def list_pages(corpus_dir: Path) -> list[Path]:
    """Every regular, non-hidden file directly in ``corpus_dir``, sorted by name."""
    return [Path(corpus_dir) / name for name in scan_folder(corpus_dir)[0]]


def scan_folder(corpus_dir: Path) -> tuple[list[str], list[str], list[str]]:
    """Names of the pages, subfolders and hidden files directly in ``corpus_dir``, each sorted.

    One ``os.scandir`` pass: the directory entries tell files from folders without a ``stat``
    call per file (100,000 pages list in a fraction of a second).
    """
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus folder {corpus_dir} does not exist or is not a folder")
    pages, folders, hidden = [], [], []
    with os.scandir(corpus_dir) as entries:
        for entry in entries:
            if entry.is_dir():
                folders.append(entry.name)
            elif entry.name.startswith("."):
                hidden.append(entry.name)
            elif entry.is_file():
                pages.append(entry.name)
    return sorted(pages), sorted(folders), sorted(hidden)


def checksums(files: Iterable[Path]) -> pd.DataFrame:
    """SHA-256 of each file's bytes, for the curated metadata and for readers to verify."""
    return pd.DataFrame(
        [(Path(f).name, hashlib.sha256(Path(f).read_bytes()).hexdigest()) for f in files],
        columns=["file", "sha256"],
    )


def empty_metadata() -> pd.DataFrame:
    """The metadata table of a corpus read without a metadata file: no rows, every column."""
    return pd.DataFrame(columns=[*METADATA_COLUMNS, "line"]).set_index("file")


# A curated window for an undated article: "between 2017-03-01 and 2017-03-31".
_RANGE_RE = re.compile(r"between (\d{4}-\d{2}-\d{2}) and (\d{4}-\d{2}-\d{2})")


def resolve_date(
    row: dict | None, page_date: date | None, date_stamp: str, name: str, meta_label: str
) -> tuple[dict[str, str], list[WarningRow]]:
    """The article's date fields (date, date_basis, date_earliest, date_latest) and warnings.

    A valid curated date (metadata ``row``) wins, with its basis; else the page's own date stamp
    (``page_date`` parsed from ``date_stamp``); else no date, with the curated basis and any
    'between YYYY-MM-DD and YYYY-MM-DD' window it gives.
    """
    warnings: list[WarningRow] = []
    fields = {"date": "", "date_basis": "", "date_earliest": "", "date_latest": ""}
    curated = row["date"].strip() if row is not None else ""
    if curated and (valid := valid_iso_date(curated)):
        fields["date"] = valid.isoformat()
        fields["date_basis"] = (
            row["date_basis"].strip() or f"curated ({meta_label}), no basis given"
        )
        if not row["date_basis"].strip():
            warnings.append(
                (meta_label, int(row["line"]), f"{name}: date given without a date_basis")
            )
        return fields, warnings
    if curated:
        warnings.append(
            (
                meta_label,
                int(row["line"]),
                f"{name}: malformed date '{curated}' ignored "
                "(use ISO YYYY-MM-DD, or leave it empty and explain in date_basis)",
            )
        )
    if page_date:
        fields["date"] = page_date.isoformat()
        fields["date_basis"] = f"inferred: the page states '{date_stamp}'"
        return fields, warnings
    basis = row["date_basis"].strip() if row is not None else ""
    fields["date_basis"] = basis or "unknown: the page states no date"
    if row is not None and (m := _RANGE_RE.search(basis)):
        fields["date_earliest"], fields["date_latest"] = m.group(1), m.group(2)
    return fields, warnings


def listing_warnings(
    names: list[str], folders: list[str], hidden: list[str], meta: pd.DataFrame, meta_label: str
) -> list[WarningRow]:
    """Warnings about the folder as a whole: metadata rows naming no page in it, then the
    subfolders and hidden files it holds (not read), in name order."""
    present = set(names)
    warnings: list[WarningRow] = [
        (
            meta_label,
            row.line,
            f"metadata row for {row.file}, which is not in the corpus "
            "folder: fix the name or remove the row",
        )
        for row in meta.itertuples()
        if row.file not in present
    ]
    skipped = [(f + "/", "subfolder not read: move its pages up a level") for f in folders]
    skipped += [(h, "hidden file not read") for h in hidden]
    for name, message in sorted(skipped, key=lambda x: x[0].rstrip("/")):
        warnings.append((name, None, message))
    return warnings
