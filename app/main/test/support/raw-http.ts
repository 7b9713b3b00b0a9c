// Plain HTTP/1.1 requests with every header under the test's control (fetch will not forge Host).
import { request } from "node:http";

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

export function rawRequest(
  origin: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: unknown } = {},
): Promise<RawAnswer> {
  const url = new URL(origin);
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: "127.0.0.1",
        port: url.port,
        method,
        path,
        headers: { host: url.host, ...(payload ? { "content-type": "application/json" } : {}), ...options.headers },
        timeout: 30_000,
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => {
          text += chunk;
        });
        response.on("end", () => {
          let body: unknown = text;
          if (String(response.headers["content-type"] ?? "").includes("json")) body = JSON.parse(text);
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
        });
      },
    );
    outgoing.on("error", reject);
    outgoing.on("timeout", () => outgoing.destroy(new Error(`${method} ${path}: no answer`)));
    outgoing.end(payload);
  });
}
