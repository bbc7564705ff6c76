// ESLint: typescript-eslint's type-checked rules on the code that ships (src/, with the widget's
// JSDoc-typed JavaScript), its recommended rules everywhere; Prettier formats, so nothing here
// argues about layout (eslint-config-prettier turns those rules off).
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', '.cache/', '.wrangler/', 'coverage/', 'src/static/widget.js', 'bench/figures/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'src/widget/client/**/*.js'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  {
    languageOptions: { globals: globals.node },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_name` marks what a destructuring leaves out on purpose; a catch may ignore what it caught.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true, caughtErrors: 'none' },
      ],
      // Cleaning text means matching control characters: src/comments/clean-text.ts and its tests.
      'no-control-regex': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
      'prefer-const': 'error',
      // `async` on a function that awaits nothing still turns its throws into rejections: kept on purpose.
      '@typescript-eslint/require-await': 'off',
    },
  },
  // Browser code: the widget's modules (bundled) and the dashboard's script (served as it is).
  { files: ['src/widget/client/**/*.js', 'src/static/**/*.js'], languageOptions: { globals: globals.browser } },
  prettier,
)
