"""Every error the library raises: one base class, one exit code per class, a message that says what to do."""

from __future__ import annotations

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
