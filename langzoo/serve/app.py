"""The FastAPI application: routes, error bodies, metrics. Encoding happens in the
`Batcher`; nothing here touches the model."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse, Response

from langzoo.errors import LangzooError
from langzoo.serve.batcher import Batcher, Job, QueueFull, ShuttingDown
from langzoo.serve.metrics import Metrics
from langzoo.serve.requests import Limits, RequestError, parse_openai, parse_tei

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServeSettings:
    model_name: str = "langzoo"
    max_batch_size: int = 256  # texts per Zoo.encode call across requests
    max_wait_ms: float = 5.0  # how long the oldest request waits for company
    max_queue: int = 8192  # texts waiting; beyond it: 429
    max_items: int = 2048  # texts per request
    max_chars: int = 100_000  # characters per text
    max_body_bytes: int = 16 * 1024 * 1024
    request_timeout: float = 60.0  # seconds from arrival to answer; beyond it: 504
    encode_batch_size: int = 32  # forward-pass batch inside Zoo.encode

    def __post_init__(self):
        if self.max_queue < self.max_items:
            raise ValueError(f"max_queue ({self.max_queue}) must be at least max_items ({self.max_items}): "
                             "a request of max_items texts could never be queued")


def create_app(zoo, settings: ServeSettings = ServeSettings(), info: dict | None = None) -> FastAPI:
    metrics = _describe(Metrics())
    batcher = Batcher(zoo, max_batch_size=settings.max_batch_size, max_wait_ms=settings.max_wait_ms,
                      max_queue=settings.max_queue, encode_batch_size=settings.encode_batch_size, metrics=metrics)
    metrics.gauge("langzoo_queue_texts", lambda: batcher.queued_texts)
    limits = Limits(settings.max_items, settings.max_chars)
    dim = _dimension(zoo)

    @asynccontextmanager
    async def lifespan(app):
        batcher.start()
        yield
        # uvicorn calls this after the in-flight requests are answered; close() still
        # finishes anything queued before the worker stops.
        await asyncio.to_thread(batcher.close)

    app = FastAPI(title="langzoo", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.batcher, app.state.metrics, app.state.settings = batcher, metrics, settings

    async def handle(request: Request, endpoint: str, parse, render, error_body):
        started = time.perf_counter()
        status = 500
        try:
            body = await _json_body(request, settings.max_body_bytes)
            req = parse(body)
            metrics.inc("langzoo_texts_total", len(req.texts), endpoint=endpoint)
            result = await _encode(batcher, req, settings.request_timeout)
            response = render(req, result)
            status = 200
            return response
        except RequestError as exc:
            status = exc.status
            headers = {"Retry-After": "1"} if exc.status in (429, 503) else None
            return _json(error_body(exc), exc.status, headers)
        finally:
            metrics.inc("langzoo_requests_total", endpoint=endpoint, status=str(status))
            metrics.observe("langzoo_request_seconds", time.perf_counter() - started, endpoint=endpoint)

    @app.post("/v1/embeddings")
    async def openai_embeddings(request: Request):
        def render(req, result):
            data = []
            for i, vec in enumerate(result.vectors):
                emb = base64.b64encode(vec.astype("<f4").tobytes()).decode() if req.encoding_format == "base64" \
                    else vec.tolist()
                item = {"object": "embedding", "index": i, "embedding": emb}
                if result.routes is not None:
                    item["route"] = result.routes[i]
                data.append(item)
            return _json({"object": "list", "data": data, "model": settings.model_name,
                          "usage": {"prompt_tokens": result.tokens, "total_tokens": result.tokens}})

        return await handle(request, "openai", lambda b: parse_openai(b, limits, dim), render, _openai_error)

    @app.post("/embed")
    async def tei_embed(request: Request):
        def render(req, result):
            headers = {"X-Langzoo-Routes": json.dumps(result.routes)} if result.routes is not None else None
            return _json(result.vectors.tolist(), headers=headers)

        return await handle(request, "tei", lambda b: parse_tei(b, limits), render, _tei_error)

    @app.get("/health")
    async def health():
        if batcher.closing:
            return _json({"status": "shutting down"}, 503)
        return _json({"status": "ok"})

    @app.get("/info")
    async def get_info():
        return _json({**(info or {}), "model": settings.model_name, "dimension": dim,
                      "settings": asdict(settings)})

    @app.get("/v1/models")
    async def models():
        return _json({"object": "list", "data": [{"id": settings.model_name, "object": "model", "created": 0,
                                                  "owned_by": "langzoo"}]})

    @app.get("/metrics")
    async def get_metrics():
        return PlainTextResponse(metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8")

    return app


async def _json_body(request: Request, max_bytes: int):
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > max_bytes:
        raise RequestError(413, f"the request body has {length} bytes; at most {max_bytes}", code="body_too_large")
    raw = await request.body()
    if len(raw) > max_bytes:
        raise RequestError(413, f"the request body has {len(raw)} bytes; at most {max_bytes}", code="body_too_large")
    if not raw:
        raise RequestError(400, "the request body is empty: send a JSON object")
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise RequestError(400, f"the request body is not valid JSON: {exc}", code="invalid_json") from None


async def _encode(batcher: Batcher, req, timeout: float):
    job = Job(req.texts, req.langs, req.alignment, req.normalize, req.want_routes)
    try:
        future = batcher.submit(job)
    except QueueFull as exc:
        raise RequestError(429, f"server busy: {exc}; retry shortly", code="queue_full") from None
    except ShuttingDown:
        raise RequestError(503, "the server is shutting down and takes no new requests", code="shutting_down") \
            from None
    try:
        return await asyncio.wait_for(asyncio.wrap_future(future), timeout)
    except asyncio.TimeoutError:
        raise RequestError(504, f"the request was not answered within {timeout:g} s", code="timeout") from None
    except LangzooError as exc:
        raise RequestError(400, str(exc)) from None
    except Exception as exc:
        logger.exception("encoding failed")
        raise RequestError(500, f"encoding failed: {type(exc).__name__}: {exc}", code="internal_error") from None


def _dimension(zoo) -> int:
    encoder = zoo.encoder
    return int(encoder.dense[0].out_features if encoder.dense is not None else encoder.base_embeddings.weight.shape[1])


def _json(content, status: int = 200, headers: dict | None = None) -> Response:
    # json.dumps directly: FastAPI's jsonable_encoder walks every float and costs throughput.
    return Response(json.dumps(content, separators=(",", ":")), status_code=status, headers=headers,
                    media_type="application/json")


def _openai_error(exc: RequestError) -> dict:
    kind = {429: "rate_limit_error", 503: "server_error", 504: "timeout_error", 500: "server_error"}
    return {"error": {"message": exc.message, "type": kind.get(exc.status, "invalid_request_error"),
                      "param": exc.param, "code": exc.code}}


def _tei_error(exc: RequestError) -> dict:
    kind = {429: "Overloaded", 503: "Unhealthy", 504: "Backend", 500: "Backend", 413: "Validation"}
    return {"error": exc.message, "error_type": kind.get(exc.status, "Validation")}


def _describe(metrics: Metrics) -> Metrics:
    for name, kind, text in [
        ("langzoo_requests_total", "counter", "HTTP embedding requests by endpoint and status"),
        ("langzoo_texts_total", "counter", "texts received by endpoint"),
        ("langzoo_texts_routed_total", "counter", "texts encoded per route (pack language or base)"),
        ("langzoo_request_seconds", "histogram", "request latency from arrival to answer"),
        ("langzoo_batch_size_texts", "histogram", "texts per dynamic batch (one Zoo.encode call)"),
        ("langzoo_batch_requests", "histogram", "requests merged into one dynamic batch"),
        ("langzoo_encode_seconds", "histogram", "seconds per Zoo.encode call"),
        ("langzoo_queue_texts", "gauge", "texts waiting in the batching queue"),
    ]:
        metrics.describe(name, kind, text)
    return metrics
