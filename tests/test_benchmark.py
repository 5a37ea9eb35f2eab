"""The benchmark script runs end to end (on a tiny register; the real runs stay out of CI)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from conftest import PRODUCT


def test_quick_benchmark_writes_every_measurement(tmp_path: Path):
    out = tmp_path / "benchmark.md"
    result = subprocess.run([sys.executable, str(PRODUCT / "benchmarks/bench.py"), "--quick", "--out", str(out)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    assert "| 30 |" in text  # the row of the 30-complaint register
    for target in ("check 30", "history pass", "build 30", "peak memory", "search index", "bare MkDocs", "MkDocs alone",
                   "one git log per file", "serve shows an edit", "brief (PDF)", "brief (PDF + .docx)",
                   "field history adds", "history pass with fields", "check of one hostile file",
                   "build of one hostile file"):
        assert target in text, target
    assert text.count("PASS") + text.count("FAIL") == 15
    assert "## Veldgeschiedenis" in text and "| 30 |" in text.split("## Veldgeschiedenis")[1]
    assert "Machine:" in text and "cores" in text
    assert "build Zensical" in text  # a time beside MkDocs' when the extra is installed, else a dash
    assert ("| 30 | " in text and "— | — |" not in text) == bool(importlib.util.find_spec("zensical"))


def test_history_only_replaces_just_its_section(tmp_path: Path):
    out = tmp_path / "benchmark.md"
    out.write_text("# Benchmark\n\nEerder gemeten.\n\n## Veldgeschiedenis\n\noud\n\n## Daarna\n\nblijft\n",
                   encoding="utf-8")
    result = subprocess.run([sys.executable, str(PRODUCT / "benchmarks/bench.py"), "--quick", "--history-only",
                             "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    assert "Eerder gemeten." in text and "## Daarna\n\nblijft" in text and "\noud\n" not in text
    assert text.count("## Veldgeschiedenis") == 1 and "| 30 |" in text and "field history adds" in text
