"""One shared base body with any number of language packs attached.

The base encoder is loaded once. Each attached pack contributes its tokenizer and
input-embedding matrix (kept aside until activated), its ``la``/``se`` LoRA adapters
(registered in one peft model under per-language names) and its ``cla`` parallel
adapter (registered through ``adapters``). Each module is put in by its kind
(``langzoo/modules/kinds``: ``attach``/``detach``), bottom-up. Activating a language
swaps tokenizer and embeddings and selects that language's adapters; nothing is reloaded.

Order matters: ``adapters.init`` must wrap the body *before* peft injects LoRA
layers, otherwise it re-wraps the linear layers and silently drops LoRA weights.
"""

from __future__ import annotations

import logging
import threading
import warnings
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import torch

from langzoo.errors import LangzooError, MissingModuleError
from langzoo.languages import ENGLISH, resolve_language
from langzoo.modules.base_encoder import BaseEncoder, resolve_base
from langzoo.modules.kinds import get_module_kind
from langzoo.modules.pack import LanguagePack


class _DropNoActiveAdapterWarning(logging.Filter):
    # With `cla` switched off (monolingual mode, English, bare base) no `adapters`
    # adapter is active on purpose; adapters logs a warning on every forward then.
    def filter(self, record: logging.LogRecord) -> bool:
        return "none are activated for the forward pass" not in record.getMessage()


logging.getLogger("adapters.model_mixin").addFilter(_DropNoActiveAdapterWarning())


@dataclass
class AttachedPack:
    pack: LanguagePack
    tokenizer: object | None = None  # None: the base tokenizer (English)
    embeddings: torch.nn.Embedding | None = None  # None: the base embeddings (English)
    lora: list[str] = field(default_factory=list)  # peft adapter names, bottom-up (la, se)
    cla: str | None = None  # adapters name
    extra: dict[str, object] = field(default_factory=dict)  # what other kinds' attach() keeps: kind -> object

    @property
    def code(self) -> str:
        return self.pack.language.code


