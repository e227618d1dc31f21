"""Builds switch the output tree all-or-nothing (generators.writer): kill -9 at random instants,
faults in the middle of the switch, bad --out targets, the umask, a closed stdout."""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generators import cli, writer
from generators.loader.build import load_spec
from generators.outputs import render_all
from generators.writer import STAGING, WriteFailed, recover, write_outputs
from tests.conftest import ROOT, SPEC_PATH

USER_FILES = {"dashboards/custom.json": b'{"title": "made by hand"}\n', "alerts/README.txt": b"notes\n"}
Tree = dict[str, bytes]


@pytest.fixture(scope="module")
def old_files() -> dict[str, str]:
    return render_all(load_spec(SPEC_PATH))


@pytest.fixture(scope="module")
def new_files(old_files: dict[str, str]) -> dict[str, str]:
    """Another spec's outputs: half the files changed, two gone (one leaving its directory
    empty), one added in a new directory."""
    files = {rel: text + ("# changed\n" if i % 2 else "") for i, (rel, text) in enumerate(old_files.items())}
    del files["alertmanager/templates/billing.tmpl"]
    del files[next(rel for rel in files if rel.startswith("alerts/tests/"))]
    files["dashboards/extra/capacity.json"] = '{"description": "Generated from thresholds.yaml"}\n'
    return files


def expected(files: dict[str, str]) -> Tree:
    return {**{rel: text.encode() for rel, text in files.items()}, **USER_FILES}


def snapshot(root: Path) -> Tree:
    """Every file under root, the hidden ones (staging, temp files) included."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def seeded_root(base: Path, files: dict[str, str]) -> Path:
    root = Path(tempfile.mkdtemp(prefix="writes-", dir=base))
    write_outputs(files, root)
    for rel, data in USER_FILES.items():
        (root / rel).write_bytes(data)
    return root


@pytest.fixture
def fast_dir(tmp_path: Path) -> Iterator[Path]:
    """tmpfs when there is one: a kill lands at the same steps, without waiting for fsync."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        with tempfile.TemporaryDirectory(prefix="billing-writes-", dir=shm) as path:
            yield Path(path)
    else:
        yield tmp_path


def _fork(action: object) -> int:
    # SIGTERM/SIGINT stay blocked across fork(): a signal meant for the child must not run a
    # handler it inherited before it is inside the try below, or it would raise there and
    # return into pytest as a second worker (seen under load: the parent then waited forever).
    blocked = {signal.SIGTERM, signal.SIGINT}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    pid = os.fork()
    if pid == 0:  # the child: do it, then leave without running the parent's cleanup
        code = 0
        try:
            try:
                for signum in blocked:
                    signal.signal(signum, signal.SIG_DFL)
                signal.pthread_sigmask(signal.SIG_SETMASK, previous)
                action()  # type: ignore[operator]
            finally:  # a handler tripped up to here raises inside the outer try
                signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            code = 1
        os._exit(code)
    signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    return pid


