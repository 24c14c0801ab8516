// Generate the TypeScript types of the latentgan proto into a folder (default src/generated).
// Usage: tsx scripts/generate.ts [OUT_DIR]. Must run from clients/node (paths appear in the output).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

export function generate(outDir: string): void {
  const bin = join(root, 'node_modules', '.bin', 'proto-loader-gen-types');
  // Keep these in step with LOADER_OPTIONS in src/client.ts.
  execFileSync(bin, [
    '--longs=String', '--enums=String', '--defaults', '--oneofs', '--includeComments',
    '--grpcLib=@grpc/grpc-js', '--importFileExtension=.js',
    '-I', '../../protos', '-O', outDir, 'latentgan/v1/latentgan.proto',
  ], { cwd: root, stdio: 'inherit' });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  generate(process.argv[2] ?? 'src/generated');
}
