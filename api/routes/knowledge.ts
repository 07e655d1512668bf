/**
 * The knowledge base (000 "知识库", 004 §6.2, §7.3.1 e): propose an entry by hand or from a case,
 * edit it (each edit a new version, reviewed before it is published), read any version, search
 * the published ones in Chinese and English, and suggestions for a text such as a new defect's.
 */
import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { caseAccess } from '../../db/case-access';
import { getCase } from '../../db/cases';
import {
  addVersion,
  createEntry,
  getEntry,
  getVersion,
  listVersions,
  pickContent,
  unknownSystems,
  versionOpenedBy,
  type KnowledgeContent,
  type KnowledgeOrigin,
  type KnowledgeVersion,
} from '../../db/knowledge';
import { knowledgeAccess } from '../../db/knowledge-access';
import { searchKnowledge, suggestKnowledge } from '../../db/knowledge-search';
import { draftFromCase } from '../../db/knowledge-sources';
import { canonicalJson } from '../../db/canonical-json';
import type { Config } from '../../runtime/config';
import type { Principal } from '../auth';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '../errors';
import { reviewCaseNumber, startReview } from '../knowledge-review';
import type { OperationRegistry } from '../operations';
import * as s from '../schemas';
import { idempotencyKeyOf } from './cases';

const storable = '^[^\\u0000\\uD800-\\uDFFF]*$';
const text = (max: number): s.Schema => ({ type: 'string', minLength: 1, maxLength: max, pattern: storable });
const list = (max: number, item: s.Schema): s.Schema => ({
  type: 'array',
  maxItems: max,
  uniqueItems: true,
  items: item,
});
const caseId: s.Schema = { type: 'string', pattern: s.CASE_ID_PATTERN };
const entryIdParam: s.Schema = { type: 'string', pattern: '^KB-[0-9]{6,}$' };
const problem = (description: string) => ({ description, schema: s.problemSchema });

const contentProperties: Record<string, s.Schema> = {
  title: { ...text(200), description: 'one line naming the problem' },
  problem: { ...text(8000), description: 'what goes wrong, as the person who meets it describes it' },
  symptoms: { ...text(8000), description: 'what one sees: messages, error codes, behaviour' },
  cause: { ...text(8000), description: 'the root cause found' },
  solution: { ...text(8000), description: 'how to solve it, step by step' },
  systems: {
    ...list(20, s.idParam),
    description: 'ids of the systems it concerns (`/api/v1/admin/systems`)',
  },
  tags: list(20, text(100)),
};

const proposalSchema: s.Schema = {
  title: 'KnowledgeProposal',
  type: 'object',
  additionalProperties: false,
  description:
    'A new entry. With `sourceCase` (a resolved defect, a closed emergency event or a rolled-back change you may read) the entry is drafted from that case and linked to it; fields given here override the draft. Without it, `title`, `problem` and `solution` are required.',
  properties: { sourceCase: caseId, ...contentProperties },
};

/** As /openapi.json shows it: which fields are required depends on whether a case drafts the entry. */
const publishedProposalSchema: s.Schema = {
  ...proposalSchema,
  anyOf: [
    { title: 'from a case', required: ['sourceCase'] },
    { title: 'by hand', required: ['title', 'problem', 'solution'] },
  ],
};

const editSchema: s.Schema = {
  title: 'KnowledgeEdit',
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  description:
    "Changes to the entry's latest version; fields left out are kept. `sourceCases` adds links to cases you may read.",
  properties: { ...contentProperties, sourceCases: list(20, caseId) },
};

const versionSchema: s.Schema = {
  title: 'KnowledgeVersion',
  type: 'object',
  additionalProperties: false,
  required: [
    'entryId',
    'version',
    'title',
    'problem',
    'symptoms',
    'cause',
    'solution',
    'systems',
    'tags',
    'sourceCases',
    'origin',
    'status',
    'reviewCaseId',
    'author',
    'createdAt',
    'decidedBy',
    'decidedAt',
  ],
  properties: {
    entryId: { type: 'string' },
    version: { type: 'integer' },
    title: { type: 'string' },
    problem: { type: 'string' },
    symptoms: { type: 'string' },
    cause: { type: 'string' },
    solution: { type: 'string' },
    systems: { type: 'array', items: { type: 'string' } },
    tags: { type: 'array', items: { type: 'string' } },
    sourceCases: { type: 'array', items: { type: 'string' } },
    origin: { enum: ['manual', 'defect', 'emergency', 'change'] },
    status: {
      enum: ['in_review', 'published', 'superseded', 'rejected', 'returned'],
      description: 'in_review until its review case decides; published is the current text',
    },
    reviewCaseId: { type: ['string', 'null'], description: 'the KNB-… case deciding on this version' },
    author: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    decidedBy: { type: ['string', 'null'] },
    decidedAt: { type: ['string', 'null'], format: 'date-time' },
  },
};

