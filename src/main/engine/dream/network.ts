// The network a dream listens through: a tfjs model from log-mel patches to an embedding, and one
// to class probabilities, with the log-mel settings it was trained on. A spectrogram longer than a
// patch is heard as the mean embedding (or mean logits) of sliding patches.
import * as tf from '@tensorflow/tfjs';
import { patchStarts, type LogMelSpec } from './spec';

export type InputLayout = 'mels-frames' | 'frames-mels';

export interface DreamNet {
  /** Input → embedding [batch, D]. */
  embedding: tf.LayersModel;
  /** Input → class probabilities [batch, K] (a softmax output). */
  classifier: tf.LayersModel;
  /** Input → pre-softmax scores [batch, K], when the model offers them (else derived by logitHead). */
  logits?: tf.LayersModel;
  /** Embedding [batch, D] → pre-softmax scores [batch, K] (inference mode), when known. */
  head?: (embedding: tf.Tensor2D) => tf.Tensor2D;
  labels: readonly string[];
  spec: LogMelSpec;
  /** The model's input: [batch, nMels, frames, 1] or [batch, frames, nMels, 1]. */
  layout: InputLayout;
  /** Applied to dB values before the network: (dB − offset) · scale. */
  inputOffset: number;
  inputScale: number;
  /** Patch stride in frames when sliding over a longer spectrogram (default: half a patch). */
  patchStride?: number;
}

/** Which axis of the model input holds the mel bands, from its declared shape. */
export function inferLayout(model: tf.LayersModel, spec: LogMelSpec): InputLayout {
  const shape = model.inputs[0]!.shape;
  if (shape.length !== 4) throw new Error(`a dream needs a model over [batch, H, W, 1] log-mel patches; this one takes ${JSON.stringify(shape)}`);
  if (shape[1] === spec.nMels && shape[2] === spec.patchFrames) return 'mels-frames';
  if (shape[1] === spec.patchFrames && shape[2] === spec.nMels) return 'frames-mels';
  throw new Error(`the model's input ${JSON.stringify(shape)} does not fit ${spec.nMels} mels × ${spec.patchFrames} frames`);
}

/**
 * The patches of a dB spectrogram [nMels, T] as network input [B, H, W, 1], each floored at its own
 * maximum − topDb as the training patches were.
 */
export function patchesOf(net: DreamNet, db: tf.Tensor2D): tf.Tensor4D {
  const [nMels, T] = db.shape;
  const P = net.spec.patchFrames;
  const starts = patchStarts(T, P, net.patchStride);
  let stacked = tf.stack(starts.map((s) => db.slice([0, s], [nMels, P]))) as tf.Tensor3D;
  if (net.spec.topDb !== null) {
    // max(x, floor) written as x + relu(floor − x): tfjs 4.22's Maximum gradient does not reduce a
    // broadcast operand
    const floor = stacked.max([1, 2], true).sub(net.spec.topDb);
    stacked = stacked.add(tf.relu(floor.sub(stacked)));
  }
  const laid = net.layout === 'mels-frames' ? stacked : (stacked.transpose([0, 2, 1]) as tf.Tensor3D);
  return laid.sub(net.inputOffset).mul(net.inputScale).expandDims(-1) as tf.Tensor4D;
}

/** Embeddings of the patches of a dB spectrogram [nMels, T] → [B, D]. Differentiable in db. */
export function embedPatches(net: DreamNet, db: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => net.embedding.apply(patchesOf(net, db), { training: false }) as tf.Tensor2D);
}

/** Mean embedding of the patches of a dB spectrogram [nMels, T] → [D]. Differentiable in db. */
export function embedSpectrogram(net: DreamNet, db: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => embedPatches(net, db).mean(0) as tf.Tensor1D);
}

/** Mean class probabilities of the patches → [K]. */
export function classifySpectrogram(net: DreamNet, db: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => (net.classifier.apply(patchesOf(net, db), { training: false }) as tf.Tensor2D).mean(0) as tf.Tensor1D);
}

/**
 * Pre-softmax class scores of a classifier whose last layer is a softmax Dense (or a softmax
 * Activation after one): the last layer's input times its kernel plus bias. Returns null when the
 * model ends otherwise (the caller then uses log-probabilities).
 */
export function logitHead(classifier: tf.LayersModel): ((x: tf.Tensor4D) => tf.Tensor2D) | null {
  const last = classifier.layers[classifier.layers.length - 1]!;
  const config = last.getConfig() as { activation?: string };
  const className = last.getClassName();
  if (className === 'Activation' && config.activation === 'softmax') {
    const trunk = tf.model({ inputs: classifier.inputs, outputs: last.input as tf.SymbolicTensor });
    return (x) => trunk.apply(x, { training: false }) as tf.Tensor2D;
  }
  if (className === 'Dense' && config.activation === 'softmax') {
    const trunk = tf.model({ inputs: classifier.inputs, outputs: last.input as tf.SymbolicTensor });
    const [kernel, bias] = last.getWeights() as [tf.Tensor2D, tf.Tensor1D | undefined];
    return (x): tf.Tensor2D => {
      const h: tf.Tensor2D = tf.matMul(trunk.apply(x, { training: false }) as tf.Tensor2D, kernel);
      return bias ? h.add<tf.Tensor2D>(bias) : h;
    };
  }
  return null;
}

/**
 * The layers of a sequential classifier after its embedding layer up to (not including) a final
 * softmax Activation, as a function embedding → scores (dropout is the identity at inference).
 */
export function headAfter(classifier: tf.LayersModel, embeddingLayer: string): ((e: tf.Tensor2D) => tf.Tensor2D) | undefined {
  const names = classifier.layers.map((l) => l.name);
  const at = names.indexOf(embeddingLayer);
  if (at < 0) return undefined;
  let layers = classifier.layers.slice(at + 1);
  const last = layers[layers.length - 1];
  if (last && last.getClassName() === 'Activation' && (last.getConfig() as { activation?: string }).activation === 'softmax') layers = layers.slice(0, -1);
  if (layers.some((l) => !['Dense', 'Dropout'].includes(l.getClassName()))) return undefined;
  return (e) => layers.reduce<tf.Tensor>((h, l) => l.apply(h, { training: false }) as tf.Tensor, e) as tf.Tensor2D;
}
