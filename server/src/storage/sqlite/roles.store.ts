import type { ChannelId, GuildId, RoleId } from "../../ids.ts";
import type { RoleStore } from "../ports.ts";
import type { Role } from "../records.ts";
import type { SqliteDatabase } from "./database.ts";
import { big, bool, flag, intOrNull, type Row, setClause, statementCache, text, textOrNull } from "./mapping.ts";

const ROLE_COLUMNS: Record<string, string> = {
  name: "name",
  color: "color",
  position: "position",
  hoistPosition: "hoist_position",
  permissions: "permissions",
  hoist: "hoist",
  mentionable: "mentionable",
  unicodeEmoji: "unicode_emoji",
};

function toRole(row: Row): Role {
  return {
    id: big(row.id),
    guildId: big(row.guild_id),
    name: text(row.name),
    color: Number(row.color),
    position: Number(row.position),
    hoistPosition: intOrNull(row.hoist_position),
    permissions: BigInt.asUintN(64, big(row.permissions)),
    hoist: bool(row.hoist),
    mentionable: bool(row.mentionable),
    unicodeEmoji: textOrNull(row.unicode_emoji),
  };
}

/** Permission sets use all 64 bits; SQLite integers are signed, so bit 63 is stored as the sign. */
const permissionsColumn = (permissions: bigint): bigint => BigInt.asIntN(64, permissions);

export function prepareRoleInsert(db: SqliteDatabase) {
  const insert =
    db.prepare(`INSERT INTO roles (id, guild_id, name, color, position, hoist_position, permissions, hoist, mentionable, unicode_emoji)
    VALUES (@id, @guildId, @name, @color, @position, @hoistPosition, @permissions, @hoist, @mentionable, @unicodeEmoji)`);
  return (role: Role) =>
    void insert.run({
      ...role,
      permissions: permissionsColumn(role.permissions),
      hoist: flag(role.hoist),
      mentionable: flag(role.mentionable),
    });
}

export function createSqliteRoleStore(db: SqliteDatabase): RoleStore {
  const sql = statementCache(db);
  const insert = prepareRoleInsert(db);
  const list = db.prepare("SELECT * FROM roles WHERE guild_id = ? ORDER BY position, id");
  const byId = db.prepare("SELECT * FROM roles WHERE guild_id = ? AND id = ?");
  const setPosition = db.prepare("UPDATE roles SET position = ? WHERE guild_id = ? AND id = ?");
  const setPositions = db.transaction((guildId: GuildId, positions: readonly { id: bigint; position: number }[]) => {
    for (const { id, position } of positions) setPosition.run(position, guildId, id);
  });
  const createAt = db.transaction((role: Role): Role[] => {
    const above = (
      sql("SELECT * FROM roles WHERE guild_id = ? AND id != ? AND position >= ? ORDER BY position, id").all(
        role.guildId,
        role.guildId,
        role.position,
      ) as Row[]
    ).map(toRole);
    for (const moved of above) setPosition.run(moved.position + 1, role.guildId, moved.id);
    insert(role);
    return above.map((moved) => ({ ...moved, position: moved.position + 1 }));
  });
  // Overwrites name their target without a foreign key, so the role's go explicitly, in the same transaction.
  const remove = db.transaction((guildId: GuildId, roleId: RoleId): ChannelId[] => {
    const channels = sql(`SELECT o.channel_id FROM permission_overwrites o JOIN channels c ON c.id = o.channel_id
      WHERE c.guild_id = ? AND o.target_id = ? AND o.type = 0 ORDER BY o.channel_id`).all(guildId, roleId) as Row[];
    sql(`DELETE FROM permission_overwrites WHERE target_id = ? AND type = 0
      AND channel_id IN (SELECT id FROM channels WHERE guild_id = ?)`).run(roleId, guildId);
    sql("DELETE FROM roles WHERE guild_id = ? AND id = ?").run(guildId, roleId);
    return channels.map((row) => big(row.channel_id));
  });
  const setHoistPosition = db.prepare("UPDATE roles SET hoist_position = ? WHERE guild_id = ? AND id = ?");
  const setHoistPositions = db.transaction((guildId: GuildId, positions: readonly { id: bigint; hoistPosition: number | null }[]) => {
    for (const { id, hoistPosition } of positions) setHoistPosition.run(hoistPosition, guildId, id);
  });
  return {
    list: (guildId) => (list.all(guildId) as Row[]).map(toRole),
    get(guildId, roleId) {
      const row = byId.get(guildId, roleId) as Row | undefined;
      return row ? toRole(row) : null;
    },
    create: (role) => insert(role),
    update(guildId, roleId, patch) {
      const { sql: set, values } = setClause(patch, ROLE_COLUMNS, (key, value) =>
        key === "permissions" ? permissionsColumn(value as bigint) : typeof value === "boolean" ? flag(value) : value,
      );
      if (set) sql(`UPDATE roles SET ${set} WHERE guild_id = @guildId AND id = @roleId`).run({ ...values, guildId, roleId });
      return toRole(byId.get(guildId, roleId) as Row);
    },
    setPositions: (guildId, positions) => setPositions(guildId, positions),
    createAt: (role) => createAt(role),
    delete: (guildId, roleId) => remove(guildId, roleId),
    count: (guildId) => Number((sql("SELECT count(*) AS n FROM roles WHERE guild_id = ?").get(guildId) as Row).n),
    setHoistPositions: (guildId, positions) => setHoistPositions(guildId, positions),
  };
}
