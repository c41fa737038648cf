// Operation ids are the Durable instance ids this app makes; anything else is refused before it reaches
// the engine.
import { MAX_INSTANCE_ID_LENGTH } from './instanceId';
import { ValidationError } from './validationError';

const OPERATION_ID = new RegExp(`^[A-Za-z0-9:|~._-]{1,${MAX_INSTANCE_ID_LENGTH}}$`);

/** Operation ids have no `/ \\ # ?` and no control characters. */
export function parseOperationId(value: string | undefined): string {
  const id = value ?? '';
  if (!OPERATION_ID.test(id)) throw new ValidationError('id', 'not an operation id of this app');
  return id;
}
