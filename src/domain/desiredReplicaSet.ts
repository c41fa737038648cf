// A registry's desired replica set: the regions it must be replicated to and, for each, the settings the
// app keeps them at. Pure: parsing and checking a declaration, the settings each region ends up with,
// a declaration made from what a registry has now, and what changed between two versions.
import {
  expectBoolean,
  expectObject,
  expectString,
  isJsonObject,
  optionalField,
  ownField,
  unknownFieldErrors,
} from './jsonFields';
import type { JsonObject } from './jsonFields';
import { namedInstanceId } from './instanceId';
import { defaultReplicaName, normaliseRegion, sameRegion } from './region';
import type { ReplicaView } from './registryView';
import { registryKey } from './resourceId';
import type { RegistryId } from './resourceId';
import { BODY_FIELD, parseZoneRedundancy } from './replicaSettings';
import type { SettingName, ZoneRedundancy } from './replicaSettings';
import { MAX_TAGS, parseTags, sameTags } from './tags';
import type { Tags } from './tags';
import { collectErrors, throwIfAny, ValidationError, ValidationErrors } from './validationError';

/** What a sweep does when a registry no longer matches its declaration. */
export type DriftPolicy = 'report' | 'approve' | 'auto';

/** Settings a declaration may give; one that is given nowhere is not managed (see effectiveSettings). */
export interface DeclaredSettings {
  readonly regionEndpointEnabled?: boolean;
  readonly zoneRedundancy?: ZoneRedundancy;
  readonly tags?: Tags;
}

export interface DeclaredReplica extends DeclaredSettings {
  /** Normalised region name, e.g. "westeurope". */
  readonly location: string;
}

export interface DesiredReplicaSet {
  /** One entry per region, sorted by region; the home region may be among them (without settings). */
  readonly replicas: readonly DeclaredReplica[];
  /** Settings every listed region gets unless its entry says otherwise. */
  readonly defaults: DeclaredSettings;
  /** Lets an apply someone asked for delete and recreate replicas without an approval. */
  readonly allowDeletes: boolean;
  readonly drift: DriftPolicy;
}

/** One apply per registry at a time: it runs under this instance id. */
export function desiredReplicasInstanceId(registry: RegistryId): string {
  return namedInstanceId('desired', registryKey(registry));
}

/** A registry can have at most one replica per region; Azure has fewer regions than this. */
export const MAX_DECLARED_REPLICAS = 100;

const SET_FIELDS = ['replicas', 'defaults', 'allowDeletes', 'drift'];
const REPLICA_FIELDS = ['location', 'regionEndpointEnabled', 'zoneRedundancy', 'tags'];
const SETTING_FIELDS = ['regionEndpointEnabled', 'zoneRedundancy', 'tags'];
const IMPORT_FIELDS = ['allowDeletes', 'drift'];
const DRIFT_POLICIES: readonly DriftPolicy[] = ['report', 'approve', 'auto'];
/** Safe by default: deletes wait for an approval, and drift is only reported. */
const DEFAULT_OPTIONS: Pick<DesiredReplicaSet, 'allowDeletes' | 'drift'> = {
  allowDeletes: false,
  drift: 'report',
};

/** Parses a declaration body; throws ValidationErrors naming every bad field (`replicas[2].tags.env`). */
export function parseDesiredReplicaSet(body: unknown): DesiredReplicaSet {
  const object = expectBody(body);
  const errors = unknownFieldErrors(object, SET_FIELDS);
  const defaults = collectErrors<DeclaredSettings>(errors, {}, () =>
    parseSettings(ownField(object, 'defaults') ?? {}, 'defaults'),
  );
  const replicas = collectErrors<DeclaredReplica[]>(errors, [], () =>
    parseReplicas(ownField(object, 'replicas'), defaults),
  );
  const options = collectErrors(errors, DEFAULT_OPTIONS, () => parseOptions(object));
  throwIfAny(errors);
  return { replicas: sortByRegion(replicas), defaults, ...options };
}

/** The options an import may set (`allowDeletes`, `drift`); an absent body takes the defaults. */
export function parseImportOptions(body: unknown): Pick<DesiredReplicaSet, 'allowDeletes' | 'drift'> {
  if (body === undefined) return DEFAULT_OPTIONS;
  const object = expectBody(body);
  const errors = unknownFieldErrors(object, IMPORT_FIELDS);
  const options = collectErrors(errors, DEFAULT_OPTIONS, () => parseOptions(object));
  throwIfAny(errors);
  return options;
}

