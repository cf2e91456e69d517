"""Data contracts (pandera models) and document profiles."""
