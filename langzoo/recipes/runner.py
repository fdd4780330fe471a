"""`zoo build`: run a language's recipe stage by stage, with a resumable cache.

Every stage's result lives in ``builds_dir()/<base-key>/<lang>/<stage>-<hash>``, where
the hash covers the stage's config section, the global settings it uses, the data it
reads, its parents' hashes, the base fingerprint and the stage code version. A stage
writes into a temporary folder that is renamed only on success, so Ctrl-C or a kill
loses at most the stage in progress; the next run finds the finished ones and resumes
at the first unfinished stage. A second identical run is all cache hits.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from langzoo.languages import ENGLISH, resolve_language
from langzoo.modules.base_encoder import BaseEncoder, resolve_base
from langzoo.modules.hashing import sha256_json
from langzoo.modules.kinds import kind_names
from langzoo.modules.manifest import read_manifest
from langzoo.modules.pack import LanguagePack
from langzoo.modules.pivot import pivot_record
from langzoo.paths import builds_dir
from langzoo.recipes import distributed
from langzoo.recipes.data import Splits, load_splits
from langzoo.recipes.errors import RecipeError, StageFailedError
from langzoo.recipes.provenance import recipe_record
from langzoo.recipes.spec import build_config, load_spec
from langzoo.recipes.stages.context import StageContext
from langzoo.recipes.stages.descriptor import get_stage
from langzoo.recipes.training import pick_device

STAGE_VERSION = "2"  # bump when a stage's code changes what it produces (2: guarded vocabulary, checks vs the bare base)
# What each stage reads, stacks on and produces is its descriptor (stages/descriptor.py: get_stage).
GLOBAL_KEYS = ("seed", "max_seq_length", "bf16")


@dataclass
class StageRecord:
    name: str
    lang: str
    folder: Path
    key: str
    cached: bool
    seconds: float
    info: dict = field(default_factory=dict)

    @property
    def metrics(self) -> dict:
        return self.info.get("metrics", {})


@dataclass
class BuildResult:
    language: str
    base_id: str
    pack_path: Path
    stages: list[StageRecord]
    module_sizes: dict[str, int]
    base_bytes: int
    quality_gate: dict
    published: dict | None = None
    config: dict = field(default_factory=dict)
    dropped: dict = field(default_factory=dict)  # modules the real-sentence gate took out: kind -> why
    refused: str = ""  # why the pack was not published (worse than the bare base on real sentences)

    @property
    def pack_bytes(self) -> int:
        return sum(self.module_sizes.values())

    @property
    def omitted(self) -> dict[str, dict]:
        """Module kind -> why the pack leaves it out (as in its pack.json)."""
        return {**identity_omissions([r for r in self.stages if r.lang == self.language]), **self.dropped}


def base_key(base: BaseEncoder) -> str:
    from langzoo.naming import base_key as _key

    return _key(base.base_id, base.fingerprint)


def stage_key(name: str, config: dict, splits: Splits, parent_keys: list[str], base: BaseEncoder,
              extra: dict | None = None) -> str:
    stage = get_stage(name)
    settings = {k: config.get(k) for k in GLOBAL_KEYS}
    if stage.guarded and splits.real_dev:  # tolerances matter only with real dev pairs
        settings["real_dev"] = config.get("real_dev")
    if stage.trains and distributed.world().size > 1:  # N processes = N x the batch: another result
        settings["processes"] = distributed.world().size
    payload = {"stage": name, "version": STAGE_VERSION, "config": config.get(name, {}),
               "global": settings, "data": splits.hash_of(*stage.reads),
               "parents": parent_keys, "base": base.fingerprint, "extra": extra or {}}
    return sha256_json(payload)[:16]


def _dir_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _owner_alive(tmp: Path) -> bool:
    """Whether the process that made a stage's temp folder (``<stage>-<key>.tmp-<pid>-...``)
    still runs on this machine. Folders without a pid (older versions) count as stale."""
    try:
        pid = int(tmp.name.split(".tmp-", 1)[1].split("-", 1)[0])
    except (IndexError, ValueError):
        return False
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    return True


def run_stage(name: str, ctx: StageContext, work: Path, key: str, *, log=print) -> StageRecord:
    """Return the cached result of a stage, or run it into a temp folder and rename it."""
    final = work / f"{name}-{key}"
    done = final / "stage.json"
    if distributed.broadcast(done.is_file()):  # rank 0 decides, so no process waits for a stage the others skip
        info = json.loads(done.read_text())
        return StageRecord(name, ctx.lang.code, final, key, True, 0.0, info)
    if not distributed.world().is_main:
        return _follow_stage(name, ctx, final, key)
    work.mkdir(parents=True, exist_ok=True)
    for stale in work.glob(f"{name}-{key}.tmp-*"):  # left behind by a killed run
        if not _owner_alive(stale):  # a concurrent build (nl and es share the English stage) keeps its own
            shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=f"{name}-{key}.tmp-{os.getpid()}-", dir=work))
    log(f"[{ctx.lang.alias}] stage {name} ({key}) ...")
    t0 = time.perf_counter()
    try:
        info = get_stage(name).run(ctx, tmp) or {}
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    seconds = time.perf_counter() - t0
    info = {**info, "stage": name, "key": key, "seconds": round(seconds, 2),
            "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    if get_stage(name).trains and distributed.world().active:
        info["processes"] = distributed.world().size
    (tmp / "stage.json").write_text(json.dumps(info, indent=2, ensure_ascii=False, default=str))
    if final.exists():  # a concurrent run finished the same stage first
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        os.rename(tmp, final)
    distributed.barrier()  # the other processes read the finished folder now
    return StageRecord(name, ctx.lang.code, final, key, False, seconds, info)


def _follow_stage(name: str, ctx: StageContext, final: Path, key: str) -> StageRecord:
    """A non-zero rank's part of a stage rank 0 is running: train alongside it (writing
    into a scratch folder that is thrown away) or, for stages that do not train, wait."""
    t0 = time.perf_counter()
    if get_stage(name).trains:
        scratch = Path(tempfile.mkdtemp(prefix=f"langzoo-rank{distributed.world().rank}-{name}-"))
        try:
            get_stage(name).run(ctx, scratch)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    distributed.barrier()
    info = json.loads((final / "stage.json").read_text())
    return StageRecord(name, ctx.lang.code, final, key, False, time.perf_counter() - t0, info)


def _english_config(profile: str, overrides: list[str], config: dict) -> dict:
    """The English pivot's build config: the shipped `en` recipe, the same profile, the
    global and ``english_se.*`` overrides, and ``english.data.*`` replacing its data."""
    passed = [o for o in overrides if o.split("=", 1)[0].split(".")[0] in (*GLOBAL_KEYS, "english_se", "device",
                                                                           "dev_size", "test_size")]
    en = build_config(load_spec("en"), profile, passed)
    if (config.get("english") or {}).get("data"):
        en["data"].update(config["english"]["data"])
    return en


def _prepare(config: dict) -> dict:
    """English builds train the `se` stage with the `english_se` section."""
    if config["language"] == ENGLISH:
        config = {**config, "se": config["english_se"]}
    return config


def build_stages(lang: str, config: dict, base: BaseEncoder, *, work_root: Path, english_se: Path | None = None,
                 english_key: str | None = None, log=print) -> tuple[list[StageRecord], Splits]:
    """Run (or find cached) every stage of one language's recipe."""
    language = resolve_language(lang)
    config = _prepare(config)
    with distributed.main_first():  # rank 0 fetches/harvests into the data cache, the others read it
        splits = load_splits(config["data"], lang=language.code, dev=int(config["dev_size"]),
                             test=int(config["test_size"]), seed=int(config["seed"]))
    device = pick_device(config.get("device", "auto"))
    work = work_root / base_key(base) / language.code
    records: dict[str, StageRecord] = {}
    for name in config["stages"]:
        parents = [p for p in get_stage(name).parents if not (language.code == ENGLISH and name == "se")]
        missing = [p for p in parents if p not in records]
        if missing:
            raise RecipeError(f"stage {name} needs {missing} earlier in the recipe's stages")
        extra = {"english_se": english_key} if name == "cla" and english_se else {}
        key = stage_key(name, config, splits, [records[p].key for p in parents], base, extra)
        parent_hashes = {}
        ctx = StageContext(name=name, lang=language, base=base, config=config, splits=splits, device=device,
                           parents={p: records[p].folder for p in parents}, parent_hashes=parent_hashes,
                           english_se=english_se if name == "cla" else None)
        try:
            records[name] = run_stage(name, ctx, work, key, log=log)
        except (KeyboardInterrupt, Exception) as exc:
            if isinstance(exc, KeyboardInterrupt):
                log(f"[{language.alias}] interrupted in stage {name}; finished stages stay cached — rerun to resume")
                raise
            raise StageFailedError(f"[{language.alias}] stage {name} failed: {type(exc).__name__}: {exc}. "
                                   "Finished stages stay cached; fix the cause and rerun to resume.") from exc
    return list(records.values()), splits


