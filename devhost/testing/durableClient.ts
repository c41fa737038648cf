// Talking to a devhost's Durable HTTP API the way an operator would (status URLs, raise event, ...).

import type { HistoryEvent } from '../durable/history';
import { EventType } from '../durable/history';
import type { HttpResult } from './devhostTestKit';
import { call, eventually } from './devhostTestKit';

export interface InstanceStatus {
  name: string;
  instanceId: string;
  runtimeStatus: string;
  input: unknown;
  output: unknown;
  customStatus: unknown;
  createdTime: string;
  lastUpdatedTime: string;
  historyEvents?: Record<string, unknown>[];
}

const TERMINAL = ['Completed', 'Failed', 'Terminated', 'Canceled'];

export class DurableApi {
  constructor(readonly baseUrl: string) {}

  get webhook(): string {
    return `${this.baseUrl}/runtime/webhooks/durabletask`;
  }

  async start(name: string, input?: unknown, instanceId?: string): Promise<string> {
    const response = await call(
      `${this.webhook}/orchestrators/${name}${instanceId ? `/${instanceId}` : ''}`,
      {
        method: 'POST',
        body: input === undefined ? '' : JSON.stringify(input),
        headers: { 'content-type': 'application/json' },
      },
    );
    if (response.status !== 202) {
      throw new Error(`Starting ${name} answered ${response.status}: ${response.text}`);
    }
    return response.json<{ id: string }>().id;
  }

  startRaw(name: string, input: unknown, instanceId?: string): Promise<HttpResult> {
    return call(`${this.webhook}/orchestrators/${name}${instanceId ? `/${instanceId}` : ''}`, {
      method: 'POST',
      body: JSON.stringify(input),
      headers: { 'content-type': 'application/json' },
    });
  }

  async status(instanceId: string, query = ''): Promise<InstanceStatus | undefined> {
    const response = await call(`${this.webhook}/instances/${instanceId}${query ? `?${query}` : ''}`);
    return response.status === 404 ? undefined : response.json<InstanceStatus>();
  }

  async waitFor(
    instanceId: string,
    statuses: string[] = TERMINAL,
    timeoutMs?: number,
  ): Promise<InstanceStatus> {
    return eventually(
      `${instanceId} to reach ${statuses.join('/')}`,
      async () => {
        const status = await this.status(instanceId);
        return status && statuses.includes(status.runtimeStatus) ? status : undefined;
      },
      timeoutMs,
    );
  }

  async raise(instanceId: string, event: string, data: unknown): Promise<number> {
    const response = await call(`${this.webhook}/instances/${instanceId}/raiseEvent/${event}`, {
      method: 'POST',
      body: JSON.stringify(data),
      headers: { 'content-type': 'application/json' },
    });
    return response.status;
  }

  async post(instanceId: string, operation: string, reason = ''): Promise<number> {
    const response = await call(
      `${this.webhook}/instances/${instanceId}/${operation}?reason=${encodeURIComponent(reason)}`,
      { method: 'POST' },
    );
    return response.status;
  }

  /** The raw host-format history of the current execution (devhost endpoint). */
  async history(instanceId: string): Promise<HistoryEvent[]> {
    const response = await call(`${this.baseUrl}/devhost/instances/${instanceId}/history`);
    if (response.status !== 200) {
      throw new Error(`No history for ${instanceId}: ${response.status}`);
    }
    return response.json<HistoryEvent[]>();
  }

  /**
   * The history of every execution the devhost still holds, oldest first, one list per execution (past
   * ones only when it runs with DEVHOST_KEEP_PAST_EXECUTIONS=true).
   */
  async executions(instanceId: string): Promise<HistoryEvent[][]> {
    const response = await call(`${this.baseUrl}/devhost/instances/${instanceId}/history?executions=all`);
    if (response.status !== 200) {
      throw new Error(`No history for ${instanceId}: ${response.status}`);
    }
    return response.json<HistoryEvent[][]>();
  }

  async eventTypes(instanceId: string): Promise<string[]> {
    return (await this.history(instanceId)).map((e) => EventType[e.EventType]);
  }
}
