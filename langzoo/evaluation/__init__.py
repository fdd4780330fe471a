"""Evaluation of sentence encoders and language packs with the metrics of the modular
sentence encoder paper: STS/STR Spearman, bitext-mining error, topic-classification
accuracy (monolingual and zero-shot), language bias and RSIM.

Typical use::

    from langzoo.evaluation import load_suite, build_encoders, run_evaluation, write_reports
    tasks = load_suite("dev", "data/dev", max_items=200)
    result = run_evaluation(tasks, build_encoders(["base", "mod_mc"], languages=["nl"]), cache_dir="cache")
    write_reports(result, "out")
"""

from langzoo.evaluation.catalog import DATASETS, DatasetSpec, load_suite, select_tasks
from langzoo.evaluation.encoders import HashingNgramEncoder, ZooEncoder, accepts_lang, build_encoders, encode_texts
from langzoo.evaluation.errors import (
    DatasetFormatError,
    DatasetUnavailableError,
    EncoderConfigError,
    EncoderOutputError,
    EvaluationError,
)
from langzoo.evaluation.hf import load_hf_task
from langzoo.evaluation.report import print_table, to_markdown, write_reports
from langzoo.evaluation.runner import EvaluationResult, run_evaluation
from langzoo.evaluation.tasks import (
    BitextTask,
    ClassificationTask,
    MultiParallelSTSTask,
    PairSimilarityTask,
    RSIMTask,
    Task,
    TaskScores,
)

__all__ = [
    "DATASETS", "DatasetSpec", "load_suite", "select_tasks",
    "HashingNgramEncoder", "ZooEncoder", "accepts_lang", "build_encoders", "encode_texts",
    "DatasetFormatError", "DatasetUnavailableError", "EncoderConfigError", "EncoderOutputError", "EvaluationError",
    "load_hf_task", "print_table", "to_markdown", "write_reports", "EvaluationResult", "run_evaluation",
    "BitextTask", "ClassificationTask", "MultiParallelSTSTask", "PairSimilarityTask", "RSIMTask", "Task", "TaskScores",
]
