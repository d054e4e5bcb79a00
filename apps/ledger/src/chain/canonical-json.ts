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
  const text = value === undefined ? undefined : fast(value);
  if (text === undefined) throw new TypeError(`value has no JSON text: ${typeof value}`);
  return text;
}

/**
 * The library's output, computed faster for what the ledger hashes: values as JSON.parse (or
 * JSONB) produces them. The verifier spends most of its time here, and the library builds each
 * object through reduce() and template strings. Plain objects, arrays, strings, finite numbers,
 * booleans and null are written here with the library's exact rules (keys sorted by UTF-16 code
 * units with the default sort, undefined and symbol members skipped in objects and written as
 * null in arrays, numbers and strings as JSON.stringify writes them). Anything else (toJSON,
 * functions, bigint, NaN/Infinity, undefined at the top) is handed to the library itself, so the
 * odd cases keep the library's behaviour, errors included; a unit test compares the two.
 */
function fast(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : serialize(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if ('toJSON' in value) return serialize(value);
      return Array.isArray(value) ? fastArray(value) : fastObject(value as Record<string, unknown>);
    default:
      return serialize(value);
  }
}

function fastArray(array: readonly unknown[]): string {
  let text = '[';
  for (let i = 0; i < array.length; i += 1) {
    const item = array[i];
    // A hole (never in parsed JSON) is skipped by the library's reduce(): leave the array to it.
    if (item === undefined && !(i in array)) return String(serialize(array));
    if (i > 0) text += ',';
    // The library writes both the text of undefined/symbol members as null, and whatever else
    // it returns (even undefined, for a function) through a template string.
    text += item === undefined || typeof item === 'symbol' ? 'null' : `${String(fast(item))}`;
  }
  return text + ']';
}

function fastObject(object: Record<string, unknown>): string {
  const keys = Object.keys(object).sort();
  let text = '{';
  let first = true;
  for (const key of keys) {
    const item = object[key];
    if (item === undefined || typeof item === 'symbol') continue;
    if (!first) text += ',';
    first = false;
    text += quotedKey(key) + ':' + String(fast(item));
  }
  return text + '}';
}

// Member names repeat across events of a type, and JSON.stringify of a short string costs more
// than a map lookup; the bound keeps hostile input from growing the map without end.
const quotedKeys = new Map<string, string>();
const maxQuotedKeys = 10_000;

function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < maxQuotedKeys) quotedKeys.set(key, quoted);
  }
  return quoted;
}
