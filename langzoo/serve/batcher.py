"""Dynamic batching: texts of concurrent requests are encoded together.

Requests become ``Job``s in a bounded queue (counted in texts). One worker thread
takes the oldest job, waits at most ``max_wait_ms`` for more to arrive (up to
``max_batch_size`` texts), and encodes each group of jobs that share encode options
with one `Zoo.encode` call, which routes per text and groups by route. One worker:
a `Zoo` serialises its forward passes anyway, and batching is what buys throughput.
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading
import time
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from langzoo.serve.metrics import BATCH_BUCKETS, Metrics

logger = logging.getLogger(__name__)


class QueueFull(Exception):
    """The queue holds ``max_queue`` texts already: the client should retry later (429)."""


class ShuttingDown(Exception):
    """The server is draining and takes no new work (503)."""


@dataclass
class Job:
    texts: list[str]
    langs: list[str | None] | None = None  # one canonical code (or None: detect) per text
    alignment: bool | None = None
    normalize: bool = True
    want_routes: bool = False
    future: concurrent.futures.Future = field(default_factory=concurrent.futures.Future)
    arrived: float = field(default_factory=time.monotonic)

    @property
    def options(self) -> tuple:
        return (self.alignment, self.normalize)


@dataclass
class Result:
    vectors: np.ndarray
    routes: list[str] | None
    tokens: int


class Batcher:
    def __init__(self, zoo, *, max_batch_size: int = 256, max_wait_ms: float = 5.0, max_queue: int = 8192,
                 encode_batch_size: int = 32, metrics: Metrics | None = None):
        if max_batch_size < 1 or max_queue < 1 or max_wait_ms < 0:
            raise ValueError("max_batch_size and max_queue must be >= 1 and max_wait_ms >= 0")
        self.zoo = zoo
        self.max_batch_size = max_batch_size
        self.max_wait = max_wait_ms / 1000
        self.max_queue = max_queue
        self.encode_batch_size = encode_batch_size
        self.metrics = metrics or Metrics()
        self._queue: deque[Job] = deque()
        self._queued_texts = 0
        self._cond = threading.Condition()
        self._closing = False
        self._draining = False  # the server is stopping: encode what comes at once, wait for no company
        self._thread: threading.Thread | None = None

    @property
    def queued_texts(self) -> int:
        return self._queued_texts

    @property
    def closing(self) -> bool:
        return self._closing

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="langzoo-batcher", daemon=True)
        self._thread.start()

    def submit(self, job: Job) -> concurrent.futures.Future:
        with self._cond:
            if self._closing:
                raise ShuttingDown("the server is shutting down")
            if self._queued_texts + len(job.texts) > self.max_queue:
                raise QueueFull(f"the queue holds {self._queued_texts} of at most {self.max_queue} texts")
            self._queue.append(job)
            self._queued_texts += len(job.texts)
            self._cond.notify()
        return job.future

    def drain(self) -> None:
        """The server stopped listening: stop waiting to fill batches (requests still being
        read are taken and answered)."""
        with self._cond:
            self._draining = True
            self._cond.notify_all()

    def close(self, timeout: float | None = None) -> None:
        """Take no new jobs, finish the queued ones, stop the worker."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)

    # ------------------------------------------------------------------ worker
    def _run(self) -> None:
        while True:
            jobs = self._next_batch()
            if jobs is None:
                return
            try:
                self._process(jobs)
            except BaseException as exc:  # never let the worker die with futures left unanswered
                logger.exception("batch failed")
                for job in jobs:
                    if not job.future.done():
                        job.future.set_exception(exc)

    def _next_batch(self) -> list[Job] | None:
        with self._cond:
            while not self._queue:
                if self._closing:
                    return None
                self._cond.wait()
            deadline = self._queue[0].arrived + self.max_wait
            # Wait for more texts unless the batch is full or we are draining (finish fast).
            while self._queued_texts < self.max_batch_size and not (self._closing or self._draining):
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            jobs, total = [], 0
            while self._queue and (not jobs or total + len(self._queue[0].texts) <= self.max_batch_size):
                job = self._queue.popleft()
                self._queued_texts -= len(job.texts)
                total += len(job.texts)
                jobs.append(job)
            return jobs

    def _process(self, jobs: list[Job]) -> None:
        live = [j for j in jobs if j.future.set_running_or_notify_cancel()]  # timed-out jobs are dropped
        groups: dict[tuple, list[Job]] = {}
        for job in live:
            groups.setdefault(job.options, []).append(job)
        for group in groups.values():
            try:
                self._encode_group(group)
            except Exception:
                if len(group) == 1:
                    raise
                # One bad job must not fail the others that happened to share its batch.
                for job in group:
                    try:
                        self._encode_group([job])
                    except Exception as exc:
                        job.future.set_exception(exc)

    def _encode_group(self, jobs: list[Job]) -> None:
        texts = [t for j in jobs for t in j.texts]
        langs = [c for j in jobs for c in (j.langs or [None] * len(j.texts))]
        alignment, normalize = jobs[0].options
        started = time.perf_counter()
        vectors = self.zoo.encode(texts, lang=langs, batch_size=self.encode_batch_size, show_progress_bar=False,
                                  normalize_embeddings=normalize, alignment=alignment)
        routes_used = dict(self.zoo.last_stats.routes)
        want = any(j.want_routes for j in jobs)
        routes = self.zoo.route(texts, langs) if want else None
        tokens = self._count_tokens(texts)
        self.metrics.observe("langzoo_batch_size_texts", len(texts), buckets=BATCH_BUCKETS)
        self.metrics.observe("langzoo_batch_requests", len(jobs), buckets=BATCH_BUCKETS)
        self.metrics.observe("langzoo_encode_seconds", time.perf_counter() - started)
        for route, n in routes_used.items():
            self.metrics.inc("langzoo_texts_routed_total", n, route=route)
        start = 0
        for job in jobs:
            end = start + len(job.texts)
            job_routes = [r or "base" for r in routes[start:end]] if job.want_routes else None
            job.future.set_result(Result(vectors[start:end], job_routes, int(tokens[start:end].sum())))
            start = end

    def _count_tokens(self, texts: list[str]) -> np.ndarray:
        """Base-tokenizer token counts (with special tokens, capped at the base's max
        length): what the OpenAI ``usage`` field reports."""
        encoder = self.zoo.encoder
        ids = encoder.base_tokenizer(texts, truncation=True, max_length=encoder.profile.max_seq_length)["input_ids"]
        return np.fromiter((len(x) for x in ids), dtype=np.int64, count=len(ids))
