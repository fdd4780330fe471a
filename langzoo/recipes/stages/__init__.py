"""Build stages: each module has one job and a ``run(ctx, out) -> dict`` entry point
that writes its result into ``out`` (a temp folder the runner renames on success)."""
