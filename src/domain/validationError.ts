/** How many characters of an offending value an error repeats back to the caller. */
export const MAX_ECHOED_VALUE_LENGTH = 100;

/** The serialisable shape of one field error, as rendered in a problem+json `errors` member. */
export interface FieldError {
  readonly field: string;
  readonly reason: string;
  readonly value?: string;
}

/** One invalid input field. `field` names the input in dotted form (`location`, `tags.env`). */
export class ValidationError extends Error {
  readonly field: string;
  readonly reason: string;
  /** A short rendering of the offending value; absent unless the caller chose to echo it. */
  readonly value?: string;

  /** Pass `value` only when it is safe to repeat back (never a secret); it is shortened for display. */
  constructor(field: string, reason: string, value?: unknown) {
    super(`${field}: ${reason}`);
    this.name = 'ValidationError';
    this.field = field;
    this.reason = reason;
    if (value !== undefined) this.value = describeValue(value);
  }

  toJSON(): FieldError {
    return this.value === undefined
      ? { field: this.field, reason: this.reason }
      : { field: this.field, reason: this.reason, value: this.value };
  }
}

/** Several invalid fields of one input, reported together so a caller can fix them all at once. */
export class ValidationErrors extends Error {
  readonly errors: readonly ValidationError[];

  constructor(errors: readonly ValidationError[]) {
    super(`invalid input: ${errors.map((e) => e.message).join('; ')}`);
    this.name = 'ValidationErrors';
    this.errors = errors;
  }

  toJSON(): { errors: FieldError[] } {
    return { errors: this.errors.map((e) => e.toJSON()) };
  }
}

/** The field errors carried by `error`, or undefined when it is not a validation failure. */
export function fieldErrorsOf(error: unknown): FieldError[] | undefined {
  if (error instanceof ValidationError) return [error.toJSON()];
  if (error instanceof ValidationErrors) return error.toJSON().errors;
  return undefined;
}

/**
 * Runs `parse`; a validation failure is recorded in `errors` and `fallback` returned instead, so parsing can
 * go on to the next field. The fallback is never seen by a caller that ends with throwIfAny(errors).
 */
export function collectErrors<T>(errors: ValidationError[], fallback: T, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ValidationError) errors.push(error);
    else if (error instanceof ValidationErrors) errors.push(...error.errors);
    else throw error;
    return fallback;
  }
}

/** Throws the collected errors as one ValidationErrors, if there are any. */
export function throwIfAny(errors: readonly ValidationError[]): void {
  if (errors.length > 0) throw new ValidationErrors(errors);
}

/** Shortens text for display, marking the cut. */
export function truncate(text: string, max = MAX_ECHOED_VALUE_LENGTH): string {
  const chars = Array.from(text); // by code point, so a cut never splits a surrogate pair
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}…`;
}

// Structured values are named by kind only: echoing them could leak more than the one bad field.
function describeValue(value: unknown): string {
  if (typeof value === 'string') return truncate(value);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'array' : typeof value;
}

/** How many field errors an answer or an audit entry lists; the rest are only counted. */
export const MAX_LISTED_ERRORS = 20;
/** How many characters of a field name or reason are kept when errors are listed. */
export const MAX_LISTED_TEXT_LENGTH = 300;

/** A bounded rendering of field errors: the first MAX_LISTED_ERRORS, shortened, and a count of the rest. */
export interface ListedErrors {
  errors: FieldError[];
  /** How many errors were left out; absent when none were. */
  omittedErrors?: number;
}

/**
 * Bounds what a refusal repeats: a hostile body can hold thousands of bad fields, and listing each one
 * would make the answer (and its audit entry) larger than the request.
 */
export function listErrors(errors: readonly FieldError[]): ListedErrors {
  const listed = errors.slice(0, MAX_LISTED_ERRORS).map(({ field, reason, value }) => ({
    field: truncate(field, MAX_LISTED_TEXT_LENGTH),
    reason: truncate(reason, MAX_LISTED_TEXT_LENGTH),
    ...(value === undefined ? {} : { value: truncate(value) }),
  }));
  const omitted = errors.length - listed.length;
  return omitted > 0 ? { errors: listed, omittedErrors: omitted } : { errors: listed };
}
