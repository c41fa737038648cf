// The dashboard page: reads the REST API (never anything else) every ten seconds and draws the fleet
// matrix, the operations, the approvals waiting and a registry's audit trail. The function key is never
// in the page: the operator gives it once (or opens the page with ?code=), it stays in this tab's
// sessionStorage, and behind App Service authentication none is needed.
import { STATES, isActive, matrixOf } from './matrix.js';
import type { CellState, OperationItem, RegistryRow, ReplicaItem } from './matrix.js';

const KEY_ITEM = 'acr-replica-guard.functionKey';
const REFRESH_MS = 10_000;

interface Registry extends RegistryRow {
  subscriptionId: string;
  resourceGroup: string;
}

interface OperationView extends OperationItem {
  approval?: {
    requestedBy?: { id: string; name?: string };
    allowSelf?: boolean;
    rest?: boolean;
    slackApprovers?: string[];
  };
  progress?: string;
}

interface AuditEntry {
  time: string;
  actor: { id: string; name?: string };
  channel: string;
  operation: string;
  target: string;
  step: string;
  outcome: string;
  sequence: number;
}

const element = <T extends HTMLElement>(id: string): T => {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`the page has no #${id}`);
  return found as T;
};

/** Takes a key given in the address once, keeps it for this tab, and removes it from the address. */
function adoptKeyFromAddress(): void {
  const url = new URL(window.location.href);
  const code = url.searchParams.get('code');
  if (code === null) return;
  sessionStorage.setItem(KEY_ITEM, code);
  url.searchParams.delete('code');
  window.history.replaceState(null, '', url.pathname + url.search + url.hash);
}

async function api<T>(path: string): Promise<T> {
  const key = sessionStorage.getItem(KEY_ITEM);
  const answer = await fetch(`/api/${path}`, {
    headers: key === null ? {} : { 'x-functions-key': key },
    credentials: 'same-origin',
  });
  if (answer.status === 401) throw new Error('The function key is missing or wrong: give it above.');
  if (!answer.ok) {
    const problem = (await answer.json().catch(() => ({}))) as { detail?: string; errors?: unknown };
    const errors = problem.errors === undefined ? '' : ` ${JSON.stringify(problem.errors)}`;
    throw new Error(`${path} answered ${answer.status}: ${problem.detail ?? ''}${errors}`);
  }
  return (await answer.json()) as T;
}

function make(tag: string, text?: string, className?: string): HTMLElement {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className !== undefined) node.className = className;
  return node;
}

function drawLegend(): void {
  const legend = element('legend');
  legend.replaceChildren(
    ...(Object.keys(STATES) as CellState[]).map((state) => {
      const item = make('li', undefined, `cell ${state}`);
      item.append(make('span', STATES[state].symbol, 'symbol'), ` ${STATES[state].label}`);
      return item;
    }),
  );
}

function drawMatrix(
  registries: Registry[],
  replicas: Map<string, ReplicaItem[]>,
  operations: OperationItem[],
): void {
  const { regions, rows } = matrixOf(registries, replicas, operations, new Date());
  const head = make('tr');
  head.append(make('th', 'registry'), ...regions.map((region) => make('th', region)));
  const body = rows.map(({ registry, cells }) => {
    const row = make('tr');
    const name = make('th', registry.name);
    name.setAttribute('scope', 'row');
    row.append(
      name,
      ...cells.map((cell, index) => {
        const td = make('td', undefined, `cell ${cell.state}`);
        td.dataset.state = cell.state;
        td.dataset.region = regions[index] ?? '';
        td.title = `${registry.name} in ${regions[index] ?? ''}: ${cell.text}`;
        td.append(make('span', cell.symbol, 'symbol'), ` ${cell.text}`);
        return td;
      }),
    );
    row.dataset.registry = registry.name;
    return row;
  });
  element('matrix').replaceChildren(head, ...body);
}

