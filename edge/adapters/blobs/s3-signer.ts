/**
 * SigV4 signing for S3 through aws4fetch (3 KB, Web Crypto): the adapter's only signing code path, exported so
 * tests can check it against AWS's published signatures (the local S3 server used in tests does not verify them).
 */
import { AwsClient } from 'aws4fetch';

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

/** SigV4's timestamp form: 20130524T000000Z. */
export const amzDate = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

export function createS3Signer(credentials: S3Credentials) {
  const aws = new AwsClient({ ...credentials, service: 's3', retries: 2 });
  return {
    /** A signed request (Authorization header), dated `at`. */
    sign: (url: string, init: RequestInit, at: number, options: { allHeaders?: boolean } = {}) =>
      aws.sign(url, { ...init, aws: { datetime: amzDate(at), allHeaders: options.allHeaders } }),
    /** A presigned GET URL valid for `expiresInSeconds` from `at`. */
    async presign(url: string, expiresInSeconds: number, at: number): Promise<string> {
      const withExpiry = new URL(url);
      withExpiry.searchParams.set('X-Amz-Expires', String(Math.ceil(expiresInSeconds)));
      const signed = await aws.sign(withExpiry.toString(), { method: 'GET', aws: { signQuery: true, datetime: amzDate(at) } });
      return signed.url;
    },
  };
}
