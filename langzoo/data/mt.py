"""Machine-translation synthesis of paraphrase data (the paper's method).

English paraphrase pairs (a, b) are translated into L with an NLLB-200-style seq2seq
model; each output row keeps both sides, so one file gives L paraphrases (l1, l2) for
the SE adapter and (en, L) pairs (a, l2) / translations (a, l1) for the CLA adapter.
Output is appended to a jsonl file one batch at a time, and rows already there are
skipped on restart (resume after an interruption).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from tqdm import tqdm

from langzoo.data.errors import MTModelError
from langzoo.languages import Language, resolve_language


def load_mt_model(name_or_path: str | Path, *, device: str | None = None):
    """(model, tokenizer) from a local folder or a Hub id; a clear error when offline."""
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(str(name_or_path))
        model = AutoModelForSeq2SeqLM.from_pretrained(str(name_or_path))
    except (OSError, ValueError) as exc:  # ValueError: huggingface_hub rejects a bad repo id
        raise MTModelError(
            f"cannot load translation model {name_or_path!r}: {exc}\nGive a local folder with an NLLB/M2M100 "
            "checkpoint (e.g. facebook/nllb-200-distilled-600M downloaded with `huggingface-cli download`), "
            "or run with network access so the Hub id can be fetched."
        ) from exc
    if device is None:
        import torch

        device = "cuda" if torch.cuda.is_available() else "cpu"
    return model.to(device).eval(), tokenizer


def _lang_token_id(tokenizer, code: str) -> int:
    """Id of the target-language token (NLLB: ``uzn_Latn``; M2M100: ``__uz__``)."""
    for candidate in (code, f"__{code}__", f"__{code.split('_')[0][:2]}__"):
        tid = tokenizer.convert_tokens_to_ids(candidate)
        if tid is not None and tid != tokenizer.unk_token_id:
            return tid
    if hasattr(tokenizer, "get_lang_id"):
        try:
            return tokenizer.get_lang_id(code)
        except (KeyError, ValueError):
            pass
    raise MTModelError(f"the translation tokenizer has no language token for {code!r}")


def translate_texts(texts: Sequence[str], model, tokenizer, *, tgt_code: str, src_code: str = "eng_Latn",
                    max_length: int = 128, num_beams: int = 1) -> list[str]:
    """Translate one batch of English texts into the target language."""
    import torch

    if hasattr(tokenizer, "src_lang"):
        tokenizer.src_lang = src_code
    enc = tokenizer(list(texts), return_tensors="pt", padding=True, truncation=True, max_length=max_length)
    # Seq2seq models take no token_type_ids (generic fast tokenizers still return them).
    enc = {k: v.to(model.device) for k, v in enc.items() if k != "token_type_ids"}
    with torch.no_grad():
        out = model.generate(**enc, forced_bos_token_id=_lang_token_id(tokenizer, tgt_code),
                             max_new_tokens=max_length, num_beams=num_beams)
    return [t.strip() for t in tokenizer.batch_decode(out, skip_special_tokens=True)]


def _done_ids(path: Path) -> set[int]:
    done: set[int] = set()
    if path.is_file():
        with open(path, encoding="utf-8") as f:
            for line in f:
                try:
                    done.add(int(json.loads(line)["idx"]))
                except (ValueError, KeyError, TypeError):
                    continue  # a truncated last line from an interrupted run
    return done


def synthesize_paraphrases(
    pairs: Sequence[tuple[str, str]],
    out_path: str | Path,
    model,
    tokenizer,
    *,
    lang: str | Language,
    batch_size: int = 32,
    max_length: int = 128,
    max_batches: int | None = None,
    progress: bool = True,
) -> Path:
    """Translate English paraphrase pairs into L, appending rows to ``out_path``.

    Row format: ``{"idx", "en1", "en2", "l1", "l2"}`` (idx = position in ``pairs``).
    Rows whose idx is already in the file are skipped, so calling again after an
    interruption continues where it stopped.  ``max_batches`` limits one call (for
    time-boxed runs and tests).
    """
    language = resolve_language(lang)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    done = _done_ids(out_path)
    todo = [i for i in range(len(pairs)) if i not in done]
    # A crash mid-write can leave a partial last line; start on a fresh line.
    if out_path.is_file() and out_path.stat().st_size and not out_path.read_bytes().endswith(b"\n"):
        with open(out_path, "a", encoding="utf-8") as f:
            f.write("\n")
    batches = [todo[s : s + batch_size] for s in range(0, len(todo), batch_size)]
    if max_batches is not None:
        batches = batches[:max_batches]
    with open(out_path, "a", encoding="utf-8") as f:
        for batch in tqdm(batches, desc=f"translate en→{language.alias}", unit="batch", disable=not progress):
            # Both sides in one generate call: better batching than two half batches.
            texts = [pairs[i][0] for i in batch] + [pairs[i][1] for i in batch]
            out = translate_texts(texts, model, tokenizer, tgt_code=language.code, max_length=max_length)
            n = len(batch)
            for k, i in enumerate(batch):
                row = {"idx": i, "en1": pairs[i][0], "en2": pairs[i][1], "l1": out[k], "l2": out[n + k]}
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
            f.flush()
    return out_path
