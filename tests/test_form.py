"""The form "Nieuwe klacht" (.github/workflows/nieuwe-klacht.yml), run as GitHub runs it.

The workflow's own shell step runs here against a bare local origin (as `actions/checkout`
leaves it: a depth-1 clone of main, no token in .git/config) with a fake `gh` that records
its calls. The form's inputs come from an event file, as on GitHub.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from gha import (
    GITHUB,
    GOOD_COMPLAINT,
    PYTHON_BIN,
    ROOT,
    base_env,
    bash_step,
    gh_calls,
    git,
    install_fake_gh,
    make_register,
    triggers,
    workflow,
)
from klachtenregister.model import KANALEN
from klachtenregister.procedure import load_procedure

FORM = "nieuwe-klacht.yml"
INPUTS = ("ontvangen", "kanaal", "onderwerp", "klager", "klantnummer", "ontvangen_door", "categorie", "omschrijving")
BSN = "111222333"  # passes the elfproef
IBAN = "NL91ABNA0417164300"  # valid check digits

# Hostile-looking input must arrive as text, never run as shell code.
GOOD_INPUTS = {
    "ontvangen": " 2026-03-09 ",
    "kanaal": "schriftelijk",
    "onderwerp": 'Rekening $(touch pwned1) klopt niet; `touch pwned2` "x"',
    "klager": "A. $(touch pwned3) Jansen",
    "klantnummer": "K-1042",
    "ontvangen_door": "Jan de Vries",
    "categorie": "facturatie",
    "omschrijving": "De factuur van maart noemt twee gesprekken die niet hebben plaatsgevonden.",
}


# ---------------------------------------------------------------- the workflow file


def form_job() -> dict:
    return workflow(FORM)["jobs"]["registreren"]


def form_step() -> dict:
    (step,) = [s for s in form_job()["steps"] if s.get("id") == "registreer"]
    return step


def test_form_inputs():
    inputs = triggers(workflow(FORM))["workflow_dispatch"]["inputs"]
    assert tuple(inputs) == INPUTS
    for name, spec in inputs.items():
        assert spec["required"] is (name != "klantnummer"), name
        assert spec["description"], name
    assert inputs["omschrijving"]["type"] == "string"


def test_form_choices_are_those_of_the_register():
    """The form can never offer a category `check` refuses: its options are procedure.yml's
    (docs/github.md says how to change both), and the channels are the model's."""
    inputs = triggers(workflow(FORM))["workflow_dispatch"]["inputs"]
    procedure, trouble = load_procedure(ROOT)
    assert not trouble
    assert inputs["categorie"]["type"] == "choice"
    assert inputs["categorie"]["options"] == list(procedure.categorieen)
    assert inputs["categorie"]["default"] in procedure.categorieen
    assert inputs["kanaal"]["options"] == list(KANALEN)


def test_form_inputs_never_reach_the_log():
    """GitHub prints a step's env in the log: the inputs are read from the event file instead
    (so a BSN typed by mistake is refused before it is anywhere), and never as ${{ }}."""
    step = form_step()
    assert set(step["env"]) == {"GIT_TOKEN", "GH_TOKEN"}
    assert all("inputs" not in value for value in step["env"].values())
    assert "GITHUB_EVENT_PATH" in step["run"]
    assert "${{" not in step["run"]
    assert "github.token" in step["env"]["GH_TOKEN"]


def test_form_checkout_keeps_no_token():
    (checkout,) = [s for s in form_job()["steps"] if s.get("uses", "").startswith("actions/checkout@")]
    assert checkout["with"]["persist-credentials"] is False


def test_form_runs_are_never_queued_away():
    """A concurrency group keeps one pending run and cancels the others."""
    assert "concurrency" not in workflow(FORM)
    assert "concurrency" not in form_job()


# ---------------------------------------------------------------- running the step


