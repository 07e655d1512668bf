/**
 * Each process's forms as named schemas in /openapi.json: its request (`change.request`) and
 * each step's form (`change.opsAssessment`), as its definition lists them — by the step's name,
 * or by the form name a step made at run time gives (`release.executionStep` for
 * `executionStep1`, `executionStep2`…). A pending step names its form (`formRef`), so a client
 * renders any case from the published contract alone.
 */
import { formRefOf } from '../workflows/contracts/process-definition';
import { definitions } from '../workflows/registry';
import { completeBody, type Schema } from './schemas';

export function processFormSchemas(): Record<string, Schema> {
  return Object.fromEntries(
    definitions.flatMap((d) => [
      [`${d.name}.request`, { title: `${d.title.en} request`, ...d.startSchema }],
      ...Object.entries(d.forms ?? {}).map(([step, form]) => [
        formRefOf(d.name, step),
        { title: `${d.name} ${step}`, ...form },
      ]),
    ]),
  );
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/**
 * The complete-task body as published: `form` is one of the step forms. There is no
 * discriminator: a form carries no step name, the `{task}` in the path picks it, and the pending
 * step's `formRef` (in GET /cases/{id} and the inbox) names the one to send.
 */
export function publishedCompleteBody(): Schema {
  const refs = definitions.flatMap((d) =>
    Object.keys(d.forms ?? {}).map((step) => ref(formRefOf(d.name, step))),
  );
  const properties = completeBody.properties as Record<string, Schema>;
  return {
    ...completeBody,
    properties: {
      ...properties,
      form: {
        description:
          "the step's form: the schema the pending step's formRef names (one of these; the {task} in the path decides which)",
        oneOf: refs,
      },
    },
  };
}
