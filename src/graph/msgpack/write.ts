/**
 * Writes zkml msgpack model and input files (the inverse of format.ts), with zkml's own field names, so
 * that tests build their fixtures without external files and so that our models can be handed to zkml.
 * Integers outside the int32 range are written as msgpack int64 (zkml's serde reads i64; a float64 would
 * not deserialize there).
 */
import { Packr } from 'msgpackr';
import type { ZkmlLayer, ZkmlModelFile, ZkmlTensor } from './format.ts';

const packr = new Packr({ useRecords: false, variableMapSize: true });

function ints(xs: readonly number[]): (number | bigint)[] {
  return xs.map((x) => {
    if (!Number.isSafeInteger(x)) throw new RangeError(`zkml msgpack holds safe integers only, got ${x}`);
    return x >= -0x80000000 && x <= 0xffffffff ? x : BigInt(x);
  });
}

function tensorToWire(t: ZkmlTensor): Record<string, unknown> {
  return { idx: t.idx, shape: ints(t.shape), data: ints(t.data) };
}

function layerToWire(l: ZkmlLayer): Record<string, unknown> {
  return {
    layer_type: l.layerType,
    params: ints(l.params),
    inp_idxes: ints(l.inpIdxes),
    inp_shapes: l.inpShapes.map(ints),
    out_idxes: ints(l.outIdxes),
    out_shapes: l.outShapes.map(ints),
    mask: ints(l.mask),
    ...(l.implementation !== undefined ? { implementation: l.implementation } : {}),
  };
}

/** Options for the on-disk spelling of the commitment flags (zkml files exist with either). */
export interface WriteZkmlModelOptions {
  /** Write the top-level boolean `commit` (as in zkml's example files) instead of `commit_before/after`. */
  readonly commitAsFlag?: boolean;
}

/** Serializes a zkml model (or, with `tensors: []`, a config) file. */
export function writeZkmlModel(m: ZkmlModelFile, opts: WriteZkmlModelOptions = {}): Uint8Array {
  const wire: Record<string, unknown> = {
    global_sf: m.globalSf,
    k: m.k,
    num_cols: m.numCols,
    inp_idxes: ints(m.inpIdxes),
    out_idxes: ints(m.outIdxes),
    layers: m.layers.map(layerToWire),
    tensors: m.tensors.map(tensorToWire),
    use_selectors: m.useSelectors,
  };
  if (opts.commitAsFlag) wire['commit'] = m.commit;
  else {
    wire['commit_before'] = m.commitBefore.map(ints);
    wire['commit_after'] = m.commitAfter.map(ints);
  }
  if (m.bitsPerElem !== undefined) wire['bits_per_elem'] = m.bitsPerElem;
  if (m.numRandom !== undefined) wire['num_random'] = m.numRandom;
  return packr.pack(wire);
}

/** Serializes a zkml input file: a bare list of tensors. */
export function writeZkmlInput(tensors: readonly ZkmlTensor[]): Uint8Array {
  return packr.pack(tensors.map(tensorToWire));
}

/** Quantizes float values the way zkml's converter does: `round(v · sf)` (numpy rounds half to even). */
export function quantizeForZkml(values: ArrayLike<number>, sf: number): number[] {
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = roundHalfEven((values[i] as number) * sf);
  return out;
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  // Math.round rounds .5 up; numpy's np.round goes to the even neighbour.
  const even = Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  return even + 0; // no negative zero
}
