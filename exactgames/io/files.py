r"""Files in and out: bounded reading of regular files, and the one atomic writer for every output.

Reading (:func:`read_limited`) refuses what is not a regular file (a FIFO would
hang, ``/dev/zero`` would be read until memory runs out) and reads at most a
bounded number of bytes.

Writing (:func:`atomic_output`, :func:`atomic_write`, :func:`atomic_path`)
goes to a temporary file in the destination's folder, which is flushed and
``fsync``-ed and then renamed over the destination with ``os.replace``; the
folder is ``fsync``-ed too.  A failed or interrupted write leaves an existing
file untouched.  On Linux the temporary file is unnamed (``O_TMPFILE``) until
the moment of the rename, so even a ``SIGKILL`` leaves no stray file behind.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> atomic_write(d / "x.txt", "hello\n")
>>> (d / "x.txt").read_text()
'hello\n'
>>> with atomic_output(d / "y.bin", binary=True) as fh:
...     _ = fh.write(b"\x00\x01")
>>> (d / "y.bin").read_bytes(), sorted(p.name for p in d.iterdir())
(b'\x00\x01', ['x.txt', 'y.bin'])
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path
from typing import IO, Any, Iterator

from exactgames.model.exact import ExactError

__all__ = ["atomic_write", "atomic_output", "atomic_path", "read_limited", "OutputFileError", "InputFileError",
           "MAX_INPUT_BYTES"]

MAX_INPUT_BYTES = 64 * 2**20
"""Largest file :func:`read_limited` reads by default (64 MiB); the readers pass their own, smaller limits."""


class OutputFileError(ExactError):
    """An output file could not be written; nothing was written (an existing file is unchanged)."""


class InputFileError(ExactError):
    """An input file cannot be read: missing, not a regular file, too large."""


def read_limited(path: str | Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; anything else is an :class:`InputFileError`.

    Examples
    --------
    >>> read_limited("/dev/zero")
    Traceback (most recent call last):
    ...
    exactgames.io.files.InputFileError: /dev/zero: not a regular file (a character device); expected a game file
    """
    p = str(path)
    try:
        st = os.stat(p)
    except OSError as exc:
        raise InputFileError(f"{p}: cannot read ({exc.strerror or exc})") from None
    if not stat.S_ISREG(st.st_mode):
        kind = ("a directory" if stat.S_ISDIR(st.st_mode) else "a FIFO" if stat.S_ISFIFO(st.st_mode)
                else "a character device" if stat.S_ISCHR(st.st_mode) else "a block device" if stat.S_ISBLK(st.st_mode)
                else "a socket" if stat.S_ISSOCK(st.st_mode) else "a special file")
        raise InputFileError(f"{p}: not a regular file ({kind}); expected a game file")
    if st.st_size > limit:
        raise InputFileError(f"{p}: {st.st_size} bytes, more than the limit of {limit} bytes for a game file")
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced between stat and open
                raise InputFileError(f"{p}: not a regular file; expected a game file")
            with os.fdopen(fd, "rb", closefd=False) as fh:
                data = fh.read(limit + 1)
        finally:
            os.close(fd)
    except OSError as exc:
        raise InputFileError(f"{p}: cannot read ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise InputFileError(f"{p}: more than the limit of {limit} bytes for a game file")
    return data


def _new_file_mode(path: Path) -> int:
    """Permissions for the written file: those of the file it replaces, else 0o666 minus the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(str(folder), os.O_RDONLY)
    except OSError:  # pragma: no cover - not every system can open a folder
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _fail(path: Path, exc: OSError) -> OutputFileError:
    return OutputFileError(f"{path}: cannot write ({exc.strerror or exc}); nothing was written"
                           + (" (the existing file is unchanged)" if path.exists() else ""))


def _link_fd(fd: int, dst: str) -> None:
    """Give the unnamed file ``fd`` the name ``dst`` (``linkat`` with ``AT_SYMLINK_FOLLOW`` on /proc/self/fd)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    at_fdcwd, at_symlink_follow = -100, 0x400
    if libc.linkat(at_fdcwd, f"/proc/self/fd/{fd}".encode(), at_fdcwd, os.fsencode(dst), at_symlink_follow) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err), dst)