function parseOptions(object: JsonObject): Pick<DesiredReplicaSet, 'allowDeletes' | 'drift'> {
  const errors: ValidationError[] = [];
  const allowDeletes = collectErrors(
    errors,
    false,
    () => optionalField(object, 'allowDeletes', expectBoolean) ?? false,
  );
  const drift = collectErrors<DriftPolicy>(
    errors,
    'report',
    () => optionalField(object, 'drift', parseDriftPolicy) ?? 'report',
  );
  throwIfAny(errors);
  return { allowDeletes, drift };
}

function parseDriftPolicy(value: unknown, field: string): DriftPolicy {
  const text = expectString(value, field);
  const policy = DRIFT_POLICIES.find((p) => p === text.toLowerCase());
  if (policy === undefined) throw new ValidationError(field, 'must be "report", "approve" or "auto"', value);
  return policy;
}

function parseReplicas(value: unknown, defaults: DeclaredSettings): DeclaredReplica[] {
  if (value === undefined) throw new ValidationError('replicas', 'is required: a list of {"location": ...}');
  if (!Array.isArray(value)) throw new ValidationError('replicas', 'must be a list', value);
  if (value.length > MAX_DECLARED_REPLICAS) {
    throw new ValidationError('replicas', `at most ${MAX_DECLARED_REPLICAS} regions may be declared`);
  }
  const errors: ValidationError[] = [];
  const seen = new Map<string, number>();
  const replicas: DeclaredReplica[] = [];
  value.forEach((item: unknown, index) => {
    const field = `replicas[${index}]`;
    const replica = collectErrors<DeclaredReplica | undefined>(errors, undefined, () =>
      parseReplica(item, field, defaults),
    );
    // A repeated region is reported even when its entry has other faults.
    const location = replica?.location ?? regionOf(item);
    const earlier = location === undefined ? undefined : seen.get(location);
    if (location !== undefined && earlier !== undefined) {
      errors.push(
        new ValidationError(
          `${field}.location`,
          `${location} is already declared at replicas[${earlier}]; a registry has one replica per region`,
        ),
      );
      return;
    }
    if (location !== undefined) seen.set(location, index);
    if (replica !== undefined) replicas.push(replica);
  });
  throwIfAny(errors);
  return replicas;
}

/** The region an entry names, when it names a valid one; undefined otherwise (never throws). */
function regionOf(item: unknown): string | undefined {
  if (!isJsonObject(item)) return undefined;
  const location = ownField(item, 'location');
  if (typeof location !== 'string') return undefined;
  try {
    return normaliseRegion(location);
  } catch {
    return undefined;
  }
}

function parseReplica(value: unknown, field: string, defaults: DeclaredSettings): DeclaredReplica {
  const object = expectObject(value, field);
  const errors = unknownFieldErrors(object, REPLICA_FIELDS).map(
    (error) => new ValidationError(`${field}.${error.field}`, error.reason),
  );
  const location = collectErrors<string | undefined>(errors, undefined, () => {
    const text = ownField(object, 'location');
    if (text === undefined) throw new ValidationError(`${field}.location`, 'is required');
    const region = normaliseRegion(expectString(text, `${field}.location`), `${field}.location`);
    checkReplicaName(region, `${field}.location`);
    return region;
  });
  const settings = collectErrors<DeclaredSettings>(errors, {}, () =>
    parseSettingFields(object, field, defaults),
  );
  throwIfAny(errors);
  return { location: location ?? '', ...settings };
}

/** A region whose name is not a valid replica name cannot be created under the naming convention. */
function checkReplicaName(region: string, field: string): void {
  try {
    defaultReplicaName(region);
  } catch {
    throw new ValidationError(
      field,
      'does not make a replica name (5 to 50 letters and digits); this region cannot be declared',
      region,
    );
  }
}

function parseSettings(value: unknown, field: string): DeclaredSettings {
  const object = expectObject(value, field);
  const errors = unknownFieldErrors(object, SETTING_FIELDS).map(
    (error) => new ValidationError(`${field}.${error.field}`, error.reason),
  );
  const settings = collectErrors<DeclaredSettings>(errors, {}, () => parseSettingFields(object, field, {}));
  throwIfAny(errors);
  return settings;
}

