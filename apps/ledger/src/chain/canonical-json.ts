// RFC 8785 (JSON Canonicalization Scheme) through the `canonicalize` library, behind one typed
// function, so the rest of the ledger never deals with the library's module shape.
import canonicalizeImport from 'canonicalize';

type Serialize = (input: unknown) => string | undefined;

// The library is CommonJS (`module.exports = fn`) but its typings say `export default fn`, which
// under NodeNext types the default import as the module object. At run time Node and Vitest hand
// us the function itself; the fallback keeps us working should a bundler follow the typings.
const imported: unknown = canonicalizeImport;
const serialize: Serialize =
  typeof imported === 'function' ? (imported as Serialize) : canonicalizeImport.default;

/**
 * The RFC 8785 canonical JSON text of a JSON value. Throws on NaN/Infinity (the library's rule)
 * and on values that have no JSON text at all (undefined, functions): both are bugs here, because
 * append validation refuses such input before anything is hashed.
 */
export function canonicalJson(value: unknown): string {
  const text = serialize(value);
  if (text === undefined) throw new TypeError(`value has no JSON text: ${typeof value}`);
  return text;
}
