// Keeps the sandbox's state in a file so that it survives a restart, as Azure's does: resources, RBAC,
// operations under way, fault rules, spent request budgets and the virtual clock. Azure keeps running
// while a local process is down, so a restored clock has moved on by the time that passed, at its speed.
import fs from 'node:fs';
import path from 'node:path';

import type { Clock } from './clock';
import { createClock } from './clock';
import type { SandboxContext } from './context';
import type { RbacSnapshot } from './rbac';
import type { BucketState } from './throttling';
import type { OperationRecord, RegistryRecord, ReplicaRecord, SubscriptionRecord } from './state';
import type { FaultRule, Principal } from './types';

const FORMAT = 'arm-sandbox-state/1';

interface SavedRegistry extends Omit<RegistryRecord, 'replicas' | 'deletedReplicas'> {
  replicas: ReplicaRecord[];
  deletedReplicas: [string, number][];
}

/** JSON has no Infinity: an operation that never completes is saved with `durationMs: null`. */
interface SavedOperation extends Omit<OperationRecord, 'durationMs'> {
  durationMs: number | null;
}

interface SavedState {
  format: typeof FORMAT;
  tenantId: string;
  clock: { wallMs: number; virtualMs: number; speed: number };
  principals: (Principal & { systemAssigned: boolean })[];
  subscriptions: (Omit<SubscriptionRecord, 'resourceGroups'> & { resourceGroups: [string, string][] })[];
  registries: SavedRegistry[];
  operations: SavedOperation[];
  rbac: RbacSnapshot;
  faults: FaultRule[];
  /** ARM's token buckets as they were (absent in files written before throttling was modelled). */
  budget?: [string, BucketState][];
}

export class StateFileError extends Error {
  override readonly name = 'StateFileError';
}

/** Writes the state atomically (a half-written file never replaces a good one). */
export function saveState(ctx: SandboxContext, file: string): void {
  const saved: SavedState = {
    format: FORMAT,
    tenantId: ctx.state.tenantId,
    clock: { wallMs: ctx.clock.wallNow(), virtualMs: ctx.clock.now(), speed: ctx.clock.speed() },
    principals: [...ctx.state.principals.values()],
    subscriptions: [...ctx.state.subscriptions.values()].map((s) => ({
      ...s,
      resourceGroups: [...s.resourceGroups],
    })),
    registries: [...ctx.state.registries.values()].map((r) => ({
      ...r,
      replicas: [...r.replicas.values()],
      deletedReplicas: [...r.deletedReplicas],
    })),
    operations: [...ctx.state.operations.values()].map((o) => ({
      ...o,
      durationMs: Number.isFinite(o.durationMs) ? o.durationMs : null,
    })),
    rbac: ctx.rbac.snapshot(),
    faults: ctx.faults.list(),
    budget: ctx.budget.snapshot(),
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, JSON.stringify(saved));
  fs.renameSync(partial, file);
}

/** The saved state, or undefined when the file does not exist. */
export function readState(file: string): SavedState | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const saved = JSON.parse(text) as Partial<SavedState>;
  if (saved.format !== FORMAT)
    throw new StateFileError(
      `${file} is not a sandbox state file of format ${FORMAT}; delete it to start afresh.`,
    );
  return saved as SavedState;
}

/** The saved clock, continued: virtual time has advanced by the wall time since the save, at its speed. */
export function restoreClock(saved: SavedState, wallNow: () => number = Date.now): Clock {
  const elapsed = Math.max(0, wallNow() - saved.clock.wallMs);
  return createClock(saved.clock.speed, wallNow, saved.clock.virtualMs + elapsed * saved.clock.speed);
}

/** Puts the saved resources, RBAC, operations and faults into a fresh context. */
export function restoreState(saved: SavedState, ctx: SandboxContext): void {
  if (saved.tenantId.toLowerCase() !== ctx.state.tenantId.toLowerCase())
    throw new StateFileError(
      `The saved state belongs to tenant '${saved.tenantId}', the sandbox to '${ctx.state.tenantId}'.`,
    );
  const { state } = ctx;
  for (const p of saved.principals) state.principals.set(p.objectId.toLowerCase(), p);
  for (const s of saved.subscriptions)
    state.subscriptions.set(s.subscriptionId.toLowerCase(), {
      ...s,
      resourceGroups: new Map(s.resourceGroups),
    });
  for (const r of saved.registries) {
    state.registries.set(r.id.toLowerCase(), {
      ...r,
      replicas: new Map(r.replicas.map((replica) => [replica.name.toLowerCase(), replica])),
      deletedReplicas: new Map(r.deletedReplicas),
    });
  }
  for (const o of saved.operations)
    state.operations.set(o.id, { ...o, durationMs: o.durationMs ?? Infinity });
  ctx.rbac.restore(saved.rbac);
  ctx.faults.clear();
  ctx.faults.add(saved.faults);
  ctx.budget.restore(saved.budget ?? []);
}
