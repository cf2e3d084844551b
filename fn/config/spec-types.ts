// What the generated validators accept, as types derived from the schemas (schema-type.ts): the shape is
// stated once, in schema.ts, and the validators are type guards over these types.
import type { ErrorObject } from 'ajv';
import type { FromSchema } from './schema-type.js';
import type { configMapDataSchema, registryProxySpecSchema } from './schema.js';

/** A RegistryProxy spec that passed validation, every `default` of the schema filled in. */
export type RegistryProxySpec = FromSchema<typeof registryProxySpecSchema, true>;

/** A ConfigMap's data that passed validation: strings under the keys the schema names. */
export type ConfigMapData = FromSchema<typeof configMapDataSchema>;

/** A generated standalone validator: on false, `errors` holds why. It fills in defaults where it accepts. */
export interface SchemaGuard<T> {
  (data: unknown): data is T;
  errors?: ErrorObject[] | null;
}
