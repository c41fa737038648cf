// One command language for every chat platform. Pure: a message becomes a typed command or a short
// usage answer; which registry a name means is decided later, against the configured scope.
import { isValidReplicaName, normaliseRegion, parseOperationId, parseRegistryId } from '../domain';
import { tokenise } from './tokenise';

export type ChatCommand =
  | { kind: 'help' }
  | { kind: 'list'; registry: string }
  | { kind: 'status'; registry: string; replica?: string }
  | { kind: 'add'; registry: string; region: string; regionEndpointEnabled: boolean; zoneRedundant: boolean }
  | { kind: 'update'; registry: string; replica: string; regionEndpointEnabled: boolean }
  | { kind: 'remove'; registry: string; replica: string }
  | { kind: 'heal'; registry?: string; dryRun: boolean }
  | { kind: 'plan'; registry: string }
  | { kind: 'apply'; registry: string; dryRun: boolean }
  | { kind: 'operation'; id: string };

export type ChatCommandKind = ChatCommand['kind'];

export type ParsedCommand = { ok: true; command: ChatCommand } | { ok: false; message: string };

export const USAGE: Record<ChatCommandKind, string> = {
  list: 'list <registry>',
  status: 'status <registry> [<replica>]',
  add: 'add <registry> <region> [--no-endpoint] [--zone-redundant]',
  update: 'update <registry> <replica> --endpoint on|off',
  remove: 'remove <registry> <replica>',
  heal: 'heal <registry>|all [--dry-run]',
  plan: 'plan <registry>',
  apply: 'apply <registry> [--dry-run]',
  operation: 'operation <id>',
  help: 'help',
};

/** The whole usage text: one line per command. */
export function usageText(): string {
  return [
    'Commands (<registry> is a registry name or its resource id):',
    ...Object.values(USAGE).map((line) => `  ${line}`),
  ].join('\n');
}

class UsageError extends Error {}

export function parseCommand(text: string): ParsedCommand {
  const tokenised = tokenise(text);
  if (!tokenised.ok) return refuse(`Cannot read that: ${tokenised.reason}.`);
  const [verb, ...rest] = tokenised.tokens;
  if (verb === undefined) return { ok: true, command: { kind: 'help' } };
  const kind = verb.toLowerCase();
  if (!isKind(kind)) return refuse(`Unknown command "${shown(verb)}".`);
  try {
    return { ok: true, command: PARSERS[kind](read(rest)) };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return { ok: false, message: `${error.message}\nUsage: ${USAGE[kind]}` };
  }
}

function refuse(reason: string): ParsedCommand {
  return { ok: false, message: `${reason}\n${usageText()}` };
}

function isKind(value: string): value is ChatCommandKind {
  return Object.prototype.hasOwnProperty.call(USAGE, value);
}

interface Words {
  positional: string[];
  /** Flags as given: `--name` → value (`true` when it takes none). */
  flags: Map<string, string | true>;
}

const FLAGS_WITH_VALUES = new Set(['--endpoint']);

function read(tokens: string[]): Words {
  const words: Words = { positional: [], flags: new Map() };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    if (!token.startsWith('--')) {
      words.positional.push(token);
      continue;
    }
    const [name = '', inline] = splitFlag(token.toLowerCase());
    if (words.flags.has(name)) throw new UsageError(`${shown(name)} is given twice.`);
    if (FLAGS_WITH_VALUES.has(name)) {
      const value = inline ?? tokens[++i];
      if (value === undefined) throw new UsageError(`${name} needs a value.`);
      words.flags.set(name, value.toLowerCase());
    } else if (inline !== undefined) throw new UsageError(`${shown(name)} takes no value.`);
    else words.flags.set(name, true);
  }
  return words;
}

function splitFlag(token: string): [string, string | undefined] {
  const at = token.indexOf('=');
  return at < 0 ? [token, undefined] : [token.slice(0, at), token.slice(at + 1)];
}