const entrySchema: s.Schema = {
  title: 'KnowledgeEntry',
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'createdBy',
    'createdAt',
    'publishedVersion',
    'publishedAt',
    'latestVersion',
    'current',
    'inReview',
  ],
  properties: {
    id: { type: 'string' },
    createdBy: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    publishedVersion: { type: ['integer', 'null'] },
    publishedAt: { type: ['string', 'null'], format: 'date-time' },
    latestVersion: { type: 'integer' },
    current: { anyOf: [versionSchema, { type: 'null' }], description: 'the published version' },
    inReview: {
      anyOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['version', 'reviewCaseId'],
          properties: { version: { type: 'integer' }, reviewCaseId: { type: ['string', 'null'] } },
        },
        { type: 'null' },
      ],
    },
  },
};

const submittedSchema: s.Schema = {
  title: 'KnowledgeSubmitted',
  type: 'object',
  additionalProperties: false,
  required: ['entryId', 'version', 'reviewCaseId', 'entry'],
  properties: {
    entryId: { type: 'string' },
    version: { type: 'integer' },
    reviewCaseId: { type: 'string', description: 'the review case; its pending step is the approval' },
    entry: versionSchema,
  },
};

export const hitSchema: s.Schema = {
  title: 'KnowledgeHit',
  type: 'object',
  additionalProperties: false,
  required: [
    'entryId',
    'version',
    'title',
    'problem',
    'solution',
    'systems',
    'tags',
    'sourceCases',
    'publishedAt',
    'rank',
  ],
  properties: {
    entryId: { type: 'string' },
    version: { type: 'integer' },
    title: { type: 'string' },
    problem: { type: 'string' },
    solution: { type: 'string' },
    systems: { type: 'array', items: { type: 'string' } },
    tags: { type: 'array', items: { type: 'string' } },
    sourceCases: { type: 'array', items: { type: 'string' } },
    publishedAt: { type: 'string', format: 'date-time' },
    rank: { type: 'number', description: 'full-text rank; higher is better' },
  },
};

const hitsSchema: s.Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['items'],
  properties: { items: { type: 'array', items: hitSchema } },
};

const limitQuery: s.Schema = { type: 'integer', minimum: 1, maximum: 100 };

const idempotencyHeader = {
  'Idempotency-Key': {
    type: 'string',
    maxLength: 200,
    description:
      'client-chosen key, per user; a retry with the same key and the same body returns the first answer (201, same entry and review case, header Idempotent-Replayed: true) and writes nothing; the same key with a different body is 409 IDEMPOTENCY_KEY_REUSED',
  },
} as const;

const requestHash = (operation: string, body: unknown) =>
  createHash('sha256').update(canonicalJson({ operation, body })).digest('hex');

/** The answer to a proposal or an edit: the version and the review case deciding it. */
async function submitted(db: Knex, entryId: string, version: number, reviewCaseId: string, replayed = false) {
  return {
    status: 201,
    headers: {
      Location: `/api/v1/knowledge/entries/${entryId}/versions/${version}`,
      ...(replayed ? { 'Idempotent-Replayed': 'true' } : {}),
    },
    body: { entryId, version, reviewCaseId, entry: await getVersion(db, entryId, version) },
  };
}

/** What the review case of a version is opened with. */
function reviewOf(v: KnowledgeVersion) {
  return { entryId: v.entryId, version: v.version, title: v.title, origin: v.origin, system: v.systems[0] };
}

export interface KnowledgeRouteDeps {
  client: Client;
  db: Knex;
  config: Config;
}

/** Source cases the caller may read; a case that does not exist or is hidden is the same 400. */
async function readableCases(
  db: Knex,
  principal: Principal,
  ids: string[],
  path: string,
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  for (const [i, id] of ids.entries()) {
    if ((await caseAccess(db, principal.user, id)) !== 'visible')
      errors.push({
        path: ids.length === 1 && path === '/sourceCase' ? path : `${path}/${i}`,
        message: `no case ${id} you may read`,
      });
  }
  return errors;
}

