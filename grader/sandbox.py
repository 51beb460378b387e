"""The sandbox every learner notebook runs in: Debian's bubblewrap, the user `nobody`, bounded in bytes.

Theory of operation. A learner's kernel is started by grader/launch.py, which joins the notebook's
cgroups (memory and tasks of the whole sandbox, cgroups.py) and sets rlimits (address space, file size,
core dumps; processes where no cgroup counts them), then becomes `bwrap`. bwrap gives the kernel its own
mount, pid, network, IPC, UTS and cgroup namespaces: a root holding only the system (/usr read-only),
the Python installation and its packages (read-only, the grader's own package hidden), the offline
Solidity compiler (the clone's contracts/ folder, read-only: lab 9 compiles inside), a private /tmp
and /dev/shm of bounded size, a fresh /proc that shows only the sandbox's processes, no network but its
own loopback, and exactly two writable folders of the notebook's workspace: its scratch copy (the
working directory) and the folder of the kernel's ipc sockets, which the grader's nbclient reaches
through the filesystem (unix sockets cross network namespaces; nothing listens on TCP). The course's
source/, the gradebook, other submissions and the grader's processes do not exist in there.

Who the kernel runs as: as root, bwrap would map the sandbox's uid 65534 onto root itself (measured:
`Uid: 0` in /proc/PID/status outside), and the kernel does not apply RLIMIT_NPROC to root. So a root
grader starts bwrap without a user namespace and the kernel drops to uid/gid 65534 with setpriv (no
capabilities, no new privileges) inside; a grader that is not root uses bwrap's own `--unshare-all
--uid 65534`, where 65534 inside is the grader's user outside. See bwrap(1), namespaces(7).
"""

from __future__ import annotations

import ctypes
import importlib.metadata
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from grader.errors import SandboxUnavailable
from grader.runner import KernelFolders

BWRAP = "bwrap"                 # Debian package bubblewrap
NOBODY = 65534                  # uid and gid of `nobody` / `nogroup` on Debian
TASKS = 128                     # processes and threads in one sandbox (a kernel alone uses about 10)
FILE_MB = 256                   # largest file a learner's code may write (RLIMIT_FSIZE)
TMP_MB = 256                    # the private /tmp, and again /dev/shm (tmpfs: its pages count as memory)
SCRATCH_EXTRA_MB = 512          # a root grader's workspace tmpfs: the memory limit plus this for copied files
ADDRESS_SLACK_MB = 1024         # RLIMIT_AS above the memory limit: a kernel's threads reserve ~0.5 GB unused
OPEN_FILES = 1024               # RLIMIT_NOFILE
LAUNCHER = Path(__file__).with_name("launch.py")
ETC_FILES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "timezone", "alternatives", "fonts",
             "mime.types", "nsswitch.conf")   # what Python and its libraries read from /etc; nothing else
# MINICHAIN_SOLC_DIR: where an installed minichain (a JupyterHub image, TLJH) finds solc-js
PASSED_ENV = ("LANG", "LC_ALL", "TZ", "MINICHAIN_SOLC_DIR")
# The Solidity compiler (lab 9): solc-js is WebAssembly, and V8 reserves about 10 GB of address space per
# Wasm memory for its guard pages, which RLIMIT_AS refuses ("Cannot allocate Wasm memory"). Node's own
# flag for running under an address-space limit makes it check bounds in code instead (measured: the
# same compiler output, as nobody, offline, under the limit).
NODE_OPTIONS = "--disable-wasm-trap-handler"


