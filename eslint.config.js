// @ts-check
import tseslint from 'typescript-eslint';

const kafkajsOutOfViews = {
  patterns: [
    {
      group: ['kafkajs', 'kafkajs/*'],
      message: 'Commands and views never talk to Kafka: go through src/kafka or src/patterns.',
    },
  ],
};

export default tseslint.config(
  {ignores: ['dist/**', 'node_modules/**', 'coverage/**']},
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
      '@typescript-eslint/no-explicit-any': 'error',
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
