"""Text read aloud on the server (ADR 13): Debian's espeak-ng French voice, encoded as Ogg Opus by opus-tools.

Each text is rendered once, on first demand, into ``settings.AUDIO_ROOT/<sha256 of voice and text>.ogg`` and
then served from there. Robotic but intelligible, and it works on every phone: the phone's own French voice is
only the fallback. ``SpeechUnavailable`` when the engine is missing or fails (the page then falls back).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import uuid
from pathlib import Path

from django.conf import settings

ESPEAK = "espeak-ng"
OPUSENC = "opusenc"
# What the sound depends on besides the text: a change here renders everything again.
VOICE = ("fr", "-s", "150")  # French, a little slower than the default 175 words a minute
BITRATE = "16"  # kb/s, mono speech: about 2 KB a second
MAX_CHARS = 6000  # far above the longest step; a bound on the work one request can ask for
TIMEOUT = 30


class SpeechUnavailable(Exception):
    """The text cannot be spoken here (no engine, or the engine failed)."""


def speech_key(text: str) -> str:
    return hashlib.sha256("\n".join([*VOICE, BITRATE, text]).encode()).hexdigest()


def speech_file(text: str) -> Path:
    """The Ogg Opus file of ``text`` spoken in French, rendered now if it was not already."""
    if not text.strip() or len(text) > MAX_CHARS or "\x00" in text:
        raise SpeechUnavailable("nothing to say")
    root = Path(settings.AUDIO_ROOT)
    path = root / f"{speech_key(text)}.ogg"
    if path.exists():
        return path
    espeak, opusenc = shutil.which(ESPEAK), shutil.which(OPUSENC)
    if not espeak or not opusenc:
        raise SpeechUnavailable("espeak-ng or opusenc is not installed")
    root.mkdir(parents=True, exist_ok=True)
    partial = root / f".{uuid.uuid4().hex}.part"
    try:
        wav = subprocess.run([espeak, "-v", *VOICE, "--stdin", "--stdout"], input=text.encode(),
                             capture_output=True, timeout=TIMEOUT, check=True).stdout
        subprocess.run([opusenc, "--quiet", "--bitrate", BITRATE, "-", str(partial)], input=wav,
                       capture_output=True, timeout=TIMEOUT, check=True)
        partial.replace(path)  # atomic: a reader never sees half a file, two renderings end the same
    except (OSError, subprocess.SubprocessError) as exc:
        raise SpeechUnavailable(str(exc)) from exc
    finally:
        partial.unlink(missing_ok=True)
    return path
