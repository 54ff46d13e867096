"""The frame pacer: frames wait while more than a window of bytes is unanswered, never longer
than PATIENCE, and a terminal that never answers is not waited for again."""

from __future__ import annotations

from tuireader.widgets.frame_pacer import PATIENCE, WINDOW, FramePacer


def test_frames_go_while_little_is_on_its_way_and_wait_when_the_window_is_full():
    pacer = FramePacer()
    assert pacer.may_send(0.0)
    pacer.sent(WINDOW // 2, 0.0)
    assert pacer.may_send(0.01)
    pacer.sent(WINDOW // 2 + 1, 0.01)
    assert pacer.in_flight == WINDOW + 1
    assert not pacer.may_send(0.02)
    pacer.answered()  # the first frame arrived
    assert pacer.in_flight == WINDOW // 2 + 1
    assert pacer.may_send(0.03)


def test_answers_come_in_order_and_each_clears_its_frame():
    pacer = FramePacer()
    for n in range(3):
        pacer.sent(WINDOW, n * 0.01)
    assert pacer.in_flight == 3 * WINDOW
    pacer.answered()
    pacer.answered()
    assert pacer.in_flight == WINDOW
    pacer.answered()
    assert pacer.in_flight == 0
    pacer.answered()  # an answer to a question another program asked: nothing to clear
    assert pacer.in_flight == 0


def test_a_frame_waits_no_longer_than_patience_for_a_late_answer():
    pacer = FramePacer()
    pacer.answered()  # this terminal answers
    pacer.sent(2 * WINDOW, 10.0)
    assert not pacer.may_send(10.0 + PATIENCE / 2)
    assert pacer.wait(10.0 + PATIENCE / 2) == PATIENCE / 2
    assert pacer.may_send(10.0 + PATIENCE)
    assert pacer.answers is True  # still paced: the next full window waits again
    pacer.sent(2 * WINDOW, 12.0)
    assert not pacer.may_send(12.1)


def test_a_terminal_that_never_answers_is_not_waited_for_again():
    pacer = FramePacer()
    pacer.sent(2 * WINDOW, 0.0)
    assert not pacer.may_send(0.5)
    assert pacer.may_send(PATIENCE)
    assert pacer.answers is False
    for n in range(5):
        pacer.sent(2 * WINDOW, PATIENCE + n)
        assert pacer.may_send(PATIENCE + n)
