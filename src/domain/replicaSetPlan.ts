// The plan that brings a registry's replicas to its declaration: one step per region, in the order an
// operator would take them (grant the private-link permission, create, update, recreate, delete), each
// with what it costs in time and what it risks, and which steps wait for a person. Pure: the replicas
// come from ARM through the caller, and the same plan serves the REST view, chat, apply and drift.
import { effectiveSettings } from './desiredReplicaSet';
import type { DeclaredSettings, DesiredReplicaSet, DriftPolicy } from './desiredReplicaSet';
import type { HealPolicy } from './healing';
import { PRIVATE_LINK_ACTION } from './healing';
import { defaultReplicaName, normaliseRegion, sameRegion } from './region';
import type { ReplicaView } from './registryView';
import type { ReplicaSettings, SettingName, UpdateReplicaRequest } from './replicaSettings';
import { sameTags } from './tags';

export type PlanStepKind = 'grant' | 'create' | 'update' | 'recreate' | 'delete' | 'none' | 'skip';

/** Steps that change something in Azure; `none` and `skip` only explain why a region is left as it is. */
export const CHANGING_KINDS: readonly PlanStepKind[] = ['grant', 'create', 'update', 'recreate', 'delete'];

export type Risk = 'low' | 'medium' | 'high';

export interface SettingChange {
  setting: SettingName;
  from: unknown;
  to: unknown;
}

export interface PlanStep {
  kind: PlanStepKind;
  /** The region the step is about; the grant is about the registry's private endpoints instead. */
  location?: string;
  /** The replica's name: the existing one's, or the name a create gives it (the region's). */
  replicaName?: string;
  /** Why this step, in words. */
  reason: string;
  /** For update and recreate: what differs. */
  changes?: SettingChange[];
  /** For create and recreate: the settings the replica is created with. */
  settings?: ReplicaSettings;
  /** For update and recreate: the request the replica operation carries out. */
  update?: UpdateReplicaRequest;
  /** For the grant: where the permission is missing. */
  privateEndpoints?: string[];
  /** Deletes a replica's synced content (delete, recreate). */
  destructive: boolean;
  /** Waits for a person's approval before it runs (see approvalRule). */
  needsApproval: boolean;
  /** Why the step cannot run; an apply skips it and says so. */
  blocked?: string;
  estimate?: { minutes: number; basis: string };
  risk?: { level: Risk; note: string };
}

/** Who asked for the apply the plan is for: a person (request) or a sweep that found drift. */
export type ApplyTrigger = 'request' | 'drift';

/** What decides which steps need an approval. */
export interface ApprovalContext {
  trigger: ApplyTrigger;
  /** The registry's heal policy (its `replica-heal-policy` tag, else HEAL_POLICY). */
  registryPolicy: HealPolicy;
}

export interface PlanInput {
  declaration: DesiredReplicaSet;
  homeRegion: string;
  /** The registry's replicas as ARM shows them now (the home replica among them). */
  replicas: readonly ReplicaView[];
  approval: ApprovalContext;
  /** The registry's content size, for estimates; undefined when it could not be read. */
  sizeGiB?: number;
  /** For a registry with private endpoints: where the app's identity lacks the private-link action. */
  privateLink?: { privateEndpoints: string[]; missingAt: string[] };
}

export interface ReplicaSetPlan {
  steps: PlanStep[];
  /** No step changes anything. */
  inSync: boolean;
  /** Minutes the apply would take, approvals aside, running `parallelism` replica operations at once. */
  estimatedMinutes: number;
}

/** How long replica operations take, roughly: creation grows with the registry's content. */
export const ESTIMATES = {
  createBaseMinutes: 2,
  /** About a day per TiB, as copies of large registries take in Azure. */
  createMinutesPerGiB: 1.5,
  updateMinutes: 2,
  tagsMinutes: 1,
  deleteMinutes: 5,
  /** After a delete, ARM holds the replica's name for a while before it can be created again. */
  nameReleaseMinutes: 5,
  /** Role assignments take minutes to become effective everywhere. */
  grantMinutes: 5,
};

