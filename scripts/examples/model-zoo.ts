/**
 * Architectures of zkml's published results, with seeded random weights and exact shapes, for cost
 * estimates and benchmarks: LeNet-5, a CIFAR-10 CNN, MobileNetV1 and MobileNetV2 (α, resolution) and a 2-layer tiny
 * transformer.
 * Each builder returns the ONNX bytes plus the numbers a reader wants (parameters, multiply-accumulates).
 * Weights are He-scaled so activations stay in a sane range through the depth (useful for calibration).
 */
import { GraphBuilder } from './onnx-build.ts';
import { mulberry32 } from './mnist-data.ts';

export interface GeneratedModel {
  readonly name: string;
  readonly description: string;
  readonly input: { readonly name: string; readonly shape: readonly number[] };
  readonly output: { readonly name: string; readonly shape: readonly number[] };
  readonly params: number;
  readonly macs: number;
  readonly bytes: Uint8Array;
}

/** Seeded weight source: uniform in [−√(3/fanIn)·gain, +…] (variance gain²/fanIn). */
class Weights {
  private readonly rng: () => number;
  params = 0;
  macs = 0;
  constructor(seed: number) {
    this.rng = mulberry32(seed);
  }
  he(n: number, fanIn: number, gain = Math.SQRT2): Float32Array {
    const lim = gain * Math.sqrt(3 / fanIn);
    this.params += n;
    return Float32Array.from({ length: n }, () => (2 * this.rng() - 1) * lim);
  }
  uniform(n: number, lo: number, hi: number): Float32Array {
    this.params += n;
    return Float32Array.from({ length: n }, () => lo + (hi - lo) * this.rng());
  }
}

function convOut(size: number, k: number, stride: number, padTotal: number): number {
  return Math.floor((size + padTotal - k) / stride) + 1;
}

/**
 * CIFAR-10 CNN: [1,3,32,32] → 3 × (Conv 3×3 pad 1 → Relu → MaxPool 2×2) with 16/32/64 channels → Flatten
 * → Gemm(1024→64) → Relu → Gemm(64→10).
 */
export function cifar10Cnn(seed = 10): GeneratedModel {
  const w = new Weights(seed);
  const g = new GraphBuilder('cifar10_cnn');
  let x = g.input('input', [1, 3, 32, 32]);
  let c = 3;
  let hw = 32;
  for (const out of [16, 32, 64]) {
    x = g.node('Conv', [x, g.constant('w', [out, c, 3, 3], w.he(out * c * 9, c * 9)), g.constant('b', [out], w.uniform(out, -0.05, 0.05))], {
      kernel_shape: [3, 3],
      pads: [1, 1, 1, 1],
    });
    w.macs += out * c * 9 * hw * hw;
    x = g.node('MaxPool', [g.node('Relu', [x])], { kernel_shape: [2, 2], strides: [2, 2] });
    c = out;
    hw /= 2;
  }
  const flat = c * hw * hw;
  x = g.node('Flatten', [x], { axis: 1 });
  x = g.node('Relu', [g.node('Gemm', [x, g.constant('w', [64, flat], w.he(64 * flat, flat)), g.constant('b', [64], w.uniform(64, -0.05, 0.05))], { transB: 1 })]);
  g.node('Gemm', [x, g.constant('w', [10, 64], w.he(640, 64, 1)), g.constant('b', [10], w.uniform(10, -0.05, 0.05))], { transB: 1 }, 'logits');
  w.macs += flat * 64 + 64 * 10;
  g.output('logits', [1, 10]);
  return {
    name: 'cifar10_cnn',
    description: 'CIFAR-10 CNN: 3×(Conv3×3→Relu→MaxPool2) 16/32/64 ch → Gemm 1024→64 → Relu → Gemm 64→10',
    input: { name: 'input', shape: [1, 3, 32, 32] },
    output: { name: 'logits', shape: [1, 10] },
    params: w.params,
    macs: w.macs,
    bytes: g.encode(),
  };
}

