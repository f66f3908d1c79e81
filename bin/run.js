#!/usr/bin/env node
// React picks its build when first loaded: without this it loads the development build,
// whose per-render checks and performance entries make live views slow and grow without bound.
process.env.NODE_ENV ??= 'production';
// oclif checks its own Node range with semver (some fifty modules) on every start;
// kpat's range is in its package.json. Set before oclif loads, hence the dynamic import.
process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1';

const {execute} = await import('@oclif/core');
await execute({dir: import.meta.url});
