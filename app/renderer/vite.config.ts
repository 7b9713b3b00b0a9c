/** The web client's build: one entry per folder (`chat` today; `host` joins with the appliance UI). */
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here("./chat"),
  base: "/",
  plugins: [react()],
  build: {
    outDir: here("./dist/chat"),
    emptyOutDir: true,
    assetsDir: "assets",
    // Everything is bundled: nothing may be fetched from another origin, nothing inlined as script.
    assetsInlineLimit: 0,
    sourcemap: false,
    target: "es2022",
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      "/api": "http://127.0.0.1:8080",
      "/.well-known": "http://127.0.0.1:8080",
      "/gateway": { target: "ws://127.0.0.1:8080", ws: true },
    },
  },
});
