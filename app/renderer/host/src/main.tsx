import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { HostApp } from "./host-app.tsx";
import "./host.css";

const root = document.getElementById("root");
if (root)
  createRoot(root).render(
    <StrictMode>
      <HostApp />
    </StrictMode>,
  );
