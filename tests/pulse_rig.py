"""A private PulseAudio daemon with a virtual speaker and a virtual microphone, for live rounds
through the real audio stack (PortAudio → ALSA → PulseAudio, the same path as a laptop).

- ``speaker``: a null sink, the app's default output; record it from ``speaker.monitor``.
- ``micfeed``: a null sink the virtual candidate plays into (``paplay --device=micfeed``).
- ``mic``: ``micfeed.monitor`` remapped as a source, the app's default input.

The daemon runs in its own runtime folder (``PULSE_RUNTIME_PATH``), so it never touches a user's
sound server; :attr:`PulseRig.env` is the environment a client (the app, ``paplay``) needs.
Needs Debian's ``pulseaudio``, ``pulseaudio-utils`` and ``libasound2-plugins`` (``.ci/run``
installs them).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

CONFIG = """\
load-module module-native-protocol-unix auth-anonymous=1
load-module module-null-sink sink_name=speaker sink_properties=device.description=Speaker
load-module module-null-sink sink_name=micfeed sink_properties=device.description=MicFeed
load-module module-remap-source source_name=mic master=micfeed.monitor source_properties=device.description=Microphone
set-default-sink speaker
set-default-source mic
"""


def available() -> str | None:
    """None when the rig can run here, else what is missing."""
    missing = [b for b in ("pulseaudio", "pactl", "paplay") if shutil.which(b) is None]
    return f"not installed: {', '.join(missing)} (apt install pulseaudio pulseaudio-utils libasound2-plugins)" if missing else None


class PulseRig:
    """Start with :meth:`start`, end with :meth:`stop`. ``folder``: a fresh folder for the daemon."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.runtime = self.folder / "pulse-runtime"
        self.proc: subprocess.Popen | None = None

    @property
    def env(self) -> dict[str, str]:
        """The environment for a PulseAudio client of this daemon (and nothing else)."""
        env = dict(os.environ)
        env.update(PULSE_RUNTIME_PATH=str(self.runtime), PULSE_SERVER=f"unix:{self.runtime / 'native'}")
        env.pop("PULSE_COOKIE", None)
        return env

    def start(self, timeout_s: float = 15.0) -> "PulseRig":
        """Start the daemon and wait until it answers. Raises RuntimeError with its log if it doesn't."""
        self.runtime.mkdir(parents=True, exist_ok=True)
        conf = self.folder / "rig.pa"
        conf.write_text(CONFIG)
        log = self.folder / "pulse.log"
        env = self.env
        env.pop("PULSE_SERVER")
        self.proc = subprocess.Popen(["pulseaudio", "-n", "-F", str(conf), "--exit-idle-time=-1", "--daemonize=no",
                                      "--disallow-exit", f"--log-target=file:{log}"], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if subprocess.run(["pactl", "info"], env=self.env, capture_output=True).returncode == 0:
                return self
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"PulseAudio did not start: {log.read_text() if log.exists() else 'no log'}")

    def echo(self, gain_db: float, latency_ms: int = 40) -> None:
        """Loop the speaker back into the microphone, as a laptop without headphones does: what the
        app plays reaches the microphone ``gain_db`` (e.g. -20, -12, -6) lower, ``latency_ms`` later."""
        mod = subprocess.run(["pactl", "load-module", "module-loopback", "source=speaker.monitor", "sink=micfeed",
                              f"latency_msec={latency_ms}", "source_dont_move=true", "sink_dont_move=true"],
                             env=self.env, capture_output=True, text=True, check=True).stdout.strip()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            listing = subprocess.run(["pactl", "list", "sink-inputs"], env=self.env, capture_output=True, text=True).stdout
            for block in listing.split("Sink Input #")[1:]:
                if re.search(rf"Owner Module: {mod}\b", block):
                    r = subprocess.run(["pactl", "set-sink-input-volume", block.split()[0], f"{gain_db}dB"], env=self.env,
                                       capture_output=True)
                    if r.returncode == 0:  # (the loopback may still be re-creating its sink input: retry)
                        return
            time.sleep(0.1)
        raise RuntimeError("the echo loopback did not appear")

    def play(self, wav: Path) -> None:
        """Play ``wav`` into the virtual microphone; returns when it has been played."""
        subprocess.run(["paplay", "--device=micfeed", str(wav)], env=self.env, check=True, timeout=300)

    def stop(self) -> None:
        """End the daemon."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
