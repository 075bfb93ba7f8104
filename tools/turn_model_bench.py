#!/usr/bin/env python3
"""Would an end-of-turn model endpoint our candidates better than silence and sentence rules?

Runs Smart Turn v3.x (pipecat's BSD-2 ONNX model on the Whisper-tiny encoder) at every gap in
the shared cases' answers: each answer WAV is one whole candidate turn, so a gap inside it
(>= 0.22 s of silence, Silero VAD below 0.35) is a place where ending the turn would be
premature, and the silence after its last word is the true end of the turn. Prints, per
threshold, the share of inner gaps and of true ends the model calls complete, and its inference
time. The model is not bundled (VoiceRound doesn't ship it: docs/BENCHMARKS.md says why); point
``--model`` at it, e.g. from the pipecat-ai wheel::

    pip download --no-deps pipecat-ai -d /tmp/pc && unzip -o /tmp/pc/pipecat_ai-*.whl -d /tmp/pc
    tools/turn_model_bench.py --model /tmp/pc/pipecat/audio/turn/smart_turn/data/smart-turn-v3.2-cpu.onnx

Features: faster-whisper's own log-mel extractor over the last 8 s (zero-padded in front), the
waveform normalised to zero mean and unit variance first, as Smart Turn's reference code does.
"""
from __future__ import annotations

import argparse
import glob
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CASES = ROOT.parent / "shared" / "cases"
WINDOW = 8 * 16000  # samples: the model's 8 s input at 16 kHz
GAP_FRAMES = 7      # 7 VAD frames of 32 ms: the 0.22 s silence at which the model is asked


def features(audio: np.ndarray, extractor) -> np.ndarray:
    """(1, 80, 800) float32 log-mel features of the last 8 s of int16 ``audio`` (16 kHz)."""
    x = audio.astype(np.float32) / 32768.0
    x = x[-WINDOW:] if len(x) > WINDOW else np.pad(x, (WINDOW - len(x), 0))
    x = (x - x.mean()) / np.sqrt(x.var() + 1e-7)
    return extractor(x, padding=0)[:, :800][None].astype(np.float32)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True, help="smart-turn-v3.x ONNX file")
    ap.add_argument("--cases", default=str(CASES / "audio"), help="folder of answer WAVs (one candidate turn each)")
    args = ap.parse_args()
    import onnxruntime as ort
    from faster_whisper.feature_extractor import FeatureExtractor

    from voiceround.audio import read_audio
    from voiceround.engines.vad import SileroVAD
    so = ort.SessionOptions()
    so.intra_op_num_threads, so.inter_op_num_threads = 1, 1
    session = ort.InferenceSession(args.model, sess_options=so)
    extractor = FeatureExtractor(feature_size=80, chunk_length=8)
    vad = SileroVAD()
    vad.load()

    def complete(audio: np.ndarray, times: list) -> float:
        t = time.perf_counter()
        p = float(session.run(None, {"input_features": features(audio, extractor)})[0].ravel()[0])
        times.append(time.perf_counter() - t)
        return p

    inner, ends, times = [], [], []
    wavs = sorted(glob.glob(str(Path(args.cases) / "*.wav")))
    for wav in wavs:
        a = read_audio(wav)
        stream = vad.stream()
        p = np.array([stream.prob_int16(a[i:i + 512]) for i in range(0, len(a) - 511, 512)])
        voiced = np.where(p >= 0.5)[0]
        if not len(voiced):
            continue
        i, last = voiced[0], voiced[-1]
        while i <= last:
            if p[i] >= 0.35:
                i += 1
                continue
            j = i
            while j < len(p) and p[j] < 0.35:
                j += 1
            if j - i >= GAP_FRAMES and j <= last:
                inner.append(complete(a[: (i + GAP_FRAMES) * 512], times))
            i = j
        ends.append(complete(np.concatenate([a[: (last + 1) * 512], np.zeros(GAP_FRAMES * 512, np.int16)]), times))
    inner_p, end_p = np.array(inner), np.array(ends)
    print(f"{len(wavs)} answers, {len(inner_p)} gaps inside answers, {len(end_p)} true ends; "
          f"inference p50 {np.percentile(times, 50) * 1000:.0f} ms, p95 {np.percentile(times, 95) * 1000:.0f} ms\n")
    print("| threshold | gaps inside an answer called complete (premature endpoint) | true ends called complete |")
    print("|---|---|---|")
    for th in (0.3, 0.5, 0.7, 0.9):
        print(f"| {th} | {np.mean(inner_p >= th):.0%} | {np.mean(end_p >= th):.0%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
