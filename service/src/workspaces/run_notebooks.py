"""Runs notebooks headless, in order, for nuri (see runner.rs).

Usage: python -c <this script> NOTEBOOK...   (cwd = the workspace root)

Each notebook runs in a fresh kernel whose working directory is the workspace root, so a
later notebook reads what an earlier one wrote. Outputs are saved back into each .ipynb. The
first failure stops the list, after saving the partly executed notebook.

Progress goes out as one JSON object per line on the protocol stream (the original stdout):
  {"event": "kernel", "pid": P}                  for runner.rs only: P leads its own group
  {"event": "start", "path": P, "cells_total": N} N = code cells
  {"event": "cell", "path": P, "cells_done": K}
  {"event": "done", "path": P}
  {"event": "failed", "path": P, "cell": K or null, "error": "ename: evalue"}
"""

import json
import os
import stat
import sys
import tempfile


def open_protocol():
    """Keeps the original stdout for events only, and points fd 1 at stderr.

    Kernels inherit fds 1 and 2; anything they (or libraries here) print at the fd level
    would otherwise interleave with the events. The duplicate is not inheritable (PEP 446),
    so the protocol stream closes exactly when this process ends.
    """
    sys.stdout.flush()
    proto = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    return proto


PROTO = open_protocol()

# A kernelspec in the user's own Jupyter dir must not win over this environment's.
os.environ["JUPYTER_PREFER_ENV_PATH"] = "1"

import nbformat  # noqa: E402
from nbclient import NotebookClient  # noqa: E402
from nbclient.exceptions import CellExecutionError  # noqa: E402


def emit(**event):
    PROTO.write(json.dumps(event, ensure_ascii=False) + "\n")
    PROTO.flush()


# Enough to recognise an error; the notebook itself keeps the whole traceback.
ERROR_CHARS = 1000


def describe(error):
    if isinstance(error, CellExecutionError):
        text = f"{error.ename}: {error.evalue}"
    else:
        lines = str(error).strip().splitlines()
        text = f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__
    return text if len(text) <= ERROR_CHARS else text[: ERROR_CHARS - 1] + "…"


def save(nb, path):
    """Replaces the notebook atomically, so a crash never leaves half a file."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, temp = tempfile.mkstemp(prefix=".nuri-", suffix=".ipynb.tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            nbformat.write(nb, out)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp makes the file private; keep the notebook's own permissions.
        os.chmod(temp, stat.S_IMODE(os.stat(path).st_mode))
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise


def announce_kernel(client):
    pid = getattr(getattr(client.km, "provisioner", None), "pid", None)
    if pid:
        emit(event="kernel", pid=pid)


def run(path, root):
    """Executes one notebook and saves it; returns True when all of it went well."""
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as error:  # noqa: BLE001 -- any unreadable file is a failed step
        missing = isinstance(error, FileNotFoundError)
        emit(event="failed", path=path, cell=None,
             error=f"notebook not found: {path}" if missing else describe(error))
        return False
    code = [(i, cell) for i, cell in enumerate(nb.cells) if cell.cell_type == "code"]
    emit(event="start", path=path, cells_total=len(code))
    cell, error = execute(nb, code, path, root)
    try:
        # Saved even after a failure: the outputs up to the error show what went wrong.
        save(nb, path)
    except Exception as save_error:  # noqa: BLE001
        if error is None:
            cell, error = None, save_error
    if error is not None:
        emit(event="failed", path=path, cell=cell, error=describe(error))
        return False
    emit(event="done", path=path)
    return True


def execute(nb, code, path, root):
    """Runs the code cells in a fresh kernel, in place; returns the failing code cell
    (1-based, None if the kernel never started) and the error, or (None, None)."""
    client = NotebookClient(
        nb, kernel_name="python3", resources={"metadata": {"path": root}}, timeout=None
    )
    client.reset_execution_trackers()
    started, done = False, 0
    try:
        client.create_kernel_manager()
        client.start_new_kernel()
        # Announced before the kernel is ready, as the time limit may strike during its start.
        announce_kernel(client)
        with client.setup_kernel():
            started = True
            for index, cell in code:
                client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
                done += 1
                emit(event="cell", path=path, cells_done=done)
    except Exception as error:  # noqa: BLE001 -- kernel death, bad cell, anything
        return (done + 1 if started and done < len(code) else None), error
    return None, None


def main(paths):
    root = os.getcwd()
    for path in paths:
        if not run(path, root):
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
