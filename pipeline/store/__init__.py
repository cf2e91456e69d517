"""Store: revision folders on disk, written through one atomic commit point, and read back as frames."""