class ComposedEncoder:
    """A base body plus attached language packs; one language active at a time."""

    def __init__(self, base: BaseEncoder | str | None = None, *, device: str | torch.device = "cpu",
                 dtype: torch.dtype = torch.float32, model=None, tokenizer=None, merge_lora: bool = False):
        import adapters

        self.base = resolve_base(base)
        self.device = torch.device(device)
        self.body = model if model is not None else self.base.load_model(dtype)
        adapters.init(self.body)  # before any peft injection (see module docstring)
        self.body.to(self.device).eval()
        self.base_tokenizer = tokenizer if tokenizer is not None else self.base.load_tokenizer()
        self.base_embeddings = self.body.get_input_embeddings()
        self.dense = self.base.load_dense()
        if self.dense is not None:
            self.dense.to(self.device)
        self.profile = self.base.profile
        self.peft_model = None
        self.packs: dict[str, AttachedPack] = {}
        self.active: tuple[str | None, bool] | None = None
        # Inference speed-up: with merge_lora each language's LoRA deltas are folded into
        # a copy of the wrapped linear weights once, and activation swaps weight tensors
        # (no per-token LoRA matmuls). Costs one copy of those weights per attached
        # language; not for training, which needs the LoRA branches.
        self.merge_lora = merge_lora
        self._original_weights: dict[int, torch.Tensor] = {}
        self._merged_weights: dict[str, dict[int, torch.Tensor]] = {}
        # Activation + forward must not interleave between threads: the body is shared.
        self.lock = threading.RLock()

    # ------------------------------------------------------------ attach/detach
    def attach(self, pack: LanguagePack | str | Path, *, modules: list[str] | None = None) -> AttachedPack:
        """Attach a pack (verifying its files and that it was built on this base)."""
        if not isinstance(pack, LanguagePack):
            pack = LanguagePack.load(pack, base_fingerprint=self.base.fingerprint, modules=modules)
        elif pack.base_fingerprint != self.base.fingerprint:
            from langzoo.errors import BaseMismatchError

            raise BaseMismatchError(f"Pack {pack.language.alias} was built on {pack.base_id}, not on {self.base.base_id}")
        code = pack.language.code
        with self.lock:
            if code in self.packs:
                self.detach(code)
            if "embeddings" not in pack.modules and code != ENGLISH and pack.kinds:
                raise MissingModuleError(f"Pack {pack.language.alias} has no embeddings module")
            attached = AttachedPack(pack)
            for kind in pack.kinds:  # bottom-up: peft must hold la before se
                get_module_kind(kind).attach(self, pack, attached)
            self.packs[code] = attached
            # new LoRA layers may wrap more linears: merged copies are rebuilt on demand
            self._merged_weights.clear()
            self.active = None
            return attached

    def detach(self, lang: str) -> None:
        code = resolve_language(lang).code
        with self.lock:
            attached = self.packs.pop(code, None)
            self._merged_weights.pop(code, None)
            if attached is None:
                return
            with warnings.catch_warnings():
                # peft warns that a deleted adapter was active; activate() resets it anyway.
                warnings.filterwarnings("ignore", message="Adapter .* was active which is now deleted")
                for kind in reversed(attached.pack.kinds):
                    get_module_kind(kind).detach(self, attached)
            self.active = None

    def _load_lora(self, folder: Path, name: str) -> None:
        from peft import PeftModel

        if self.peft_model is None:
            self.peft_model = PeftModel.from_pretrained(self.body, str(folder), adapter_name=name, is_trainable=False)
        else:
            self.peft_model.load_adapter(str(folder), adapter_name=name, is_trainable=False)
        self.body.to(self.device)

    # ------------------------------------------------------------ activation
    def activate(self, lang: str | None, *, alignment: bool = True) -> None:
        """Make ``lang``'s modules active (``None``: the bare base). ``alignment=False``
        leaves the ``cla`` adapter off (monolingual use, the paper's Mod_m)."""
        code = resolve_language(lang).code if lang is not None else None
        with self.lock:
            if self.active == (code, alignment):
                return
            attached = self.packs.get(code) if code is not None else None
            if code is not None and attached is None:
                raise LangzooError(f"No pack attached for {lang!r}; attached: {sorted(self.packs) or 'none'}")
            emb = attached.embeddings if attached and attached.embeddings is not None else self.base_embeddings
            self.body.set_input_embeddings(emb)
            self.body.config.vocab_size = emb.num_embeddings
            if self.peft_model is not None:
                names = list(attached.lora) if attached else []
                if self.merge_lora:
                    self._swap_in_merged(code if names else None, names)
                else:
                    self._select_lora(names)
            self._set_cla(attached.cla if attached and alignment else None)
            self.active = (code, alignment)

    def activate_words(self, lang: str | None, *, alignment: bool = True, use_align: bool = True) -> bool:
        """Activate ``lang`` for word alignment: its stack plus its ``align`` module when it
        has one and ``use_align`` (then with ``cla`` off, as the module was trained);
        otherwise exactly ``activate``. Returns whether the ``align`` module is on.
        The next ``activate`` resets the selection, so encoding never sees the module."""
        code = resolve_language(lang).code if lang is not None else None
        with self.lock:
            attached = self.packs.get(code) if code is not None else None
            name = attached.extra.get("align") if attached is not None and use_align else None
            if name is None:
                self.activate(lang, alignment=alignment)
                return False
            self.activate(lang, alignment=False)
            # merged weights already hold la/se: only the align branch is added on top
            self._select_lora([name] if self.merge_lora else [*attached.lora, name])
            self.active = None
            return True

    def _set_cla(self, name: str | None) -> None:
        """Activate one ``adapters`` adapter (or none) for the next forward passes.

        ``set_active_adapters`` also walks every module to un-merge the ``adapters``
        library's own LoRA layers (langzoo uses peft for LoRA, so there are none), which
        cost ~10 ms per language switch. ``attach``/``load_cla`` validated the name; the
        two fields it sets are set here directly."""
        from adapters.composition import parse_composition

        config = self.body.adapters_config
        if name is not None and name not in config.adapters:
            raise LangzooError(f"No alignment adapter {name!r} is loaded")
        config.active_setup = parse_composition(name, model_type=self.body.config.model_type) if name else None
        config.skip_layers = None

    def _select_lora(self, names: list[str]) -> None:
        """Make exactly ``names`` the active LoRA adapters of every LoRA layer.

        peft's ``set_adapter`` also walks every adapter of every layer to toggle
        ``requires_grad`` (tens of ms with several languages attached); for switching
        languages only the active set matters, and training code sets its own
        trainable parameters. The layers are looked up each time because training code
        may add LoRA layers through peft directly.
        """
        for module in self._lora_layers():
            module._active_adapter = list(names)
            module._disable_adapters = not names

    def _lora_layers(self) -> list:
        """peft's LoRA-wrapped layers, found once per set of peft adapters (a walk over
        every module costs ~10 ms; training code may add adapters through peft itself,
        which changes the key)."""
        from peft.tuners.tuners_utils import BaseTunerLayer

        key = (id(self.peft_model), tuple(self.peft_model.peft_config) if self.peft_model is not None else ())
        if getattr(self, "_lora_layer_cache", (None, None))[0] != key:
            self._lora_layer_cache = (key, [m for m in self.body.modules() if isinstance(m, BaseTunerLayer)])
        return self._lora_layer_cache[1]

    def _swap_in_merged(self, code: str | None, names: list[str]) -> None:
        """Point every LoRA-wrapped linear at ``code``'s merged weights (``None``: the
        base's own) and switch the LoRA branches off."""
        layers = self._lora_layers()
        for layer in layers:
            self._original_weights.setdefault(id(layer), layer.get_base_layer().weight.data)
        if code is None:
            weights = self._original_weights
        else:
            if code not in self._merged_weights:
                merged = {}
                with torch.no_grad():
                    for layer in layers:
                        w = self._original_weights[id(layer)].clone()
                        for name in names:
                            if name in getattr(layer, "lora_A", {}):
                                w += layer.get_delta_weight(name).to(w.dtype)
                        merged[id(layer)] = w
                self._merged_weights[code] = merged
            weights = self._merged_weights[code]
        for layer in layers:
            layer.get_base_layer().weight.data = weights[id(layer)]
            layer._active_adapter = []
            layer._disable_adapters = True

    def tokenizer_for(self, lang: str | None):
        if lang is None:
            return self.base_tokenizer
        attached = self.packs.get(resolve_language(lang).code)
        return attached.tokenizer if attached and attached.tokenizer is not None else self.base_tokenizer

    # ------------------------------------------------------------ encoding
    def tokenize(self, texts: list[str], lang: str | None, *, max_length: int | None = None, prefix: bool = True):
        """Tokenise with ``lang``'s tokenizer, the base's text prefix and length limit
        (training may ask for a shorter ``max_length``)."""
        tok = self.tokenizer_for(lang)
        prefixed = [self.profile.prefix + t for t in texts] if prefix else list(texts)
        return tok(prefixed, padding=True, truncation=True, max_length=max_length or self.profile.max_seq_length,
                   return_tensors="pt")

    def pool(self, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        if self.profile.pooling == "cls":
            out = hidden[:, 0]
        else:
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            out = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        if self.dense is not None:
            out = self.dense(out)
        return out

    def forward_features(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """Pooled sentence vectors for the active language (un-normalised; keeps grads)."""
        hidden = self.body(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return self.pool(hidden, attention_mask)

    def encode_batch(self, texts: list[str], lang: str | None, *, max_length: int | None = None,
                     normalize: bool = True, dim: int | None = None, amp=None) -> tuple[torch.Tensor, int]:
        """Encode one batch with the *active* stack: the one batch-encode path of langzoo
        (runtime, training-time teachers and gates all call it).

        Tokenises with ``lang``'s tokenizer (base prefix, ``max_length`` or the base's limit),
        runs the body (under ``amp()`` when given), pools, keeps the first ``dim``
        dimensions and L2-normalises. Returns float32 CPU vectors and how many texts
        filled the length limit (were truncated). Callers activate the stack and choose
        the grad mode (``torch.inference_mode``/``no_grad``)."""
        batch = self.tokenize(texts, lang, max_length=max_length)
        limit = max_length or self.profile.max_seq_length
        n_truncated = int((batch["attention_mask"].sum(1) >= limit).sum())
        with amp() if amp is not None else nullcontext():
            vec = self.forward_features(batch["input_ids"].to(self.device), batch["attention_mask"].to(self.device))
        vec = vec.float()
        if dim is not None:
            vec = vec[:, :dim]
        if normalize:
            vec = torch.nn.functional.normalize(vec, dim=-1)
        return vec.cpu(), n_truncated

    @torch.inference_mode()
    def embed(self, texts: list[str], lang: str | None, *, alignment: bool = True, normalize: bool = True) -> torch.Tensor:
        """Encode one batch of texts of one language (activates it first)."""
        with self.lock:
            self.activate(lang, alignment=alignment)
            vec, _ = self.encode_batch(texts, lang, normalize=normalize or self.profile.normalize)
        return vec
