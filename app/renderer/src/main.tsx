import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./ui/app.tsx";
// Fonts ship with the client (no font service is ever asked): Inter for text, and Noto Emoji for
// emoji where the system has no colour emoji font of its own (styles.css tries those first).
import "@fontsource-variable/inter/wght.css";
import "@fontsource/noto-emoji/400.css";
import "./ui/styles.css";

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
