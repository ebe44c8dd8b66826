/**
 * Configuration from the environment, validated once at start-up. Nothing set means embedded defaults;
 * a wrong value stops the start with one message that names the variable and says what is expected.
 */
import { z } from 'zod';

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''], { message: 'expected true or false' })
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : ['true', '1', 'yes'].includes(v)));

const integer = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `expected an integer from ${min} to ${max}, got ${JSON.stringify(v)}` });
        return z.NEVER;
      }
      return n;
    });

const decimal = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = Number(v);
      if (!Number.isFinite(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `expected a number from ${min} to ${max}, got ${JSON.stringify(v)}` });
        return z.NEVER;
      }
      return n;
    });

const url = (protocols: string[]) =>
  optionalString.refine(
    (v) => {
      if (v === undefined) return true;
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { message: `expected a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

/** The sender of every email unless EMAIL_FROM names another. */
export const DEFAULT_EMAIL_FROM = 'TaxiWatch <alerts@taxiwatch.localhost>';
// "alerts@example.com" or "Display Name <alerts@example.com>"; no line breaks (they would start a new header).
const MAILBOX = /^(?:[^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/;

const configShape = z.object({
    PORT: integer(3000, 1, 65535),
    HOST: optionalString.default('0.0.0.0'),
    DATA_DIR: optionalString.default('./data'),
    DATABASE_URL: url(['postgres:', 'postgresql:']),
    PUBLIC_URL: url(['http:', 'https:']),
    // Development and tests only: reach a plain Postgres from the Neon driver through a WebSocket proxy.
    NEON_WS_PROXY: optionalString.refine((v) => v === undefined || /^[A-Za-z0-9.-]+:\d+(\/[\w./-]*)?$/.test(v), {
      message: 'expected host:port/path of a WebSocket-to-TCP proxy, e.g. 127.0.0.1:8089/v2',
    }),
    REDIS_URL: url(['redis:', 'rediss:']),
    // Several deployments (or test runs) sharing one Redis keep their keys apart by prefix.
    REDIS_KEY_PREFIX: optionalString.default('tw:').refine((v) => /^[\w.:-]{1,64}$/.test(v), {
      message: 'expected up to 64 letters, digits, "_", ".", ":" or "-", e.g. tw:',
    }),
    UPSTASH_REDIS_REST_URL: url(['http:', 'https:']),
    UPSTASH_REDIS_REST_TOKEN: optionalString,
    S3_ENDPOINT: url(['http:', 'https:']),
    S3_BUCKET: optionalString,
    S3_REGION: optionalString.default('auto'),
    S3_ACCESS_KEY_ID: optionalString,
    S3_SECRET_ACCESS_KEY: optionalString,
    QSTASH_URL: url(['http:', 'https:']),
    QSTASH_TOKEN: optionalString,
    QSTASH_CURRENT_SIGNING_KEY: optionalString,
    QSTASH_NEXT_SIGNING_KEY: optionalString,
    LOG_LEVEL: z
      .enum(['debug', 'info', 'warn', 'error'], { message: 'expected debug, info, warn or error' })
      .default('info'),
    BLOB_SIGNING_SECRET: optionalString.refine((v) => v === undefined || v.length >= 32, {
      message: 'expected at least 32 characters',
    }),
    JWT_SECRET: optionalString.refine((v) => v === undefined || v.length >= 32, {
      message: 'expected at least 32 characters',
    }),
    // Bearer token for Prometheus scrapers of /metrics (admins can also read it with their own login).
    METRICS_TOKEN: optionalString.refine((v) => v === undefined || v.length >= 16, {
      message: 'expected at least 16 characters',
    }),
    CORS_ORIGINS: optionalString.refine(
      (v) => v === undefined || v.split(',').every((o) => /^https?:\/\/[^/\s]+$/.test(o.trim())),
      { message: 'expected a comma-separated list of origins such as https://app.example.com' },
    ),
    RATE_LIMIT_PER_MINUTE: integer(600, 1, 1_000_000),
    RATE_LIMIT_PER_IP_PER_MINUTE: integer(300, 1, 1_000_000),
    // Every request body except camera frames (which have FRAME_* below): at most this many bytes (413), all of it
    // within this many milliseconds (408). Device routes keep their own, smaller caps.
    BODY_MAX_BYTES: integer(1024 * 1024, 1024, 64 * 1024 * 1024),
    BODY_READ_TIMEOUT_MS: integer(30_000, 10, 600_000),
    // Node only: open connections one client address may hold at once (0 = no cap); excess ones are refused at once.
    MAX_CONNECTIONS_PER_IP: integer(256, 0, 1_000_000),
    // Node only: seconds an idle keep-alive connection stays open for its next request. Camera units keep one
    // connection to their edge and reuse it while it has been idle for less than 50 s (they send at least every 30 s),
    // so the server must wait longer: closing first races the unit's next request (a reset, a retry on a new
    // connection). Node's own 5 s would make nearly every request pay a new connection (and a TLS handshake).
    HTTP_KEEP_ALIVE_S: integer(65, 1, 3600),
    ADMIN_EMAIL: optionalString.refine((v) => v === undefined || z.email().safeParse(v).success, {
      message: 'expected an email address',
    }),
    ADMIN_PASSWORD: optionalString.refine((v) => v === undefined || v.length >= 12, {
      message: 'expected at least 12 characters',
    }),
    DEMO_DATA: booleanFlag(true),
    MIGRATE_ON_START: booleanFlag(true),
    QUEUE_POLL_MS: integer(1000, 10, 60_000),
    QUEUE_CONCURRENCY: integer(2, 1, 64),
    // How long a claimed job is reserved; a worker killed mid-job leaves it to others after this (database queue).
    QUEUE_LEASE_MS: integer(300_000, 1000, 3_600_000),
    // false: `npm start` serves devices and people but runs no jobs; `npm run worker` processes do (docs/operate/workers.md).
    RUN_JOBS: booleanFlag(true),
    // Camera frames (POST /api/v1/video/frames/upload): the largest JPEG accepted, and how long the upload may
    // pause between two chunks before it is abandoned (a body shorter than its Content-Length never ends).
    // Answer a device once its fixes are stored; rules, trips and live events follow a moment later.
    INGEST_IN_BACKGROUND: booleanFlag(true),
    FRAME_MAX_BYTES: integer(2 * 1024 * 1024, 1024, 64 * 1024 * 1024),
    FRAME_READ_TIMEOUT_MS: integer(10_000, 10, 600_000),
    FRAME_UPLOAD_TIMEOUT_MS: integer(60_000, 10, 3_600_000),
    // Retention defaults in days, each overridable per fleet (0 keeps everything): camera frames (an incident's
    // evidence is kept), GPS fixes (the track around an incident is kept), reports, and evidence packs.
    FRAME_RETENTION_DAYS: integer(7, 0, 3650),
    FIX_RETENTION_DAYS: integer(365, 0, 3650),
    REPORT_RETENTION_DAYS: integer(30, 0, 3650),
    EVIDENCE_PACK_RETENTION_DAYS: integer(90, 0, 3650),
    // Vision: which analyser looks at frames. auto = offline on Node/Deno (cascade when OPENAI_API_KEY is set),
    // cloud on Workers when a key is set; none = frames are stored and marked not_configured.
    VISION_ANALYSER: z
      .enum(['auto', 'offline', 'cloud', 'cascade', 'none'], { message: 'expected auto, offline, cloud, cascade or none' })
      .default('auto'),
    OPENAI_API_KEY: optionalString,
    // Any OpenAI-compatible server (Ollama http://127.0.0.1:11434/v1, vLLM http://127.0.0.1:8000/v1).
    OPENAI_BASE_URL: url(['http:', 'https:']),
    OPENAI_VISION_MODEL: optionalString.default('gpt-4o-mini'),
    OPENAI_TIMEOUT_MS: integer(20_000, 100, 600_000),
    OPENAI_MAX_RETRIES: integer(3, 0, 10),
    // The fleet assistant (POST /api/v1/chat/message): auto = the OpenAI-compatible model above when configured, asked
    // only when the offline parser is not sure; offline = never a model. Per fleet and UTC day, model calls stop at
    // either budget (estimated US dollars, or calls for local models that cost 0); then the offline engine answers.
    ASSISTANT_ENGINE: z.enum(['auto', 'offline'], { message: 'expected auto or offline' }).default('auto'),
    OPENAI_CHAT_MODEL: optionalString.default('gpt-4o-mini'),
    ASSISTANT_DAILY_BUDGET_USD: decimal(1, 0, 100_000),
    ASSISTANT_DAILY_MODEL_CALLS: integer(1000, 0, 10_000_000),
    // Conversations not used for this many days are deleted (nightly); 0 keeps them.
    CHAT_RETENTION_DAYS: integer(90, 0, 3650),
    // The same incident type on the same vehicle within this many minutes of the last sighting updates the open
    // incident instead of opening a new one (vision and telemetry); 0 = every detection is its own incident.
    INCIDENT_MERGE_WINDOW_MINUTES: integer(10, 0, 1440),
    // Vision that keeps up (edge/domain/frames/frame-priority.ts): routine frames received longer ago than this are
    // skipped (`stale`) rather than analysed late; high-priority ones (moving cabin, after a telemetry event, device
    // trigger, reviewer) never are.
    VISION_ROUTINE_MAX_AGE_S: integer(120, 1, 86_400),
    // A fleet waiting on this many routine frames gets further routine frames skipped (`backlog`) and its devices told
    // to send routine frames only every VISION_SLOW_ROUTINE_INTERVAL_S seconds.
    VISION_ROUTINE_BACKLOG: integer(200, 1, 1_000_000),
    VISION_SLOW_ROUTINE_INTERVAL_S: integer(60, 1, 3600),
    // Frames taken up to this many seconds after a telemetry event on the vehicle are high priority.
    VISION_EVENT_WINDOW_S: integer(30, 0, 3600),
    // A telemetry event that arrives after frames of its window upgrades them to high (frame-reopening.ts): pending
    // ones always, ones already skipped (`stale`, `backlog`) only if they arrived at most this many seconds ago.
    VISION_LATE_UPGRADE_MAX_AGE_S: integer(600, 0, 86_400),
    // Web map tiles (Leaflet URL template with {z}/{x}/{y}); unset = taxis on a plain background with a scale.
    // Unset: OpenStreetMap's standard tiles (light use with attribution is within its tile usage policy; busy
    // deployments should name another provider). "none": no tiles, taxis on a plain grid.
    WEB_MAP_TILE_URL: optionalString.refine((v) => v === undefined || v === 'none' || (/^https?:\/\//.test(v) && ['{z}', '{x}', '{y}'].every((p) => v.includes(p))), {
      message: 'expected a tile URL template such as https://tile.openstreetmap.org/{z}/{x}/{y}.png, or none',
    }),
    WEB_MAP_TILE_ATTRIBUTION: optionalString,
    // Email (alerts, escalations, the daily report's link): SMTP_URL on Node and Deno, else Resend's HTTP API when
    // RESEND_API_KEY is set (the one Workers can use), else nothing leaves the process (docs/operate/email.md).
    EMAIL_FROM: optionalString.default(DEFAULT_EMAIL_FROM).refine((v) => v === undefined || MAILBOX.test(v), {
      message: 'expected an address such as alerts@example.com or "TaxiWatch <alerts@example.com>"',
    }),
    SMTP_URL: url(['smtp:', 'smtps:']),
    RESEND_API_KEY: optionalString,
    RESEND_API_URL: url(['http:', 'https:']),
    // The whole of one send, connecting included; a slower service counts as failed and is tried again later.
    EMAIL_TIMEOUT_MS: integer(10_000, 100, 120_000),
    // Webhooks to loopback, private and link-local addresses are refused (our servers would call their own
    // network on an owner's behalf); true allows them, for development or integrators on a private network.
    WEBHOOK_ALLOW_PRIVATE_TARGETS: booleanFlag(false),
    // Where the runtime cannot resolve host names (Workers), a webhook by name cannot be checked for a private
    // address and is refused; true sends to names unchecked (the URL text is still checked).
    WEBHOOK_ALLOW_UNRESOLVED_NAMES: booleanFlag(false),
    // Web Push (RFC 8292): the server's VAPID key pair, base64url (public: the 65-byte uncompressed P-256 point;
    // private: the 32-byte scalar). Unset: a pair is generated once and kept in the database's settings.
    VAPID_PUBLIC_KEY: optionalString.refine((v) => v === undefined || /^[A-Za-z0-9_-]{87}$/.test(v), {
      message: 'expected the base64url uncompressed P-256 public key (87 characters, starting with B)',
    }),
    VAPID_PRIVATE_KEY: optionalString.refine((v) => v === undefined || /^[A-Za-z0-9_-]{43}$/.test(v), {
      message: 'expected the base64url P-256 private key (43 characters)',
    }),
    // The contact push services may write to about this server's pushes.
    VAPID_SUBJECT: optionalString.default('mailto:alerts@taxiwatch.localhost').refine((v) => /^(mailto:\S+@\S+|https:\/\/\S+)$/.test(v), {
      message: 'expected a mailto: address or an https: URL, e.g. mailto:ops@example.com',
    }),
    // Browsers' push endpoints are public https hosts; true also accepts http and loopback/private ones (tests, a
    // push service on the developer's machine).
    PUSH_ALLOW_LOOPBACK_ENDPOINTS: booleanFlag(false),
  });

// Variables that only make sense as a group: a partial group names the first variable missing.
const GROUPS = [
  ['ADMIN_EMAIL', 'ADMIN_PASSWORD'],
  ['UPSTASH_REDIS_REST_URL', 'UPSTASH_REDIS_REST_TOKEN'],
  ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'],
  ['QSTASH_TOKEN', 'QSTASH_CURRENT_SIGNING_KEY', 'QSTASH_NEXT_SIGNING_KEY'],
  ['VAPID_PUBLIC_KEY', 'VAPID_PRIVATE_KEY'],
] as const;

export const configSchema = configShape.superRefine((env, ctx) => {
  for (const group of GROUPS) {
    const set = group.filter((name) => env[name] !== undefined);
    const missing = group.find((name) => env[name] === undefined);
    if (set.length > 0 && missing) {
      ctx.addIssue({ code: 'custom', path: [missing], message: `must be set together with ${set.join(', ')}` });
    }
  }
  // QStash signs each delivery for the URL it was given, so the app must know its own public URL.
  if ((env.VISION_ANALYSER === 'cloud' || env.VISION_ANALYSER === 'cascade') && !env.OPENAI_API_KEY && !env.OPENAI_BASE_URL) {
    ctx.addIssue({ code: 'custom', path: ['OPENAI_API_KEY'], message: `is required with VISION_ANALYSER=${env.VISION_ANALYSER} (or set OPENAI_BASE_URL to a local OpenAI-compatible server)` });
  }
  if (env.QSTASH_TOKEN && !env.PUBLIC_URL) {
    ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'is required with QStash: deliveries are signed for this URL' });
  }
});

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly issues: { variable: string; message: string }[]) {
    super(
      `Invalid configuration: ${issues.map((i) => `${i.variable}: ${i.message}`).join('; ')}. ` +
        'Fix the environment variable(s) named above, or unset them to use the embedded defaults.',
    );
    this.name = 'ConfigError';
  }
}

/** Parses an environment record (process.env, Deno.env.toObject(), Worker bindings). Throws ConfigError. */
export function loadConfig(env: Record<string, unknown>): Config {
  const strings: Record<string, string | undefined> = {};
  for (const key of Object.keys(configShape.shape)) {
    const value = env[key];
    strings[key] = typeof value === 'string' ? value : value === undefined ? undefined : String(value);
  }
  const result = configSchema.safeParse(strings);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? 'environment'), message: issue.message })),
    );
  }
  return result.data;
}

/** The URL clients reach this server at, for signed links. */
export const OSM_TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
export const OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';

/** The map tiles the web app uses: the configured ones, OpenStreetMap's when none are, or none at all. */
export function mapTiles(config: Config): { tileUrl: string | null; tileAttribution: string | null } {
  const url = config.WEB_MAP_TILE_URL ?? OSM_TILE_URL;
  if (url === 'none') return { tileUrl: null, tileAttribution: null };
  return { tileUrl: url, tileAttribution: config.WEB_MAP_TILE_ATTRIBUTION ?? (url === OSM_TILE_URL ? OSM_ATTRIBUTION : null) };
}

export function publicUrl(config: Config): string {
  return (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');
}
