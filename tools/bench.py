#!/usr/bin/env python3
"""Benchmark: run every shared case through `voiceround rehearse` with the bundled models and
print, per case, the total and tiers next to the human labels, the transcription WER, the STT
and TTS real-time factors and the wall time. `make bench` runs it.

Usage: tools/bench.py [--cases DIR] [--realtime] [--no-llm]
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import jiwer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from voiceround.session.cases import load_case, wer_pairs  # noqa: E402

SHORT = {"conflict_articulation": "CA", "data_driven_advocacy": "DA", "execution_commitment": "EC",
         "impact_quantification": "IQ", "ownership_distinctions": "OD", "customer_focus": "CF"}


def wer_of(result: dict, case) -> float:
    refs, hyps = wer_pairs(result, case)
    return jiwer.wer(refs, hyps) if refs else float("nan")


def scorer_text_vs_audio(results: dict, cases_dir: str) -> None:
    """Scorer agreement with the labels on the shared cases: from their text, and from what
    `rehearse` transcribed (STT errors included)."""
    from voiceround.rounds import load_round
    from voiceround.scoring.evaluate import audio_items, evaluate
    from voiceround.session.cases import text_items
    rnd = load_round()
    cases = [load_case(p) for p in sorted(glob.glob(os.path.join(cases_dir, "*.toml")))]
    t = evaluate(text_items(cases), rnd)
    a = evaluate(audio_items(cases, results), rnd)
    print("\n## Scorer agreement on the shared cases: text vs audio (through rehearse)\n")
    print("| source | exact | ±1 | Spearman | trap F1 |")
    print("|---|---|---|---|---|")
    for name, m in (("text", t), ("audio", a)):
        print(f"| {name} | {m['exact']:.0%} | {m['within1']:.0%} | {m['spearman']} | {m['trap_f1']:.2f} |")


from voiceround.core.events import STAGES  # noqa: E402  (the same stages the app records)


def latency_table(results: dict, realtime: bool) -> None:
    """p50/p95/max of voice-to-voice latency and of each stage over every interviewer response."""
    import numpy as np
    rows = [r for res in results.values() for r in res["timings"].get("turn_latencies", [])]
    if not rows:
        return
    print(f"\n## Voice-to-voice latency ({len(rows)} responses, {'real-time pacing' if realtime else 'as fast as the CPU allows'})\n")
    print("Voice-to-voice = first interviewer sample − true end of the candidate's speech = endpoint wait "
          "(silence needed to decide the turn is over) + input lag (microphone frames not yet handled, and the echo "
          "canceller's hold-back) + STT of the tail + planner + LLM wording + TTS of the first sentence.\n")
    print("| stage | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|")
    for k in STAGES:
        v = np.array([r.get(k, 0.0) for r in rows]) * 1000
        print(f"| {k.replace('_s', '').replace('_', ' ')} | {np.percentile(v, 50):.0f} | {np.percentile(v, 95):.0f} | {v.max():.0f} |")


def barge_in_bench(runs: int = 5) -> None:
    """Scripted barge-ins: the candidate starts talking 1-3 s into the interviewer's first question."""
    import numpy as np

    from voiceround.audio import read_audio
    from voiceround.rounds import load_round
    from voiceround.session.feeds import StreamFeed
    from voiceround.session.engines import Engines
    from voiceround.session.runner import SessionRunner
    from voiceround.storage import Store
    rnd = load_round()
    engines = Engines.load(use_llm=False)
    jfk = read_audio(ROOT.parent / "shared" / "realspeech" / "fwh_jfk.flac")
    stops = []
    for i in range(runs):
        def gen(delay=1.0 + 0.5 * i):
            x = np.concatenate([np.zeros(int(delay * 16000), np.int16), jfk, np.zeros(16000 * 4, np.int16)])
            for k in range(0, len(x) - 511, 512):
                yield x[k:k + 512]
        res = SessionRunner(rnd, engines, StreamFeed(gen()), Store(), source="bench", use_llm=False).run()
        stops += res.timings["barge_in_stop_ms"][:1]
    engines.close()
    if stops:
        print(f"\n## Barge-in\n\nScripted barge-ins ({len(stops)}): playback stopped p50 {np.percentile(stops, 50):.0f} ms, "
              f"max {max(stops):.0f} ms after the candidate started speaking (target p50 ≤ 250 ms).")


