// A raw Valkey exchange on loopback, to check what a client of the engine sees.
import { createConnection } from "node:net";
import { respCommand } from "../../engines/loopback.ts";

/** Sends the commands (AUTH first when a password is given) and resolves with the raw replies. */
export function valkeyExchange(port: number, password: string | undefined, ...commands: string[][]): Promise<string> {
  const all = password ? [["AUTH", password], ...commands] : commands;
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let received = "";
    socket.setTimeout(3000, () => socket.destroy(new Error("valkey exchange timed out")));
    socket.once("error", reject);
    socket.once("connect", () => socket.write(all.map((parts) => respCommand(...parts)).join("")));
    socket.on("data", (chunk) => {
      received += chunk.toString("utf8");
      if (completeReplies(received) >= all.length) {
        socket.destroy();
        resolve(received);
      }
    });
  });
}

/** How many whole RESP replies `text` holds (simple, error, integer, bulk and array replies). */
function completeReplies(text: string): number {
  let position = 0;
  const one = (): boolean => {
    const end = text.indexOf("\r\n", position);
    if (end < 0) return false;
    const type = text[position];
    const header = text.slice(position + 1, end);
    position = end + 2;
    if (type === "$") {
      const length = Number(header);
      if (length < 0) return true;
      if (text.length < position + length + 2) return false;
      position += length + 2;
      return true;
    }
    if (type === "*") {
      for (let i = 0; i < Number(header); i++) if (!one()) return false;
    }
    return true;
  };
  let count = 0;
  while (position < text.length && one()) count++;
  return count;
}
