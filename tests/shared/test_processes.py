"""Real processes writing one library: concurrent imports, and kill -9 in the middle of one."""

from __future__ import annotations

import random
import signal
import time

import pytest

from tests.shared.procs import cli, dumps, integrity, scalar, start_cli

pytestmark = pytest.mark.slow


def test_four_imports_at_once_store_every_paper_exactly_once(tmp_path):
    library = tmp_path / "lib.db"
    files = dumps(tmp_path, [1500, 1200, 1000, 1300])
    processes = [start_cli(library, "import", str(f)) for f in files]
    outcomes = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0, 0], outcomes
    assert integrity(library) == "ok"
    assert scalar(library, "SELECT count(*) FROM papers") == 5000
    assert scalar(library, "SELECT count(DISTINCT key) FROM papers") == 5000
    assert scalar(library, "SELECT count(*) FROM imports") == 4
    assert scalar(library, "SELECT count(*) FROM sightings") == 5000


def test_kill_9_during_imports_leaves_the_library_before_or_after(tmp_path):
    library = tmp_path / "lib.db"
    base, big = dumps(tmp_path, [300, 12000])
    assert cli(library, "import", str(base)).returncode == 0
    # How long a whole import takes here (into a scratch library): kills land inside it.
    started = time.perf_counter()
    assert cli(tmp_path / "scratch.db", "import", str(big)).returncode == 0
    duration = time.perf_counter() - started
    rng = random.Random(20261130)
    outcomes = []
    moments = [0.15, *(rng.uniform(0.1, 0.9) for _ in range(5))]
    for moment in moments:
        process = start_cli(library, "import", str(big))
        time.sleep(moment * duration)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert integrity(library) == "ok"
        count = scalar(library, "SELECT count(*) FROM papers")
        imports = scalar(library, "SELECT count(*) FROM imports")
        assert (count, imports) in ((300, 1), (12300, 2)), (count, imports)
        outcomes.append(count)
        if count == 12300:
            break  # it finished before the kill: nothing more to interrupt
    result = cli(library, "import", str(big))
    assert result.returncode == 0, result.stderr
    assert scalar(library, "SELECT count(*) FROM papers") == 12300
    assert scalar(library, "SELECT count(*) FROM imports") == 2
    assert integrity(library) == "ok"
    assert 300 in outcomes  # at least one kill landed mid-import
