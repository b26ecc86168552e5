/**
 * ResourceManager: the registry of TaskManagers and their slots, and who holds each slot.
 *
 * Invariants: a slot belongs to at most one job; a slot where the TaskManager still runs a task that no
 * job of this JobManager runs there (a stray: left over from a JobManager that died, or an attempt a
 * job gave up on) is busy, and is never allocated, until the TaskManager stops reporting it. When a
 * TaskManager goes away its slots vanish with it and every listener hears about it once.
 *
 * A TaskManager is lost when its heartbeats stop (HeartbeatMonitor), when its Connect stream ends, or
 * when a job finds it unreachable; all three come here as markLost().
 *
 * Single-threaded: all calls run on the event loop, none await.
 */
import type { Logger, ServerStream } from '@eddy/common';
import type { TaskExecutorGateway, TaskExecutorGatewayFactory } from '../rpc/task-executor-gateway.js';
import { spreadSlots } from '../scheduler/slot-allocation.js';

export interface SlotOffer {
  readonly index: number;
  readonly dataPort: number;
}

export interface TaskManagerRegistration {
  readonly id: string;
  readonly host: string;
  readonly rpcPort: number;
  readonly slots: readonly SlotOffer[];
}

/** A task a TaskManager says it runs (at registration and in every heartbeat). */
export interface ReportedTask {
  readonly jobId: string;
  readonly attemptId: string;
  readonly slotIndex: number;
}

export interface RegisteredTaskManager extends TaskManagerRegistration {
  /** Tells this registration from an earlier or later one under the same id. */
  readonly registration: number;
  readonly gateway: TaskExecutorGateway;
  lastHeartbeat: number;
  /** The TaskManager's Connect stream while it is open. */
  connection: ServerStream<unknown> | undefined;
  /** Slot index -> stray attempts the TaskManager still runs there (it has been told to cancel them). */
  strays: ReadonlyMap<number, readonly string[]>;
}

/** A slot allocated to a job; carries what deployment needs to reach the task and its data port. */
export interface AllocatedSlot {
  readonly taskManagerId: string;
  /** The registration of the TaskManager the slot was allocated from. */
  readonly registration: number;
  readonly host: string;
  readonly index: number;
  readonly dataPort: number;
  readonly gateway: TaskExecutorGateway;
}

/** Called when a TaskManager leaves (lost, or replaced by a new registration under the same id). */
export type TaskManagerGoneListener = (tm: RegisteredTaskManager, message: string) => void;

export interface ResourceManagerDeps {
  readonly logger: Logger;
  readonly clock: () => number;
  readonly gateways: TaskExecutorGatewayFactory;
  /** True when a job of this JobManager runs `task` on TaskManager `taskManagerId`; anything else is a stray. */
  readonly runsTask: (task: ReportedTask, taskManagerId: string) => boolean;
}

const slotKey = (taskManagerId: string, index: number): string => `${taskManagerId}#${index}`;

export class ResourceManager {
  private readonly taskManagers = new Map<string, RegisteredTaskManager>();
  /** slotKey -> job id */
  private readonly allocations = new Map<string, string>();
  private readonly goneListeners: TaskManagerGoneListener[] = [];
  private readonly freedListeners: (() => void)[] = [];
  private registrations = 0;

  constructor(private readonly deps: ResourceManagerDeps) {}

  onTaskManagerGone(listener: TaskManagerGoneListener): void {
    this.goneListeners.push(listener);
  }

  /** `listener` runs whenever slots may have become free (a TaskManager joined, a job or a stray left). */
  onSlotsFreed(listener: () => void): void {
    this.freedListeners.push(listener);
  }

  /**
   * Records a TaskManager with the tasks it still runs; a known id is replaced, and jobs running on the
   * old registration fail. Returns the attempts the TaskManager must cancel.
   */
  register(r: TaskManagerRegistration, tasks: readonly ReportedTask[] = []): string[] {
    const old = this.taskManagers.get(r.id);
    if (old) this.remove(old, `TaskManager ${old.id} (${old.host}:${old.rpcPort}) registered again: its tasks were lost`);
    const tm: RegisteredTaskManager = {
      ...r,
      registration: ++this.registrations,
      gateway: this.deps.gateways(r.host, r.rpcPort),
      lastHeartbeat: this.deps.clock(),
      connection: undefined,
      strays: new Map(),
    };
    this.taskManagers.set(r.id, tm);
    // After the old registration is gone, so that the tasks it ran count as strays.
    const cancel = this.reconcile(tm, tasks);
    this.deps.logger.info('task manager registered', {
      taskManagerId: r.id,
      address: `${r.host}:${r.rpcPort}`,
      slots: r.slots.length,
      busySlots: tm.strays.size,
      replaced: old !== undefined,
    });
    this.slotsFreed();
    return cancel;
  }

  /**
   * Refreshes liveness and compares the tasks the TaskManager runs with what jobs expect there. Returns
   * undefined when the TaskManager is unknown (it must register again), else the attempts to cancel.
   */
  heartbeat(taskManagerId: string, tasks: readonly ReportedTask[] = []): string[] | undefined {
    const tm = this.taskManagers.get(taskManagerId);
    if (!tm) return undefined;
    tm.lastHeartbeat = this.deps.clock();
    const busyBefore = [...tm.strays.keys()];
    const cancel = this.reconcile(tm, tasks);
    if (busyBefore.some((slot) => !tm.strays.has(slot))) this.slotsFreed();
    return cancel;
  }

