/**
 * Where an engine's binary comes from: the bundled `resources/bin/<platform>-<arch>/` first (what
 * the installer ships), then PATH (plus sbin, which a non-root PATH often lacks on Debian).
 */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

export function bundledBinDir(resourcesDir: string, platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  return join(resourcesDir, "bin", `${platform}-${arch}`);
}

export function findEngineBinary(
  names: readonly string[],
  options: { bundledDir: string; pathEnv?: string | undefined },
): string | undefined {
  const pathEnv = options.pathEnv ?? process.env.PATH ?? "";
  // Debian keeps some servers in sbin; an explicit (test) PATH is taken as it is.
  const pathDirs = [
    ...pathEnv.split(delimiter).filter(Boolean),
    ...(options.pathEnv === undefined ? ["/usr/sbin", "/usr/local/sbin"] : []),
  ];
  const suffix = process.platform === "win32" ? ".exe" : "";
  for (const name of names) {
    for (const dir of [options.bundledDir, ...pathDirs]) {
      const candidate = join(dir, name + suffix);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
