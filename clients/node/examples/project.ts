// Example: project an image into a model's latent space, then edit it along a direction.
// The image is a PNG file (--image), or else an image sampled from the model by --seed.
// Run: npx tsx examples/project.ts --address 127.0.0.1:50051 --model NAME [--token T] [--image FILE.png] [--seed S] [--direction ID]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { LatentGanClient, type ImagesInput } from '../src/index.js';
import { run } from './run.js';

const { values } = parseArgs({
  options: {
    address: { type: 'string', default: '127.0.0.1:50051' },
    model: { type: 'string' },
    token: { type: 'string' },
    image: { type: 'string' },
    seed: { type: 'string', default: '0' },
    direction: { type: 'string', default: 'sefa:0' },
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
    let images: ImagesInput;
    if (values.image) {
      images = [readFileSync(values.image)]; // a PNG file, sent as it is
      console.log(`projecting ${values.image}`);
    } else {
      const sampled = await client.sample({ model, n: 1, seed: values.seed! });
      images = sampled.images; // an Images result goes as it is
      console.log(`projecting the image of seed ${values.seed} (shape [${sampled.images.shape.join(', ')}])`);
    }

    const p = await client.project(model, images);
    console.log(`${p.model}: method ${p.method}, ${p.latents.rows} latent(s) of ${p.latents.dim} values, ` +
      `${p.steps[0]} optimiser step(s)`);
    console.log(`  pixel distance ${p.pixelDistances[0]?.toFixed(4)}, feature distance ${p.featureDistances[0]?.toFixed(4)}` +
      `${p.labels.length ? `, label ${p.labels[0]}` : ''}`);

    // The latents (and labels) go to edit as they are: the real image, moved along a direction.
    const e = await client.edit(model, values.direction!, [-3, -1.5, 0, 1.5, 3], { latents: p.latents, labels: p.labels });
    const means = e.strengths.map((s, j) => `${s >= 0 ? '+' : ''}${s}: ${mean(e.image(0, j)).toFixed(1)}`);
    console.log(`edit along ${values.direction}: mean pixel by strength  ${means.join('  ')}`);
  } finally {
    client.close();
  }
}

run(main);
