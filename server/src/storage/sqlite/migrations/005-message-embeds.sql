-- Rich embeds sent by bots and clients, stored as the JSON array the API validated.
ALTER TABLE messages ADD COLUMN embeds TEXT NOT NULL DEFAULT '[]';
