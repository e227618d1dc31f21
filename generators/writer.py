"""Write the rendered outputs into the output tree all-or-nothing, or check them against it.

The generated files live in several top-level directories of the output root (which ones is
data: the first path component of every rendered file), next to files a user put there (no
"generated from thresholds.yaml" header), which are never touched. No single rename can
switch several directories of an arbitrary root (the root is the repository itself), so a
build is a small journaled transaction inside the output root:

1. Lock: flock on the output root directory (two builds into one root take turns).
2. Recover: finish or undo a transaction a killed build left (below) before anything else.
3. Plan: which files change, which stale generated files go; every obstacle (a target that
   is a directory, a parent that is a file, an unwritable or foreign-filesystem directory,
   a path leaving the root) is an error now, before the tree is touched.
4. Stage: `.generators-txn/new/<path>` gets each changed file (mode 0666 minus the umask,
   fsynced); `.generators-txn/old/<path>` a hard link to each file to be replaced or removed.
   The files may come in parts (`write_output_parts`: the build's second process sends its
   own while it renders the rest): steps 3-4 run for each part as it comes, the stale files
   are planned after the last.
5. Commit: `.generators-txn/journal.json` is written to a temp name, fsynced and renamed in
   place: that rename is the commit point.
6. Apply: each staged file is renamed over its target, stale files are unlinked, directories
   left empty are removed. If anything fails here the journal is switched to "rollback" and
   the hard links put back, then the error is reported.
7. Finish: the journal is removed, then the staging directory.

Guarantee: if a build process dies at any instant (SIGKILL, the OOM killer, a crash), the
next `build` or `check` into that root (or `recover()`) first restores exactly the old tree
(no journal yet: the staging directory is deleted, the tree was never touched; journal in
"rollback": the old files are put back) or exactly the new one (journal in "commit": the
remaining renames and unlinks are redone; each step is idempotent, so a kill during recovery
is recovered the same way), then removes `.generators-txn`; after that no temp file remains.
What is not guaranteed: a reader looking at the tree while a build switches it (step 6, a
few milliseconds) or after a kill and before the next run may see some files old and some
new, plus `.generators-txn/`. A build that fails with an error undoes itself: the old tree
and no staging directory remain. SIGINT/SIGTERM arriving during steps 2-7 are held until the
tree is consistent (old or new, no staging), then handled as the program would have (when
called from the main thread; the CLI is); one held before the commit ends the build there,
with the old tree (so a build waiting for its second process stops when the next part
comes, not after the whole build).
Across a power loss the same holds as far as the filesystem keeps fsynced data: files and
the journal are fsynced before the commit and directories after the apply.

A top-level directory the spec stops producing entirely is not scanned for stale files
(nothing records that it was generated); the spec's own directories are.
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import json
import os
import shutil
import signal
import stat
import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TypeVar

STAGING = ".generators-txn"
JOURNAL = "journal.json"
GENERATED_MARK = "generated from thresholds.yaml"


class OutputRootError(Exception):
    """--out is unusable (missing parent, a file, a dangling symlink, read-only); nothing written."""


class WriteFailed(Exception):
    """The tree could not be switched; the old outputs are in place."""


# -- the output root ------------------------------------------------------------------------

def output_root(out: Path | str, create: bool) -> Path:
    """The output root as an existing directory, or OutputRootError with the fix."""
    path = Path(out)
    shown = str(out)
    if path.is_symlink() and not path.exists():
        raise OutputRootError(f"--out {shown} is a symlink to {os.readlink(path)}, which does not exist")
    if path.exists():
        if not path.is_dir():
            raise OutputRootError(f"--out {shown} is a file, not a directory; give a directory")
    elif not create:
        raise OutputRootError(f"--out {shown} does not exist; run `make build` first")
    else:
        parent = path.absolute().parent
        if not parent.is_dir():
            raise OutputRootError(f"--out {shown}: its parent {parent} does not exist; create it first")
        try:
            path.mkdir()
        except OSError as exc:
            raise OutputRootError(f"--out {shown} cannot be created: {exc.strerror}") from None
    if create and not os.access(path, os.W_OK | os.X_OK):
        raise OutputRootError(f"--out {shown} is not writable; choose a directory you can write to")
    return path


class _Held:
    """Stop signals received inside _stop_signals_deferred; while `waiting` (for the next part
    of the files, nothing being written) one raises _Stopped at once instead."""

    def __init__(self) -> None:
        self.received: list[int] = []
        self.waiting = False


@contextlib.contextmanager
def _stop_signals_deferred() -> Iterator[_Held]:
    """SIGINT/SIGTERM arriving inside the block take effect (with the program's own handlers)
    once the tree is consistent again; the block sees them in what it gets. Python runs
    signal handlers in the main thread only, so this holds whichever thread the kernel picks;
    from another thread it cannot be arranged."""
    held = _Held()
    if threading.current_thread() is not threading.main_thread():
        yield held
        return
    stops = (signal.SIGINT, signal.SIGTERM)
    # known before hold can run; None (set outside Python) is restored as the default
    previous = {signum: _or_default(signal.getsignal(signum)) for signum in stops}

    def hold(signum: int, frame: object) -> None:
        if previous[signum] is signal.SIG_IGN:  # ignored by the program: ignored here too
            return
        held.received.append(signum)
        if held.waiting:  # a render or a stalled child must not delay the stop
            held.waiting = False
            raise _Stopped

    # the handlers are swapped with both signals blocked: one arriving between the two
    # swaps would otherwise run a half-installed set (a handler runs at the next bytecode,
    # signal.signal() itself included) and could leave SIGTERM held for good
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, stops)
    try:
        _install(dict.fromkeys(stops, hold), previous)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    try:
        yield held
    finally:
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, stops)
        try:
            _install(previous, previous)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # what came meanwhile: the program's handlers
        for signum in dict.fromkeys(held.received):
            signal.raise_signal(signum)


def _or_default(handler: object) -> object:
    return signal.SIG_DFL if handler is None else handler


def _install(handlers: dict[int, object], previous: dict[int, object]) -> None:
    """signal.signal for each; if one raises (a handler already pending runs inside it), the
    ones installed go back to `previous` first."""
    done = []
    try:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]
            done.append(signum)
    except BaseException:
        for signum in done:
            signal.signal(signum, previous[signum])  # type: ignore[arg-type]
        raise


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _check_rel(rel: str) -> None:
    parts = rel.split("/")  # "", "." and ".." also catch "/a", "a//b", "a/" and "./a"
    if "\\" in rel or any(p in ("", ".", "..") for p in parts) or parts[0] == STAGING:
        raise WriteFailed(f"refusing to write {rel!r}: not a plain path inside the output root")


def generated_dirs(files: Collection[str]) -> list[str]:
    """The top-level directories the spec renders into: where stale outputs are looked for."""
    return sorted({rel.split("/", 1)[0] for rel in files if "/" in rel})


def is_generated(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(400).decode("utf-8", errors="replace")
    except OSError:
        return False
    return GENERATED_MARK in head.lower()


def stale_outputs(files: Collection[str], root: Path) -> list[str]:
    """Generated-looking files on disk that the spec no longer produces."""
    stale = []
    for top in generated_dirs(files):
        base = root / top
        if not base.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames.sort()
            for name in sorted(filenames):
                path = Path(dirpath) / name
                rel = path.relative_to(root).as_posix()
                if rel not in files and not path.is_symlink() and path.is_file() and is_generated(path):
                    stale.append(rel)
    return sorted(stale)


# -- plan -----------------------------------------------------------------------------------

@dataclass
class Plan:
    writes: list[str] = field(default_factory=list)  # staged under STAGING/new
    deletes: list[str] = field(default_factory=list)
    existed: set[str] = field(default_factory=set)  # writes that replace a file
    paths: set[str] = field(default_factory=set)  # every rendered path (the rest is stale)
    checked_dirs: set[str] = field(default_factory=set)

    @property
    def changed(self) -> list[str]:
        return sorted([*self.writes, *self.deletes])


def _plan_part(files: dict[str, str], root: Path, root_dev: int, plan: Plan) -> dict[str, bytes]:
    """Add one part of the rendered files to `plan`; returns the content to stage, by path."""
    writes: dict[str, bytes] = {}
    for rel, content in files.items():
        _check_rel(rel)
        if rel in plan.paths:
            raise WriteFailed(f"{rel} was rendered twice; a generator bug, nothing was changed")
        plan.paths.add(rel)
        data = content.encode("utf-8")
        target = root / rel
        _check_parents(root, rel, root_dev, plan.checked_dirs)
        try:  # the common cases in one system call: no file yet, or a regular file
            mode = os.lstat(target).st_mode
        except FileNotFoundError:
            writes[rel] = data
            continue
        except OSError:
            mode = 0  # not a regular file: the checks below say what is wrong
        if stat.S_ISREG(mode):
            plan.existed.add(rel)
            if not _same_content(target, data):
                writes[rel] = data
            continue
        if target.is_dir():
            raise WriteFailed(f"{rel} is a directory where a generated file belongs; move it away and build again")
        if target.exists() or target.is_symlink():
            plan.existed.add(rel)
            if target.is_file() and _same_content(target, data):
                continue
        writes[rel] = data
    plan.writes += writes
    return writes


def _plan_deletes(root: Path, root_dev: int, plan: Plan) -> None:
    for rel in stale_outputs(plan.paths, root):
        _check_parents(root, rel, root_dev, plan.checked_dirs)
        plan.deletes.append(rel)


def _same_content(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _check_parents(root: Path, rel: str, root_dev: int, checked: set[str]) -> None:
    """Every existing parent of `rel` must be a writable directory on the root's filesystem."""
    parts = rel.split("/")[:-1]
    for depth in range(1, len(parts) + 1):
        shown = "/".join(parts[:depth])
        if shown in checked:
            continue
        current = root / shown
        if not current.exists():
            break  # created at apply time, inside a checked directory
        if not current.is_dir():
            raise WriteFailed(f"{shown} is a file where a directory of generated files belongs; move it away")
        if not os.access(current, os.W_OK | os.X_OK):
            raise WriteFailed(f"{shown}/ is not writable; fix its permissions and build again")
        if os.stat(current).st_dev != root_dev:
            raise WriteFailed(f"{shown}/ is on another filesystem than the output root, so it cannot be "
                              "switched atomically; make it a plain directory of the root")
        checked.add(shown)


# -- transaction ----------------------------------------------------------------------------

def _write_file(path: Path, data: bytes) -> None:
    """Into an existing directory."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask decides the mode
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


# fsync waits on the disk, not the CPU, and releases the GIL: files written and fsynced by
# several threads at once share the disk's flushes (a 100x build's 2,700 files: 0.75 s one
# after the other, 0.26 s with 16 threads, about what writing them without fsync costs).
# Beyond a few threads they contend for the one directory most files go to: on a slower
# day for the same disk, writing a 100x build's outputs took a median 1.27 s with 4 or 8
# threads and 1.68 s with 16 (six interleaved runs each), so 8.
_WRITER_THREADS = 8
_DONE = object()
T = TypeVar("T")


def _write_files(files: dict[Path, bytes]) -> None:
    """_write_file for each, on several threads."""
    for directory in sorted({path.parent for path in files}):
        directory.mkdir(parents=True, exist_ok=True)
    _on_threads(lambda item: _write_file(*item), list(files.items()))


def _fsync_dirs(directories: list[Path]) -> None:
    _on_threads(_fsync_dir, directories)


def _on_threads(function: Callable[[T], None], items: list[T]) -> None:
    """function(item) for each item on up to _WRITER_THREADS threads (the caller's among
    them); after the first error no thread takes more work, and the error is raised once every
    thread has stopped, so nothing is written behind the caller's back afterwards; a thread
    that cannot start (pids.max, RLIMIT_NPROC) leaves the work to fewer."""
    pending = iter(items)
    taking = threading.Lock()
    errors: list[BaseException] = []

    def work() -> None:
        while not errors:
            with taking:
                item = next(pending, _DONE)
            if item is _DONE:
                return
            try:
                function(item)  # type: ignore[arg-type]
            except BaseException as exc:
                errors.append(exc)

    threads: list[threading.Thread] = []
    try:
        for i in range(min(_WRITER_THREADS, len(items)) - 1):
            thread = threading.Thread(target=work, name=f"write-{i}", daemon=True)
            try:
                thread.start()
            except RuntimeError:  # out of threads
                break
            threads.append(thread)
        work()
    finally:
        for thread in threads:  # also when this thread was interrupted: none writes on afterwards
            thread.join()
    if errors:
        raise errors[0]


def _write_journal(staging: Path, journal: dict[str, object]) -> None:
    tmp = staging / (JOURNAL + ".tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    _write_file(tmp, json.dumps(journal, sort_keys=True).encode())
    os.replace(tmp, staging / JOURNAL)
    _fsync_dir(staging)


def _open_staging(root: Path) -> Path:
    staging = root / STAGING
    try:
        staging.mkdir()
    except OSError as exc:
        raise OutputRootError(f"--out {root} is not writable ({exc.strerror}); nothing was written") from None
    return staging


def _awaited(parts: Iterator[dict[str, str]], held: _Held) -> Iterator[dict[str, str]]:
    """The parts, each awaited with stop signals taking effect at once (_Stopped)."""
    while True:
        held.waiting = True
        try:
            if held.received:
                raise _Stopped
            part = next(parts, None)
        finally:
            held.waiting = False
        if part is None:
            return
        yield part


def _stage_parts(parts: Iterator[dict[str, str]], root: Path, held: _Held) -> tuple[Plan, dict[str, object]]:
    """Plan and stage each part as it comes (the next one is rendered meanwhile), then the
    stale files' removal, the backups and the journal: the commit point. Until then the tree
    is untouched, and a failure removes the staging directory (made only once a file
    changes: an up-to-date tree may be read-only). A stop signal ends the build before its
    commit (the old tree stays): at once while a part is awaited, else after the step."""
    plan = Plan()
    staging: Path | None = None
    try:
        root_dev = os.stat(root).st_dev
        for part in _awaited(parts, held):  # it also ends the loop on a signal held meanwhile
            writes = _plan_part(part, root, root_dev, plan)
            if writes:
                staging = staging or _open_staging(root)
                _write_files({staging / "new" / rel: data for rel, data in writes.items()})
            del writes  # the part's bytes, freed before the wait for the next part
        _plan_deletes(root, root_dev, plan)
        if not plan.changed:
            return plan, {}
        staging = staging or _open_staging(root)
        for rel in sorted([*(r for r in plan.writes if r in plan.existed), *plan.deletes]):
            backup = staging / "old" / rel
            backup.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(root / rel, backup, follow_symlinks=False)
            except OSError:  # a filesystem without hard links: a copy restores the same content
                shutil.copy2(root / rel, backup, follow_symlinks=False)
        _fsync_dirs([Path(p) for p, _, _ in os.walk(staging)])
        journal = {
            "state": "commit",
            "writes": sorted(plan.writes),
            "replaced": sorted(r for r in plan.writes if r in plan.existed),
            "deletes": plan.deletes,
            "new_dirs": _missing_dirs(plan, root),
        }
        if held.received:
            raise _Stopped
        _write_journal(staging, journal)
        return plan, journal
    except BaseException as exc:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise WriteFailed(f"staging the new outputs failed ({exc.strerror or exc}); nothing was changed") from None
        raise


class _Stopped(Exception):
    """A stop signal came while parts were staged: the build ends before its commit."""


def _missing_dirs(plan: Plan, root: Path) -> list[str]:
    parents = {str(parent) for rel in plan.writes for parent in PurePosixPath(rel).parents}
    parents.discard(".")
    return sorted(parent for parent in parents if not (root / parent).is_dir())


def _roll_forward(root: Path, journal: dict[str, object]) -> None:
    staging = root / STAGING
    touched: set[Path] = set()
    for rel in journal["writes"]:  # type: ignore[union-attr]
        staged, target = staging / "new" / rel, root / rel
        try:
            os.replace(staged, target)
        except FileNotFoundError:  # its directory is new in this build, or it was renamed before an interruption
            if staged.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged, target)
        touched.add(target.parent)
    for rel in journal["deletes"]:  # type: ignore[union-attr]
        with contextlib.suppress(FileNotFoundError):
            (root / rel).unlink()
        touched.add((root / rel).parent)
    for directory in sorted(touched, key=lambda p: len(p.parts), reverse=True):
        _remove_if_empty(directory, root)
    _fsync_dirs(sorted({d for d in touched if d.is_dir()} | {root}))


def _roll_back(root: Path, journal: dict[str, object]) -> None:
    staging = root / STAGING
    replaced = set(journal["replaced"])  # type: ignore[arg-type]
    for rel in [*journal["writes"], *journal["deletes"]]:  # type: ignore[misc]
        backup = staging / "old" / rel
        if backup.exists() or backup.is_symlink():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(backup, root / rel)
        elif rel not in replaced and rel not in journal["deletes"]:  # type: ignore[operator]
            with contextlib.suppress(FileNotFoundError):
                (root / rel).unlink()  # a file this build added
    for directory in sorted(journal["new_dirs"], key=lambda d: d.count("/"), reverse=True):  # type: ignore[union-attr]
        with contextlib.suppress(OSError):
            (root / directory).rmdir()
    _fsync_dir(root)


def _remove_if_empty(directory: Path, root: Path) -> None:
    while directory != root and root in directory.parents:
        try:
            directory.rmdir()
        except OSError:
            return
        directory = directory.parent


def _finish(root: Path) -> None:
    staging = root / STAGING
    with contextlib.suppress(FileNotFoundError):
        (staging / JOURNAL).unlink()  # from here on the staging directory is garbage
    shutil.rmtree(staging, ignore_errors=True)
    if staging.exists():
        shutil.rmtree(staging)  # the error this time


def recover(root: Path) -> str:
    """Finish or undo what a killed build left in `root`: 'clean', 'discarded' (killed before
    its commit: the tree is the old one), 'rolled-forward' or 'rolled-back'."""
    staging = root / STAGING
    if not staging.exists() and not staging.is_symlink():
        return "clean"
    if staging.is_symlink() or not staging.is_dir():
        raise WriteFailed(f"{staging} is not the staging directory of a build; move it away")
    try:
        journal = json.loads((staging / JOURNAL).read_text(encoding="utf-8"))
    except FileNotFoundError:
        shutil.rmtree(staging)
        return "discarded"
    except (OSError, ValueError) as exc:
        raise WriteFailed(f"{staging / JOURNAL} is unreadable ({exc}); an interrupted build cannot be "
                          "finished: restore the outputs from git and delete that directory") from None
    if journal.get("state") == "rollback":
        _roll_back(root, journal)
        outcome = "rolled-back"
    else:
        _roll_forward(root, journal)
        outcome = "rolled-forward"
    _finish(root)
    return outcome


# -- entry points ---------------------------------------------------------------------------

def write_outputs(files: dict[str, str], out: Path | str) -> list[str]:
    """Switch the tree to `files` all-or-nothing; stale generated files go. Returns the paths
    changed. OutputRootError / WriteFailed: nothing changed (the old tree is intact)."""
    return write_output_parts([files], out)


def write_output_parts(parts: Iterable[dict[str, str]], out: Path | str) -> list[str]:
    """write_outputs of the union of `parts`, which may still be rendering: the first part is
    taken before the output root is locked, each later one is staged as soon as it comes,
    and the tree switches after the last (a path in two parts is an error). An exception
    from `parts` (a failed render) leaves the old tree, as does a stop signal received
    before the commit, which is then handled once the staging directory is gone."""
    parts = iter(parts)
    first = next(parts, {})
    existed = Path(out).exists() or Path(out).is_symlink()
    root = output_root(out, create=True)
    done = False
    try:
        with _locked(root), _stop_signals_deferred() as held:
            try:
                recover(root)
            except OSError as exc:
                raise WriteFailed(f"finishing an interrupted build in {root} failed: {exc}") from None
            try:
                plan, journal = _stage_parts(itertools.chain([first], parts), root, held)
            except _Stopped:
                pass  # the signal held meanwhile is handled as this block ends
            else:
                if journal:
                    _switch(root, journal)
                done = True
                return plan.changed
        # a stop signal ended the build before its commit, and its handler did not raise
        raise WriteFailed("stopped by a signal before the new outputs were committed; nothing was changed")
    finally:
        if not existed and not done:
            with contextlib.suppress(OSError):
                root.rmdir()  # only if a failure left the directory we created empty


def _switch(root: Path, journal: dict[str, object]) -> None:
    """Apply a committed journal, or undo it if that fails; then remove the staging directory."""
    try:
        _roll_forward(root, journal)
    except BaseException as exc:
        try:
            _undo(root, journal)
        except OSError as undo_exc:
            raise WriteFailed(f"switching to the new outputs failed ({exc}) and undoing it failed too "
                              f"({undo_exc}); the next build or check finishes the interrupted one") from None
        if isinstance(exc, OSError):
            raise WriteFailed(f"switching to the new outputs failed ({exc}); the old outputs are "
                              "back in place") from None
        raise
    _finish(root)


def _undo(root: Path, journal: dict[str, object]) -> None:
    _write_journal(root / STAGING, {**journal, "state": "rollback"})
    _roll_back(root, journal)
    _finish(root)


def diff_outputs(files: dict[str, str], out: Path | str) -> list[str]:
    """Paths whose committed content differs from a fresh render (or that are stale)."""
    root = output_root(out, create=False)
    if (root / STAGING).exists():
        try:
            with _locked(root), _stop_signals_deferred():
                recover(root)
        except WriteFailed as exc:
            return [f"{STAGING}: {exc}"]
        except OSError as exc:
            return [f"{STAGING}: an interrupted build could not be finished ({exc.strerror or exc}); "
                    "run `make build`"]
    problems = []
    for rel, content in files.items():
        _check_rel(rel)
        target = root / rel
        if not target.exists():
            problems.append(f"{rel}: missing")
        elif not target.is_file():
            problems.append(f"{rel}: not a regular file")
        else:
            try:
                same = target.read_bytes() == content.encode("utf-8")
            except OSError as exc:
                problems.append(f"{rel}: unreadable ({exc.strerror})")
                continue
            if not same:
                problems.append(f"{rel}: differs from a fresh build")
    problems += [f"{rel}: no longer generated by the spec" for rel in stale_outputs(files, root)]
    return problems

