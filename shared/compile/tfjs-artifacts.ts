import { io, type NamedTensorMap } from '@tensorflow/tfjs-core';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';

/** A trained model as tfjs writes it: model.json (topology + weights manifest) and weights.bin. */
export interface ModelFiles {
  modelJson: string;
  weightsBin: Uint8Array;
}

export const WEIGHTS_FILE = 'weights.bin';

export async function modelToFiles(model: LayersModel): Promise<ModelFiles> {
  let files: ModelFiles | null = null;
  await model.save(
    io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData;
      const bytes =
        data instanceof ArrayBuffer
          ? new Uint8Array(data)
          : new Uint8Array(io.concatenateArrayBuffers(data ?? []));
      const json = {
        format: 'layers-model',
        generatedBy: 'Blockwise',
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
      };
      files = { modelJson: JSON.stringify(json), weightsBin: bytes };
      return { modelArtifactsInfo: io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return files!;
}

/** Loads model.json + weights.bin as written above (or by any tfjs layers-model export). */
export async function modelFromFiles(files: ModelFiles): Promise<LayersModel> {
  const json = JSON.parse(files.modelJson) as SavedModelJson & { modelTopology: object };
  return loadLayersModel(
    io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: weightSpecsOf(json),
      weightData: arrayBufferOf(files.weightsBin),
    }),
  );
}

/** The weights of model.json + weights.bin by their saved names ("conv1_conv/kernel"); the caller disposes. */
export function decodeSavedWeights(files: ModelFiles): NamedTensorMap {
  return io.decodeWeights(
    arrayBufferOf(files.weightsBin),
    weightSpecsOf(JSON.parse(files.modelJson) as SavedModelJson),
  );
}

type SavedModelJson = { weightsManifest: { weights: io.WeightsManifestEntry[] }[] };

/** Every weight the manifest lists, its groups one after another (the order of the bytes). */
const weightSpecsOf = (json: SavedModelJson) => json.weightsManifest.flatMap((g) => g.weights);

const arrayBufferOf = (bytes: Uint8Array) =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
