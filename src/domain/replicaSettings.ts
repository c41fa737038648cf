import {
  expectBoolean,
  expectString,
  isJsonObject,
  optionalField,
  ownField,
  requiredField,
  unknownFieldErrors,
} from './jsonFields';
import type { JsonObject } from './jsonFields';
import { defaultReplicaName, normaliseRegion } from './region';
import { validateReplicaName } from './resourceId';
import { parseTags, sameTags } from './tags';
import type { Tags } from './tags';
import { collectErrors, throwIfAny, ValidationError, ValidationErrors } from './validationError';

export type ZoneRedundancy = 'Enabled' | 'Disabled';

/** What a caller controls on a replica besides its region and name. */
export interface ReplicaSettings {
  readonly regionEndpointEnabled: boolean;
  readonly zoneRedundancy: ZoneRedundancy;
  readonly tags: Tags;
}

export type SettingName = keyof ReplicaSettings;

/** ARM's defaults for a new replication. */
export const DEFAULT_REPLICA_SETTINGS: ReplicaSettings = Object.freeze({
  regionEndpointEnabled: true,
  zoneRedundancy: 'Disabled',
  tags: Object.freeze({}),
});

export interface CreateReplicaRequest {
  /** Normalised region name, e.g. "westeurope". */
  readonly location: string;
  /** Replica name; the region name unless the caller gave one. */
  readonly name: string;
  readonly settings: ReplicaSettings;
}

/** Only the settings the caller asked to change. `zoneRedundancy` is present only when a recreate was confirmed. */
export interface UpdateReplicaRequest {
  readonly regionEndpointEnabled?: boolean;
  readonly tags?: Tags;
  readonly zoneRedundancy?: ZoneRedundancy;
}

/** The field that names the whole request body in errors. */
export const BODY_FIELD = 'body';

const CREATE_FIELDS = ['location', 'name', 'regionEndpointEnabled', 'zoneRedundancy', 'tags'];
const UPDATE_FIELDS = ['regionEndpointEnabled', 'tags', 'zoneRedundancy', 'recreate'];

/** Parses a create body; throws ValidationErrors listing every bad field. */
export function parseCreateReplicaRequest(body: unknown): CreateReplicaRequest {
  const object = expectBody(body);
  const errors = unknownFieldErrors(object, CREATE_FIELDS);
  const location = collectErrors(errors, undefined, () => requiredField(object, 'location', parseLocation));
  const name = collectErrors(errors, '', () => parseName(object, location));
  const setting = <T>(name: string, parse: (value: unknown, field: string) => T, fallback: T): T =>
    collectErrors(errors, fallback, () => optionalField(object, name, parse) ?? fallback);
  const defaults = DEFAULT_REPLICA_SETTINGS;
  const settings: ReplicaSettings = {
    regionEndpointEnabled: setting('regionEndpointEnabled', expectBoolean, defaults.regionEndpointEnabled),
    zoneRedundancy: setting('zoneRedundancy', parseZoneRedundancy, defaults.zoneRedundancy),
    tags: setting('tags', parseTags, defaults.tags),
  };
  throwIfAny(errors);
  return { location: location ?? '', name, settings };
}

/** Parses an update body; throws ValidationErrors listing every bad field. */
export function parseUpdateReplicaRequest(body: unknown): UpdateReplicaRequest {
  const object = expectBody(body);
  const errors = unknownFieldErrors(object, UPDATE_FIELDS);
  const field = <T>(name: string, parse: (value: unknown, field: string) => T): T | undefined =>
    collectErrors(errors, undefined, () => optionalField(object, name, parse));
  const regionEndpointEnabled = field('regionEndpointEnabled', expectBoolean);
  const tags = field('tags', parseTags);
  const zoneRedundancy = field('zoneRedundancy', parseZoneRedundancy);
  const recreate = field('recreate', expectBoolean);
  if (zoneRedundancy !== undefined && recreate !== true) {
    errors.push(
      new ValidationError(
        'zoneRedundancy',
        'changing zone redundancy deletes and recreates the replica; send "recreate": true to confirm',
      ),
    );
  }
  if (recreate === true && ownField(object, 'zoneRedundancy') === undefined) {
    errors.push(
      new ValidationError('recreate', 'only confirms a zoneRedundancy change; send zoneRedundancy too'),
    );
  }
  if (
    errors.length === 0 &&
    regionEndpointEnabled === undefined &&
    tags === undefined &&
    zoneRedundancy === undefined
  ) {
    errors.push(
      new ValidationError(
        BODY_FIELD,
        'nothing to update: give regionEndpointEnabled, tags or zoneRedundancy',
      ),
    );
  }
  throwIfAny(errors);
  // Absent means unchanged, so absent fields stay absent rather than becoming undefined-valued keys.
  return {
    ...(regionEndpointEnabled !== undefined && { regionEndpointEnabled }),
    ...(tags !== undefined && { tags }),
    ...(zoneRedundancy !== undefined && { zoneRedundancy }),
  };
}

/** The settings after an update; tags are replaced as a whole, as an ARM PATCH does. */
export function applyUpdate(current: ReplicaSettings, update: UpdateReplicaRequest): ReplicaSettings {
  return {
    regionEndpointEnabled: update.regionEndpointEnabled ?? current.regionEndpointEnabled,
    zoneRedundancy: update.zoneRedundancy ?? current.zoneRedundancy,
    tags: update.tags ?? current.tags,
  };
}

/** The settings that differ, in a fixed order. */
export function diffSettings(current: ReplicaSettings, desired: ReplicaSettings): SettingName[] {
  const changed: SettingName[] = [];
  if (current.regionEndpointEnabled !== desired.regionEndpointEnabled) changed.push('regionEndpointEnabled');
  if (current.zoneRedundancy !== desired.zoneRedundancy) changed.push('zoneRedundancy');
  if (!sameTags(current.tags, desired.tags)) changed.push('tags');
  return changed;
}

/** ARM enum values compare case-insensitively; the canonical spelling is returned. */
export function parseZoneRedundancy(value: unknown, field = 'zoneRedundancy'): ZoneRedundancy {
  const text = expectString(value, field).toLowerCase();
  if (text === 'enabled') return 'Enabled';
  if (text === 'disabled') return 'Disabled';
  throw new ValidationError(field, 'must be "Enabled" or "Disabled"', value);
}

// A body that is not an object has no fields to blame, so the error names the body itself.
function expectBody(body: unknown): JsonObject {
  if (isJsonObject(body)) return body;
  throw new ValidationErrors([new ValidationError(BODY_FIELD, 'must be a JSON object')]);
}

function parseLocation(value: unknown, field: string): string {
  return normaliseRegion(expectString(value, field), field);
}

// Without a valid location there is no default to derive; the location error already says why.
function parseName(object: JsonObject, location: string | undefined): string {
  const name = optionalField(object, 'name', (value, field) =>
    validateReplicaName(expectString(value, field), field),
  );
  if (name !== undefined) return name;
  return location === undefined ? '' : defaultReplicaName(location);
}
