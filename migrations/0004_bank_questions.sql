-- Questions from the tuning bank (content/quiz/tuning.toml) are stored like model questions:
-- kind 'tuning', the seed, and which bank entry. Model questions leave bank_id NULL.
ALTER TABLE questions ADD COLUMN bank_id TEXT;
