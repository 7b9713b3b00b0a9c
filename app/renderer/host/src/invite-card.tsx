/** The owner's invite link with a QR code drawn in the page (nothing is fetched to draw it). */
import QRCode from "qrcode";
import { useEffect, useRef, useState } from "react";
import { ApiError, hostApi } from "./host-api.ts";

export function InviteCard() {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    // The server hands back the same live invite each time, so asking on every visit is harmless.
    hostApi.invite().then(
      (invite) => setUrl(invite.url),
      (caught: unknown) => setError(caught instanceof ApiError ? caught.message : String(caught)),
    );
  }, []);

  useEffect(() => {
    // Dark on white whatever the theme: that is what phone cameras read best.
    if (url && canvas.current) void QRCode.toCanvas(canvas.current, url, { width: 176, margin: 2 });
  }, [url]);

  return (
    <section aria-labelledby="invite-title" className="card invite">
      <h2 id="invite-title">Invite people</h2>
      {url ? (
        <div className="invite-body">
          <canvas ref={canvas} role="img" aria-label="QR code of the invite link" />
          <div className="field">
            <label htmlFor="invite-link">Invite link</label>
            <input id="invite-link" readOnly value={url} onFocus={(event) => event.target.select()} />
            <p className="hint">Reachable from this machine only, until the community is opened to the network.</p>
          </div>
        </div>
      ) : (
        <p role={error ? "alert" : "status"}>{error ?? "Making the invite link…"}</p>
      )}
    </section>
  );
}
