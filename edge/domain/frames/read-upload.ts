/**
 * Reads a frame upload's body the way real cameras send it: a bounded, streamed read (Content-Length or
 * chunked) that gives up when the body grows past the limit or stops arriving, then either the raw bytes
 * (`image/jpeg`, `application/octet-stream`) or the first file part of a `multipart/form-data` body.
 *
 * Why our own multipart parser rather than `request.formData()`: we must read the stream ourselves anyway to
 * enforce the size limit and the idle timeout (formData() buffers the whole body with neither), and the
 * runtimes' parsers differ in what they forgive (an extra CRLF after the closing boundary, a missing final
 * boundary, bare LF line ends). Parsing the bytes we already hold is small and behaves the same on Workers,
 * Deno and Node. It is strict where the meaning would be unclear: a multipart body needs a boundary and a
 * part that carries a file.
 */
import { AppError } from '../../errors.ts';
import { readLimitedBody } from '../read-limited-body.ts';

export { readLimitedBody };

export const ACCEPTED_TYPES = ['multipart/form-data', 'image/jpeg', 'application/octet-stream'] as const;

/** Room for multipart boundaries, part headers and small fields on top of the image size limit. */
export const MULTIPART_OVERHEAD_BYTES = 16 * 1024;
/** Form fields other than the file (captured_at) are short; longer ones are ignored. */
const MAX_FIELD_BYTES = 1024;

export interface UploadLimits {
  maxBytes: number;
  idleTimeoutMs: number;
  /** The whole upload, so a client trickling a byte now and then cannot hold a request open for ever. */
  totalTimeoutMs: number;
}

export interface Upload {
  image: Uint8Array;
  /** Text fields of a multipart body (first value of each name); empty for a raw body. */
  fields: Record<string, string>;
}

export type BodyKind = { kind: 'raw' } | { kind: 'multipart'; boundary: string };

/** Decides from Content-Type how to read the body; anything else is a 415 that lists what is accepted. */
export function bodyKind(contentType: string | undefined): BodyKind {
  const header = contentType ?? '';
  const type = header.split(';')[0].trim().toLowerCase();
  if (type === 'image/jpeg' || type === 'image/jpg' || type === 'application/octet-stream') return { kind: 'raw' };
  if (type === 'multipart/form-data') {
    // Quoted (may hold ";" or spaces) or a bare token, in any parameter position.
    const boundary = header.match(/;\s*boundary\s*=\s*(?:"([^"]+)"|([^\s";]+))/i);
    const value = boundary?.[1] ?? boundary?.[2];
    if (!value || value.length > 200) throw new AppError('bad_request', 'multipart/form-data needs a boundary parameter in Content-Type', { details: { reason: 'multipart_boundary_missing' } });
    return { kind: 'multipart', boundary: value };
  }
  throw new AppError('unsupported_media_type', `send the frame as ${ACCEPTED_TYPES.join(', ')} (got ${type ? JSON.stringify(type) : 'no Content-Type'})`, {
    details: { accepted: ACCEPTED_TYPES },
  });
}

const tooLarge = (limit: number) =>
  new AppError('payload_too_large', `the frame is larger than ${limit} bytes`, { details: { max_bytes: limit } });

