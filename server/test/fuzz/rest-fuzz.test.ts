/**
 * REST fuzz: every write route we serve gets malformed JSON and multipart bodies as the guild
 * owner, as a plain member and with no token, with real ids in its path. Nothing may answer 5xx,
 * and every answer must still match the pinned spec. Bounded and replayable: a fixed seed and a
 * fixed number of bodies per route; each route gets a fresh guild so one route's success (a
 * deleted guild, a logged-out owner) cannot hide another's failures.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { registerUser, startTestServer, type TestServer, type TestUser } from "../support/harness.ts";
import { matchOperation } from "../support/openapi.ts";
import {
  createRandom,
  junkMultipart,
  junkObject,
  junkValue,
  nearValidBody,
  RAW_JSON_TEXTS,
  type Random,
  requestFields,
} from "./fuzz-bodies.ts";

// FLUXER_FUZZ_SEED and FLUXER_FUZZ_SCALE explore further by hand; the suite runs the defaults.
const SEED = Number(process.env.FLUXER_FUZZ_SEED ?? 0x5eedf1);
const SCALE = Number(process.env.FLUXER_FUZZ_SCALE ?? 1);
const JSON_BODIES_PER_ACTOR = 32 * SCALE;
const RAW_BODIES_PER_ACTOR = 3 * SCALE;
const MULTIPART_BODIES_PER_ACTOR = 3 * SCALE;
const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

interface World {
  owner: TestUser;
  member: TestUser;
  ids: Record<string, string>;
}

async function must(server: TestServer, user: TestUser, method: string, path: string, body?: unknown) {
  const response = await server.request(method, path, { token: user.token, body });
  assert.ok(response.status < 300, `${method} ${path} → ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** An owner and a member in a fresh guild with a channel, a message, a role, an invite and an application. */
async function createWorld(server: TestServer, n: number): Promise<World> {
  const owner = await registerUser(server, `fuzzowner${n}`);
  const member = await registerUser(server, `fuzzmember${n}`);
  const guild = await must(server, owner, "POST", "/guilds", { name: `Fuzz ${n}` });
  const channels = await must(server, owner, "GET", `/guilds/${guild.id}/channels`);
  const channel = channels.find((one: { type: number }) => one.type === 0);
  const joinInvite = await must(server, owner, "POST", `/channels/${channel.id}/invites`, {});
  await must(server, member, "POST", `/invites/${joinInvite.code}`);
  const invite = await must(server, owner, "POST", `/channels/${channel.id}/invites`, {});
  const message = await must(server, owner, "POST", `/channels/${channel.id}/messages`, { content: "fuzz me" });
  const role = await must(server, owner, "POST", `/guilds/${guild.id}/roles`, { name: "fuzzed" });
  const application = await must(server, owner, "POST", "/oauth2/applications", { name: `fuzzapp${n}` });
  const ids = {
    guild_id: guild.id,
    channel_id: channel.id,
    message_id: message.id,
    role_id: role.id,
    overwrite_id: role.id,
    user_id: member.id,
    target_id: member.id,
    invite_code: invite.code,
    id: application.id,
    emoji: encodeURIComponent("👍"),
  };
  return { owner, member, ids };
}

type Attempt = { describe: string; options: { body?: unknown; payload?: string; headers?: Record<string, string> } };

interface Target {
  template: string;
  method: string;
  fields: string[];
  ids: string[];
}

function attempts(random: Random, target: Target, json: number, raw: number, multipart: number): Attempt[] {
  const list: Attempt[] = [];
  for (let i = 0; i < json; i++) {
    const kind = i % 4;
    const body =
      kind === 3
        ? junkValue(random)
        : kind === 2
          ? junkObject(random, target.fields)
          : nearValidBody(random, target.template, target.method, target.ids);
    list.push({ describe: `json ${preview(body)}`, options: { body } });
  }
  for (let i = 0; i < raw; i++) {
    const text = random.pick(RAW_JSON_TEXTS);
    list.push({
      describe: `raw ${JSON.stringify(text.slice(0, 60))}`,
      options: { payload: text, headers: { "content-type": "application/json" } },
    });
  }
  for (let i = 0; i < multipart; i++) {
    const [contentType, text] = junkMultipart(random);
    list.push({
      describe: `multipart ${contentType} ${JSON.stringify(text.slice(0, 80))}`,
      options: { payload: text, headers: { "content-type": contentType } },
    });
  }
  return list;
}

function preview(value: unknown): string {
  try {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 120 ? `${text.slice(0, 120)}…(${text.length} chars)` : text;
  } catch {
    return "(unprintable)";
  }
}

describe("REST fuzz", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it("answers no write route's malformed body with a 5xx, and every answer matches the spec", { timeout: 110_000 * SCALE }, async (t) => {
    const random = createRandom(SEED);
    const routes = server.app.routeTable.filter((one) => one.url.startsWith("/api/v1/") && WRITE_METHODS.has(one.method));
    assert.ok(routes.length >= 40, `only ${routes.length} write routes`);
    const failures: string[] = [];
    let sent = 0;
    const statuses = new Map<string, number>(); // what the bodies reached, shown with the result
    for (const [n, { method, url }] of routes.entries()) {
      const world = await createWorld(server, n);
      const path = url.slice("/api/v1".length).replace(/:([A-Za-z_]+)/g, (_, name: string) => world.ids[name] ?? "1234567890123456789");
      const template = matchOperation(method, path)?.template ?? "";
      const target = { template, method, fields: requestFields(template, method), ids: Object.values(world.ids) };
      const actors: [string, string | undefined, number][] = [
        ["owner", world.owner.token, 1],
        ["member", world.member.token, 1],
        ["anonymous", undefined, 0.2],
      ];
      for (const [who, token, share] of actors) {
        const count = (base: number) => Math.max(1, Math.round(base * share));
        for (const attempt of attempts(
          random,
          target,
          count(JSON_BODIES_PER_ACTOR),
          count(RAW_BODIES_PER_ACTOR),
          count(MULTIPART_BODIES_PER_ACTOR),
        )) {
          sent++;
          const label = `${who} ${method} ${url} ${attempt.describe}`;
          try {
            const response = await server.request(method, path, { token, ...attempt.options });
            const key = `${response.status} ${response.body?.code ?? ""}`.trim();
            statuses.set(key, (statuses.get(key) ?? 0) + 1);
            if (response.status >= 500) failures.push(`${label} → ${response.status} ${preview(response.body)}`);
          } catch (error) {
            failures.push(`${label} → ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
          }
        }
      }
    }
    t.diagnostic(
      `${sent} requests: ${[...statuses]
        .sort((a, b) => b[1] - a[1])
        .map(([key, n]) => `${key}×${n}`)
        .join(", ")}`,
    );
    assert.ok(sent > 1000, `only ${sent} requests sent`);
    assert.deepEqual(failures, [], `${failures.length} of ${sent} fuzz requests failed:\n${failures.join("\n")}`);
  });
});
