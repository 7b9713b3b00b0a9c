import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./ui/app.tsx";
// Fonts ship with the client (no font service is ever asked): Inter for text, Noto Color Emoji.
import "@fontsource-variable/inter/wght.css";
import "@fontsource/noto-color-emoji/400.css";
import "./ui/styles.css";

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