/**
 * LeNet-5 on MNIST-sized input (LeCun et al. 1998, with ReLU and max-pooling as usually exported):
 * [1,1,28,28] → Conv(6, 5×5, pad 2) → Relu → MaxPool 2 → Conv(16, 5×5) → Relu → MaxPool 2 → Flatten →
 * Gemm(400→120) → Relu → Gemm(120→84) → Relu → Gemm(84→10). About 0.42 M multiply-accumulates.
 */
export function lenet5(seed = 4): GeneratedModel {
  const w = new Weights(seed);
  const g = new GraphBuilder('lenet5');
  let x = g.input('input', [1, 1, 28, 28]);
  let c = 1;
  let hw = 28;
  for (const [out, pad] of [[6, 2], [16, 0]] as const) {
    const fanIn = c * 25;
    x = g.node('Conv', [x, g.constant('w', [out, c, 5, 5], w.he(out * fanIn, fanIn)), g.constant('b', [out], w.uniform(out, -0.05, 0.05))], {
      kernel_shape: [5, 5],
      pads: [pad, pad, pad, pad],
    });
    hw = convOut(hw, 5, 1, 2 * pad);
    w.macs += out * fanIn * hw * hw;
    x = g.node('MaxPool', [g.node('Relu', [x])], { kernel_shape: [2, 2], strides: [2, 2] });
    hw /= 2;
    c = out;
  }
  x = g.node('Flatten', [x], { axis: 1 });
  let width = c * hw * hw;
  for (const out of [120, 84]) {
    x = g.node('Relu', [g.node('Gemm', [x, g.constant('w', [out, width], w.he(out * width, width)), g.constant('b', [out], w.uniform(out, -0.05, 0.05))], { transB: 1 })]);
    w.macs += out * width;
    width = out;
  }
  g.node('Gemm', [x, g.constant('w', [10, width], w.he(10 * width, width, 1)), g.constant('b', [10], w.uniform(10, -0.05, 0.05))], { transB: 1 }, 'logits');
  w.macs += 10 * width;
  g.output('logits', [1, 10]);
  return {
    name: 'lenet5',
    description: 'LeNet-5: Conv5×5 6 → MaxPool → Conv5×5 16 → MaxPool → Gemm 400→120→84→10, Relu',
    input: { name: 'input', shape: [1, 1, 28, 28] },
    output: { name: 'logits', shape: [1, 10] },
    params: w.params,
    macs: w.macs,
    bytes: g.encode(),
  };
}

/**
 * A MobileNet layer: Conv k×k (stride, group, "same" padding, no bias; He weights of `gain`) → an explicit
 * BatchNormalization, input size hw. Counts its parameters and multiply-accumulates into w; returns the BN
 * output and the output size.
 */
function convBn(g: GraphBuilder, w: Weights, x: string, hw: number, cin: number, cout: number, k: number, stride: number, group: number, gain = Math.SQRT2): { y: string; hw: number } {
  const fanIn = (cin / group) * k * k;
  const pad = (k - 1) / 2;
  const y = g.node('Conv', [x, g.constant('w', [cout, cin / group, k, k], w.he(cout * fanIn, fanIn, gain))], {
    kernel_shape: [k, k],
    strides: [stride, stride],
    pads: [pad, pad, pad, pad],
    group,
  });
  const out = convOut(hw, k, stride, 2 * pad);
  w.macs += cout * fanIn * out * out;
  const bn = g.node('BatchNormalization', [
    y,
    g.constant('bn_scale', [cout], w.uniform(cout, 0.8, 1.2)),
    g.constant('bn_bias', [cout], w.uniform(cout, -0.1, 0.1)),
    g.constant('bn_mean', [cout], w.uniform(cout, -0.1, 0.1)),
    g.constant('bn_var', [cout], w.uniform(cout, 0.8, 1.2)),
  ], { epsilon: { f: 1e-3 } });
  return { y: bn, hw: out };
}

