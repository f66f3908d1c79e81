#!/usr/bin/env node
import {execute} from '@oclif/core';

// React picks its build when first loaded: without this it loads the development build,
// whose per-render checks and performance entries make live views slow and grow without bound.
process.env.NODE_ENV ??= 'production';

await execute({dir: import.meta.url});