/** The setting fields of an object; `defaults` only bounds how many tags a region ends up with. */
function parseSettingFields(object: JsonObject, field: string, defaults: DeclaredSettings): DeclaredSettings {
  const errors: ValidationError[] = [];
  const read = <T>(name: string, parse: (value: unknown, field: string) => T): T | undefined =>
    collectErrors<T | undefined>(errors, undefined, () => {
      const value = ownField(object, name);
      return value === undefined ? undefined : parse(value, `${field}.${name}`);
    });
  const regionEndpointEnabled = read('regionEndpointEnabled', expectBoolean);
  const zoneRedundancy = read('zoneRedundancy', parseZoneRedundancy);
  const tags = read('tags', parseTags);
  if (tags !== undefined && Object.keys(mergeTags(defaults.tags, tags)).length > MAX_TAGS) {
    errors.push(
      new ValidationError(
        `${field}.tags`,
        `with the default tags this region would have more than ${MAX_TAGS}`,
      ),
    );
  }
  throwIfAny(errors);
  return {
    ...(regionEndpointEnabled === undefined ? {} : { regionEndpointEnabled }),
    ...(zoneRedundancy === undefined ? {} : { zoneRedundancy }),
    ...(tags === undefined ? {} : { tags }),
  };
}

function expectBody(body: unknown): JsonObject {
  if (isJsonObject(body)) return body;
  throw new ValidationErrors([new ValidationError(BODY_FIELD, 'must be a JSON object')]);
}

function sortByRegion<T extends { location: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.location < b.location ? -1 : a.location > b.location ? 1 : 0));
}

/** Whether an entry gives any setting of its own. */
export function hasOwnSettings(replica: DeclaredReplica): boolean {
  return SETTING_FIELDS.some((name) => Object.hasOwn(replica, name));
}

/** Declared entries in the home region that give settings: the app never writes the home replica. */
export function homeRegionEntriesWithSettings(set: DesiredReplicaSet, homeRegion: string): string[] {
  return set.replicas
    .filter((replica) => sameRegion(replica.location, homeRegion) && hasOwnSettings(replica))
    .map((replica) => replica.location);
}

/**
 * The settings a region is kept at: its entry's, else the defaults'. A setting given in neither is not
 * managed (absent here): existing replicas keep theirs, new ones get ARM's default. Tags merge: the
 * entry's tags are added to the defaults' (a tag named in both takes the entry's value).
 */
export function effectiveSettings(set: DesiredReplicaSet, replica: DeclaredReplica): DeclaredSettings {
  const regionEndpointEnabled = replica.regionEndpointEnabled ?? set.defaults.regionEndpointEnabled;
  const zoneRedundancy = replica.zoneRedundancy ?? set.defaults.zoneRedundancy;
  const tags =
    replica.tags === undefined && set.defaults.tags === undefined
      ? undefined
      : mergeTags(set.defaults.tags, replica.tags);
  return {
    ...(regionEndpointEnabled === undefined ? {} : { regionEndpointEnabled }),
    ...(zoneRedundancy === undefined ? {} : { zoneRedundancy }),
    ...(tags === undefined ? {} : { tags }),
  };
}

/** Tag names compare case-insensitively in ARM: an override replaces a default whatever its case. */
function mergeTags(defaults: Tags | undefined, overrides: Tags | undefined): Tags {
  const merged: Record<string, string> = { ...defaults };
  for (const [name, value] of Object.entries(overrides ?? {})) {
    for (const existing of Object.keys(merged)) {
      if (existing.toLowerCase() === name.toLowerCase()) delete merged[existing];
    }
    merged[name] = value;
  }
  return merged;
}

/**
 * A declaration of what a registry has now, so a team can adopt the model without typing its fleet: every
 * region (the home region too, without settings), every setting managed, values every replica shares
 * lifted into the defaults.
 */
