/**
 * The loopback-only control API for the host UI: 127.0.0.1 on a free port, every request gated by
 * `control-guard.ts`. Headless hosts print the one-time setup link; the Electron shell will reach
 * the same backend through its preload bridge instead.
 */
import Fastify from "fastify";
import { controlRoutes } from "./control.routes.ts";
import type { ControlBackend } from "./control-backend.ts";
import { checkRequest, refuse } from "./control-guard.ts";
import { createControlSessions } from "./control-sessions.ts";

export interface ControlServer {
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  port: number;
  /** The one-time setup link, until it has been used. */
  setupUrl(): string | undefined;
  close(): Promise<void>;
}

export async function startControlServer(backend: ControlBackend, options: { port?: number } = {}): Promise<ControlServer> {
  const app = Fastify({ logger: false, trustProxy: false, bodyLimit: 64 * 1024 });
  const sessions = createControlSessions();
  let origin = "";

  app.addHook("onRequest", async (request, reply) => {
    const refusal = checkRequest(request, origin, sessions);
    if (refusal) return refuse(reply, refusal);
  });
  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    return reply.code(status).send({ code: status === 500 ? "INTERNAL_ERROR" : "BAD_REQUEST", message: error.message });
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ code: "NOT_FOUND", message: "not found" }));
  controlRoutes(app, backend, sessions);

  await app.listen({ host: "127.0.0.1", port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    port,
    setupUrl() {
      const token = sessions.setupToken();
      return token ? `${origin}/setup?token=${token}` : undefined;
    },
    close: () => app.close(),
  };
}
