"""The core modules (CLI, library, search, importer, export, parsers) never import Textual."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_core_modules_do_not_import_textual():
    code = textwrap.dedent(
        """
        import sys
        import tuireader.cli, tuireader.library, tuireader.search
        import tuireader.importer, tuireader.export, tuireader.dumps
        import tuireader.models, tuireader.paths, tuireader.config, tuireader.web
        import tuireader.textsafe, tuireader.dumpfile, tuireader.export_file
        loaded = sorted(name for name in sys.modules if name == "textual" or name.startswith("textual."))
        assert not loaded, loaded
        print("headless")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "headless"


def test_the_cli_runs_a_command_without_textual(tmp_path):
    from tuireader.library import Library

    Library.open(tmp_path / "lib.db").close()  # (stats never creates a library)
    code = textwrap.dedent(
        f"""
        import io, sys
        from tuireader.cli import main
        out = io.StringIO()
        assert main(["--library", {str(tmp_path / "lib.db")!r}, "stats"], out=out) == 0
        assert main(["path"], out=out) == 0
        assert "textual" not in sys.modules
        print("headless")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "headless"
