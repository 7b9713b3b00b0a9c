/** /login and /register: the form, and a link to the other one (the `next` target kept). */
import type { MouseEvent } from "react";
import { navigate } from "../router.ts";
import { AuthForm, type AuthMode } from "./auth-form.tsx";

export function AuthPage({ mode, next, registrationOpen }: { mode: AuthMode; next: string | null; registrationOpen: boolean }) {
  const other: AuthMode = mode === "login" ? "register" : "login";
  const otherHref = `/${other}${next ? `?next=${encodeURIComponent(next)}` : ""}`;
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    navigate(otherHref);
  };
  return (
    <main className="auth-page">
      <section className="auth-card" aria-labelledby="auth-title">
        <h1 id="auth-title">{mode === "login" ? "Welcome back" : "Create an account"}</h1>
        <AuthForm key={mode} mode={mode} onSignedIn={() => navigate(next ?? "/channels", { replace: true })} />
        {other === "register" && !registrationOpen ? null : (
          <p className="auth-switch">
            {mode === "login" ? "Need an account? " : "Already have an account? "}
            <a href={otherHref} onClick={follow}>
              {mode === "login" ? "Register" : "Log in"}
            </a>
          </p>
        )}
      </section>
    </main>
  );
}
