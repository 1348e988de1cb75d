"""wording: how outlets word the same story.

Stages, one module each: ``corpus`` (pages to articles, with a cleaning audit), ``lexicon``
(contested terms and their mentions, by voice), ``compare`` (TF-IDF, keyness, similarity),
``reuse`` (passages shared between articles), ``pipeline`` (the build's tables), ``report``
(the notebooks' charts, tables and sentences) and ``cli`` (``python -m wording build``).
"""

__version__ = "0.1.0"
