-- Temporary bans (ban_duration_seconds): when the ban lifts; NULL keeps it permanent.
ALTER TABLE bans ADD COLUMN expires_at INTEGER;
