import { networkStrip } from '../../../shared/export/network-strip.ts';
import { inferShapes } from '../../../shared/shapes/infer-shapes.ts';
import { templates } from '../../../shared/templates/catalogue.ts';
import type { Template } from '../../../shared/templates/template.ts';
import { templateNotes, type TemplateNote } from '../../../shared/templates/template-notes.ts';

/** One template as the start screen shows it: its note, its picture and its trainable parameters. */
export interface TemplateCard {
  template: Template;
  note: TemplateNote | undefined;
  picture: string;
  trainable: number;
}

let cards: TemplateCard[] | null = null;

/** Every template's card, worked out once (about a fifth of a second for all of them) when first shown. */
export function templateCards(): TemplateCard[] {
  cards ??= templates.map((template) => {
    const graph = template.build();
    const inference = inferShapes(graph);
    return {
      template,
      note: templateNotes[template.id],
      picture: networkStrip(graph, inference).svg,
      trainable: inference.totals.params.trainable,
    };
  });
  return cards;
}