/** Refuses flags the command does not know, and the wrong number of arguments. */
function takeArguments(words: Words, min: number, max: number, flags: string[] = []): string[] {
  const unknown = [...words.flags.keys()].find((flag) => !flags.includes(flag));
  if (unknown !== undefined) throw new UsageError(`Unknown option ${shown(unknown)}.`);
  if (words.positional.length < min) throw new UsageError('Something is missing.');
  if (words.positional.length > max)
    throw new UsageError(`Too many arguments: "${shown(words.positional[max] ?? '')}" is not expected.`);
  return words.positional;
}

const PARSERS: { [K in ChatCommandKind]: (words: Words) => Extract<ChatCommand, { kind: K }> } = {
  help: (words) => {
    takeArguments(words, 0, 1);
    return { kind: 'help' };
  },
  list: (words) => {
    const [registry = ''] = takeArguments(words, 1, 1);
    return { kind: 'list', registry: registryArgument(registry) };
  },
  status: (words) => {
    const [registry = '', replica] = takeArguments(words, 1, 2);
    return {
      kind: 'status',
      registry: registryArgument(registry),
      ...(replica === undefined ? {} : { replica: replicaArgument(replica) }),
    };
  },
  add: (words) => {
    const [registry = '', region = ''] = takeArguments(words, 2, 2, ['--no-endpoint', '--zone-redundant']);
    return {
      kind: 'add',
      registry: registryArgument(registry),
      region: regionArgument(region),
      regionEndpointEnabled: !words.flags.has('--no-endpoint'),
      zoneRedundant: words.flags.has('--zone-redundant'),
    };
  },
  update: (words) => {
    const [registry = '', replica = ''] = takeArguments(words, 2, 2, ['--endpoint']);
    const endpoint = words.flags.get('--endpoint');
    if (endpoint === undefined) throw new UsageError('Say what to change: --endpoint on or --endpoint off.');
    if (endpoint !== 'on' && endpoint !== 'off') throw new UsageError('--endpoint is on or off.');
    return {
      kind: 'update',
      registry: registryArgument(registry),
      replica: replicaArgument(replica),
      regionEndpointEnabled: endpoint === 'on',
    };
  },
  remove: (words) => {
    const [registry = '', replica = ''] = takeArguments(words, 2, 2);
    return { kind: 'remove', registry: registryArgument(registry), replica: replicaArgument(replica) };
  },
  heal: (words) => {
    const [target = ''] = takeArguments(words, 1, 1, ['--dry-run']);
    const dryRun = words.flags.has('--dry-run');
    return target.toLowerCase() === 'all'
      ? { kind: 'heal', dryRun }
      : { kind: 'heal', registry: registryArgument(target), dryRun };
  },
  plan: (words) => {
    const [registry = ''] = takeArguments(words, 1, 1);
    return { kind: 'plan', registry: registryArgument(registry) };
  },
  apply: (words) => {
    const [registry = ''] = takeArguments(words, 1, 1, ['--dry-run']);
    return { kind: 'apply', registry: registryArgument(registry), dryRun: words.flags.has('--dry-run') };
  },
  operation: (words) => {
    const [id = ''] = takeArguments(words, 1, 1);
    try {
      return { kind: 'operation', id: parseOperationId(id) };
    } catch {
      throw new UsageError(`"${shown(id)}" is not an operation id.`);
    }
  },
};

/** A registry name (ARM allows 5-50 letters and digits) or a full registry resource id. */
function registryArgument(text: string): string {
  if (text.startsWith('/')) {
    try {
      parseRegistryId(text);
      return text;
    } catch {
      throw new UsageError(`"${shown(text)}" is not a registry resource id.`);
    }
  }
  if (!/^[A-Za-z0-9]{1,50}$/.test(text)) throw new UsageError(`"${shown(text)}" is not a registry name.`);
  return text;
}

function replicaArgument(text: string): string {
  if (!isValidReplicaName(text)) throw new UsageError(`"${shown(text)}" is not a replica name.`);
  return text;
}

function regionArgument(text: string): string {
  try {
    return normaliseRegion(text);
  } catch {
    throw new UsageError(`"${shown(text)}" is not a region name.`);
  }
}

/** User text echoed back: short, so an answer never carries a pasted essay. */
function shown(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