@dataclass(frozen=True)
class Policy:
    """How learner code runs in this grading run, decided once by `choose` (picklable: it goes with every
    job). kind "bwrap" is the sandbox; "none" is `--unsafe-no-sandbox`, said on every row."""

    kind: str                          # "bwrap" or "none"
    memory_mb: int = 2048              # the whole sandbox's memory (cgroup), and per process (RLIMIT_AS)
    bwrap: str | None = None
    setpriv: str | None = None         # set when the grader is root: the kernel drops to 65534 inside
    cgroups: tuple[str, ...] = ()      # controllers limiting each sandbox (memory, pids), if writable
    tasks: int = TASKS
    file_mb: int = FILE_MB

    @property
    def sandboxed(self) -> bool:
        return self.kind == "bwrap"

    @property
    def as_root(self) -> bool:
        return self.setpriv is not None

    def describe(self) -> str:
        """One line for the instructor: what bounds the learners' code."""
        if not self.sandboxed:
            return (f"NOT SANDBOXED (--unsafe-no-sandbox): learner code ran as uid {os.getuid()} with the "
                    "grader's access to files and processes")
        groups = f"cgroup {'+'.join(self.cgroups)}" if self.cgroups else "no writable cgroup: rlimits only"
        who = (f"uid {NOBODY}" if self.as_root
               else f"uid {NOBODY} in a user namespace (uid {os.getuid()} outside)")
        return f"bwrap sandbox as {who}, {self.memory_mb} MB, {self.tasks} tasks, {groups}"

    def limits(self) -> list[str]:
        """The launcher's rlimits: address space, file size, no core dumps, open files; and processes
        where no pids cgroup counts them: RLIMIT_NPROC counts all tasks of a uid on the machine, so the
        launcher allows `tasks` more than that uid has when it starts."""
        limits = [f"AS={(self.memory_mb + ADDRESS_SLACK_MB) * 2**20}", f"FSIZE={self.file_mb * 2**20}",
                  "CORE=0", f"NOFILE={OPEN_FILES}"]
        if "pids" not in self.cgroups:
            limits.append(f"NPROC=+{self.tasks}:{NOBODY if self.as_root else os.getuid()}")
        return limits


def _which(name: str) -> str | None:
    return shutil.which(name) or next((p for p in (f"/usr/bin/{name}", f"/bin/{name}")
                                       if os.access(p, os.X_OK)), None)


def choose(*, unsafe: bool, memory_mb: int) -> Policy:
    """The sandbox this machine gives, proven by running one; SandboxUnavailable if it cannot (unless the
    instructor passed --unsafe-no-sandbox, which is then the policy and is said on every row)."""
    if unsafe:
        return Policy("none", memory_mb=memory_mb)
    bwrap = _which(BWRAP)
    if bwrap is None:
        raise SandboxUnavailable(
            "bwrap (Debian package bubblewrap) is not installed, and the grader does not run learners' code "
            "without its sandbox: `sudo apt-get install bubblewrap` (or scripts/install-system-deps.sh), "
            "or pass --unsafe-no-sandbox to grade unprotected, which the CSV then says on every row")
    setpriv = None
    if os.geteuid() == 0:
        setpriv = _which("setpriv")
        if setpriv is None:
            raise SandboxUnavailable("setpriv (Debian package util-linux) is missing: a root grader needs it "
                                     f"to run learner code as uid {NOBODY}")
    from grader.cgroups import Hierarchy

    trial = Hierarchy.create(f"minichain-grader-probe-{os.getpid()}")
    trial.remove()
    policy = Policy("bwrap", memory_mb=memory_mb, bwrap=bwrap, setpriv=setpriv, cgroups=trial.controllers)
    probe(policy)
    return policy


def probe(policy: Policy) -> None:
    """Start the sandbox once with the real mounts and check who runs inside; SandboxUnavailable if not."""
    check = ("import os, sys; print(os.getuid(), os.getgid(), os.path.exists(sys.argv[1]))")
    argv = [*bwrap_argv(policy, writable=(), cwd="/"), sys.executable, "-I", "-S", "-c", check, str(LAUNCHER)]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SandboxUnavailable(f"bwrap could not be started: {exc}") from None
    if done.returncode != 0:
        reason = " ".join(done.stderr.split())[-300:] or f"exit status {done.returncode}"
        raise SandboxUnavailable(f"bwrap cannot build the sandbox on this machine: {reason} (user namespaces "
                                 "disabled? run the grader as root, or see course/deployment.md)")
    if done.stdout.split() != [str(NOBODY), str(NOBODY), "False"]:
        raise SandboxUnavailable(f"the sandbox does not isolate as intended (uid, gid, grader visible: "
                                 f"{done.stdout.strip()!r}); refusing to run learner code")


