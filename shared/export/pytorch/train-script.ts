import { TRAIN_PY } from './train-py.ts';
import type { TrainConfig } from '../../train/train-config.ts';

/** What train.py needs to know of the network and its run record (network.json and recipe.json). */
export interface TrainScriptFacts {
  name: string;
  graphHash: string;
  recipe: TrainConfig;
  input: number[];
  output: number[];
}

/**
 * train.py and what it reads: Blockwise's recipe (optimizer, schedule, weight decay, augmentation, resize,
 * epochs, batch, seed, validation split, early stopping) on the same data, in PyTorch. One process, or many
 * with torchrun (DDP: a DistributedSampler reshuffled each epoch, the recipe's batch split over the ranks,
 * evaluation summed over all ranks, rank 0 logs and saves); cuda and bf16 autocast when there is a GPU.
 * Writes a Blockwise run record (run.json), so its runs open in the app and compare with the others.
 * train.py is the same for every network (./train.py, embedded as TRAIN_PY); recipe.json and network.json
 * say what differs.
 */
export function trainFiles(
  facts: TrainScriptFacts,
): Record<'train.py' | 'recipe.json' | 'network.json', string> {
  const network = {
    name: facts.name,
    graphHash: facts.graphHash,
    input: facts.input,
    classes: facts.output[0],
  };
  return {
    'train.py': TRAIN_PY,
    'recipe.json': `${JSON.stringify(facts.recipe, null, 2)}\n`,
    'network.json': `${JSON.stringify(network, null, 2)}\n`,
  };
}

/** The folder's README: what each file is and the exact commands. */
export function projectReadme(name: string, trained: boolean): string {
  const weights = trained
    ? `- \`weights.json\`, \`weights.bin\`: the trained weights (float32), loaded by \`load_weights(Net())\`.
- \`verify.py\`: checks that PyTorch computes what Blockwise's tfjs model did on saved inputs.
`
    : '';
  return `# ${name}, exported from Blockwise for PyTorch

- \`model.py\`: the network as an \`nn.Module\` (\`Net\`), one attribute per layer, a class per block,
  the shape of every step in a comment, its modules in the design's order. It returns logits: the softmax
  is in the loss. \`names.json\`: each module (its state_dict prefix) and the design's node it comes from.
${weights}- \`train.py\`: the recipe it had in Blockwise (\`recipe.json\`: edit it, or override it with flags), on
  the same data; \`network.json\`: its name, graph hash, input shape and classes, for the run record.

Needs Python 3 with PyTorch (Debian: \`sudo apt-get install python3-torch\`; or \`pip install torch\`).

\`\`\`sh
${trained ? 'python verify.py                           # PyTorch against tfjs: within 1e-5 + 1e-4 × |tfjs|\n' : ''}python train.py                            # one process: the GPU (cuda) when there is one
python train.py --max-batches 20 --epochs 1  # a quick look
torchrun --nproc_per_node 4 train.py       # four GPUs (DDP), the batch split over them
torchrun --nproc_per_node 2 train.py --sync-bn
python train.py --data folder:~/pets       # another dataset (idx:DIR, folder:DIR, csv:TRAIN,TEST)
\`\`\`

Each run writes \`runs/<time>/run.json\` (a Blockwise run record: open it in Blockwise, or
\`blockwise compare\`) and \`model.pt\` (the state_dict, \`torch.load\`).
`;
}
