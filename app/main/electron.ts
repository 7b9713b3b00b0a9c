/**
 * The Electron shell: a thin wrapper around the same host object `headless.ts` runs. Only the
 * single-instance lock and an orderly quit for now; the tray, the dashboard and chat windows
 * (sandboxed, contextIsolation, no Node, navigation denied) come with the host UI.
 * Type-checked here; no test needs the Electron binary.
 */
import { join } from "node:path";
import { app, dialog } from "electron";
import { BUILT_SERVER, createHost } from "./host.ts";

function main(): void {
  // A second launch (double-click while running) must not start a second supervisor on the same home.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  const host = createHost(
    app.isPackaged
      ? // electron-builder puts the built server and the engine binaries under resources/.
        { serverEntry: { kind: "built", file: join(process.resourcesPath, "server", "main.js") }, resourcesDir: process.resourcesPath }
      : { serverEntry: BUILT_SERVER },
  );

  // The host keeps running without windows (the tray will show it).
  app.on("window-all-closed", () => {});

  let stopped = false;
  app.on("before-quit", (event) => {
    if (stopped) return;
    event.preventDefault();
    void host.stop().finally(() => {
      stopped = true;
      app.quit();
    });
  });

  void app.whenReady().then(async () => {
    try {
      const status = await host.start();
      const server = status.processes.find((unit) => unit.name === "server");
      if (server?.state !== "running") throw new Error(`the chat server did not start; see ${server?.logFile}`);
    } catch (error) {
      dialog.showErrorBox("Fluxer Appliance", (error as Error).message);
      app.quit();
    }
  });
}

main();
