/** The host UI's build (`host` entry): the page the loopback control API serves at its `/`. */
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here("./host"),
  base: "/",
  plugins: [react()],
  build: {
    outDir: here("./dist/host"),
    emptyOutDir: true,
    assetsDir: "assets",
    // The control API's CSP allows only same-origin files: nothing inlined as script.
    assetsInlineLimit: 0,
    sourcemap: false,
    target: "es2022",
  },
});
