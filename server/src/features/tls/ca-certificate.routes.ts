/**
 * The local CA's certificate for members to download and trust (`services.server.tls.
 * ca_certificate_path`): PEM at `/_tls/ca.pem`, DER at `/_tls/ca.der` (the form Windows, macOS and
 * Android offer to install). Also on the plain-HTTP port, since a member fetches it before trusting.
 */
import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { FastifyInstance } from "fastify";
import type { Config } from "../../config.ts";
import { route } from "../../http/route.ts";

export const CA_PEM_PATH = "/_tls/ca.pem";
export const CA_DER_PATH = "/_tls/ca.der";

export interface CaDownload {
  body: Buffer;
  contentType: string;
  filename: string;
}

/** The CA certificate in the form `path` names, or undefined when none is configured or the file is missing. */
export async function readCaDownload(config: Config, path: string): Promise<CaDownload | undefined> {
  const file = config.services.server.tls?.ca_certificate_path;
  if (!file || (path !== CA_PEM_PATH && path !== CA_DER_PATH)) return undefined;
  // Read per request: the host may create or replace the CA while the server runs.
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (!text) return undefined;
  const certificate = new X509Certificate(text);
  return path === CA_DER_PATH
    ? { body: certificate.raw, contentType: "application/x-x509-ca-cert", filename: "fluxer-local-ca.der" }
    : { body: Buffer.from(`${certificate.toString().trim()}\n`), contentType: "application/x-pem-file", filename: "fluxer-local-ca.pem" };
}

export function caCertificateRoutes(app: FastifyInstance, config: Config) {
  for (const url of [CA_PEM_PATH, CA_DER_PATH]) {
    route(app, {
      method: "GET",
      url,
      auth: "none",
      handler: async ({ reply }) => {
        const download = await readCaDownload(config, url);
        if (!download)
          return reply.code(404).send({ code: "UNKNOWN_CA_CERTIFICATE", message: "This instance has no local CA certificate." });
        return reply
          .type(download.contentType)
          .header("content-disposition", `attachment; filename="${download.filename}"`)
          .send(download.body);
      },
    });
  }
}