def form_origin(tmp_path: Path, reserved: tuple[str, ...] = ()) -> Path:
    """A bare origin whose main holds 2026-001 and the PR template; `reserved`: open form
    branches nieuwe-klacht/<volgnummer>, each adding its complaint."""
    good = GOOD_COMPLAINT.format(volgnummer="2026-001", ontvangen="2026-03-02", bevestigd="2026-03-05")
    seed = make_register(tmp_path / "seed", {"2026-001": good}, start="2026-01-01")
    (seed / ".github").mkdir()
    shutil.copy(GITHUB / "pull_request_template.md", seed / ".github")
    git("add", "-A", cwd=seed)
    git("commit", "-q", "-m", "Template", cwd=seed)
    origin = tmp_path / "origin.git"
    git("clone", "-q", "--bare", str(seed), str(origin), cwd=tmp_path)
    for volgnummer in reserved:
        push_complaint(seed, origin, volgnummer, f"nieuwe-klacht/{volgnummer}")
    return origin


def push_complaint(clone: Path, origin: Path, volgnummer: str, branch: str) -> None:
    """Another colleague's work: `branch` on origin adds complaint `volgnummer` to main."""
    git("fetch", "-q", str(origin), "main", cwd=clone)
    git("switch", "-q", "--detach", "FETCH_HEAD", cwd=clone)
    path = clone / "klachten" / "2026" / f"{volgnummer}.md"
    path.write_text(
        GOOD_COMPLAINT.format(volgnummer=volgnummer, ontvangen="2026-03-04", bevestigd="2026-03-05"), encoding="utf-8"
    )
    git("add", "-A", cwd=clone)
    git("commit", "-q", "-m", f"Klacht {volgnummer}", cwd=clone)
    git("push", "-q", str(origin), f"HEAD:refs/heads/{branch}", cwd=clone)


def checkout(origin: Path, work: Path) -> Path:
    """What actions/checkout leaves: a depth-1 clone of main."""
    git("clone", "-q", "--depth=1", "-b", "main", origin.as_uri(), str(work), cwd=work.parent)
    return work


def form_env(tmp_path: Path, name: str = "run", **inputs: str) -> tuple[dict, Path]:
    """The environment of the step on GitHub; returns it and the fake gh's log."""
    run_dir = tmp_path / name
    run_dir.mkdir()
    event = run_dir / "event.json"
    event.write_text(json.dumps({"inputs": {**GOOD_INPUTS, **inputs}}), encoding="utf-8")
    log = install_fake_gh(run_dir / "bin")
    env = base_env(
        GITHUB_EVENT_PATH=str(event),
        GITHUB_REF_NAME="main",
        GITHUB_ACTOR="medewerker",
        GITHUB_RUN_ID="42",
        GITHUB_STEP_SUMMARY=str(run_dir / "summary.md"),
        GITHUB_OUTPUT=str(run_dir / "output"),
        GIT_TOKEN="dummy",
        GH_TOKEN="dummy",
        FAKE_GH_LOG=str(log),
    )
    env["PATH"] = f"{run_dir / 'bin'}{os.pathsep}{env['PATH']}"
    return env, log


def branches(origin: Path) -> list[str]:
    return git("for-each-ref", "--format=%(refname:short)", "refs/heads/", cwd=origin).split()


def front_matter(origin: Path, branch: str, rel: str) -> tuple[dict, str]:
    text = git("show", f"{branch}:{rel}", cwd=origin)
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def pr_creates(log: Path) -> list[dict]:
    return [c for c in gh_calls(log) if c["args"][:2] == ["pr", "create"]]


def arg(call: dict, option: str) -> str:
    return call["args"][call["args"].index(option) + 1]


