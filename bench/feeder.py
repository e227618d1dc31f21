"""Writes an installation's series into Prometheus by remote write: first the history,
in time order, then one sample per series at every step as the clock reaches it (what
scrapes would add). Time order matters: the head refuses samples more than an hour older
than the newest sample it holds."""

from __future__ import annotations

import random
import threading
import time

from bench.history import Installation, slab
from bench.remote_write import post

STEPS_PER_SLAB = 10  # samples per series in one pass over all series
REQUEST_BYTES = 8 << 20


class Feeder:
    def __init__(self, installation: Installation, url: str, start: float, step: float, seed: int = 2) -> None:
        self.installation, self.url, self.step = installation, f"{url}/api/v1/write", step
        self.next_t = start - start % step
        self.rng = random.Random(seed)
        self.samples_written = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def write_until(self, limit: float) -> None:
        while self.next_t <= limit:
            count = min(STEPS_PER_SLAB, int((limit - self.next_t) // self.step) + 1)
            times = [self.next_t + i * self.step for i in range(count)]
            batch: list[bytes] = []
            size = 0
            for series in slab(self.installation.units, times, self.step, self.rng):
                batch.append(series)
                size += len(series)
                if size >= REQUEST_BYTES:
                    post(self.url, batch)
                    batch, size = [], 0
            if batch:
                post(self.url, batch)
            self.samples_written += count * self.installation.series
            self.next_t = times[-1] + self.step

    def catch_up(self) -> None:
        """History until now; repeated because writing it takes time too."""
        while self.next_t <= time.time():
            self.write_until(time.time())

    def start_live(self) -> None:
        self._thread = threading.Thread(target=self._live, name="live-samples", daemon=True)
        self._thread.start()

    def _live(self) -> None:
        try:
            while not self._stop.wait(max(0.0, self.next_t - time.time())):
                self.write_until(time.time())
        except BaseException as exc:  # reported by the main thread
            self.error = exc

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=60)
