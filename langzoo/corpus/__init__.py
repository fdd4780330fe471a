"""Corpus-scale `zoo encode`: streaming readers, shard plans, shard writers, and the
local and Ray engines that run one plan. Output folders are read back with
:func:`langzoo.corpus.output.load_embeddings`."""