export function declarationFromReplicas(
  replicas: readonly ReplicaView[],
  homeRegion: string,
  options: Pick<DesiredReplicaSet, 'allowDeletes' | 'drift'>,
): DesiredReplicaSet {
  const others = replicas.filter((replica) => !sameRegion(replica.location, homeRegion));
  const shared = <T>(values: T[], same: (a: T, b: T) => boolean): T | undefined => {
    const [first] = values;
    return first !== undefined && values.every((value) => same(value, first)) ? first : undefined;
  };
  const endpoint = shared(
    others.map((r) => r.regionEndpointEnabled),
    (a, b) => a === b,
  );
  const zones = shared(
    others.map((r) => r.zoneRedundancy),
    (a, b) => a === b,
  );
  const tags = shared(
    others.map((r) => r.tags),
    sameTags,
  );
  const defaults: DeclaredSettings = {
    ...(endpoint === undefined ? {} : { regionEndpointEnabled: endpoint }),
    ...(zones === undefined ? {} : { zoneRedundancy: zones }),
    ...(tags === undefined ? {} : { tags: { ...tags } }),
  };
  const declared: DeclaredReplica[] = others.map((replica) => ({
    location: normaliseRegion(replica.location),
    ...(endpoint === undefined ? { regionEndpointEnabled: replica.regionEndpointEnabled } : {}),
    ...(zones === undefined ? { zoneRedundancy: replica.zoneRedundancy } : {}),
    ...(tags === undefined ? { tags: { ...replica.tags } } : {}),
  }));
  return {
    replicas: sortByRegion([{ location: normaliseRegion(homeRegion) }, ...declared]),
    defaults,
    ...options,
  };
}

/** A setting's value before and after. */
export interface ValueChange<T = unknown> {
  from?: T;
  to?: T;
}

/** What changed between two versions of a declaration, for the audit trail and the history. */
export interface DeclarationDiff {
  added: string[];
  removed: string[];
  changed: { location: string; settings: Partial<Record<SettingName, ValueChange>> }[];
  defaults: Partial<Record<SettingName, ValueChange>>;
  allowDeletes?: ValueChange<boolean>;
  drift?: ValueChange<DriftPolicy>;
}

/** The difference from `before` (undefined: no declaration) to `after` (undefined: deleted). */
export function diffDeclarations(
  before: DesiredReplicaSet | undefined,
  after: DesiredReplicaSet | undefined,
): DeclarationDiff {
  const old = new Map((before?.replicas ?? []).map((r) => [r.location, r]));
  const now = new Map((after?.replicas ?? []).map((r) => [r.location, r]));
  const diff: DeclarationDiff = {
    added: [...now.keys()].filter((location) => !old.has(location)),
    removed: [...old.keys()].filter((location) => !now.has(location)),
    changed: [],
    defaults: settingChanges(before?.defaults ?? {}, after?.defaults ?? {}),
  };
  for (const [location, replica] of now) {
    const previous = old.get(location);
    if (previous === undefined) continue;
    const settings = settingChanges(previous, replica);
    if (Object.keys(settings).length > 0) diff.changed.push({ location, settings });
  }
  if (before?.allowDeletes !== after?.allowDeletes) {
    diff.allowDeletes = valueChange(before?.allowDeletes, after?.allowDeletes);
  }
  if (before?.drift !== after?.drift) diff.drift = valueChange(before?.drift, after?.drift);
  return diff;
}

/** Whether a diff records no change at all. */
export function isEmptyDiff(diff: DeclarationDiff): boolean {
  return (
    diff.added.length + diff.removed.length + diff.changed.length === 0 &&
    Object.keys(diff.defaults).length === 0 &&
    diff.allowDeletes === undefined &&
    diff.drift === undefined
  );
}

function settingChanges(
  before: DeclaredSettings,
  after: DeclaredSettings,
): Partial<Record<SettingName, ValueChange>> {
  const changes: Partial<Record<SettingName, ValueChange>> = {};
  if (before.regionEndpointEnabled !== after.regionEndpointEnabled) {
    changes.regionEndpointEnabled = valueChange(before.regionEndpointEnabled, after.regionEndpointEnabled);
  }
  if (before.zoneRedundancy !== after.zoneRedundancy) {
    changes.zoneRedundancy = valueChange(before.zoneRedundancy, after.zoneRedundancy);
  }
  const tagsDiffer =
    before.tags === undefined || after.tags === undefined
      ? before.tags !== after.tags
      : !sameTags(before.tags, after.tags);
  if (tagsDiffer) changes.tags = valueChange(before.tags, after.tags);
  return changes;
}

function valueChange<T>(from: T | undefined, to: T | undefined): ValueChange<T> {
  return { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}