/** The raw body, or the first file part of a multipart body, under the limits. */
export async function readUpload(request: Request, limits: UploadLimits): Promise<Upload> {
  const kind = bodyKind(request.headers.get('content-type') ?? undefined);
  const bodyLimit = kind.kind === 'multipart' ? limits.maxBytes + MULTIPART_OVERHEAD_BYTES : limits.maxBytes;
  const bytes = await readLimitedBody(request.body, request.headers.get('content-length') ?? undefined, bodyLimit, limits.idleTimeoutMs, limits.totalTimeoutMs, { noun: 'frame', verb: 'upload' });
  if (kind.kind === 'raw') return { image: bytes, fields: {} };
  const upload = parseMultipart(bytes, kind.boundary);
  if (upload.image.byteLength > limits.maxBytes) throw tooLarge(limits.maxBytes);
  return upload;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * RFC 7578 multipart, leniently: a preamble, bare LF line ends, a missing closing boundary (the part then runs
 * to the end of the body) and anything after the closing boundary (an extra CRLF) are all accepted. The image is
 * the first part with a filename or a non-text Content-Type, whatever its field name; other parts are fields.
 */
export function parseMultipart(bytes: Uint8Array, boundary: string): Upload {
  // A delimiter only counts at the start of a line, so image bytes that happen to spell it do not cut the part.
  const delimiter = encoder.encode(`\n--${boundary}`);
  const fields: Record<string, string> = {};
  let image: Uint8Array | null = null;
  let pos = startsWith(bytes, delimiter.subarray(1)) ? -1 : indexOf(bytes, delimiter, 0);
  if (pos < 0 && !startsWith(bytes, delimiter.subarray(1))) throw malformed('the body does not contain the boundary from Content-Type');

  for (;;) {
    pos += delimiter.length;
    if (bytes[pos] === 0x2d && bytes[pos + 1] === 0x2d) break; // "--": closing delimiter
    pos = skipLineEnd(bytes, pos);
    if (pos < 0) break; // a boundary at the very end without "--": treat as closed
    const headerEnd = findHeaderEnd(bytes, pos);
    if (!headerEnd) throw malformed('a part has no blank line after its headers');
    const headers = parseHeaders(decoder.decode(bytes.subarray(pos, headerEnd.start)));
    const bodyStart = headerEnd.end;
    // From the blank line's own LF: a delimiter right after the headers means an empty part.
    const next = indexOf(bytes, delimiter, bodyStart - 1);
    // The CRLF (or LF) before a delimiter belongs to the delimiter, not to the part.
    let bodyEnd = next < 0 ? bytes.length : next;
    if (next < 0 && bytes[bodyEnd - 1] === 0x0a) bodyEnd--;
    if (bytes[bodyEnd - 1] === 0x0d) bodyEnd--;
    const content = bytes.subarray(bodyStart, Math.max(bodyStart, bodyEnd));
    if (isFilePart(headers)) image ??= content;
    else if (headers.name && !(headers.name in fields) && content.byteLength <= MAX_FIELD_BYTES) fields[headers.name] = decoder.decode(content).trim();
    if (next < 0) break;
    pos = next;
  }
  if (!image) {
    throw new AppError('bad_request', 'the multipart body has no file part: send the JPEG as a part with a filename or Content-Type image/jpeg', {
      details: { reason: 'multipart_no_file', fields: Object.keys(fields) },
    });
  }
  return { image, fields };
}

const malformed = (why: string) => new AppError('bad_request', `malformed multipart body: ${why}`, { details: { reason: 'multipart_malformed' } });

interface PartHeaders {
  name?: string;
  filename?: string;
  contentType?: string;
}

function isFilePart(headers: PartHeaders): boolean {
  if (headers.filename !== undefined) return true;
  return headers.contentType !== undefined && !headers.contentType.startsWith('text/');
}

function parseHeaders(text: string): PartHeaders {
  const out: PartHeaders = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-type') out.contentType = value.split(';')[0].trim().toLowerCase();
    if (name === 'content-disposition') {
      out.name = param(value, 'name');
      out.filename = param(value, 'filename') ?? param(value, 'filename\\*');
    }
  }
  return out;
}

function param(header: string, name: string): string | undefined {
  const match = header.match(new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i'));
  if (!match) return undefined;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2];
}

/** After a delimiter: optional transport padding (spaces, tabs), then CRLF or LF. Returns -1 at the end. */
function skipLineEnd(bytes: Uint8Array, from: number): number {
  let pos = from;
  while (bytes[pos] === 0x20 || bytes[pos] === 0x09) pos++;
  if (pos >= bytes.length) return -1;
  if (bytes[pos] === 0x0d && bytes[pos + 1] === 0x0a) return pos + 2;
  if (bytes[pos] === 0x0a) return pos + 1;
  throw malformed('a boundary is not followed by a line end');
}

/** The blank line that ends a part's headers: CRLFCRLF, or LFLF from sloppy clients. */
function findHeaderEnd(bytes: Uint8Array, from: number): { start: number; end: number } | null {
  // A part with no headers at all starts with the blank line.
  if (bytes[from] === 0x0d && bytes[from + 1] === 0x0a) return { start: from, end: from + 2 };
  if (bytes[from] === 0x0a) return { start: from, end: from + 1 };
  const limit = Math.min(bytes.length, from + 8192);
  for (let i = from; i < limit - 1; i++) {
    if (bytes[i] !== 0x0a) continue;
    if (bytes[i + 1] === 0x0a) return { start: i, end: i + 2 };
    if (bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a) return { start: i, end: i + 3 };
  }
  return null;
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

/** First index of `needle` in `haystack` at or after `from`, or -1. */
function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  const last = haystack.length - needle.length;
  for (let i = haystack.indexOf(first, from); i >= 0 && i <= last; i = haystack.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}
