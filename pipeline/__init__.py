"""Job-aid PDFs to validated tables, revision diffs and BI tables."""

__version__ = "0.1.0"
