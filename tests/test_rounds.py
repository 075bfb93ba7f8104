"""The round file: loads, follows the seed, and bad files fail with the line or field named."""
import pytest

from voiceround.rounds import RoundFileError, load_round

pytestmark = pytest.mark.fast  # no models, no audio, no subprocess (make test-fast)

SEED_FRAMEWORK = {  # ../shared/seeds: "Interview framework"
    "conflict_articulation": 15, "data_driven_advocacy": 20, "execution_commitment": 20,
    "impact_quantification": 15, "ownership_distinctions": 15, "customer_focus": 15,
}
SEED_SCORECARD = {  # ../shared/seeds: "What we evaluate"
    "conflict_evidence_specificity": 15, "tradeoff_reasoning_rigor": 20, "pushback_recalibration_response": 20,
    "individual_contribution_ownership": 15, "business_impact_articulation": 15,
    "disagreement_reflection_self_awareness": 15,
}


def test_round_follows_the_seed(rnd):
    assert rnd.card["company"] == "Amazon" and rnd.card["duration_min"] == 20 and rnd.duration_s == 1200
    assert {d.id: d.weight for d in rnd.rubrics["framework"].dimensions} == SEED_FRAMEWORK
    assert {d.id: d.weight for d in rnd.rubrics["scorecard"].dimensions} == SEED_SCORECARD
    assert set(rnd.traps) == {"headline_metric_without_slice", "missing_commitment_phase", "yielding_too_quickly",
                              "passive_aggressive_compliance", "opinion_based_conflict", "royal_we",
                              "invented_baseline", "abstraction_drift"}
    for rb in rnd.rubrics.values():
        for d in rb.dimensions:
            assert sorted(d.anchors) == [1, 2, 3, 4] and all(d.anchors.values())
    assert len(rnd.card["faq"]) == 8 and len(rnd.card["checklist"]) == 3


def test_every_template_is_one_question(rnd):
    for probe in rnd.probes.values():
        for t in probe.templates:
            if "{previous}" in t:  # re-asks end with the previous (validated) question
                assert t.endswith("{previous}") and "?" not in t
                continue
            assert t.count("?") == 1 and t.endswith("?")


def test_syntax_error_names_the_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "x"\n[card\nfield = 1\n')
    with pytest.raises(RoundFileError) as e:
        load_round(bad)
    assert e.value.line == 2 and "line 2" in str(e.value)


def test_schema_error_names_the_field(tmp_path, rnd):
    text = rnd.path.read_text().replace("weight = 20\ndefinition = \"How heavily", "weight = 25\ndefinition = \"How heavily")
    bad = tmp_path / "weights.toml"
    bad.write_text(text)
    with pytest.raises(RoundFileError) as e:
        load_round(bad)
    assert "sum to 105" in str(e.value) and e.value.field.startswith("rubrics[0]")
    missing = tmp_path / "missing.toml"
    missing.write_text(rnd.path.read_text().replace('company = "Amazon"\n', ""))
    with pytest.raises(RoundFileError) as e:
        load_round(missing)
    assert e.value.field == "card.company"


def test_missing_round_file_is_a_clear_error(tmp_path):
    with pytest.raises(RoundFileError, match="cannot read round file"):
        load_round(tmp_path / "nope.toml")


@pytest.mark.parametrize("line,field", [("duration_s = -5", "timing.duration_s"), ("monologue_budget_s = 5000", "timing.monologue_budget_s"),
                                        ("argument_share_limit = 3", "timing.argument_share_limit"),
                                        ('max_claim_probes = "many"', "timing.max_claim_probes"),
                                        ("duraton_s = 1200", "timing.duraton_s")])
def test_bad_timing_values_are_refused_with_the_field(tmp_path, line, field):
    from pathlib import Path
    src = (Path(__file__).resolve().parents[1] / "voiceround" / "rounds" / "disagree_and_commit.toml").read_text()
    key = line.split(" =")[0]
    lines = [ln for ln in src.splitlines() if not ln.startswith(key + " ")]
    i = lines.index("[timing]")
    lines.insert(i + 1, line)
    p = tmp_path / "bad.toml"
    p.write_text("\n".join(lines))
    with pytest.raises(RoundFileError) as err:
        load_round(p)
    assert err.value.field == field and "bad.toml" in str(err.value)


@pytest.mark.parametrize("content", [b"\xff\xfe\x00binary\x80junk", b"id = \"x\"\n\x80\x81"])
def test_a_binary_round_file_is_refused_with_a_message(tmp_path, content):
    p = tmp_path / "round.toml"
    p.write_bytes(content)
    with pytest.raises(RoundFileError, match="not UTF-8 text"):
        load_round(p)
