import random

from tremplin.diagnostic import engine
from tremplin.diagnostic.engine import Config, Item, Posterior, next_item, recalibrate_difficulty

COMPS = ("a", "b")


def bank():
    return [Item(f"{c}-{lvl}-{k}", c, engine.AUTHOR_DIFFICULTY[lvl]) for c in COMPS for lvl in engine.LEVELS
            for k in range(3)]


def test_with_no_answer_the_estimate_is_the_prior_and_uncertain():
    est = Posterior(COMPS).estimate("a")
    assert abs(est.mean) < 0.01 and est.sd > 1.2 and est.n_items == 0


def test_right_answers_raise_the_estimate_and_borrow_strength_for_the_other_competence():
    post = Posterior(COMPS)
    for k in range(3):
        post.add(Item(f"x{k}", "a", 0.0), True)
    assert post.estimate("a").mean > 1.0
    assert 0.2 < post.estimate("b").mean < post.estimate("a").mean


def test_the_rotation_covers_every_competence_before_going_where_doubt_is():
    items, post, asked = bank(), Posterior(COMPS, Config(max_items=6)), []
    while (it := next_item(post, items, asked)) is not None:
        post.add(it, True)
        asked.append(it.key)
    assert len(asked) == 6
    assert [k.split("-")[0] for k in asked[:4]] == ["a", "b", "a", "b"]


def test_the_test_stops_when_every_competence_is_precise_enough():
    items, asked = bank(), []
    post = Posterior(COMPS, Config(sd_target=1.0))
    while (it := next_item(post, items, asked)) is not None:
        post.add(it, False)
        asked.append(it.key)
    assert len(asked) < len(items)
    assert all(post.estimate(c).sd < 1.0 for c in COMPS)


def test_the_next_item_is_reproducible():
    items = bank()
    assert next_item(Posterior(COMPS), items, []) == next_item(Posterior(COMPS), items, [])


def test_recalibration_moves_a_mislabelled_item_toward_its_true_difficulty_with_shrinkage():
    rng = random.Random(1)
    true_b, author_b = 1.0, -0.5
    obs = []
    for _ in range(400):
        theta = rng.uniform(-3, 3)
        obs.append((theta, rng.random() < engine.p_correct(theta, 2.0, true_b)))
    estimated = recalibrate_difficulty(obs, discrimination=2.0, prior_difficulty=author_b)
    assert abs(estimated - true_b) < 0.3
    few = recalibrate_difficulty(obs[:5], discrimination=2.0, prior_difficulty=author_b)
    assert abs(few - author_b) < abs(estimated - author_b)
