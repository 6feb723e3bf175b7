/** The bundled MNIST CNN as an ONNX graph (opset 17), from float weights in ONNX layout. */
import { GraphBuilder } from './onnx-build.ts';
import { CLASSES, CONV_OUT, FLAT, HIDDEN, KERNEL, STRIDE, type MnistCnnWeights } from './mnist-cnn.ts';

export function buildMnistOnnx(w: MnistCnnWeights): Uint8Array {
  const g = new GraphBuilder('mnist_cnn');
  const x = g.input('input', [1, 1, 28, 28]);
  const conv = g.node('Conv', [x, g.constant('conv_w', [CONV_OUT, 1, KERNEL, KERNEL], w.convW), g.constant('conv_b', [CONV_OUT], w.convB)], {
    kernel_shape: [KERNEL, KERNEL],
    strides: [STRIDE, STRIDE],
    pads: [0, 0, 0, 0],
  });
  const flat = g.node('Flatten', [g.node('Relu', [conv])], { axis: 1 });
  const h = g.node('Relu', [g.node('Gemm', [flat, g.constant('fc1_w', [HIDDEN, FLAT], w.fc1W), g.constant('fc1_b', [HIDDEN], w.fc1B)], { transB: 1 })]);
  g.node('Gemm', [h, g.constant('fc2_w', [CLASSES, HIDDEN], w.fc2W), g.constant('fc2_b', [CLASSES], w.fc2B)], { transB: 1 }, 'logits');
  g.output('logits', [1, CLASSES]);
  return g.encode();
}
