"""The Hugging Face Hub registry: one model repo per (base, language) pack.

    NAMESPACE/langzoo-<base-short>-<alias>
        README.md        generated model card (metadata + human part)
        pack.json        the pack's identity: language, base, version, module content hashes
        <kind>/manifest.json, <kind>/<files>   one folder per module (embeddings, la, se, cla)

A pack version is a git tag (tag = pack version). Works against huggingface.co, a
private/self-hosted Hub-compatible endpoint (``HF_ENDPOINT``, ``HF_TOKEN``) and, for
pulls, offline from the HF cache (``HF_HUB_OFFLINE=1``).

A pull reads JSON first (pack.json, then the requested modules' manifests) and checks
the base fingerprint and the manifests' content hashes before any weight file is
fetched; then only the requested modules and those they stand on are downloaded into
the HF cache and sha256-verified. A corrupt file is evicted from the cache (so a
retry downloads it again) and reported as an IntegrityError.
"""

from __future__ import annotations

import os
import re
import threading
import warnings
from contextlib import contextmanager
from pathlib import Path

from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi, constants, hf_hub_download
from huggingface_hub.utils import (EntryNotFoundError, HfHubHTTPError, LocalEntryNotFoundError,
                                   RepositoryNotFoundError, RevisionNotFoundError)
from requests.exceptions import ConnectionError as RequestsConnectionError
from requests.exceptions import Timeout as RequestsTimeout
from tqdm.auto import tqdm

from langzoo.errors import (BaseMismatchError, IntegrityError, LangzooWarning, MissingModuleError, ModuleFormatError,
                            PackNotFoundError)
from langzoo.languages import ENGLISH, Language, resolve_language
from langzoo.modules.hashing import sha256_file
from langzoo.modules.kinds import is_module_kind, kind_names, kind_order, needs_pivot
from langzoo.modules.manifest import MANIFEST, read_manifest
from langzoo.modules.pack import PACK_FILE, LanguagePack, omission_note, read_pack_info, required_chain
from langzoo.modules.pivot import pack_pivot
from langzoo.hub_cards.render import render_card
from langzoo.registry.base import BrokenPack, PackSummary, PublishedVersion, Registry, note_broken, summarize
from langzoo.registry.errors import RegistryError, RemoteUnavailableError, VersionConflictError
from langzoo.registry.local import LocalRegistry
from langzoo.naming import (LIBRARY_TAG, base_fingerprint_tag, lang_tag, repo_name, slug,
                                     version_sort_key)

CARD = "README.md"
_COMMIT = re.compile(r"^[0-9a-f]{40}$")
_NETWORK_ERRORS = (RequestsConnectionError, RequestsTimeout)


_ENDPOINT_LOCK = threading.RLock()


@contextmanager
def _endpoint_constant(endpoint: str):
    """Set ``huggingface_hub.constants.ENDPOINT`` for the duration of one client call.

    huggingface_hub reads HF_ENDPOINT once at import: the commit URL a server returns is
    parsed against ``constants.ENDPOINT``, and ``hf_hub_download(endpoint=...)`` only
    rewrites its import-time URL template when that template starts with
    ``constants.ENDPOINT``. An endpoint chosen later (``HubRegistry(endpoint=...)``, or
    HF_ENDPOINT set after import) breaks both unless the constant says the right thing."""
    with _ENDPOINT_LOCK:
        saved = constants.ENDPOINT
        constants.ENDPOINT = endpoint
        try:
            yield
        finally:
            constants.ENDPOINT = saved


def _template_endpoint() -> str:
    """The endpoint baked into huggingface_hub's download URL template at import time."""
    from huggingface_hub import file_download

    return file_download.HUGGINGFACE_CO_URL_TEMPLATE.split("/{repo_id}")[0]


def _truthy(value: str | None) -> bool:
    return (value or "").strip().upper() in {"1", "ON", "YES", "TRUE"}


