"""Learners who attack the grader from inside their notebook: each costs at most its own row.

One hostile class, graded once by `python -m grader feedback --jobs 2` (a CSV and a page per learner):
every attacker reports from inside the sandbox what it tried (DONE or REFUSED per attempt), and the
tests read those reports from the feedback pages, the rows from the CSV, and the host for anything that
leaked out (files, processes, cgroups, connections).
"""

from __future__ import annotations

import base64
import os
import re
import socket
import tempfile
from pathlib import Path

import psutil
import pytest
from graderkit import read_rows, run_cli, tree_digest, with_cell

from grader import cgroups, sample, sandbox
from grader.feedback import visible_text

PORT = 8650          # a server of the grader's machine the learners try to reach
OUTSIDE = f"grader_sandbox_escape_{os.getpid()}"
MEMORY_MB = 512

ATTEMPT = """
import base64, os
def attempt(label, action):
    try:
        got = action()
    except BaseException as exc:
        print(f"{'REFUSED'}:: {label} :: {type(exc).__name__}")
    else:
        print(f"{'DONE'}:: {label} :: {base64.b64encode(repr(got).encode()).decode()[:120]}")
"""


def snooper(course: Path, subs: Path) -> str:
    secrets = [course / "source" / sample.LAB / f"{sample.NOTEBOOK}.ipynb", course / "nbgrader_config.py",
               course / "gradebook.db", subs / "honest" / sample.LAB / f"{sample.NOTEBOOK}.ipynb",
               Path(sandbox.__file__), Path("/etc/shadow"), Path("/proc/1/environ")]
    return ATTEMPT + (
        f"for path in {[str(p) for p in secrets]!r}:\n"
        "    attempt(path, lambda: open(path, 'rb').read())\n"
        f"attempt('list course', lambda: os.listdir({str(course)!r}))\n"
        "attempt('import grader', lambda: __import__('grader').__file__)\n"
        "attempt('list workspace', lambda: os.listdir(os.path.dirname(os.path.dirname(os.getcwd()))))\n")


def writer(course: Path, subs: Path) -> str:
    targets = [f"/tmp/{OUTSIDE}", f"/dev/shm/{OUTSIDE}", str(course / OUTSIDE), str(subs / OUTSIDE),
               str(subs / "honest" / sample.LAB / f"{sample.NOTEBOOK}.ipynb"), f"/{OUTSIDE}",
               str(Path.home() / OUTSIDE), f"../{OUTSIDE}", OUTSIDE]
    return ATTEMPT + (
        f"for path in {targets!r}:\n"
        "    attempt(path, lambda: open(path, 'w').write('pwned'))\n")


REAPER = ATTEMPT + """
import signal
seen = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())
print('VISIBLE', len(seen))
lines = [open(f'/proc/{p}/cmdline', 'rb').read() for p in seen]
marks = (b'pytest', b'forkserver', b'-m\\x00grader', b'minichain-grader')   # the grader, its workers
print('GRADER PROCESSES', sum(any(mark in c for mark in marks) for c in lines))
for pid in seen:
    if pid != os.getpid():
        attempt(f'kill {pid}', lambda: os.kill(pid, signal.SIGKILL))
attempt('kill -1', lambda: os.kill(-1, signal.SIGKILL))
attempt('kill parent group', lambda: os.killpg(os.getpgid(os.getppid()), signal.SIGKILL))
"""

MMAP_BOMB = """
import ctypes, mmap, re
def resident():   # MB resident in this process; RssShmem counts the shared mapping
    status = open('/proc/self/status').read()
    return sum(int(re.search(key + r':\\s+(\\d+)', status).group(1)) for key in ('RssAnon', 'RssShmem')) >> 10
maps = []
while True:
    chunk = mmap.mmap(-1, 64 << 20, flags=mmap.MAP_SHARED)
    ctypes.memset(ctypes.addressof(ctypes.c_char.from_buffer(chunk)), 1, 64 << 20)   # make it resident
    maps.append(chunk)
    print('RESIDENT', resident(), flush=True)
"""

FORK_BOMB = """
import os, time
children = 0
try:
    while True:
        if os.fork() == 0:
            os.setsid()        # detached from the kernel, as a daemon would be
            time.sleep(600)
            os._exit(0)
        children += 1
except OSError as exc:
    print('FORK REFUSED after', children, type(exc).__name__)
"""

