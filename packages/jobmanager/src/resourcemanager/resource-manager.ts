/**
 * ResourceManager: the registry of TaskManagers and their slots, and who holds each slot.
 *
 * Invariants: a slot belongs to at most one job; when a TaskManager goes away its slots vanish with it
 * and every listener hears about it once. Single-threaded: all calls run on the event loop, none await.
 */
import { ValidationError, type Logger } from '@eddy/common';
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

export interface RegisteredTaskManager extends TaskManagerRegistration {
  readonly gateway: TaskExecutorGateway;
  lastHeartbeat: number;
}

/** A slot allocated to a job; carries what deployment needs to reach the task and its data port. */
export interface AllocatedSlot {
  readonly taskManagerId: string;
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
}

const slotKey = (taskManagerId: string, index: number): string => `${taskManagerId}#${index}`;

export class ResourceManager {
  private readonly taskManagers = new Map<string, RegisteredTaskManager>();
  /** slotKey -> job id */
  private readonly allocations = new Map<string, string>();
  private readonly goneListeners: TaskManagerGoneListener[] = [];

  constructor(private readonly deps: ResourceManagerDeps) {}

  onTaskManagerGone(listener: TaskManagerGoneListener): void {
    this.goneListeners.push(listener);
  }

  /** Records a TaskManager; a known id is replaced, and jobs running on the old registration fail. */
  register(r: TaskManagerRegistration): void {
    const old = this.taskManagers.get(r.id);
    if (old) this.remove(old, `TaskManager ${old.id} (${old.host}:${old.rpcPort}) registered again: its tasks were lost`);
    const tm: RegisteredTaskManager = { ...r, gateway: this.deps.gateways(r.host, r.rpcPort), lastHeartbeat: this.deps.clock() };
    this.taskManagers.set(r.id, tm);
    this.deps.logger.info('task manager registered', {
      taskManagerId: r.id,
      address: `${r.host}:${r.rpcPort}`,
      slots: r.slots.length,
      replaced: old !== undefined,
    });
  }

  /** Refreshes liveness; false when the TaskManager is unknown (it must register again). */
  heartbeat(taskManagerId: string): boolean {
    const tm = this.taskManagers.get(taskManagerId);
    if (!tm) return false;
    tm.lastHeartbeat = this.deps.clock();
    return true;
  }

  /** Declares a TaskManager lost: it is removed and jobs holding its slots are told why. */
  markLost(taskManagerId: string, reason: string): void {
    const tm = this.taskManagers.get(taskManagerId);
    if (!tm) return;
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

  /** Allocates `count` slots to `jobId`, spread round-robin over TaskManagers. */
  allocate(jobId: string, count: number): AllocatedSlot[] {
    const free = this.registered().map((tm) =>
      tm.slots
        .filter((s) => !this.allocations.has(slotKey(tm.id, s.index)))
        .map((s) => ({ taskManagerId: tm.id, host: tm.host, index: s.index, dataPort: s.dataPort, gateway: tm.gateway })),
    );
    const picked = spreadSlots(free, count);
    if (!picked) {
      throw new ValidationError(`the job needs ${count} slots but the cluster has ${this.freeSlots()} free; lower -p or start more TaskManagers`);
    }
    for (const s of picked) this.allocations.set(slotKey(s.taskManagerId, s.index), jobId);
    return picked;
  }

  /** Frees every slot held by `jobId`. */
  release(jobId: string): void {
    for (const [key, holder] of this.allocations) if (holder === jobId) this.allocations.delete(key);
  }

  totalSlots(): number {
    let n = 0;
    for (const tm of this.taskManagers.values()) n += tm.slots.length;
    return n;
  }

  freeSlots(): number {
    return this.totalSlots() - this.allocations.size;
  }

  close(): void {
    for (const tm of this.taskManagers.values()) tm.gateway.close();
    this.taskManagers.clear();
    this.allocations.clear();
  }

  private remove(tm: RegisteredTaskManager, message: string): void {
    this.taskManagers.delete(tm.id);
    for (const s of tm.slots) this.allocations.delete(slotKey(tm.id, s.index));
    for (const listener of this.goneListeners) listener(tm, message);
    tm.gateway.close();
  }
}
