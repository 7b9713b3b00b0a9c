/** /invite/:code: the community's preview, then join, signing in or up on the way if needed. */
import { useEffect, useState } from "react";
import { ApiError } from "../../api/rest.ts";
import type { Invite } from "../../api/types.ts";
import { sessionStore } from "../../state/session.ts";
import { useStore } from "../../state/store.ts";
import { AuthForm, type AuthMode } from "../auth/auth-form.tsx";
import { useRest } from "../context.ts";
import { channelPath, navigate } from "../router.ts";
import { GuildBadge } from "../shell/guild-badge.tsx";

export function InvitePage({ code }: { code: string }) {
  const rest = useRest();
  const session = useStore(sessionStore, (s) => s);
  const [invite, setInvite] = useState<Invite | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [mode, setMode] = useState<AuthMode>("register");
  const [joining, setJoining] = useState(false);

  useEffect(() => {
    rest.request<Invite>("GET", `/invites/${encodeURIComponent(code)}?with_counts=true`).then(setInvite, (caught) => {
      setError(
        caught instanceof ApiError && caught.status === 404 ? "This invite is invalid or has expired." : "The invite could not be loaded.",
      );
    });
  }, [rest, code]);

  async function join() {
    setJoining(true);
    try {
      const accepted = await rest.request<Invite>("POST", `/invites/${encodeURIComponent(code)}`);
      const guildId = accepted.guild?.id ?? invite?.guild?.id;
      if (guildId) navigate(channelPath(guildId, accepted.channel?.id ?? invite?.channel?.id), { replace: true });
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : "Joining failed.");
      setJoining(false);
    }
  }

  const inviter = invite?.inviter ? invite.inviter.global_name || invite.inviter.username : null;
  return (
    <main className="auth-page">
      <section className="auth-card invite-card" aria-labelledby="invite-title">
        {error ? <p role="alert">{error}</p> : null}
        {!invite && !error ? <p>Loading invite…</p> : null}
        {invite?.guild ? (
          <>
            <div className="invite-preview">
              <GuildBadge name={invite.guild.name} size={64} />
              <div>
                <p className="muted">{inviter ? `${inviter} invited you to join` : "You have been invited to join"}</p>
                <h1 id="invite-title">{invite.guild.name}</h1>
                <p className="muted">
                  {invite.member_count ?? 0} {invite.member_count === 1 ? "member" : "members"}
                  {invite.channel?.name ? ` · #${invite.channel.name}` : ""}
                </p>
              </div>
            </div>
            {session ? (
              <button type="button" className="primary" onClick={join} disabled={joining}>
                Accept invite
              </button>
            ) : (
              <>
                <h2 className="invite-auth-title">{mode === "register" ? "Create an account to join" : "Log in to join"}</h2>
                <AuthForm key={mode} mode={mode} onSignedIn={() => void join()} />
                <p className="auth-switch">
                  <button type="button" className="link" onClick={() => setMode(mode === "register" ? "login" : "register")}>
                    {mode === "register" ? "Already have an account? Log in" : "Need an account? Register"}
                  </button>
                </p>
              </>
            )}
          </>
        ) : null}
      </section>
    </main>
  );
}
