"""Never hang on what is not a dump: pipes, endless devices, folders; a bounded read size."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.tmux_helpers import REPO
from tuireader.dumpfile import read_bounded, read_dump_file
from tuireader.importer import import_file
from tuireader.library import Library
from tuireader.models import DumpError

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")


def _import(library: Path, target: Path | str, timeout: float = 20):
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "tuireader", "--library", str(library), "import", str(target)],
        capture_output=True,
        text=True,
        timeout=timeout,  # a hang fails the test here instead of blocking the suite
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    return result, time.monotonic() - started


@needs_fifo
def test_import_of_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "dump.txt"
    os.mkfifo(fifo)
    result, seconds = _import(tmp_path / "lib.db", fifo)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "pipe" in lines[0] and "regular file" in lines[0], result.stderr
    assert seconds < 15


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_import_of_an_endless_device_is_refused(tmp_path, device):
    if not Path(device).exists():
        pytest.skip(f"{device} is not here")
    result, _ = _import(tmp_path / "lib.db", device)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "device" in lines[0], result.stderr


def test_import_of_a_folder_is_refused(tmp_path):
    folder = tmp_path / "dumps"
    folder.mkdir()
    with Library.open(tmp_path / "lib.db") as library:
        report = import_file(folder, library)
    assert not report.ok and "folder" in report.reason


@needs_fifo
def test_read_dump_file_refuses_a_fifo_without_opening_it_blocking(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(DumpError, match="pipe"):
        read_dump_file(fifo)


def test_read_size_is_bounded(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 5000)
    assert read_dump_file(path, limit=5000) == b"x" * 5000
    with pytest.raises(DumpError, match="larger than"):
        read_dump_file(path, limit=4096)
    # A stream that does not say its size is cut off as soon as it passes the limit.
    assert read_bounded(io.BytesIO(b"y" * 100), limit=100) == b"y" * 100
    with pytest.raises(DumpError, match="larger than .* the most one dump may be"):
        read_bounded(io.BytesIO(b"y" * 101), limit=100)
