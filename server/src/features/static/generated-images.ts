/**
 * Our own default avatars and instance icons, drawn as SVG here and rasterised with sharp on first
 * request (then kept in memory). Fluxer clients ask the static CDN for `avatars/{n}.png` with
 * n = user id mod 6 and for the favicon set under `web/`.
 */
import sharp from "sharp";

/** Background of default avatar n; the Fluxer client tints profile accents with the same colours. */
const AVATAR_COLOURS = ["#4641d9", "#f0b100", "#00bba7", "#2b7fff", "#ad46ff", "#6a7282"] as const;
export const DEFAULT_AVATAR_COUNT = AVATAR_COLOURS.length;
const AVATAR_SIZE = 512;

/** A friendly face-less figure (head and shoulders) on the avatar's colour; n shifts the pose a little. */
export function defaultAvatarSvg(index: number): string {
  const colour = AVATAR_COLOURS[index % DEFAULT_AVATAR_COUNT];
  const tilt = (index - (DEFAULT_AVATAR_COUNT - 1) / 2) * 3;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${AVATAR_SIZE}" height="${AVATAR_SIZE}" viewBox="0 0 512 512">
  <rect width="512" height="512" fill="${colour}"/>
  <circle cx="420" cy="92" r="150" fill="#ffffff" fill-opacity="0.08"/>
  <g transform="rotate(${tilt} 256 300)" fill="#ffffff" fill-opacity="0.92">
    <circle cx="256" cy="206" r="86"/>
    <path d="M96 440c0-88 72-146 160-146s160 58 160 146v200H96z"/>
  </g>
</svg>`;
}

/** The appliance's mark: a speech bubble with three dots on a rounded square of the brand colour. */
export function instanceIconSvg(size: number, { rounded = true } = {}): string {
  const radius = rounded ? 112 : 0;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 512 512">
  <rect width="512" height="512" rx="${radius}" fill="#4641d9"/>
  <path d="M136 128h240a48 48 0 0 1 48 48v128a48 48 0 0 1-48 48H248l-88 64v-64h-24a48 48 0 0 1-48-48V176a48 48 0 0 1 48-48z" fill="#ffffff"/>
  <g fill="#4641d9"><circle cx="184" cy="240" r="26"/><circle cx="256" cy="240" r="26"/><circle cx="328" cy="240" r="26"/></g>
</svg>`;
}

export async function renderPng(svg: string, size: number): Promise<Buffer> {
  return sharp(Buffer.from(svg), { density: 72 }).resize(size, size).png({ compressionLevel: 9 }).toBuffer();
}

/** A `.ico` holding PNG images (every browser since 2010 reads PNG entries). */
export function icoFromPngs(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, png }) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0); // 0 means 256
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map((image) => image.png)]);
}
