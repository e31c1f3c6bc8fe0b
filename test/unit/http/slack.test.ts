import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SendNotification, Severity } from '../../../src/schema/actions.js';
import { renderSlackMessage, type SlackMessage } from '../../../src/sinks/http/slack.js';
import { fitBlocks, SLACK_LIMITS, type SlackBlock, truncate } from '../../../src/sinks/http/slack-limits.js';
import { artifactFiring, metricFiring, stateFiring, threshold } from './firings.js';

// Destructured: tsc wants ['FC_RUNS'] (an index signature), Biome wants .FC_RUNS.
const { FC_RUNS: runs } = process.env;
const FC_RUNS = Number(runs ?? 100);

const notify = (over: Partial<SendNotification> = {}): SendNotification => ({
  type: 'SendNotification',
  integration: 'ml-alerts',
  title: 'High accuracy',
  message: '${run_name}: ${metric_value}',
  severity: 'INFO',
  ...over,
});

/** Every text in a message, by where it sits, to check each against its limit. */
function expectWithinLimits(m: SlackMessage): void {
  expect(m.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  expect(m.text.length).toBeLessThanOrEqual(SLACK_LIMITS.text);
  for (const b of m.blocks) {
    if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    else if (b.type === 'context') {
      expect(b.elements.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
      for (const e of b.elements) expect(e.text.length).toBeLessThanOrEqual(SLACK_LIMITS.contextText);
    } else if ('fields' in b) {
      expect(b.fields.length).toBeLessThanOrEqual(SLACK_LIMITS.fields);
      for (const f of b.fields) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    } else if (b.type === 'table') {
      expect(b.rows.length).toBeLessThanOrEqual(SLACK_LIMITS.tableRows);
      for (const row of b.rows) expect(row.length).toBeLessThanOrEqual(SLACK_LIMITS.tableCells);
    } else expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
  }
}

const fieldsOf = (m: SlackMessage): string[] =>
  m.blocks.flatMap((b) => (b.type === 'section' && 'fields' in b ? b.fields.map((f) => f.text) : []));

describe('renderSlackMessage', () => {
  it('header, message, details with evidence, context; text fallback; severity colour', () => {
    const m = renderSlackMessage(metricFiring(), notify());
    expect(m.text).toBe('ℹ️ High accuracy: sweep-7: 0.97');
    expect(m.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'ℹ️ High accuracy', emoji: true },
    });
    expect(m.blocks[1]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 'sweep-7: 0.97' } });
    expect(fieldsOf(m)).toEqual([
      '*Severity*\nℹ️ INFO',
      '*Automation*\naccuracy-alert',
      '*Project*\nacme/vision',
      '*Run*\nsweep-7 (r1)',
      '*Metric*\naccuracy = 0.97',
      '*Condition*\nmean(5) accuracy &gt; 0.6',
      '*Aggregate*\nmean = 0.952',
      '*Last values*\n0.91, 0.95, 0.96, 0.97, 0.97',
    ]);
    expect(m.blocks.at(-1)).toMatchObject({ type: 'context' });
    expect(JSON.stringify(m.blocks.at(-1))).toContain('run.metrics');
    expect(m.attachments).toEqual([{ color: '#439FE0' }]);
  });

  it.each([
    ['INFO', 'ℹ️'],
    ['WARN', '⚠️'],
    ['ERROR', '🚨'],
  ] as [Severity, string][])('severity %s shows %s and its own colour', (severity, emoji) => {
    const m = renderSlackMessage(metricFiring(), notify({ severity }));
    expect(m.blocks[0]).toMatchObject({ text: { text: `${emoji} High accuracy` } });
    expect(fieldsOf(m)[0]).toBe(`*Severity*\n${emoji} ${severity}`);
  });

  it('run state and artifact firings show the state, or the collection:version, alias and registry', () => {
    expect(fieldsOf(renderSlackMessage(stateFiring(), notify()))).toContain('*State*\nrunning → failed');
    const artifact = fieldsOf(renderSlackMessage(artifactFiring(), notify({ message: '' })));
    expect(artifact).toEqual([
      '*Severity*\nℹ️ INFO',
      '*Automation*\naccuracy-alert',
      '*Project*\nacme/model',
      '*Artifact*\nresnet:v3',
      '*Alias*\nbest',
    ]);
  });

  it('an empty message leaves out its section; an empty title falls back to the automation name', () => {
    const m = renderSlackMessage(metricFiring(), notify({ title: '', message: '' }));
    expect(m.blocks.map((b) => b.type)).toEqual(['header', 'section', 'context']);
    expect(m.text).toBe('ℹ️ accuracy-alert');
  });

  it('event text is escaped for mrkdwn; the author’s own links and mentions are kept', () => {
    const firing = metricFiring({ runName: '<!channel> & <https://evil|click>' });
    const m = renderSlackMessage(firing, notify({ message: '<https://wandb.ai|run> ${run_name}' }));
    expect(m.blocks[1]).toMatchObject({
      text: { text: '<https://wandb.ai|run> &lt;!channel&gt; &amp; &lt;https://evil|click&gt;' },
    });
    expect(fieldsOf(m)).toContain('*Run*\n&lt;!channel&gt; &amp; &lt;https://evil|click&gt; (r1)');
    expect(m.text).not.toContain('<!channel>');
    // The header is plain text: nothing to escape, nothing interpreted.
    const header = renderSlackMessage(firing, notify({ title: '${run_name}' })).blocks[0];
    expect(header).toMatchObject({ text: { text: 'ℹ️ <!channel> & <https://evil|click>' } });
  });

  it('a 10,000-character message and a 500-character title are truncated with …', () => {
    const m = renderSlackMessage(
      metricFiring(),
      notify({ title: 't'.repeat(500), message: 'm'.repeat(10_000) }),
    );
    expectWithinLimits(m);
    const [header, section] = m.blocks;
    expect(header).toMatchObject({ type: 'header' });
    expect(header?.type === 'header' && header.text.text.length).toBe(150);
    expect(header?.type === 'header' && header.text.text.endsWith('…')).toBe(true);
    expect(section?.type === 'section' && 'text' in section && section.text.text.length).toBe(3000);
    expect(m.text.endsWith('…')).toBe(true);
  });

  it('60 evidence values: the last 20 are shown, after a …', () => {
    const values = Array.from({ length: 60 }, (_, i) => i + 0.5);
    const m = renderSlackMessage(metricFiring({}, { ...threshold, values }), notify());
    expectWithinLimits(m);
    const last = fieldsOf(m).find((f) => f.startsWith('*Last values*')) ?? '';
    expect(last).toBe(`*Last values*\n…, ${values.slice(40).join(', ')}`);
    expect(renderSlackMessage(metricFiring({}, { ...threshold, values }), notify()).blocks).toEqual(m.blocks);
  });

  it('change and z-score evidence', () => {
    const change = {
      metric: 'loss',
      value: 0.5,
      values: [0.5, 0.6],
      aggregate: 0.55,
      agg: 'mean',
      prior: { values: [1, 1, 1], aggregate: 1 },
      change: -0.45,
      changeType: 'relative',
      direction: 'decrease',
      amount: 0.25,
    };
    expect(fieldsOf(renderSlackMessage(metricFiring({}, change), notify()))).toContain(
      '*Change*\n-45% (0.55 vs 1)',
    );
    const z = {
      metric: 'loss',
      value: 9,
      values: [1, 2, 3],
      aggregate: 2,
      threshold: 3,
      direction: 'any',
      zscore: 8.573214,
    };
    expect(fieldsOf(renderSlackMessage(metricFiring({}, z), notify()))).toContain(
      '*Z-score*\n8.573214 (μ 2)',
    );
  });

  it('any title, message and run name stays within every limit', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 400 }),
        fc.string({ unit: 'grapheme', maxLength: 6000 }),
        fc.string({ maxLength: 3000 }),
        fc.array(fc.double(), { maxLength: 100 }),
        (title, message, runName, values) => {
          const firing = metricFiring({ runName }, { ...threshold, values, metric: runName });
          expectWithinLimits(
            renderSlackMessage(firing, notify({ title, message: `${message}\${run_name}` })),
          );
        },
      ),
      { numRuns: FC_RUNS },
    );
  });
});

describe('Slack limits', () => {
  it('fitBlocks: 60 blocks become 50, the last saying how many were left out; 12 fields become 10', () => {
    const section: SlackBlock = { type: 'section', text: { type: 'mrkdwn', text: 'x' } };
    const fitted = fitBlocks(Array.from({ length: 60 }, () => section));
    expect(fitted).toHaveLength(50);
    expect(fitted.at(-1)).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: '… 11 more blocks left out' }],
    });
    const fields = Array.from({ length: 12 }, () => ({ type: 'mrkdwn' as const, text: 'f'.repeat(5000) }));
    const [wide] = fitBlocks([{ type: 'section', fields }]);
    expect(wide?.type === 'section' && 'fields' in wide && wide.fields.length).toBe(10);
    expect(wide?.type === 'section' && 'fields' in wide && wide.fields[0]?.text.length).toBe(2000);
  });

  it('truncate never splits a surrogate pair or an escaped entity', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abcd', 3)).toBe('ab…');
    expect(truncate('a😀😀', 3)).toBe('a…');
    expect(truncate('ab&amp;cd', 5)).toBe('ab…');
    expect(truncate('ab&lt;cd', 7)).toBe('ab&lt;…');
  });
});
