"""Issue 17 item 9: renumber keeps a CRLF file as it is, `serve --dev-addr` is checked like
every option, and a `klachten new` killed halfway leaves nothing `git add -A` would stage."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import NEW_COMPLAINT, git, run_klachten, write_register


def test_renumber_keeps_a_crlf_file_byte_for_byte(tmp_path):
    crlf = NEW_COMPLAINT.replace("\n", "\r\n").encode()
    write_register(tmp_path, {"klachten/procedure.yml": "start: 2026-01-01\n", "klachten/2026/2026-007.md": crlf})
    assert run_klachten("check", "--root", str(tmp_path), "--today", "2026-04-30").returncode == 0
    ran = run_klachten("renumber", "2026-007", "--root", str(tmp_path))
    assert ran.returncode == 0, ran.stderr
    moved = (tmp_path / "klachten/2026/2026-008.md").read_bytes()
    assert moved == crlf.replace(b"volgnummer: 2026-007\r\n", b"volgnummer: 2026-008\r\n")
    assert run_klachten("check", "--root", str(tmp_path), "--today", "2026-04-30").returncode == 0


@pytest.mark.parametrize("address", ["foo", "127.0.0.1:99999", ":8000", "127.0.0.1:", "127.0.0.1:http", "a b:80"])
def test_serve_dev_addr_is_checked_like_every_option(tmp_path, address):
    write_register(tmp_path, {})
    ran = run_klachten("serve", "--root", str(tmp_path), "--dev-addr", address, timeout=30)
    assert ran.returncode == 2 and "ongeldig adres" in ran.stderr and "interne fout" not in ran.stderr
    assert not (tmp_path / "build").exists()  # nothing was started


def test_serve_on_a_port_in_use_says_so_in_dutch(tmp_path):
    import socket

    write_register(tmp_path, {})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        ran = run_klachten("serve", "--root", str(tmp_path), "--dev-addr", f"127.0.0.1:{port}", timeout=120)
    assert ran.returncode == 1 and "al in gebruik" in ran.stderr and "EADDRINUSE" not in ran.stderr


# `klachten new` in a process that kills itself (SIGKILL: no clean-up runs) right after the
# step named: the attachment copied, or the complaint file written beside its place.
KILLED = """
import os, shutil, signal, sys
from klachtenregister import files, newcomplaint
from klachtenregister.cli import main
step = sys.argv[1]
if step == "bijlage":
    copy = shutil.copyfile
    def copyfile(*args, **kwargs):
        copy(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)
    shutil.copyfile = copyfile
else:
    link = os.link
    def killing_link(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)
    files.os.link = killing_link
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize("step", ["bijlage", "bestand"])
def test_new_killed_halfway_leaves_nothing_git_add_would_stage(tmp_path, step):
    root = tmp_path / "register"
    write_register(root, {"klachten/procedure.yml": "start: 2026-01-01\n", ".gitignore": "/build\n/site\n"})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Register")
    letter = tmp_path / "brief.pdf"
    letter.write_bytes(b"%PDF-1.4 brief van de klager\n")
    args = ["new", "--root", str(root), "--ontvangen", "2026-04-28", "--kanaal", "brief", "--onderwerp", "Brief",
            "--klager", "Anna Jansen", "--ontvangen-door", "Jan de Vries", "--bijlage", str(letter)]
    done = subprocess.run([sys.executable, "-c", KILLED, step, *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert git(root, "status", "--porcelain", "--untracked-files=all") == ""  # what git add -A would take
    ran = run_klachten(*args)  # the next one succeeds, and clears what the killed one left
    assert ran.returncode == 0, ran.stderr
    assert Path(ran.stdout.strip()).name == "2026-001.md"
    assert os.listdir(root / "build/.klachten-nieuw") == []
    status = [line[3:] for line in git(root, "status", "--porcelain", "--untracked-files=all").splitlines()]
    assert sorted(status) == ["klachten/2026/2026-001.md", "klachten/2026/2026-001/brief.pdf"]
