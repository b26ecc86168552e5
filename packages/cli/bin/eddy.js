#!/usr/bin/env node
// The `eddy` command; the implementation is compiled to lib/ by `npm run build`.
import '../lib/main.js';
