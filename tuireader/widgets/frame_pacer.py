"""Frames paced by the terminal's own answers: a slow link never builds a backlog of frames.

Over a slow link (ssh through a bad network) a held key makes frames faster than the link
carries them; every kernel, ssh and network buffer on the way queues them, and the screen goes
on moving long after the key is released. The program cannot see those buffers, but the
terminal can say what it has received: each frame ends with a question every terminal answers
(Primary Device Attributes, ``ESC [ c``), and the answer comes back once everything before it
has arrived. :class:`FramePacer` counts the bytes sent and not yet answered for; while more than
:data:`WINDOW` are on their way, frames are not written but merged (the cells wanted go on
changing; the next frame sends the net change), so what is queued on the link stays about one
frame and the last frame arrives soon after the last key.

A terminal that never answers is not waited for: with no answer at all after :data:`PATIENCE`
seconds, pacing is off for the session; a late answer never holds a frame longer than that.
Pure logic, no I/O: the app calls :meth:`sent` after writing and :meth:`answered` per answer.
"""

from __future__ import annotations

from collections import deque

#: The question that ends each frame (Primary Device Attributes): three bytes.
PROBE = "\x1b[c"
#: Bytes that may be on their way unanswered (about a 50 KB/s link's round trip of 150 ms).
WINDOW = 8 * 1024
#: Seconds a frame waits at most for answers (and, before the first answer, the time after
#: which the terminal is taken to answer never: pacing off).
PATIENCE = 1.0


class FramePacer:
    """Bytes sent, bytes the terminal answered for, and whether the next frame may go now."""

    def __init__(self) -> None:
        self.answers: bool | None = None  #: None until the first answer, False: pacing off
        self.sent_total = 0
        self.answered_total = 0
        self.asked = 0  #: questions sent (each frame's)
        self._probes: deque[tuple[int, float]] = deque()  # (bytes sent by then, when)

    @property
    def in_flight(self) -> int:
        """Bytes written that the terminal has not answered for yet."""
        return self.sent_total - self.answered_total

    def may_send(self, now: float) -> bool:
        """True when the next frame may be written at ``now`` (monotonic seconds)."""
        if self.answers is False or self.in_flight <= WINDOW:
            return True
        oldest = self._probes[0][1] if self._probes else now
        if now - oldest < PATIENCE:
            return False
        if self.answers is None:
            self.answers = False  # a terminal that never answers: do not wait for it again
        self._probes.clear()
        self.answered_total = self.sent_total
        return True

    def wait(self, now: float) -> float:
        """Seconds until a frame held now may go even if no answer comes."""
        oldest = self._probes[0][1] if self._probes else now
        return max(0.0, oldest + PATIENCE - now)

    def sent(self, size: int, now: float) -> None:
        """``size`` bytes ending with :data:`PROBE` were written at ``now``."""
        self.sent_total += size
        self.asked += 1
        if self.answers is False:
            self.answered_total = self.sent_total
        else:
            self._probes.append((self.sent_total, now))

    def answered(self) -> None:
        """The terminal answered the oldest question: everything up to it has arrived."""
        if self.answers is None:
            self.answers = True
        if self._probes:
            self.answered_total = self._probes.popleft()[0]
