// Task hub names the Durable extension accepts with the Azure Storage provider: 3 to 45 letters and
// digits, starting with a letter (AzureStorageOptions.ValidateHubName; the host refuses to start
// otherwise). The names become table, queue and blob container names.

const VALID = /^[A-Za-z][A-Za-z0-9]{2,44}$/;

/** The extension's error for an invalid task hub name, or undefined when the name is valid. */
export function taskHubNameProblem(hubName: string): string | undefined {
  return VALID.test(hubName)
    ? undefined
    : `Task hub name '${hubName}' should contain only alphanumeric characters, start with a letter, and have length between 3 and 45.`;
}
