-- The mentions inbox (GET /users/@me/mentions): one row per thing a message mentions. `target_id`
-- is a user (kind 0), a role (kind 1) or, for @everyone/@here, the guild (kind 2). Written with the
-- message, rewritten when an edit changes its mentions, gone with it.
CREATE TABLE message_mentions (
  kind INTEGER NOT NULL,
  target_id INTEGER NOT NULL,
  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  channel_id INTEGER NOT NULL,
  guild_id INTEGER,
  author_id INTEGER NOT NULL,
  PRIMARY KEY (kind, target_id, message_id)
) WITHOUT ROWID; -- the inbox: kind = ? AND target_id IN (...) AND message_id < ? ORDER BY message_id DESC

CREATE INDEX message_mentions_by_message ON message_mentions (message_id); -- rewriting on edit, cascade on delete

-- Mentions a user took out of their inbox (DELETE /users/@me/mentions/{id}, POST .../mentions/read).
CREATE TABLE mention_dismissals (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, message_id)
) WITHOUT ROWID;

CREATE INDEX mention_dismissals_by_message ON mention_dismissals (message_id); -- cascade on delete

-- Messages sent before this index existed.
INSERT OR IGNORE INTO message_mentions (kind, target_id, message_id, channel_id, guild_id, author_id)
  SELECT 0, CAST(j.value AS INTEGER), m.id, m.channel_id, c.guild_id, m.author_id
  FROM messages m JOIN channels c ON c.id = m.channel_id, json_each(m.mention_user_ids) j;
INSERT OR IGNORE INTO message_mentions (kind, target_id, message_id, channel_id, guild_id, author_id)
  SELECT 1, CAST(j.value AS INTEGER), m.id, m.channel_id, c.guild_id, m.author_id
  FROM messages m JOIN channels c ON c.id = m.channel_id, json_each(m.mention_role_ids) j WHERE c.guild_id IS NOT NULL;
INSERT OR IGNORE INTO message_mentions (kind, target_id, message_id, channel_id, guild_id, author_id)
  SELECT 2, c.guild_id, m.id, m.channel_id, c.guild_id, m.author_id
  FROM messages m JOIN channels c ON c.id = m.channel_id WHERE m.mention_everyone = 1 AND c.guild_id IS NOT NULL;
