// Example: list models, sample 4 images, interpolate 8 frames.
// Run: npx tsx examples/sample.ts --address 127.0.0.1:50051 --model NAME [--token T] [--seed S]
import { parseArgs } from 'node:util';
import { LatentGanClient, type Images } from '../src/index.js';
import { run } from './run.js';

const { values } = parseArgs({
  options: {
    address: { type: 'string', default: '127.0.0.1:50051' },
    model: { type: 'string' },
    token: { type: 'string' },
    seed: { type: 'string', default: '0' },
  },
});

function mean(images: Images): number {
  let sum = 0;
  for (const v of images.data) sum += v;
  return images.data.length ? sum / images.data.length : 0;
}

async function main(): Promise<void> {
  const client = new LatentGanClient(values.address!, values.token ? { token: values.token } : {});
  try {
    const models = await client.listModels();
    console.log(`${models.length} model version(s):`);
    for (const m of models) {
      console.log(`  ${m.name}@${m.version}  dataset=${m.dataset}  image=${m.imageShape.join('x')}  latent_dim=${m.latentDim}  loss=${m.loss}`);
    }
    const model = values.model ?? models.at(-1)?.name;
    if (!model) throw new Error('no models registered; train one first (latentgan train ...)');

    const s = await client.sample({ model, n: 4, seed: values.seed! });
    console.log(`sample from ${s.model}: shape [${s.images.shape.join(', ')}], mean pixel ${mean(s.images).toFixed(2)}` +
      (s.labels.length ? `, labels ${s.labels.join(' ')}` : ''));

    const it = await client.interpolate({ model, seedA: 1, seedB: 2, steps: 8, method: 'slerp' });
    console.log(`interpolate from ${it.model}: shape [${it.frames.shape.join(', ')}], mean pixel ${mean(it.frames).toFixed(2)}`);
  } finally {
    client.close();
  }
}

run(main);
