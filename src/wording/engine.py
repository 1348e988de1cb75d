"""Where the per-page work runs: in this process, on local worker processes (joblib's loky
backend), or on a Dask cluster. The package has no process pool of its own.

``map_ordered(func, tasks, engine)`` calls ``func(*task)`` for every task and yields the results
in the tasks' order, whichever engine ran them, so the tables never depend on the engine.

- ``Engine("joblib", jobs=N)``: loky worker processes (Linux, macOS and Windows alike; a script
  that calls the package needs no ``if __name__ == "__main__"`` guard). ``jobs=1`` runs in this
  process. Small inputs run here too: starting workers costs more than it saves.
- ``Engine("dask", scheduler="tcp://host:8786")``: the same map on a Dask cluster. Each task
  reads its pages by path, so every worker must see the corpus folder at the same path (a shared
  file system); without ``scheduler`` a ``distributed.LocalCluster`` of this machine is started.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

ENGINES = ("joblib", "dask")
# Below this many tasks, everything runs in this process (worker start-up would dominate).
MIN_PARALLEL_TASKS = 2


def cpus() -> int:
    """CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Engine:
    """How to run the per-page map: ``name`` in ENGINES; ``jobs`` local workers (None: one per
    CPU); ``scheduler``: a Dask scheduler address (dask only)."""

    name: str = "joblib"
    jobs: int | None = None
    scheduler: str | None = None

    def __post_init__(self) -> None:
        if self.name not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {self.name!r}")
        if self.scheduler and self.name != "dask":
            raise ValueError("a scheduler address goes with --engine dask")


def map_ordered(func: Callable, tasks: list[tuple], engine: Engine = Engine()) -> Iterator:
    """``func(*task)`` for each task, yielded in task order."""
    if engine.name == "dask":
        yield from _dask_map(func, tasks, engine)
        return
    jobs = engine.jobs or cpus()
    if jobs == 1 or len(tasks) < MIN_PARALLEL_TASKS:
        for task in tasks:
            yield func(*task)
        return
    from joblib import Parallel, delayed

    parallel = Parallel(n_jobs=jobs, backend="loky", return_as="generator", batch_size=1)
    yield from parallel(delayed(func)(*task) for task in tasks)


def _dask_map(func: Callable, tasks: list[tuple], engine: Engine) -> Iterable:
    from distributed import Client, LocalCluster

    cluster = None
    if engine.scheduler:
        client = Client(engine.scheduler)
    else:
        cluster = LocalCluster(
            n_workers=engine.jobs or cpus(),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
        client = Client(cluster)
    try:
        # pure=False: every task runs (two tasks with equal arguments are still two tasks).
        futures = client.map(func, *zip(*tasks, strict=True), pure=False) if tasks else []
        for future in futures:  # in task order; each is awaited in turn
            yield future.result()
            future.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
