import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { env } from '@tensorflow/tfjs-core';
import {
  describeFailure,
  formatDiagnostic,
  formatDiagnostics,
  load,
  networkOptions,
  oneSource,
  UsageError,
  type CliIo,
  type Command,
  type CommandSpec,
  type Values,
} from './command-kit.ts';
import { diagramSvg } from '../../shared/export/diagram-svg.ts';
import { applyCommand } from '../../shared/graph/commands.ts';
import type { Graph } from '../../shared/graph/document.ts';
import { variantsOf, type GraphFile } from '../../shared/graph/file-format.ts';
import { serializeDesignFile } from '../../shared/blocks/design-file.ts';
import { tidyLayout } from '../../shared/layout/tidy-layout.ts';
import { hasErrors, inferShapes } from '../../shared/shapes/infer-shapes.ts';
import { formatCount } from '../../shared/shapes/quantity-format.ts';
import { formatSummary, summarize } from '../../shared/shapes/summary-table.ts';
import { fieldColumns, receptiveFields } from '../../shared/shapes/receptive-field.ts';
import { ledgerWords, trainingColumns, trainingLedger } from '../../shared/train/training-memory.ts';
import type { GraphInference } from '../../shared/shapes/infer-shapes.ts';
import { configFromFlags, recipeOfSource } from './train-command.ts';
import { templates } from '../../shared/templates/catalogue.ts';
import { compareCommands, COMPARE_USAGE, DIFF_USAGE } from './compare-command.ts';
import { exportPytorch } from './export-pytorch.ts';
import { exportKeras } from './export-keras.ts';
import { importCommands, IMPORT_USAGE } from './import-command.ts';
import { inspectCommands, INSPECT_USAGE } from './inspect-command.ts';
import { trainCommands, TRAIN_USAGE } from './train-command.ts';
import { LOADED_OPTIONS, OPTION_TYPES, SOURCE_OPTIONS, type OptionName } from './command-options.ts';
import type { Diagnostic } from '../../shared/shapes/diagnostic.ts';

const USAGE = `Usage: blockwise <command> [options]

Commands:
  templates [--classes N] [--channels C]  List the built-in networks, their counts for those classes
  validate FILE|template:NAME             Check a graph and each of its variants; exit 1 on errors
  summary FILE|template:NAME [--input CxHxW] [--expand] [--hwc] [--json] [--receptive-field]
          [--train-memory [--batch B] [--optimizer O] [--momentum M]]
                                          Layers, output shapes, parameters and FLOPs; with
                                          --receptive-field, what each sees of the input (its
                                          size, jump and centre, over every path) and notes;
                                          with --train-memory, what training holds per layer
                                          at that batch and optimizer (the design's recipe's
                                          by default), and the peak
  export FILE|template:NAME --to json|svg [--out PATH] [--hwc]
                                          Write the graph as a current-version graph file, or
                                          its diagram as SVG (templates are laid out first)
  export FILE|template:NAME --to pytorch --out DIR [--run RUN_DIR]
                                          A PyTorch project: model.py, train.py (python or
                                          torchrun), README; with a run, its weights and verify.py
  export FILE|template:NAME --to keras --out DIR [--run RUN_DIR]
                                          A Keras 3 script (model_keras.py); with a run, its tfjs
                                          artifacts (model.json, weights.bin) beside it
${IMPORT_USAGE}
${TRAIN_USAGE}
${INSPECT_USAGE}
${COMPARE_USAGE}
${DIFF_USAGE}

Options:
  --classes N, --channels C               Build a template:NAME for N classes and C input channels
                                          (by default 10, and the template's own: 1, grey)
  -h, --help                              Show this help`;

/** An option the command does not take is refused naming it and listing the ones it does. */
function refuseOtherOptions(name: string, command: CommandSpec, values: Values): void {
  const other = Object.keys(values).filter(
    (k) => values[k] !== undefined && k !== 'help' && !command.options.includes(k as OptionName),
  );
  if (other.length === 0) return;
  const given = other.map((k) => `--${k}`).join(', ');
  const takes = command.options.length ? command.options.map((o) => `--${o}`).join(', ') : 'none';
  throw new UsageError(`${name} does not take ${given}; its options: ${takes}`);
}

