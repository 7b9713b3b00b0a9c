/** Finds the API and gateway through `/.well-known/fluxer` on the origin that served the client. */
import type { WellKnown } from "./types.ts";

export async function discover(): Promise<WellKnown> {
  const response = await fetch("/.well-known/fluxer", { headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`discovery failed: ${response.status}`);
  const document = (await response.json()) as WellKnown;
  // A same-origin client: endpoints are used only when they point back here.
  const sameOrigin = (url: string) => new URL(url, location.href).host === location.host;
  const api = sameOrigin(document.endpoints.api) ? document.endpoints.api : `${location.origin}/api`;
  const wsOrigin = location.origin.replace(/^http/, "ws");
  const gateway = sameOrigin(document.endpoints.gateway) ? document.endpoints.gateway : `${wsOrigin}/gateway`;
  return { ...document, endpoints: { ...document.endpoints, api, gateway } };
}