def scoring_speed() -> None:
    """Seconds to score a 20-minute transcript (target <= 2 s on 2 cores): distinct answers from the
    corpus's dev split, one after another, until 20 minutes; the sentence encoder starts with no
    vector kept (the first scoring of a round), then the same transcript again (a rescore)."""

    from voiceround.core.types import Transcript, Turn
    from voiceround.engines.encoder import SentenceEncoder
    from voiceround.rounds import load_round
    from voiceround.scoring import score, use_encoder
    from voiceround.session.cases import text_transcript
    os.environ.pop("VOICEROUND_ENCODER_CACHE", None)
    rnd = load_round()
    tr, t = Transcript(), 0.0
    for path in sorted(glob.glob(str(ROOT / "tests" / "data" / "corpus" / "dev" / "*.toml"))):
        if t >= 1200:
            break
        for x in text_transcript(load_case(path)).turns:
            d = x.end_s - x.start_s
            tr.add(Turn("interviewer", "From what baseline?", t, t + 3))
            tr.add(Turn("candidate", x.text, t + 3, t + 3 + d))
            t += 3 + d
    first, again = [], []
    for _ in range(3):
        enc = SentenceEncoder().load()
        use_encoder(lambda enc=enc: enc)
        t0 = time.perf_counter()
        score(tr, rnd)
        first.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        score(tr, rnd)
        again.append(time.perf_counter() - t0)
        enc.close()
    use_encoder(None)
    t0 = time.perf_counter()
    score(tr, rnd)
    words_only = time.perf_counter() - t0
    sentences = sum(len(x.text.split(". ")) for x in tr.turns if x.speaker == "candidate")
    print(f"\n## Scoring speed\n\nA {t / 60:.0f}-minute transcript ({len(tr.turns)} turns, about {sentences} candidate sentences, "
          f"distinct answers): first scoring {min(first):.2f}-{max(first):.2f} s of 3 runs (sentence encoder included, "
          f"nothing kept); again {min(again):.2f} s; without the encoder {words_only:.2f} s (target ≤ 2 s).")


def second_round() -> None:
    """The Customer Obsession round (written only as data) against its own labelled cases: the dev
    split its lexicons were tuned on, and the frozen test split (never tuned on)."""
    from voiceround.rounds import load_round
    from voiceround.scoring.evaluate import evaluate
    from voiceround.session.cases import text_items
    rnd = load_round("customer_obsession")
    print("\n## Second round (Customer Obsession): scorer agreement on its own cases\n")
    print("Cases written and labelled by a helper who never read the code (`tests/data/cases_customer_obsession/`); "
          "the round's lexicons and slot cues were tuned on dev only.\n")
    print("| split | cases | exact | ±1 | Spearman | trap F1 |\n|---|---|---|---|---|---|")
    for split in ("dev", "test"):
        cases = [load_case(p) for p in sorted((ROOT / "tests" / "data" / "cases_customer_obsession" / split).glob("*.toml"))]
        m = evaluate(text_items(cases), rnd)
        label = "dev (tuned on)" if split == "dev" else "test (frozen)"
        print(f"| {label} | {m['cases']} | {m['exact']:.0%} | {m['within1']:.0%} | {m['spearman']} | {m['trap_f1']:.2f} |")


def echo_cancellation() -> None:
    """AEC3 (pywebrtc-audio) on a synthetic echo: a case answer played back at -12 dB, 60 ms later,
    with a real voice talking over the second half; then live rounds through PulseAudio with the
    speaker looped into the microphone (tools/echo_bench.py), with and without the canceller."""
    import numpy as np

    from voiceround.audio import read_audio
    from voiceround.audio.echo import EchoCanceller
    far = read_audio(ROOT.parent / "shared" / "cases" / "audio" / "strong-staged-rollout.02.wav")
    talk = read_audio(ROOT.parent / "shared" / "realspeech" / "fwh_jfk.flac")
    n = len(far) // 512 * 512
    far, d, half = far[:n], 960, n // 2
    near = np.zeros(n, np.float64)
    near[d:] = far[:-d] * 10 ** (-12 / 20)
    m = min(len(talk), n - half)
    near[half:half + m] += talk[:m]
    near = np.clip(near, -32768, 32767).astype(np.int16)
    aec, out = EchoCanceller(), []
    t0 = time.perf_counter()
    for i in range(0, n, 512):
        aec.played(far[i:i + 512], captured=i)
        out.append(aec.process(near[i:i + 512]))
    cpu = (time.perf_counter() - t0) / (n / 16000)
    out = np.concatenate(out)
    db = lambda x: 10 * np.log10(np.mean(x.astype(np.float64) ** 2) + 1e-9)  # noqa: E731
    print("\n## Echo cancellation\n")
    print(f"Synthetic echo (-12 dB, 60 ms): the echo alone is {db(near[48000:half]) - db(out[48000:half]):.1f} dB quieter after "
          f"the canceller; the talker over it changes by {db(out[half:half + m]) - db(talk[:m]):+.1f} dB; "
          f"{cpu:.1%} of a core per second of audio.\n")
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "echo_bench.py")], capture_output=True, text=True, cwd=ROOT)
    print("Live rounds through PulseAudio (3 answers and one barge-in each; the speaker looped into the microphone):\n")
    print(proc.stdout.strip() or f"(not run: {proc.stderr.strip().splitlines()[-1:]})")