def _name_unnamed(fd: int, folder: Path, name: str) -> str:
    """A name in ``folder`` for the unnamed file ``fd``; copies it into a named temporary file if linking fails."""
    for k in range(100):
        cand = str(folder / f".{name}.{os.getpid()}.{k}.tmp")
        try:
            _link_fd(fd, cand)
            return cand
        except FileExistsError:
            continue
        except OSError:
            break
    tfd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=str(folder))
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        while chunk := os.read(fd, 1 << 20):
            os.write(tfd, chunk)
        os.fsync(tfd)
        os.fchmod(tfd, os.fstat(fd).st_mode & 0o7777)
    except BaseException:
        os.close(tfd)
        os.unlink(tmp)
        raise
    os.close(tfd)
    return tmp


def _open_unnamed(folder: Path) -> int | None:
    """An unnamed temporary file in ``folder`` (Linux ``O_TMPFILE``), or None where unsupported."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag:
        return None
    try:
        return os.open(str(folder), flag | os.O_RDWR, 0o600)
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT if folder.is_dir() else -1):
            return None
        raise


@contextlib.contextmanager
def atomic_output(path: str | Path, binary: bool = False) -> Iterator[IO[Any]]:
    """A file object whose contents replace ``path`` atomically when the ``with`` block ends without error.

    Parameters
    ----------
    path : str or Path
        The destination; its folder must exist.
    binary : bool
        Yield a binary file object (for PNG pictures) instead of UTF-8 text.

    Raises
    ------
    OutputFileError
        The folder is missing or not writable, or a write failed (disk full,
        file-size limit); the message names the file and nothing is written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> try:
    ...     with atomic_output(d / "z.txt") as fh:
    ...         _ = fh.write("half")
    ...         raise RuntimeError("killed")
    ... except RuntimeError:
    ...     pass
    >>> list(d.iterdir())
    []
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    mode = _new_file_mode(path)
    tmp: str | None = None
    try:
        fd = _open_unnamed(folder)
        if fd is None:
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=str(folder))
    except OSError as exc:
        raise _fail(path, exc) from None
    try:
        kind = "wb" if binary else "w"
        with os.fdopen(fd, kind, **({} if binary else {"encoding": "utf-8", "newline": "\n"})) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
            os.fchmod(fh.fileno(), mode)
            if tmp is None:  # give the unnamed file a name only now, then rename it over the destination
                tmp = _name_unnamed(fh.fileno(), folder, path.name)
        os.replace(tmp, path)
        tmp = None
        _fsync_dir(folder)
    except OSError as exc:
        raise _fail(path, exc) from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path in the destination's folder for writers that need a file name; renamed over ``path`` on success.

    For writers that cannot take a file object.  The temporary name keeps the
    destination's suffix (so a writer choosing the format by suffix still
    works); it is removed when the block fails.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_path(d / "p.dot") as tmp:
    ...     _ = tmp.write_text("graph {}")
    >>> sorted(p.name for p in d.iterdir())
    ['p.dot']
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    mode = _new_file_mode(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f".tmp{path.suffix}", dir=str(folder))
        os.close(fd)
    except OSError as exc:
        raise _fail(path, exc) from None
    done = False
    try:
        yield Path(tmp)
        try:
            fd = os.open(tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            os.chmod(tmp, mode)
            os.replace(tmp, path)
            done = True
            _fsync_dir(folder)
        except OSError as exc:
            raise _fail(path, exc) from None
    finally:
        if not done:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def atomic_write(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8, or bytes) to ``path`` atomically (see :func:`atomic_output`).

    Examples
    --------
    >>> atomic_write("/nonexistent-folder/x.txt", "x")
    Traceback (most recent call last):
    ...
    exactgames.io.files.OutputFileError: /nonexistent-folder/x.txt: cannot write (No such file or directory); nothing was written
    """
    with atomic_output(path, binary=isinstance(data, bytes)) as fh:
        fh.write(data)
