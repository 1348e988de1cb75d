"""Where the package's worker processes come from: one fork server for every parallel stage.

Workers start from a server process that has imported the package once (the "forkserver" start
method), not by forking the analysis process: they share none of its memory (so memory tools
measure what is really used, and copy-on-write never duplicates the corpus), and the analysis
process may run threads (the build writes tables in one) without the risk that fork() copies a
lock another thread holds. Where there is no fork server (not on Linux), workers are spawned.
"""

from __future__ import annotations

import multiprocessing
import os

PRELOAD = ["wording.corpus", "wording.lexicon", "wording.compare", "wording.reuse"]


def cpus() -> int:
    """CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker_context():
    """The multiprocessing context every worker pool of the package uses."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def main_importable() -> bool:
    """Can worker processes import the main module, as multiprocessing requires? Not when it
    was read from standard input (``python - < script``): then the work runs in this process."""
    import sys

    path = getattr(sys.modules.get("__main__"), "__file__", None)
    return path is None or os.path.exists(path)