def pack_version(records: list[StageRecord], omitted: dict | None = None) -> str:
    """Stable version for a set of finished stages: when the last one finished + their key,
    so rerunning a fully cached build republishes the same version (a no-op). Leaving a
    module out gives another version (the same stages made a pack that still held it)."""
    finished = max(r.info.get("finished", "") for r in records)
    stamp = "".join(c for c in finished if c.isdigit())
    stamp = f"{stamp[:8]}.{stamp[8:14]}" if len(stamp) >= 14 else "0"
    keys = [r.key for r in records] + [f"omit:{k}" for k in sorted(omitted or {})]
    return f"{stamp}-{sha256_json(keys)[:8]}"


# Modules a pack leaves out when their stage kept them at the identity initialisation:
# `cla`'s parallel adapter starts with a zero up-projection, so at step 0 it adds nothing
# (pl: Mod_m and Mod_mc equal on every eval metric) but would cost 7 MB and encode time.
# `la` stays even then: `se` was trained on it and names it as its parent. `align` (a LoRA
# starting at zero) likewise adds nothing at step 0.
OMIT_AT_IDENTITY = ("cla", "align")


def identity_omissions(records: list[StageRecord]) -> dict[str, dict]:
    """``{kind: why}`` for the modules of ``OMIT_AT_IDENTITY`` whose stage ended at step 0
    after evaluating later checkpoints (none of them was kept)."""
    out = {}
    for rec in records:
        m = rec.metrics
        if rec.name in OMIT_AT_IDENTITY and m.get("best_step") == 0 and len(m.get("dev_curve") or []) > 1:
            out[rec.name] = {"reason": "kept at its identity initialisation: no checkpoint beat step 0 on the dev "
                                       "measurements (and real sentences, when guarded), so the module adds nothing",
                             "stage_key": rec.key, "dev_curve": m.get("dev_curve"),
                             "dev": m.get("dev_after"), "real_dev": (m.get("real_dev") or {}).get("note")}
    return out