/** MobileNetV1 body: (stride, pointwise output channels at α = 1) of the 13 depthwise-separable blocks. */
const MOBILENET_V1_BLOCKS: readonly (readonly [number, number])[] = [
  [1, 64], [2, 128], [1, 128], [2, 256], [1, 256], [2, 512],
  [1, 512], [1, 512], [1, 512], [1, 512], [1, 512], [2, 1024], [1, 1024],
];

/**
 * MobileNetV1 (Howard et al. 2017) at width multiplier α and input resolution r, as TF-slim builds it
 * (channels `max(floor(c·α), 8)`, SAME padding = pads 1 for the 3×3 convs at even sizes): Conv 3×3 s2 →
 * 13 × (depthwise 3×3 → BN → Relu6 → pointwise 1×1 → BN → Relu6) → GlobalAveragePool → Flatten →
 * Gemm(→1000) → Softmax. Every conv is followed by an explicit BatchNormalization (no conv bias), so
 * importers exercise BN folding; Relu6 is `Clip(0, 6)`.
 */
export function mobilenetV1(alpha: number, resolution: number, seed = 1): GeneratedModel {
  const w = new Weights(seed);
  const name = `mobilenet_v1_${String(alpha).replace('.', '')}_${resolution}`;
  const g = new GraphBuilder(name);
  const depth = (ch: number): number => Math.max(Math.floor(ch * alpha), 8);
  const zero = g.constant('zero', [], [0]);
  const six = g.constant('six', [], [6]);
  let hw = resolution;

  const convBnRelu6 = (x: string, cin: number, cout: number, k: number, stride: number, group: number): string => {
    const r = convBn(g, w, x, hw, cin, cout, k, stride, group);
    hw = r.hw;
    return g.node('Clip', [r.y, zero, six]);
  };

  let x = g.input('input', [1, 3, resolution, resolution]);
  let c = depth(32);
  x = convBnRelu6(x, 3, c, 3, 2, 1);
  for (const [stride, ch] of MOBILENET_V1_BLOCKS) {
    x = convBnRelu6(x, c, c, 3, stride, c); // depthwise
    x = convBnRelu6(x, c, depth(ch), 1, 1, 1); // pointwise
    c = depth(ch);
  }
  x = g.node('Flatten', [g.node('GlobalAveragePool', [x])], { axis: 1 });
  x = g.node('Gemm', [x, g.constant('fc_w', [1000, c], w.he(1000 * c, c, 1)), g.constant('fc_b', [1000], w.uniform(1000, -0.01, 0.01))], { transB: 1 });
  w.macs += c * 1000;
  g.node('Softmax', [x], { axis: -1 }, 'probabilities');
  g.output('probabilities', [1, 1000]);
  return {
    name,
    description: `MobileNetV1 α=${alpha}, ${resolution}×${resolution} input, BatchNorm present, Relu6 as Clip, 1000 classes`,
    input: { name: 'input', shape: [1, 3, resolution, resolution] },
    output: { name: 'probabilities', shape: [1, 1000] },
    params: w.params,
    macs: w.macs,
    bytes: g.encode(),
  };
}

/** MobileNetV2 body: (expansion t, output channels c at α = 1, repeats n, first stride s) per stage. */
const MOBILENET_V2_STAGES: readonly (readonly [number, number, number, number])[] = [
  [1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1],
];

/** TF-slim's channel rounding: to a multiple of 8, at least 8, never more than 10 % below v. */
function makeDivisible(v: number): number {
  const r = Math.max(8, Math.floor((v + 4) / 8) * 8);
  return r < 0.9 * v ? r + 8 : r;
}

