import test from 'ava';
import { linkArtifact } from '../job-artifact.js';

test('job-artifact: imports of the provided packages are linked to the given URLs, nothing else is touched', (t) => {
  const source = [
    'import { defineJob } from "@eddy/sdk";',
    "import{murmur3}from'@eddy/common';",
    'export { x } from "@eddy/sdk/client";',
    'import "@eddy/common";',
    'const m = await import("@eddy/sdk");',
    'import other from "@eddyx/sdk";',
    'import lib from "left-pad";',
    'const note = "see @eddy/sdk docs";',
  ].join('\n');
  const linked = linkArtifact(source, (s) => `file:///opt/eddy/${s.slice(6)}.js`);
  t.is(
    linked,
    [
      'import { defineJob } from "file:///opt/eddy/sdk.js";',
      'import{murmur3}from"file:///opt/eddy/common.js";',
      'export { x } from "file:///opt/eddy/sdk/client.js";',
      'import "file:///opt/eddy/common.js";',
      'const m = await import("file:///opt/eddy/sdk.js");',
      'import other from "@eddyx/sdk";',
      'import lib from "left-pad";',
      'const note = "see @eddy/sdk docs";',
    ].join('\n'),
  );
});
