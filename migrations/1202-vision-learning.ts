/**
 * What the vision pipeline learns (issue 12): each camera's calibration (its normal picture of the driver), each
 * fleet's labelled examples (owners' frame labels and incident reviews, with the frame's features copied, so an
 * example outlives the frame's retention), the fleet's fitted model, and what a cloud model said when asked to
 * confirm an ACCIDENT candidate.
 */
import { sqlMigration } from './sql-migration.ts';

export const visionLearning = sqlMigration(`
  CREATE TABLE camera_calibrations (
    device_id text PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
    fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
    status text NOT NULL CHECK (status IN ('calibrating', 'ready')),
    state jsonb NOT NULL,
    learned_at timestamptz,
    updated_at timestamptz NOT NULL
  );
  CREATE TABLE vision_examples (
    id text PRIMARY KEY,
    fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
    frame_id text NOT NULL,
    label text NOT NULL,
    source text NOT NULL CHECK (source IN ('label', 'review')),
    incident_id text,
    features jsonb NOT NULL,
    created_by text,
    created_at timestamptz NOT NULL,
    UNIQUE (fleet_id, frame_id)
  );
  CREATE INDEX vision_examples_fleet ON vision_examples (fleet_id, created_at, id);
  CREATE TABLE fleet_vision_models (
    fleet_id text PRIMARY KEY REFERENCES fleets(id) ON DELETE CASCADE,
    model jsonb,
    examples integer NOT NULL,
    accuracy double precision,
    trained_at timestamptz NOT NULL
  );
  ALTER TABLE incidents ADD COLUMN confirmation jsonb;
`);
