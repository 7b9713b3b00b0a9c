-- Per-guild notification settings (PATCH /users/@me/guilds/{id}/settings, READY user_guild_settings).
-- guild_id 0 is the user's DM entry (PATCH /users/@me/guilds/@me/settings), as upstream keeps it,
-- so there is no foreign key on it; like upstream's, a row outlives leaving the guild (a rejoin
-- finds it again).
CREATE TABLE user_guild_settings (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  guild_id INTEGER NOT NULL,
  message_notifications INTEGER NOT NULL,
  muted INTEGER NOT NULL,
  mute_config TEXT,
  mobile_push INTEGER NOT NULL,
  suppress_everyone INTEGER NOT NULL,
  suppress_roles INTEGER NOT NULL,
  hide_muted_channels INTEGER NOT NULL,
  channel_overrides TEXT,
  unread_badges INTEGER,
  version INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (user_id, guild_id)
) WITHOUT ROWID; -- READY: user_id = ?
