// The instance ids the Durable extension accepts. DurableClient.StartNewAsync refuses ids that start with
// `@` (entity ids), contain `/ \ # ?` or control characters, or are longer than 256 characters, with an
// ArgumentException (the HTTP API answers 400). The messages are the extension's, including its swapped
// ArgumentException arguments, which .NET prints as "instanceId (Parameter '...')".

export const MAX_INSTANCE_ID_LENGTH = 256;

const isInvalidCharacter = (c: string): boolean => {
  const code = c.charCodeAt(0);
  // char.IsControl: U+0000-U+001F and U+007F-U+009F.
  return c === '/' || c === '\\' || c === '?' || c === '#' || code <= 0x1f || (code >= 0x7f && code <= 0x9f);
};

/** Why the extension refuses `instanceId` at start, or undefined when it accepts it. */
export function instanceIdProblem(instanceId: string): string | undefined {
  if (instanceId.startsWith('@')) {
    return "instanceId (Parameter 'Orchestration instance ids must not start with @.')";
  }
  if ([...instanceId].some(isInvalidCharacter)) {
    return "instanceId (Parameter 'Orchestration instance ids must not contain /, \\, #, ?, or control characters.')";
  }
  if (instanceId.length > MAX_INSTANCE_ID_LENGTH) {
    return `Instance ID lengths must not exceed ${MAX_INSTANCE_ID_LENGTH} characters.`;
  }
  return undefined;
}

/**
 * Why the extension refuses a sub-orchestration's instance id (DurableOrchestrationContext): its own id or
 * its parent's (compared case-insensitively), or one starting with `@`. The devhost also applies the
 * client's rules, which the extension does not check here: such an id could not be addressed through the
 * HTTP API, so nothing the app does should depend on it.
 */
export function subOrchestrationIdProblem(
  instanceId: string,
  ownInstanceId: string | undefined,
  parentInstanceId: string | null | undefined,
): string | undefined {
  const same = (other: string | null | undefined): boolean =>
    other !== undefined && other !== null && other.toLowerCase() === instanceId.toLowerCase();
  if (same(ownInstanceId) || same(parentInstanceId)) {
    return 'The instance ID of a sub-orchestration must be different than the instance ID of a parent orchestration.';
  }
  if (instanceId.startsWith('@')) {
    return "instanceId (Parameter 'Orchestration instance ids must not start with @')";
  }
  return instanceIdProblem(instanceId);
}
