"""The training loop (the last step is always a checkpoint candidate) and LA masking."""

import torch

from langzoo.recipes.training import train_loop


def _loop(steps: int, eval_every: int):
    w = torch.nn.Parameter(torch.zeros(1))
    result = train_loop(stage="t", params=[w], loss_fn=lambda step: (w - 10.0).pow(2).sum(), steps=steps, lr=0.5,
                        eval_fn=lambda: -float((w.detach() - 10.0).pow(2).sum()), eval_every=eval_every)
    return result, w


def test_steps_after_the_last_multiple_of_eval_every_are_measured():
    result, w = _loop(steps=5, eval_every=3)
    assert [s for s, _ in result.evals] == [0, 3, 5]
    assert result.best_step == 5 and float(w) > 0


def test_fewer_steps_than_eval_every_still_train():
    result, w = _loop(steps=2, eval_every=50)
    assert [s for s, _ in result.evals] == [0, 2]
    assert result.best_step == 2 and float(w) > 0  # used to be restored to step 0


def test_masking_asks_the_tokenizer_its_size_once():
    from langzoo.recipes.stages.la import mask_tokens

    class Tok:
        all_special_ids = [0, 1]
        mask_token_id = 2
        unk_token_id = 3
        calls = 0

        def __len__(self):
            Tok.calls += 1
            return 50

    tok, gen = Tok(), torch.Generator().manual_seed(0)
    ids = torch.randint(4, 50, (8, 12), generator=gen)
    for _ in range(3):
        masked, labels = mask_tokens(ids, torch.ones_like(ids), tok, 0.5, gen)
        assert ((labels == -100) | (labels == ids)).all() and (masked < 50).all()
    assert Tok.calls == 1
