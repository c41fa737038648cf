// Orchestrations turn a failed activity or sub-orchestration into a result with a reason; the reason is
// what people read, so it leaves out the engine's prefix and the stack.

/** The first line of a failed activity or sub-orchestration as Durable reports it, without the stack. */
export function failureMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const firstLine = text.split('\n')[0] ?? text;
  return firstLine.replace(/^(Orchestrator|Activity) function '[^']+' failed: /g, '').slice(0, 500);
}
