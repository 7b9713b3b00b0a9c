/** Channels as a sidebar lists them: uncategorised first, then each category with its children. */
import { type Channel, ChannelType } from "../../api/types.ts";
import { compareIds } from "../../state/chat-state.ts";

const byPosition = (a: Channel, b: Channel) => (a.position ?? 0) - (b.position ?? 0) || compareIds(a.id, b.id);

export interface ChannelGroup {
  category: Channel | null;
  channels: Channel[];
}

export function groupChannels(channels: Record<string, Channel>, visible: (channel: Channel) => boolean): ChannelGroup[] {
  const all = Object.values(channels);
  const categories = all.filter((c) => c.type === ChannelType.GuildCategory).sort(byPosition);
  const children = all.filter((c) => c.type !== ChannelType.GuildCategory && visible(c)).sort(byPosition);
  const categoryIds = new Set(categories.map((c) => c.id));
  const groups: ChannelGroup[] = [{ category: null, channels: children.filter((c) => !c.parent_id || !categoryIds.has(c.parent_id)) }];
  for (const category of categories) groups.push({ category, channels: children.filter((c) => c.parent_id === category.id) });
  return groups.filter((g) => g.category || g.channels.length > 0);
}

export function sortedChannels(channels: Record<string, Channel>): Channel[] {
  return groupChannels(channels, () => true).flatMap((g) => g.channels);
}
