// The value of the `durableClient` input binding, as the Durable extension provides it to out-of-process
// workers (BindingHelper.DurableOrchestrationClientToString): webhook URL templates for the HTTP management
// API carrying the system key (`requiredQueryStringParameters`), plus the local RPC endpoint the
// durable-functions client calls when there is one. Without `rpcBaseUrl` the client uses the webhook
// URLs, as it does when host.json sets `localRpcEndpointEnabled: false`.

export const WEBHOOK_PATH = '/runtime/webhooks/durabletask';
export const RPC_PATH = '/durabletask/';
/** The extension's placeholder for the instance id in management URLs. */
export const INSTANCE_ID_PLACEHOLDER = 'INSTANCEID';
/** The connection name the extension reports for the default storage connection. */
export const CONNECTION_NAME = 'Storage';

export interface DurableClientBindingData {
  taskHubName: string;
  creationUrls: { createNewInstancePostUri: string; createAndWaitOnNewInstancePostUri: string };
  managementUrls: ManagementUrls;
  baseUrl: string;
  requiredQueryStringParameters: string;
  rpcBaseUrl?: string;
}

export interface ManagementUrls {
  id: string;
  statusQueryGetUri: string;
  sendEventPostUri: string;
  terminatePostUri: string;
  rewindPostUri: string;
  purgeHistoryDeleteUri: string;
  restartPostUri: string;
  suspendPostUri: string;
  resumePostUri: string;
}

export function managementUrls(
  origin: string,
  hubName: string,
  instanceId: string,
  systemKey?: string,
): ManagementUrls {
  const instance = `${origin}${WEBHOOK_PATH}/instances/${encodeURIComponent(instanceId)}`;
  let query = `taskHub=${encodeURIComponent(hubName)}&connection=${CONNECTION_NAME}`;
  if (systemKey) {
    query += `&code=${encodeURIComponent(systemKey)}`;
  }
  return {
    id: instanceId,
    statusQueryGetUri: `${instance}?${query}`,
    sendEventPostUri: `${instance}/raiseEvent/{eventName}?${query}`,
    terminatePostUri: `${instance}/terminate?reason={text}&${query}`,
    rewindPostUri: `${instance}/rewind?reason={text}&${query}`,
    purgeHistoryDeleteUri: `${instance}?${query}`,
    restartPostUri: `${instance}/restart?${query}`,
    suspendPostUri: `${instance}/suspend?reason={text}&${query}`,
    resumePostUri: `${instance}/resume?reason={text}&${query}`,
  };
}

/**
 * `publicOrigin` is what the host is reached at (http://localhost:port); `rpcOrigin` the loopback
 * address the worker calls back on, undefined when there is no local RPC endpoint.
 */
export function durableClientBindingData(
  publicOrigin: string,
  rpcOrigin: string | undefined,
  hubName: string,
  systemKey?: string,
): DurableClientBindingData {
  const baseUrl = `${publicOrigin}${WEBHOOK_PATH}`;
  const required = systemKey ? `code=${encodeURIComponent(systemKey)}` : '';
  const instancePrefix = `${baseUrl}/orchestrators/{functionName}[/{instanceId}]`;
  return {
    taskHubName: hubName,
    creationUrls: {
      createNewInstancePostUri: `${instancePrefix}?${required}`,
      createAndWaitOnNewInstancePostUri: `${instancePrefix}?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${required}`,
    },
    managementUrls: managementUrls(publicOrigin, hubName, INSTANCE_ID_PLACEHOLDER, systemKey),
    baseUrl,
    requiredQueryStringParameters: required,
    ...(rpcOrigin === undefined ? {} : { rpcBaseUrl: `${rpcOrigin}${RPC_PATH}` }),
  };
}