/** Runs one CLI invocation; returns the process exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  // tfjs would otherwise greet us on stdout about tfjs-node, which cannot install here.
  env().set('PROD', true);
  try {
    const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: OPTION_TYPES });
    const [name, ...rest] = positionals;
    if (values.help || !name) {
      io.out((name && COMMANDS[name]?.help?.()) || USAGE);
      return name || values.help ? 0 : 2;
    }
    const command = COMMANDS[name];
    if (!command) throw new UsageError(`unknown command "${name}"`);
    refuseOtherOptions(name, command, values);
    return await command.run(rest, values, io);
  } catch (e) {
    if (e instanceof UsageError || (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`blockwise: ${(e as Error).message}\n${USAGE}`);
      return 2;
    }
    io.err(`blockwise: ${describeFailure(e)}`);
    return 1;
  }
}

async function diagramOf(graph: Graph, positionals: string[], values: Values): Promise<string> {
  // Templates are built as a plain column; the UI lays them out when it opens one, and so does this.
  const laid = oneSource(positionals).startsWith('template:')
    ? applyCommand(graph, tidyLayout(graph)).graph
    : graph;
  return diagramSvg(laid, inferShapes(laid), values.hwc ? 'HWC' : 'CHW').svg;
}

interface CheckedVariant {
  name: string;
  ok: boolean;
  diagnostics: Diagnostic[];
}

const checkedGraph = (name: string, graph: Graph): CheckedVariant => {
  const inference = inferShapes(graph);
  return { name, ok: !hasErrors(inference), diagnostics: inference.diagnostics };
};

/** Every variant of a document, checked; the shown one as loaded (with --input applied). */
function checkedVariants(file: GraphFile): CheckedVariant[] {
  const { variants, shown } = variantsOf(file);
  return variants.map((v, i) => checkedGraph(v.name, i === shown ? file.graph : v.graph));
}

/** The diagnostics as lines, each variant named when there are several; `clean` also says which have none. */
function diagnosticLines(document: string, checked: CheckedVariant[], clean: boolean): string[] {
  return checked.flatMap((c) => {
    const label = checked.length > 1 ? `${document} · ${c.name}` : document;
    if (c.diagnostics.length === 0) return clean ? [`${label}: no problems`] : [];
    return [...(checked.length > 1 || !clean ? [`${label}:`] : []), ...formatDiagnostics(c.diagnostics)];
  });
}

