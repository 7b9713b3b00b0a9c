/**
 * The font stylesheet Fluxer clients load from the static CDN (`fonts/ibm-plex.css`), written by us
 * over the IBM Plex woff2 files the @fontsource packages ship (SIL Open Font License 1.1; each
 * package's LICENSE is served beside its files). The client's CSS asks for 'Fluxer Sans' and
 * 'Fluxer Mono'; the IBM Plex names are declared too for themes that name the face directly.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** A font package whose `files/` folder is served at `/static/fonts/<id>/`. */
export interface FontPackage {
  id: string;
  dir: string;
}

interface FaceSource {
  pkg: FontPackage;
  families: string[];
  /** The package's file for one subset, style and (for static fonts) weight. */
  file(subset: string, style: "normal" | "italic", weight?: number): string;
  weights: (number | "100 700")[];
}

const require = createRequire(import.meta.url);

function fontPackage(name: string, id: string): FontPackage {
  return { id, dir: dirname(require.resolve(`${name}/package.json`)) };
}

export const FONT_PACKAGES = {
  sans: fontPackage("@fontsource-variable/ibm-plex-sans", "ibm-plex-sans"),
  mono: fontPackage("@fontsource/ibm-plex-mono", "ibm-plex-mono"),
};

const SOURCES: FaceSource[] = [
  {
    pkg: FONT_PACKAGES.sans,
    families: ["Fluxer Sans", "IBM Plex Sans"],
    // One variable file per subset and style covers every weight from 100 to 700.
    file: (subset, style) => `ibm-plex-sans-${subset}-wght-${style}.woff2`,
    weights: ["100 700"],
  },
  {
    pkg: FONT_PACKAGES.mono,
    families: ["Fluxer Mono", "IBM Plex Mono"],
    file: (subset, style, weight) => `ibm-plex-mono-${subset}-${weight}-${style}.woff2`,
    weights: [300, 400, 500, 600, 700],
  },
];

function unicodeRanges(pkg: FontPackage): Record<string, string> {
  return JSON.parse(readFileSync(join(pkg.dir, "unicode.json"), "utf8"));
}

/** The stylesheet, with file URLs relative to the stylesheet itself (so any static CDN base works). */
export function buildFontStylesheet(): string {
  const rules = ["/* IBM Plex, SIL Open Font License 1.1: see ibm-plex-sans/LICENSE and ibm-plex-mono/LICENSE beside this file. */"];
  for (const source of SOURCES) {
    const ranges = unicodeRanges(source.pkg);
    for (const family of source.families) {
      for (const [subset, range] of Object.entries(ranges)) {
        for (const style of ["normal", "italic"] as const) {
          for (const weight of source.weights) {
            const file = source.file(subset, style, typeof weight === "number" ? weight : undefined);
            rules.push(
              [
                "@font-face {",
                `  font-family: '${family}';`,
                `  font-style: ${style};`,
                `  font-weight: ${weight};`,
                "  font-display: swap;",
                `  src: url('./${source.pkg.id}/${file}') format('woff2');`,
                `  unicode-range: ${range};`,
                "}",
              ].join("\n"),
            );
          }
        }
      }
    }
  }
  return `${rules.join("\n")}\n`;
}
