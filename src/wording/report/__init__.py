"""The study's report: what the notebooks, figures and README show, from the build's tables.

One module per notebook, and the pieces they share:

- ``inputs``: ``tables_for`` (the tables a notebook reads) and ``sample_articles``;
- ``style``: the one chart style (outlet colours and order, ``save(fig, name, table)``,
  ``table_view``);
- ``corpus`` (notebook 01), ``wording`` (02), ``terminology`` (03): tables, charts and sentences;
- ``findings``: the README's generated blocks; ``render``: notebooks executed and exported.

Importing this package loads neither matplotlib nor the notebooks' modules.
"""

from wording.report.inputs import inputs_key, sample_articles, tables_for

__all__ = ["inputs_key", "sample_articles", "tables_for"]
