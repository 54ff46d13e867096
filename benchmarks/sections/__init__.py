"""The benchmark's sections, in the order they run at each size.

Each is a function ``section(bench, size)`` that measures one thing at one size and hands its
figures to ``bench.report``. To add one, write it in the module of its kind and list it here.
"""

from __future__ import annotations

from collections.abc import Callable

from benchmarks.bench import Bench
from benchmarks.sections.burst import section_ui_burst
from benchmarks.sections.health import section_health
from benchmarks.sections.importing import section_import, section_index
from benchmarks.sections.ranking import section_ranking, section_ranking_quality
from benchmarks.sections.reading import section_open, section_search
from benchmarks.sections.slow_link import section_slow_link
from benchmarks.sections.ui import section_ui_keys, section_ui_start
from benchmarks.sections.wire import section_wire

Section = Callable[[Bench, int], None]
#: The sections, in the order they run at each size. Append new ones here.
SECTIONS: list[Section] = [
    section_import,
    section_index,
    section_open,
    section_search,
    section_ui_start,
    section_ui_keys,
    section_ui_burst,
    section_ranking,
    section_ranking_quality,
    section_wire,
    section_slow_link,
    section_health,
]
