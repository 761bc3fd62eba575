-- An archived class is read-only and left out of the default lists; its results are kept.
ALTER TABLE classes ADD COLUMN archived_at TEXT;
