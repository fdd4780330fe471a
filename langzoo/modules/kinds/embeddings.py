"""``embeddings``: the language's tokenizer and input-embedding matrix (FOCUS-initialised).

With ``config.vocabulary == "base"`` the module holds no files: the language keeps the
base's own tokenizer and matrix, and the module only pins, by its content hash, which
vocabulary the adapters above it were trained on.
"""

from __future__ import annotations

from pathlib import Path

from langzoo.modules.kinds.base import ModuleKind, register_module_kind

BASE_VOCABULARY = "base"


def uses_base_vocabulary(manifest) -> bool:
    """An ``embeddings`` module that keeps the base's vocabulary (a marker, no files)."""
    return manifest.kind == EmbeddingsKind.name and (manifest.config or {}).get("vocabulary") == BASE_VOCABULARY


@register_module_kind
class EmbeddingsKind(ModuleKind):
    name = "embeddings"
    parents = ()
    allowed_files = frozenset({"embeddings.safetensors", "tokenizer.json", "tokenizer_config.json",
                               "special_tokens_map.json", "vocab.txt", "added_tokens.json"})
    required_files = ("embeddings.safetensors", "tokenizer.json")
    description = "new tokenizer for the language and its embedding matrix (FOCUS-initialised from the base)"

    def required(self, config=None):
        return () if (config or {}).get("vocabulary") == BASE_VOCABULARY else self.required_files

    def describe(self, manifest) -> str:
        if uses_base_vocabulary(manifest):
            return "marker only: the language keeps the base's own tokenizer and embedding matrix"
        return self.description

    def save(self, folder: Path, *, weight=None, tokenizer=None, **options) -> None:
        """The matrix (half precision by default) and the tokenizer; neither for a marker."""
        from langzoo.modules.adapter_io import save_embeddings

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        if tokenizer is not None:
            tokenizer.save_pretrained(folder)
        if weight is not None:
            save_embeddings(weight, folder, **options)

    def attach(self, encoder, pack, attached) -> None:
        """The language's tokenizer and matrix, kept aside until ``activate`` swaps them in
        (none for a marker: ``activate`` falls back to the base's own)."""
        import torch
        from transformers import AutoTokenizer

        from langzoo.errors import ModuleFormatError
        from langzoo.modules.adapter_io import load_embeddings

        if uses_base_vocabulary(pack.modules[self.name]):
            return
        folder = pack.module_path(self.name)
        base = encoder.base_embeddings.weight
        weight = load_embeddings(folder).to(base.dtype)
        hidden = base.shape[1]
        if weight.shape[1] != hidden:
            raise ModuleFormatError(f"Pack {pack.language.alias}: embeddings have width {weight.shape[1]}, "
                                    f"base has {hidden}")
        tokenizer = AutoTokenizer.from_pretrained(folder, use_fast=True, fix_mistral_regex=False)
        if len(tokenizer) > weight.shape[0]:
            raise ModuleFormatError(f"Pack {pack.language.alias}: tokenizer has {len(tokenizer)} tokens but the "
                                    f"embedding matrix only {weight.shape[0]} rows")
        tokenizer.model_max_length = encoder.profile.max_seq_length
        emb = torch.nn.Embedding(weight.shape[0], hidden, padding_idx=tokenizer.pad_token_id)
        with torch.no_grad():
            emb.weight.copy_(weight)
        emb.weight.requires_grad_(False)
        attached.tokenizer, attached.embeddings = tokenizer, emb.to(encoder.device)

    def detach(self, encoder, attached) -> None:
        attached.tokenizer = attached.embeddings = None
