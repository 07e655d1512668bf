/** The OpenAPI 3.1 document and the /docs page, both generated from the declared operations. */
import type { OperationSpec } from './operations';
import { describePermission } from './policy';
import { problemSchema, type Schema } from './schemas';

/**
 * Answers any operation can give before its own handler runs — the JSON body parser and its
 * nesting limit, the path/query/body checks of the registry, the per-client limits — so each
 * operation's entry lists them without every route declaring them again. An operation's own
 * description of the same status wins.
 */
const problem = (description: string) => ({ description, schema: problemSchema });
const everyOperation = {
  400: problem(
    'the request could not be read or is not valid: malformed JSON (`MALFORMED_JSON`), a body nested deeper than 32 levels (`BODY_TOO_DEEP`), a bad path or query parameter (`INVALID_PARAMETER`, `INVALID_QUERY`) or field (`VALIDATION_FAILED`); `errors` names each',
  ),
  413: problem('the body is larger than the server accepts (`BODY_TOO_LARGE`, API_BODY_LIMIT)'),
  415: problem('a body in a media type, charset or content encoding the server does not take'),
  503: problem('Temporal or PostgreSQL is not available right now; retry (`UNAVAILABLE`)'),
};
const authenticated = {
  401: problem('no, expired or invalid credentials'),
  403: problem("the caller's roles do not allow this operation (`ROLE_REQUIRED`)"),
  429: problem('too many failed authentications from this client in the last minute (`AUTH_RATE_LIMITED`)'),
};

export function openApiDocument(
  operations: OperationSpec[],
  serverUrl: string,
  /** Named schemas besides the operations' own: each process's request and step forms. */
  schemas: Record<string, Schema> = {},
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const parameters = [
      ...Object.entries(op.params ?? {}).map(([name, schema]) => ({
        name,
        in: 'path',
        required: true,
        schema,
      })),
      ...Object.entries((op.query?.properties as Record<string, Schema> | undefined) ?? {}).map(
        ([name, schema]) => ({
          name,
          in: 'query',
          required: ((op.query?.required as string[] | undefined) ?? []).includes(name),
          schema,
          ...(schema.description ? { description: schema.description } : {}),
        }),
      ),
      ...Object.entries(op.headers ?? {}).map(([name, schema]) => ({
        name,
        in: 'header',
        required: false,
        schema,
        description: schema.description,
      })),
    ];
    const bodyTypes = op.bodyTypes ?? ['application/json'];
    paths[op.path] ??= {};
    paths[op.path][op.method] = {
      operationId: op.operationId,
      summary: op.summary,
      description: [
        op.description,
        op.permission === 'public' ? 'No authentication.' : `Who: ${describePermission(op.permission)}.`,
      ]
        .filter(Boolean)
        .join('\n\n'),
      tags: [op.tag],
      ...(op.permission === 'public' ? { security: [] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(op.body || op.bodyTypes
        ? {
            requestBody: {
              required: !op.bodyOptional,
              content: Object.fromEntries(
                bodyTypes.map((t) => [
                  t,
                  {
                    schema:
                      t === 'application/json'
                        ? (op.publishedBody ?? op.body ?? { type: 'object' })
                        : { type: 'string' },
                  },
                ]),
              ),
            },
          }
        : {}),
      responses: Object.fromEntries(
        Object.entries({
          ...everyOperation,
          ...(op.permission === 'public' ? {} : authenticated),
          ...op.responses,
        }).map(([status, r]) => [
          status,
          {
            description: r.description,
            ...(r.schema
              ? {
                  content: {
                    [r.schema === problemSchema ? 'application/problem+json' : 'application/json']: {
                      schema: r.schema,
                    },
                    ...Object.fromEntries(
                      Object.entries((r as { media?: Record<string, unknown> }).media ?? {}).map(
                        ([type, schema]) => [type, { schema }],
                      ),
                    ),
                  },
                }
              : {}),
          },
        ]),
      ),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Opsflow API',
      version: '1.0.0',
      description:
        'IT-operations processes as durable workflows. Errors are RFC 9457 problems (application/problem+json) with a stable `code`.',
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }, { apiKey: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
      schemas: { Problem: problemSchema, ...schemas },
    },
    paths,
  };
}

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

const json = (value: unknown) => `<pre>${escape(JSON.stringify(value, null, 2))}</pre>`;

/** A self-contained page (no scripts, no CDN): every operation with its parameters and schemas. */
export function docsPage(document: Record<string, unknown>): string {
  const paths = document.paths as Record<string, Record<string, Record<string, unknown>>>;
  const sections = Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const body = op.requestBody as { content: Record<string, { schema: unknown }> } | undefined;
      const responses = op.responses as Record<
        string,
        { description: string; content?: Record<string, { schema: unknown }> }
      >;
      return `<section id="${escape(String(op.operationId))}">
  <h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escape(path)}</code></h3>
  <p><strong>${escape(String(op.summary))}</strong></p>
  <p>${escape(String(op.description ?? '')).replace(/\n\n/g, '<br>')}</p>
  ${op.parameters ? `<h4>Parameters</h4>${json(op.parameters)}` : ''}
  ${
    body
      ? `<details><summary>Request body</summary>${Object.entries(body.content)
          .map(([t, c]) => `<p>${escape(t)}</p>${json(c.schema)}`)
          .join('')}</details>`
      : ''
  }
  <details><summary>Responses</summary>${Object.entries(responses)
    .map(
      ([status, r]) =>
        `<p><code>${escape(status)}</code> ${escape(r.description)}</p>${r.content ? json(Object.values(r.content)[0].schema) : ''}`,
    )
    .join('')}</details>
</section>`;
    }),
  );
  const info = document.info as { title: string; description: string };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(info.title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem;color:#222}
section{border-top:1px solid #ddd;padding:.5rem 0}
pre{background:#f6f8fa;padding:.75rem;overflow:auto;font-size:12px}
.m{display:inline-block;min-width:4.5rem;text-align:center;color:#fff;border-radius:3px;padding:2px 6px;font-size:13px}
.get{background:#2b7bb9}.post{background:#3a9a4c}.put{background:#b58a1b}.delete{background:#b9342b}
</style></head><body>
<h1>${escape(info.title)}</h1><p>${escape(info.description)}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Authenticate with <code>Authorization: Bearer &lt;JWT&gt;</code> or <code>X-API-Key</code>.</p>
<nav><ul>${Object.entries(paths)
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(
        ([method, op]) =>
          `<li><a href="#${escape(String(op.operationId))}">${method.toUpperCase()} ${escape(path)}</a></li>`,
      ),
    )
    .join('')}</ul></nav>
${sections.join('\n')}
</body></html>`;
}
