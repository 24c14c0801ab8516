// What every example does on its way out: a latentgan error as one line (code, status, field), exit 1.
import { LatentGanError } from '../src/index.js';

export function run(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    if (err instanceof LatentGanError) {
      console.error(`error ${err.code} ${err.codeName}: ${err.details}${err.field ? ` (field ${err.field})` : ''}`);
    } else {
      console.error(err);
    }
    process.exit(1);
  });
}