def assemble_pack(dest: Path, records: list[StageRecord], *, lang: str, base: BaseEncoder, extra: dict,
                  drop: dict | None = None) -> Path:
    """Save the finished modules as one pack folder (``LanguagePack.save``: atomic, replacing
    an earlier assembly); pack.json records the modules left out at identity, or
    ``drop``ped by the gate, under ``omitted``."""
    omitted = {**identity_omissions(records), **(drop or {})}
    modules = {kind: rec.folder / kind for rec in records for kind in get_stage(rec.name).produces
               if (rec.folder / kind).is_dir() and kind not in omitted}
    extra = {**extra, **({"omitted": omitted} if omitted else {})}
    LanguagePack.assemble(modules, language=lang, base_id=base.base_id, base_fingerprint=base.fingerprint,
                          version=pack_version(records, omitted), extra=extra).save(dest)
    return dest


def build(lang: str, *, base=None, profile: str = "demo", overrides: list[str] | None = None,
          recipe: str | Path | None = None, out: str | Path | None = None, publish: bool = True,
          registry: str | None = None, work_root: str | Path | None = None, gate: bool = True,
          publish_worse: bool = False, log=print) -> BuildResult:
    """Build (or finish building) ``lang``'s language pack and publish it.

    ``overrides`` are ``key.path=value`` strings (``la.steps=500``). The pack is written to
    ``out`` when given, else into the work folder (``.../<lang>/pack``), and installed into
    the local registry (``registry``: a registry folder/URI, default the local one) when
    ``publish`` is true, unless the gate found it worse than the bare base on real
    sentences (``publish_worse`` installs it anyway; ``BuildResult.refused`` says why).
    """
    overrides = list(overrides or [])
    language = resolve_language(lang)
    spec = load_spec(recipe or language.alias)
    if resolve_language(spec["language"]).code != language.code:
        raise RecipeError(f"recipe {spec['_path']} is for {spec['language']}, not {lang}")
    config = build_config(spec, profile, overrides)
    with distributed.main_first():  # rank 0 materialises the base into the cache, the others load it
        base = resolve_base(base)
    work_root = Path(work_root) if work_root else builds_dir()
    all_records: list[StageRecord] = []
    english_se = english_key = None
    if language.code != ENGLISH and "cla" in config["stages"] and config["cla"].get("use_english_se", True):
        en_config = _english_config(profile, overrides, config)
        en_records, _ = build_stages("en", en_config, base, work_root=work_root, log=log)
        en_rec = en_records[-1]
        english_se, english_key = en_rec.folder / "se", en_rec.key
        all_records += en_records
    records, splits = build_stages(language.code, config, base, work_root=work_root, english_se=english_se,
                                   english_key=english_key, log=log)
    all_records += records
    key = sha256_json([r.key for r in records])[:16]
    pack_dir = Path(out) if out else work_root / base_key(base) / language.code / f"pack-{key}"
    if not distributed.world().is_main:  # rank 0 alone assembles, gates and publishes the pack
        return BuildResult(language.code, base.base_id, pack_dir, all_records, {}, 0, {}, None, config)
    if pack_dir.exists() and not (pack_dir / "pack.json").is_file() and any(pack_dir.iterdir()):
        raise RecipeError(f"--out {pack_dir} exists and is not a language pack folder; choose an empty folder")
    build_info = {"profile": profile, "recipe": recipe_record(spec), "overrides": overrides,
                  "stages": {r.name: r.key for r in records}}
    if english_se is not None:  # the English pack cla was aligned to: pulls bring it along (modules/pivot.py)
        build_info["pivot"] = pivot_record(pack_version([r for r in all_records if r.lang == ENGLISH]),
                                           read_manifest(english_se).content_hash)
    if distributed.world().active:
        build_info["processes"] = distributed.world().size
    assemble_pack(pack_dir, records, lang=language.code, base=base, extra={"build": build_info})
    gate_result, dropped, refused = {}, {}, ""
    if gate and language.code != ENGLISH and (splits.dev or splits.real_dev):
        gate_result, dropped = _gate_pack(base, pack_dir, records, all_records, splits, config, build_info,
                                          english=english_se is not None)
        if gate_result.get("real_rows") and gate_result["worse"] and not publish_worse:
            refused = (f"not published: {gate_result['verdict']}. The pack stays in {pack_dir}; "
                       "rerun with --publish-worse to install it anyway")
    sizes = {k: read_manifest(pack_dir / k).size_bytes for k in kind_names() if (pack_dir / k).is_dir()}
    base_bytes = sum(p.stat().st_size for p in base.path.glob("*.safetensors"))
    published = None
    if refused:
        log(f"[{language.alias}] {refused}")
    elif publish:
        published = _publish(pack_dir, registry, all_records, base, work_root, language.code, log)
    return BuildResult(language.code, base.base_id, pack_dir, all_records, sizes, base_bytes, gate_result,
                       published, config, dropped, refused)