def default_hf_cache() -> Path:
    """The HF hub cache, read from the environment now (huggingface_hub reads it at import)."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser() / "hub"
    return Path(constants.HF_HUB_CACHE)


class HubRegistry(Registry):
    """Packs in the repos of one Hub namespace (user or organisation)."""

    def __init__(self, namespace: str, *, endpoint: str | None = None, token: str | None = None,
                 cache_dir: str | Path | None = None, local: LocalRegistry | None = None):
        if not namespace or "/" in namespace or not re.fullmatch(r"[\w.-]+", namespace):
            raise RegistryError(f"Invalid Hub namespace {namespace!r}: expected a user or organisation name")
        self.namespace = namespace
        self.endpoint = (endpoint or os.environ.get("HF_ENDPOINT") or constants.ENDPOINT).rstrip("/")
        self.token = token or os.environ.get("HF_TOKEN") or None
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_hf_cache()
        self.local = local
        self.api = HfApi(endpoint=self.endpoint, token=self.token)
        self._unreachable = False  # set during one pull once the endpoint failed: use the cache only
        self.broken: list[BrokenPack] = []  # what the last list() skipped, and why

    @property
    def uri(self) -> str:
        return f"hf://{self.namespace}"

    def __repr__(self) -> str:
        return f"HubRegistry({self.namespace!r}, endpoint={self.endpoint!r})"

    @property
    def offline(self) -> bool:
        """Cache only: HF_HUB_OFFLINE is set (read now, not at import) or, within a pull, the
        endpoint already proved unreachable (saves the client's ~20 s of retries per file)."""
        return _truthy(os.environ.get("HF_HUB_OFFLINE")) or bool(constants.HF_HUB_OFFLINE) or self._unreachable

    def repo_id(self, base_id: str, language: str | Language) -> str:
        return f"{self.namespace}/{repo_name(base_id, resolve_language(language))}"

    # ================================================================ publish
    def publish(self, pack_path: str | Path, *, private: bool = False, license: str | None = None,
                repo: str | None = None, base_params: int | None = None) -> PublishedVersion:
        """Publish a complete pack folder: one commit + a tag named after the pack version.
        Publishing content the repo already holds (same base, same module hashes) does nothing."""
        self._require_online("publish")
        pack = LanguagePack.load(pack_path)
        absent = [k for k in pack.info["modules"] if k not in pack.modules]
        if absent or not pack.modules:
            raise MissingModuleError(f"Pack at {pack.path} lacks module folder(s) {absent or 'all'} that its "
                                     "pack.json lists; publish a complete pack")
        repo_id = f"{self.namespace}/{repo}" if repo else self.repo_id(pack.base_id, pack.language)
        head, remote_info, tags = self._remote_state(repo_id)
        result = dict(language=pack.language.alias, location=repo_id, base_id=pack.base_id,
                      base_fingerprint=pack.base_fingerprint, modules=pack.kinds)
        if remote_info is not None:
            if remote_info["base"]["fingerprint"] != pack.base_fingerprint:
                raise RegistryError(
                    f"{repo_id} holds a pack built on another base ({remote_info['base']['id']}, "
                    f"{remote_info['base']['fingerprint'][:19]}); publish under another repo name (repo=...)")
            if remote_info["modules"] == pack.info["modules"]:  # identical content: no new commit
                return PublishedVersion(version=str(remote_info.get("version")), created=False, commit=head,
                                        url=f"{self.endpoint}/{repo_id}", **result)
        if pack.version in tags:
            raise VersionConflictError(f"{repo_id} already has version {pack.version} with other content; "
                                       "rebuild with a new version")
        card = render_card(pack, repo_id, license=license, base_params=base_params)
        ops: list = [CommitOperationAdd(CARD, str(card).encode()),
                     CommitOperationAdd(PACK_FILE, str(pack.path / PACK_FILE))]
        for kind in pack.kinds:
            for name in [MANIFEST, *pack.modules[kind].files]:
                ops.append(CommitOperationAdd(f"{kind}/{name}", str(pack.path / kind / name)))
        if head is not None:  # drop files of modules (or module files) the new build no longer has
            wanted = {op.path_in_repo for op in ops}
            remote_files = [s.rfilename for s in (self.api.repo_info(repo_id, revision=head).siblings or [])]
            ops += [CommitOperationDelete(f) for f in remote_files
                    if is_module_kind(f.split("/")[0]) and f not in wanted]
        self.api.create_repo(repo_id, private=private, exist_ok=True, repo_type="model")
        try:
            with _endpoint_constant(self.endpoint):
                commit = self.api.create_commit(
                    repo_id, ops, commit_message=f"langzoo: {pack.language.alias} pack {pack.version}",
                    commit_description=f"base {pack.base_id} ({pack.base_fingerprint}); "
                                       f"modules {', '.join(pack.kinds)}",
                    parent_commit=head)
            self.api.create_tag(repo_id, tag=pack.version, revision=commit.oid,
                                tag_message=f"langzoo pack {pack.version}")
        except HfHubHTTPError as exc:
            raise RegistryError(f"Publishing to {repo_id} failed: {exc}") from exc
        return PublishedVersion(version=pack.version, created=True, commit=commit.oid,
                                url=f"{self.endpoint}/{repo_id}", **result)

    def _remote_state(self, repo_id: str) -> tuple[str | None, dict | None, set[str]]:
        """(head commit of main, remote pack.json, tag names) — (None, None, {}) for a new repo."""
        try:
            refs = self.api.list_repo_refs(repo_id)
        except RepositoryNotFoundError:
            return None, None, set()
        except _NETWORK_ERRORS as exc:
            raise RemoteUnavailableError(f"Cannot reach {self.endpoint}: {exc}") from exc
        head = next((b.target_commit for b in refs.branches if b.name == constants.DEFAULT_REVISION), None)
        tags = {t.name for t in refs.tags}
        if head is None:
            return None, None, tags
        try:
            path = self._download(repo_id, PACK_FILE, head)
        except MissingModuleError:
            return head, None, tags
        return head, read_pack_info(Path(path).parent), tags

    # =================================================================== pull
    def pull(self, lang: str, *, modules: list[str] | None = None, revision: str | None = None,
             base_fingerprint: str | None = None, install: bool = True, repo: str | None = None) -> LanguagePack:
        """Download (or take from the HF cache) and verify ``lang``'s pack, only the requested
        modules plus what they need. ``base_fingerprint`` is the fingerprint of the base in use:
        a pack for another base is refused before any weight is downloaded.

        With ``install`` the pack is also installed into the local registry (where the runtime
        looks) and the installed copy is returned; otherwise the verified HF-cache snapshot."""
        language = resolve_language(lang)
        self._unreachable = False
        try:
            return self._pull(language, modules, revision, base_fingerprint, install, repo)
        finally:
            self._unreachable = False

    def _pull(self, language: Language, modules: list[str] | None, revision: str | None,
              base_fingerprint: str | None, install: bool, repo: str | None) -> LanguagePack:
        repo_id = f"{self.namespace}/{repo}" if repo else self._find_repo(language, base_fingerprint)
        pack_json = Path(self._download(repo_id, PACK_FILE, revision or constants.DEFAULT_REVISION))
        snapshot = pack_json.parent
        commit = snapshot.name if _COMMIT.match(snapshot.name) else revision
        info = read_pack_info(snapshot)
        if info["language"]["code"] != language.code:
            raise RegistryError(f"{repo_id} holds a {info['language']['alias']} pack, not {language.alias}")
        if base_fingerprint is not None and info["base"]["fingerprint"] != base_fingerprint:
            raise BaseMismatchError(
                f"{repo_id}@{revision or 'main'} was built on base {info['base']['id']} "
                f"({info['base']['fingerprint'][:19]}), not on the base in use ({base_fingerprint[:19]}); "
                "nothing was downloaded beyond pack.json. Use the matching base or pull another pack.")
        wanted = list(modules) if modules else list(info["modules"])
        unknown = [k for k in wanted if not is_module_kind(k)]
        if unknown:
            raise RegistryError(f"Unknown module kind(s) {unknown}; expected some of {list(kind_names())}")
        chain = kind_order({k for m in wanted for k in required_chain(m, language.code)})
        missing = [k for k in chain if k not in info["modules"]]
        if missing:
            raise MissingModuleError(f"{repo_id}@{revision or 'main'} has no module(s) {missing} "
                                     f"(it has {list(info['modules'])}){omission_note(info, missing)}")
        manifests = {}
        identity = info.get("manifest_hashes") or {}
        for kind in chain:  # all JSON, all checked, before the first weight byte
            self._download(repo_id, f"{kind}/{MANIFEST}", commit)
            manifest = read_manifest(snapshot / kind)  # refuses file names outside the format's allow-list
            if (manifest.content_hash != info["modules"][kind]
                    or manifest.base.get("fingerprint") != info["base"]["fingerprint"]
                    or manifest.lang.code != language.code
                    or (kind in identity and identity[kind] != manifest.identity_hash)):
                self._evict(snapshot / kind / MANIFEST)
                raise IntegrityError(f"{repo_id}: {kind}/{MANIFEST} does not match pack.json (content hash, base, "
                                     "language or manifest hash); the repo is inconsistent or the download was "
                                     "corrupted")
            manifests[kind] = manifest
        if install and needs_pivot(chain):  # cla was aligned to one English pack: it is a dependency
            self._pull_pivot(info, repo_id, base_fingerprint)
        files = [(kind, name, rec) for kind in chain for name, rec in manifests[kind].files.items()]
        bad = []
        for kind, name, rec in tqdm(files, desc=f"pull {language.alias}", unit="file", leave=False,
                                    disable=len(files) < 2):
            local = Path(self._download(repo_id, f"{kind}/{name}", commit))
            size = local.stat().st_size
            if size != rec.size or sha256_file(local) != rec.sha256:
                self._evict(local)
                bad.append(f"{kind}/{name}")
        if bad:
            raise IntegrityError(
                f"Downloaded file(s) {bad} of {repo_id}@{commit} do not match their manifests (sha256/size). "
                "They were removed from the cache; pull again to re-download them. If this persists the copy "
                "on the Hub is corrupt: ask the publisher to republish.")
        pack = LanguagePack.load(snapshot, base_fingerprint=info["base"]["fingerprint"], modules=chain, verify=False)
        if not install:
            return pack
        local_registry = self.local or LocalRegistry()
        local_registry.install(pack)
        return local_registry.get(language.code, base_fingerprint=pack.base_fingerprint, version=pack.version,
                                  modules=chain)

    def _pull_pivot(self, info: dict, repo_id: str, base_fingerprint: str | None) -> None:
        """Install the English pack ``info`` names as its pivot, at the version it names, and
        check it is the one (its ``se`` content hash). Packs that name no pivot (built before
        pivots were recorded) get the newest English pack for their base, with a warning."""
        if info["language"]["code"] == ENGLISH:
            return
        pivot = pack_pivot(info)
        fingerprint = base_fingerprint or info["base"]["fingerprint"]
        local = self.local or LocalRegistry()
        if pivot is None:
            try:
                english = self._pull(resolve_language(ENGLISH), ["se"], None, fingerprint, True, None)
                got = f"pulled the newest English pack ({english.version}), which may not be that one"
            except PackNotFoundError:
                got = f"{self.uri} has no English pack for its base, so English texts will use the bare base"
            warnings.warn(f"{repo_id} does not name the English pack its cla was aligned to (built before langzoo "
                          f"recorded it); {got}.", LangzooWarning, stacklevel=4)
            return
        try:
            english = local.get(ENGLISH, base_fingerprint=fingerprint, version=pivot["version"], modules=["se"])
        except PackNotFoundError:
            try:
                english = self._pull(resolve_language(ENGLISH), ["se"], pivot["version"], fingerprint, True, None)
            except PackNotFoundError as exc:
                raise PackNotFoundError(
                    f"{repo_id} was aligned to the English pack {pivot['version']}, which {self.uri} does not have "
                    f"({exc}). Ask the publisher to publish it (`zoo publish en --to {self.uri}`).") from exc
        if english.modules["se"].content_hash != pivot["se"]:
            raise IntegrityError(f"The English pack {pivot['version']} is not the pivot {repo_id} names (its se "
                                 "differs); the English pack was republished under the same version. Ask the "
                                 "publisher to republish both packs.")

    def get(self, lang: str, base_fingerprint: str | None = None, version: str | None = None,
            modules: list[str] | None = None) -> LanguagePack:
        """Pull (verified, installed locally): ``version`` is a Hub revision (tag, branch or commit)."""
        return self.pull(lang, modules=modules, revision=version, base_fingerprint=base_fingerprint)

    def resolve(self, lang: str, base_fingerprint: str | None = None, version: str | None = None) -> Path:
        """The installed copy when the local registry has it, else a pull (verified, installed)."""
        local = self.local or LocalRegistry()
        try:
            return local.resolve(lang, base_fingerprint, version)
        except PackNotFoundError:
            pass
        return Path(self.pull(lang, base_fingerprint=base_fingerprint, revision=version).path)

    # =============================================================== discover
    def list(self) -> list[PackSummary]:
        """Every pack of the namespace; a repo whose pack cannot be read is skipped with a
        warning (and kept in ``self.broken``) rather than failing the whole listing."""
        out, self.broken = [], []
        for repo_id in self._search([LIBRARY_TAG]):
            try:
                summary = self._summary(repo_id)
            except (IntegrityError, MissingModuleError, ModuleFormatError, PackNotFoundError) as exc:
                note_broken(self.broken, repo_id, exc)  # unreachable Hub (RemoteUnavailableError) still raises
                continue
            if summary is not None:
                out.append(summary)
        return out

    def info(self, lang: str) -> list[PackSummary]:
        language = resolve_language(lang)
        out = [s for r in self._candidates(language, None) if (s := self._summary(r)) is not None]
        if not out:
            raise PackNotFoundError(f"No langzoo pack for {language.alias} in {self.uri}")
        return out

    def versions(self, repo_id: str) -> list[str]:
        """Pack versions (tags) of a repo, oldest first; offline: the ones in the HF cache."""
        if self.offline:
            refs_dir = self._storage(repo_id) / "refs"
            names = [p.name for p in refs_dir.iterdir()] if refs_dir.is_dir() else []
            return sorted((n for n in names if n != constants.DEFAULT_REVISION), key=version_sort_key)
        try:
            return sorted((t.name for t in self.api.list_repo_refs(repo_id).tags), key=version_sort_key)
        except _NETWORK_ERRORS as exc:
            raise RemoteUnavailableError(f"Cannot reach {self.endpoint}: {exc}") from exc

    def _summary(self, repo_id: str) -> PackSummary | None:
        try:
            snapshot = Path(self._download(repo_id, PACK_FILE, constants.DEFAULT_REVISION)).parent
        except MissingModuleError:  # a repo tagged langzoo without a pack
            return None
        info = read_pack_info(snapshot)
        manifests = {}
        for kind in info["modules"]:
            try:
                self._download(repo_id, f"{kind}/{MANIFEST}", snapshot.name)
            except RemoteUnavailableError:
                if not self.offline:
                    raise
                continue  # offline: describe what the cache holds
            manifests[kind] = read_manifest(snapshot / kind)
        return summarize(info, manifests, self.versions(repo_id), repo_id)

    def _find_repo(self, language: Language, base_fingerprint: str | None) -> str:
        found = self._candidates(language, base_fingerprint)
        if not found:
            base = f" built on base {base_fingerprint[:19]}" if base_fingerprint else ""
            where = "in the HF cache (offline)" if self.offline else f"in {self.uri} ({self.endpoint})"
            raise PackNotFoundError(f"No langzoo pack for {language.alias}{base} {where}. "
                                    f"See what there is with `zoo list --remote {self.uri}`.")
        if len(found) > 1:
            raise RegistryError(f"{self.uri} has several {language.alias} packs ({', '.join(found)}); pass the base "
                                "fingerprint (--base-fingerprint) or the repo name to choose one")
        return found[0]

    def _candidates(self, language: Language, base_fingerprint: str | None) -> list[str]:
        tags = [LIBRARY_TAG, lang_tag(language)] + ([base_fingerprint_tag(base_fingerprint)] if base_fingerprint else [])
        if not self.offline:
            try:
                return self._search(tags)
            except RemoteUnavailableError:
                self._unreachable = True  # fall back to what the cache holds
        out = []
        suffix = f"-{slug(language.alias)}"
        for repo_id in self._cached_repos():
            if not repo_id.endswith(suffix):
                continue
            info = self._cached_pack_info(repo_id)
            if info and info["language"]["code"] == language.code and (
                    base_fingerprint is None or info["base"]["fingerprint"] == base_fingerprint):
                out.append(repo_id)
        return out

    def _search(self, tags: list[str]) -> list[str]:
        if self.offline:
            return [r for r in self._cached_repos() if self._cached_pack_info(r)]
        try:
            return sorted(m.id for m in self.api.list_models(author=self.namespace, filter=tags))
        except _NETWORK_ERRORS as exc:
            raise RemoteUnavailableError(f"Cannot reach {self.endpoint} to search {self.uri}: {exc}. "
                                         "Set HF_HUB_OFFLINE=1 to use the packs in the HF cache.") from exc

    # ================================================================ remove
    def remove(self, lang: str, version: str | None = None, base_fingerprint: str | None = None) -> list[str]:
        """Delete a version tag, or (no version) the whole repo of ``lang``'s pack on the Hub."""
        self._require_online("remove")
        repo_id = self._find_repo(resolve_language(lang), base_fingerprint)
        if version is not None:
            if version not in self.versions(repo_id):
                raise PackNotFoundError(f"{repo_id} has no version {version!r}")
            self.api.delete_tag(repo_id, tag=version)
            return [f"{repo_id}@{version}"]
        self.api.delete_repo(repo_id)
        return [repo_id]

    # ================================================================= cache
    def _download(self, repo_id: str, filename: str, revision: str | None) -> str:
        """hf_hub_download with langzoo's error messages."""
        where = f"{repo_id}@{revision or 'main'}"
        try:
            with _endpoint_constant(_template_endpoint()):  # so that endpoint= below is honoured
                return hf_hub_download(repo_id, filename, revision=revision, cache_dir=self.cache_dir,
                                       endpoint=self.endpoint, token=self.token, local_files_only=self.offline)
        except LocalEntryNotFoundError as exc:
            hint = (f"{self.endpoint} could not be reached" if self._unreachable or not self.offline
                    else "HF_HUB_OFFLINE is set; unset it to download")
            raise RemoteUnavailableError(f"{filename} of {where} is not in the HF cache ({self.cache_dir}) and "
                                         f"{hint}.") from exc
        except RevisionNotFoundError as exc:
            raise PackNotFoundError(f"{repo_id} has no revision {revision!r}") from exc
        except RepositoryNotFoundError as exc:
            raise PackNotFoundError(f"No repo {repo_id} at {self.endpoint} (or no access: set HF_TOKEN)") from exc
        except EntryNotFoundError as exc:
            raise MissingModuleError(f"{where} has no file {filename}") from exc
        except _NETWORK_ERRORS as exc:
            raise RemoteUnavailableError(f"Cannot reach {self.endpoint} for {where}: {exc}") from exc

    def _evict(self, pointer: Path) -> None:
        """Remove a cached file: the snapshot entry and the blob it points to (so the next
        download fetches it again instead of trusting the cache)."""
        blob = Path(os.path.realpath(pointer))
        for path in {pointer, blob}:
            try:
                path.unlink()
            except FileNotFoundError:
                pass

    def _storage(self, repo_id: str) -> Path:
        return self.cache_dir / ("models--" + repo_id.replace("/", "--"))

    def _cached_repos(self) -> list[str]:
        prefix = f"models--{self.namespace}--"
        if not self.cache_dir.is_dir():
            return []
        return sorted(p.name[len("models--"):].replace("--", "/", 1) for p in self.cache_dir.iterdir()
                      if p.name.startswith(prefix) and p.name[len(prefix):].startswith("langzoo-"))

    def _cached_pack_info(self, repo_id: str) -> dict | None:
        storage = self._storage(repo_id)
        ref = storage / "refs" / constants.DEFAULT_REVISION
        snapshots = [storage / "snapshots" / ref.read_text().strip()] if ref.is_file() else []
        snapshots += sorted((storage / "snapshots").glob("*")) if (storage / "snapshots").is_dir() else []
        for snap in snapshots:
            if (snap / PACK_FILE).is_file():
                return read_pack_info(snap)
        return None

    def _require_online(self, what: str) -> None:
        if self.offline:
            raise RemoteUnavailableError(f"Cannot {what} on {self.uri} with HF_HUB_OFFLINE set")
