// Example: list a model's latent directions, compute (or fetch) its SeFa set, edit along one.
// Run: npx tsx examples/edit.ts --address 127.0.0.1:50051 --model NAME [--token T] [--direction ID] [--seed S]
import { parseArgs } from 'node:util';
import { LatentGanClient } from '../src/index.js';
import { run } from './run.js';

const { values } = parseArgs({
  options: {
    address: { type: 'string', default: '127.0.0.1:50051' },
    model: { type: 'string' },
    token: { type: 'string' },
    direction: { type: 'string' },
    seed: { type: 'string', default: '0' },
  },
});

function mean(data: Uint8Array): number {
  let sum = 0;
  for (const v of data) sum += v;
  return data.length ? sum / data.length : 0;
}

async function main(): Promise<void> {
  if (!values.model) throw new Error('give --model NAME');
  const model = values.model;
  const client = new LatentGanClient(values.address!, values.token ? { token: values.token } : {});
  try {
    // The first set of a version may train the data set's evaluator: allow it a few minutes.
    const set = await client.computeDirections(model, { method: 'sefa', k: 5 }, { timeoutMs: 600_000 });
    console.log(`${set.model}: set ${set.key} ${set.createdNow ? 'computed now' : 'stored already'} ` +
      `(${set.computeSeconds.toFixed(1)} s + ${set.scoreSeconds.toFixed(1)} s scoring)`);

    const directions = await client.directions(model);
    console.log(`${directions.length} direction(s):`);
    for (const d of directions) {
      const kept = d.score.classKept === undefined ? '' : `  class kept ${(100 * d.score.classKept).toFixed(0)}%`;
      console.log(`  ${d.id.padEnd(28)} value ${d.value.toFixed(3)}  moves ${d.score.topAttribute}` +
        `  entanglement ${d.score.entanglement.toFixed(2)}${kept}`);
    }

    const id = values.direction ?? set.directions[0]?.id;
    if (!id) throw new Error(`${model} has no directions`);
    const e = await client.edit(model, id, [-3, -1.5, 0, 1.5, 3], { seed: values.seed!, n: 2 });
    console.log(`edit along ${id} by ${e.model}: ${e.rows} row(s) x ${e.columns} strength(s), shape [${e.images.shape.join(', ')}]`);
    for (let r = 0; r < e.rows; r++) {
      const means = e.strengths.map((s, j) => `${s >= 0 ? '+' : ''}${s}: ${mean(e.image(r, j)).toFixed(1)}`);
      console.log(`  row ${r} mean pixel by strength  ${means.join('  ')}`);
    }
  } finally {
    client.close();
  }
}

run(main);
