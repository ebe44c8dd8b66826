/** Stand-in Blobs where no store is configured (Workers without S3): health says so, every call fails clearly. */
import { AppError } from '../../errors.ts';
import type { Blobs } from '../../ports/blobs.ts';

export function createUnconfiguredBlobs(hint: string): Blobs {
  const fail = async (): Promise<never> => {
    throw new AppError('not_configured', `blob store is not configured: ${hint}`);
  };
  return { adapter: 'none', ping: fail, put: fail, get: fail, delete: fail, list: fail, signedUrl: fail };
}
