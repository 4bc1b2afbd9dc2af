"""The command line in fresh processes forked from one that has already imported the tool.

Each run is isolated as in a new process (its own memory, exit code, output, process group, no input) and its peak
memory is measured (that of the largest of it and its children, by wait4; pages of shared libraries it never touches
are not counted), without paying Python's and the tool's start-up again for every run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class ForkedCommandLine:
    """A prepared process that runs `python -m annual_report ARGS` in a forked child per request."""

    def __init__(self) -> None:
        environment = os.environ | {"PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
        self._server = subprocess.Popen(
            [sys.executable, __file__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=environment,
        )

    def run(self, *args, cwd: Path, timeout: float = 60) -> tuple[subprocess.CompletedProcess, int]:
        """The command's result and its peak memory in MB (children included); fails after `timeout` seconds."""
        request = {"args": [str(a) for a in args], "cwd": str(cwd), "timeout": timeout}
        self._server.stdin.write(json.dumps(request) + "\n")
        self._server.stdin.flush()
        answer = json.loads(self._server.stdout.readline())
        if answer["timed_out"]:
            raise TimeoutError(f"{args} took more than {timeout} s")
        return subprocess.CompletedProcess(args, answer["code"], answer["stdout"], answer["stderr"]), answer["peak"]

    def close(self) -> None:
        self._server.stdin.close()
        self._server.wait(timeout=10)
        self._server.stdout.close()


def _run_child(main, args: list[str], cwd: str, out: int, err: int) -> None:
    """In the forked child: the command line as `python -m annual_report` runs it, then exit with its code."""
    os.setpgid(0, 0)  # its own group, so a timeout stops its workers too
    os.chdir(cwd)
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)  # no input, as under a batch run (the server's requests are not)
    os.dup2(out, 1)
    os.dup2(err, 2)
    code = 0
    try:
        main(args, prog_name="python -m annual_report")
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)


def _serve() -> None:
    """Answer one JSON request per line of stdin with the forked run's code, output and peak memory."""
    from annual_report.cli.main import main
    from annual_report.pipeline import batch, batch_render, single, summary  # noqa: F401  (what the commands import when run)

    for line in sys.stdin:
        request = json.loads(line)
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            sys.stdout.flush()
            pid = os.fork()
            if pid == 0:
                _run_child(main, request["args"], request["cwd"], out.fileno(), err.fileno())
            deadline = time.monotonic() + request["timeout"]
            while (done := os.wait4(pid, os.WNOHANG))[0] == 0 and time.monotonic() < deadline:
                time.sleep(0.01)
            timed_out = done[0] == 0
            if timed_out:
                os.killpg(pid, 9)
                done = os.wait4(pid, 0)
            _, status, usage = done
            out.seek(0)
            err.seek(0)
            answer = {
                "code": os.waitstatus_to_exitcode(status),
                "stdout": out.read().decode("utf-8", "replace"),
                "stderr": err.read().decode("utf-8", "replace"),
                "peak": usage.ru_maxrss // 1024,
                "timed_out": timed_out,
            }
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    _serve()
