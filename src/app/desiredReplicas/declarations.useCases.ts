// Declaring a registry's desired replica set, whichever channel asks: write a version (from a body, or
// imported from what the registry has now), read it and its history, delete it. Every write is checked
// against ARM (the registry exists and is Premium, its regions are offered, the home region carries no
// settings), is conditional on the version it replaces, and is in the audit trail with its diff before
// it is stored; every refusal is recorded too.
import { armClients } from '../../azure/armClients';
import { auditStore } from '../../azure/auditStoreFactory';
import { DeclarationConflictError } from '../../azure/desiredReplicaStore';
import type {
  DeclarationChange,
  DeclarationState,
  DeclarationVersion,
} from '../../azure/desiredReplicaStore';
import { desiredReplicaStore } from '../../azure/desiredReplicaStoreFactory';
import { ReplicaGateway } from '../../azure/replicas';
import {
  declarationEtag,
  declarationFromReplicas,
  diffDeclarations,
  formatRegistryId,
  homeRegionEntriesWithSettings,
  isEmptyDiff,
  isPremium,
  preconditionHolds,
  sameRegion,
} from '../../domain';
import type {
  AuditActor,
  AuditChannel,
  DesiredReplicaSet,
  RegistryId,
  RegistryView,
  RequestOrigin,
  WritePrecondition,
} from '../../domain';
import { auditRequestBestEffort } from '../audit/audit.useCases';
import { DECLARATION_OPERATION } from './desiredReplicas.contract';

/** The versions the history answer holds at most, newest first. */
export const HISTORY_LIMIT = 100;

export interface Requester {
  actor: AuditActor;
  channel: AuditChannel;
  /** Where the request came from, which decides who may approve what it starts (REST when absent). */
  origin?: RequestOrigin;
  warn: (message: string) => void;
}

export interface DeclarationView extends DesiredReplicaSet {
  registry: string;
  version: number;
  etag: string;
  homeRegion: string;
  change: DeclarationChange;
  changedBy: AuditActor;
  changedAt: string;
}

export interface Refusal {
  outcome: 'refused';
  status: 404 | 409 | 412 | 422 | 428;
  refusal: string;
  detail: string;
  extensions?: Record<string, unknown>;
}

export type DeclarationWrite =
  | { outcome: 'written'; created: boolean; view: DeclarationView }
  /** The same declaration as the current one: no new version. */
  | { outcome: 'unchanged'; view: DeclarationView }
  | Refusal;

export type DeclarationRemoval = { outcome: 'deleted'; version: number } | Refusal;

export async function readDeclaration(registry: RegistryId): Promise<DeclarationView | undefined> {
  const { current } = await desiredReplicaStore().read(registry);
  return current === undefined ? undefined : toView(registry, current);
}

export async function declarationHistory(
  registry: RegistryId,
): Promise<(Omit<DeclarationVersion, 'declaration'> & { etag: string; declaration?: DesiredReplicaSet })[]> {
  const versions = await desiredReplicaStore().history(registry, HISTORY_LIMIT);
  return versions.map((version) => ({ ...version, etag: declarationEtag(version.version) }));
}

/** Writes `declaration` as the registry's next version, if `precondition` holds and ARM agrees. */
export async function declareReplicaSet(
  registry: RegistryId,
  declaration: DesiredReplicaSet,
  precondition: WritePrecondition,
  requester: Requester,
): Promise<DeclarationWrite> {
  const read = await desiredReplicaStore().read(registry);
  const stale = await checkPrecondition(registry, read, precondition, 'put', requester);
  if (stale !== undefined) return stale;
  const found = await premiumRegistry(registry, 'put', requester);
  if (found.outcome === 'refused') return found;
  const refused = await checkAgainstArm(registry, found.view, declaration, requester);
  if (refused !== undefined) return refused;
  return write(registry, read, declaration, found.view.location, 'put', requester);
}

