/** The driver's pure parts. Nothing here measures or asserts on timing. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LatencyHistogram } from "../src/histogram.ts";
import { readMessageCreate } from "../src/listener.ts";
import { parseMachineBusyTicks, parseProcStat, parseVmRssKb } from "../src/proc-stats.ts";
import { dueAt, dueCount, planStep, runPlan, senderFor } from "../src/schedule.ts";
import { findReadyPort } from "../src/server-process.ts";
import { encodeClientFrame, readFrameHeader } from "../src/ws-client.ts";

describe("histogram summary", () => {
  it("gives percentiles and max in milliseconds", () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 1000; i++) h.record(i / 10); // 0.1 ms .. 100 ms
    const s = h.summary();
    assert.equal(h.count, 1000);
    assert.ok(Math.abs(s.p50 - 50) < 0.1, `p50 ${s.p50}`);
    assert.ok(Math.abs(s.p99 - 99) < 0.1, `p99 ${s.p99}`);
    assert.ok(Math.abs(s.max - 100) < 0.1, `max ${s.max}`);
    assert.ok(s.p95 <= s.p99 && s.p99 <= s.p999 && s.p999 <= s.max);
  });

  it("is all zeros when empty", () => {
    assert.deepEqual(new LatencyHistogram().summary(), { p50: 0, p95: 0, p99: 0, p999: 0, max: 0 });
  });
});

describe("/proc parsing", () => {
  it("reads utime and stime even when the command name has spaces and parens", () => {
    const stat = "4242 (node (x) y) S 1 4242 4242 0 -1 4194304 1000 0 0 0 1234 567 0 0 20 0 11 0 100 1000000 5000";
    assert.deepEqual(parseProcStat(stat), { utime: 1234, stime: 567 });
  });

  it("reads VmRSS in kB", () => {
    assert.equal(parseVmRssKb("Name:\tnode\nVmPeak:\t  999 kB\nVmRSS:\t  123456 kB\nThreads:\t11\n"), 123456);
    assert.equal(parseVmRssKb("Name:\tzombie\n"), 0);
  });

  it("sums the machine's busy ticks without idle and iowait", () => {
    assert.equal(parseMachineBusyTicks("cpu  10 1 5 1000 50 2 3 4 0 0\ncpu0 5 0 2 500 25 1 1 2 0 0\n"), 10 + 1 + 5 + 2 + 3 + 4);
  });
});

describe("open-loop schedule", () => {
  it("spreads a step evenly and round-robins the senders", () => {
    const plan = planStep(1000, 400, 5000);
    assert.equal(plan.count, 2000);
    assert.equal(dueAt(plan, 0), 1000);
    assert.equal(dueAt(plan, 1), 1002.5);
    assert.equal(dueAt(plan, 1999), 1000 + 1999 * 2.5);
    assert.deepEqual(
      [0, 1, 7, 8, 9].map((i) => senderFor(i, 8)),
      [0, 1, 7, 0, 1],
    );
  });

  it("counts what is due at a moment, capped by the plan", () => {
    const plan = planStep(1000, 100, 1000);
    assert.equal(dueCount(plan, 999), 0);
    assert.equal(dueCount(plan, 1000), 1);
    assert.equal(dueCount(plan, 1095), 10);
    assert.equal(dueCount(plan, 50_000), 100);
  });

  it("fires every message once, in order, with its due time, even when the clock jumps", async () => {
    let clock = 0;
    const fired: [number, number][] = [];
    const plan = planStep(0, 1000, 20);
    const count = await runPlan(
      plan,
      () => (clock += 7), // a clock that runs ahead of the timers: many become due at once
      (i, due) => fired.push([i, due]),
    );
    assert.equal(count, 20);
    assert.deepEqual(
      fired.map(([i]) => i),
      Array.from({ length: 20 }, (_, i) => i),
    );
    assert.deepEqual(
      fired.map(([, due]) => due),
      Array.from({ length: 20 }, (_, i) => i),
    );
  });

  it("rejects a step without rate or duration", () => {
    assert.throws(() => planStep(0, 0, 1000));
    assert.throws(() => planStep(0, 100, 0));
  });
});

describe("frames and server output", () => {
  it("reads seq and nonce from a MESSAGE_CREATE without parsing it", () => {
    const frame = Buffer.from(
      '{"op":0,"t":"MESSAGE_CREATE","s":42,"d":{"id":"1","content":"x","nonce":"1712345678901.125","channel_id":"2"}}',
    );
    assert.deepEqual(readMessageCreate(frame), { seq: 42, nonce: 1712345678901.125 });
    const numeric = Buffer.from('{"t":"MESSAGE_CREATE","s":7,"op":0,"d":{"nonce":123}}');
    assert.deepEqual(readMessageCreate(numeric), { seq: 7, nonce: 123 });
    assert.equal(readMessageCreate(Buffer.from('{"op":0,"t":"TYPING_START","s":3,"d":{}}')), null);
    const missing = readMessageCreate(Buffer.from('{"op":0,"t":"MESSAGE_CREATE","s":9,"d":{"nonce":null}}'));
    assert.equal(missing?.seq, 9);
    assert.ok(Number.isNaN(missing?.nonce));
  });

  it("finds the ready line among log lines", () => {
    const out = '{"level":30,"msg":"ready to go"}\nnot json {"ready"\n{"type":"ready","port":43210}\n';
    assert.equal(findReadyPort(out), 43210);
    assert.equal(findReadyPort('{"level":30,"msg":"listening"}\n'), null);
  });
});

describe("WebSocket framing", () => {
  it("masks client frames and reads their headers back, for each length form", () => {
    for (const size of [0, 5, 125, 126, 65535, 65536]) {
      const payload = Buffer.alloc(size, 0x61);
      const frame = encodeClientFrame(0x1, payload);
      const header = readFrameHeader(frame, 0);
      assert.ok(header);
      assert.deepEqual({ ...header }, { fin: true, opcode: 1, masked: true, headerBytes: frame.length - size, length: size });
      const mask = frame.subarray(header.headerBytes - 4, header.headerBytes);
      const unmasked = Buffer.from(frame.subarray(header.headerBytes).map((byte, i) => byte ^ (mask[i & 3] as number)));
      assert.ok(unmasked.equals(payload));
    }
  });

  it("waits for a whole header", () => {
    assert.equal(readFrameHeader(Buffer.from([0x81]), 0), null);
    assert.equal(readFrameHeader(Buffer.from([0x81, 126, 0x01]), 0), null);
    assert.deepEqual(readFrameHeader(Buffer.from([0x01, 3, 0x61, 0x62, 0x63]), 0), {
      fin: false,
      opcode: 1,
      masked: false,
      headerBytes: 2,
      length: 3,
    });
  });
});