/** From this size on, losing a replica's synced content is a high risk: rebuilding it takes hours. */
export const LARGE_REGISTRY_GIB = 100;

const KIND_ORDER: Record<PlanStepKind, number> = {
  grant: 0,
  create: 1,
  update: 2,
  recreate: 3,
  delete: 4,
  none: 5,
  skip: 6,
};

/**
 * The steps that bring `replicas` to the declaration. Regions are matched by location (a replica may have
 * any name). Replicas that are not settled (Failed, Canceled, or still provisioning or deleting) are left
 * to the heal and the operation under way: the plan skips them and says why, and a later plan picks up
 * whatever then differs.
 */
export function planReplicaSet(input: PlanInput, parallelism = 1): ReplicaSetPlan {
  const { declaration, homeRegion } = input;
  const byRegion = new Map(input.replicas.map((replica) => [normaliseRegion(replica.location), replica]));
  const steps: PlanStep[] = [];

  for (const declared of declaration.replicas) {
    const current = byRegion.get(declared.location);
    byRegion.delete(declared.location);
    if (sameRegion(declared.location, homeRegion)) {
      steps.push(homeStep(declared.location, current));
      continue;
    }
    const desired = effectiveSettings(declaration, declared);
    steps.push(
      current === undefined
        ? createStep(declared.location, desired, input)
        : (unsettledStep(current) ?? changeStep(current, desired, input)),
    );
  }
  for (const [location, current] of byRegion) {
    if (sameRegion(location, homeRegion)) steps.push(homeStep(location, current));
    else steps.push(unsettledStep(current) ?? deleteStep(current, input));
  }

  const grant = grantStep(steps, input);
  const ordered = [...(grant === undefined ? [] : [grant]), ...steps].sort(byKindThenRegion);
  const marked = ordered.map((step) => ({
    ...step,
    needsApproval: approvalRule(step, declaration, input.approval),
  }));
  return {
    steps: marked,
    inSync: !marked.some(isChange),
    estimatedMinutes: estimateTotalMinutes(marked, parallelism),
  };
}

export function isChange(step: PlanStep): boolean {
  return CHANGING_KINDS.includes(step.kind);
}

function byKindThenRegion(a: PlanStep, b: PlanStep): number {
  const kind = KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  if (kind !== 0) return kind;
  const [x, y] = [a.location ?? '', b.location ?? ''];
  return x < y ? -1 : x > y ? 1 : 0;
}

function homeStep(location: string, current: ReplicaView | undefined): PlanStep {
  return {
    kind: 'none',
    location,
    ...(current === undefined ? {} : { replicaName: current.name }),
    reason: 'home region: its replica always exists and follows the registry, so the app never writes it',
    destructive: false,
    needsApproval: false,
  };
}

/** A replica the heal or a running operation owns for now; undefined when it is settled. */
function unsettledStep(current: ReplicaView): PlanStep | undefined {
  const state = current.provisioningState.toLowerCase();
  if (state === 'succeeded') return undefined;
  const location = normaliseRegion(current.location);
  const reason =
    state === 'failed' || state === 'canceled'
      ? `${current.provisioningState}: left to the heal, which recreates it with its settings; plan again once it is healed`
      : state === 'deleting'
        ? 'Deleting: an operation is under way; plan again once it is gone'
        : `${current.provisioningState}: an operation is under way (the heal takes over if it stays stuck); plan again once it settles`;
  return {
    kind: 'skip',
    location,
    replicaName: current.name,
    reason,
    destructive: false,
    needsApproval: false,
  };
}

function createStep(location: string, desired: DeclaredSettings, input: PlanInput): PlanStep {
  const settings: ReplicaSettings = {
    regionEndpointEnabled: desired.regionEndpointEnabled ?? true,
    zoneRedundancy: desired.zoneRedundancy ?? 'Disabled',
    tags: { ...desired.tags },
  };
  return {
    kind: 'create',
    location,
    replicaName: defaultReplicaName(location),
    reason: 'declared, but the registry has no replica in this region',
    settings,
    destructive: false,
    needsApproval: false,
    ...blockedByPermission(input),
    estimate: createEstimate(input.sizeGiB),
    risk: {
      level: 'low',
      note: 'adds a replica; it serves pulls once its content has been copied',
    },
  };
}

