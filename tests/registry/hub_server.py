"""A small Hugging Face Hub-compatible HTTP server for tests (stdlib only, 127.0.0.1, port 0).

It implements the endpoints that ``huggingface_hub`` 0.36 really calls for what
langzoo does, with the same shapes and headers as huggingface.co:

    POST   /api/repos/create                       create_repo (409 when it exists)
    DELETE /api/repos/delete                       delete_repo
    POST   /api/validate-yaml                      README metadata check before a commit
    GET    /api/models?author=&filter=...          list_models (all filters must be tags)
    GET    /api/models/NS/NAME[/revision/REV]      model_info / repo_info (sha, tags, siblings, cardData)
    GET    /api/models/NS/NAME/refs                list_repo_refs
    POST   /api/models/NS/NAME/preupload/REV       upload mode per file (+ remote oid, to skip unchanged files)
    POST   /NS/NAME.git/info/lfs/objects/batch     LFS batch API ("basic" transfer only: no Xet)
    PUT    /__lfs/OID  POST /__lfs/verify/OID      LFS upload (sha256-checked) and verify
    POST   /api/models/NS/NAME/commit/REV          ndjson commit (file, lfsFile, deletedFile, deletedFolder)
    POST   /api/models/NS/NAME/tag/REV             create_tag;  DELETE .../tag/TAG: delete_tag
    HEAD|GET /NS/NAME/resolve/REV/PATH             file download: X-Repo-Commit, ETag, X-Linked-Etag,
                                                   X-Linked-Size, Range; 404s carry X-Error-Code

Xet is never advertised (no X-Xet-* headers, the LFS batch answer picks "basic"), so the
client uses plain LFS even with hf-xet installed. Tests can look at ``bytes_served``
(bytes of file bodies served per (repo, path)), ``requests`` and ``offered_transfers``,
and damage a stored file with ``corrupt()`` / ``restore()``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, unquote, urlsplit

import yaml

LFS_SUFFIXES = (".safetensors", ".bin", ".pt", ".npy", ".onnx", ".msgpack", ".h5", ".zip", ".gz")
LFS_THRESHOLD = 10 * 1024 * 1024


def git_blob_sha1(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(ts))


class HubError(Exception):
    def __init__(self, status: int, message: str, code: str | None = None):
        super().__init__(message)
        self.status, self.message, self.code = status, message, code


class FakeHub:
    """State + server. ``with FakeHub() as hub: hub.endpoint`` or ``start()``/``stop()``."""

    def __init__(self, token: str | None = None):
        self.token = token  # when set: writes need it, private repos are invisible without it
        self.repos: dict[str, dict] = {}
        self.blobs: dict[str, bytes] = {}  # content store: sha256 (LFS) or "git:"+sha1 (regular) -> bytes
        self.damaged: dict[str, bytes] = {}  # key -> bytes served instead of the stored ones
        self.bytes_served: Counter = Counter()  # (repo_id, path) -> bytes of GET bodies
        self.bytes_uploaded = 0
        self.requests: list[tuple[str, str]] = []
        self.offered_transfers: list[list[str]] = []
        self.lock = threading.RLock()
        self._counter = 0
        self.server: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None

    # ------------------------------------------------------------ lifecycle
    def start(self) -> "FakeHub":
        hub = self

        class Handler(_Handler):
            pass

        Handler.hub = hub
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def __enter__(self) -> "FakeHub":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def endpoint(self) -> str:
        assert self.server is not None, "server not started"
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    # ------------------------------------------------------------ test hooks
    def reset_counters(self) -> None:
        with self.lock:
            self.bytes_served.clear()
            self.requests.clear()

    def served_paths(self) -> dict[tuple[str, str], int]:
        with self.lock:
            return {k: v for k, v in self.bytes_served.items() if v}

    def file_entry(self, repo_id: str, path: str, revision: str = "main") -> dict:
        repo = self.repos[repo_id]
        return repo["commits"][self._resolve(repo, revision)]["files"][path]

    def corrupt(self, repo_id: str, path: str, revision: str = "main") -> None:
        """Serve altered bytes (same size) for a stored file, as a damaged disk or CDN would."""
        key = self.file_entry(repo_id, path, revision)["key"]
        data = bytearray(self.blobs[key])
        data[len(data) // 2] ^= 0xFF
        self.damaged[key] = bytes(data)

    def restore(self, repo_id: str, path: str, revision: str = "main") -> None:
        self.damaged.pop(self.file_entry(repo_id, path, revision)["key"], None)

    def commit_count(self, repo_id: str) -> int:
        return len(self.repos[repo_id]["commits"])

    def head(self, repo_id: str, branch: str = "main") -> str:
        return self.repos[repo_id]["branches"][branch]

    # ------------------------------------------------------------ model
    def _new_sha(self, *parts) -> str:
        self._counter += 1
        return hashlib.sha1(json.dumps([self._counter, time.time(), *parts], default=str).encode()).hexdigest()

    def _store_regular(self, data: bytes) -> dict:
        key = "git:" + git_blob_sha1(data)
        self.blobs[key] = data
        return {"key": key, "oid": git_blob_sha1(data), "size": len(data), "lfs": False}

    def _resolve(self, repo: dict, revision: str) -> str | None:
        if revision in repo["branches"]:
            return repo["branches"][revision]
        if revision in repo["tags"]:
            return repo["tags"][revision]
        if revision in repo["commits"]:
            return revision
        return None

    def _create_repo(self, repo_id: str, private: bool) -> dict:
        files = {".gitattributes": self._store_regular(b"*.safetensors filter=lfs diff=lfs merge=lfs -text\n")}
        sha = self._new_sha(repo_id)
        now = time.time()
        repo = {"id": repo_id, "private": private, "created": now,
                "commits": {sha: {"parent": None, "files": files, "message": "initial commit", "date": now}},
                "branches": {"main": sha}, "tags": {}}
        self.repos[repo_id] = repo
        return repo

    def _card_metadata(self, files: dict) -> dict:
        entry = files.get("README.md")
        if entry is None:
            return {}
        text = self.blobs[entry["key"]].decode("utf-8", "replace")
        if not text.startswith("---"):
            return {}
        try:
            meta = yaml.safe_load(text.split("---", 2)[1]) or {}
        except yaml.YAMLError:
            return {}
        return meta if isinstance(meta, dict) else {}

    def _model_info(self, repo: dict, sha: str, full: bool) -> dict:
        commit = repo["commits"][sha]
        meta = self._card_metadata(commit["files"])
        tags = list(meta.get("tags") or [])
        for extra in ([meta.get("library_name")] + _as_list(meta.get("language"))
                      + ([f"license:{meta['license']}"] if meta.get("license") else [])
                      + [f"base_model:{b}" for b in _as_list(meta.get("base_model"))]):
            if extra and extra not in tags:
                tags.append(extra)
        info = {"_id": sha[:24], "id": repo["id"], "modelId": repo["id"], "author": repo["id"].split("/")[0],
                "sha": sha, "private": repo["private"], "disabled": False, "gated": False, "downloads": 0,
                "likes": 0, "tags": tags, "library_name": meta.get("library_name"),
                "pipeline_tag": meta.get("pipeline_tag"), "createdAt": _iso(repo["created"]),
                "lastModified": _iso(commit["date"])}
        if full:
            info["cardData"] = meta
            info["siblings"] = [
                {"rfilename": path, "size": e["size"], "blobId": e["oid"] if not e["lfs"] else git_blob_sha1(
                    e["oid"].encode()), **({"lfs": {"sha256": e["oid"], "size": e["size"], "pointerSize": 134}}
                                           if e["lfs"] else {})}
                for path, e in sorted(commit["files"].items())]
        return info


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


class _Handler(BaseHTTPRequestHandler):
    hub: FakeHub
    protocol_version = "HTTP/1.0"  # one request per connection: a stopped server really refuses

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass

    # ------------------------------------------------------------ plumbing
    def do_GET(self):
        self._dispatch("GET")

    def do_HEAD(self):
        self._dispatch("HEAD")

    def do_POST(self):
        self._dispatch("POST")

    def do_PUT(self):
        self._dispatch("PUT")

    def do_DELETE(self):
        self._dispatch("DELETE")

    def _dispatch(self, method: str) -> None:
        url = urlsplit(self.path)
        parts = [unquote(p) for p in url.path.split("/")[1:]]
        self.query = parse_qs(url.query)
        with self.hub.lock:
            self.hub.requests.append((method, url.path))
        try:
            self._route(method, parts)
        except HubError as exc:
            self._json({"error": exc.message}, exc.status,
                       headers={"X-Error-Code": exc.code, "X-Error-Message": exc.message} if exc.code else
                       {"X-Error-Message": exc.message})

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            out = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    self.rfile.readline()
                    return bytes(out)
                out += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _json_body(self) -> dict:
        try:
            return json.loads(self._body() or b"{}")
        except json.JSONDecodeError as exc:
            raise HubError(400, f"invalid JSON body: {exc}")

    def _send(self, status: int, body: bytes = b"", content_type: str = "application/json",
              headers: dict | None = None, send_body: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            if value is not None:
                self.send_header(key, value)
        self.end_headers()
        if send_body and body:
            self.wfile.write(body)

    def _json(self, obj, status: int = 200, headers: dict | None = None, content_type: str = "application/json"):
        self._send(status, json.dumps(obj).encode(), content_type, headers)

    def _authorized(self) -> bool:
        return self.hub.token is None or self.headers.get("Authorization") == f"Bearer {self.hub.token}"

    def _require_write(self) -> None:
        if not self._authorized():
            raise HubError(401, "Invalid credentials in Authorization header")

    def _repo(self, repo_id: str) -> dict:
        repo = self.hub.repos.get(repo_id)
        if repo is None or (repo["private"] and not self._authorized()):
            raise HubError(404, f"Repository Not Found for url: {self.path}.", "RepoNotFound")
        return repo

    def _rev(self, repo: dict, revision: str) -> str:
        sha = self.hub._resolve(repo, revision)
        if sha is None:
            raise HubError(404, f"Invalid rev id: {revision}", "RevisionNotFound")
        return sha

    # ------------------------------------------------------------ routes
    def _route(self, method: str, p: list[str]) -> None:
        hub = self.hub
        if p == ["api", "repos", "create"] and method == "POST":
            return self._repos_create()
        if p == ["api", "repos", "delete"] and method == "DELETE":
            return self._repos_delete()
        if p == ["api", "validate-yaml"] and method == "POST":
            return self._validate_yaml()
        if p == ["api", "models"] and method == "GET":
            return self._search()
        if len(p) >= 4 and p[:2] == ["api", "models"]:
            repo_id = f"{p[2]}/{p[3]}"
            rest = p[4:]
            with hub.lock:
                repo = self._repo(repo_id)
                if method == "GET" and not rest:
                    return self._json(hub._model_info(repo, repo["branches"]["main"], full=True))
                if method == "GET" and rest[:1] == ["revision"] and len(rest) >= 2:
                    return self._json(hub._model_info(repo, self._rev(repo, "/".join(rest[1:])), full=True))
                if method == "GET" and rest == ["refs"]:
                    return self._refs(repo)
                if method == "POST" and rest[:1] == ["preupload"]:
                    return self._preupload(repo, "/".join(rest[1:]))
                if method == "POST" and rest[:1] == ["commit"]:
                    return self._commit(repo, "/".join(rest[1:]))
                if method == "POST" and rest[:1] == ["tag"]:
                    return self._tag(repo, "/".join(rest[1:]))
                if method == "DELETE" and rest[:1] == ["tag"]:
                    return self._delete_tag(repo, "/".join(rest[1:]))
        if len(p) == 6 and p[1].endswith(".git") and p[2:] == ["info", "lfs", "objects", "batch"]:
            return self._lfs_batch(f"{p[0]}/{p[1][:-4]}")
        if p[:1] == ["__lfs"]:
            if method == "PUT" and len(p) == 2:
                return self._lfs_put(p[1])
            if method == "POST" and len(p) == 3 and p[1] == "verify":
                return self._lfs_verify(p[2])
        if len(p) >= 5 and p[2] == "resolve" and method in ("GET", "HEAD"):
            return self._resolve_file(f"{p[0]}/{p[1]}", p[3], "/".join(p[4:]), method)
        raise HubError(404, f"no route for {method} {self.path}")

    def _repos_create(self) -> None:
        self._require_write()
        body = self._json_body()
        if body.get("type", "model") != "model":
            raise HubError(400, "this test hub holds model repos only")
        repo_id = f"{body['organization']}/{body['name']}" if body.get("organization") else body["name"]
        if "/" not in repo_id:
            repo_id = f"user/{repo_id}"
        with self.hub.lock:
            if repo_id in self.hub.repos:  # like huggingface.co: the 409 body still carries the url
                return self._json({"error": "You already created this model repo",
                                   "url": f"{self.hub.endpoint}/{repo_id}"}, 409)
            self.hub._create_repo(repo_id, bool(body.get("private")))
        self._json({"url": f"{self.hub.endpoint}/{repo_id}", "name": repo_id, "id": repo_id})

    def _repos_delete(self) -> None:
        self._require_write()
        body = self._json_body()
        repo_id = f"{body['organization']}/{body['name']}" if body.get("organization") else body["name"]
        with self.hub.lock:
            self._repo(repo_id)
            del self.hub.repos[repo_id]
        self._json({})

    def _validate_yaml(self) -> None:
        content = self._json_body().get("content", "")
        if content.startswith("---"):
            try:
                meta = yaml.safe_load(content.split("---", 2)[1])
            except yaml.YAMLError as exc:
                return self._json({"errors": [{"message": f"invalid YAML: {exc}"}], "warnings": []}, 400)
            if meta is not None and not isinstance(meta, dict):
                return self._json({"errors": [{"message": "metadata must be a mapping"}], "warnings": []}, 400)
        self._json({"errors": [], "warnings": []})

    def _search(self) -> None:
        filters = self.query.get("filter", [])
        author = (self.query.get("author") or [None])[0]
        search = (self.query.get("search") or [None])[0]
        out = []
        with self.hub.lock:
            for repo_id, repo in sorted(self.hub.repos.items()):
                if repo["private"] and not self._authorized():
                    continue
                if author and repo_id.split("/")[0] != author:
                    continue
                if search and search not in repo_id:
                    continue
                info = self.hub._model_info(repo, repo["branches"]["main"], full=False)
                if all(f in info["tags"] for f in filters):
                    out.append(info)
        limit = int((self.query.get("limit") or [0])[0] or 0)
        self._json(out[:limit] if limit else out)

    def _refs(self, repo: dict) -> None:
        ref = lambda name, kind, sha: {"name": name, "ref": f"refs/{kind}/{name}", "targetCommit": sha}  # noqa: E731
        self._json({"branches": [ref(n, "heads", s) for n, s in repo["branches"].items()],
                    "tags": [ref(n, "tags", s) for n, s in sorted(repo["tags"].items())],
                    "converts": [], "pullRequests": []})

    def _preupload(self, repo: dict, revision: str) -> None:
        self._require_write()
        files = self.hub.repos[repo["id"]]["commits"][self._rev(repo, revision)]["files"]
        out = []
        for f in self._json_body().get("files", []):
            sample = base64.b64decode(f.get("sample", ""))
            lfs = f["path"].endswith(LFS_SUFFIXES) or f["size"] >= LFS_THRESHOLD or b"\0" in sample
            existing = files.get(f["path"])
            oid = existing["oid"] if existing is not None and existing["lfs"] == lfs else None
            out.append({"path": f["path"], "uploadMode": "lfs" if lfs else "regular", "shouldIgnore": False,
                        "oid": oid})
        self._json({"files": out, "commitOid": repo["branches"]["main"]})

    def _lfs_batch(self, repo_id: str) -> None:
        self._require_write()
        body = self._json_body()
        with self.hub.lock:
            self._repo(repo_id)
            self.hub.offered_transfers.append(list(body.get("transfers", [])))
            objects = []
            for obj in body.get("objects", []):
                entry = {"oid": obj["oid"], "size": obj["size"], "authenticated": True}
                if obj["oid"] not in self.hub.blobs:
                    entry["actions"] = {
                        "upload": {"href": f"{self.hub.endpoint}/__lfs/{obj['oid']}", "header": {}},
                        "verify": {"href": f"{self.hub.endpoint}/__lfs/verify/{obj['oid']}", "header": {}},
                    }
                objects.append(entry)
        # "basic" even when the client offers "xet": this hub has no Xet storage.
        self._json({"transfer": "basic", "objects": objects}, content_type="application/vnd.git-lfs+json")

    def _lfs_put(self, oid: str) -> None:
        data = self._body()
        if hashlib.sha256(data).hexdigest() != oid:
            raise HubError(400, f"uploaded content does not hash to {oid}")
        with self.hub.lock:
            self.hub.blobs[oid] = data
            self.hub.bytes_uploaded += len(data)
        self._send(200)

    def _lfs_verify(self, oid: str) -> None:
        body = self._json_body()
        with self.hub.lock:
            data = self.hub.blobs.get(oid)
        if data is None or len(data) != body.get("size"):
            raise HubError(422, f"object {oid} is missing or has another size")
        self._json({})

    def _commit(self, repo: dict, revision: str) -> None:
        self._require_write()
        hub = self.hub
        branch = revision or "main"
        if branch not in repo["branches"]:
            raise HubError(404, f"Invalid rev id: {branch}", "RevisionNotFound")
        head = repo["branches"][branch]
        lines = [json.loads(line) for line in self._body().splitlines() if line.strip()]
        if not lines or lines[0].get("key") != "header":
            raise HubError(400, "commit payload must start with a header line")
        header = lines[0]["value"]
        if header.get("parentCommit") and header["parentCommit"] != head:
            raise HubError(412, "A commit has happened since. Please refresh and try again.")
        files = dict(repo["commits"][head]["files"])
        for line in lines[1:]:
            key, value = line["key"], line["value"]
            if key == "file":
                files[value["path"]] = hub._store_regular(base64.b64decode(value["content"]))
            elif key == "lfsFile":
                if value["oid"] not in hub.blobs:
                    raise HubError(422, f"LFS object {value['oid']} for {value['path']} was never uploaded")
                files[value["path"]] = {"key": value["oid"], "oid": value["oid"], "size": len(hub.blobs[value["oid"]]),
                                        "lfs": True}
            elif key == "deletedFile":
                if files.pop(value["path"], None) is None:
                    raise HubError(404, f"A file with this name doesn't exist: {value['path']}", "EntryNotFound")
            elif key == "deletedFolder":
                prefix = value["path"].rstrip("/") + "/"
                for path in [p for p in files if p.startswith(prefix)]:
                    del files[path]
            else:
                raise HubError(400, f"unknown commit operation {key!r}")
        sha = hub._new_sha(repo["id"], head, header.get("summary"))
        repo["commits"][sha] = {"parent": head, "files": files, "message": header.get("summary", ""),
                                "date": time.time()}
        repo["branches"][branch] = sha
        self._json({"commitUrl": f"{hub.endpoint}/{repo['id']}/commit/{sha}", "commitOid": sha, "success": True,
                    "pullRequestUrl": None})

    def _tag(self, repo: dict, revision: str) -> None:
        self._require_write()
        body = self._json_body()
        sha = self._rev(repo, revision)
        if body["tag"] in repo["tags"]:
            raise HubError(409, f"Tag {body['tag']} already exists")
        repo["tags"][body["tag"]] = sha
        self._json({})

    def _delete_tag(self, repo: dict, tag: str) -> None:
        self._require_write()
        if repo["tags"].pop(tag, None) is None:
            raise HubError(404, f"Invalid rev id: {tag}", "RevisionNotFound")
        self._json({})

    def _resolve_file(self, repo_id: str, revision: str, path: str, method: str) -> None:
        hub = self.hub
        with hub.lock:
            repo = self._repo(repo_id)
            sha = self._rev(repo, revision)
            entry = repo["commits"][sha]["files"].get(path)
            if entry is None:
                raise HubError(404, f"Entry not found: {path}", "EntryNotFound")
            data = hub.damaged.get(entry["key"], hub.blobs[entry["key"]])
        headers = {"X-Repo-Commit": sha, "ETag": f'"{entry["oid"]}"', "Accept-Ranges": "bytes",
                   "Content-Disposition": f"inline; filename*=UTF-8''{quote(path.split('/')[-1])}"}
        if entry["lfs"]:
            headers.update({"X-Linked-Etag": f'"{entry["oid"]}"', "X-Linked-Size": str(entry["size"])})
        status, body = 200, data
        rng = self.headers.get("Range")
        if rng and rng.startswith("bytes=") and method == "GET":
            start_s, _, end_s = rng[len("bytes="):].partition("-")
            start = int(start_s or 0)
            end = int(end_s) if end_s else len(data) - 1
            body = data[start:end + 1]
            status = 206
            headers["Content-Range"] = f"bytes {start}-{start + len(body) - 1}/{len(data)}"
        if method == "GET":
            with hub.lock:
                hub.bytes_served[(repo_id, path)] += len(body)
            self._send(status, body, "application/octet-stream", headers)
        else:
            self._send(status, body, "application/octet-stream", headers, send_body=False)
