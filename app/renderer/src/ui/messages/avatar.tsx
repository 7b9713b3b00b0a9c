import type { User } from "../../api/types.ts";
import { hue, initials } from "../shell/guild-badge.tsx";

/** Initials on a colour derived from the user id (uploaded avatars come with the media issue). */
export function Avatar({ user, size = 40 }: { user: User; size?: number }) {
  const name = user.global_name || user.username;
  return (
    <span
      className="avatar"
      aria-hidden="true"
      style={{ width: size, height: size, fontSize: size * 0.4, backgroundColor: `hsl(${hue(user.id)} 40% 45%)` }}
    >
      {initials(name).slice(0, 1)}
    </span>
  );
}
