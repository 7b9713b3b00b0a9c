/** The names a server certificate is for: DNS names and IP addresses, checked before anything is issued. */
import { isIP } from "node:net";

export interface ServerNames {
  dnsNames: string[];
  ipAddresses: string[];
}

export class InvalidNameError extends Error {}

// A DNS name of letters, digits and hyphens per label (RFC 1123), optionally a leading "*." wildcard.
const label = "(?!-)[a-z0-9-]{1,63}(?<!-)";
const dnsNamePattern = new RegExp(`^(\\*\\.)?(${label}\\.)*${label}$`);

/** Lower-cased, de-duplicated, each one valid; throws InvalidNameError naming the first bad one. */
export function normaliseServerNames(names: ServerNames): ServerNames {
  const dnsNames = [...new Set(names.dnsNames.map((name) => name.trim().toLowerCase().replace(/\.$/, "")))];
  for (const name of dnsNames) {
    if (name.length > 253 || !dnsNamePattern.test(name) || isIP(name)) throw new InvalidNameError(`"${name}" is not a valid DNS name`);
  }
  const ipAddresses = [...new Set(names.ipAddresses.map((address) => address.trim()))];
  for (const address of ipAddresses) {
    if (!isIP(address)) throw new InvalidNameError(`"${address}" is not an IP address`);
  }
  if (dnsNames.length + ipAddresses.length === 0) throw new InvalidNameError("a certificate needs at least one name or address");
  return { dnsNames, ipAddresses };
}
