/** The control API's routes: the host page, the host's state, the claim, the owner's invite, process restart/stop, settings. */
import type { FastifyInstance } from "fastify";
import type { ControlBackend } from "./control-backend.ts";
import { type ControlSessions, sessionCookie } from "./control-sessions.ts";
import { hostPageRoutes, PAGE_SECURITY_HEADERS } from "./host-page.routes.ts";

const unknownProcess = (name: string) => ({ code: "UNKNOWN_PROCESS", message: `no process named ${name}` });

export function controlRoutes(app: FastifyInstance, backend: ControlBackend, sessions: ControlSessions): void {
  hostPageRoutes(app);

  // The one-time link: a spent or wrong token gets nothing, and the token leaves the address bar.
  app.get<{ Querystring: { token?: string } }>("/setup", async (request, reply) => {
    const id = typeof request.query.token === "string" ? sessions.exchange(request.query.token) : undefined;
    reply.headers(PAGE_SECURITY_HEADERS).header("cache-control", "no-store");
    if (!id)
      return reply
        .code(403)
        .type("text/plain; charset=utf-8")
        .send("This setup link is not valid (it works once). Restart the host for a new one.\n");
    return reply.header("set-cookie", sessionCookie(id)).redirect("/", 303);
  });

  app.get("/api/state", async () => backend.state());

  app.post("/api/claim", async (request, reply) => {
    const answer = await backend.claim(request.body ?? {});
    return reply.code(answer.status).send(answer.body);
  });

  app.post("/api/invite", async (_request, reply) => {
    const answer = await backend.invite();
    return reply.code(answer.status).send(answer.body);
  });

  for (const action of ["restart", "stop"] as const) {
    app.post<{ Params: { name: string } }>(`/api/processes/:name/${action}`, async (request, reply) => {
      const status = await backend[action](request.params.name);
      return status ? status : reply.code(404).send(unknownProcess(request.params.name));
    });
  }

  app.get("/api/settings", async () => backend.settings());

  app.patch("/api/settings", async (request, reply) => {
    const change = await backend.patchSettings(request.body ?? {});
    if (!change.ok)
      return reply
        .code(400)
        .send({ code: "INVALID_SETTINGS", message: "the change was refused; nothing was applied", errors: change.problems });
    return { settings: change.settings, applies_at: change.appliesAt };
  });
}