function changeStep(current: ReplicaView, desired: DeclaredSettings, input: PlanInput): PlanStep {
  const location = normaliseRegion(current.location);
  const changes = settingChanges(current, desired);
  if (changes.length === 0) {
    return {
      kind: 'none',
      location,
      replicaName: current.name,
      reason: 'in sync with the declaration',
      destructive: false,
      needsApproval: false,
    };
  }
  const update: UpdateReplicaRequest = Object.fromEntries(
    changes.map((change) => [change.setting, change.to]),
  );
  const zones = changes.some((change) => change.setting === 'zoneRedundancy');
  if (!zones) {
    const tagsOnly = changes.every((change) => change.setting === 'tags');
    const endpointOff = desired.regionEndpointEnabled === false && current.regionEndpointEnabled;
    return {
      kind: 'update',
      location,
      replicaName: current.name,
      reason: `differs from the declaration in ${changes.map((c) => c.setting).join(', ')}`,
      changes,
      update,
      destructive: false,
      needsApproval: false,
      estimate: {
        minutes: tagsOnly ? ESTIMATES.tagsMinutes : ESTIMATES.updateMinutes,
        basis: tagsOnly ? 'a tags-only change is applied at once' : 'an update of the replica in place',
      },
      risk: endpointOff
        ? {
            level: 'medium',
            note: 'turns the regional endpoint off: clients that pull through it must use the registry endpoint',
          }
        : { level: 'low', note: 'changes the replica in place; its content stays' },
    };
  }
  const create = createEstimate(input.sizeGiB);
  const minutes = ESTIMATES.deleteMinutes + ESTIMATES.nameReleaseMinutes + create.minutes;
  return {
    kind: 'recreate',
    location,
    replicaName: current.name,
    reason:
      'zone redundancy differs, and it can only be changed by deleting the replica and creating it again',
    changes,
    update,
    settings: {
      regionEndpointEnabled: desired.regionEndpointEnabled ?? current.regionEndpointEnabled,
      zoneRedundancy: desired.zoneRedundancy ?? current.zoneRedundancy,
      tags: { ...(desired.tags ?? current.tags) },
    },
    destructive: true,
    needsApproval: false,
    ...blockedByPermission(input),
    estimate: {
      minutes,
      basis: `delete (${ESTIMATES.deleteMinutes} min), the name's release (${ESTIMATES.nameReleaseMinutes} min), then a create: ${create.basis}`,
    },
    risk: contentRisk(
      input.sizeGiB,
      `the replica is deleted first: pulls in ${location} go to other regions and its content is copied again`,
      create.minutes,
    ),
  };
}

function deleteStep(current: ReplicaView, input: PlanInput): PlanStep {
  const create = createEstimate(input.sizeGiB);
  return {
    kind: 'delete',
    location: normaliseRegion(current.location),
    replicaName: current.name,
    reason: 'not declared',
    destructive: true,
    needsApproval: false,
    estimate: { minutes: ESTIMATES.deleteMinutes, basis: 'a delete, confirmed by several reads' },
    risk: contentRisk(input.sizeGiB, 'deletes the replica and its synced content', create.minutes),
  };
}

/** Creates (and recreates) on a registry with private endpoints need the private-link permission first. */
function grantStep(steps: readonly PlanStep[], input: PlanInput): PlanStep | undefined {
  const privateLink = input.privateLink;
  const creates = steps.some((step) => step.kind === 'create' || step.kind === 'recreate');
  if (!creates || privateLink === undefined || privateLink.missingAt.length === 0) return undefined;
  if (input.approval.registryPolicy !== 'auto') return undefined;
  return {
    kind: 'grant',
    reason: `prevention: the app's identity lacks ${PRIVATE_LINK_ACTION} at ${privateLink.missingAt.length} of the registry's private endpoints, and a replica created without it stays stuck in provisioning`,
    privateEndpoints: [...privateLink.missingAt],
    destructive: false,
    needsApproval: false,
    estimate: {
      minutes: ESTIMATES.grantMinutes,
      basis: 'a role assignment, then waiting until it is effective',
    },
    risk: {
      level: 'low',
      note: `assigns the app's own least-privilege role holding only ${PRIVATE_LINK_ACTION}`,
    },
  };
}

