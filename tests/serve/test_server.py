"""The real server on 127.0.0.1, called with the official openai client and plain HTTP."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import numpy as np
import pytest

pytest.importorskip("fastapi")
openai = pytest.importorskip("openai")

from serve_fakes import GatedZoo  # noqa: E402
from langzoo.serve.app import ServeSettings, create_app  # noqa: E402
from langzoo.serve.server import ServerThread  # noqa: E402


@pytest.fixture(scope="module")
def server(serve_zoo):
    info = {"base": serve_zoo.encoder.base.base_id, "packs": {c: {} for c in serve_zoo.languages}}
    with ServerThread(create_app(serve_zoo, ServeSettings(max_wait_ms=20), info)) as srv:
        yield srv


def _client(server):
    return openai.OpenAI(base_url=server.url + "/v1", api_key="unused", max_retries=0, timeout=30)


def test_openai_client_gets_zoo_encode_vectors_for_mixed_languages(server, serve_zoo, mixed_texts):
    expected = serve_zoo.encode(mixed_texts)
    client = _client(server)
    got = client.embeddings.create(model="langzoo", input=mixed_texts)  # the client asks for base64
    assert [d.index for d in got.data] == list(range(len(mixed_texts)))
    assert np.abs(np.array([d.embedding for d in got.data]) - expected).max() <= 1e-5
    assert got.usage.prompt_tokens >= len(mixed_texts) and got.model == "langzoo"
    as_float = client.embeddings.create(model="langzoo", input=mixed_texts, encoding_format="float")
    assert np.abs(np.array([d.embedding for d in as_float.data]) - expected).max() <= 1e-5
    one = client.embeddings.create(model="langzoo", input=mixed_texts[0])
    assert np.abs(np.array(one.data[0].embedding) - expected[0]).max() <= 1e-5


def test_lang_hints_alignment_and_routes(server, serve_zoo):
    texts = ["mushuk gilamchada o'tiribdi", "the cat sits on the mat", "die katze sitzt auf der matte"]
    client = _client(server)
    got = client.embeddings.create(model="langzoo", input=texts,
                                   extra_body={"lang": ["kk", None, None], "return_routes": True, "alignment": False})
    assert [d.model_extra["route"] for d in got.data] == ["kaz_Cyrl", "eng_Latn", "base"]
    expected = serve_zoo.encode(texts, lang=["kk", None, None], alignment=False)
    assert np.abs(np.array([d.embedding for d in got.data]) - expected).max() <= 1e-5
    assert np.abs(expected[0] - serve_zoo.encode(texts[:1])[0]).max() > 1e-3  # the hint changed the vector


def test_tei_embed_with_plain_http(server, serve_zoo, mixed_texts):
    r = httpx.post(server.url + "/embed", json={"inputs": mixed_texts, "normalize": False, "return_routes": True})
    assert r.status_code == 200, r.text
    expected = serve_zoo.encode(mixed_texts, normalize_embeddings=False)
    assert np.abs(np.array(r.json()) - expected).max() <= 1e-5
    import json

    assert json.loads(r.headers["x-langzoo-routes"]) == [r or "base" for r in serve_zoo.route(mixed_texts)]
    single = httpx.post(server.url + "/embed", json={"inputs": mixed_texts[3]})
    assert np.abs(np.array(single.json()[0]) - serve_zoo.encode(mixed_texts[3])).max() <= 1e-5


def test_fifty_concurrent_clients_get_their_own_vectors(server, serve_zoo, mixed_texts):
    expected = serve_zoo.encode(mixed_texts)
    before = _metric(server, "langzoo_batch_requests_count")

    def call(i):
        idx = [(i + k) % len(mixed_texts) for k in range(1 + i % 5)]
        with httpx.Client(timeout=60) as http:
            r = http.post(server.url + "/v1/embeddings", json={"input": [mixed_texts[j] for j in idx]})
        assert r.status_code == 200, r.text
        got = np.array([d["embedding"] for d in r.json()["data"]])
        return float(np.abs(got - expected[idx]).max())

    with ThreadPoolExecutor(50) as pool:
        errors = list(pool.map(call, range(50)))
    assert len(errors) == 50 and max(errors) <= 1e-5
    batches = _metric(server, "langzoo_batch_requests_count") - before
    assert batches < 50  # requests shared batches


def test_bad_requests_get_clear_json_errors(server):
    cases = [
        ({"input": []}, 400, "empty"),
        ({"input": ["x"] * 10_000}, 413, "at most 2048"),
        ({"input": ["ok", 7]}, 400, "input[1]' must be a string"),
        ({"input": [[1, 2, 3]]}, 400, "token arrays"),
        ({"input": "x", "lang": "klingon"}, 400, "Unknown language code 'klingon'"),
        ({"input": ["a", "b"], "lang": ["uz"]}, 400, "1 entries for 2 texts"),
        ({"input": "x", "dimensions": 8}, 400, "'dimensions' is not supported"),
        ({"input": "x", "encoding_format": "int8"}, 400, "encoding_format"),
        ({"model": "langzoo"}, 400, "'input' is required"),
        ({"input": ""}, 400, "empty"),
    ]
    for body, status, message in cases:
        r = httpx.post(server.url + "/v1/embeddings", json=body)
        assert r.status_code == status, (body, r.text)
        assert message in r.json()["error"]["message"], (body, r.text)
    r = httpx.post(server.url + "/v1/embeddings", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 400 and "not valid JSON" in r.json()["error"]["message"]
    r = httpx.post(server.url + "/embed", json={"inputs": [None]})
    assert r.status_code == 400 and "inputs[0]' must be a string, got null" in r.json()["error"]
    with pytest.raises(openai.BadRequestError, match="klingon"):
        _client(server).embeddings.create(model="langzoo", input="x", extra_body={"lang": "klingon"})
    assert httpx.post(server.url + "/v1/embeddings", json={"input": "still fine"}).status_code == 200


def test_health_info_and_prometheus_metrics(server):
    assert httpx.get(server.url + "/health").json() == {"status": "ok"}
    info = httpx.get(server.url + "/info").json()
    assert info["dimension"] == 32 and set(info["packs"]) == {"uzn_Latn", "kaz_Cyrl", "eng_Latn"}
    httpx.post(server.url + "/v1/embeddings", json={"input": ["bugun havo yaxshi"]})
    text = httpx.get(server.url + "/metrics").text
    assert "# TYPE langzoo_request_seconds histogram" in text
    assert 'langzoo_requests_total{endpoint="openai",status="200"}' in text
    assert 'langzoo_texts_routed_total{route="uzn_Latn"}' in text
    assert 'langzoo_request_seconds_bucket{endpoint="openai",le="+Inf"}' in text


def _metric(server, name):
    for line in httpx.get(server.url + "/metrics").text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    return 0.0


def _post_all(url, bodies):
    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(lambda b: httpx.post(url, json=b, timeout=60), bodies))


def test_full_queue_answers_429_and_recovers(serve_zoo):
    gated = GatedZoo(serve_zoo)
    settings = ServeSettings(max_wait_ms=0, max_queue=8, max_items=4, max_batch_size=4)
    with ServerThread(create_app(gated, settings)) as srv:
        url = srv.url + "/v1/embeddings"
        pool = ThreadPoolExecutor(4)
        first = pool.submit(httpx.post, url, json={"input": ["it bog'da yuguradi"]}, timeout=60)
        assert gated.entered.wait(30)  # the worker holds the first request
        queued = [pool.submit(httpx.post, url, json={"input": ["a dog runs"] * 4}, timeout=60) for _ in range(2)]
        _wait(lambda: srv.server.config.app.state.batcher.queued_texts == 8)
        full = httpx.post(url, json={"input": ["one more"]})
        assert full.status_code == 429 and full.headers["retry-after"] == "1"
        assert full.json()["error"]["code"] == "queue_full"
        tei = httpx.post(srv.url + "/embed", json={"inputs": ["one more"]})
        assert tei.status_code == 429 and tei.json()["error_type"] == "Overloaded"
        gated.gate.set()
        assert first.result().status_code == 200
        assert [f.result().status_code for f in queued] == [200, 200]
        assert httpx.post(url, json={"input": ["after the rush"]}).status_code == 200
        pool.shutdown()


def test_request_timeout_answers_504(serve_zoo):
    gated = GatedZoo(serve_zoo)
    with ServerThread(create_app(gated, ServeSettings(request_timeout=0.3))) as srv:
        r = httpx.post(srv.url + "/v1/embeddings", json={"input": "slow"}, timeout=30)
        assert r.status_code == 504 and "0.3 s" in r.json()["error"]["message"]
        gated.gate.set()
        assert httpx.post(srv.url + "/v1/embeddings", json={"input": "fast"}, timeout=30).status_code == 200


def test_shutdown_answers_every_accepted_request(serve_zoo, mixed_texts):
    gated = GatedZoo(serve_zoo)
    srv = ServerThread(create_app(gated, ServeSettings(max_wait_ms=0, max_batch_size=2))).start()
    url = srv.url + "/v1/embeddings"
    bodies = [{"input": [t]} for t in mixed_texts[:12]]
    results = []
    sender = threading.Thread(target=lambda: results.extend(_post_all(url, bodies)))
    sender.start()
    metrics = srv.server.config.app.state.metrics
    # All 12 requests read and queued (or held by the worker): accepted, none answered yet.
    _wait(lambda: gated.entered.is_set() and metrics.counter_value("langzoo_texts_total", endpoint="openai") == 12)
    stopper = threading.Thread(target=srv.stop)
    stopper.start()  # what SIGTERM does: stop listening, finish in-flight requests
    time.sleep(0.3)
    gated.gate.set()
    sender.join(60)
    stopper.join(60)
    assert not srv.thread.is_alive()
    assert [r.status_code for r in results] == [200] * 12
    expected = serve_zoo.encode(mixed_texts[:12])
    got = np.array([r.json()["data"][0]["embedding"] for r in results])
    assert np.abs(got - expected).max() <= 1e-5
    with pytest.raises(httpx.ConnectError):
        httpx.post(url, json={"input": "too late"})


def _wait(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.01)