def _gate_pack(base, pack_dir: Path, records, all_records, splits: Splits, config: dict, build_info: dict, *,
               english: bool) -> tuple[dict, dict]:
    """Gate the assembled pack against the bare base and record the result in pack.json.
    A ``cla`` with which the pack is worse than the bare base on real sentences, while the
    pack without it is not, is left out (Mod_m then serves both modes) and the pack is
    gated again."""
    from langzoo.recipes.gate import quality_gate

    lang = records[0].lang
    en_pack = None
    if english:
        en_pack = Path(tempfile.mkdtemp(prefix="langzoo-enpack-"))
        assemble_pack(en_pack, [r for r in all_records if r.lang == ENGLISH], lang=ENGLISH, base=base, extra={})
    dropped: dict = {}
    try:
        def run_gate():
            return quality_gate(base, pack_dir, splits.dev, real_dev=splits.real_dev, english_pack=en_pack,
                                max_len=int(config["max_seq_length"]), device=pick_device(config.get("device")),
                                real_max_len=int((config.get("real_dev") or {}).get("max_seq_length", 128)))

        result = run_gate()
        cla_only = [m for m in result["worse"] if not m.endswith("(no cla)")]
        if result.get("real_rows") and cla_only and len(cla_only) == len(result["worse"]) \
                and (pack_dir / "cla").is_dir():
            dropped = {"cla": {"reason": "with it the pack was worse than the bare base on real sentences (" +
                               ", ".join(cla_only) + "), without it it was not: left out by the quality gate",
                               "real_rows": result["real_rows"]}}
            assemble_pack(pack_dir, records, lang=lang, base=base, extra={"build": build_info}, drop=dropped)
            result = run_gate()
    finally:
        if en_pack:
            shutil.rmtree(en_pack, ignore_errors=True)
    assemble_pack(pack_dir, records, lang=lang, base=base, extra={"build": build_info, "quality_gate": result},
                  drop=dropped)
    return result, dropped


def _publish(pack_dir: Path, registry: str | None, records: list[StageRecord], base: BaseEncoder,
             work_root: Path, language_code: str, log) -> dict:
    """Install the pack (and, for a non-English build, the English pivot pack it was
    aligned to) into the registry."""
    from langzoo.registry import uri as registry_uri

    reg = registry_uri.open_registry(registry)
    out = {"pack": reg.publish(pack_dir).to_dict()}
    en = [r for r in records if r.lang == ENGLISH]
    if en and language_code != ENGLISH:
        en_dir = work_root / base_key(base) / ENGLISH / f"pack-{sha256_json([r.key for r in en])[:16]}"
        if not (en_dir / "pack.json").is_file():
            assemble_pack(en_dir, en, lang=ENGLISH, base=base, extra={"build": {"stages": {"se": en[-1].key}}})
        out["english"] = reg.publish(en_dir).to_dict()
    log(f"published to {reg.uri}")
    return out
