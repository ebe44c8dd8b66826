/** Row types of the TaxiWatch database, as Kysely sees them (see migrations/ for the DDL). */
import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json = ColumnType<unknown, string, string>;

export interface FleetsTable {
  id: string;
  name: string;
  timezone: string;
  locale: 'es' | 'en';
  speed_limit_kmh: number;
  /** Partial overrides of the telemetry thresholds (domain/telemetry/settings.ts). */
  telemetry: ColumnType<unknown, string | undefined, string>;
  /** Partial overrides of how long data is kept (migration 1701; domain/retention/retention-settings.ts). */
  retention: ColumnType<unknown, string | undefined, string>;
  /** Escalation settings (migration 1801; domain/notifications/escalation-settings.ts). */
  notifications: ColumnType<unknown, string | undefined, string>;
  /** Drivers may open a read-only link to their own score (migration 2130; off until an owner turns it on). */
  drivers_see_own_score: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
}

export interface UsersTable {
  id: string;
  fleet_id: string | null;
  email: string;
  name: string;
  role: 'admin' | 'owner' | 'viewer';
  password_hash: string;
  totp_secret: string | null;
  mfa_enabled: ColumnType<boolean, boolean | undefined, boolean>;
  recovery_codes: ColumnType<unknown, string | undefined, string>;
  totp_last_step: number | null;
  /** Access tokens issued before this are refused (an operator's password or second-factor reset). */
  tokens_valid_after: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: CreatedAt;
}

