"""Read: one PDF → validated activities, glossary and revision metadata (open, locate, assemble, validate)."""
