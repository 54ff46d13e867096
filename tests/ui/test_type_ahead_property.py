"""Property: any sequence of the reader's keys, sent in one burst, leaves the library, the screens,
the focus and the screen's text exactly as the same keys typed one at a time (issue 18).

Hypothesis draws sequences of the reader's keys, single keys and the small runs a person types
(a search, a tag, a note, a trip through the views or the reading view), and shrinks a failing
one to its shortest form. Each sequence runs twice on copies of one library: one key at a time,
everything settled after each (``keys_helpers.key_done``), and all at once. Searches run in
worker threads in half of the runs (as a slow search on a big library does), inline in the rest.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.app_helpers import build_library
from tests.keys_helpers import slow_and_burst

#: Letters typed into the search line, the tag editor and the note editor: keys no screen binds
#: (a run typed where no field has the focus, an empty view's, then does nothing, as it would).
LETTERS = st.sampled_from(["a", "e", "l", "b", "space"])
WORD = st.lists(LETTERS, min_size=1, max_size=4)

SINGLE = st.sampled_from(
    ["j", "k", "g", "G", "space", "r", "s", "u", "ctrl+r", "o", "O", "escape", "enter",
     "backspace", "tab", "right_square_bracket", "left_square_bracket", "x", "down"]
)
RUNS = st.one_of(
    st.tuples(st.just(["slash"]), WORD, st.sampled_from([["enter"], ["escape"], []])),
    st.tuples(st.just(["t"]), WORD, st.sampled_from([["enter", "escape"], ["enter"], ["tab", "x"]])),
    st.tuples(st.just(["n"]), WORD, st.sampled_from([["ctrl+s"], ["escape"], ["enter"]])),
    st.tuples(st.just(["v"]), st.sampled_from([["j", "enter"], ["j", "j", "enter"], ["escape"]])),
    st.tuples(st.just(["enter"]), st.sampled_from([["right_square_bracket", "s"], ["r"], ["u"]]),
              st.sampled_from([["escape"], []])),
    # Triage: decisions, undo, a tag typed, then leave; and more like this, triaged.
    st.tuples(st.sampled_from([["T"], ["m", "T"]]),
              st.lists(st.sampled_from(["s", "d", "l", "u", "j"]), max_size=4),
              st.sampled_from([[], ["t", "a", "b", "enter"]]), st.sampled_from([["escape"], []])),
)
STEP = st.one_of(SINGLE.map(lambda key: [key]), RUNS.map(lambda parts: [k for p in parts for k in p]))
SEQUENCES = st.lists(STEP, min_size=1, max_size=4).map(lambda steps: [k for s in steps for k in s])

#: Sequences tried by each of the two tests below (the two run on the two workers at once):
#: 2 x 60 keep make test near its 5 minutes (~1.2 s a sequence: two readers each);
#: TUIREADER_KEY_SEQUENCES=500 make test tries more.
EXAMPLES = int(os.environ.get("TUIREADER_KEY_SEQUENCES", "60"))


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return build_library(tmp_path_factory.mktemp("type-ahead"))


def _check(template: Path, keys: list[str], workers: bool) -> None:
    async def slow_searches(pilot) -> None:
        pilot.app.screen.services.searcher.may_be_slow = lambda: True

    with tempfile.TemporaryDirectory() as folder:
        slow, fast = asyncio.run(
            slow_and_burst(
                template, Path(folder), keys, size=(80, 24),
                before=slow_searches if workers else None,
            )
        )
    assert fast == slow, (keys, fast.differences(slow))


@settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(keys=SEQUENCES)
def test_any_burst_acts_as_the_same_keys_typed_slowly(template, keys):
    _check(template, keys, workers=False)


@settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(keys=SEQUENCES)
def test_any_burst_acts_as_typed_slowly_while_searches_run_in_workers(template, keys):
    _check(template, keys, workers=True)
