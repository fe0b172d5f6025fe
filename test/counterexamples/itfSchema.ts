// The JSON schema of ITF (test/fixtures/itf.schema.json, written from Apalache ADR-015), compiled
// by ajv: an independent check of what grantcheck writes and of what it reads.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';

const schema = JSON.parse(readFileSync(new URL('../fixtures/itf.schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv({ allErrors: false, strict: true }).compile(schema);

/** Why `trace` (parsed JSON) is not ITF, or undefined when the schema accepts it. */
export function itfSchemaErrors(trace: unknown): string | undefined {
  if (validate(trace)) return undefined;
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ');
}
