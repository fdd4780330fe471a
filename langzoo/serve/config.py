"""What `zoo serve` serves: the options of `Zoo.load` from the command line
(``--packs``; a ``--config zoo.json`` written by ``Zoo.save_config`` pins everything
instead), and the /info document."""

from __future__ import annotations


def zoo_info(zoo) -> dict:
    """The /info document: base, fingerprint, packs with versions, detector, routing."""
    from langzoo import __version__
    from langzoo.modules.pack import read_pack_info
    from langzoo.runtime.zoo_config import detector_record, pack_record

    packs = {}
    for code, path in sorted(zoo.pack_paths.items()):
        meta = read_pack_info(path)
        packs[code] = {**pack_record(code, path, meta), "modules": sorted(meta.get("modules", {}))}
    base = zoo.encoder.base
    detector = detector_record(zoo)
    return {"langzoo": __version__, "base": base.base_id, "fingerprint": base.fingerprint,
            "max_seq_length": zoo.encoder.profile.max_seq_length, "packs": packs,
            "detector": detector["name"] or detector.get("custom"), "detector_settings": detector["settings"],
            "fallback": zoo.fallback, "alignment": zoo.alignment, "transliterate": zoo.transliterate}
