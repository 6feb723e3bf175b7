/**
 * The bundled MNIST CNN, as plain float weights in ONNX layout, with a tfjs forward pass for training.
 *
 *   input [1,1,28,28] → Conv(1→8, 5×5, stride 2, no pad) → Relu → Flatten → Gemm(1152→32) → Relu → Gemm(32→10)
 *
 * ~66k multiply-accumulates (28.8k conv + 36.9k + 0.3k). Training uses im2col: the conv's 144 input patches
 * of 25 pixels are fixed per image, so the conv is one matrix product in tfjs (the pure-JS CPU backend's
 * conv2d backward pass is ~10× slower). Exported weights are the same numbers in ONNX's NCHW layout.
 */
import type * as TF from '@tensorflow/tfjs';
import { mulberry32 } from './mnist-data.ts';

export const IMG = 28;
export const KERNEL = 5;
export const STRIDE = 2;
export const CONV_OUT = 8;
export const OUT_HW = Math.floor((IMG - KERNEL) / STRIDE) + 1; // 12 (the last pixel row/column is not read)
export const POSITIONS = OUT_HW * OUT_HW; // 144
export const PATCH = KERNEL * KERNEL; // 25
export const HIDDEN = 32;
export const CLASSES = 10;
export const FLAT = POSITIONS * CONV_OUT; // 1152

/** Float weights in ONNX layout: conv [8,1,5,5], Gemm B matrices as [out, in] (transB = 1). */
export interface MnistCnnWeights {
  convW: Float32Array; // [8,1,5,5]
  convB: Float32Array; // [8]
  fc1W: Float32Array; // [32,1152], input index c·144 + (h·12 + w) (NCHW flatten)
  fc1B: Float32Array; // [32]
  fc2W: Float32Array; // [10,32]
  fc2B: Float32Array; // [10]
}

/** im2col of a batch of uint8 images: [n, 144, 25] floats `pixel / 255`, patch index kh·5 + kw. */
export function im2col(pixels: Uint8Array, n: number): Float32Array {
  const out = new Float32Array(n * POSITIONS * PATCH);
  let o = 0;
  for (let i = 0; i < n; i++) {
    const base = i * IMG * IMG;
    for (let oh = 0; oh < OUT_HW; oh++) {
      for (let ow = 0; ow < OUT_HW; ow++) {
        for (let kh = 0; kh < KERNEL; kh++) {
          const row = base + (oh * STRIDE + kh) * IMG + ow * STRIDE;
          for (let kw = 0; kw < KERNEL; kw++) out[o++] = (pixels[row + kw] as number) / 255;
        }
      }
    }
  }
  return out;
}

/** Trainable tfjs variables in the training layout (patch-major conv, HWC flatten for fc1). */
export interface TrainVars {
  convW: TF.Variable; // [25, 8]
  convB: TF.Variable; // [8]
  fc1W: TF.Variable; // [1152, 32], row index (h·12 + w)·8 + c
  fc1B: TF.Variable;
  fc2W: TF.Variable; // [32, 10]
  fc2B: TF.Variable;
}

/** Glorot-uniform initial weights from a seeded PRNG, zero biases. */
export function initVars(tf: typeof TF, seed: number): TrainVars {
  const rng = mulberry32(seed);
  const glorot = (fanIn: number, fanOut: number, shape: number[]): TF.Variable => {
    const lim = Math.sqrt(6 / (fanIn + fanOut));
    const n = shape.reduce((a, b) => a * b, 1);
    return tf.variable(tf.tensor(Float32Array.from({ length: n }, () => (2 * rng() - 1) * lim), shape));
  };
  return {
    convW: glorot(PATCH, PATCH * CONV_OUT, [PATCH, CONV_OUT]),
    convB: tf.variable(tf.zeros([CONV_OUT])),
    fc1W: glorot(FLAT, HIDDEN, [FLAT, HIDDEN]),
    fc1B: tf.variable(tf.zeros([HIDDEN])),
    fc2W: glorot(HIDDEN, CLASSES, [HIDDEN, CLASSES]),
    fc2B: tf.variable(tf.zeros([CLASSES])),
  };
}

/** Logits [n, 10] from im2col patches [n, 144, 25]. */
export function forward(tf: typeof TF, v: TrainVars, patches: TF.Tensor, n: number): TF.Tensor2D {
  const conv = tf.relu(tf.add(tf.matMul(patches.reshape([n * POSITIONS, PATCH]), v.convW), v.convB));
  const h = tf.relu(tf.add(tf.matMul(conv.reshape([n, FLAT]), v.fc1W), v.fc1B));
  return tf.add(tf.matMul(h, v.fc2W), v.fc2B) as TF.Tensor2D;
}

/** Converts trained variables to ONNX layout (transposes checked by the ONNX-vs-tfjs comparison). */
export function toOnnxLayout(v: TrainVars): MnistCnnWeights {
  const convT = v.convW.dataSync(); // [25, 8]
  const convW = new Float32Array(CONV_OUT * PATCH);
  for (let c = 0; c < CONV_OUT; c++) for (let p = 0; p < PATCH; p++) convW[c * PATCH + p] = convT[p * CONV_OUT + c] as number;
  const fc1T = v.fc1W.dataSync(); // [(pos·8 + c), 32]
  const fc1W = new Float32Array(HIDDEN * FLAT);
  for (let o = 0; o < HIDDEN; o++) {
    for (let c = 0; c < CONV_OUT; c++) {
      for (let pos = 0; pos < POSITIONS; pos++) fc1W[o * FLAT + c * POSITIONS + pos] = fc1T[(pos * CONV_OUT + c) * HIDDEN + o] as number;
    }
  }
  const fc2T = v.fc2W.dataSync(); // [32, 10]
  const fc2W = new Float32Array(CLASSES * HIDDEN);
  for (let o = 0; o < CLASSES; o++) for (let i = 0; i < HIDDEN; i++) fc2W[o * HIDDEN + i] = fc2T[i * CLASSES + o] as number;
  return {
    convW,
    convB: Float32Array.from(v.convB.dataSync()),
    fc1W,
    fc1B: Float32Array.from(v.fc1B.dataSync()),
    fc2W,
    fc2B: Float32Array.from(v.fc2B.dataSync()),
  };
}