/**
 * MobileNetV2 (Sandler et al. 2018) at width multiplier α and resolution r, the architecture of zkml's
 * MobileNet results: Conv 3×3 s2 → inverted residual blocks (1×1 expand → BN → Relu6, depthwise 3×3 → BN →
 * Relu6, 1×1 project → BN, linear; the input added back where the stride is 1 and the channels agree) →
 * Conv 1×1 to 1280 → BN → Relu6 → GlobalAveragePool → Flatten → Gemm(→1000) → Softmax. Channels
 * `makeDivisible(c·α)`, the last conv 1280 for α ≤ 1; BatchNormalization explicit, Relu6 as `Clip(0, 6)`.
 */
export function mobilenetV2(alpha: number, resolution: number, seed = 3): GeneratedModel {
  const w = new Weights(seed);
  const name = `mobilenet_v2_${String(alpha).replace('.', '')}_${resolution}`;
  const g = new GraphBuilder(name);
  const zero = g.constant('zero', [], [0]);
  const six = g.constant('six', [], [6]);
  let hw = resolution;

  const convBnMaybeRelu6 = (x: string, cin: number, cout: number, k: number, stride: number, group: number, relu6: boolean): string => {
    // The linear bottleneck (no Relu6 after it) takes weights of gain 1.
    const r = convBn(g, w, x, hw, cin, cout, k, stride, group, relu6 ? Math.SQRT2 : 1);
    hw = r.hw;
    return relu6 ? g.node('Clip', [r.y, zero, six]) : r.y;
  };

  let x = g.input('input', [1, 3, resolution, resolution]);
  let c = makeDivisible(32 * alpha);
  x = convBnMaybeRelu6(x, 3, c, 3, 2, 1, true);
  for (const [t, ch, n, s] of MOBILENET_V2_STAGES) {
    const cout = makeDivisible(ch * alpha);
    for (let i = 0; i < n; i++) {
      const stride = i === 0 ? s : 1;
      const hidden = c * t;
      let y = t === 1 ? x : convBnMaybeRelu6(x, c, hidden, 1, 1, 1, true);
      y = convBnMaybeRelu6(y, hidden, hidden, 3, stride, hidden, true);
      y = convBnMaybeRelu6(y, hidden, cout, 1, 1, 1, false);
      x = stride === 1 && c === cout ? g.node('Add', [x, y]) : y;
      c = cout;
    }
  }
  x = convBnMaybeRelu6(x, c, 1280, 1, 1, 1, true);
  x = g.node('Flatten', [g.node('GlobalAveragePool', [x])], { axis: 1 });
  x = g.node('Gemm', [x, g.constant('fc_w', [1000, 1280], w.he(1000 * 1280, 1280, 1)), g.constant('fc_b', [1000], w.uniform(1000, -0.01, 0.01))], { transB: 1 });
  w.macs += 1280 * 1000;
  g.node('Softmax', [x], { axis: -1 }, 'probabilities');
  g.output('probabilities', [1, 1000]);
  return {
    name,
    description: `MobileNetV2 α=${alpha}, ${resolution}×${resolution} input, inverted residuals, BatchNorm present, Relu6 as Clip, 1000 classes`,
    input: { name: 'input', shape: [1, 3, resolution, resolution] },
    output: { name: 'probabilities', shape: [1, 1000] },
    params: w.params,
    macs: w.macs,
    bytes: g.encode(),
  };
}

/**
 * A 2-layer pre-LayerNorm transformer encoder on embedded tokens [1, 16, 64]: per layer
 * x + Wo·Attn(LN(x)) (4 heads of 16, MatMul/Transpose/Softmax, scores scaled by 1/4) then
 * x + W2·GELU(W1·LN(x)) (hidden 256, GELU written with Erf as PyTorch exports it), final LayerNorm.
 */
