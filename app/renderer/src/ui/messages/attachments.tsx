/** A message's files: images inline (from this instance's /media), anything else as a download link. */
import type { Attachment } from "../../api/types.ts";

function sameOrigin(url: string): boolean {
  try {
    return new URL(url, location.href).origin === location.origin;
  } catch {
    return false;
  }
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function Attachments({ attachments }: { attachments: Attachment[] }) {
  return (
    <ul className="attachments" aria-label="Attachments">
      {attachments.map((file) => {
        // Only files this instance serves are shown or linked: nothing is fetched from elsewhere.
        const url = file.url && sameOrigin(file.url) ? file.url : null;
        const image = url && file.content_type?.startsWith("image/");
        return (
          <li key={file.id}>
            {image ? (
              <a href={url} target="_blank" rel="noopener noreferrer">
                <img
                  src={url}
                  alt={file.filename}
                  loading="lazy"
                  width={file.width ?? undefined}
                  height={file.height ?? undefined}
                  className="attachment-image"
                />
              </a>
            ) : (
              <span className="attachment-file">
                {url ? (
                  <a href={url} download={file.filename}>
                    {file.filename}
                  </a>
                ) : (
                  <span>{file.filename}</span>
                )}{" "}
                <span className="muted small">{formatSize(file.size)}</span>
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