/** Writes what the registry has now as its next version: every region, every setting. */
export async function importReplicaSet(
  registry: RegistryId,
  options: Pick<DesiredReplicaSet, 'allowDeletes' | 'drift'>,
  precondition: WritePrecondition,
  requester: Requester,
): Promise<DeclarationWrite> {
  const read = await desiredReplicaStore().read(registry);
  const stale = await checkPrecondition(registry, read, precondition, 'import', requester);
  if (stale !== undefined) return stale;
  const found = await premiumRegistry(registry, 'import', requester);
  if (found.outcome === 'refused') return found;
  const replicas = await new ReplicaGateway(armClients()).listReplicas(registry);
  const declaration = declarationFromReplicas(replicas, found.view.location, options);
  return write(registry, read, declaration, found.view.location, 'import', requester);
}

/** Deletes the declaration (a version without one, so the history keeps what it was). */
export async function removeReplicaSet(
  registry: RegistryId,
  precondition: WritePrecondition,
  requester: Requester,
): Promise<DeclarationRemoval> {
  const store = desiredReplicaStore();
  const read = await store.read(registry);
  if (read.current === undefined) {
    return refuse(registry, 'delete', requester, {
      status: 404,
      refusal: 'declaration-not-found',
      detail: `Registry ${registry.registryName} has no desired replica set.`,
    });
  }
  const stale = await checkPrecondition(registry, read, precondition, 'delete', requester);
  if (stale !== undefined) return stale;
  const next: DeclarationVersion = {
    version: read.version + 1,
    homeRegion: read.current.homeRegion,
    changedBy: requester.actor,
    changedAt: new Date().toISOString(),
    change: 'delete',
    diff: diffDeclarations(read.current.declaration, undefined),
  };
  await auditChange(registry, next, read.version, requester);
  try {
    await store.write(registry, read, next);
  } catch (error) {
    if (error instanceof DeclarationConflictError) return conflict(registry, 'delete', requester);
    throw error;
  }
  return { outcome: 'deleted', version: next.version };
}

async function write(
  registry: RegistryId,
  read: DeclarationState,
  declaration: DesiredReplicaSet,
  homeRegion: string,
  change: 'put' | 'import',
  requester: Requester,
): Promise<DeclarationWrite> {
  const diff = diffDeclarations(read.current?.declaration, declaration);
  if (read.current !== undefined && isEmptyDiff(diff)) {
    await auditRequestBestEffort(
      {
        actor: requester.actor,
        channel: requester.channel,
        operation: DECLARATION_OPERATION,
        target: formatRegistryId(registry),
        step: change,
        outcome: 'skipped',
        detail: { reason: 'the same as the current version', version: read.current.version },
      },
      `${DECLARATION_OPERATION}|${formatRegistryId(registry).toLowerCase()}|${change}`,
      'an unchanged declaration',
      requester.warn,
    );
    return { outcome: 'unchanged', view: toView(registry, read.current) };
  }
  const next: DeclarationVersion & { declaration: DesiredReplicaSet } = {
    version: read.version + 1,
    declaration,
    homeRegion,
    changedBy: requester.actor,
    changedAt: new Date().toISOString(),
    change,
    diff,
  };
  await auditChange(registry, next, read.version, requester);
  try {
    await desiredReplicaStore().write(registry, read, next);
  } catch (error) {
    if (error instanceof DeclarationConflictError) return conflict(registry, change, requester);
    throw error;
  }
  return { outcome: 'written', created: read.current === undefined, view: toView(registry, next) };
}

/** The change, with its diff, in the audit trail before it is stored: if it cannot be written, nothing is. */
async function auditChange(
  registry: RegistryId,
  next: DeclarationVersion,
  previousVersion: number,
  requester: Requester,
): Promise<void> {
  await auditStore().append(
    {
      time: next.changedAt,
      actor: requester.actor,
      channel: requester.channel,
      operation: DECLARATION_OPERATION,
      target: formatRegistryId(registry),
      step: next.change,
      outcome: 'accepted',
      detail: {
        version: next.version,
        previousVersion,
        diff: next.diff,
        ...(next.declaration === undefined ? {} : { declaration: next.declaration }),
      },
    },
    `${DECLARATION_OPERATION}|${formatRegistryId(registry).toLowerCase()}|v${next.version}|${next.changedAt}`,
  );
}

