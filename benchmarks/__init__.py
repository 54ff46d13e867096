"""On-demand performance benchmarks for tuireader (not part of the test suite).

Run them with ``.venv/bin/python -m benchmarks.run`` (``--full`` adds the 1M-paper size).
Synthetic dumps come from :mod:`benchmarks.generate` and are cached under ``benchmarks/out/``.
"""
