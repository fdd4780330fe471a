"""`zoo serve`: an HTTP embedding server (OpenAI- and TEI-compatible) for a `Zoo`.

Pieces, one job each: ``requests`` (parse and check request bodies), ``batcher``
(dynamic batching across concurrent requests), ``metrics`` (Prometheus text),
``app`` (the FastAPI routes), ``config`` (what is served), ``server`` (uvicorn).
"""
