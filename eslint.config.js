// @ts-check
import path from 'node:path';
import tseslint from 'typescript-eslint';

const kafkajsOutOfViews = {
  patterns: [
    {
      group: ['kafkajs', 'kafkajs/*'],
      message: 'Commands and views never talk to Kafka: go through src/kafka or src/patterns.',
    },
  ],
};

/**
 * The architecture's layers, top to bottom: a module imports only from its own
 * layer or the ones below it. broker and registry are servers side by side and
 * never import each other.
 */
const LAYERS = {commands: 9, cli: 8, ui: 7, scenarios: 6, patterns: 5, kafka: 4, stack: 3, broker: 2, registry: 2, core: 1};
const srcRoot = path.resolve('src');
const layerOf = (file) => {
  const rel = path.relative(srcRoot, file);
  if (rel.startsWith('..')) return undefined;
  const top = rel.split(path.sep)[0];
  return top in LAYERS ? top : undefined;
};

const layerOrder = {
  meta: {type: 'problem', schema: [], messages: {up: 'src/{{from}} must not import from src/{{to}}: layers import only from the layers below them (see ARCHITECTURE.md).'}},
  create(context) {
    const from = layerOf(context.filename);
    if (!from) return {};
    const check = (node) => {
      const spec = node.source && node.source.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const to = layerOf(path.resolve(path.dirname(context.filename), spec));
      if (!to || to === from) return;
      if (LAYERS[to] >= LAYERS[from]) context.report({node: node.source, messageId: 'up', data: {from, to}});
    };
    return {ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check};
  },
};

export default tseslint.config(
  {ignores: ['dist/**', 'node_modules/**', 'coverage/**']},
  ...tseslint.configs.recommended,
  {
    plugins: {kpat: {rules: {'layer-order': layerOrder}}},
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
      '@typescript-eslint/no-explicit-any': 'error',
      'kpat/layer-order': 'error',
    },
  },
  {
    files: ['src/commands/**/*.{ts,tsx}', 'src/ui/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', kafkajsOutOfViews],
      '@typescript-eslint/no-restricted-imports': 'off',
    },
  },
);
