// The functions the Durable extension knows by type. Scheduling an activity or a sub-orchestration whose
// name is not among them throws in DurableOrchestrationContext (DurableTaskExtension
// .ThrowIfFunctionDoesNotExist), which fails the orchestration at once. Names compare case-insensitively.

export interface KnownFunctions {
  activities: readonly string[];
  orchestrators: readonly string[];
}

const has = (names: readonly string[], name: string): boolean =>
  names.some((n) => n.toLowerCase() === name.toLowerCase());

const list = (names: readonly string[]): string => `'${names.join("', '")}'`;

export function unknownActivityProblem(known: KnownFunctions, name: string): string | undefined {
  if (has(known.activities, name)) {
    return undefined;
  }
  const info =
    known.activities.length > 0
      ? `The following are the known activity functions: ${list(known.activities)}.`
      : 'No activity functions are currently registered!';
  return `The function '${name}' doesn't exist, is disabled, or is not an activity function. Additional info: ${info}`;
}

export function unknownOrchestratorProblem(known: KnownFunctions, name: string): string | undefined {
  if (has(known.orchestrators, name)) {
    return undefined;
  }
  const info =
    known.orchestrators.length > 0
      ? `The following are the known orchestrator functions: ${list(known.orchestrators)}.`
      : 'No orchestrator functions are currently registered!';
  return `The function '${name}' doesn't exist, is disabled, or is not an orchestrator function. Additional info: ${info}`;
}