def _mount_sources() -> list[Path]:
    """Read-only folders the kernel needs: the Python installation, its package folders, and the folders
    of packages installed in editable mode (minichain from a clone), never the clone itself."""
    prefixes = {Path(sys.base_prefix).resolve(), Path(sys.prefix)}
    prefixes.add(Path(sys.executable).resolve().parent.parent)
    found = set(prefixes)
    for entry in sys.path:
        path = Path(entry) if entry else None
        if path and path.is_dir() and (path.name in ("site-packages", "dist-packages")
                                       or any(path.resolve().is_relative_to(p) for p in prefixes)):
            found.add(path)
    for dist in importlib.metadata.distributions():
        direct = dist.read_text("direct_url.json")
        if not direct or not json.loads(direct).get("dir_info", {}).get("editable"):
            continue
        for name in (dist.read_text("top_level.txt") or "").split():
            spec = importlib.util.find_spec(name) if name != "grader" else None
            if spec and spec.submodule_search_locations:
                found.update(Path(p) for p in spec.submodule_search_locations)
            elif spec and spec.origin:
                found.add(Path(spec.origin))
    found.update(_compiler_folders())
    system = Path("/usr")
    kept = sorted((p for p in found if p.exists() and not p.resolve().is_relative_to(system)),
                  key=lambda p: len(p.parts))
    return [p for i, p in enumerate(kept) if not any(p.is_relative_to(q) for q in kept[:i])]


def _compiler_folders() -> list[Path]:
    """The offline Solidity compiler a lab compiles with (Debian's node is under /usr already): the
    clone's contracts/ folder, bound read-only, as minichain.contracts finds it; none if not installed."""
    from minichain.contracts.compiler import SOLC_DIR

    return [SOLC_DIR] if (SOLC_DIR / "node_modules" / "solc" / "soljson.js").is_file() else []


def _hidden() -> list[Path]:
    """The grader's own package, wherever it is installed."""
    return [Path(__file__).resolve().parent]


def _ancestors(dest: Path, made: set[Path]) -> list[str]:
    """bwrap creates a destination's missing parents with mode 0700, which nobody cannot enter."""
    args = []
    for parent in reversed(dest.parents):
        if parent != Path("/") and parent not in made:
            made.add(parent)
            args += ["--perms", "0755", "--dir", str(parent)]
    made.add(dest)
    return args


