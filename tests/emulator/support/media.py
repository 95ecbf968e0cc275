"""Generated media for the test peers: a colored video and a sine tone, paced in real time."""

from __future__ import annotations

import asyncio
import fractions
import math
import time

import av
import numpy as np
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack, VideoStreamTrack

AUDIO_RATE = 48000
AUDIO_PTIME = 0.020
AUDIO_SAMPLES = int(AUDIO_RATE * AUDIO_PTIME)


class ColorVideoTrack(VideoStreamTrack):
    """A video track of solid frames of one color (small, to keep the VP8 encoders cheap)."""

    def __init__(self, color: tuple[int, int, int], width: int = 160, height: int = 120) -> None:
        super().__init__()
        image = np.zeros((height, width, 3), dtype=np.uint8)
        image[:, :] = color
        self._image = image

    async def recv(self) -> av.VideoFrame:
        pts, time_base = await self.next_timestamp()
        frame = av.VideoFrame.from_ndarray(self._image, format="bgr24")
        frame.pts = pts
        frame.time_base = time_base
        return frame


class SineAudioTrack(MediaStreamTrack):
    """A mono 48 kHz audio track playing a sine tone of `frequency` Hz in 20 ms frames."""

    kind = "audio"

    def __init__(self, frequency: float = 440.0) -> None:
        super().__init__()
        self._frequency = frequency
        self._start: float | None = None
        self._timestamp = 0

    async def recv(self) -> av.AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        if self._start is None:
            self._start = time.time()
        else:
            self._timestamp += AUDIO_SAMPLES
            wait = self._start + self._timestamp / AUDIO_RATE - time.time()
            if wait > 0:
                await asyncio.sleep(wait)  # pacing in real time, not synchronisation
        t = (self._timestamp + np.arange(AUDIO_SAMPLES)) / AUDIO_RATE
        samples = (0.3 * 32767 * np.sin(2 * math.pi * self._frequency * t)).astype(np.int16)
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = AUDIO_RATE
        frame.pts = self._timestamp
        frame.time_base = fractions.Fraction(1, AUDIO_RATE)
        return frame
