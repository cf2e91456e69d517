"""Compare: two revisions → changes (diff), change reports (Markdown, HTML) and the diffs kept in the store."""
