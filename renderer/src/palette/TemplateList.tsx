import { useState } from 'react';
import { templates } from '../../../shared/templates/catalogue.ts';
import { openTemplate } from '../document/document-actions.ts';

/**
 * The templates to open, built for the classes and the colour the user asks (Fashion-MNIST's 10 and grey by
 * default; ImageNet-style 1000 and colour as torchvision builds them).
 */
export function TemplateList({ filter }: { filter: string }) {
  const [classesText, setClassesText] = useState('10');
  const [channels, setChannels] = useState<'own' | '1' | '3'>('own');
  const classes = Number(classesText);
  const validClasses = Number.isInteger(classes) && classes >= 1 && classes <= 100_000;
  const options = {
    ...(validClasses ? { classes } : {}),
    ...(channels === 'own' ? {} : { channels: Number(channels) }),
  };
  return (
    <section>
      <h3>Templates</h3>
      <div className="template-options">
        <label title="The number of class scores the network ends with">
          Classes
          <input
            value={classesText}
            inputMode="numeric"
            onChange={(e) => setClassesText(e.target.value)}
            aria-invalid={!validClasses}
            data-testid="template-classes"
          />
        </label>
        <label title="The channels of the images the network reads">
          Images
          <select
            value={channels}
            onChange={(e) => setChannels(e.target.value as typeof channels)}
            data-testid="template-channels"
          >
            <option value="own">as designed</option>
            <option value="1">grey (1)</option>
            <option value="3">colour (3)</option>
          </select>
        </label>
      </div>
      {!validClasses && <p className="field-error">Classes: a whole number from 1 to 100,000.</p>}
      {templates
        .filter((t) => `${t.title} ${t.description}`.toLowerCase().includes(filter))
        .map((t) => (
          <button
            key={t.id}
            className="palette-template"
            title={t.description}
            disabled={!validClasses}
            onClick={() => void openTemplate(t, options)}
            data-testid={`template-${t.id}`}
          >
            {t.title} <span>{[options.channels ?? t.input[0], t.input[1], t.input[2]].join('×')}</span>
          </button>
        ))}
    </section>
  );
}