export interface VehiclesTable {
  id: string;
  fleet_id: string;
  plate: string;
  status: 'active' | 'maintenance' | 'inactive';
  created_at: CreatedAt;
  /** Flagged by a reviewer (migration 0010); frames are still analysed while it is set. */
  camera_misaligned: ColumnType<boolean, boolean | undefined, boolean>;
  camera_changed_at: NullableTimestamp;
  camera_changed_by: ColumnType<string | null, string | null | undefined, string | null>;
  camera_note: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface DriversTable {
  id: string;
  fleet_id: string;
  name: string;
  licence_number: string | null;
  /** 'YYYY-MM-DD' */
  licence_expires_on: string;
  created_at: CreatedAt;
}

/** Who drives which taxi when (migration 0012); ended_at null = the current assignment. */
export interface VehicleDriversTable {
  id: string;
  fleet_id: string;
  vehicle_id: string;
  driver_id: string;
  started_at: Timestamp;
  ended_at: NullableTimestamp;
  assigned_by: string | null;
  created_at: CreatedAt;
}

/** A coaching talk with a driver (migration 2101; domain/scores/coaching.ts). */
export interface CoachingSessionsTable {
  id: string;
  fleet_id: string;
  driver_id: string;
  notes: string;
  agreed_action: string;
  /** YYYY-MM-DD. */
  follow_up_on: string | null;
  created_by: string | null;
  created_at: Timestamp;
  request_key: string | null;
}

export interface CoachingSessionIncidentsTable {
  session_id: string;
  incident_id: string;
}

/** coaching_due already announced for a driver and period (its first day). */
export interface CoachingNoticesTable {
  fleet_id: string;
  driver_id: string;
  period: string;
  created_at: Timestamp;
}

/** Licence-expiry alerts already raised, one per driver, expiry date and level (migration 0014). */
export interface LicenceNoticesTable {
  driver_id: string;
  expires_on: string;
  level: 'expires_within_30_days' | 'expires_within_7_days' | 'expired';
  fleet_id: string;
  alert_id: string | null;
  created_at: Timestamp;
}

export interface DevicesTable {
  id: string;
  fleet_id: string;
  vehicle_id: string;
  name: string;
  key_prefix: string;
  key_hash: string;
  previous_key_hash: string | null;
  previous_key_valid_until: NullableTimestamp;
  key_expires_at: Timestamp;
  status: 'active' | 'revoked';
  last_seen_at: NullableTimestamp;
  firmware_version: string | null;
  battery_pct: number | null;
  rssi: number | null;
  created_at: CreatedAt;
  /** The key handed to the device before its current one expires (migration 1701): hash, shown prefix, derivation salt. */
  next_key_hash: ColumnType<string | null, string | null | undefined, string | null>;
  next_key_prefix: ColumnType<string | null, string | null | undefined, string | null>;
  next_key_salt: ColumnType<string | null, string | null | undefined, string | null>;
  next_key_expires_at: NullableTimestamp;
  /** Which way the camera looks (migration 1201): driver rules run on cabin and dual frames only. */
  camera_role: ColumnType<CameraRole, CameraRole | undefined, CameraRole>;
}

export type CameraRole = 'cabin' | 'road' | 'dual';

export interface JobsTable {
  id: string;
  name: string;
  payload: Json;
  dedupe_id: string | null;
  status: 'queued' | 'running' | 'done' | 'dead';
  attempts: Generated<number>;
  max_attempts: number;
  /** Among due jobs the highest runs first (db-queue). */
  priority: Generated<number>;
  run_at: Timestamp;
  locked_until: NullableTimestamp;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SchedulesTable {
  name: string;
  cron: string;
  timezone: string;
  job_name: string;
  payload: Json;
  next_run_at: Timestamp;
  updated_at: Timestamp;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface JobDeliveriesTable {
  message_id: string;
  job_name: string;
  completed_at: Timestamp;
}

export interface DeadLettersTable {
  id: string;
  source_message_id: string;
  job_name: string;
  payload: Json;
  attempts: number;
  last_error: string | null;
  created_at: Timestamp;
  replayed_at: NullableTimestamp;
}

export interface RefreshTokensTable {
  id: string;
  user_id: string;
  family_id: string;
  token_hash: string;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface AuditLogTable {
  id: string;
  fleet_id: string | null;
  user_id: string | null;
  event: string;
  ip: string | null;
  details: Json;
  created_at: Timestamp;
}

export interface ApiKeysTable {
  id: string;
  fleet_id: string;
  name: string;
  key_prefix: string;
  key_hash: string;
  scopes: Json;
  created_by: string | null;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  /** Null: never expires (keys made before migration 1701, or created so on purpose). */
  expires_at: NullableTimestamp;
  /** The key that replaced this one at a rotation; this one then works until expires_at (the grace period). */
  replaced_by: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface WebhooksTable {
  id: string;
  fleet_id: string;
  url: string;
  event_types: Json;
  secret: string;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  /** Events carrying a severity below this are not sent (migration 0015); null: every event. */
  min_severity: ColumnType<Severity | null, Severity | null | undefined, Severity | null>;
}

export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  fleet_id: string;
  event_type: string;
  payload: Json;
  status: ColumnType<'pending' | 'succeeded' | 'failed', 'pending' | undefined, 'pending' | 'succeeded' | 'failed'>;
  attempts: ColumnType<number, number | undefined, number>;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface GpsFixesTable {
  id: Generated<number>;
  fleet_id: string;
  vehicle_id: string;
  device_id: string | null;
  device_time: Timestamp;
  received_at: Timestamp;
  latitude: number;
  longitude: number;
  speed_kmh: number | null;
  heading: number | null;
  accuracy_m: number | null;
  altitude_m: number | null;
}

export interface TripsTable {
  id: string;
  fleet_id: string;
  vehicle_id: string;
  driver_id: string | null;
  started_at: Timestamp;
  ended_at: NullableTimestamp;
  distance_m: ColumnType<number, number | undefined, number>;
  duration_s: ColumnType<number, number | undefined, number>;
  max_speed_kmh: ColumnType<number, number | undefined, number>;
  avg_speed_kmh: ColumnType<number, number | undefined, number>;
  incident_count: ColumnType<number, number | undefined, number>;
}

/**
 * Safety-score rollup (migration 2131, kept by triggers on trips): a taxi's trips per stored driver and local day.
 * Trip and stint writes only mark their taxi-days in trip_days_stale (migration 2132); read it after refreshTripDays.
 */
export interface TripDaysTable {
  fleet_id: string;
  vehicle_id: string;
  driver_id: string | null;
  /** The fleet-local day the trips started on, YYYY-MM-DD. */
  day: ColumnType<string, string, string>;
  trips: number;
  distance_m: number;
  duration_s: ColumnType<string | number, number, number>;
}

/** Taxi-days whose trip_days rows trip writes have made stale, until a refresh recounts them (migration 2132). */
export interface TripDaysStaleTable {
  fleet_id: string;
  vehicle_id: string;
  day: ColumnType<string, string, string>;
}

export type FrameAnalysisStatus = 'pending' | 'done' | 'failed' | 'not_configured' | 'skipped';

export interface FramesTable {
  id: string;
  fleet_id: string;
  vehicle_id: string;
  device_id: string | null;
  blob_key: string;
  captured_at: Timestamp;
  received_at: Timestamp;
  size_bytes: number;
  width: number | null;
  height: number | null;
  analysis_status: ColumnType<FrameAnalysisStatus, FrameAnalysisStatus | undefined>;
  analysis: ColumnType<unknown, string | null | undefined, string | null>;
  priority: ColumnType<'high' | 'routine', 'high' | 'routine' | undefined>;
  settled_at: NullableTimestamp;
  /** Why the frame is high (migration 2002); null for a routine frame. */
  priority_reason: ColumnType<FramePriorityReason | null, FramePriorityReason | null | undefined>;
  /** 0 for the upload's analysis; +1 per reopening (a reviewer's request, a late telemetry event). */
  analysis_round: ColumnType<number, number | undefined>;
  /** The results reopenings replaced, oldest first. */
  analysis_history: ColumnType<unknown, string | null | undefined, string | null>;
  review_request_key: ColumnType<string | null, string | null | undefined>;
}

export type FramePriorityReason = 'reviewer' | 'device_trigger' | 'telemetry_event' | 'moving_cabin';

export type Severity = 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
export type IncidentStatus = 'open' | 'acknowledged' | 'resolved' | 'false_positive';

export interface IncidentsTable {
  id: string;
  fleet_id: string;
  vehicle_id: string;
  driver_id: string | null;
  trip_id: string | null;
  frame_id: string | null;
  type: string;
  severity: Severity;
  confidence: number | null;
  description: ColumnType<string, string | undefined, string>;
  source: 'vision' | 'telemetry';
  status: ColumnType<IncidentStatus, IncidentStatus | undefined, IncidentStatus>;
  latitude: number | null;
  longitude: number | null;
  occurred_at: Timestamp;
  last_seen_at: Timestamp;
  occurrences: ColumnType<number, number | undefined, number>;
  status_changed_by: string | null;
  status_changed_at: NullableTimestamp;
  status_reason: string | null;
  /** Why a false positive was one (migration 0010), beside the free-text status_reason. */
  status_reason_code: ColumnType<
    FalsePositiveReasonCode | null,
    FalsePositiveReasonCode | null | undefined,
    FalsePositiveReasonCode | null
  >;
  created_at: Timestamp;
  /** An ACCIDENT candidate's check by a cloud model (migration 1202): domain/vision/confirm-accident.ts. */
  confirmation: ColumnType<unknown, string | null | undefined, string | null>;
}

export type FalsePositiveReasonCode = 'misdetection' | 'camera_misaligned' | 'passenger' | 'glare' | 'test' | 'other';

/** A read-only link to one driver's own score (migration 2130; domain/scores/driver-share-links.ts). */
export interface DriverShareLinksTable {
  id: string;
  fleet_id: string;
  driver_id: string;
  /** SHA-256 hex of the token; the token itself is shown once and never stored. */
  token_hash: string;
  created_by: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
}

export interface IncidentShareLinksTable {
  id: string;
  fleet_id: string;
  incident_id: string;
  /** SHA-256 hex of the token; the token itself is shown once and never stored. */
  token_hash: string;
  created_by: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
  views: ColumnType<number, number | undefined, number>;
  last_viewed_at: NullableTimestamp;
}

/** Evidence: every frame merged into an incident (migration 0009). */
export interface IncidentFramesTable {
  incident_id: string;
  frame_id: string;
  fleet_id: string;
  added_at: Timestamp;
}

/** One telemetry detection under its natural key, pointing at the (possibly merged) incident it belongs to. */
export interface IncidentOccurrencesTable {
  vehicle_id: string;
  type: string;
  occurred_at: Timestamp;
  incident_id: string;
  fleet_id: string;
  severity: Severity;
}

/** Vision spend per fleet and UTC day. */
export interface VisionUsageDailyTable {
  fleet_id: string;
  day: ColumnType<string, string, string>;
  frames: ColumnType<number, number | undefined, number>;
  model_calls: ColumnType<number, number | undefined, number>;
  input_tokens: ColumnType<number, number | undefined, number>;
  output_tokens: ColumnType<number, number | undefined, number>;
  cost_usd: ColumnType<number, number | undefined, number>;
}

export interface VehicleTelemetryTable {
  vehicle_id: string;
  fleet_id: string;
  /** The telemetry engine's state (domain/telemetry/telemetry-types.ts) after processed_until. */
  state: ColumnType<unknown, string, string>;
  processed_until: NullableTimestamp;
  status: ColumnType<VehicleStatus, VehicleStatus | undefined, VehicleStatus>;
  status_changed_at: NullableTimestamp;
  last_report_at: NullableTimestamp;
  updated_at: Timestamp;
}

/** A stored fix batch whose telemetry is not applied yet (migration 1401); `from_at`: its earliest device time. */
export interface PendingTelemetryTable {
  seq: ColumnType<string, never, never>;
  vehicle_id: string;
  fleet_id: string;
  from_at: Timestamp;
  stored_at: Timestamp;
}

export type VehicleStatus = 'unknown' | 'moving' | 'stopped' | 'offline';

export interface AlertsTable {
  id: string;
  fleet_id: string;
  incident_id: string | null;
  vehicle_id: string | null;
  severity: Severity;
  message: string;
  created_at: Timestamp;
  read_at: NullableTimestamp;
  acknowledged_at: NullableTimestamp;
  acknowledged_by: string | null;
}

/** A once-a-day task for one fleet and local day (migration 1701): claimed once, resumed until done. */
export interface FleetDayRunsTable {
  task: string;
  fleet_id: string;
  day: ColumnType<string, string, string>;
  status: 'pending' | 'done';
  /** Retention tasks: rows older than this go (fixed when the run is claimed, so a resumed run deletes the same). */
  cutoff: NullableTimestamp;
  deleted: ColumnType<number, number | undefined, number>;
  enqueued: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  finished_at: NullableTimestamp;
}

export type ReportFormat = 'pdf' | 'csv' | 'xlsx';

export interface ReportsTable {
  id: string;
  fleet_id: string;
  kind: 'daily' | 'on_demand';
  format: ReportFormat;
  status: 'queued' | 'ready' | 'failed';
  from_day: ColumnType<string, string, string>;
  to_day: ColumnType<string, string, string>;
  vehicle_id: string | null;
  driver_id: string | null;
  language: 'es' | 'en';
  requested_by: string | null;
  generation: ColumnType<number, number | undefined, number>;
  /** The generation whose report_ready went out: a run that stopped between "ready" and announcing it announces on retry. */
  announced: ColumnType<number, number | undefined, number>;
  blob_key: string | null;
  size_bytes: number | null;
  pages: number | null;
  error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  ready_at: NullableTimestamp;
}

export interface EvidencePacksTable {
  id: string;
  fleet_id: string;
  incident_id: string;
  blob_key: string;
  size_bytes: number;
  /** SHA-256 hex of the whole pack file. */
  sha256: string;
  frames: number;
  created_by: string | null;
  created_at: Timestamp;
}

/** A camera's self-calibration (migration 1202): domain/vision/calibration.ts's state, per device. */
export interface CameraCalibrationsTable {
  device_id: string;
  fleet_id: string;
  status: 'calibrating' | 'ready';
  state: Json;
  learned_at: NullableTimestamp;
  updated_at: Timestamp;
}

/** A labelled frame the fleet's model learns from (migration 1202); features are copied from the frame's analysis. */
export interface VisionExamplesTable {
  id: string;
  fleet_id: string;
  frame_id: string;
  label: string;
  source: 'label' | 'review';
  incident_id: string | null;
  features: Json;
  created_by: string | null;
  created_at: Timestamp;
}

export type KeyNoticeLevel = 'expires_within_30_days' | 'expires_within_7_days' | 'expires_within_1_day';

export interface KeyNoticesTable {
  kind: 'device' | 'api_key';
  key_id: string;
  expires_at: Timestamp;
  level: KeyNoticeLevel;
  fleet_id: string;
  alert_id: string | null;
  created_at: Timestamp;
}

/** A fleet's fitted model (migration 1202); `model` null while it has too few examples. */
export interface FleetVisionModelsTable {
  fleet_id: string;
  model: ColumnType<unknown, string | null, string | null>;
  examples: number;
  accuracy: number | null;
  trained_at: Timestamp;
}

/** A conversation with the fleet assistant (migration 1601): owned by one user or one API key. */
export interface ChatConversationsTable {
  id: string;
  fleet_id: string;
  user_id: string | null;
  api_key_id: string | null;
  title: string;
  lang: 'es' | 'en';
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ChatMessagesTable {
  id: string;
  conversation_id: string;
  fleet_id: string;
  role: 'user' | 'assistant';
  content: string;
  lang: 'es' | 'en';
  /** The tool calls an answer rests on ([{tool, input, output}]). */
  data: ColumnType<unknown, string | undefined, string>;
  links: ColumnType<unknown, string | undefined, string>;
  engine: string | null;
  created_at: Timestamp;
}

/** What the assistant cost per fleet and UTC day (migration 1601), like vision_usage_daily. */
export interface AssistantUsageDailyTable {
  fleet_id: string;
  day: ColumnType<string, string, string>;
  questions: ColumnType<number, number | undefined, number>;
  model_calls: ColumnType<number, number | undefined, number>;
  input_tokens: ColumnType<number, number | undefined, number>;
  output_tokens: ColumnType<number, number | undefined, number>;
  cost_usd: ColumnType<number, number | undefined, number>;
}

export interface Database {
  fleets: FleetsTable;
  users: UsersTable;
  vehicles: VehiclesTable;
  drivers: DriversTable;
  vehicle_drivers: VehicleDriversTable;
  coaching_sessions: CoachingSessionsTable;
  coaching_session_incidents: CoachingSessionIncidentsTable;
  coaching_notices: CoachingNoticesTable;
  licence_notices: LicenceNoticesTable;
  devices: DevicesTable;
  jobs: JobsTable;
  schedules: SchedulesTable;
  settings: SettingsTable;
  job_deliveries: JobDeliveriesTable;
  dead_letters: DeadLettersTable;
  refresh_tokens: RefreshTokensTable;
  audit_log: AuditLogTable;
  api_keys: ApiKeysTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  gps_fixes: GpsFixesTable;
  trips: TripsTable;
  trip_days: TripDaysTable;
  trip_days_stale: TripDaysStaleTable;
  frames: FramesTable;
  incidents: IncidentsTable;
  incident_share_links: IncidentShareLinksTable;
  driver_share_links: DriverShareLinksTable;
  alerts: AlertsTable;
  incident_frames: IncidentFramesTable;
  incident_occurrences: IncidentOccurrencesTable;
  vision_usage_daily: VisionUsageDailyTable;
  vehicle_telemetry: VehicleTelemetryTable;
  pending_telemetry: PendingTelemetryTable;
  fleet_day_runs: FleetDayRunsTable;
  reports: ReportsTable;
  evidence_packs: EvidencePacksTable;
  key_notices: KeyNoticesTable;
  camera_calibrations: CameraCalibrationsTable;
  vision_examples: VisionExamplesTable;
  fleet_vision_models: FleetVisionModelsTable;
  chat_conversations: ChatConversationsTable;
  chat_messages: ChatMessagesTable;
  assistant_usage_daily: AssistantUsageDailyTable;
  push_subscriptions: PushSubscriptionsTable;
  notification_preferences: NotificationPreferencesTable;
  notification_deliveries: NotificationDeliveriesTable;
  alert_events: AlertEventsTable;
}

/** A browser a person allowed Web Push on (migration 1801). */
export interface PushSubscriptionsTable {
  id: string;
  user_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  user_agent: string | null;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
}

export interface NotificationPreferencesTable {
  user_id: string;
  preferences: ColumnType<unknown, string, string>;
  updated_at: Timestamp;
}

export type NotificationChannel = 'push' | 'email';
export type NotificationStatus = 'pending' | 'sent' | 'failed' | 'gone' | 'held';

/** The delivery log: one notification of one person on one channel and target. */
export interface NotificationDeliveriesTable {
  id: string;
  dedupe_key: string;
  fleet_id: string | null;
  alert_id: string | null;
  user_id: string;
  channel: NotificationChannel;
  target: string;
  reason: 'alert' | 'escalation' | 'digest';
  status: NotificationStatus;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  payload: ColumnType<unknown, string, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
  sent_at: NullableTimestamp;
}

/** An alert's timeline. */
export interface AlertEventsTable {
  id: string;
  alert_id: string;
  kind: 'notified' | 'escalated' | 'acknowledged';
  detail: ColumnType<unknown, string | undefined, string>;
  at: Timestamp;
}
