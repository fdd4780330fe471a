"""`zoo serve` as a user runs it: a subprocess pinned to two packs by a zoo.json, stopped with SIGTERM."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import numpy as np
import pytest

pytest.importorskip("fastapi")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _accepted(url: str) -> float:
    for line in httpx.get(url + "/metrics").text.splitlines():
        if line.startswith('langzoo_texts_total{endpoint="openai"}'):
            return float(line.split()[-1])
    return 0.0


def test_zoo_serve_pins_packs_and_sigterm_answers_queued_requests(tiny_base, tiny_packs, serve_zoo, tmp_path):
    from langzoo.runtime.zoo import Zoo

    # the zoo.json a deployment pins: the two packs' versions, lid.176 restricted to them
    config = Zoo.load(base=str(tiny_base), languages=[str(tiny_packs["uz"]), str(tiny_packs["kk"])],
                      lid="lid.176").save_config(tmp_path / "zoo.json")
    assert json.loads(config.read_text())["detector"]["name"] == "lid.176"
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    # a long --max-wait-ms keeps requests queued for the SIGTERM
    cmd = [sys.executable, "-m", "langzoo.cli", "serve", "--config", str(config), "--port", str(port),
           "--max-wait-ms", "8000", "--max-batch-size", "1000"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, proc.stdout.read()
            try:
                if httpx.get(url + "/health").status_code == 200:
                    break
            except httpx.ConnectError:
                pass
            assert time.monotonic() < deadline, "server did not come up"
            time.sleep(0.2)
        info = httpx.get(url + "/info").json()
        assert set(info["packs"]) == {"uzn_Latn", "kaz_Cyrl"} and info["base"] == "tiny-bert-0"
        assert info["detector"] == "lid.176" and info["transliterate"] is True
        assert info["packs"]["uzn_Latn"]["version"] and info["fingerprint"] == serve_zoo.encoder.base.fingerprint
        texts = ["bugun havo yaxshi", "мысық кілемде отыр", "it bog'da yuguradi", "жаңа терезе ашу"] * 2
        langs = ["uz", "kk", "uz", "kk"] * 2
        with ThreadPoolExecutor(8) as pool:
            futures = [pool.submit(httpx.post, url + "/v1/embeddings", json={"input": t, "lang": l}, timeout=60)
                       for t, l in zip(texts, langs)]
            while _accepted(url) < 8:  # all read and queued, waiting for the 8 s batch window
                assert not any(f.done() for f in futures)
                time.sleep(0.05)
            proc.send_signal(signal.SIGTERM)
            signalled = time.monotonic()
            replies = [f.result() for f in futures]
        assert time.monotonic() - signalled < 6  # draining encodes at once instead of waiting out the window
        assert [r.status_code for r in replies] == [200] * 8
        expected = serve_zoo.encode(texts, lang=langs)
        got = np.array([r.json()["data"][0]["embedding"] for r in replies])
        assert np.abs(got - expected).max() <= 1e-5
        # uvicorn re-raises the signal after its graceful shutdown: the exit status says SIGTERM
        assert proc.wait(60) in (0, -signal.SIGTERM)
        assert "Finished server process" in proc.stdout.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
