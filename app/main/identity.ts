/**
 * The instance's identity: the OS machine id, hashed with an app-specific salt so the raw id
 * never leaves this module (and a hash from another app cannot be matched with ours). Used to
 * notice that a home folder was moved to another machine; never shown or logged.
 */
import { createHmac } from "node:crypto";
import { createRequire } from "node:module";

const APP_SALT = "fluxer-appliance/instance-identity/v1";

type MachineIdModule = { machineIdSync(original?: boolean): string };

export function instanceIdentity(readMachineId: () => string = osMachineId): string {
  return createHmac("sha256", APP_SALT).update(readMachineId()).digest("hex");
}

function osMachineId(): string {
  const { machineIdSync } = createRequire(import.meta.url)("node-machine-id") as MachineIdModule;
  return machineIdSync(true);
}