  /**
   * Attaches the TaskManager's Connect stream: its end marks the TaskManager lost at once. False when the
   * TaskManager is not registered. A newer stream replaces an older one, whose end then means nothing.
   */
  connect(taskManagerId: string, stream: ServerStream<unknown>): boolean {
    const tm = this.taskManagers.get(taskManagerId);
    if (!tm) return false;
    const previous = tm.connection;
    tm.connection = stream;
    previous?.end();
    stream.onClose(() => {
      if (this.taskManagers.get(taskManagerId) !== tm || tm.connection !== stream) return;
      tm.connection = undefined;
      this.markLost(taskManagerId, 'its connection to the JobManager closed');
    });
    return true;
  }

  /**
   * Declares a TaskManager lost: it is removed and jobs holding its slots are told why. With
   * `registration`, only that registration is lost (a report about an older one changes nothing).
   */
  markLost(taskManagerId: string, reason: string, registration?: number): void {
    const tm = this.taskManagers.get(taskManagerId);
    if (!tm || (registration !== undefined && tm.registration !== registration)) return;
    const message = `TaskManager ${tm.id} (${tm.host}:${tm.rpcPort}) lost: ${reason}`;
    this.deps.logger.warn('task manager lost', { taskManagerId: tm.id, address: `${tm.host}:${tm.rpcPort}`, reason });
    this.remove(tm, message);
  }

  taskManager(id: string): RegisteredTaskManager | undefined {
    return this.taskManagers.get(id);
  }

  registered(): RegisteredTaskManager[] {
    return [...this.taskManagers.values()];
  }

  /** Allocates `count` free slots to `jobId`, spread round-robin over TaskManagers; undefined when there are fewer. */
  allocate(jobId: string, count: number): AllocatedSlot[] | undefined {
    const free = this.registered().map((tm) =>
      tm.slots
        .filter((s) => this.isFree(tm, s.index))
        .map((s): AllocatedSlot => ({ taskManagerId: tm.id, registration: tm.registration, host: tm.host, index: s.index, dataPort: s.dataPort, gateway: tm.gateway })),
    );
    const picked = spreadSlots(free, count);
    if (!picked) return undefined;
    for (const s of picked) this.allocations.set(slotKey(s.taskManagerId, s.index), jobId);
    return picked;
  }

  /** Frees every slot held by `jobId`. */
  release(jobId: string): void {
    let freed = false;
    for (const [key, holder] of this.allocations) {
      if (holder !== jobId) continue;
      this.allocations.delete(key);
      freed = true;
    }
    if (freed) this.slotsFreed();
  }

  totalSlots(): number {
    let n = 0;
    for (const tm of this.taskManagers.values()) n += tm.slots.length;
    return n;
  }

  /** Slots neither allocated to a job nor busy with a stray task. */
  freeSlots(): number {
    let n = 0;
    for (const tm of this.taskManagers.values()) n += tm.slots.filter((s) => this.isFree(tm, s.index)).length;
    return n;
  }

  /** Ends every Connect stream (without declaring anyone lost) and closes the gateways. */
  close(): void {
    const all = [...this.taskManagers.values()];
    this.taskManagers.clear();
    this.allocations.clear();
    for (const tm of all) {
      tm.connection?.end();
      tm.gateway.close();
    }
  }

  private isFree(tm: RegisteredTaskManager, index: number): boolean {
    return !this.allocations.has(slotKey(tm.id, index)) && !tm.strays.has(index);
  }

  /** Records the stray tasks among `tasks` (those no job runs on `tm`) and returns their attempt ids. */
  private reconcile(tm: RegisteredTaskManager, tasks: readonly ReportedTask[]): string[] {
    const offered = new Set(tm.slots.map((s) => s.index));
    const strays = new Map<number, string[]>();
    const cancel: string[] = [];
    for (const t of tasks) {
      if (this.deps.runsTask(t, tm.id)) continue;
      cancel.push(t.attemptId);
      if (offered.has(t.slotIndex)) strays.set(t.slotIndex, [...(strays.get(t.slotIndex) ?? []), t.attemptId]);
    }
    // Logged when strays first show up, not at every heartbeat until they are gone.
    const known = new Set([...tm.strays.values()].flat());
    if (cancel.some((a) => !known.has(a))) this.deps.logger.info('stray tasks to cancel', { taskManagerId: tm.id, attempts: cancel, busySlots: [...strays.keys()] });
    tm.strays = strays;
    return cancel;
  }

  private remove(tm: RegisteredTaskManager, message: string): void {
    this.taskManagers.delete(tm.id);
    for (const s of tm.slots) this.allocations.delete(slotKey(tm.id, s.index));
    for (const listener of this.goneListeners) listener(tm, message);
    tm.connection?.end();
    tm.gateway.close();
  }

  private slotsFreed(): void {
    for (const listener of this.freedListeners) listener();
  }
}
