/** Structured JSON logs: one object per line, with the request id when there is one. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger that adds these fields to every line (e.g. requestId). */
  child(fields: Record<string, unknown>): Logger;
}

export type LogSink = (line: string, level: LogLevel) => void;

const consoleSink: LogSink = (line, level) => {
  if (level === 'error' || level === 'warn') console.error(line);
  else console.log(line);
};

export function createLogger(
  options: { level?: LogLevel; sink?: LogSink; fields?: Record<string, unknown>; now?: () => number } = {},
): Logger {
  const min = RANK[options.level ?? 'info'];
  const sink = options.sink ?? consoleSink;
  const base = options.fields ?? {};
  const now = options.now ?? Date.now;
  const write = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (RANK[level] < min) return;
    const entry = { time: new Date(now()).toISOString(), level, msg, ...base, ...serialiseErrors(fields) };
    sink(JSON.stringify(entry), level);
  };
  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
    child: (fields) => createLogger({ ...options, fields: { ...base, ...fields } }),
  };
}

function serialiseErrors(fields: Record<string, unknown> | undefined) {
  if (!fields) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
  }
  return out;
}

/** A logger that keeps lines in memory, for tests that check what was logged. */
export function createMemoryLogger(level: LogLevel = 'debug') {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level, sink: (line) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}