async function checkSystems(db: Knex, systems: string[]): Promise<FieldError[]> {
  return (await unknownSystems(db, systems)).map((i) => ({
    path: `/systems/${i}`,
    message: `no system ${systems[i]} in the systems register`,
  }));
}

function refuse(errors: FieldError[], message: string, code = 'VALIDATION_FAILED'): void {
  if (errors.length) throw new ValidationError(errors, message, code);
}

export function registerKnowledgeOperations(api: OperationRegistry, deps: KnowledgeRouteDeps): void {
  const { db } = deps;

  api.add(
    {
      method: 'post',
      path: '/api/v1/knowledge/proposals',
      operationId: 'proposeKnowledgeEntry',
      tag: 'knowledge',
      summary:
        'Propose a knowledge entry, by hand or from a case; it is published once its review case approves it',
      description:
        'Opens a review case (KNB-…) whose approval step waits for the O&M head; the proposer may not approve it (403 SOD_REQUESTER). Until then the entry is not found by search.',
      permission: 'case:act',
      body: proposalSchema,
      publishedBody: publishedProposalSchema,
      headers: idempotencyHeader,
      responses: {
        201: { description: 'the entry and its first version, under review', schema: submittedSchema },
        400: problem(
          'a field is not valid, a required field is missing, or SOURCE_CASE_UNUSABLE naming /sourceCase',
        ),
        401: problem('not authenticated'),
        403: problem('ROLE_REQUIRED'),
        409: problem('IDEMPOTENCY_KEY_REUSED: the key was used with a different request'),
      },
    },
    async ({ body, principal, req }) => {
      const proposal = body as Partial<KnowledgeContent> & { sourceCase?: string };
      let origin: KnowledgeOrigin = 'manual';
      let draft: Partial<KnowledgeContent> = {};
      if (proposal.sourceCase) {
        refuse(
          await readableCases(db, principal, [proposal.sourceCase], '/sourceCase'),
          'unknown source case',
          'SOURCE_CASE_UNUSABLE',
        );
        const source = await getCase(db, proposal.sourceCase);
        const drafted = source ? draftFromCase(source) : { usable: false as const, reason: 'no such case' };
        if (!drafted.usable)
          refuse(
            [{ path: '/sourceCase', message: drafted.reason }],
            'the source case cannot propose an entry',
            'SOURCE_CASE_UNUSABLE',
          );
        else {
          origin = drafted.origin;
          draft = drafted.draft;
        }
      }
      const { sourceCase: _source, ...given } = proposal;
      const merged = { ...draft, ...given };
      const content: KnowledgeContent = {
        title: merged.title ?? '',
        problem: merged.problem ?? '',
        symptoms: merged.symptoms ?? '',
        cause: merged.cause ?? '',
        solution: merged.solution ?? '',
        systems: merged.systems ?? [],
        tags: merged.tags ?? [],
        sourceCases: draft.sourceCases ?? [],
      };
      refuse(
        (['title', 'problem', 'solution'] as const)
          .filter((k) => !content[k].trim())
          .map((k) => ({
            path: `/${k}`,
            message: proposal.sourceCase ? 'is required: the source case does not say it' : 'is required',
          })),
        'the entry is missing required text',
      );
      // A case's title may be longer than an entry's: keep whole characters.
      content.title = Array.from(content.title).slice(0, 200).join('');
      // Drafted systems the register no longer holds are dropped; systems the caller names must exist.
      const unknownDrafted = new Set(
        (await unknownSystems(db, content.systems)).map((i) => content.systems[i]),
      );
      if (!given.systems) content.systems = content.systems.filter((id) => !unknownDrafted.has(id));
      refuse(await checkSystems(db, content.systems), 'unknown systems');

      const key = idempotencyKeyOf(req.get('idempotency-key'));
      const reserved = await reviewCaseNumber(
        deps,
        principal,
        key,
        requestHash('proposeKnowledgeEntry', proposal),
      );
      const reviewCaseId = reserved.caseId;
      const earlier = reserved.replayed ? await versionOpenedBy(db, reviewCaseId) : null;
      const { entryId, version } =
        earlier ?? (await createEntry(db, { content, origin, author: principal.user.id, reviewCaseId }));
      const review = {
        entryId,
        version,
        title: content.title,
        origin,
        sourceCase: proposal.sourceCase,
        system: content.systems[0],
      };
      await startReview(deps, principal, reviewCaseId, review, key);
      return submitted(db, entryId, version, reviewCaseId, earlier !== null);
    },
  );

  api.add(
    {
      method: 'post',
      path: '/api/v1/knowledge/entries/{id}/versions',
      operationId: 'editKnowledgeEntry',
      tag: 'knowledge',
      summary: 'Edit an entry: a new version, reviewed before it replaces the published one',
      description:
        'The published version stays current until the new one is approved. While a version is under review, edits are refused (409 KNOWLEDGE_REVIEW_PENDING): the reviewer sends it back for changes instead.',
      permission: 'case:act',
      params: { id: entryIdParam },
      body: editSchema,
      headers: idempotencyHeader,
      responses: {
        201: { description: 'the new version, under review', schema: submittedSchema },
        400: problem('a field is not valid'),
        401: problem('not authenticated'),
        403: problem('ROLE_REQUIRED'),
        404: problem('no such entry you may read'),
        409: problem('KNOWLEDGE_REVIEW_PENDING: another version is under review; or IDEMPOTENCY_KEY_REUSED'),
      },
    },
    async ({ params, body, principal, req }) => {
      if ((await knowledgeAccess(db, principal.user, params.id)) !== 'visible')
        throw new NotFoundError(`no knowledge entry ${params.id}`, 'KNOWLEDGE_ENTRY_NOT_FOUND');
      const edit = body as Partial<KnowledgeContent>;
      refuse(
        [
          ...(edit.sourceCases ? await readableCases(db, principal, edit.sourceCases, '/sourceCases') : []),
          ...(edit.systems ? await checkSystems(db, edit.systems) : []),
        ],
        'the edit refers to records it cannot use',
      );
      const entry = await getEntry(db, params.id);
      const latest = entry ? await getVersion(db, params.id, entry.latestVersion) : null;
      if (!entry || !latest)
        throw new NotFoundError(`no knowledge entry ${params.id}`, 'KNOWLEDGE_ENTRY_NOT_FOUND');
      const content: KnowledgeContent = {
        ...pickContent(latest),
        ...edit,
        sourceCases: [...new Set([...latest.sourceCases, ...(edit.sourceCases ?? [])])],
      };
      const pending = (reviewCaseId: string | null, version: number) =>
        new ConflictError(
          `version ${version} of ${params.id} is under review in ${reviewCaseId ?? 'a review'}`,
          'KNOWLEDGE_REVIEW_PENDING',
          { reviewCaseId },
        );
      const key = idempotencyKeyOf(req.get('idempotency-key'));
      const hash = requestHash('editKnowledgeEntry', { id: params.id, edit });
      const reserved = await reviewCaseNumber(deps, principal, key, hash);
      const earlier = reserved.replayed ? await versionOpenedBy(db, reserved.caseId) : null;
      if (earlier) {
        await startReview(deps, principal, reserved.caseId, reviewOf(earlier), key);
        return submitted(db, params.id, earlier.version, reserved.caseId, true);
      }
      if (entry.inReview) throw pending(entry.inReview.reviewCaseId, entry.inReview.version);
      const made = await addVersion(db, params.id, {
        content,
        origin: latest.origin,
        author: principal.user.id,
        reviewCaseId: reserved.caseId,
      });
      if (!made) throw new NotFoundError(`no knowledge entry ${params.id}`, 'KNOWLEDGE_ENTRY_NOT_FOUND');
      if ('pending' in made) throw pending(made.pending.reviewCaseId, made.pending.version);
      const version = await getVersion(db, params.id, made.version);
      await startReview(deps, principal, reserved.caseId, reviewOf(version!), key);
      return submitted(db, params.id, made.version, reserved.caseId);
    },
  );

  api.add(
    {
      method: 'get',
      path: '/api/v1/knowledge/entries',
      operationId: 'searchKnowledge',
      tag: 'knowledge',
      summary: 'Search the published entries, in Chinese or English, best match first',
      description:
        'Full-text search in PostgreSQL: Chinese is segmented into words (ICU) and character bigrams, English stemmed; any word may match, entries matching more of the query and matching it in the title or problem rank first. Entries under review are not found.',
      permission: 'case:read',
      query: {
        type: 'object',
        additionalProperties: false,
        required: ['q'],
        properties: {
          q: {
            ...text(400),
            description: 'words to look for, e.g. `数据库 连接 超时` or `connection pool exhausted`',
          },
          system: s.idParam,
          tag: text(100),
          limit: { ...limitQuery, default: 10 },
        },
      },
      responses: {
        200: { description: 'the matching published entries', schema: hitsSchema },
        400: problem('invalid query'),
      },
    },
    async ({ query, principal }) => {
      const q = query as { q: string; system?: string; tag?: string; limit: number };
      const items = await searchKnowledge(db, q.q, {
        limit: Number(q.limit),
        system: q.system,
        tag: q.tag,
        reader: principal.user,
      });
      return { status: 200, body: { items } };
    },
  );

  api.add(
    {
      method: 'get',
      path: '/api/v1/knowledge/suggestions',
      operationId: 'suggestKnowledge',
      tag: 'knowledge',
      summary: 'The published entries that best match a text, e.g. a defect being registered',
      permission: 'case:read',
      query: {
        type: 'object',
        additionalProperties: false,
        required: ['text'],
        properties: {
          text: { ...text(4000), description: "the defect's title and description, as typed" },
          limit: { ...limitQuery, default: 5 },
        },
      },
      responses: {
        200: { description: 'suggested entries, best first', schema: hitsSchema },
        400: problem('invalid query'),
      },
    },
    async ({ query, principal }) => {
      const q = query as { text: string; limit: number };
      const items = await suggestKnowledge(db, q.text, { limit: Number(q.limit), reader: principal.user });
      return { status: 200, body: { items } };
    },
  );

  const notFound = (id: string) => new NotFoundError(`no knowledge entry ${id}`, 'KNOWLEDGE_ENTRY_NOT_FOUND');

  api.add(
    {
      method: 'get',
      path: '/api/v1/knowledge/entries/{id}',
      operationId: 'getKnowledgeEntry',
      tag: 'knowledge',
      summary: 'An entry: its published (current) version and the version under review, if any',
      permission: 'case:read',
      params: { id: entryIdParam },
      responses: {
        200: { description: 'the entry', schema: entrySchema },
        404: problem('no such entry you may read'),
      },
    },
    async ({ params, principal }) => {
      if ((await knowledgeAccess(db, principal.user, params.id)) !== 'visible') throw notFound(params.id);
      const entry = await getEntry(db, params.id);
      if (!entry) throw notFound(params.id);
      return { status: 200, body: entry };
    },
  );

  api.add(
    {
      method: 'get',
      path: '/api/v1/knowledge/entries/{id}/versions',
      operationId: 'listKnowledgeVersions',
      tag: 'knowledge',
      summary: "Every version of an entry, oldest first, with each one's review outcome",
      permission: 'case:read',
      params: { id: entryIdParam },
      responses: {
        200: {
          description: 'the versions',
          schema: {
            type: 'object',
            additionalProperties: false,
            required: ['items'],
            properties: { items: { type: 'array', items: versionSchema } },
          },
        },
        404: problem('no such entry you may read'),
      },
    },
    async ({ params, principal }) => {
      if ((await knowledgeAccess(db, principal.user, params.id)) !== 'visible') throw notFound(params.id);
      return { status: 200, body: { items: await listVersions(db, params.id) } };
    },
  );

  api.add(
    {
      method: 'get',
      path: '/api/v1/knowledge/entries/{id}/versions/{version}',
      operationId: 'getKnowledgeVersion',
      tag: 'knowledge',
      summary: 'One version of an entry, as it was written',
      permission: 'case:read',
      params: { id: entryIdParam, version: { type: 'string', pattern: '^[1-9][0-9]{0,8}$' } },
      responses: {
        200: { description: 'the version', schema: versionSchema },
        404: problem('no such entry or version you may read'),
      },
    },
    async ({ params, principal }) => {
      if ((await knowledgeAccess(db, principal.user, params.id)) !== 'visible') throw notFound(params.id);
      const version = await getVersion(db, params.id, Number(params.version));
      if (!version)
        throw new NotFoundError(
          `${params.id} has no version ${params.version}`,
          'KNOWLEDGE_VERSION_NOT_FOUND',
        );
      return { status: 200, body: version };
    },
  );
}
