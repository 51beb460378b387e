"""The first process of every sandboxed kernel: join the notebook's cgroups, set its rlimits, exec bwrap.

It runs before any learner code exists, as `python -I -S launch.py [--join FILE]... [--limit NAME=N]...
[--give FILE:UID]... -- COMMAND...` (N may be +N:UID: N more than user UID has now). Standard library
only, no site-packages: it starts in milliseconds and imports nothing a learner could have touched.
It replaces itself with COMMAND, so the kernel manager's pid is bwrap's.
Everything COMMAND starts inherits both; a limit is set soft and hard, so nothing inside can lift it.
If any step fails it exits with a message and learner code never runs.
"""

from __future__ import annotations

import os
import resource
import sys

LIMITS = {"AS": resource.RLIMIT_AS, "FSIZE": resource.RLIMIT_FSIZE, "NPROC": resource.RLIMIT_NPROC,
          "CORE": resource.RLIMIT_CORE, "NOFILE": resource.RLIMIT_NOFILE}


def tasks_of(uid: int) -> int:
    """How many tasks (processes and threads, what RLIMIT_NPROC counts) the user uid has now."""
    count = 0
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/status") as handle:
                fields = dict(line.split(":", 1) for line in handle if ":" in line)
            if int(fields["Uid"].split()[0]) == uid:
                count += int(fields["Threads"])
        except (OSError, ValueError, KeyError):
            continue
    return count


def value_of(text: str) -> int:
    """N, or +N:UID: N more than the tasks uid UID has now."""
    if text.startswith("+"):
        more, _, uid = text[1:].partition(":")
        return tasks_of(int(uid)) + int(more)
    return int(text)


def parse(argv: list[str]) -> tuple[list[str], list[tuple[str, int]], list[tuple[str, int]], list[str]]:
    """(cgroup.procs files to join, (limit, value) pairs, (file, uid) to hand over, the command)."""
    joins: list[str] = []
    limits: list[tuple[str, int]] = []
    gives: list[tuple[str, int]] = []
    args = list(argv)
    while args and args[0] != "--":
        option = args.pop(0)
        if not args:
            raise ValueError(f"{option} needs a value")
        value = args.pop(0)
        if option == "--join":
            joins.append(value)
        elif option == "--give":
            path, _, uid = value.rpartition(":")
            gives.append((path, int(uid)))
        elif option == "--limit":
            name, _, number = value.partition("=")
            if name not in LIMITS:
                raise ValueError(f"unknown limit {name!r} (one of {', '.join(LIMITS)})")
            limits.append((name, value_of(number)))
        else:
            raise ValueError(f"unknown option {option!r}")
    if len(args) < 2:
        raise ValueError("no command after --")
    return joins, limits, gives, args[1:]


def main(argv: list[str]) -> int:
    try:
        joins, limits, gives, command = parse(argv)
        for path, uid in gives:   # the kernel's connection file, readable by the sandbox's user alone
            os.chown(path, uid, uid)
        for procs in joins:   # first: every later process, bwrap included, is counted
            with open(procs, "w") as handle:
                handle.write(str(os.getpid()))
        for name, value in limits:
            _, hard = resource.getrlimit(LIMITS[name])
            if hard != resource.RLIM_INFINITY and value > hard and os.geteuid() != 0:
                value = hard   # an ordinary user cannot raise a hard limit: keep the lower one
            resource.setrlimit(LIMITS[name], (value, value))
        os.execvp(command[0], command)
    except (OSError, ValueError) as exc:
        print(f"grader sandbox launcher: {exc}", file=sys.stderr)
    return 70   # EX_SOFTWARE: the kernel never started


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
