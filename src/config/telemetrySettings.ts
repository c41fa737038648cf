// Where telemetry goes, from app settings alone: Application Insights when a connection string is set
// (as the infrastructure sets it in Azure), a JSON Lines file when TELEMETRY_FILE names one (as
// `npm start` and the tests do), otherwise nowhere. Also the values telemetry must never carry.
type Env = Record<string, string | undefined>;

export type TelemetryDestination =
  | { kind: 'azure-monitor'; connectionString: string; managedIdentityClientId?: string }
  | { kind: 'file'; path: string }
  | { kind: 'none' };

/** `APPLICATIONINSIGHTS_CONNECTION_STRING` first, then `TELEMETRY_FILE`; neither means no telemetry. */
export function telemetryDestination(env: Env = process.env): TelemetryDestination {
  const connectionString = env.APPLICATIONINSIGHTS_CONNECTION_STRING?.trim();
  if (connectionString !== undefined && connectionString !== '') {
    const clientId = env.AZURE_CLIENT_ID?.trim();
    return {
      kind: 'azure-monitor',
      connectionString,
      ...(clientId === undefined || clientId === '' ? {} : { managedIdentityClientId: clientId }),
    };
  }
  const path = env.TELEMETRY_FILE?.trim();
  if (path !== undefined && path !== '') return { kind: 'file', path };
  return { kind: 'none' };
}

/**
 * Values of the settings that hold secrets (chat signing secrets, the audit key, the notification
 * webhook, storage connection strings), which no log record may carry whatever a message says.
 */
export function secretSettingValues(env: Env = process.env): string[] {
  return [
    env.SLACK_SIGNING_SECRET,
    env.TEAMS_WEBHOOK_SECRET,
    env.AUDIT_SIGNING_KEY,
    env.SLACK_NOTIFY_WEBHOOK_URL,
    env.AzureWebJobsStorage,
    env.AUDIT_STORAGE,
  ]
    .map((value) => value?.trim() ?? '')
    .filter((value) => value.length >= 8 && !value.startsWith('@Microsoft.KeyVault('));
}
