// A saved CNN's embedding layer for latent maps (the Map view's "run" source): the activations of
// its `embedding` layer for every row (3-second log-mel patch) given, in a worker.
import { CnnClassifier } from '../engine/cnn/model';
import { initBackend } from '../engine/ml/backend';
import type { ModelEmbedPayload, ModelEmbedResult } from './embedModel';

export async function cnnEmbedTask(p: ModelEmbedPayload): Promise<ModelEmbedResult> {
  const backend = await initBackend();
  const clf = await CnnClassifier.fromDir(p.modelDir);
  try {
    const embedding = clf.embed({ data: p.X, rows: p.rows, cols: p.cols });
    const dims = clf.embeddingSize;
    return { embedding, dims, layer: `embedding layer (${dims} units)`, backend };
  } finally {
    clf.dispose();
  }
}