def bwrap_argv(policy: Policy, *, writable: tuple[Path, ...], cwd: str,
               files: tuple[tuple[Path, str], ...] = (), env: Mapping[str, str] | None = None) -> list[str]:
    """bwrap's arguments up to the command: the sandbox's whole file system, namespaces and environment.

    writable: folders bound read-write at their own paths (scratch copy, ipc sockets); files: (host
    file, path inside) bound read-only (the workspace's passwd and group)."""
    if policy.bwrap is None:
        raise SandboxUnavailable("no bwrap in this policy: learner code runs unsandboxed")
    args = [policy.bwrap, "--die-with-parent", "--new-session"]
    if policy.as_root:
        args += ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
                 "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SETPCAP"]
    else:
        args += ["--unshare-all", "--disable-userns", "--uid", str(NOBODY), "--gid", str(NOBODY)]
    made: set[Path] = set()
    for name in ("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        top = Path("/") / name
        if top.is_symlink():
            args += ["--symlink", os.readlink(top), str(top)]
        elif top.is_dir():
            args += ["--ro-bind", str(top), str(top)]
        made.add(top)
    for name in ETC_FILES:
        if (Path("/etc") / name).exists():
            args += [*_ancestors(Path("/etc") / name, made), "--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    # The private /tmp first: a Python or a clone that lives under /tmp is bound on top of it below.
    made.update({Path("/proc"), Path("/dev"), Path("/dev/shm"), Path("/tmp")})
    args += ["--proc", "/proc", "--dev", "/dev",
             "--perms", "1777", "--size", str(TMP_MB * 2**20), "--tmpfs", "/tmp",
             "--perms", "1777", "--size", str(TMP_MB * 2**20), "--tmpfs", "/dev/shm"]
    for host, inside in files:
        args += [*_ancestors(Path(inside), made), "--ro-bind", str(host), inside]
    sources = _mount_sources()
    for source in sources:
        args += [*_ancestors(source, made), "--ro-bind", str(source), str(source)]
    for hidden in _hidden():   # installed (not editable): inside a bound package folder, so cover it
        if any(hidden.is_relative_to(s.resolve()) for s in [*sources, Path("/usr")]):
            args += ["--perms", "0755", "--tmpfs", str(hidden)]
    for folder in writable:
        args += [*_ancestors(folder, made), "--bind", str(folder), str(folder)]
    args += ["--remount-ro", "/", "--chdir", cwd, "--clearenv"]
    extra = env
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp",
           "TMPDIR": "/tmp", "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1",
           "MPLBACKEND": "Agg", "NBGRADER_EXECUTION": "autograde", "NODE_OPTIONS": NODE_OPTIONS}
    env.update({k: os.environ[k] for k in PASSED_ENV if k in os.environ})
    env.update(extra or {})
    for key, value in env.items():
        args += ["--setenv", key, value]
    args.append("--")
    if policy.setpriv:
        args += [policy.setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                 "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]
    return args


def kernel_argv(policy: Policy, *, scratch: Path, cwd: Path, ipc: Path, etc: Path,
                join: list[str], env: Mapping[str, str] | None = None) -> list[str]:
    """The whole command of a sandboxed ipykernel ({connection_file} is filled in by jupyter_client)."""
    launcher = [sys.executable, "-I", "-S", str(LAUNCHER)]
    if policy.as_root:   # jupyter_client writes it for root alone; the kernel reads it as nobody
        launcher += ["--give", f"{{connection_file}}:{NOBODY}"]
    for procs in join:
        launcher += ["--join", procs]
    for limit in policy.limits():
        launcher += ["--limit", limit]
    files = ((etc / "passwd", "/etc/passwd"), (etc / "group", "/etc/group"))
    inner = bwrap_argv(policy, writable=(scratch, ipc), cwd=str(cwd), files=files, env=env)
    # -P: the kernel's own modules are never looked up in the learner's folder (a planted
    # ipykernel_launcher.py would be the kernel); the folder is put on the path once it has started,
    # as in Jupyter, so a lab's helper modules still import
    kernel = [sys.executable, "-P", "-m", "ipykernel_launcher", "-f", "{connection_file}",
              "--IPKernelApp.exec_lines=import sys as _sys; _sys.path.insert(0, ''); del _sys"]
    return [*launcher, "--", *inner, *kernel]


def prepare_workspace(policy: Policy, root: Path, scratch: Path) -> Path:
    """The workspace's passwd/group for the sandbox; for a root grader, the scratch copy owned by nobody
    and the workspace passable (not listable) by it."""
    etc = root / "etc"
    etc.mkdir(exist_ok=True)
    (etc / "passwd").write_text(f"nobody:x:{NOBODY}:{NOBODY}:learner:/tmp:/usr/sbin/nologin\n")
    (etc / "group").write_text(f"nogroup:x:{NOBODY}:\n")
    if policy.as_root:
        os.chmod(root, 0o711)
        _chown_tree(scratch, NOBODY)
    return etc


class SealedKernelFolders(KernelFolders):
    """A root grader's kernel folders: owned by root, group nogroup, writable by the group until the
    kernel has bound its sockets, then read-only, so the learner's code cannot swap a socket for a link
    to one of the host's (the grader reconnects to whatever the path names)."""

    def __init__(self, ipc: Path, policy: Policy) -> None:
        super().__init__(ipc)
        self.policy = policy

    def make(self, number: int) -> Path:
        folder = super().make(number)
        if self.policy.as_root:
            os.chown(folder, 0, NOBODY)
            os.chmod(folder, 0o770)
        return folder

    def started(self, folder: Path) -> None:
        if self.policy.as_root:
            os.chmod(folder, 0o750)


def _chown_tree(folder: Path, uid: int) -> None:
    for path in [folder, *folder.rglob("*")]:
        os.lchown(path, uid, uid)


# -- a root grader's workers keep their workspaces on a private, size-bounded tmpfs ---------------------

CLONE_NEWNS = 0x00020000
MS_REC, MS_PRIVATE, MNT_DETACH = 0x4000, 1 << 18, 2


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def private_mounts() -> bool:
    """Give this (single-threaded) process its own mount namespace, so the tmpfs it mounts is seen by it
    and its children only and vanishes with it. False where not permitted (not root)."""
    libc = _libc()
    if os.geteuid() != 0 or libc.unshare(CLONE_NEWNS) != 0:
        return False
    return bool(libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None) == 0)


def mount_scratch(folder: Path, size_mb: int) -> bool:
    """A tmpfs of size_mb over folder (in this process's private namespace): a learner's writes, however
    many files, can never fill the disk the class's CSV is written to."""
    options = f"size={size_mb}m,mode=0700".encode()
    return bool(_libc().mount(b"tmpfs", str(folder).encode(), b"tmpfs", 0, options) == 0)


def unmount_scratch(folder: Path) -> None:
    _libc().umount2(str(folder).encode(), MNT_DETACH)
