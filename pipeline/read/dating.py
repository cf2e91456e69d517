"""The texts printed in a document (title block and page furniture, then the rest), its revision history and its
PDF creation date → the revision's label, ISO date and where the date came from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pipeline.profile import Profile
from pipeline.read.history import History
from pipeline.read.revision import PrintedDate, choose_date, find_dates, find_revision_id


@dataclass(frozen=True)
class RevisionDate:
    """The revision's label as printed, its date (ISO) and the date's source (printed… or pdf-metadata)."""

    label: str | None
    iso: str | None
    source: str | None


def read_dates(text: str, profile: Profile) -> list[PrintedDate]:
    """A line of text → its dates, read with the profile's revision, not-revision, creation and version words."""
    return find_dates(text, profile.revision_prefixes, profile.not_revision_words, profile.created_words,
                      profile.version_words)


def revision_date(furniture: list[str], history: History | None, rest: list[str], profile: Profile,
                  created: date | None) -> RevisionDate:
    """Texts of the title block and page furniture, the revision history, every other text of the document (the
    history's left out of both) and the PDF's creation date → the revision's date and label. Looked for in order:
    the title block and page furniture; the revision history (the row of the revision the furniture prints, else
    the latest); the rest of the document; a creation date printed anywhere ("Created: 12 January 2020"), when it
    is the only date; the PDF's creation date."""
    printed = [d for text in furniture for d in read_dates(text, profile)]
    found = choose_date(printed)
    printed_id = next(filter(None, (find_revision_id(t, profile.revision_id_words) for t in furniture)), None)
    if found is None and history is not None:
        row = history.named(printed_id) if printed_id is not None else None
        label = printed_id if row is not None else None
        row = row or history.latest()
        return RevisionDate(label or row.label, row.date.value.isoformat(), row.date.source)
    if found is None:  # the rest of a long document is read only when it must be
        everywhere = [d for text in rest for d in read_dates(text, profile)]
        found = choose_date(everywhere) or next((d for d in printed + everywhere if d.created), None)
    if found is not None:
        return RevisionDate(found.label, found.value.isoformat(), found.source)
    if created is not None:
        return RevisionDate(printed_id, created.isoformat(), "pdf-metadata")
    return RevisionDate(printed_id, None, None)

