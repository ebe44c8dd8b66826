/** The S3 blob store when S3_* variables are configured, on any runtime. */
import { createS3Blobs } from '../adapters/blobs/s3-blobs.ts';
import type { Config } from '../config.ts';
import type { Blobs } from '../ports/blobs.ts';
import type { Clock } from '../ports/clock.ts';

export function s3BlobsFromConfig(config: Config, clock: Clock): Blobs | null {
  if (!config.S3_ENDPOINT || !config.S3_BUCKET || !config.S3_ACCESS_KEY_ID || !config.S3_SECRET_ACCESS_KEY) return null;
  return createS3Blobs({
    endpoint: config.S3_ENDPOINT,
    bucket: config.S3_BUCKET,
    region: config.S3_REGION,
    accessKeyId: config.S3_ACCESS_KEY_ID,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY,
    clock,
  });
}