def corpus_scorer() -> None:
    """The scorer on the labelled corpus it was never tuned on (tests/data/corpus): dev next to test."""
    from voiceround.rounds import load_round
    from voiceround.scoring.evaluate import evaluate
    from voiceround.session.cases import text_items
    rnd = load_round("disagree_and_commit")
    print("\n## Scorer on the labelled corpus (tests/data/corpus; human-human ceiling in its README)\n")
    print("| split | cases | exact | ±1 | Spearman | trap precision | trap recall | trap F1 |\n|---|---|---|---|---|---|---|---|")
    for split in ("dev", "test"):
        cases = [load_case(p) for p in sorted(glob.glob(str(ROOT / "tests" / "data" / "corpus" / split / "*.toml")))]
        m = evaluate(text_items(cases), rnd)
        print(f"| {split} | {m['cases']} | {m['exact']:.0%} | {m['within1']:.0%} | {m['spearman']} | {m['trap_precision']:.2f} | "
              f"{m['trap_recall']:.2f} | {m['trap_f1']:.2f} |")


def long_round() -> None:
    """One whole 20-minute live round through PulseAudio (tools/long_round_bench.py)."""
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "long_round_bench.py")], capture_output=True, text=True, cwd=ROOT)
    print("\n## A whole 20-minute live round\n")
    print("Through the PulseAudio rig, a virtual candidate answering from a 38-turn story (tests/data/long/); "
          "gaps are measured at the speaker:\n")
    lines = proc.stdout.strip().splitlines()
    print("\n".join(lines[1:]) if lines else f"(not run: {proc.stderr.strip().splitlines()[-1:]})")


BEGIN, END = "<!-- make bench: begin -->", "<!-- make bench: end -->"


class _Tee:
    """Writes to the terminal and keeps a copy (the run spliced into the benchmarks file)."""

    def __init__(self, out):
        self.out, self.copy = out, []

    def write(self, text: str) -> int:
        self.copy.append(text)
        return self.out.write(text)

    def flush(self) -> None:
        self.out.flush()


def splice(path: Path, run: str) -> None:
    """Put ``run`` between the :data:`BEGIN`/:data:`END` markers of ``path`` (after its title when it
    has none), so the dated, hand-written sections around them are kept."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    block = f"{BEGIN}\n{run.strip()}\n{END}"
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        head, _, rest = text.partition("\n")
        text = f"{head}\n\n{block}\n{rest}"
    path.write_text(text, encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", default=str(ROOT.parent / "shared" / "cases"))
    ap.add_argument("--realtime", action="store_true")
    ap.add_argument("--no-llm", action="store_true")
    ap.add_argument("--into", type=Path, help="also put this run into FILE between its make-bench markers, keeping the rest")
    args = ap.parse_args()
    if args.into:
        tee = sys.stdout = _Tee(sys.stdout)
        try:
            return _run(args)
        finally:
            sys.stdout = tee.out
            splice(args.into, "".join(tee.copy))
    return _run(args)


def _run(args) -> int:
    env = dict(os.environ, VOICEROUND_DATA_DIR=tempfile.mkdtemp(prefix="vr-bench-"))
    print(f"## Latest `make bench` run\n\n`make bench` on {time.strftime('%Y-%m-%d')}: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"bundled models{' (real-time pacing)' if args.realtime else ''}.\n")
    print("## `rehearse` on every shared case\n")
    print("Tiers are got(label) for CA conflict articulation, DA data-driven advocacy, EC execution commitment, IQ impact "
          "quantification, OD ownership distinctions, CF customer focus. WER: candidate transcript vs the case text.\n")
    print("| case | total | tiers CA DA EC IQ OD CF | traps got / labelled | WER | STT RTF | TTS RTF | LLM accepted | wall s |")
    print("|---|---|---|---|---|---|---|---|---|")
    results = {}
    for path in sorted(glob.glob(os.path.join(args.cases, "*.toml"))):
        case = load_case(path)
        cmd = [sys.executable, "-m", "voiceround", "rehearse", path, "--json", "-q"] + (["--realtime"] if args.realtime else []) + (["--no-llm"] if args.no_llm else [])
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
        if proc.returncode != 0:
            print(f"| {case.id} | FAILED: {proc.stderr.strip().splitlines()[-1:]} |")
            continue
        r = json.loads(proc.stdout)
        results[case.id] = r
        labels = case.labels.get("tiers", {})
        tiers = " ".join(f"{r['scores']['dimensions'][k]['tier']}({labels.get(k, '?')})" for k in SHORT)
        traps = ",".join(t["id"] for t in r["traps"]) or "-"
        t = r["timings"]
        print(f"| {case.id} | {r['scores']['total']:.1f} | {tiers} | {traps} / {','.join(case.labels.get('traps', [])) or '-'} | "
              f"{wer_of(r, case):.3f} | {t['stt_rtf']} | {t['tts_rtf']} | {t['llm_rewordings_accepted']}/{t['llm_rewordings_tried']} | {t['wall_s']:.1f} |")
    latency_table(results, args.realtime)
    barge_in_bench()
    scorer_text_vs_audio(results, args.cases)
    second_round()
    corpus_scorer()
    echo_cancellation()
    long_round()
    scoring_speed()
    return 0


if __name__ == "__main__":
    sys.exit(main())