async function checkPrecondition(
  registry: RegistryId,
  read: DeclarationState,
  precondition: WritePrecondition,
  change: DeclarationChange,
  requester: Requester,
): Promise<Refusal | undefined> {
  if (preconditionHolds(precondition, read.current)) return undefined;
  const current = read.current === undefined ? undefined : declarationEtag(read.current.version);
  const detail =
    current === undefined
      ? `Registry ${registry.registryName} has no desired replica set to match; send If-None-Match: * (or no condition) to create one.`
      : precondition.kind === 'none-exists'
        ? `Registry ${registry.registryName} already has a desired replica set (ETag ${current}); send If-Match with that ETag to replace it.`
        : `The desired replica set has changed since you read it (it is now ${current}); read it again, then retry with its ETag.`;
  return refuse(registry, change, requester, {
    status: 412,
    refusal: 'precondition-failed',
    detail,
    ...(current === undefined ? {} : { extensions: { etag: current } }),
  });
}

function conflict(registry: RegistryId, change: DeclarationChange, requester: Requester): Promise<Refusal> {
  return refuse(registry, change, requester, {
    status: 412,
    refusal: 'precondition-failed',
    detail:
      'The desired replica set was changed by someone else at the same moment; read it again, then retry.',
  });
}

/** The registry as ARM has it, when it exists and is Premium; otherwise the refusal. */
async function premiumRegistry(
  registry: RegistryId,
  change: DeclarationChange,
  requester: Requester,
): Promise<{ outcome: 'found'; view: RegistryView } | Refusal> {
  const view = await new ReplicaGateway(armClients()).getRegistry(registry);
  if (view === undefined) {
    return refuse(registry, change, requester, {
      status: 404,
      refusal: 'registry-not-found',
      detail: `Registry ${registry.registryName} was not found.`,
    });
  }
  if (!isPremium(view)) {
    return refuse(registry, change, requester, {
      status: 422,
      refusal: 'not-premium',
      detail: `Geo-replication needs a Premium registry; ${view.name} is ${view.sku}.`,
    });
  }
  return { outcome: 'found', view };
}

/** The home region carries no settings, and every declared region is offered to the subscription. */
async function checkAgainstArm(
  registry: RegistryId,
  view: RegistryView,
  declaration: DesiredReplicaSet,
  requester: Requester,
): Promise<Refusal | undefined> {
  const home = homeRegionEntriesWithSettings(declaration, view.location);
  if (home.length > 0) {
    return refuse(registry, 'put', requester, {
      status: 422,
      refusal: 'home-region',
      detail: `${view.location} is the registry's home region: its replica always exists and follows the registry, so it may be listed but not given settings.`,
    });
  }
  const offered = await new ReplicaGateway(armClients()).listLocations(registry.subscriptionId);
  const missing = declaration.replicas
    .map((replica) => replica.location)
    .filter((location) => !offered.some((name) => sameRegion(name, location)));
  if (missing.length > 0) {
    return refuse(registry, 'put', requester, {
      status: 422,
      refusal: 'region-not-offered',
      detail: `Not offered to subscription ${registry.subscriptionId}: ${missing.join(', ')}.`,
      extensions: { regions: missing },
    });
  }
  return undefined;
}

async function refuse(
  registry: RegistryId,
  change: DeclarationChange,
  requester: Requester,
  refusal: Omit<Refusal, 'outcome'>,
): Promise<Refusal> {
  await auditRequestBestEffort(
    {
      actor: requester.actor,
      channel: requester.channel,
      operation: DECLARATION_OPERATION,
      target: formatRegistryId(registry),
      step: change,
      outcome: 'refused',
      detail: { status: refusal.status, refusal: refusal.refusal, detail: refusal.detail },
    },
    `${DECLARATION_OPERATION}|${formatRegistryId(registry).toLowerCase()}|${change}`,
    'a refused declaration request',
    requester.warn,
  );
  return { outcome: 'refused', ...refusal };
}

function toView(
  registry: RegistryId,
  version: DeclarationVersion & { declaration: DesiredReplicaSet },
): DeclarationView {
  return {
    registry: formatRegistryId(registry),
    version: version.version,
    etag: declarationEtag(version.version),
    homeRegion: version.homeRegion,
    ...version.declaration,
    change: version.change,
    changedBy: version.changedBy,
    changedAt: version.changedAt,
  };
}