@pytest.mark.parametrize("kanaal", ["schriftelijk", "brief"])
def test_first_use_opens_a_pull_request(kanaal, tmp_path):
    """The origin holds only main: no form branch was ever made (or all were merged and
    deleted), which once made the first `git fetch` fail without a word."""
    origin = form_origin(tmp_path)
    work = checkout(origin, tmp_path / "work")
    env, log = form_env(tmp_path, kanaal=kanaal)

    result = bash_step(form_step()["run"], work, env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not list(tmp_path.rglob("pwned*")), "script injection"

    branch = "nieuwe-klacht/2026-002"
    assert branches(origin) == ["main", branch]
    changed = git("diff", "--name-status", "main", branch, cwd=origin).splitlines()
    assert changed == ["A\tklachten/2026/2026-002.md"]
    front, body = front_matter(origin, branch, "klachten/2026/2026-002.md")
    assert str(front["volgnummer"]) == "2026-002"
    assert str(front["ontvangen"]) == "2026-03-09"
    assert front["onderwerp"] == GOOD_INPUTS["onderwerp"]
    assert front["klager"] == {"naam": GOOD_INPUTS["klager"], "klantnummer": "K-1042"}
    assert (front["categorie"], front["kanaal"]) == ("facturatie", kanaal)
    assert GOOD_INPUTS["omschrijving"] in body

    (call,) = pr_creates(log)
    assert (arg(call, "--base"), arg(call, "--head")) == ("main", branch)
    assert arg(call, "--title") == f"Klacht 2026-002: {GOOD_INPUTS['onderwerp']}"
    assert "2026-002" in call["body_file"] and "Stap 12" in call["body_file"]
    # A letter must still be attached in the pull request: the body says where.
    assert ("`klachten/2026/2026-002/`" in call["body_file"]) == (kanaal == "brief")
    assert "pull/7" in (tmp_path / "run" / "summary.md").read_text(encoding="utf-8")
    assert "volgnummer=2026-002" in (tmp_path / "run" / "output").read_text(encoding="utf-8")


def test_form_without_klantnummer(tmp_path):
    origin = form_origin(tmp_path)
    work = checkout(origin, tmp_path / "work")
    env, _log = form_env(tmp_path, klantnummer="")
    result = bash_step(form_step()["run"], work, env)
    assert result.returncode == 0, result.stdout + result.stderr
    front, _body = front_matter(origin, "nieuwe-klacht/2026-002", "klachten/2026/2026-002.md")
    assert front["klager"] == {"naam": GOOD_INPUTS["klager"]}


def test_an_open_form_branch_keeps_its_number(tmp_path):
    origin = form_origin(tmp_path, reserved=("2026-002",))
    work = checkout(origin, tmp_path / "work")
    env, log = form_env(tmp_path)
    result = bash_step(form_step()["run"], work, env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert branches(origin) == ["main", "nieuwe-klacht/2026-002", "nieuwe-klacht/2026-003"]
    assert arg(pr_creates(log)[0], "--head") == "nieuwe-klacht/2026-003"
    # The reserved copy was only borrowed: nothing is left behind in the work tree.
    assert git("status", "--porcelain", cwd=work) == ""


def test_a_number_merged_into_main_since_the_checkout_counts(tmp_path):
    origin = form_origin(tmp_path)
    work = checkout(origin, tmp_path / "work")
    push_complaint(tmp_path / "seed", origin, "2026-002", "main")  # merged while the run started
    env, _log = form_env(tmp_path)
    result = bash_step(form_step()["run"], work, env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "nieuwe-klacht/2026-003" in branches(origin)


REFUSED = {
    "een datum na vandaag": ({"ontvangen": "2999-01-01"}, "na vandaag", None),
    "een Nederlandse datum": ({"ontvangen": "09-03-2026"}, "bedoel je 2026-03-09 (9 maart 2026)?", None),
    "een BSN in het onderwerp": ({"onderwerp": f"BSN {BSN} staat op de brief"}, "BSN", BSN),
    "een IBAN in de omschrijving": ({"omschrijving": f"Terugbetalen op {IBAN} graag"}, "IBAN", IBAN),
    "een geboortedatum bij de klager": ({"klager": "A. Jansen, geboren op 12-03-1980"}, "geboortedatum", "12-03-1980"),
    "een leeg onderwerp": ({"onderwerp": "   "}, "leeg", None),
}


@pytest.mark.parametrize("inputs, said, secret", REFUSED.values(), ids=REFUSED.keys())
def test_refused_input_pushes_nothing(inputs, said, secret, tmp_path):
    origin = form_origin(tmp_path)
    work = checkout(origin, tmp_path / "work")
    env, log = form_env(tmp_path, **inputs)
    result = bash_step(form_step()["run"], work, env)
    assert result.returncode == 1
    # Shown as an annotation at the top of the run, where the colleague who filled it in looks.
    shown = "::error title=Klacht niet geregistreerd::"
    errors = [line for line in result.stdout.splitlines() if line.startswith(shown)]
    assert errors and any(said in line for line in errors), result.stdout + result.stderr
    if secret:
        assert secret not in result.stdout + result.stderr, "the number must be masked"
    assert branches(origin) == ["main"]
    assert gh_calls(log) == []
    assert git("status", "--porcelain", cwd=work) == ""
    assert git("log", "--oneline", cwd=work).count("\n") == 1, "nothing committed"


def test_a_refusal_leaves_the_borrowed_reservations_behind_nowhere(tmp_path):
    origin = form_origin(tmp_path, reserved=("2026-002",))
    work = checkout(origin, tmp_path / "work")
    env, _log = form_env(tmp_path, onderwerp="")
    result = bash_step(form_step()["run"], work, env)
    assert result.returncode == 1
    assert git("status", "--porcelain", "--untracked-files=all", cwd=work) == ""


def test_a_failed_pull_request_removes_its_branch(tmp_path):
    """Otherwise the branch would hold its volgnummer for ever, with no pull request to see."""
    origin = form_origin(tmp_path)
    work = checkout(origin, tmp_path / "work")
    env, log = form_env(tmp_path)
    env["FAKE_GH_FAIL"] = "pr create"
    result = bash_step(form_step()["run"], work, env)
    assert result.returncode == 1
    assert len(pr_creates(log)) == 1
    assert branches(origin) == ["main"]
    assert "::error::" in result.stdout and "verwijderd" in result.stdout


def test_a_number_taken_by_another_run_meanwhile_gives_the_next(tmp_path):
    """Between counting and pushing, a colleague's form pushed the same number: the push of
    the new branch is refused, and the run counts again."""
    origin = form_origin(tmp_path)
    work = checkout(origin, tmp_path / "work")
    rival = tmp_path / "rival"
    git("clone", "-q", str(origin), str(rival), cwd=tmp_path)
    env, log = form_env(tmp_path)
    real = shutil.which("klachten", path=PYTHON_BIN)
    wrapper = tmp_path / "run" / "bin" / "klachten"
    wrapper.write_text(
        f"""#!/usr/bin/env bash
uitvoer=$("{real}" "$@") || exit $?
if [[ ! -e "{tmp_path}/raced" ]]; then
  touch "{tmp_path}/raced"
  bestand=$(realpath "$(printf '%s\\n' "$uitvoer" | tail -n 1)")
  vn=$(basename "$bestand" .md)
  cd "{rival}" && git fetch -q origin main && git switch -q --detach FETCH_HEAD && cp "$bestand" klachten/2026/
  git add -A && git commit -q -m "Klacht $vn" && git push -q origin "HEAD:refs/heads/nieuwe-klacht/$vn"
fi
printf '%s\\n' "$uitvoer"
""",
        encoding="utf-8",
    )
    wrapper.chmod(0o755)
    result = bash_step(form_step()["run"], work, env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "raced").exists()
    assert branches(origin) == ["main", "nieuwe-klacht/2026-002", "nieuwe-klacht/2026-003"]
    assert arg(pr_creates(log)[0], "--head") == "nieuwe-klacht/2026-003"
    assert "::notice::" in result.stdout


def test_three_submissions_at_once_all_arrive(tmp_path):
    origin = form_origin(tmp_path)
    runs = []
    for n in range(3):
        work = checkout(origin, tmp_path / f"work{n}")
        env, log = form_env(tmp_path, name=f"run{n}", onderwerp=f"Klacht nummer {n}")
        command = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", form_step()["run"]]
        proc = subprocess.Popen(command, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        runs.append((proc, log))
    for proc, _log in runs:
        output, _ = proc.communicate(timeout=300)
        assert proc.returncode == 0, output
    made = [b for b in branches(origin) if b.startswith("nieuwe-klacht/")]
    assert made == ["nieuwe-klacht/2026-002", "nieuwe-klacht/2026-003", "nieuwe-klacht/2026-004"]
    subjects = {front_matter(origin, b, f"klachten/2026/{b.split('/')[1]}.md")[0]["onderwerp"] for b in made}
    assert subjects == {f"Klacht nummer {n}" for n in range(3)}
    assert sorted(arg(pr_creates(log)[0], "--head") for _proc, log in runs) == made
