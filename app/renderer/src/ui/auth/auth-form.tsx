/** Email + password sign-in or sign-up against Fluxer's /auth routes; errors shown by field. */
import { type FormEvent, useId, useState } from "react";
import { ApiError } from "../../api/rest.ts";
import type { AuthResponse } from "../../api/types.ts";
import { signIn } from "../../state/session.ts";
import { useRest } from "../context.ts";

export type AuthMode = "login" | "register";

export function AuthForm({ mode, onSignedIn }: { mode: AuthMode; onSignedIn?: () => void }) {
  const rest = useRest();
  const id = useId();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setFields({});
    try {
      const body: Record<string, unknown> =
        mode === "login" ? { email, password } : { email, password, consent: true, ...(name.trim() ? { global_name: name.trim() } : {}) };
      const auth = await rest.request<AuthResponse>("POST", mode === "login" ? "/auth/login" : "/auth/register", body);
      signIn({ token: auth.token, user: auth.user ?? null });
      onSignedIn?.();
    } catch (caught) {
      if (caught instanceof ApiError) {
        setFields(caught.fields);
        // Field errors are shown under their field; only errors without a field go on top.
        const shownByField = Object.keys(caught.fields).some((key) => ["email", "password", "global_name"].includes(key));
        setError(shownByField ? null : caught.message);
      } else setError("Something went wrong. Try again.");
      setBusy(false);
    }
  }

  const field = (key: string, label: string, input: JSX.Element) => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      {input}
      {fields[key] ? (
        <p className="field-error" id={`${id}-${key}-error`}>
          {fields[key]}
        </p>
      ) : null}
    </div>
  );
  const describedBy = (key: string) => (fields[key] ? `${id}-${key}-error` : undefined);

  return (
    <form className="auth-form" onSubmit={submit} noValidate>
      {field(
        "email",
        "Email",
        <input
          id={`${id}-email`}
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          aria-invalid={Boolean(fields.email)}
          aria-describedby={describedBy("email")}
        />,
      )}
      {mode === "register"
        ? field(
            "global_name",
            "Display name",
            <input id={`${id}-global_name`} autoComplete="nickname" value={name} onChange={(e) => setName(e.target.value)} />,
          )
        : null}
      {field(
        "password",
        "Password",
        <input
          id={`${id}-password`}
          type="password"
          autoComplete={mode === "login" ? "current-password" : "new-password"}
          required
          minLength={8}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-invalid={Boolean(fields.password)}
          aria-describedby={describedBy("password")}
        />,
      )}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={busy}>
        {mode === "login" ? "Log in" : "Create account"}
      </button>
    </form>
  );
}