def _wait(pid: int, timeout: float = 120.0) -> int:
    """waitpid with a deadline: a child that hangs fails the test instead of the whole run."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        time.sleep(0.005)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    pytest.fail(f"forked child {pid} still running after {timeout:.0f} s; killed it")


def _duration(action: object, runs: int = 3) -> float:
    started = time.perf_counter()
    for _ in range(runs):
        _wait(_fork(action))
    return (time.perf_counter() - started) / runs


def _every_phase_hit(stats: dict[str, int]) -> bool:
    return (stats.get("rolled-forward", 0) + stats.get("rolled-back", 0) > 0 and stats.get("discarded", 0) > 0
            and stats["old and new mixed before recovery"] > 0)


def kill_loop(root: Path, trees: dict[str, tuple[dict[str, str], Tree]], iterations: int,
              seed: int) -> dict[str, int]:
    """Builds alternate between the two trees; each is SIGKILLed at a random instant of its
    run, and now and then the recovery too. After recovery the tree must be exactly the one
    before or the one after the killed build, with no temp file left."""
    rng = random.Random(seed)
    names = sorted(trees)
    spans = {name: _duration(lambda n=name: write_outputs(trees[n][0], root)) for name in names}
    write_outputs(trees[names[0]][0], root)
    current, stats = names[0], {"old and new mixed before recovery": 0, "temp files before recovery": 0}
    for done in range(iterations * 4):
        # random instants can miss a phase when the machine's load shifts the timing: go on
        # (up to 4x) until every phase was hit, so the proof does not depend on luck
        if done >= iterations and _every_phase_hit(stats):
            break
        target = names[1] if current == names[0] else names[0]
        pid = _fork(lambda t=target: write_outputs(trees[t][0], root))
        time.sleep(rng.uniform(0, spans[target] * 1.3))
        os.kill(pid, signal.SIGKILL)
        _wait(pid)
        before = snapshot(root)
        outputs = {rel: data for rel, data in before.items() if not rel.startswith(STAGING + "/")}
        stats["old and new mixed before recovery"] += outputs not in (trees[current][1], trees[target][1])
        stats["temp files before recovery"] += outputs != before
        if rng.random() < 0.3:  # recovery itself killed halfway; the next one finishes it
            pid = _fork(lambda: recover(root))
            time.sleep(rng.uniform(0, spans[target] * 0.5))
            os.kill(pid, signal.SIGKILL)
            _wait(pid)
        outcome = recover(root)
        stats[outcome] = stats.get(outcome, 0) + 1
        after = snapshot(root)
        assert not (root / STAGING).exists()
        if after == trees[target][1]:
            current = target
        else:
            assert after == trees[current][1], sorted(set(after) ^ set(trees[current][1]))[:5] or [
                rel for rel in after if after[rel] != trees[current][1].get(rel)][:5]
    return stats


@pytest.mark.slow  # make test-heavy
def test_kill_9_at_random_instants_leaves_the_old_or_the_new_tree(fast_dir: Path, old_files: dict[str, str],
                                                                   new_files: dict[str, str]) -> None:
    iterations = int(os.environ.get("KILL_ITERATIONS", "150"))
    root = seeded_root(fast_dir, old_files)
    trees = {"a-old": (old_files, expected(old_files)), "b-new": (new_files, expected(new_files))}
    stats = kill_loop(root, trees, iterations, seed=iterations)
    print(f"kill loop, {iterations} kills: {stats}")
    # the kills landed in each phase, or this test proves nothing
    assert stats.get("rolled-forward", 0) + stats.get("rolled-back", 0) > 0, stats
    assert stats.get("discarded", 0) > 0 and stats["old and new mixed before recovery"] > 0, stats


@pytest.mark.slow  # make test-heavy
@pytest.mark.skipif(not os.environ.get("BILLING_CRASH_HEAVY"), reason="opt-in: make test-crash")
def test_kill_9_of_the_real_command_at_random_instants(tmp_path: Path, old_files: dict[str, str]) -> None:
    """`python -m generators build` itself, spec A <-> spec B, killed at random instants; a
    `check` afterwards (which recovers first) must find exactly one of the two specs' outputs."""
    spec_b = _spec_b(tmp_path)
    specs = {"a": SPEC_PATH, "b": spec_b}
    renders = {"a": expected(old_files), "b": expected(render_all(load_spec(spec_b)))}
    assert renders["a"] != renders["b"]
    root = seeded_root(tmp_path, old_files)
    rng = random.Random(7)
    iterations = int(os.environ.get("KILL_ITERATIONS_COMMAND", "100"))
    command = [sys.executable, "-m", "generators", "build", "--out", str(root), "--spec"]
    started = time.perf_counter()
    subprocess.run([*command, str(spec_b)], cwd=ROOT, check=True, capture_output=True)
    span = time.perf_counter() - started
    subprocess.run([*command, str(SPEC_PATH)], cwd=ROOT, check=True, capture_output=True)
    current, outcomes = "a", {"old": 0, "new": 0}
    for _ in range(iterations):
        target = "b" if current == "a" else "a"
        process = subprocess.Popen([*command, str(specs[target])], cwd=ROOT, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, span * 1.2))
        process.kill()
        process.wait()
        check = subprocess.run([sys.executable, "-m", "generators", "check", "--out", str(root), "--spec",
                                str(specs[target])], cwd=ROOT, capture_output=True, text=True)
        assert "Traceback" not in check.stderr
        after = snapshot(root)
        if after == renders[target]:
            current, outcomes["new"] = target, outcomes["new"] + 1
        else:
            assert after == renders[current]
            outcomes["old"] += 1
    print(f"real command killed {iterations} times: {outcomes}")
    assert outcomes["old"] and outcomes["new"]


