/** GET /api/v1/openapi.json (OpenAPI 3.1 from the routes' zod schemas) and GET /api/docs (a readable page of it). */
import type { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { buildOpenApi, type RouteDoc } from '../openapi/route-docs.ts';
import { VERSION } from '../platform.ts';

export const apiDocsDocs: RouteDoc[] = [
  { method: 'get', path: '/api/v1/openapi.json', summary: 'This OpenAPI document', tag: 'Operations', auth: 'none', responses: { 200: 'OpenAPI 3.1' } },
  { method: 'get', path: '/api/docs', summary: 'Readable API documentation', tag: 'Operations', auth: 'none', responses: { 200: 'HTML' } },
];

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function renderDocsPage(document: ReturnType<typeof buildOpenApi>): string {
  const sections = new Map<string, string[]>();
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(operations as Record<string, { summary: string; tags: string[]; requestBody?: { content: Record<string, { schema: unknown }> }; parameters: { name: string; in: string }[]; responses: Record<string, { description: string }> }>)) {
      const body = op.requestBody ? `<pre>${escapeHtml(JSON.stringify(op.requestBody.content['application/json'].schema, null, 2))}</pre>` : '';
      const params = op.parameters.length ? `<p>Parameters: ${op.parameters.map((p) => `<code>${escapeHtml(p.name)}</code> (${p.in})`).join(', ')}</p>` : '';
      const responses = Object.entries(op.responses).map(([status, r]) => `<li><code>${status}</code> ${escapeHtml(r.description)}</li>`).join('');
      const html = `<details><summary><b class="m ${method}">${method.toUpperCase()}</b> <code>${escapeHtml(path)}</code> — ${escapeHtml(op.summary)}</summary>${params}${body}<ul>${responses}</ul></details>`;
      const tag = op.tags[0];
      sections.set(tag, [...(sections.get(tag) ?? []), html]);
    }
  }
  const content = [...sections].map(([tag, items]) => `<section><h2>${escapeHtml(tag)}</h2>${items.join('')}</section>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>TaxiWatch API</title><style>
body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:0 auto;padding:1rem;color:#1a1a1a}
details{border:1px solid #ccc;border-radius:6px;margin:.4rem 0;padding:.4rem .6rem}summary{cursor:pointer}
pre{background:#f4f4f4;padding:.5rem;overflow:auto}.m{display:inline-block;min-width:4.2em}
.get{color:#05620f}.post{color:#0b3d91}.patch{color:#7a4a00}.delete{color:#9b1111}</style></head>
<body><h1>TaxiWatch API ${escapeHtml(document.info.version)}</h1>
<p>Every error is <code>{"error":{"code","message","details"},"requestId"}</code>. Authenticate with
<code>Authorization: Bearer &lt;access token or API key&gt;</code>. Machine-readable: <a href="/api/v1/openapi.json">openapi.json</a>.</p>
${content}</body></html>`;
}

export function registerApiDocs(app: Hono<AppEnv>, docs: RouteDoc[]) {
  // Built on first use: the Worker assembles the app per request and most requests never ask for the docs.
  let built: { document: ReturnType<typeof buildOpenApi>; page: string } | undefined;
  const docsOnce = () => {
    if (!built) {
      const document = buildOpenApi([...docs, ...apiDocsDocs], VERSION);
      built = { document, page: renderDocsPage(document) };
    }
    return built;
  };
  app.get('/api/v1/openapi.json', (c) => c.json(docsOnce().document));
  // A static page with its own inline styles and no script at all.
  app.get('/api/docs', (c) => c.html(docsOnce().page, 200, { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'" }));
}