NETWORK = ATTEMPT + f"""
import socket
attempt('connect', lambda: socket.create_connection(('127.0.0.1', {PORT}), timeout=3))
attempt('resolve', lambda: socket.getaddrinfo('pypi.org', 443))
"""

SHOUTER = """
import sys
sys.stdout.write('x' * (48 << 20))   # one message of 48 MB to the grader's worker
sys.stdout.flush()
"""

HONEST = """
with open('notes.txt', 'w') as handle:
    handle.write('my own notes')
print(open('notes.txt').read(), open('data.txt').read().strip())
"""


@pytest.fixture(scope="module")
def hostile(course: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    base = tmp_path_factory.mktemp("hostile")
    subs = base / "submitted"
    learners = {"honest": HONEST, "snooper": snooper(course, subs), "writer": writer(course, subs),
                "reaper": REAPER, "mmapper": MMAP_BOMB, "forker": FORK_BOMB, "network": NETWORK,
                "shouter": SHOUTER}
    for student, code in learners.items():
        sample.write_submission(subs, student, with_cell(course, code))
    gradebook = course / "gradebook.db"   # nbgrader's, made by the release; a real one holds every score
    original = gradebook.read_bytes() if gradebook.exists() else None
    if original is None:
        gradebook.write_text("SECRET gradebook")
    before = {"subs": tree_digest(subs), "course": tree_digest(course)}
    server = socket.create_server(("127.0.0.1", PORT))
    server.setblocking(False)
    scratch = base / "scratch"   # the grader's private folders go here, and must go
    scratch.mkdir()
    saved, tempfile.tempdir = tempfile.tempdir, str(scratch)
    try:
        code = run_cli("feedback", str(subs), "--course", str(course), "--assignment", sample.LAB,
                       "--jobs", "2", "--timeout", "10", "--memory", str(MEMORY_MB),
                       "--out", str(base / "pages"),
                       "--csv", str(base / "grades.csv"))
        try:
            server.accept()
            accepted = True
        except BlockingIOError:
            accepted = False
    finally:
        tempfile.tempdir = saved
        server.close()
    after = tree_digest(course)
    if original is None:
        gradebook.unlink()
    pages = {p.parts[-3]: visible_text(p.read_text()) for p in (base / "pages").glob("*/*/*.html")}
    return {"code": code, "rows": read_rows(base / "grades.csv"), "pages": pages, "subs": subs,
            "course": course, "course_after": after, "before": before, "scratch": scratch,
            "accepted": accepted,
            "policy": sandbox.choose(unsafe=False, memory_mb=MEMORY_MB)}


def row(hostile: dict[str, object], student: str) -> tuple[str, str, str]:
    rows = hostile["rows"]
    assert isinstance(rows, dict)
    got = rows[student]
    return got["status"], got["score"], got["detail"]


def page(hostile: dict[str, object], student: str) -> str:
    pages = hostile["pages"]
    assert isinstance(pages, dict)
    return str(pages[student])


def reports(text: str) -> dict[str, str]:
    """label -> DONE or REFUSED, as printed by the learner's attempts."""
    found = re.finditer(r"(?P<verdict>DONE|REFUSED):: (?P<label>.+?) :: ", text)
    return {m["label"]: m["verdict"] for m in found}


def assert_nothing_escaped(hostile: dict[str, object]) -> None:
    """No file outside the scratch copies changed or appeared, no process or cgroup outlived the run."""
    subs, course, scratch = hostile["subs"], hostile["course"], hostile["scratch"]
    assert isinstance(subs, Path) and isinstance(course, Path) and isinstance(scratch, Path)
    before = hostile["before"]
    assert isinstance(before, dict)
    assert tree_digest(subs) == before["subs"]
    assert hostile["course_after"] == before["course"]
    for place in (Path("/tmp"), Path("/dev/shm"), Path("/"), Path.home(), course, subs, subs.parent):
        assert not (place / OUTSIDE).exists(), place
    assert [p for p in scratch.iterdir() if not p.name.startswith("pymp-")] == []
    left = [p for p in psutil.process_iter(["cmdline"]) if str(scratch) in " ".join(p.info["cmdline"] or [])]
    assert left == []
    for controller in cgroups.CONTROLLERS:
        own = cgroups.own_group(controller)
        assert own is None or not (own / f"minichain-grader-{os.getpid()}").exists()


def test_the_class_is_graded_in_full(hostile: dict[str, object]) -> None:
    assert hostile["code"] == 0
    rows = hostile["rows"]
    assert isinstance(rows, dict)
    assert sorted(rows) == ["forker", "honest", "mmapper", "network", "reaper", "shouter", "snooper",
                            "writer"]
    assert_nothing_escaped(hostile)


def test_honest_work_in_its_own_folder_still_scores(hostile: dict[str, object]) -> None:
    assert row(hostile, "honest")[:2] == ("ok", "3")
    assert "my own notes 42" in page(hostile, "honest")    # wrote its scratch copy, read the lab's data
    assert_nothing_escaped(hostile)


def test_snooper_sees_no_course_no_classmate_no_grader(hostile: dict[str, object]) -> None:
    assert row(hostile, "snooper")[:2] == ("ok", "3")
    seen = reports(page(hostile, "snooper"))
    listing = seen.pop("list workspace")     # the sandbox's view of its workspace: its own two folders
    assert len(seen) == 9 and set(seen.values()) == {"REFUSED"}, seen
    text = page(hostile, "snooper")
    assert listing == "DONE" and base64.b64encode(repr(["ipc", "sub"]).encode()).decode() in text
    for shift in range(3):   # the hidden test in any base64 alignment
        encoded = base64.b64encode(b"x" * shift + sample.HIDDEN_MARK.encode()).decode()[4:-4]
        assert encoded not in text
    assert_nothing_escaped(hostile)


def test_writer_can_write_only_its_scratch_copy_and_private_tmp(hostile: dict[str, object]) -> None:
    assert row(hostile, "writer")[:2] == ("ok", "3")
    seen = reports(page(hostile, "writer"))
    done = {label for label, verdict in seen.items() if verdict == "DONE"}
    assert done == {f"/tmp/{OUTSIDE}", f"/dev/shm/{OUTSIDE}", f"../{OUTSIDE}", OUTSIDE}, seen
    assert len(seen) == 9
    assert_nothing_escaped(hostile)   # the private /tmp and the scratch copy are gone with the sandbox


def test_reaper_cannot_find_or_kill_the_grader(hostile: dict[str, object]) -> None:
    assert row(hostile, "reaper")[:2] == ("ok", "3")
    text = page(hostile, "reaper")
    assert re.search(r"GRADER PROCESSES (\d+)", text).group(1) == "0"  # type: ignore[union-attr]
    visible = int(re.search(r"VISIBLE (\d+)", text).group(1))  # type: ignore[union-attr]
    assert visible <= 3        # the sandbox's init, the kernel (and perhaps a child of its own)
    assert_nothing_escaped(hostile)


def test_shared_mmap_bomb_is_stopped_at_the_memory_limit(hostile: dict[str, object]) -> None:
    status, score, detail = row(hostile, "mmapper")
    peaks = [int(n) for n in re.findall(r"RESIDENT (\d+)", page(hostile, "mmapper"))]
    policy = hostile["policy"]
    assert isinstance(policy, sandbox.Policy)
    if "memory" in policy.cgroups:   # the cgroup counts the shared pages and stops the kernel
        assert (status, score) == ("error", "3")
        assert f"the memory limit of {MEMORY_MB} MB stopped" in detail
        assert peaks and max(peaks) <= MEMORY_MB
    else:                            # RLIMIT_AS refuses the mapping that would pass it
        assert (status, score) == ("ok", "3")
        assert peaks and max(peaks) <= MEMORY_MB + sandbox.ADDRESS_SLACK_MB
    assert_nothing_escaped(hostile)


def test_fork_bomb_meets_the_process_limit(hostile: dict[str, object]) -> None:
    status, score, detail = row(hostile, "forker")
    assert (status, score) == ("ok", "3")
    refused = re.search(r"FORK REFUSED after (\d+) (\w+)", page(hostile, "forker"))
    assert refused and 0 < int(refused.group(1)) < sandbox.TASKS
    policy = hostile["policy"]
    assert isinstance(policy, sandbox.Policy)
    if "pids" in policy.cgroups:
        assert f"limit of {sandbox.TASKS} processes and threads refused new ones" in detail
    assert_nothing_escaped(hostile)   # 100 detached sleepers, all gone


def test_a_message_too_large_never_reaches_the_grader(hostile: dict[str, object]) -> None:
    # Received, the message costs the grader's worker 4x its size in memory; zmq drops it unread, the
    # cell's reply is lost with it, and the cell ends as a timeout while the later cells still count.
    status, score, detail = row(hostile, "shouter")
    assert (status, score) == ("timeout", "3")
    assert "cell 8 ran past 10 s" in detail
    assert_nothing_escaped(hostile)


def test_no_network_reaches_the_host(hostile: dict[str, object]) -> None:
    assert row(hostile, "network")[:2] == ("ok", "3")
    assert reports(page(hostile, "network")) == {"connect": "REFUSED", "resolve": "REFUSED"}
    assert hostile["accepted"] is False
    assert_nothing_escaped(hostile)


def test_without_bwrap_no_learner_code_runs(course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sandbox, "BWRAP", "bwrap-not-installed-here")
    planted = tmp_path / "planted"
    subs = tmp_path / "submitted"
    sample.write_submission(subs, "alice", with_cell(course, f"open({str(planted)!r}, 'w').write('ran')"))
    out = tmp_path / "grades.csv"
    code = run_cli("autograde", str(subs), "--course", str(course), "--assignment", sample.LAB,
                   "--csv", str(out))
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("grader: error: bwrap (Debian package bubblewrap) is not installed")
    assert "--unsafe-no-sandbox" in err and len(err.strip().splitlines()) == 1
    assert not out.exists() and not planted.exists()


def test_unsafe_no_sandbox_grades_and_says_so_on_every_row(course: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sandbox, "BWRAP", "bwrap-not-installed-here")
    planted = tmp_path / "planted"
    subs = tmp_path / "submitted"
    sample.write_submission(subs, "alice", sample.answered(course))
    sample.write_submission(subs, "mallory", with_cell(course, f"open({str(planted)!r}, 'w').write('ran')"))
    out = tmp_path / "grades.csv"
    assert run_cli("autograde", str(subs), "--course", str(course), "--assignment", sample.LAB, "--jobs", "2",
                   "--timeout", "10", "--unsafe-no-sandbox", "--csv", str(out)) == 0
    rows = read_rows(out)
    assert {s: (r["status"], r["score"]) for s, r in rows.items()} == {"alice": ("ok", "3"),
                                                                      "mallory": ("ok", "3")}
    for got in rows.values():
        assert "NOT SANDBOXED (--unsafe-no-sandbox)" in got["detail"]
    assert "WARNING: NOT SANDBOXED" in capsys.readouterr().out
    assert planted.read_text() == "ran"    # what the warning means: learner code wrote outside its folder


def test_without_writable_cgroups_rlimits_still_bound_memory_and_processes(
        course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(cgroups, "own_group", lambda controller, mount=cgroups.MOUNT: None)
    subs = tmp_path / "submitted"
    sample.write_submission(subs, "mmapper", with_cell(course, MMAP_BOMB))
    sample.write_submission(subs, "forker", with_cell(course, FORK_BOMB))
    out = tmp_path / "grades.csv"
    scratch = tmp_path / "scratch"   # the workspaces: every process of the sandboxes names it
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    capsys.readouterr()
    assert run_cli("feedback", str(subs), "--course", str(course), "--assignment", sample.LAB, "--jobs", "2",
                   "--timeout", "10", "--memory", str(MEMORY_MB), "--out", str(tmp_path / "pages"),
                   "--csv", str(out)) == 0
    assert "no writable cgroup: rlimits only" in capsys.readouterr().out
    rows = read_rows(out)
    assert {s: (r["status"], r["score"]) for s, r in rows.items()} == {"forker": ("ok", "3"),
                                                                      "mmapper": ("ok", "3")}
    pages = {p.parts[-3]: visible_text(p.read_text()) for p in (tmp_path / "pages").glob("*/*/*.html")}
    peaks = [int(n) for n in re.findall(r"RESIDENT (\d+)", pages["mmapper"])]
    assert peaks and max(peaks) <= MEMORY_MB + sandbox.ADDRESS_SLACK_MB   # RLIMIT_AS refused the next map
    refused = re.search(r"FORK REFUSED after (\d+) (\w+)", pages["forker"])
    assert refused and 0 < int(refused.group(1)) <= sandbox.TASKS             # RLIMIT_NPROC
    left = [p for p in psutil.process_iter(["cmdline"]) if str(scratch) in " ".join(p.info["cmdline"] or [])]
    assert left == [] and [p for p in scratch.iterdir() if not p.name.startswith("pymp-")] == []
