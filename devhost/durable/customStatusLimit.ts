// The custom status limit of the Durable extension: DurableOrchestrationContext.SetCustomStatus serializes
// the value with a 16 KB cap on its UTF-16 size (MessagePayloadDataConverter.Serialize), and the
// ArgumentException it throws fails the orchestration.

export const MAX_CUSTOM_STATUS_KB = 16;

/** The extension's error for an oversized custom status (JSON text), or undefined when it fits. */
export function customStatusProblem(json: string): string | undefined {
  // Encoding.Unicode.GetByteCount / 1024, truncated: two bytes per UTF-16 code unit.
  const sizeInKb = Math.floor((json.length * 2) / 1024);
  if (sizeInKb <= MAX_CUSTOM_STATUS_KB) {
    return undefined;
  }
  return `The UTF-16 size of the JSON-serialized payload must not exceed ${MAX_CUSTOM_STATUS_KB} KB. The current payload size is ${sizeInKb.toLocaleString('en-US')} KB.`;
}
