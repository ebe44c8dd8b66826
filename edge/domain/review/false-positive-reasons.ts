/** Why a reviewer called an incident a false positive: a closed set that can be counted, beside free text. */
import type { FalsePositiveReasonCode } from '../../db/schema.ts';

export const FALSE_POSITIVE_REASON_CODES = ['misdetection', 'camera_misaligned', 'passenger', 'glare', 'test', 'other'] as const satisfies readonly FalsePositiveReasonCode[];
