/**
 * The server serving TLS itself (`services.server.tls`): the certificate and key read from the
 * owner's files, rereadable without a restart, and the plain-HTTP port that sends browsers to HTTPS
 * while still answering ACME HTTP-01 challenges from the folder the host fills.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Server as HttpsServer } from "node:https";
import { join, resolve } from "node:path";
import { createSecureContext } from "node:tls";
import type { FastifyInstance } from "fastify";
import type { Config } from "../config.ts";
import { readCaDownload } from "../features/tls/ca-certificate.routes.ts";
import { publicOrigin } from "../public-urls.ts";
import { StartupError } from "../startup-checks.ts";

export type TlsConfig = NonNullable<Config["services"]["server"]["tls"]>;

export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

/** Reads and checks the pair; a missing file or a key of another certificate is one clear line. */
export function readTlsFiles(tls: TlsConfig): TlsFiles {
  const read = (setting: string, path: string) => {
    try {
      return readFileSync(path);
    } catch (error) {
      const code = String((error as { code?: unknown }).code ?? error);
      throw new StartupError(`services.server.tls.${setting} ${resolve(path)} cannot be read (${code})`);
    }
  };
  const files = { cert: read("cert_path", tls.cert_path), key: read("key_path", tls.key_path) };
  try {
    createSecureContext(files);
  } catch (error) {
    throw new StartupError(
      `services.server.tls: ${resolve(tls.cert_path)} and ${resolve(tls.key_path)} are not a usable certificate and key (${(error as Error).message})`,
    );
  }
  return files;
}

/** Rereads the files and swaps them in: new handshakes use them, open connections keep theirs. */
export function reloadTlsCertificate(app: FastifyInstance, tls: TlsConfig): void {
  (app.server as unknown as HttpsServer).setSecureContext(readTlsFiles(tls));
}

const challengePrefix = "/.well-known/acme-challenge/";
// ACME tokens are base64url (RFC 8555 section 8.3): nothing else may name a file.
const tokenPattern = /^[A-Za-z0-9_-]{1,256}$/;

/** The plain-HTTP server: 308 to the public HTTPS origin, except the ACME challenge path. */
export function createRedirectServer(config: Config): Server {
  const challengeDir = config.services.server.tls?.acme_challenge_dir;
  return createServer((request, response) => {
    void answerPlainHttp(config, challengeDir, request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
}

async function answerPlainHttp(config: Config, challengeDir: string | undefined, request: IncomingMessage, response: ServerResponse) {
  const path = (request.url ?? "/").split("?")[0] ?? "/";
  if (path.startsWith(challengePrefix)) {
    const token = path.slice(challengePrefix.length);
    const body = challengeDir && tokenPattern.test(token) ? await readChallenge(challengeDir, token) : undefined;
    if (body === undefined || (request.method !== "GET" && request.method !== "HEAD")) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    response.writeHead(200, { "content-type": "text/plain", "content-length": body.length });
    response.end(request.method === "HEAD" ? undefined : body);
    return;
  }
  const download = await readCaDownload(config, path);
  if (download && (request.method === "GET" || request.method === "HEAD")) {
    response.writeHead(200, {
      "content-type": download.contentType,
      "content-length": download.body.length,
      "content-disposition": `attachment; filename="${download.filename}"`,
    });
    response.end(request.method === "HEAD" ? undefined : download.body);
    return;
  }
  // The configured origin, never the request's Host header: a forged Host cannot steer the redirect.
  const location = `${publicOrigin(config).replace(/^http:/, "https:")}${request.url?.startsWith("/") ? request.url : "/"}`;
  response.writeHead(308, { location, "content-type": "text/plain" }).end(`moved to ${location}`);
}

async function readChallenge(dir: string, token: string): Promise<Buffer | undefined> {
  return readFile(join(dir, token)).catch(() => undefined);
}

declare module "fastify" {
  interface FastifyInstance {
    /** The plain-HTTP redirect server when `services.server.tls.http_redirect_port` is set. */
    plainHttp: Server | undefined;
  }
}

/** Opens the redirect port with the app (before its own listen) and closes it with the app. */
export function attachRedirectServer(app: FastifyInstance, config: Config): void {
  const tls = config.services.server.tls;
  if (!tls || tls.http_redirect_port === undefined) {
    app.decorate("plainHttp", undefined);
    return;
  }
  const server = createRedirectServer(config);
  app.decorate("plainHttp", server);
  const redirectPort = tls.http_redirect_port;
  app.addHook("onReady", async () => {
    await new Promise<void>((done, fail) => {
      server.once("error", (error: NodeJS.ErrnoException) =>
        fail(
          new StartupError(
            `services.server.tls.http_redirect_port ${config.services.server.host}:${redirectPort} cannot be opened (${error.code ?? error.message})`,
          ),
        ),
      );
      server.listen({ host: config.services.server.host, port: redirectPort }, () => {
        server.removeAllListeners("error");
        done();
      });
    });
  });
  app.addHook("onClose", async () => {
    if (!server.listening) return;
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  });
}
