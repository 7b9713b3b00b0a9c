/** What `/` shows until the host UI ships as the `host` entry of the web client build. */
export const PAGE_SECURITY_HEADERS = {
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "cache-control": "no-store",
};

export function placeholderPage(signedIn: boolean): string {
  const body = signedIn
    ? "<p>You are signed in to this host. The host page (claim, dashboard) comes with the web client build; until then the control API under <code>/api/</code> answers.</p>"
    : "<p>Open the one-time setup link printed on the host's console to sign in.</p>";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fluxer Appliance host</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;line-height:1.5}</style></head>
<body><h1>Fluxer Appliance</h1>${body}</body></html>\n`;
}
