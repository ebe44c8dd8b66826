/** The Resolver port contract (resolver.contract.ts) over the adapters that run on Node; Deno's runs in Deno. */
import { describe, it } from 'vitest';
import { selfSignedCertificate } from '../../../e2e/support/self-signed-certificate.ts';
import { createNodeResolver } from './node-resolver.ts';
import { resolvingCases, unsupportedCases } from './resolver.contract.ts';
import { createUnsupportedResolver } from './unsupported-resolver.ts';

const tls = selfSignedCertificate('pinned-receiver.example');

describe('resolver: node', () => {
  for (const c of resolvingCases) it(c.name, () => c.run(createNodeResolver(), tls), 15_000);
});

describe('resolver: unsupported (Workers)', () => {
  for (const c of unsupportedCases) it(c.name, () => c.run(createUnsupportedResolver()));
});
