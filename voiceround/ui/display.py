"""Can the desktop app open a window here? Checked before Qt starts, because Qt aborts the process
(exit 134) when its platform plugin can't load, with a message that often names the wrong library.

Linux only; elsewhere, or when ``QT_QPA_PLATFORM`` names a platform other than ``xcb``, Qt is trusted.
No Qt import here (the command line calls this first).
"""
from __future__ import annotations

import ctypes
import os
import re
import sys
from pathlib import Path

# Shared libraries Qt's xcb plugin needs beyond a base system, and the Debian/Ubuntu package of each
# (Qt for X11 requirements, doc.qt.io/qt-6/linux-requirements.html).
XCB_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0", "libxcb-icccm.so.4": "libxcb-icccm4", "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0", "libxcb-render-util.so.0": "libxcb-render-util0", "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0", "libxcb-xfixes.so.0": "libxcb-xfixes0", "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0", "libxkbcommon.so.0": "libxkbcommon0", "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1", "libxcb-xinerama.so.0": "libxcb-xinerama0", "libxcb-render.so.0": "libxcb-render0",
    "libX11-xcb.so.1": "libx11-xcb1", "libEGL.so.1": "libegl1", "libfontconfig.so.1": "libfontconfig1",
}
APT_LINE = "sudo apt install " + " ".join(sorted(set(XCB_PACKAGES.values())))


def _xcb_plugin() -> Path | None:
    try:
        import PySide6
    except ImportError:
        return None
    p = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return p if p.exists() else None


def missing_x11_library() -> str | None:
    """The first shared library Qt's xcb plugin can't load (e.g. ``libxcb-icccm.so.4``), or None."""
    plugin = _xcb_plugin()
    if plugin is None:
        return None
    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        m = re.search(r"(lib[\w.+-]+\.so[\w.]*): cannot open shared object file", str(exc))
        return m.group(1) if m else None
    return None


def display_problem() -> str | None:
    """Why no window can open, as a message with the fix, or None when it can (or we can't tell)."""
    if not sys.platform.startswith("linux"):
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb"):
        return None
    display, wayland = os.environ.get("DISPLAY", ""), os.environ.get("WAYLAND_DISPLAY", "")
    if not platform and not display and not wayland:
        return ("no display found, so the desktop app can't open a window.\n"
                "  fix: run it in a desktop session, or use the command line: `voiceround rehearse CASE.toml` (see README)")
    if wayland and not display and not platform:
        sock = Path(wayland) if wayland.startswith("/") else Path(os.environ.get("XDG_RUNTIME_DIR", "/run/user/0")) / wayland
        if not sock.exists():
            return f"WAYLAND_DISPLAY={wayland} but there is no Wayland server at {sock}.\n  fix: run it in a desktop session"
        return None
    m = re.fullmatch(r"(?:unix)?:(\d+)(?:\.\d+)?", display)
    if m and not Path(f"/tmp/.X11-unix/X{m.group(1)}").exists():
        return (f"DISPLAY={display} but no X server is running there (no /tmp/.X11-unix/X{m.group(1)}).\n"
                "  fix: run it in a desktop session, or set DISPLAY to your running display")
    lib = missing_x11_library()
    if lib:
        return (f"the X11 library {lib} is missing, so Qt can't open a window.\n"
                f"  fix: sudo apt install {XCB_PACKAGES.get(lib, lib)}   (all Qt needs: {APT_LINE})")
    return None