const cliCommands: Record<string, Command> = {
  async templates(_p, values, io) {
    const options = networkOptions(values);
    const rows = templates.map((t) => {
      const inf = inferShapes(t.build(options));
      const { trainable, nonTrainable } = inf.totals.params;
      // Apart, as PyTorch prints them: parameters, and buffers (BatchNorm's running statistics).
      return {
        id: t.id,
        title: t.title,
        input: [options.channels ?? t.input[0], t.input[1], t.input[2]].join('×'),
        trainable,
        nonTrainable,
        description: t.description,
      };
    });
    if (values.json) io.out(JSON.stringify(rows, null, 2));
    else {
      const width = Math.max(...rows.map((r) => r.id.length));
      io.out(
        `${'template'.padEnd(width)} ${'input'.padEnd(11)} ${'trainable'.padStart(12)} ${'buffers'.padStart(9)}  description`,
      );
      for (const r of rows)
        io.out(
          `${r.id.padEnd(width)} ${r.input.padEnd(11)} ${formatCount(r.trainable).padStart(12)} ${formatCount(r.nonTrainable).padStart(9)}  ${r.description}`,
        );
    }
    return 0;
  },

  // Every variant of the document, each named when there are several: compare and sweep read them all.
  async validate(positionals, values, io) {
    const file = await load(positionals, values, io);
    if (!file) return 1;
    const checked = checkedVariants(file);
    const ok = checked.every((c) => c.ok);
    if (values.json) {
      const { diagnostics } = checked[variantsOf(file).shown]!;
      io.out(JSON.stringify({ ok, diagnostics, variants: checked }, null, 2));
    } else for (const line of diagnosticLines(file.meta.name, checked, true)) io.out(line);
    return ok ? 0 : 1;
  },

  async summary(positionals, values, io) {
    const file = await load(positionals, values, io);
    if (!file) return 1;
    const inference = inferShapes(file.graph);
    const expand = values.expand === true;
    const summary = summarize(file.graph, inference, expand);
    const fields = values['receptive-field'] ? receptiveFields(file.graph, inference) : null;
    const training = values['train-memory'] ? ledgerOf(file, positionals, values, inference) : null;
    if (values.json) {
      const { name } = file.meta;
      const { diagnostics } = inference;
      const rows = summary.rows.map((r) => ({
        ...r,
        ...(fields ? { receptiveField: (expand ? fields.layers : fields.nodes).get(r.id) } : {}),
        ...(training
          ? { training: (expand ? training.ledger.layers : training.ledger.nodes).get(r.id) }
          : {}),
      }));
      const extra = {
        ...(fields ? { notes: fields.notes } : {}),
        ...(training
          ? { training: { ...training.ledger.total, peak: training.ledger.peak, batch: training.batch } }
          : {}),
      };
      io.out(JSON.stringify({ name, ...summary, rows, diagnostics, ...extra }, null, 2));
    } else {
      const columns = [
        ...(fields ? [fieldColumns(fields, expand)] : []),
        ...(training ? [trainingColumns(training.ledger, expand)] : []),
      ];
      io.out(formatSummary(summary, values.hwc ? 'HWC' : 'CHW', columns));
      if (training) io.out(`${ledgerWords(training.ledger.total, training.batch)}.`);
      for (const note of fields?.notes ?? []) io.out(formatDiagnostic(note));
      for (const line of formatDiagnostics(inference.diagnostics)) io.err(line);
    }
    return hasErrors(inference) ? 1 : 0;
  },

  async export(positionals, values, io) {
    if (values.to === 'pytorch') return exportPytorch(positionals, values, io);
    if (values.to === 'keras') return exportKeras(positionals, values, io);
    if (values.to !== 'json' && values.to !== 'svg')
      throw new UsageError('export needs --to json, svg, pytorch or keras');
    const file = await load(positionals, values, io);
    if (!file) return 1;
    const text =
      values.to === 'json' ? serializeDesignFile(file) : await diagramOf(file.graph, positionals, values);
    if (typeof values.out === 'string') {
      await io.fs.makeDir(dirname(resolve(values.out)));
      await io.fs.writeBytes(values.out, text);
    } else io.out(text.trimEnd());
    // Written as it is (a design in progress is worth keeping), but never in silence: its problems, exit 1.
    const checked = values.to === 'json' ? checkedVariants(file) : [checkedGraph(file.meta.name, file.graph)];
    for (const line of diagnosticLines(file.meta.name, checked, false)) io.err(line);
    return checked.every((c) => c.ok) ? 0 : 1;
  },
};

/** The training-memory ledger at the batch and optimizer the flags (or the design's recipe) say. */
function ledgerOf(file: GraphFile, positionals: string[], values: Values, inference: GraphInference) {
  const config = configFromFlags(values, recipeOfSource(file, oneSource(positionals)));
  return { ledger: trainingLedger(inference, config.batchSize, config.optimizer), batch: config.batchSize };
}

/** Every command with the options it takes: the one table the CLI dispatches through. */
const COMMANDS: Record<string, CommandSpec> = {
  templates: { run: cliCommands['templates']!, options: [...SOURCE_OPTIONS, 'json'] },
  validate: { run: cliCommands['validate']!, options: [...LOADED_OPTIONS, 'json'] },
  summary: {
    run: cliCommands['summary']!,
    options: [
      ...LOADED_OPTIONS,
      'expand',
      'hwc',
      'json',
      'receptive-field',
      'train-memory',
      'batch',
      'optimizer',
      'momentum',
    ],
  },
  export: { run: cliCommands['export']!, options: [...LOADED_OPTIONS, 'to', 'out', 'hwc', 'run'] },
  ...trainCommands,
  ...compareCommands,
  ...importCommands,
  ...inspectCommands,
};
