-- Core schema: users, auth, guilds, channels, roles, members, messages and their satellites.
-- Every list query has an index that matches it (see the comment beside each index).

CREATE TABLE instance_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL,
  discriminator TEXT NOT NULL,
  global_name TEXT,
  email TEXT COLLATE NOCASE UNIQUE,
  password_hash TEXT,
  avatar TEXT,
  banner TEXT,
  bio TEXT,
  pronouns TEXT,
  accent_color INTEGER,
  flags INTEGER NOT NULL DEFAULT 0,
  bot INTEGER NOT NULL DEFAULT 0,
  system INTEGER NOT NULL DEFAULT 0,
  acls TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL,
  password_changed_at INTEGER,
  UNIQUE (username, discriminator)
);

CREATE TABLE auth_sessions (
  id_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL,
  client_os TEXT,
  client_browser TEXT,
  client_platform TEXT,
  ip TEXT
) WITHOUT ROWID;
CREATE INDEX auth_sessions_by_user ON auth_sessions (user_id); -- GET /auth/sessions

CREATE TABLE applications (
  id INTEGER PRIMARY KEY,
  owner_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  description TEXT,
  icon TEXT,
  bot_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  bot_token_hash TEXT,
  bot_public INTEGER NOT NULL DEFAULT 1,
  bot_require_code_grant INTEGER NOT NULL DEFAULT 0,
  client_secret_hash TEXT,
  redirect_uris TEXT NOT NULL DEFAULT '[]',
  flags INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE INDEX applications_by_owner ON applications (owner_id); -- GET /users/@me/applications
CREATE UNIQUE INDEX applications_by_bot ON applications (bot_user_id) WHERE bot_user_id IS NOT NULL; -- bot token auth

CREATE TABLE guilds (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  icon TEXT,
  banner TEXT,
  splash TEXT,
  owner_id INTEGER NOT NULL REFERENCES users(id),
  system_channel_id INTEGER,
  system_channel_flags INTEGER NOT NULL DEFAULT 0,
  rules_channel_id INTEGER,
  afk_channel_id INTEGER,
  afk_timeout INTEGER NOT NULL DEFAULT 300,
  verification_level INTEGER NOT NULL DEFAULT 0,
  mfa_level INTEGER NOT NULL DEFAULT 0,
  nsfw_level INTEGER NOT NULL DEFAULT 0,
  explicit_content_filter INTEGER NOT NULL DEFAULT 0,
  default_message_notifications INTEGER NOT NULL DEFAULT 0,
  disabled_operations INTEGER NOT NULL DEFAULT 0,
  vanity_url_code TEXT UNIQUE,
  features TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL
);

CREATE TABLE roles (
  id INTEGER PRIMARY KEY,
  guild_id INTEGER NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  color INTEGER NOT NULL DEFAULT 0,
  position INTEGER NOT NULL DEFAULT 0,
  hoist_position INTEGER,
  permissions INTEGER NOT NULL DEFAULT 0,
  hoist INTEGER NOT NULL DEFAULT 0,
  mentionable INTEGER NOT NULL DEFAULT 0,
  unicode_emoji TEXT
);
CREATE INDEX roles_by_guild ON roles (guild_id, position); -- GET /guilds/{id}/roles

CREATE TABLE channels (
  id INTEGER PRIMARY KEY,
  guild_id INTEGER REFERENCES guilds(id) ON DELETE CASCADE,
  type INTEGER NOT NULL,
  name TEXT,
  topic TEXT,
  url TEXT,
  icon TEXT,
  owner_id INTEGER,
  position INTEGER NOT NULL DEFAULT 0,
  parent_id INTEGER,
  bitrate INTEGER,
  user_limit INTEGER,
  rtc_region TEXT,
  nsfw INTEGER NOT NULL DEFAULT 0,
  rate_limit_per_user INTEGER NOT NULL DEFAULT 0,
  last_message_id INTEGER,
  last_pin_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX channels_by_guild ON channels (guild_id, position) WHERE guild_id IS NOT NULL; -- GET /guilds/{id}/channels

CREATE TABLE permission_overwrites (
  channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  target_id INTEGER NOT NULL,
  type INTEGER NOT NULL, -- 0 role, 1 member
  allow INTEGER NOT NULL DEFAULT 0,
  deny INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (channel_id, target_id)
) WITHOUT ROWID;

CREATE TABLE channel_recipients (
  channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (channel_id, user_id)
) WITHOUT ROWID;
CREATE INDEX channel_recipients_by_user ON channel_recipients (user_id, channel_id); -- GET /users/@me/channels

CREATE TABLE members (
  guild_id INTEGER NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  nick TEXT,
  avatar TEXT,
  joined_at INTEGER NOT NULL,
  communication_disabled_until INTEGER,
  mute INTEGER NOT NULL DEFAULT 0,
  deaf INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (guild_id, user_id)
) WITHOUT ROWID;
CREATE INDEX members_by_user ON members (user_id, guild_id); -- GET /users/@me/guilds

CREATE TABLE member_roles (
  guild_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  role_id INTEGER NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
  PRIMARY KEY (guild_id, user_id, role_id),
  FOREIGN KEY (guild_id, user_id) REFERENCES members(guild_id, user_id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX member_roles_by_role ON member_roles (role_id);

CREATE TABLE bans (
  guild_id INTEGER NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL,
  reason TEXT,
  moderator_id INTEGER,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (guild_id, user_id)
) WITHOUT ROWID;

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  guild_id INTEGER NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
  user_id INTEGER,
  action_type INTEGER NOT NULL,
  target_id INTEGER,
  reason TEXT,
  changes TEXT,
  options TEXT
);
CREATE INDEX audit_log_by_guild ON audit_log (guild_id, id); -- GET /guilds/{id}/audit-logs

CREATE TABLE invites (
  code TEXT PRIMARY KEY,
  guild_id INTEGER REFERENCES guilds(id) ON DELETE CASCADE,
  channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  inviter_id INTEGER,
  max_age INTEGER NOT NULL DEFAULT 86400,
  max_uses INTEGER NOT NULL DEFAULT 0,
  uses INTEGER NOT NULL DEFAULT 0,
  temporary INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  expires_at INTEGER
) WITHOUT ROWID;
CREATE INDEX invites_by_channel ON invites (channel_id); -- GET /channels/{id}/invites
CREATE INDEX invites_by_guild ON invites (guild_id); -- GET /guilds/{id}/invites

CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  author_id INTEGER NOT NULL,
  type INTEGER NOT NULL DEFAULT 0,
  content TEXT NOT NULL DEFAULT '',
  flags INTEGER NOT NULL DEFAULT 0,
  tts INTEGER NOT NULL DEFAULT 0,
  mention_everyone INTEGER NOT NULL DEFAULT 0,
  mention_user_ids TEXT NOT NULL DEFAULT '[]',
  mention_role_ids TEXT NOT NULL DEFAULT '[]',
  nonce TEXT,
  edited_at INTEGER,
  pinned_at INTEGER,
  reference_channel_id INTEGER,
  reference_message_id INTEGER,
  reference_guild_id INTEGER,
  reference_type INTEGER
);
CREATE INDEX messages_by_channel ON messages (channel_id, id); -- history pages: before/after/around
CREATE INDEX messages_pinned ON messages (channel_id, pinned_at) WHERE pinned_at IS NOT NULL; -- GET .../messages/pins
CREATE INDEX messages_by_author ON messages (author_id, channel_id, id);

CREATE TABLE attachments (
  id INTEGER PRIMARY KEY,
  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  filename TEXT NOT NULL,
  title TEXT,
  description TEXT,
  content_type TEXT,
  size INTEGER NOT NULL,
  width INTEGER,
  height INTEGER,
  storage_key TEXT NOT NULL,
  flags INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX attachments_by_message ON attachments (message_id);

CREATE TABLE reactions (
  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  emoji_key TEXT NOT NULL, -- unicode text, or the custom emoji's id
  user_id INTEGER NOT NULL,
  emoji_id INTEGER,
  emoji_name TEXT NOT NULL,
  animated INTEGER NOT NULL DEFAULT 0,
  created_seq INTEGER NOT NULL, -- snowflake of the reaction: orders first reactions per emoji
  PRIMARY KEY (message_id, emoji_key, user_id)
) WITHOUT ROWID;

CREATE TABLE read_states (
  user_id INTEGER NOT NULL,
  channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  last_message_id INTEGER,
  last_pin_at INTEGER,
  mention_count INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, channel_id)
) WITHOUT ROWID;
