"""Job-aid PDFs to validated tables, revision diffs and BI tables."""

import os

__version__ = "0.1.0"

#: Arrow's default allocator (mimalloc) keeps what it freed for later use, so a BI build's peak memory grew with
#: the number of parts it computed; the system allocator gives it back. Set before pyarrow loads, in this process
#: and the readers it starts; a pool the user chose is kept.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