def test_a_crash_right_after_the_commit_is_rolled_forward_by_check(tmp_path: Path, old_files: dict[str, str]) -> None:
    spec_b = _spec_b(tmp_path)
    root = seeded_root(tmp_path, old_files)

    def crash_after_commit() -> None:
        writer._roll_forward = lambda *args: os._exit(9)  # type: ignore[assignment]
        write_outputs(render_all(load_spec(spec_b)), root)

    _wait(_fork(crash_after_commit))
    assert (root / STAGING / "journal.json").exists() and snapshot(root) != expected(old_files)
    code, _, stderr = _cli("check", "--out", str(root), "--spec", str(spec_b))
    assert code == 0, stderr  # the interrupted build was finished first
    assert not (root / STAGING).exists()


def test_a_crash_before_the_commit_is_discarded_by_the_next_build(tmp_path: Path, old_files: dict[str, str],
                                                                  new_files: dict[str, str]) -> None:
    root = seeded_root(tmp_path, old_files)

    def crash_before_commit() -> None:
        writer._write_journal = lambda *args: os._exit(9)  # type: ignore[assignment]
        write_outputs(new_files, root)

    _wait(_fork(crash_before_commit))
    assert (root / STAGING).is_dir()
    assert recover(root) == "discarded"
    assert snapshot(root) == expected(old_files)


def _failing(calls: set[int], real: object) -> object:
    """os.replace that fails on the given calls (counted from 1)."""
    count = {"n": 0}

    def replace(src: object, dst: object) -> None:
        count["n"] += 1
        if count["n"] in calls:
            raise OSError(5, "Input/output error")
        real(src, dst)  # type: ignore[operator]
    return replace


