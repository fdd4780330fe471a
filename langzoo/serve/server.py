"""Running the app under uvicorn: in the foreground (`zoo serve`) or in a thread
(tests, benchmarks). uvicorn's own shutdown is graceful: on SIGINT/SIGTERM it stops
accepting connections, waits for the requests in flight, then runs the app's
lifespan exit, where the batcher finishes what is queued."""

from __future__ import annotations

import threading
import time

import uvicorn


class DrainingServer(uvicorn.Server):
    """uvicorn's server that, when shutdown starts, tells the app's batcher to stop
    waiting for batch company: the requests in flight are answered at once instead of
    after ``max_wait_ms`` (uvicorn runs the lifespan exit only after they finished)."""

    async def shutdown(self, sockets=None):
        batcher = getattr(getattr(self.config.app, "state", None), "batcher", None)
        if batcher is not None:
            batcher.drain()
        await super().shutdown(sockets=sockets)


def run(app, host: str = "127.0.0.1", port: int = 8000, *, log_level: str = "info",
        graceful_timeout: float | None = None) -> None:
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, access_log=False, lifespan="on",
                            timeout_graceful_shutdown=graceful_timeout)
    DrainingServer(config).run()


class ServerThread:
    """A real uvicorn server on 127.0.0.1 in a background thread; ``url`` once started.
    ``stop()`` does what SIGTERM does: a graceful shutdown."""

    def __init__(self, app, host: str = "127.0.0.1", port: int = 0, log_level: str = "warning"):
        self.server = DrainingServer(uvicorn.Config(app, host=host, port=port, log_level=log_level,
                                                    access_log=False, lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, name="langzoo-uvicorn", daemon=True)
        self.url = ""

    def start(self, timeout: float = 30.0) -> "ServerThread":
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.02)
        host, port = self.server.servers[0].sockets[0].getsockname()[:2]
        self.url = f"http://{host}:{port}"
        return self

    def stop(self, timeout: float = 60.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
