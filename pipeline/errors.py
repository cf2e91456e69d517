"""Every error the library raises: one base class, one exit code per class, a message that says what to do."""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Iterator
from pathlib import Path


class JobAidError(Exception):
    """Base class: `str(err)` is one line naming the file, what is wrong and what to do."""

    exit_code = 1
    kind = "error"

    def __init__(self, path: Path | str | None, problem: str, advice: str = "") -> None:
        self.path = str(path) if path is not None else None
        self.problem = problem
        self.advice = advice
        where = f"{self.path}: " if self.path else ""
        tail = f"; {advice}" if advice else ""
        super().__init__(f"{where}{problem}{tail}")

    def __reduce__(self) -> tuple[object, ...]:
        """Survive pickling, so an error raised in the reading child process reaches the parent."""
        return (type(self), (self.path, self.problem, self.advice), self.__dict__)


class NotAPdfError(JobAidError):
    exit_code = 3
    kind = "not-a-pdf"


class DamagedPdfError(JobAidError):
    exit_code = 4
    kind = "damaged-pdf"


class EncryptedPdfError(JobAidError):
    exit_code = 5
    kind = "encrypted-pdf"


class ScannedPdfError(JobAidError):
    exit_code = 6
    kind = "scanned-pdf"


class NotAJobAidError(JobAidError):
    exit_code = 7
    kind = "not-a-job-aid"


class ValidationFailedError(JobAidError):
    exit_code = 8
    kind = "validation-failed"


class LimitExceededError(JobAidError):
    exit_code = 9
    kind = "limit-exceeded"


class StoreError(JobAidError):
    exit_code = 10
    kind = "store-error"


class RevisionNotFoundError(JobAidError):
    exit_code = 11
    kind = "revision-not-found"


def error_classes() -> list[type[JobAidError]]:
    """Every error class the library raises, in exit-code order."""
    return sorted(JobAidError.__subclasses__(), key=lambda cls: cls.exit_code)


EXIT_CODES: dict[str, int] = {cls.kind: cls.exit_code for cls in error_classes()}


#: errno of a failed write → (the cause in a few words, what to do). Anything else: the OS wording, WRITE_ADVICE.
WRITE_FAULTS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("no space left on device", "free space and rerun"),
    errno.EDQUOT: ("disk quota exceeded", "free space or raise the quota"),
    errno.EROFS: ("read-only file system", "choose a writable folder"),
    errno.EACCES: ("permission denied", "make it writable or choose another folder"),
    errno.EPERM: ("operation not permitted", "make it writable or choose another folder"),
    errno.EIO: ("input/output error", "check the disk and rerun"),
    errno.EEXIST: ("is a file, not a folder", "move the file or choose another folder"),
    errno.ENOTDIR: ("a file is in the way of this folder", "move the file or choose another folder"),
    errno.EISDIR: ("a folder is in the way of a file", "move the folder or choose another one"),
}
WRITE_ADVICE = "check free space and permissions"
#: Longest folder name a store error shows in full; a longer one keeps its last parts.
MAX_SHOWN_PATH = 100


def store_error(exc: OSError, where: Path | str) -> StoreError:
    """An OSError met while writing under `where` → the store error: the folder, a short cause, what to do."""
    known = WRITE_FAULTS.get(exc.errno or 0)
    if known is None:
        known = (f"cannot be written ({(exc.strerror or type(exc).__name__).lower()})", WRITE_ADVICE)
    return StoreError(_shown(Path(where)), *known)


@contextlib.contextmanager
def writes_to(where: Path | str) -> Iterator[None]:
    """Writes inside the block that fail with an OSError → a StoreError naming `where` (the innermost wins)."""
    try:
        yield
    except OSError as exc:
        raise store_error(exc, where) from exc


def _shown(path: Path) -> str:
    """A path → itself, or its last parts after "…/" when it is longer than MAX_SHOWN_PATH."""
    text = str(path)
    if len(text) <= MAX_SHOWN_PATH:
        return text
    parts: list[str] = []
    for part in reversed(path.parts):
        if len(part) + sum(len(p) + 1 for p in parts) > MAX_SHOWN_PATH - 2:
            break
        parts.insert(0, part)
    return "…/" + "/".join(parts) if parts else "…" + text[-(MAX_SHOWN_PATH - 1):]
