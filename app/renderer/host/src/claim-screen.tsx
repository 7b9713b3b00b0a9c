/** The first screen: the owner's account (the instance administrator) and the community's name. */
import { type FormEvent, useState } from "react";
import { ApiError, type FieldProblem, hostApi } from "./host-api.ts";

interface Props {
  onClaimed: () => Promise<void>;
}

const FIELDS = [
  { name: "email", label: "Owner email", type: "email", autoComplete: "email" },
  { name: "password", label: "Password", type: "password", autoComplete: "new-password" },
  { name: "global_name", label: "Display name", type: "text", autoComplete: "nickname" },
  { name: "community_name", label: "Community name", type: "text", autoComplete: "off" },
] as const;

type FieldName = (typeof FIELDS)[number]["name"];

export function ClaimScreen({ onClaimed }: Props) {
  const [values, setValues] = useState<Record<FieldName, string>>({ email: "", password: "", global_name: "", community_name: "" });
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    setProblems([]);
    try {
      await hostApi.claim({ ...values, community_name: values.community_name.trim() });
      await onClaimed();
    } catch (caught) {
      const error = caught instanceof ApiError ? caught : new ApiError(0, "ERROR", String(caught));
      setProblems(error.fields);
      setMessage(error.fields.length ? "Some fields need another look." : error.message);
    } finally {
      setBusy(false);
    }
  }

  const problemOf = (name: FieldName) => problems.find((problem) => problem.path === name)?.message;

  return (
    <main className="page narrow">
      <h1>Set up your community</h1>
      <p>Claim this instance: the account you create here becomes its owner and administrator. Nobody can register before that.</p>
      <form className="card form" onSubmit={submit} aria-label="Claim this instance" noValidate>
        {FIELDS.map((field) => {
          const problem = problemOf(field.name);
          const id = `claim-${field.name}`;
          return (
            <div className="field" key={field.name}>
              <label htmlFor={id}>{field.label}</label>
              <input
                id={id}
                name={field.name}
                type={field.type}
                autoComplete={field.autoComplete}
                required
                value={values[field.name]}
                aria-invalid={problem ? true : undefined}
                aria-describedby={problem ? `${id}-error` : undefined}
                onChange={(event) => setValues({ ...values, [field.name]: event.target.value })}
              />
              {problem && (
                <p className="field-error" id={`${id}-error`}>
                  {problem}
                </p>
              )}
            </div>
          );
        })}
        {message && (
          <p className="form-error" role="alert">
            {message}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Claiming…" : "Claim and create the community"}
        </button>
      </form>
    </main>
  );
}
