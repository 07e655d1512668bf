/**
 * Filling a form as a new user does: from the schema `/openapi.json` publishes (a process's
 * `<process>.request`, or the one a pending step names by its `formRef`), taking the simplest
 * valid value of every required field, except the fields whose value is a person's choice (a
 * title, who handles it, a time), which `answers` gives by field name.
 */
export type Schema = Record<string, unknown>;
/** By field name: a value, or a function giving it when the form is filled (a time "now"). */
export type Answers = Record<string, unknown | (() => unknown)>;

/** A date-time written as a pattern (`…T\\d{2}:…`) rather than a format. */
const INSTANT_PATTERN = /T\\d\{2\}/;

export function publishedSchema(doc: Schema, name: string): Schema {
  const schema = (doc.components as { schemas: Record<string, Schema> }).schemas[name];
  if (!schema) throw new Error(`/openapi.json publishes no schema ${name}`);
  return schema;
}

export function fillForm(schema: Schema, doc: Schema, answers: Answers, name = ''): unknown {
  if (typeof schema.$ref === 'string') {
    return fillForm(
      publishedSchema(doc, schema.$ref.replace('#/components/schemas/', '')),
      doc,
      answers,
      name,
    );
  }
  if (name in answers) {
    const answer = answers[name];
    return typeof answer === 'function' ? (answer as () => unknown)() : answer;
  }
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const alternatives = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  if (alternatives) return fillForm(alternatives[0], doc, answers, name);
  switch (schema.type) {
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const required = (schema.required ?? []) as string[];
      return Object.fromEntries(required.map((key) => [key, fillForm(properties[key], doc, answers, key)]));
    }
    case 'array': {
      const min = Math.max((schema.minItems as number | undefined) ?? 0, 0);
      const item = schema.items as Schema;
      return Array.from({ length: min }, (_, i) => {
        const value = fillForm(item, doc, answers, name);
        return typeof value === 'string' && i > 0 ? `${value} ${i + 1}` : value;
      });
    }
    case 'boolean':
      return false;
    case 'number':
    case 'integer':
      return (schema.minimum as number | undefined) ?? 1;
    case 'string': {
      const pattern = typeof schema.pattern === 'string' ? schema.pattern : '';
      if (schema.format === 'date-time' || INSTANT_PATTERN.test(pattern)) return new Date().toISOString();
      if (schema.format === 'date' || pattern === '^\\d{4}-\\d{2}-\\d{2}$') {
        return new Date().toISOString().slice(0, 10);
      }
      return 'as agreed';
    }
    default:
      throw new Error(`cannot fill ${name || 'a field'}: ${JSON.stringify(schema)}`);
  }
}
