/**
 * What a model measured in one frame (FrameSignals): raw measurements, not conclusions — the rules and the fleet's
 * learned model decide what they mean, against the camera's own baseline. Every field is nullable because not every
 * model measures everything, and defaults to null so that rows stored before a field existed still read.
 *
 * Positions are in the frame, divided by its longer side (so distances are true to shape): x from the left,
 * y from the top, both 0–1 at most.
 */
import { z } from 'zod';

const unit = z.number().min(0).max(1);
/** [x, y, score]: a body keypoint where the pose model put it, and how sure it was. */
const keypoint = z.tuple([unit, unit, unit]);

/** The body keypoints a cabin camera can see (MoveNet's, without knees and ankles). */
export const BODY_POINTS = [
  'nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear', 'left_shoulder', 'right_shoulder',
  'left_elbow', 'right_elbow', 'left_wrist', 'right_wrist', 'left_hip', 'right_hip',
] as const;
export type BodyPoint = (typeof BODY_POINTS)[number];

export const bodySignalsSchema = z.object({
  score: unit,
  keypoints: z.partialRecord(z.enum(BODY_POINTS), keypoint),
});
export type BodySignals = z.infer<typeof bodySignalsSchema>;

export const handSignalsSchema = z.object({
  /** Box centre and size. */
  x: unit,
  y: unit,
  w: unit,
  h: unit,
  score: unit,
  /** Share of the fingers curled (0 open hand … 1 fist or a grip around something); null without landmarks. */
  grip: unit.nullable(),
});
export type HandSignals = z.infer<typeof handSignalsSchema>;

const nullable = <T extends z.ZodType>(schema: T) => schema.nullable().default(null);

export const frameSignalsSchema = z.object({
  face_found: nullable(z.boolean()),
  face_score: nullable(unit),
  /** The driver's face box: [x, y, width, height]. */
  face_box: nullable(z.tuple([unit, unit, unit, unit])),
  /**
   * Eye opening as a ratio of eye height to eye width, mean of both eyes (≈0.25–0.35 open, < 0.15 closed); null when
   * the mesh cannot be trusted for it (head turned far, the two eyes disagreeing, a ratio no open eye has — glasses).
   */
  eye_openness: nullable(z.number().min(0).max(2)),
  /** Mouth opening relative to mouth width (> ~0.5 is a yawn). */
  mouth_openness: nullable(z.number().min(0).max(5)),
  /** Head yaw and pitch in degrees from the face mesh, 0 = facing the camera. */
  head_yaw_deg: nullable(z.number().min(-180).max(180)),
  head_pitch_deg: nullable(z.number().min(-180).max(180)),
  /** The driver's body (pose model): null when the model did not run; `found: false` … see body_found. */
  body_found: nullable(z.boolean()),
  body: nullable(bodySignalsSchema),
  /** Hands the hand model found (driver's and anyone else's); null when it did not run. */
  hands: nullable(z.array(handSignalsSchema).max(4)),
  /** Best score of a detected mobile phone (0–1), or null if no object model ran. */
  phone_score: nullable(unit),
  person_count: nullable(z.number().int().min(0)),
  /** Mean luminance 0–255 (a covered or black lens is near 0). */
  brightness: nullable(z.number().min(0).max(255)),
  /** Standard deviation of luminance (a lens covered by tape or a finger is uniform, whatever its brightness). */
  contrast: nullable(z.number().min(0).max(255)),
  /** The frame as 12×9 grey cells (0–255, row by row): tells the camera was moved when the picture changes for good. */
  scene: nullable(z.array(z.number().int().min(0).max(255)).length(108)),
});
export type FrameSignals = z.infer<typeof frameSignalsSchema>;

export const EMPTY_SIGNALS: FrameSignals = {
  face_found: null,
  face_score: null,
  face_box: null,
  eye_openness: null,
  mouth_openness: null,
  head_yaw_deg: null,
  head_pitch_deg: null,
  body_found: null,
  body: null,
  hands: null,
  phone_score: null,
  person_count: null,
  brightness: null,
  contrast: null,
  scene: null,
};
