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
  const s = JSON.parse(text) as QuantSettings;
  if (s.version !== 1 || typeof s.scaleBits !== 'number') throw new Error('not a zkml QuantSettings object');
  return s;
}