const shortTarget = (target: string | undefined): string =>
  target === undefined ? '' : target.replace(/^.*\/registries\//i, '').replace('/replications/', ' / ');

function drawOperations(operations: OperationView[]): void {
  const running = operations.filter(isActive);
  const recent = operations.filter((o) => !isActive(o)).slice(0, 10);
  const rows = (list: OperationView[], active: boolean): HTMLElement[] =>
    list.map((o) => {
      const row = make('tr');
      row.append(
        make('td', o.operation ?? o.operationId),
        make('td', shortTarget(o.target) || o.operationId),
        make('td', active ? (o.phase ?? o.runtimeStatus) : (o.result?.outcome ?? o.runtimeStatus)),
        make('td', active ? (o.progress ?? '') : (o.lastUpdatedTime ?? '')),
      );
      return row;
    });
  element('running').replaceChildren(...rows(running, true));
  element('recent').replaceChildren(...rows(recent, false));
  element('running-none').hidden = running.length > 0;
  element('recent-none').hidden = recent.length > 0;
}

function drawApprovals(operations: OperationView[]): void {
  const waiting = operations.filter((o) => isActive(o) && o.phase === 'awaiting-approval');
  element('approvals').replaceChildren(
    ...waiting.map((o) => {
      const a = o.approval ?? {};
      const who = [
        a.rest === true ? 'any caller with a key or signed in, over REST' : undefined,
        a.slackApprovers !== undefined && a.slackApprovers.length > 0
          ? `in Slack: ${a.slackApprovers.join(', ')}`
          : undefined,
      ].filter((w) => w !== undefined);
      const by = a.requestedBy?.name ?? a.requestedBy?.id ?? 'unknown';
      const self = a.allowSelf === true ? '' : ` (not ${by}, who asked)`;
      return make(
        'li',
        `${o.operation ?? ''} ${shortTarget(o.target)}, asked by ${by}: ${who.join('; ') || 'nobody'}${self}`,
      );
    }),
  );
  element('approvals-none').hidden = waiting.length > 0;
}

async function drawAudit(registries: Registry[]): Promise<void> {
  const select = element<HTMLSelectElement>('audit-registry');
  const chosen = select.value;
  if (select.options.length !== registries.length) {
    select.replaceChildren(
      ...registries.map((r) => {
        const option = make('option', r.name) as HTMLOptionElement;
        option.value = r.id;
        return option;
      }),
    );
    if (chosen !== '') select.value = chosen;
  }
  const registry = select.value;
  if (registry === '') return;
  const query = `registry=${encodeURIComponent(registry)}`;
  const [trail, verdict] = await Promise.all([
    api<{ value: AuditEntry[] }>(`audit?${query}&pageSize=25`),
    api<{ intact: boolean; entries: number; firstBreak?: unknown }>(`audit/verify?${query}`),
  ]);
  const chain = element('audit-chain');
  chain.className = verdict.intact ? 'chain intact' : 'chain broken';
  chain.textContent = verdict.intact
    ? `✓ chain intact (${verdict.entries} entries)`
    : `✗ chain broken: ${JSON.stringify(verdict.firstBreak ?? {})}`;
  element('audit').replaceChildren(
    ...trail.value.map((e) => {
      const item = make('li');
      item.append(
        make('time', e.time),
        ` ${e.operation} ${shortTarget(e.target)}: ${e.step} ${e.outcome} (${e.actor.name ?? e.actor.id}, ${e.channel})`,
      );
      return item;
    }),
  );
}

async function refresh(): Promise<void> {
  const status = element('status');
  try {
    const [{ value: registries }, { value: operations }] = await Promise.all([
      api<{ value: Registry[] }>('registries'),
      api<{ value: OperationView[] }>('operations?pageSize=100'),
    ]);
    const replicas = new Map<string, ReplicaItem[]>();
    await Promise.all(
      registries.map(async (r) => {
        const path = `registries/${r.subscriptionId}/${r.resourceGroup}/${r.name}/replicas`;
        replicas.set(r.id, (await api<{ value: ReplicaItem[] }>(path)).value);
      }),
    );
    drawMatrix(registries, replicas, operations);
    drawOperations(operations);
    drawApprovals(operations);
    await drawAudit(registries);
    status.textContent = `Updated ${new Date().toLocaleTimeString()}`;
    status.className = 'status ok';
  } catch (error) {
    status.textContent = error instanceof Error ? error.message : String(error);
    status.className = 'status error';
  }
}

function start(): void {
  adoptKeyFromAddress();
  drawLegend();
  element('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = element<HTMLInputElement>('key');
    if (input.value !== '') sessionStorage.setItem(KEY_ITEM, input.value);
    input.value = '';
    void refresh();
  });
  element('audit-registry').addEventListener('change', () => void refresh());
  void refresh();
  window.setInterval(() => void refresh(), REFRESH_MS);
}

start();
