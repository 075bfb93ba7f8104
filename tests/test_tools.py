"""The project's own tools, as a developer runs them."""
import sys

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))


@pytest.mark.fast
def test_make_bench_replaces_only_its_own_block_of_the_benchmarks_file(tmp_path):
    """`make bench` puts its run between its markers and keeps the dated, hand-written sections
    (it used to overwrite the whole of docs/BENCHMARKS.md with its output)."""
    from bench import BEGIN, END, splice
    doc = tmp_path / "BENCHMARKS.md"
    doc.write_text("# Benchmarks\n\n## Echo (2026-11-30)\n\nhand-written\n", encoding="utf-8")
    splice(doc, "## Latest `make bench` run\n\nrun one\n")
    splice(doc, "## Latest `make bench` run\n\nrun two\n")
    text = doc.read_text(encoding="utf-8")
    assert text.count(BEGIN) == 1 and text.count(END) == 1
    assert "run two" in text and "run one" not in text
    assert text.startswith("# Benchmarks") and text.index(END) < text.index("## Echo (2026-11-30)") and "hand-written" in text
    # the real file has its markers, so a run keeps every dated section
    real = (ROOT / "docs" / "BENCHMARKS.md").read_text(encoding="utf-8")
    assert real.count(BEGIN) == 1 and real.index(END) < real.index("## Second round")
