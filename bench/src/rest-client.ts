/**
 * A small keep-alive HTTP/1.1 JSON client for the driver. It refuses anything but loopback so a
 * benchmark can never send its traffic elsewhere by mistake.
 */
import http from "node:http";

export interface RestResponse {
  status: number;
  body: unknown;
}

const LOOPBACK = new Set(["127.0.0.1", "[::1]", "localhost"]);

export function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (!LOOPBACK.has(host)) throw new Error(`bench: refusing to send traffic to ${host}: loopback only`);
}

export class RestClient {
  private readonly agent: http.Agent;
  private readonly url: URL;

  constructor(
    baseUrl: string,
    maxSockets = 16,
    private readonly timeoutMs = 15_000,
  ) {
    assertLoopback(baseUrl);
    this.url = new URL(baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`);
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  /** A request whose JSON answer is parsed (setup calls). */
  async json(method: string, path: string, options: { authorization?: string; body?: unknown } = {}): Promise<RestResponse> {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const { status, text } = await this.send(method, path, options.authorization, payload, true);
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text for the error message
    }
    return { status, body };
  }

  /** A request whose answer is only counted (load): resolves with the status; the body is read only on errors. */
  async fire(method: string, path: string, authorization: string, payload: string): Promise<{ status: number; text: string }> {
    return this.send(method, path, authorization, payload, false);
  }

  close(): void {
    this.agent.destroy();
  }

  private send(method: string, path: string, authorization: string | undefined, payload: string | undefined, keepBody: boolean) {
    return new Promise<{ status: number; text: string }>((resolve, reject) => {
      const headers: Record<string, string | number> = { accept: "application/json" };
      if (authorization) headers.authorization = authorization;
      if (payload !== undefined) {
        headers["content-type"] = "application/json";
        headers["content-length"] = Buffer.byteLength(payload);
      }
      const target = new URL(path.replace(/^\//, ""), this.url);
      const request = http.request(target, { method, headers, agent: this.agent, timeout: this.timeoutMs }, (response) => {
        const status = response.statusCode ?? 0;
        if (!keepBody && status >= 200 && status < 300) {
          response.resume();
          response.on("end", () => resolve({ status, text: "" }));
          response.on("error", reject);
          return;
        }
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status, text: Buffer.concat(chunks).toString("utf8") }));
        response.on("error", reject);
      });
      request.on("timeout", () => request.destroy(new Error(`timed out after ${this.timeoutMs} ms`)));
      request.on("error", reject);
      request.end(payload);
    });
  }
}
