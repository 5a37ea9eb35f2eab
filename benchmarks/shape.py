"""The package's shape in numbers: modules per folder, function lengths (the README quotes it).

    python benchmarks/shape.py [PACKAGE_DIR]

A function's length is its lines from `def` to its last statement (docstring and comments
included, nested functions counted inside their parent and on their own).
"""

from __future__ import annotations

import ast
import statistics
import sys
from collections import Counter
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "tools" / "klachtenregister"


def functions(package: Path) -> list[tuple[int, str]]:
    """(lines, 'module.py:name') of every function and method."""
    found = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found.append((node.end_lineno - node.lineno + 1, f"{path.relative_to(package)}:{node.name}"))
    return found


def report(package: Path) -> str:
    per_folder = Counter(str(p.parent.relative_to(package)) for p in package.rglob("*.py"))
    lengths = functions(package)
    sizes = [n for n, _ in lengths]
    lines = [f"modules: {', '.join(f'{folder}/ {n}' for folder, n in sorted(per_folder.items()))}"]
    lines.append(f"functions: {len(sizes)}, median {statistics.median(sizes)} lines, "
                 f"{sum(1 for n in sizes if n > 30)} longer than 30")
    lines += [f"  {n:4d}  {name}" for n, name in sorted(lengths, reverse=True)[:8]]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(Path(sys.argv[1]) if len(sys.argv) > 1 else PACKAGE))
