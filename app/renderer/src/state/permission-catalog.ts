/** The permissions a settings screen offers, in Discord's order and words. */
import { Permission } from "./permissions.ts";

export interface PermissionEntry {
  flag: bigint;
  label: string;
  /** Shown on roles only: a channel overwrite cannot grant a community-wide power. */
  guildOnly?: boolean;
}

export const permissionCatalog: PermissionEntry[] = [
  { flag: Permission.Administrator, label: "Administrator", guildOnly: true },
  { flag: Permission.ManageGuild, label: "Manage community", guildOnly: true },
  { flag: Permission.ManageRoles, label: "Manage roles" },
  { flag: Permission.ManageChannels, label: "Manage channels" },
  { flag: Permission.KickMembers, label: "Kick members", guildOnly: true },
  { flag: Permission.BanMembers, label: "Ban members", guildOnly: true },
  { flag: Permission.ModerateMembers, label: "Time out members", guildOnly: true },
  { flag: Permission.ViewAuditLog, label: "View audit log", guildOnly: true },
  { flag: Permission.ManageNicknames, label: "Manage nicknames", guildOnly: true },
  { flag: Permission.ChangeNickname, label: "Change nickname", guildOnly: true },
  { flag: Permission.CreateInstantInvite, label: "Create invites" },
  { flag: Permission.ViewChannel, label: "View channels" },
  { flag: Permission.SendMessages, label: "Send messages" },
  { flag: Permission.EmbedLinks, label: "Embed links" },
  { flag: Permission.AttachFiles, label: "Attach files" },
  { flag: Permission.AddReactions, label: "Add reactions" },
  { flag: Permission.MentionEveryone, label: "Mention @everyone" },
  { flag: Permission.ManageMessages, label: "Manage messages" },
  { flag: Permission.PinMessages, label: "Pin messages" },
  { flag: Permission.ReadMessageHistory, label: "Read message history" },
  { flag: Permission.BypassSlowmode, label: "Bypass slowmode" },
];

export type OverwriteChoice = "allow" | "deny" | "inherit";

/** One permission's state in an overwrite. */
export function overwriteChoice(allow: bigint, deny: bigint, flag: bigint): OverwriteChoice {
  if ((allow & flag) === flag) return "allow";
  if ((deny & flag) === flag) return "deny";
  return "inherit";
}

/** The overwrite's bits after one permission is set to `choice`. */
export function setOverwriteChoice(
  bits: { allow: bigint; deny: bigint },
  flag: bigint,
  choice: OverwriteChoice,
): { allow: bigint; deny: bigint } {
  const allow = bits.allow & ~flag;
  const deny = bits.deny & ~flag;
  if (choice === "allow") return { allow: allow | flag, deny };
  if (choice === "deny") return { allow, deny: deny | flag };
  return { allow, deny };
}

/** Roles as a settings list shows them: highest first, @everyone (the guild's id) last. */
export function rolesTopDown<R extends { id: string; position: number }>(roles: Record<string, R>, guildId: string): R[] {
  return Object.values(roles).sort((a, b) =>
    a.id === guildId ? 1 : b.id === guildId ? -1 : b.position - a.position || a.id.localeCompare(b.id),
  );
}

/**
 * The positions after moving one role a step up or down among the others (not @everyone, which
 * stays at 0). Returns the full list the server's PATCH /roles expects, or null at the edge.
 */
export function moveRole<R extends { id: string; position: number }>(
  roles: Record<string, R>,
  guildId: string,
  roleId: string,
  direction: -1 | 1,
): { id: string; position: number }[] | null {
  const ordered = rolesTopDown(roles, guildId).filter((r) => r.id !== guildId);
  const index = ordered.findIndex((r) => r.id === roleId);
  const target = index - direction; // the list is top-down: up means an earlier index
  if (index < 0 || target < 0 || target >= ordered.length) return null;
  const next = [...ordered];
  const [moved] = next.splice(index, 1);
  if (!moved) return null;
  next.splice(target, 0, moved);
  return next.map((role, i) => ({ id: role.id, position: next.length - i }));
}