export function tinyTransformer(seed = 2): GeneratedModel {
  const T = 16;
  const D = 64;
  const H = 4;
  const HD = D / H;
  const F = 256;
  const w = new Weights(seed);
  const g = new GraphBuilder('tiny_transformer');
  const layerNorm = (x: string): string =>
    g.node('LayerNormalization', [x, g.constant('ln_g', [D], w.uniform(D, 0.9, 1.1)), g.constant('ln_b', [D], w.uniform(D, -0.05, 0.05))], {
      axis: -1,
      epsilon: { f: 1e-5 },
    });
  const linear = (x: string, din: number, dout: number, gain = 1): string => {
    w.macs += T * din * dout;
    const y = g.node('MatMul', [x, g.constant('w', [din, dout], w.he(din * dout, din, gain))]);
    return g.node('Add', [y, g.constant('b', [dout], w.uniform(dout, -0.02, 0.02))]);
  };
  const heads = g.int64('heads_shape', [1, T, H, HD]);
  const merged = g.int64('merged_shape', [1, T, D]);
  const splitHeads = (x: string, perm: number[]): string => g.node('Transpose', [g.node('Reshape', [x, heads])], { perm });

  let x = g.input('input', [1, T, D]);
  for (let layer = 0; layer < 2; layer++) {
    const h = layerNorm(x);
    const q = splitHeads(linear(h, D, D), [0, 2, 1, 3]); // [1,H,T,HD]
    const kT = splitHeads(linear(h, D, D), [0, 2, 3, 1]); // [1,H,HD,T]
    const v = splitHeads(linear(h, D, D), [0, 2, 1, 3]);
    const scores = g.node('Mul', [g.node('MatMul', [q, kT]), g.constant('inv_sqrt_hd', [], [1 / Math.sqrt(HD)])]);
    const attn = g.node('MatMul', [g.node('Softmax', [scores], { axis: -1 }), v]); // [1,H,T,HD]
    w.macs += 2 * H * T * T * HD;
    const ctx = g.node('Reshape', [g.node('Transpose', [attn], { perm: [0, 2, 1, 3] }), merged]);
    x = g.node('Add', [x, linear(ctx, D, D)]);
    const m = linear(layerNorm(x), D, F);
    const gelu = g.node('Mul', [
      g.node('Mul', [m, g.constant('half', [], [0.5])]),
      g.node('Add', [g.node('Erf', [g.node('Div', [m, g.constant('sqrt2', [], [Math.SQRT2])])]), g.constant('one', [], [1])]),
    ]);
    x = g.node('Add', [x, linear(gelu, F, D, 0.5)]);
  }
  g.node('LayerNormalization', [x, g.constant('ln_g', [D], w.uniform(D, 0.9, 1.1)), g.constant('ln_b', [D], w.uniform(D, -0.05, 0.05))], {
    axis: -1,
    epsilon: { f: 1e-5 },
  }, 'output');
  g.output('output', [1, T, D]);
  return {
    name: 'tiny_transformer',
    description: '2-layer pre-LN transformer encoder, 16 tokens × 64, 4 heads, GELU(Erf) MLP 64→256→64',
    input: { name: 'input', shape: [1, T, D] },
    output: { name: 'output', shape: [1, T, D] },
    params: w.params,
    macs: w.macs,
    bytes: g.encode(),
  };
}

/** Every generated model, in a stable order. MobileNets are built lazily (they are large). */
export const GENERATED_MODELS: readonly { readonly name: string; readonly build: () => GeneratedModel }[] = [
  { name: 'cifar10_cnn', build: () => cifar10Cnn() },
  { name: 'lenet5', build: () => lenet5() },
  { name: 'mobilenet_v1_035_96', build: () => mobilenetV1(0.35, 96) },
  { name: 'mobilenet_v1_05_224', build: () => mobilenetV1(0.5, 224) },
  { name: 'mobilenet_v1_075_192', build: () => mobilenetV1(0.75, 192) },
  { name: 'mobilenet_v2_035_96', build: () => mobilenetV2(0.35, 96) },
  { name: 'tiny_transformer', build: () => tinyTransformer() },
];
