/** `net.summary()`: a text table of the layers, like Keras's `model.summary()`. */
import type { ModelData } from '../data/model-data.js';
import type { Dense } from '../model/layer.js';

export function summaryText(net: { readonly input: number; readonly layers: readonly Dense[]; readonly state: { readonly model: ModelData } }): string {
  const d = net.state.model;
  const rows: string[][] = [['Layer (type)', 'Output', 'Activation', 'Dropout', 'Params']];
  rows.push(['input', String(net.input), d.inputKind === 'none' ? '' : `scaling: ${d.inputKind}`, '', '0']);
  let total = 0;
  net.layers.forEach((l, n) => {
    const count = l.units * l.inputs + l.units;
    total += count;
    rows.push([`dense_${n} (Dense)`, String(l.units), l.activation.name, d.dropout[n]! > 0 ? String(d.dropout[n]) : '', String(count)]);
  });
  const widths = rows[0]!.map((_, j) => Math.max(...rows.map((r) => r[j]!.length)));
  const line = (r: string[]): string => r.map((c, j) => (j === 4 || j === 1 ? c.padStart(widths[j]!) : c.padEnd(widths[j]!))).join('   ').trimEnd();
  const rule = '─'.repeat(line(rows[0]!).length);
  const out = [line(rows[0]!), rule, ...rows.slice(1).map(line), rule, `Total parameters: ${total} (all trainable)`];
  if (d.outputKind !== 'none') out.push(`Output scaling: ${d.outputKind}${d.output === undefined ? ' (not adapted yet)' : ''}`);
  if (d.inputKind !== 'none' && d.input === undefined) out.push(`Input scaling: ${d.inputKind} (not adapted yet)`);
  if (d.classes !== undefined) out.push(`Classes: ${d.classes.labels.map((l) => JSON.stringify(l)).join(', ')}`);
  return out.join('\n');
}
