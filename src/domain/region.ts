import { isValidReplicaName } from './resourceId';
import { ValidationError } from './validationError';

const MAX_REGION_LENGTH = 40;

// ARM reports a region as a name ("westeurope") or a display name ("West Europe"); both reduce to the name.
function canonical(text: string): string {
  return text.toLowerCase().replace(/[\s_-]+/g, '');
}

/** "West Europe" → "westeurope", " eastus2 " → "eastus2". Does not check the region exists. */
export function normaliseRegion(text: string, field = 'location'): string {
  const region = canonical(text);
  if (region === '') throw new ValidationError(field, 'must name an Azure region', text);
  if (!/^[a-z0-9]+$/.test(region)) {
    throw new ValidationError(
      field,
      'must be a region name of letters and digits, such as westeurope or "West Europe"',
      text,
    );
  }
  if (region.length > MAX_REGION_LENGTH) {
    throw new ValidationError(field, `must be at most ${MAX_REGION_LENGTH} characters`, text);
  }
  return region;
}

/** Compares two region names or display names; never throws. */
export function sameRegion(a: string, b: string): boolean {
  return canonical(a) === canonical(b);
}

/** A replica is named after its region by convention; some region names do not fit the naming rule. */
export function defaultReplicaName(region: string): string {
  if (isValidReplicaName(region)) return region;
  throw new ValidationError(
    'name',
    `region "${region}" does not make a valid replica name (5 to 50 ASCII letters and digits); give a name`,
  );
}
