"""``voiceround doctor``: is everything the product needs here and working? Each model's source,
path, size, checksum and load time; the audio devices; echo cancellation; the data folder."""
from __future__ import annotations

import time

from voiceround.core.errors import VoiceRoundError


def cmd_doctor(args) -> int:
    """Print each model's source, path, size and load time, and the audio devices."""
    from voiceround.engines.models import ROLES, dir_size, resolve, verify
    ok = True
    print("Models")
    for role in ROLES:
        try:
            spec = resolve(role)
            verify(spec, full=True)
            size = dir_size(spec.path)
            engine = _engine_for(role, spec)
            t0 = time.perf_counter()
            engine.load()
            load_s = time.perf_counter() - t0
            engine.close()
            print(f"  {role.upper():<7} {spec.name}\n          source: {spec.package}\n          path:   {spec.path}\n"
                  f"          size:   {size / 1e6:.1f} MB   load: {load_s:.2f} s   sha256 ok")
        except VoiceRoundError as exc:
            ok = False
            print(f"  {role.upper():<7} FAILED: {exc}")
    print("Audio devices")
    from voiceround.audio.devices import list_devices
    devices, problem = list_devices()
    if problem:
        print(f"  no audio devices: {problem}")
    elif not devices:
        print("  no audio devices")
    for d in devices:
        kind = "/".join(k for k, n in (("in", d["inputs"]), ("out", d["outputs"])) if n)
        print(f"  [{d['index']}] {d['name']} ({kind}, {d['rate']:.0f} Hz)")
    try:  # used on every live round with a speaker (laptop without headphones)
        from voiceround.audio.echo import EchoCanceller
        EchoCanceller()
        print("  echo cancellation: WebRTC AEC3 (pywebrtc-audio) ok")
    except VoiceRoundError as exc:
        ok = False
        print(f"  echo cancellation FAILED: {exc}")
    try:
        from voiceround.core import paths
        print(f"Data folder: {paths.data_dir()}")
    except OSError as exc:
        ok = False
        print(f"Data folder: FAILED: {exc}")
    return 0 if ok else 3


def cmd_soundcheck(args) -> int:
    """Run :func:`voiceround.audio.soundcheck.run_sound_check` on the devices chosen in Settings,
    print the verdict (or JSON) and keep it in Settings (the next live round starts half-duplex when
    the echo wasn't cancelled). Exit 0, or 2 with the reason when a device or the voice fails (with
    ``--json``, also as ``{"ok": false, "error", "hint"}`` on stdout)."""
    import json
    import sys

    from voiceround.audio.soundcheck import run_sound_check
    from voiceround.core.settings import Settings
    from voiceround.engines.tts import PiperTTS
    settings = Settings.load()
    settings.apply_models()
    tts = PiperTTS()
    try:
        tts.load()
        if not args.json:
            print("Sound check: stay quiet while the voice plays, then say one sentence when it stops.", flush=True)
        # with --json, stdout holds only the result: the phases go to stderr (a script can wait for "listening")
        phase_out = sys.stderr if args.json else sys.stdout
        phase = lambda name: print(f"  {name}…", file=phase_out, flush=True)  # noqa: E731
        result = run_sound_check(tts, settings.input_device, settings.output_device, listen_s=args.listen, on_phase=phase)
    except VoiceRoundError as exc:
        print(f"voiceround: {exc}", file=sys.stderr)
        if args.json:  # a script reading stdout gets the failure too, not an empty line (a new user's test)
            print(json.dumps({"ok": False, "error": exc.args[0] if exc.args else str(exc), "hint": exc.hint}))
        return 2
    finally:
        tts.close()
    settings.remember_sound_check(result.to_dict())
    settings.save()
    if args.json:
        print(json.dumps(result.to_dict()))
        return 0
    echo = "not measurable" if result.echo_db is None else f"{result.echo_db:.1f} dB" + (
        " (nothing to cancel)" if result.verdict == "headphones" else f" (removed {result.erle_db:.1f} dB)")
    plain = {"headphones": "headphones or little echo: full duplex", "speakers": "speakers, echo cancelled: full duplex",
             "half_duplex": "speakers with echo: half-duplex"}
    print(f"  echo from the speaker: {echo}\n  your speech: {result.speech_dbfs:.1f} dBFS, background "
          f"{result.noise_dbfs:.1f} dBFS, peak {result.peak_dbfs:.1f} dBFS\n  verdict: {plain.get(result.verdict, result.verdict)}")
    for line in result.advice:
        print(f"  - {line}")
    return 0


def _engine_for(role, spec):
    if role == "vad":
        from voiceround.engines.vad import SileroVAD
        return SileroVAD(spec)
    if role == "stt":
        from voiceround.engines.stt import WhisperSTT
        return WhisperSTT(spec)
    if role == "tts":
        from voiceround.engines.tts import PiperTTS
        return PiperTTS(spec)
    if role == "encoder":
        from voiceround.engines.encoder import SentenceEncoder
        return SentenceEncoder(spec)
    from voiceround.engines.llm import LlamaRewriter
    return LlamaRewriter(spec)