/** Under a policy other than auto the app may not grant the permission: creates would get stuck. */
function blockedByPermission(input: PlanInput): { blocked?: string } {
  const privateLink = input.privateLink;
  if (privateLink === undefined || privateLink.missingAt.length === 0) return {};
  if (input.approval.registryPolicy === 'auto') return {};
  return {
    blocked: `the app's identity lacks ${PRIVATE_LINK_ACTION} at ${privateLink.missingAt.join(', ')} and the registry's heal policy (${input.approval.registryPolicy}) does not let the app grant it; grant it by hand, then apply again`,
  };
}

function settingChanges(current: ReplicaView, desired: DeclaredSettings): SettingChange[] {
  const changes: SettingChange[] = [];
  if (
    desired.regionEndpointEnabled !== undefined &&
    desired.regionEndpointEnabled !== current.regionEndpointEnabled
  ) {
    changes.push({
      setting: 'regionEndpointEnabled',
      from: current.regionEndpointEnabled,
      to: desired.regionEndpointEnabled,
    });
  }
  if (desired.zoneRedundancy !== undefined && desired.zoneRedundancy !== current.zoneRedundancy) {
    changes.push({ setting: 'zoneRedundancy', from: current.zoneRedundancy, to: desired.zoneRedundancy });
  }
  if (desired.tags !== undefined && !sameTags(desired.tags, current.tags)) {
    changes.push({ setting: 'tags', from: current.tags, to: desired.tags });
  }
  return changes;
}

function createEstimate(sizeGiB: number | undefined): { minutes: number; basis: string } {
  if (sizeGiB === undefined) {
    return {
      minutes: ESTIMATES.createBaseMinutes,
      basis: `at least ${ESTIMATES.createBaseMinutes} min; the registry's size is unknown, and creation grows with it (about ${ESTIMATES.createMinutesPerGiB} min per GiB)`,
    };
  }
  const minutes = Math.ceil(ESTIMATES.createBaseMinutes + ESTIMATES.createMinutesPerGiB * sizeGiB);
  return {
    minutes,
    basis: `${ESTIMATES.createBaseMinutes} min + ${ESTIMATES.createMinutesPerGiB} min per GiB of the registry's ${formatGiB(sizeGiB)} GiB`,
  };
}

function contentRisk(
  sizeGiB: number | undefined,
  what: string,
  rebuildMinutes: number,
): { level: Risk; note: string } {
  const large = sizeGiB === undefined || sizeGiB >= LARGE_REGISTRY_GIB;
  const size = sizeGiB === undefined ? 'an unknown amount of' : `${formatGiB(sizeGiB)} GiB of`;
  return {
    level: large ? 'high' : 'medium',
    note: `${what}; it holds ${size} synced content, and rebuilding it takes about ${formatMinutes(rebuildMinutes)}${sizeGiB === undefined ? ' or more' : ''}`,
  };
}

function formatGiB(sizeGiB: number): string {
  return sizeGiB >= 10 ? String(Math.round(sizeGiB)) : String(Math.round(sizeGiB * 10) / 10);
}

