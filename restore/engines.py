"""Where the per-document function runs: this process, a local process pool, or Dask.

Every engine runs the same function, ``work`` (for ``restore clean``,
`batch.clean_file` bound to OUTDIR and the Config), on each input, so their
outputs are identical; they differ only in where it runs. Each yields one
outcome per input, in completion order, and never raises for one input's sake:
a worker that dies or a task that fails becomes ``failed(input, reason)``.
The engines know nothing of what the work is, so batch may import them.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack
from dataclasses import replace
from typing import TypeVar

from restore.files import Input, one_line

T = TypeVar("T")
Work = Callable[[Input], T]
Failed = Callable[[Input, str], T]

ENGINES = ("local", "dask")


class EngineError(Exception):
    """The engine cannot start (Dask not installed, scheduler unreachable)."""


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived while a batch ran (``signum`` says which). A KeyboardInterrupt,
    so that a caller's handling of Ctrl-C covers both; the engines stop their workers on it."""

    def __init__(self, signum: int):
        super().__init__(f"interrupted by {signal.Signals(signum).name}")
        self.signum = signum


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """While inside, SIGINT and SIGTERM raise Interrupted in the main thread, once: a second
    signal while the batch winds down (stopping workers, removing temporary files) is
    ignored, so the winding down is not itself cut short. Elsewhere than the main thread
    (a caller's own thread) signals are left as they are."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    raised = []

    def stop(signum, _frame) -> None:
        if not raised:
            raised.append(signum)
            raise Interrupted(signum)

    previous = {sig: signal.signal(sig, stop) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _worker_start(parent: int) -> None:
    """In each pool worker: Ctrl-C (sent to the whole process group) is left to the parent,
    which stops the workers itself; SIGTERM ends a worker at once; and on Linux a worker
    gets SIGTERM when the parent dies, even by SIGKILL, so none is left orphaned."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG
            if os.getppid() != parent:  # the parent died before prctl
                os._exit(1)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End a pool's worker processes now, mid-document if need be (the batch is being
    stopped; what they were writing is under temporary names, removed after)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # no public handle before 3.14
    for process in processes:
        with contextlib.suppress(OSError, ValueError):
            process.terminate()
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            process.join(timeout=10)


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_local(
    items: list[Input], work: Work, failed: Failed, workers: int, work_here: Work | None = None
) -> Iterator[T]:
    """In this process for one worker or one input (with ``work_here`` if given: work that
    may tell this process how far it has got, which a worker process cannot); else a pool
    of worker processes.

    Each worker process loads dictionaries and models once (they are cached per
    process) and cleans many documents. If a worker process dies (killed for
    memory, say), the documents it may have held are retried one at a time in a
    fresh process, so only the one that kills its worker is reported as failed.
    """
    if workers <= 1 or len(items) <= 1:
        for item in items:
            yield (work_here or work)(item)
        return
    pending = deque(items)
    while pending:
        suspects: list[Input] = []
        yield from _pool_run(pending, work, failed, min(workers, len(pending)), suspects)
        for item in suspects:
            yield from _pool_run(deque([item]), work, failed, 1, [], alone=True)


def _pool_run(
    pending: deque[Input],
    work: Work,
    failed: Failed,
    workers: int,
    suspects: list[Input],
    alone: bool = False,
) -> Iterator[T]:
    """Run pending items on one pool until done or the pool breaks (then the
    items in flight go to suspects and the rest stay pending)."""
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_start, initargs=(os.getpid(),))
    running: dict[Future, Input] = {}
    finished = False
    try:
        while pending or running:
            while pending and len(running) < 2 * workers:
                item = pending.popleft()
                running[pool.submit(work, item)] = item
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                item = running.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    broken = True
                    if alone:
                        yield failed(item, "worker process died while cleaning it (out of memory?)")
                    else:
                        suspects.append(item)
                except Exception as error:  # the result could not come back (unpicklable, say)
                    yield failed(item, f"internal error: {one_line(error)}")
            if broken:
                suspects.extend(running.values())
                running.clear()
                return
        finished = True
    finally:
        if not finished:  # interrupted, or the caller stopped asking: no worker may outlive this
            _stop_workers(pool)
        pool.shutdown(wait=True, cancel_futures=True)


def run_dask(
    items: list[Input], work: Work, failed: Failed, workers: int, scheduler: str | None
) -> Iterator[T]:
    """On Dask: an existing cluster at ``scheduler``, or a LocalCluster of ``workers``
    single-threaded processes listening on loopback only, without a dashboard.

    Workers read inputs and write outputs themselves, so on a real cluster the
    inputs and OUTDIR must be on a file system every worker sees at the same path
    (with ``scheduler``, relative input paths are made absolute, and records name inputs so;
    the caller makes OUTDIR absolute in ``work``).
    """
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise EngineError("the dask engine needs Dask: pip install 'restore[dask]'") from None
    with ExitStack() as stack:
        try:
            if scheduler:
                client = stack.enter_context(Client(scheduler, timeout="20s"))
            else:
                cluster = stack.enter_context(
                    LocalCluster(
                        n_workers=workers,
                        threads_per_worker=1,
                        processes=True,
                        host="127.0.0.1",
                        dashboard_address=None,
                        silence_logs=logging.ERROR,
                    )
                )
                client = stack.enter_context(Client(cluster))
        except OSError as error:
            raise EngineError(f"cannot reach the Dask scheduler: {one_line(error)}") from None
        window = 2 * max(1, sum(client.nthreads().values()))
        queue = deque(items)
        owners: dict = {}
        running = as_completed()

        def submit() -> None:
            item = queue.popleft()
            task = Input(item.path.absolute(), item.relative) if scheduler else item
            future = client.submit(work, task, pure=False)
            owners[future.key] = item
            running.add(future)

        while queue and len(owners) < window:
            submit()
        try:
            for future in running:
                item = owners.pop(future.key)
                try:
                    outcome = replace(future.result(), input=item)
                except Exception as error:  # KilledWorker, a lost connection
                    outcome = failed(item, f"dask task failed: {one_line(error)}")
                future.release()
                if queue:
                    submit()
                yield outcome
        except BaseException:  # interrupted, or the caller stopped asking: cancel what is left
            with contextlib.suppress(Exception):
                client.cancel(list(running.futures))
            raise
