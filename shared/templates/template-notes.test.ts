import { describe, expect, it } from 'vitest';
import { graphSchema } from '../graph/document.ts';
import { inferShapes } from '../shapes/infer-shapes.ts';
import { templates } from './catalogue.ts';
import { starterDesign } from './starter-design.ts';
import { seedArticles, templateFamilies, templateNotes } from './template-notes.ts';

describe('what the start screen says of each template', () => {
  it.each(templates.map((t) => [t.id] as const))(
    '%s has a family, its article and a sentence or two',
    (id) => {
      const note = templateNotes[id];
      expect(note, `add a note for ${id} to template-notes.ts`).toBeDefined();
      expect(templateFamilies).toContain(note!.family);
      expect(Object.keys(seedArticles)).toContain(note!.article);
      const sentences = note!.says.split(/[.!?](?:\s|$)/).filter((s) => s.trim() !== '');
      expect(sentences.length).toBeGreaterThanOrEqual(1);
      expect(sentences.length).toBeLessThanOrEqual(2);
    },
  );

  it('has no note for a template the catalogue lacks', () => {
    const ids = new Set(templates.map((t) => t.id));
    expect(Object.keys(templateNotes).filter((id) => !ids.has(id))).toEqual([]);
  });
});

describe('the design "Build your own" starts from', () => {
  it('is a valid graph of an Input and an Output only, unwired', () => {
    const graph = graphSchema.parse(starterDesign());
    expect(graph.nodes.map((n) => n.type)).toEqual(['Input', 'Output']);
    expect(graph.edges).toEqual([]);
    const input = inferShapes(graph).nodes.get('input');
    expect(input?.status === 'ok' && [...input.outputs.values()]).toEqual([[1, 28, 28]]);
  });
});