/** 45 min, 3 h 20 min, 2 d 4 h. */
export function formatMinutes(minutes: number): string {
  const whole = Math.max(0, Math.round(minutes));
  if (whole < 60) return `${whole} min`;
  const hours = Math.floor(whole / 60);
  if (hours < 48) return whole % 60 === 0 ? `${hours} h` : `${hours} h ${whole % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

/**
 * Whether a step waits for a person. Deletes and recreates lose synced content: they always wait, unless
 * a person asked for the apply and the declaration allows deletes; an apply started by drift never
 * deletes without an approval. Under the `approve` policy (the registry's, or the declaration's drift
 * policy for drift) every change waits. The grant needs none: only `auto` plans one.
 */
export function approvalRule(
  step: Pick<PlanStep, 'kind' | 'destructive'>,
  declaration: Pick<DesiredReplicaSet, 'allowDeletes' | 'drift'>,
  approval: ApprovalContext,
): boolean {
  if (!isChange(step as PlanStep) || step.kind === 'grant') return false;
  const policy: HealPolicy | DriftPolicy =
    approval.trigger === 'drift' ? declaration.drift : approval.registryPolicy;
  if (policy === 'approve') return true;
  if (!step.destructive) return false;
  return approval.trigger === 'drift' || !declaration.allowDeletes;
}

/**
 * Minutes an apply takes, approvals aside: the grant first, then each group of steps (creates, updates,
 * recreates, deletes) with `parallelism` at a time, each group after the one before; steps that need an
 * approval run after the others.
 */
export function estimateTotalMinutes(steps: readonly PlanStep[], parallelism: number): number {
  const runnable = steps.filter((step) => isChange(step) && step.blocked === undefined);
  const stage = (needsApproval: boolean): number =>
    (['grant', 'create', 'update', 'recreate', 'delete'] as const)
      .map((kind) =>
        laneMinutes(
          runnable
            .filter((s) => s.kind === kind && s.needsApproval === needsApproval)
            .map((s) => s.estimate?.minutes ?? 0),
          kind === 'grant' ? 1 : parallelism,
        ),
      )
      .reduce((a, b) => a + b, 0);
  return stage(false) + stage(true);
}

/** The finishing time of jobs taken in order by the first free of `lanes` workers. */
function laneMinutes(durations: readonly number[], lanes: number): number {
  const free = Array.from({ length: Math.max(1, lanes) }, () => 0);
  for (const duration of durations) {
    const earliest = Math.min(...free);
    free[free.indexOf(earliest)] = earliest + duration;
  }
  return Math.max(0, ...free);
}

/** How a registry differs from its declaration, as a sweep reports it. */
export interface ReplicaSetDrift {
  /** Declared regions without a replica. */
  missing: string[];
  /** Replicas in regions not declared (never the home region). */
  extra: { location: string; replicaName: string }[];
  /** Replicas whose settings differ. */
  misconfigured: { location: string; replicaName: string; settings: SettingName[] }[];
}

export function driftOf(plan: Pick<ReplicaSetPlan, 'steps'>): ReplicaSetDrift {
  const drift: ReplicaSetDrift = { missing: [], extra: [], misconfigured: [] };
  for (const step of plan.steps) {
    const location = step.location ?? '';
    const replicaName = step.replicaName ?? '';
    if (step.kind === 'create') drift.missing.push(location);
    if (step.kind === 'delete') drift.extra.push({ location, replicaName });
    if (step.kind === 'update' || step.kind === 'recreate') {
      drift.misconfigured.push({
        location,
        replicaName,
        settings: (step.changes ?? []).map((change) => change.setting),
      });
    }
  }
  return drift;
}

export function hasDrift(drift: ReplicaSetDrift): boolean {
  return drift.missing.length + drift.extra.length + drift.misconfigured.length > 0;
}

/** One line per step, for chat, approval requests and dry runs. */
export function describeStep(step: PlanStep): string {
  const where = step.location === undefined ? '' : ` ${step.location}`;
  const name =
    step.replicaName !== undefined && step.location !== undefined && step.replicaName !== step.location
      ? ` (replica ${step.replicaName})`
      : '';
  const changes =
    step.changes === undefined || step.changes.length === 0
      ? ''
      : `: ${step.changes.map((c) => `${c.setting} ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`).join(', ')}`;
  const time = step.estimate === undefined ? '' : `, ~${formatMinutes(step.estimate.minutes)}`;
  const risk = step.risk === undefined || step.risk.level === 'low' ? '' : `, ${step.risk.level} risk`;
  const gate = step.blocked !== undefined ? ' [blocked]' : step.needsApproval ? ' [needs approval]' : '';
  const why =
    step.kind === 'none' || step.kind === 'skip' || step.kind === 'grant' ? ` — ${step.reason}` : '';
  return `${step.kind}${where}${name}${changes}${time}${risk}${gate}${why}`;
}
