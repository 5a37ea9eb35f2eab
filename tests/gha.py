"""Helpers for the GitHub workflow tests: the workflow files as data, and small registers
in real Git repositories to run the workflows' own shell steps against."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
GITHUB = ROOT / ".github"
WORKFLOW_DIR = GITHUB / "workflows"
WORKFLOWS = sorted(WORKFLOW_DIR.glob("*.y*ml"))
PYTHON_BIN = str(Path(sys.executable).parent)

SHA_PIN = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")

GOOD_COMPLAINT = """\
---
volgnummer: {volgnummer}
onderwerp: Terugkoppeling na intake bleef uit
ontvangen: {ontvangen}
kanaal: mondeling
ontvangen_door: Jan de Vries
klager:
  naam: Anna Jansen
categorie: communicatie
bevestigd: {bevestigd}
---
## Omschrijving
Klager wacht op terugkoppeling na de intake.
"""

UNCONFIRMED_COMPLAINT = """\
---
volgnummer: {volgnummer}
onderwerp: Afspraak twee keer verzet
ontvangen: {ontvangen}
kanaal: schriftelijk
ontvangen_door: Jan de Vries
klager:
  naam: Piet Pieters
categorie: planning
---
## Omschrijving
Klager schreef dat de afspraak twee keer is verzet.
"""

# --today used for the fixed-date runs: no evaluation or annual overview is due yet
# (start 2026-01-01: the first period to end is 2026-H1), 2026-001 received 2026-03-02
# and confirmed 2026-03-05 is fine, 2026-002 received 2026-02-01 and never confirmed
# is overdue (bevestiging due 2026-02-08).
TODAY = "2026-03-10"


# ---------------------------------------------------------------- helpers


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    # PyYAML (YAML 1.1) reads the bare key `on` as the boolean True.
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return {name: None for name in on}
    return on or {}


def workflow(name: str) -> dict:
    return load_yaml(WORKFLOW_DIR / name)


def all_steps():
    for path in WORKFLOWS:
        for job_id, job in (load_yaml(path).get("jobs") or {}).items():
            for step in job.get("steps") or []:
                yield path, job_id, job, step


def check_steps():
    """Every step, in every workflow, whose `run:` calls `klachten check`."""
    return [
        pytest.param(step["run"], id=f"{path.stem}:{job_id}:{step.get('name', '?')}")
        for path, job_id, _job, step in all_steps()
        if "klachten check" in step.get("run", "")
    ]


def run(cmd, cwd, env=None, timeout=300, check=False, input=None):
    return subprocess.run(
        cmd,
        cwd=cwd,
        env=env,
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=check,
    )


def base_env(**extra) -> dict:
    env = dict(os.environ)
    # The `klachten` of the interpreter running the tests comes first.
    env["PATH"] = PYTHON_BIN + os.pathsep + env.get("PATH", "")
    for name in ("GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT", "KLACHTEN_TODAY"):
        env.pop(name, None)
    env.setdefault("GIT_AUTHOR_NAME", "Test")
    env.setdefault("GIT_AUTHOR_EMAIL", "test@example.invalid")
    env.setdefault("GIT_COMMITTER_NAME", "Test")
    env.setdefault("GIT_COMMITTER_EMAIL", "test@example.invalid")
    env.update(extra)
    return env


def git(*args, cwd, env=None):
    return run(["git", *args], cwd=cwd, env=env or base_env(), check=True).stdout


def make_register(root: Path, complaints: dict[str, str], start: str) -> Path:
    """A minimal register: procedure.yml with `start` and the given complaint files."""
    (root / "klachten").mkdir(parents=True)
    (root / "klachten" / "procedure.yml").write_text(f"start: {start}\n", encoding="utf-8")
    for volgnummer, text in complaints.items():
        year_dir = root / "klachten" / volgnummer[:4]
        year_dir.mkdir(exist_ok=True)
        (year_dir / f"{volgnummer}.md").write_text(text, encoding="utf-8")
    git("init", "-q", "-b", "main", cwd=root)
    git("add", "-A", cwd=root)
    git("commit", "-q", "-m", "Register", cwd=root)
    return root


def good_register(root: Path) -> Path:
    good = GOOD_COMPLAINT.format(volgnummer="2026-001", ontvangen="2026-03-02", bevestigd="2026-03-05")
    return make_register(root, {"2026-001": good}, start="2026-01-01")


def overdue_register(root: Path) -> Path:
    good = GOOD_COMPLAINT.format(volgnummer="2026-001", ontvangen="2026-03-02", bevestigd="2026-03-05")
    late = UNCONFIRMED_COMPLAINT.format(volgnummer="2026-002", ontvangen="2026-02-01")
    return make_register(root, {"2026-001": good, "2026-002": late}, start="2026-01-01")


def bash_step(script: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    # `shell: bash` on GitHub runs `bash --noprofile --norc -eo pipefail {0}`.
    return run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=cwd, env=env)


def run_script(workflow_name: str, job: str, needle: str) -> str:
    """The `run:` of the one step of `job` whose script contains `needle`."""
    steps = workflow(workflow_name)["jobs"][job]["steps"]
    (script,) = [s["run"] for s in steps if needle in s.get("run", "")]
    return script


FAKE_GH = '''#!{python}
"""A stand-in for the GitHub CLI: records every call (with the text of --body-file) as a
JSON line, answers `issue list` from $FAKE_GH_ISSUES, fails the calls named in $FAKE_GH_FAIL."""
import json, os, sys
args = sys.argv[1:]
record = {{"args": args}}
if "--body-file" in args:
    with open(args[args.index("--body-file") + 1], encoding="utf-8") as body:
        record["body_file"] = body.read()
with open(os.environ["FAKE_GH_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps(record) + "\\n")
command = " ".join(args[:2])
if command in os.environ.get("FAKE_GH_FAIL", "").split(","):
    sys.exit("GraphQL: Resource not accessible by integration (createPullRequest)")
if command == "issue list":
    path = os.environ.get("FAKE_GH_ISSUES")
    print(open(path, encoding="utf-8").read() if path else "[]")
elif command in ("pr create", "issue create"):
    print("https://github.invalid/werkconnectie/klachten/" + ("pull" if args[0] == "pr" else "issues") + "/7")
'''


def install_fake_gh(bin_dir: Path) -> Path:
    """Put a fake `gh` in `bin_dir`; returns the log it writes (one JSON object per call)."""
    bin_dir.mkdir(exist_ok=True)
    gh = bin_dir / "gh"
    gh.write_text(FAKE_GH.format(python=sys.executable), encoding="utf-8")
    gh.chmod(0o755)
    return bin_dir / "gh-calls.jsonl"


def gh_calls(log: Path) -> list[dict]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
