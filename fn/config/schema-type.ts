// The TypeScript type of a value a JSON Schema (written `as const` in schema.ts) accepts, so the schema is
// the only statement of the configuration's shape. Covers the keywords schema.ts uses for shape: type,
// properties, required, items, additionalProperties, enum, const. Keywords that only narrow (pattern,
// minimum, oneOf, if/then/else, not) leave the type as it is. Every level is read-only.

/** `Defaulted` true: the value after validation with ajv's useDefaults, every property with a `default` present. */
export type FromSchema<S, Defaulted extends boolean = false> = S extends { readonly const: infer C }
  ? C
  : S extends { readonly enum: ReadonlyArray<infer E> }
    ? E
    : S extends { readonly type: 'string' }
      ? string
      : S extends { readonly type: 'number' | 'integer' }
        ? number
        : S extends { readonly type: 'boolean' }
          ? boolean
          : S extends { readonly type: 'array'; readonly items: infer I }
            ? ReadonlyArray<FromSchema<I, Defaulted>>
            : S extends { readonly type: 'object'; readonly properties: infer P }
              ? ObjectOf<P, RequiredOf<S> | (Defaulted extends true ? DefaultedOf<P> : never), Defaulted>
              : S extends { readonly type: 'object'; readonly additionalProperties: infer A }
                ? { readonly [key: string]: FromSchema<A, Defaulted> }
                : unknown;

type RequiredOf<S> = S extends { readonly required: ReadonlyArray<infer R> } ? R : never;

type DefaultedOf<P> = { [K in keyof P]: P[K] extends { readonly default: unknown } ? K : never }[keyof P];

type ObjectOf<P, Present, Defaulted extends boolean> = Flatten<
  { readonly [K in keyof P as K extends Present ? K : never]: FromSchema<P[K], Defaulted> } & {
    readonly [K in keyof P as K extends Present ? never : K]?: FromSchema<P[K], Defaulted>;
  }
>;

type Flatten<T> = { [K in keyof T]: T[K] };
