/**
 * QuantSettings: every choice quantization made, as JSON-serializable data the compiler and the circuit
 * consume. Together with the simplified graph it fixes the integer semantics bit for bit.
 */

/** Domain of one lookup table: integer inputs lo..hi at the model scale, and the out-of-domain policy. */
export interface TableDomain {
  lo: number;
  hi: number;
  outside: 'clamp' | 'error';
}

/** Quantization settings of one model. */
export interface QuantSettings {
  /** Format version of this object. */
  version: 1;
  /** Fixed-point scale exponent s: a real v is round(v · 2^s); every fixed-point tensor uses it. */
  scaleBits: number;
  /** Rounding of every rescale and division: floor((2a + b) / (2b)). */
  rounding: 'half-up';
  /** Table domains by node name, then table kind (e.g. 'f', 'exp', 'rsqrt'). */
  tables: Record<string, Record<string, TableDomain>>;
  /** Float [min, max] of every value over the calibration inputs (graph inputs included). */
  calibration: Record<string, [number, number]>;
  /** Largest |integer| of every value over the calibration inputs (for range-check widths). */
  bounds: Record<string, number>;
  /** Real inputs are rejected beyond [min − slack·w, max + slack·w], w = max − min of calibration. */
  inputRangeSlack: number;
  /** Number of calibration samples used. */
  samples: number;
  /**
   * Graph inputs of an integer type (token ids, indices): fed as raw integers (bits 0), never scaled.
   * Absent: every input is a real at scale s.
   */
  rawInputs?: string[];
}

/** Serializes settings to JSON text. */
export function settingsToJson(s: QuantSettings): string {
  return JSON.stringify(s);
}

/** Parses settings JSON written by {@link settingsToJson}. */
export function settingsFromJson(text: string): QuantSettings {
  return settingsFromObject(JSON.parse(text));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A map keyed by names from a file, built without a prototype; `f` checks each value. */
function nameMap<T>(v: unknown, what: string, f: (x: unknown, key: string) => T): Record<string, T> {
  if (!isRecord(v)) throw new Error(`${what} must be an object`);
  const out: Record<string, T> = Object.create(null);
  for (const [k, x] of Object.entries(v)) out[k] = f(x, k);
  return out;
}

const isNum = (x: unknown): boolean => typeof x === 'number' || x === null;

/**
 * Checks a parsed settings object field by field (it may come from a hostile file): every field typed,
 * maps keyed by node or value names rebuilt without a prototype. Throws an Error naming the bad field.
 */
export function settingsFromObject(v: unknown): QuantSettings {
  if (!isRecord(v) || v.version !== 1 || !Number.isInteger(v.scaleBits) || (v.scaleBits as number) < 0 || (v.scaleBits as number) > 30)
    throw new Error('not a zkml QuantSettings object (version 1 with an integer scaleBits in [0, 30])');
  if (v.rounding !== 'half-up') throw new Error("rounding must be 'half-up'");
  if (typeof v.inputRangeSlack !== 'number' || !(v.inputRangeSlack >= 0)) throw new Error('inputRangeSlack must be a non-negative number');
  if (!Number.isInteger(v.samples) || (v.samples as number) < 0) throw new Error('samples must be a non-negative integer');
  const tables = nameMap(v.tables, 'tables', (t, node) =>
    nameMap(t, `tables.${node}`, (d, kind): TableDomain => {
      if (!isRecord(d) || typeof d.lo !== 'number' || typeof d.hi !== 'number' || (d.outside !== 'clamp' && d.outside !== 'error'))
        throw new Error(`tables.${node}.${kind} must be { lo, hi, outside: 'clamp' | 'error' }`);
      return { lo: d.lo, hi: d.hi, outside: d.outside };
    }),
  );
  const calibration = nameMap(v.calibration, 'calibration', (c, name) => {
    if (!Array.isArray(c) || c.length !== 2 || !c.every(isNum)) throw new Error(`calibration.${name} must be [min, max]`);
    return c as [number, number];
  });
  const bounds = nameMap(v.bounds, 'bounds', (b, name) => {
    if (!isNum(b)) throw new Error(`bounds.${name} must be a number`);
    return b as number;
  });
  const raw = v.rawInputs;
  if (raw !== undefined && !(Array.isArray(raw) && raw.every((x) => typeof x === 'string'))) throw new Error('rawInputs must be an array of names');
  return {
    version: 1,
    scaleBits: v.scaleBits as number,
    rounding: 'half-up',
    tables,
    calibration,
    bounds,
    inputRangeSlack: v.inputRangeSlack,
    samples: v.samples as number,
    ...(raw !== undefined ? { rawInputs: [...(raw as string[])] } : {}),
  };
}
