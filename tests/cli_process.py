"""Runs `jobbtorg` as a process of its own, forked from one that has imported it already.

Every command a test runs is still a separate process with its own environment, working
folder, standard input, output, error and exit code, as an operator's would be. Only
starting Python and importing the program (about two seconds of CPU each time, most of
the CLI tests' cost) happens once per test process: a helper process imports `bot.root`
and forks a child per command. Where fork is missing it falls back to a fresh interpreter.
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRESH = [sys.executable, "-m", "bot"]  # the same command from a new interpreter

# The helper: reads one JSON request a line, forks, and in the child runs the command
# with the request's environment, folder and files; answers the child's exit code.
HELPER = r'''
import json, os, sys, time
from bot.root import cli

for line in sys.stdin:
    request = json.loads(line)
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.chdir(request["cwd"])
            os.environ.clear()
            os.environ.update(request["env"])
            for fd, path, mode in ((0, request["stdin"], os.O_RDONLY),
                                   (1, request["out"], os.O_WRONLY), (2, request["err"], os.O_WRONLY)):
                os.dup2(os.open(path, mode), fd)
            sys.stdin = open(0, closefd=False)
            try:
                cli(args=request["args"], prog_name="jobbtorg")
                code = 0
            except SystemExit as exit:
                code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
                if not isinstance(exit.code, (int, type(None))):
                    print(exit.code, file=sys.stderr)
            except BaseException:
                import traceback
                traceback.print_exc()
                code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    deadline = time.monotonic() + request["timeout"]
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            done, status = os.waitpid(pid, 0)
            break
        time.sleep(0.005)
    print(json.dumps({"code": os.waitstatus_to_exitcode(status)}), flush=True)
'''

_helper: subprocess.Popen[str] | None = None
_lock = threading.Lock()


def _started() -> subprocess.Popen[str]:
    global _helper
    if _helper is None or _helper.poll() is not None:
        environment = {k: v for k, v in os.environ.items() if not k.startswith("JOBBTORG_")}
        # Its own error output is no terminal, as a captured process's is not: the
        # program's consoles, made as it imports, then print no colours.
        _helper = subprocess.Popen([sys.executable, "-c", HELPER], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                   cwd=ROOT, env=environment)
    return _helper


@atexit.register
def _stop() -> None:
    """The helper ends when its input does; waited for, so its CPU time is counted."""
    if _helper is not None and _helper.stdin is not None:
        _helper.stdin.close()
        _helper.wait(timeout=30)


def run_jobbtorg(args: list[str], environment: dict[str, str], stdin: str = "",
                 cwd: Path = ROOT, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`jobbtorg ARGS` in a process of its own; stdout and stderr as text."""
    if not hasattr(os, "fork"):
        return subprocess.run([*FRESH, *args], input=stdin, capture_output=True, text=True,
                              env=environment, timeout=timeout, cwd=cwd)
    with tempfile.TemporaryDirectory() as folder, _lock:
        files = {name: Path(folder) / name for name in ("stdin", "out", "err")}
        files["stdin"].write_text(stdin)
        files["out"].touch()
        files["err"].touch()
        helper = _started()
        assert helper.stdin is not None and helper.stdout is not None
        helper.stdin.write(json.dumps({
            "args": args, "env": environment, "cwd": str(cwd), "timeout": timeout,
            **{name: str(path) for name, path in files.items()}}) + "\n")
        helper.stdin.flush()
        answer = helper.stdout.readline()
        if not answer:
            raise RuntimeError("the jobbtorg helper process died")
        code = int(json.loads(answer)["code"])
        return subprocess.CompletedProcess([*FRESH, *args], code, files["out"].read_text(),
                                           files["err"].read_text())
