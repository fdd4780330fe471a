"""Serving benchmark: `zoo serve` throughput against in-process `Zoo.encode`.

Mixed FLORES dev sentences (English, Uzbek, Kazakh, Turkish, and German, which has no
pack and takes the fallback) from the package's guard sets. In one run it measures
in-process ``Zoo.encode`` (one call over all texts, before and after the server runs),
then a `zoo serve` subprocess with 1, 8 and 32 concurrent clients using the official
``openai`` client (``--per-request`` texts per request), and prints texts/s, p50/p99
request latency and the ratio server / in-process. Run it with OMP_NUM_THREADS=1 so
both sides get the same single compute thread:

    OMP_NUM_THREADS=1 python benchmarks/bench_serve.py            # installed packs
    OMP_NUM_THREADS=1 python benchmarks/bench_serve.py --packs none
"""

from __future__ import annotations

import argparse
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

LANGS = ("eng_Latn", "uzn_Latn", "kaz_Cyrl", "tur_Latn", "deu_Latn")
GUARD = Path(__file__).resolve().parents[1] / "langzoo" / "data" / "guard_sets" / "flores_dev"


def load_texts(per_lang: int) -> list[str]:
    texts = []
    for lang in LANGS:
        rows = (GUARD / lang / "dev.tsv").read_text(encoding="utf-8").splitlines()[1:]
        texts += [r.split("\t", 2)[2] for r in rows[:per_lang]]
    order = np.random.default_rng(0).permutation(len(texts))
    return [texts[i] for i in order]


def start_server(packs: str, port: int, max_wait_ms: float) -> subprocess.Popen:
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    cmd = [sys.executable, "-m", "langzoo.cli", "serve", "--port", str(port), "--packs", packs,
           "--max-wait-ms", str(max_wait_ms)]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def wait_ready(url: str, proc: subprocess.Popen, timeout: float = 300) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stderr.read()[-2000:]}")
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit("server did not become ready")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process (Linux /proc), to see how many cores it used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_clients(url: str, texts: list[str], clients: int, per_request: int):
    """Texts/s, request latencies and the vectors in input order."""
    import openai

    work: queue.Queue = queue.Queue()
    for start in range(0, len(texts), per_request):
        work.put(start)
    latencies: list[float] = []
    out = np.zeros((len(texts), 0), np.float32)
    results: dict[int, np.ndarray] = {}
    lock = threading.Lock()

    def client():
        api = openai.OpenAI(base_url=url + "/v1", api_key="unused", max_retries=0, timeout=600)
        while True:
            try:
                start = work.get_nowait()
            except queue.Empty:
                return
            t0 = time.perf_counter()
            reply = api.embeddings.create(model="langzoo", input=texts[start:start + per_request])
            took = time.perf_counter() - t0
            with lock:
                latencies.append(took)
                results[start] = np.array([d.embedding for d in reply.data], np.float32)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    out = np.concatenate([results[s] for s in sorted(results)])
    return len(texts) / wall, np.array(latencies), out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--packs", default="installed", help="what the zoo loads: installed (default), none, or codes")
    ap.add_argument("--per-lang", type=int, default=99, help="FLORES dev sentences per language (max 99)")
    ap.add_argument("--per-request", type=int, default=8, help="texts per request (default 8)")
    ap.add_argument("--clients", default="1,8,32")
    ap.add_argument("--max-wait-ms", type=float, default=5.0)
    args = ap.parse_args()

    import torch

    from langzoo.runtime.zoo import Zoo
    from langzoo.serve.config import parse_packs

    threads = int(os.environ.get("OMP_NUM_THREADS") or 1)
    torch.set_num_threads(threads)
    texts = load_texts(args.per_lang)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    proc = start_server(args.packs, port, args.max_wait_ms)
    try:
        zoo = Zoo.load(languages=parse_packs(args.packs))
        zoo.encode(texts[:50], show_progress_bar=False)  # attach packs, load LID
        print(f"{len(texts)} texts, {len(LANGS)} languages, packs: {', '.join(zoo.languages) or 'none'}; "
              f"torch threads {threads}; {args.per_request} texts per request")

        def in_process() -> float:
            t0, cpu0 = time.perf_counter(), time.process_time()
            vectors = zoo.encode(texts, batch_size=32, show_progress_bar=False)
            in_process.vectors = vectors
            wall = time.perf_counter() - t0
            print(f"in-process Zoo.encode: {len(texts) / wall:.1f} texts/s  CPU "
                  f"{(time.process_time() - cpu0) / wall:.2f} cores")
            in_process.per_cpu.append(len(texts) / (time.process_time() - cpu0))
            return len(texts) / wall

        in_process.per_cpu = []

        wait_ready(url, proc)  # the server's loading must not share the CPU with the measurement
        before = in_process()
        run_clients(url, texts[:64], 4, args.per_request)  # warm-up: packs attached, LID loaded
        rows = []
        for n in [int(x) for x in args.clients.split(",")]:
            cpu0, wall0 = cpu_seconds(proc.pid), time.perf_counter()
            rate, lat, got = run_clients(url, texts, n, args.per_request)
            cores = (cpu_seconds(proc.pid) - cpu0) / (time.perf_counter() - wall0)
            diff = float(np.abs(got - in_process.vectors).max())
            rows.append((n, rate, rate / cores))  # texts per CPU-second of the server
            print(f"server, {n:2d} client(s): {rate:7.1f} texts/s  p50 {np.percentile(lat, 50) * 1000:7.1f} ms  "
                  f"p99 {np.percentile(lat, 99) * 1000:7.1f} ms  server CPU {cores:.2f} cores  "
                  f"(max |diff| vs in-process {diff:.1e})")
        after = in_process()
        base = (before + after) / 2
        print(f"in-process mean: {base:.1f} texts/s")
        per_cpu = sum(in_process.per_cpu) / len(in_process.per_cpu)
        # On a shared machine the CPU share each side gets moves the wall-clock ratio; texts
        # per CPU-second of the serving process shows the server's own overhead.
        for n, rate, rate_cpu in rows:
            print(f"server/in-process ratio, {n:2d} client(s): {rate / base:.2f} (texts/s), "
                  f"{rate_cpu / per_cpu:.2f} (texts per CPU-second)")
    finally:
        proc.terminate()
        proc.wait(60)
    return 0


if __name__ == "__main__":
    sys.exit(main())
