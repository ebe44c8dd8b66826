/**
 * Import rules for the architecture (docs/develop/tests.md, "Lint"): `npm run lint:imports`, part of `npm test`.
 * Production code only: tests (`*.test.ts`, `*.test.tsx`) run on Node and may import anything.
 */
const TESTS = '\\.test\\.tsx?$';

// edge/ and jobs/ code that runs only on Node and may use `node:` modules, besides edge/runtime/. Add to this list
// only an adapter that cannot be written with Web APIs, and say why in its header.
const NODE_ONLY = [
  '^edge/runtime/',
  '^edge/adapters/assets/disk-assets\\.ts$', // serves the built web app from disk
  '^edge/adapters/blobs/fs-blobs\\.ts$', // blobs on the local disk
  '^edge/adapters/blobs/file-writer-thread\\.ts$', // fs-blobs' writes off the event loop (node:worker_threads)
  '^edge/adapters/resolver/node-resolver\\.ts$', // DNS lookups pinned on Node
  '^edge/adapters/resolver/pinned-http\\.ts$', // HTTP to the pinned address on Node
  '^edge/adapters/resolver/resolver\\.contract\\.ts$', // shared test cases of the resolver contract
  '^edge/adapters/email/smtp-email\\.ts$', // SMTP over TCP through nodemailer (node:net, node:tls)
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-stays-pure',
      comment:
        'edge/domain/ is the business logic: it talks to ports, never to an adapter, route, middleware or runtime.',
      severity: 'error',
      from: { path: '^edge/domain/', pathNot: TESTS },
      to: { path: '^edge/(adapters|routes|runtime|middleware)/' },
    },
    {
      name: 'ports-stay-contracts',
      comment: 'edge/ports/ declares contracts; it depends on no adapter, route, middleware or runtime.',
      severity: 'error',
      from: { path: '^edge/ports/', pathNot: TESTS },
      to: { path: '^edge/(adapters|routes|runtime|middleware)/' },
    },
    {
      name: 'web-apis-only',
      comment:
        'edge/ and jobs/ run on Workers, Deno and Node: Web APIs only. Node built-ins only in edge/runtime/ and the Node-only adapters listed in .dependency-cruiser.cjs.',
      severity: 'error',
      from: { path: '^(edge|jobs)/', pathNot: [TESTS, ...NODE_ONLY] },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'node-adapters-stay-off-workers',
      comment:
        'The Worker bundle has no node:net, node:tls or disk: its entry must not reach a Node-only adapter, nor nodemailer (SMTP), which Node and Deno load through edge/runtime/local-email-from-config.ts.',
      severity: 'error',
      from: { path: '^edge/runtime/worker\\.ts$' },
      to: {
        path: [...NODE_ONLY.filter((p) => p.startsWith('^edge/adapters/')), 'node_modules/nodemailer/'],
        reachable: true,
      },
    },
    {
      name: 'no-circular',
      comment:
        'Modules that import each other, directly or through others, cannot be understood or loaded one at a time.',
      severity: 'error',
      from: { pathNot: TESTS },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^node_modules/', '^dist/', '^\\.wrangler/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] },
  },
};