def test_a_fault_at_any_step_of_the_switch_leaves_the_old_tree(tmp_path: Path, old_files: dict[str, str],
                                                               new_files: dict[str, str],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root = seeded_root(tmp_path, old_files)
    renames = len([r for r in new_files if new_files[r] != old_files.get(r)]) + 1  # + the journal's
    for call in range(1, renames + 1):
        monkeypatch.setattr(writer.os, "replace", _failing({call}, os.replace))
        with pytest.raises(WriteFailed, match="Input/output error"):
            write_outputs(new_files, root)
        monkeypatch.undo()
        assert snapshot(root) == expected(old_files), call
    assert write_outputs(new_files, root) and snapshot(root) == expected(new_files)


def test_a_lasting_fault_that_also_breaks_the_undo_is_finished_by_the_next_run(
        tmp_path: Path, old_files: dict[str, str], new_files: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    root = seeded_root(tmp_path, old_files)
    monkeypatch.setattr(writer.os, "replace", _failing(set(range(6, 1000)), os.replace))
    with pytest.raises(WriteFailed, match="the next build or check finishes the interrupted one"):
        write_outputs(new_files, root)
    monkeypatch.undo()
    assert recover(root) == "rolled-forward"
    assert snapshot(root) == expected(new_files)


def test_a_full_disk_while_staging_leaves_the_old_tree(tmp_path: Path, old_files: dict[str, str],
                                                       new_files: dict[str, str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    root = seeded_root(tmp_path, old_files)
    real_write, count = os.write, {"n": 0}

    def write(fd: int, data: bytes) -> int:
        count["n"] += 1
        if count["n"] > 5:
            raise OSError(28, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(writer.os, "write", write)
    with pytest.raises(WriteFailed, match="No space left on device"):
        write_outputs(new_files, root)
    assert snapshot(root) == expected(old_files)


def _cli(*argv: str) -> tuple[int, str, str]:
    """`python -m generators ...` in this process: (exit code, stdout, stderr); an exception
    escaping it fails the test as a traceback would."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.chdir(ROOT), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = cli.main(list(argv))
    return code, stdout.getvalue(), stderr.getvalue()


def _build(out: Path | str, *args: str, prefix: tuple[str, ...] = (), **kwargs: object
           ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*prefix, sys.executable, "-m", "generators", "build", "--out", str(out), *args],
                          cwd=ROOT, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]


def test_a_directory_in_the_way_fails_the_build_and_leaves_the_old_tree(tmp_path: Path,
                                                                        old_files: dict[str, str]) -> None:
    spec_b = _spec_b(tmp_path)
    root = seeded_root(tmp_path, old_files)
    (root / "docs" / "alerts.md").unlink()
    (root / "docs" / "alerts.md").mkdir()
    (root / "docs" / "alerts.md" / "notes.txt").write_text("mine\n")
    before = snapshot(root)
    code, _, stderr = _cli("build", "--out", str(root), "--spec", str(spec_b))
    assert code == 1
    assert stderr == "build: docs/alerts.md is a directory where a generated file belongs; move it away " \
                     "and build again\n"
    assert snapshot(root) == before


def test_stale_generated_files_go_and_the_users_files_stay(tmp_path: Path, old_files: dict[str, str],
                                                           new_files: dict[str, str]) -> None:
    root = seeded_root(tmp_path, old_files)
    changed = write_outputs(new_files, root)
    assert "alertmanager/templates/billing.tmpl" in changed
    assert snapshot(root) == expected(new_files)
    assert not (root / "alertmanager" / "templates").exists()  # left empty, so removed


def test_a_path_leaving_the_output_root_is_refused(tmp_path: Path) -> None:
    for rel in ("../escape.yml", "/etc/escape.yml", "alerts/../../escape.yml", f"{STAGING}/x", "alerts//x"):
        with pytest.raises(WriteFailed, match="not a plain path inside the output root"):
            write_outputs({rel: "# Generated from thresholds.yaml\n"}, tmp_path / "out")
    assert not (tmp_path / "escape.yml").exists() and not (tmp_path / "out").exists()


def test_concurrent_builds_take_turns(fast_dir: Path, old_files: dict[str, str], new_files: dict[str, str]) -> None:
    root = seeded_root(fast_dir, old_files)
    for _ in range(20):
        pids = [_fork(lambda: write_outputs(new_files, root)), _fork(lambda: write_outputs(old_files, root))]
        codes = [os.waitstatus_to_exitcode(_wait(pid)) for pid in pids]
        assert codes == [0, 0]
        assert snapshot(root) in (expected(old_files), expected(new_files))


@pytest.mark.parametrize("umask,file_mode,dir_mode", [(0o022, 0o644, 0o755), (0o002, 0o664, 0o775),
                                                      (0o077, 0o600, 0o700)])
def test_modes_follow_the_umask(tmp_path: Path, old_files: dict[str, str], umask: int, file_mode: int,
                                dir_mode: int) -> None:
    out = tmp_path / "out"
    previous = os.umask(umask)
    try:
        write_outputs(old_files, out)
    finally:
        os.umask(previous)
    for path in [out, *out.rglob("*")]:
        assert path.stat().st_mode & 0o777 == (dir_mode if path.is_dir() else file_mode), path


def _without_root_override() -> tuple[str, ...]:
    """Root writes into a 0555 directory anyway: drop the capability that lets it."""
    caps = "-dac_override,-dac_read_search"
    return ("setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}", "--") if os.geteuid() == 0 else ()


@pytest.mark.parametrize("case", ["file", "read-only", "read-only-subdir", "dangling-symlink", "missing-parent",
                                  "parent-is-a-file"])
def test_a_bad_out_is_one_clear_line_before_anything_is_written(case: str, old_files: dict[str, str]) -> None:
    base = Path(tempfile.mkdtemp(prefix="billing-out-"))
    try:
        out = base / "out"
        code, expected_error = 2, ""
        if case == "file":
            out.write_text("not a directory\n")
            expected_error = f"build: --out {out} is a file, not a directory; give a directory\n"
        elif case in ("read-only", "read-only-subdir"):
            write_outputs(old_files, out)
            target = out if case == "read-only" else out / "dashboards"
            (out / "dashboards" / "overview.json").write_text("old\n")  # so there is something to write
            for path in [out, *out.rglob("*")]:
                if path.is_dir():
                    os.chmod(path, 0o755)
            os.chmod(target, 0o555)
            if case == "read-only":
                expected_error = f"build: --out {out} is not writable; choose a directory you can write to\n"
            else:
                code, expected_error = 1, "build: dashboards/ is not writable; fix its permissions and build again\n"
        elif case == "dangling-symlink":
            out.symlink_to(base / "nowhere")
            expected_error = f"build: --out {out} is a symlink to {base / 'nowhere'}, which does not exist\n"
        elif case == "missing-parent":
            out = base / "missing" / "out"
            expected_error = f"build: --out {out}: its parent {base / 'missing'} does not exist; create it first\n"
        else:
            (base / "file").write_text("x\n")
            out = base / "file" / "out"
            expected_error = f"build: --out {out}: its parent {base / 'file'} does not exist; create it first\n"
        before = snapshot(base)
        if case.startswith("read-only"):
            result = _build(out, prefix=_without_root_override())
            assert (result.returncode, result.stderr) == (code, expected_error)
        else:
            assert _cli("build", "--out", str(out))[::2] == (code, expected_error)
        assert snapshot(base) == before and not list(base.rglob(STAGING))
        if case == "dangling-symlink":
            assert out.is_symlink() and not (base / "nowhere").exists()
    finally:
        for path in [base, *base.rglob("*")]:
            if path.is_dir() and not path.is_symlink():
                os.chmod(path, 0o755)
        subprocess.run(["rm", "-rf", str(base)], check=True)


def test_check_on_a_missing_out_is_a_clear_error(tmp_path: Path) -> None:
    assert _cli("check", "--out", str(tmp_path / "none"))[::2] == (
        2, f"check: --out {tmp_path / 'none'} does not exist; run `make build` first\n")


@pytest.mark.parametrize("command", ["build", "check"])
def test_a_closed_stdout_is_not_a_crash(tmp_path: Path, command: str) -> None:
    out = tmp_path / "out"
    if command == "check":
        _build(out)
    process = subprocess.Popen([sys.executable, "-m", "generators", command, "--out", str(out)], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the first line, as with `| head -0`
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0
    assert stderr == ""
    assert len(snapshot(out)) >= 20


def test_build_piped_into_head_is_quiet(tmp_path: Path) -> None:
    result = subprocess.run(["bash", "-o", "pipefail", "-c",
                             f"{sys.executable} -m generators build --out {tmp_path / 'out'} | head -1"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith("build: 25 files") or result.stdout.startswith("build: ")


def _spec_b(tmp_path: Path) -> Path:
    """The spec with one threshold moved: its rules, tests, docs and dashboard change."""
    path = tmp_path / "b.yaml"
    moved = SPEC_PATH.read_text().replace('threshold: {op: ">", value: 1}', 'threshold: {op: ">", value: 2.5}', 1)
    path.write_text(moved)
    return path


def test_sigterm_during_a_build_undoes_or_completes_it_by_itself(fast_dir: Path, old_files: dict[str, str],
                                                                  new_files: dict[str, str]) -> None:
    """With the CLI's SIGTERM handler a build ends consistent before it exits: no recovery step."""
    trees = {"old": (old_files, expected(old_files)), "new": (new_files, expected(new_files))}
    root = seeded_root(fast_dir, old_files)

    def build(files: dict[str, str]) -> None:
        signal.signal(signal.SIGTERM, cli._stop_on_sigterm)
        write_outputs(files, root)

    span = _duration(lambda: build(new_files))
    write_outputs(old_files, root)
    rng, current, exits = random.Random(3), "old", []
    for _ in range(60):
        target = "new" if current == "old" else "old"
        pid = _fork(lambda t=target: build(trees[t][0]))
        time.sleep(rng.uniform(0, span * 1.2))
        os.kill(pid, signal.SIGTERM)
        exits.append(os.waitstatus_to_exitcode(_wait(pid)))
        after = snapshot(root)  # as the process left it
        assert after in (trees[current][1], trees[target][1]), sorted(set(after) - set(trees[current][1]))[:3]
        current = target if after == trees[target][1] else current
    # 143: the signal landed during the build and was held until the tree was consistent;
    # 0: after it; -15: before the handler was set. 1 would be an error.
    assert set(exits) <= {0, 143, -signal.SIGTERM} and 143 in exits, exits


def test_the_command_stops_quietly_on_sigterm(tmp_path: Path) -> None:
    process = subprocess.Popen([sys.executable, "-m", "generators", "build", "--out", str(tmp_path / "out")],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(0.3)  # importing or rendering: the handler is installed by then
    process.terminate()
    _, stderr = process.communicate(timeout=30)
    # 0: it had finished; 143: the handler ran; -15: still importing, before anything is written
    assert process.returncode in (0, 128 + signal.SIGTERM, -signal.SIGTERM) and stderr == "", stderr
    assert not (tmp_path / "out" / STAGING).exists()


def test_out_of_threads_while_staging_writes_with_fewer(tmp_path: Path, old_files: dict[str, str],
                                                        new_files: dict[str, str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """pids.max or RLIMIT_NPROC reached: starting the 5th writer thread fails. The threads
    started and the caller write everything (found by review: the error escaped raw while
    the started threads went on writing into a staging directory being removed)."""
    import threading

    root = seeded_root(tmp_path, old_files)
    real_start, count = threading.Thread.start, {"n": 0}

    def start(self: threading.Thread) -> None:
        count["n"] += 1
        if count["n"] >= 5:
            raise RuntimeError("can't start new thread")
        real_start(self)

    monkeypatch.setattr(threading.Thread, "start", start)
    write_outputs(new_files, root)
    assert count["n"] >= 5
    assert snapshot(root) == expected(new_files)
    assert not (root / ".generators-txn").exists()


# -- parts: the build stages the files of each part as it comes, and switches after the last ----

def _halves(files: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    rels = sorted(files)
    return {r: files[r] for r in rels[::2]}, {r: files[r] for r in rels[1::2]}


def test_parts_are_staged_as_they_come_and_switched_together(tmp_path: Path, old_files: dict[str, str],
                                                            new_files: dict[str, str]) -> None:
    root = seeded_root(tmp_path, old_files)
    first, second = _halves(new_files)
    seen: dict[str, object] = {}

    def parts() -> Iterator[dict[str, str]]:
        yield first
        # while the second part renders: the tree is the old one, the first part's changes staged
        outputs = {r: d for r, d in snapshot(root).items() if not r.startswith(STAGING + "/")}
        seen["old tree"] = outputs == expected(old_files)
        seen["staged"] = sorted(p.relative_to(root / STAGING / "new").as_posix()
                                for p in (root / STAGING / "new").rglob("*") if p.is_file())
        yield second

    changed = writer.write_output_parts(parts(), root)
    assert seen["old tree"] is True
    assert seen["staged"] == sorted(r for r in first if first[r] != old_files.get(r))
    assert snapshot(root) == expected(new_files)
    assert changed == sorted([*(r for r in new_files if new_files[r] != old_files.get(r)),
                              *(r for r in old_files if r not in new_files)])


def test_a_part_that_fails_to_render_leaves_the_old_tree_and_no_staging(tmp_path: Path, old_files: dict[str, str],
                                                                      new_files: dict[str, str]) -> None:
    root = seeded_root(tmp_path, old_files)
    first, _ = _halves(new_files)

    def parts() -> Iterator[dict[str, str]]:
        yield first
        raise RuntimeError("the second process failed")

    with pytest.raises(RuntimeError, match="second process failed"):
        writer.write_output_parts(parts(), root)
    assert snapshot(root) == expected(old_files)


def test_a_path_in_two_parts_is_refused(tmp_path: Path, old_files: dict[str, str], new_files: dict[str, str]) -> None:
    root = seeded_root(tmp_path, old_files)
    first, second = _halves(new_files)
    twice = next(iter(first))
    with pytest.raises(WriteFailed, match=f"{twice} was rendered twice"):
        writer.write_output_parts([first, {**second, twice: "other\n"}], root)
    assert snapshot(root) == expected(old_files)


@pytest.mark.parametrize("handler", ["cli", "records", "ignored"])
def test_a_stop_signal_between_parts_ends_the_build_before_its_commit(
        tmp_path: Path, old_files: dict[str, str], new_files: dict[str, str], handler: str) -> None:
    """SIGTERM while the second process still renders: the build stops before the commit
    (old tree, no staging) and the program's handler runs then; ignored, it changes nothing."""
    root = seeded_root(tmp_path, old_files)
    first, second = _halves(new_files)
    got: list[int] = []
    handlers = {"cli": cli._stop_on_sigterm, "records": lambda signum, frame: got.append(signum),
                "ignored": signal.SIG_IGN}

    def parts() -> Iterator[dict[str, str]]:
        yield first
        os.kill(os.getpid(), signal.SIGTERM)
        yield second

    previous = signal.signal(signal.SIGTERM, handlers[handler])
    try:
        if handler == "cli":
            with pytest.raises(SystemExit) as info:
                writer.write_output_parts(parts(), root)
            assert info.value.code == 128 + signal.SIGTERM
        elif handler == "records":
            with pytest.raises(WriteFailed, match="stopped by a signal"):
                writer.write_output_parts(parts(), root)
            assert got == [signal.SIGTERM]
        else:
            writer.write_output_parts(parts(), root)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert snapshot(root) == expected(new_files if handler == "ignored" else old_files)


def test_a_stop_signal_while_a_part_is_awaited_takes_effect_at_once(tmp_path: Path, old_files: dict[str, str],
                                                                    new_files: dict[str, str]) -> None:
    """The second process stalls (stopped, swapping, slow): SIGTERM must not wait for its next
    part (found by review: the build waited as long as the child did, holding the lock)."""
    import threading

    from generators import forked

    root = seeded_root(tmp_path, old_files)
    first, second = _halves(new_files)

    def stalls() -> Iterator[dict[str, str]]:
        yield second
        time.sleep(60)
        yield {"never/sent.yml": "x\n"}

    child_parts = forked.start(stalls, fork=True).parts()
    previous = signal.signal(signal.SIGTERM, cli._stop_on_sigterm)
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGTERM))
    started = time.monotonic()
    try:
        timer.start()
        with pytest.raises(SystemExit) as info:
            writer.write_output_parts(itertools.chain([first], child_parts), root)
    finally:
        timer.cancel()
        signal.signal(signal.SIGTERM, previous)
    assert info.value.code == 128 + signal.SIGTERM and time.monotonic() - started < 10
    assert snapshot(root) == expected(old_files)
    child_parts.close()


def test_a_signal_while_the_handlers_are_installed_is_not_lost(tmp_path: Path, old_files: dict[str, str],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGINT between installing the two holding handlers (found by review: a NameError, and
    SIGINT left on the holding handler for good)."""
    root = seeded_root(tmp_path, old_files)
    real_signal = signal.signal

    def install(signum: int, handler: object) -> object:
        previous = real_signal(signum, handler)  # type: ignore[arg-type]
        if signum == signal.SIGINT and getattr(handler, "__name__", "") == "hold":
            signal.raise_signal(signal.SIGINT)
        return previous

    monkeypatch.setattr(writer.signal, "signal", install)
    with pytest.raises(KeyboardInterrupt):
        write_outputs(old_files, root)
    monkeypatch.undo()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert snapshot(root) == expected(old_files)


@pytest.mark.parametrize("fork", [True, False])
def test_a_path_in_two_parts_of_the_render_is_refused_with_and_without_fork(
        tmp_path: Path, old_files: dict[str, str], monkeypatch: pytest.MonkeyPatch, fork: bool) -> None:
    from generators import outputs

    def twice(spec: object) -> Iterator[dict[str, str]]:
        yield {"alerts/tests/x.test.yml": "one\n"}
        yield {"alerts/tests/x.test.yml": "two\n"}

    monkeypatch.setattr(outputs, "_render_tests_and_docs", twice)
    spec = load_spec(SPEC_PATH)
    with pytest.raises(RuntimeError, match="rendered twice"):
        outputs.render_all(spec, fork=fork)
    root = seeded_root(tmp_path, old_files)
    with pytest.raises(WriteFailed, match="rendered twice"):
        writer.write_output_parts(outputs.render_parts(spec, fork=fork), root)
    assert snapshot(root) == expected(old_files)


def _signal_shim(monkeypatch: pytest.MonkeyPatch, when: object) -> None:
    """writer's signal module, with signal.signal raising SIGINT right after the swaps `when`
    picks: a Ctrl-C landing between the two handlers' swaps (found by review)."""
    import types

    real = signal.signal
    shim = types.ModuleType("signal_shim")
    shim.__dict__.update(signal.__dict__)

    def swap(signum: int, handler: object) -> object:
        old = real(signum, handler)  # type: ignore[arg-type]
        if when(signum, handler, old):  # type: ignore[operator]
            signal.raise_signal(signal.SIGINT)
        return old

    shim.signal = swap  # type: ignore[attr-defined]
    monkeypatch.setattr(writer, "signal", shim)


def _named(handler: object, name: str) -> bool:
    return getattr(handler, "__name__", "") == name


def test_a_sigint_raised_during_the_restorations_leaves_both_handlers_restored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Ctrl-C raised as SIGINT's handler is put back: the program's handler takes it and
    SIGTERM's is back too. (This pins the outcome. CPython 3.11 runs a raised signal's
    handler only after the next signal.signal() has installed, so with or without the
    blocked mask this test passes; the window the mask closes, an OS signal between two
    bytecodes of the loop, cannot be hit deterministically from Python.)"""
    previous = signal.signal(signal.SIGTERM, cli._stop_on_sigterm)
    try:
        _signal_shim(monkeypatch, lambda signum, handler, old: signum == signal.SIGINT and _named(old, "hold"))
        with pytest.raises(KeyboardInterrupt):
            write_outputs({"a/x.txt": "generated from thresholds.yaml\n"}, tmp_path)
        monkeypatch.undo()
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
        assert signal.getsignal(signal.SIGTERM) is cli._stop_on_sigterm
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_an_ignored_sigint_while_the_handlers_are_swapped_does_not_stop_the_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _signal_shim(monkeypatch, lambda signum, handler, old: signum == signal.SIGINT and _named(handler, "hold"))
        assert write_outputs({"a/x.txt": "generated from thresholds.yaml\n"}, tmp_path) == ["a/x.txt"]
    finally:
        monkeypatch.undo()
        signal.signal(signal.SIGINT, previous)
    assert signal.getsignal(signal.SIGINT) is previous


def test_a_signal_as_the_last_part_arrives_still_reaps_the_child(
        tmp_path: Path, old_files: dict[str, str], new_files: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C just as parts() stops its finished child (found by review: a zombie and two fds
    until the next build)."""
    from generators import forked, outputs

    root = seeded_root(tmp_path, old_files)
    real_stop = forked._Child.stop
    stopped: list[int] = []

    def stop(self: forked._Child, kill: bool = True) -> str:
        if sys._getframe(1).f_code.co_name == "parts" and not stopped:
            stopped.append(self.pid)
            signal.raise_signal(signal.SIGINT)  # lands before stop() blocks signals
        return real_stop(self, kill)

    monkeypatch.setattr(forked._Child, "stop", stop)
    fds = set(os.listdir("/proc/self/fd"))
    with pytest.raises(KeyboardInterrupt), contextlib.closing(outputs.render_parts(load_spec(SPEC_PATH),
                                                                                   fork=True)) as parts:
        writer.write_output_parts(parts, root)
    assert stopped
    with pytest.raises(ChildProcessError):
        os.waitpid(stopped[0], os.WNOHANG)  # reaped, not a zombie
    assert not forked._CHILDREN and set(os.listdir("/proc/self/fd")) <= fds
    assert snapshot(root) == expected(old_files)
