/**
 * One supervised process: starts it, waits for it to be ready, restarts it with exponential backoff
 * when it dies, gives up after too many restarts in a row (`failed`), and stops it with a grace
 * period (graceful request, then SIGKILL). Emits "status" on every change.
 */
import type { ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import type { ProcessLog } from "./process-log.ts";
import {
  DEFAULT_READY_TIMEOUT_MS,
  DEFAULT_RESTART,
  DEFAULT_STOP_GRACE_MS,
  type Launch,
  type RestartPolicy,
  restartDelay,
  type UnitSpec,
  type UnitState,
  type UnitStatus,
} from "./unit.ts";

const SETTLED: UnitState[] = ["running", "missing", "failed", "stopped"];

export class SupervisedUnit extends EventEmitter<{ status: [UnitStatus] }> {
  readonly name: string;
  private readonly policy: RestartPolicy;
  private current: UnitStatus;
  private child: ChildProcess | undefined;
  private launched: Launch | undefined;
  private consecutiveRestarts = 0;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private stableTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly spec: UnitSpec,
    private readonly log: ProcessLog,
  ) {
    super();
    this.name = spec.name;
    this.policy = { ...DEFAULT_RESTART, ...spec.restart };
    this.current = { name: spec.name, state: "stopped", restarts: 0, logFile: log.file, since: Date.now() };
  }

  status(): UnitStatus {
    return { ...this.current };
  }

  /** Starts the process; resolves once it is running, missing or failed. */
  start(): Promise<UnitStatus> {
    if (this.current.state !== "stopped" && this.current.state !== "failed") return this.settled();
    this.stopping = false;
    this.consecutiveRestarts = 0;
    void this.attempt();
    return this.settled();
  }

  /** Stops the process (graceful request, SIGKILL after the grace period) and any pending restart. */
  async stop(): Promise<UnitStatus> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      if (this.current.state !== "missing" && this.current.state !== "failed") this.update({ state: "stopped", pid: undefined });
      return this.status();
    }
    this.update({ state: "stopping" });
    const exited = outputDrained(child);
    const grace = setTimeout(() => {
      this.log.note(`still running after ${this.spec.stopGraceMs ?? DEFAULT_STOP_GRACE_MS} ms: SIGKILL`);
      child.kill("SIGKILL");
    }, this.spec.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
    try {
      if (this.launched?.requestStop) this.launched.requestStop();
      else child.kill("SIGTERM");
    } catch {
      child.kill("SIGTERM");
    }
    await exited;
    clearTimeout(grace);
    return this.status();
  }

  /** Resolves at the next settled state (or now, if already settled and nothing is pending). */
  private settled(): Promise<UnitStatus> {
    if (SETTLED.includes(this.current.state) && !this.restartTimer && !this.child) return Promise.resolve(this.status());
    return new Promise((resolve) => {
      const onStatus = (status: UnitStatus) => {
        if (!SETTLED.includes(status.state)) return;
        this.off("status", onStatus);
        resolve(status);
      };
      this.on("status", onStatus);
    });
  }

  private update(change: Partial<UnitStatus>): void {
    const stateChanged = change.state !== undefined && change.state !== this.current.state;
    this.current = { ...this.current, ...change, ...(stateChanged ? { since: Date.now() } : {}) };
    this.emit("status", this.status());
  }

  private async attempt(): Promise<void> {
    this.restartTimer = undefined;
    if (this.stopping) return;
    this.update({ state: this.consecutiveRestarts === 0 ? "starting" : "restarting", reason: undefined });
    let launched: Launch | { missing: string };
    try {
      launched = await this.spec.launch(this.log);
    } catch (error) {
      this.log.note(`cannot start: ${(error as Error).message}`);
      this.update({ reason: (error as Error).message });
      this.afterFailure();
      return;
    }
    if ("missing" in launched) {
      this.log.note(`missing: ${launched.missing}`);
      this.update({ state: "missing", reason: launched.missing, pid: undefined });
      return;
    }
    if (this.stopping) {
      launched.child.kill("SIGKILL"); // stop() came while it was being launched
      return;
    }
    this.launched = launched;
    const child = launched.child;
    this.child = child;
    this.log.note(`started pid ${child.pid}`);
    this.log.attach(child.stdout);
    this.log.attach(child.stderr);
    this.update({ pid: child.pid });
    child.once("exit", (code, signal) => this.onExit(child, code, signal));
    child.once("error", (error) => {
      this.log.note(`spawn error: ${error.message}`);
      this.update({ reason: error.message });
      // A process that never started emits no "exit".
      if (child.pid === undefined) this.onExit(child, null, null);
    });

    const readyTimeout = this.spec.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`not ready after ${readyTimeout} ms`)), readyTimeout);
    });
    try {
      const { port } = await Promise.race([launched.ready, timedOut]);
      if (this.child !== child || this.stopping) return;
      this.log.note(`ready${port ? ` on port ${port}` : ""}`);
      this.update({ state: "running", port });
      // A run that lasts counts as healthy again; a crash right after ready still counts as a loop.
      this.stableTimer = setTimeout(() => {
        this.consecutiveRestarts = 0;
      }, this.policy.stableAfterMs);
      this.stableTimer.unref();
    } catch (error) {
      if (this.child !== child || this.stopping) return;
      this.log.note(`not ready: ${(error as Error).message}`);
      this.update({ reason: (error as Error).message });
      child.kill("SIGKILL"); // its exit then schedules the restart
    } finally {
      clearTimeout(timer);
    }
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = undefined;
    this.launched = undefined;
    clearTimeout(this.stableTimer);
    this.log.note(`exited (code ${code}, signal ${signal})`);
    this.update({ lastExit: { code, signal }, pid: undefined });
    if (this.stopping) {
      this.update({ state: "stopped" });
      return;
    }
    this.afterFailure();
  }

  private afterFailure(): void {
    if (this.stopping) return;
    if (this.consecutiveRestarts >= this.policy.maxRestarts) {
      const reason = `crash loop: gave up after ${this.consecutiveRestarts} restarts in a row`;
      this.log.note(reason);
      this.update({ state: "failed", reason });
      return;
    }
    this.consecutiveRestarts++;
    const delay = restartDelay(this.policy, this.consecutiveRestarts);
    this.log.note(`restart ${this.consecutiveRestarts} in ${delay} ms`);
    this.update({ state: "restarting", restarts: this.current.restarts + 1 });
    this.restartTimer = setTimeout(() => void this.attempt(), delay);
  }
}

/** Resolves once the child has exited and its output has been read to the end (so its log is complete). */
function outputDrained(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("close", () => resolve());
    // A grandchild holding the pipes open must not stall the stop.
    child.once("exit", () => setTimeout(resolve, 2000).unref());
  });
}
