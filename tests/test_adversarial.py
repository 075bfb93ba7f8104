"""The adversarial interviewer set (tests/data/adversarial: written blind to the code, see its
README): stories that don't fit the round, hostile, terse, rambling and forgetful candidates, a
story that runs out, numbers in digits and words. Tuned on ``dev`` only; ``test`` is measured,
never tuned on (figures in docs/BENCHMARKS.md)."""
import pytest

from tests.conftest import ROOT
from voiceround.cli_eval import FIT_PROBLEM
from voiceround.interviewer.evaluate import evaluate
from voiceround.session.cases import load_case
from voiceround.session.textsim import simulate_text

pytestmark = pytest.mark.fast
DEV = sorted((ROOT / "tests" / "data" / "adversarial" / "dev").glob("*.toml"))


# the dev rounds simulated once (the module fixtures), on one xdist worker (Makefile: --dist loadgroup)
pytestmark = pytest.mark.xdist_group("adversarial")


@pytest.fixture(scope="module")
def cases(rnd):
    return {c.id: c for c in (load_case(p, rnd) for p in DEV)}


@pytest.fixture(scope="module")
def rounds(rnd, cases):
    return {cid: (case.labels, evaluate(simulate_text(case, rnd), rnd)) for cid, case in cases.items()}


def test_the_set_has_each_kind_in_dev_and_test():
    test = sorted((ROOT / "tests" / "data" / "adversarial" / "test").glob("*.toml"))
    dev_kinds, test_kinds = ([load_case(p).labels["kind"] for p in split] for split in (DEV, test))
    assert len(test) == len(set(test_kinds)) == 12 and set(dev_kinds) == set(test_kinds)


def test_stories_that_do_not_fit_are_redirected_and_fitting_ones_never(rounds, cases):
    for cid, (labels, m) in rounds.items():
        if labels["fit"] == "fits":
            assert m["fit_redirects"] == [] and m["focus_probes"] == 0, cid
        elif labels["fit"] in FIT_PROBLEM:
            assert FIT_PROBLEM[labels["fit"]] in m["fit_redirects"], (cid, m["fit_redirects"])
        elif labels["fit"] == "two_stories":  # back to the first story, not a redirect
            assert m["fit_redirects"] == [], cid
            # an announced switch ("another time…") is caught; an unannounced one is not yet
            # (docs/BENCHMARKS.md: no cue tells it from a story whose cast grows)
            assert m["focus_probes"] == 1 or "without announcing" in cases[cid].summary, cid


def test_every_round_asks_the_pushback_the_commitment_and_the_reflection(rounds):
    """Also with terse, hostile, rambling or forgetful answers, and a story that runs out. A
    candidate who tells no story at all, asked twice, gets the note, then the three about decisions
    in general."""
    for cid, (labels, m) in rounds.items():
        assert labels["fit"] != "no_story" or m["no_example_noted"], (cid, m)
        assert m["pushback"] and m["commitment"] and m["reflection"], (cid, m)


def test_no_praise_single_short_questions_and_whole_quotes(rounds):
    for cid, (_, m) in rounds.items():
        assert m["praise"] == 0 and m["single_question_share"] == 1.0 and m["repeats"] == 0, cid
        assert m["fragments_quoted"] == 0 and m["questions_over_25_words"] == 0, (cid, m["fragment_examples"], m["long_question_examples"])
