// Compiles proto/eddy/v1/*.proto into one static protobufjs module with TypeScript declarations.
// Output is git-ignored and rebuilt only when a .proto file is newer than it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const protoRoot = resolve(here, '../../../proto');
const protoDir = join(protoRoot, 'eddy/v1');
const outDir = resolve(here, '../generated');
const outJs = join(outDir, 'eddy.js');
const outDts = join(outDir, 'eddy.d.ts');

const protos = readdirSync(protoDir).filter((f) => f.endsWith('.proto')).map((f) => join(protoDir, f));
const newest = Math.max(...protos.map((f) => statSync(f).mtimeMs), statSync(fileURLToPath(import.meta.url)).mtimeMs);
if (existsSync(outDts) && statSync(outDts).mtimeMs > newest) process.exit(0);

mkdirSync(outDir, { recursive: true });
const bin = (name) => resolve(here, '../../../node_modules/.bin', name);
execFileSync(bin('pbjs'), ['-t', 'static-module', '-w', 'es6', '--force-number', '--no-delimited', '--no-verify',
  '--no-convert', '-p', protoRoot, '-o', outJs, ...protos], { stdio: 'inherit' });
// Node's ESM resolver needs the file extension of protobufjs' subpath import.
writeFileSync(outJs, readFileSync(outJs, 'utf8').replace(/import \* as \$protobuf from "protobufjs\/minimal";/, "import $protobuf from \"protobufjs/minimal.js\";"));
execFileSync(bin('pbts'), ['-o', outDts, outJs], { stdio: 'inherit' });
console.log(`compiled ${protos.length} proto files into ${outJs}`);
