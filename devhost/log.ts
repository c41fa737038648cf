// Console logging for the devhost, in the spirit of the Functions host's console output.

export type DevHostLogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const order: Record<DevHostLogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function parseLogLevel(value: string | undefined): DevHostLogLevel {
  const lower = (value ?? '').toLowerCase();
  return lower === 'debug' || lower === 'warn' || lower === 'error' ? lower : 'info';
}

export function consoleLogger(minimum: DevHostLogLevel): Logger {
  const write = (level: DevHostLogLevel, message: string): void => {
    if (order[level] < order[minimum]) {
      return;
    }
    const line = `[${new Date().toISOString()}] ${message}\n`;
    if (level === 'error' || level === 'warn') {
      process.stderr.write(line);
    } else {
      process.stdout.write(line);
    }
  };
  return {
    debug: (m) => write('debug', m),
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m) => write('error', m),
  };
}

/** Maps the worker's log levels (context.log, context.warn, ...) to console levels. */
export function fromWorkerLevel(level: string): DevHostLogLevel {
  switch (level) {
    case 'trace':
    case 'debug':
      return 'debug';
    case 'warning':
      return 'warn';
    case 'error':
    case 'critical':
      return 'error';
    default:
      return 'info';
  }
}
