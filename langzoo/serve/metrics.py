"""Counters and histograms rendered in the Prometheus text exposition format.

Written here (about 80 lines) instead of depending on prometheus_client: the server
needs a handful of series and no registry machinery.
"""

from __future__ import annotations

import threading

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048)


def _labels(labels: dict[str, str]) -> str:
    if not labels:
        return ""
    esc = (str(v).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"') for v in labels.values())
    return "{" + ",".join(f'{k}="{v}"' for k, v in zip(labels, esc)) + "}"


class _Histogram:
    def __init__(self, buckets):
        self.buckets = tuple(buckets)
        self.counts = [0] * len(self.buckets)
        self.total = 0
        self.sum = 0.0

    def observe(self, value: float) -> None:
        self.total += 1
        self.sum += value
        for i, bound in enumerate(self.buckets):
            if value <= bound:
                self.counts[i] += 1


class Metrics:
    """Thread-safe metric store; ``render()`` gives the /metrics body."""

    def __init__(self):
        self._lock = threading.Lock()
        self._counters: dict[str, dict[tuple, float]] = {}
        self._hists: dict[str, dict[tuple, _Histogram]] = {}
        self._help: dict[str, tuple[str, str]] = {}
        self._gauges: dict[str, callable] = {}

    def describe(self, name: str, kind: str, text: str) -> None:
        self._help[name] = (kind, text)

    def inc(self, name: str, value: float = 1, **labels) -> None:
        key = tuple(sorted(labels.items()))
        with self._lock:
            series = self._counters.setdefault(name, {})
            series[key] = series.get(key, 0) + value

    def observe(self, name: str, value: float, buckets=LATENCY_BUCKETS, **labels) -> None:
        key = tuple(sorted(labels.items()))
        with self._lock:
            series = self._hists.setdefault(name, {})
            series.setdefault(key, _Histogram(buckets)).observe(value)

    def gauge(self, name: str, read) -> None:
        """A gauge whose value is read when rendered (e.g. the queue depth)."""
        self._gauges[name] = read

    def counter_value(self, name: str, **labels) -> float:
        with self._lock:
            return self._counters.get(name, {}).get(tuple(sorted(labels.items())), 0)

    def render(self) -> str:
        lines: list[str] = []
        with self._lock:
            for name in sorted(set(self._counters) | set(self._hists) | set(self._gauges)):
                kind, text = self._help.get(name, ("untyped", name))
                lines += [f"# HELP {name} {text}", f"# TYPE {name} {kind}"]
                for key, value in sorted(self._counters.get(name, {}).items()):
                    lines.append(f"{name}{_labels(dict(key))} {value:g}")
                for key, hist in sorted(self._hists.get(name, {}).items()):
                    labels = dict(key)
                    for bound, count in zip(hist.buckets, hist.counts):
                        lines.append(f"{name}_bucket{_labels({**labels, 'le': f'{bound:g}'})} {count}")
                    lines.append(f"{name}_bucket{_labels({**labels, 'le': '+Inf'})} {hist.total}")
                    lines.append(f"{name}_sum{_labels(labels)} {hist.sum:.6f}")
                    lines.append(f"{name}_count{_labels(labels)} {hist.total}")
                if name in self._gauges:
                    lines.append(f"{name} {self._gauges[name]():g}")
        return "\n".join(lines) + "\n"
