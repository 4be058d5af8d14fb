// ESLint flat config. TypeScript is linted with type information (typescript-eslint's
// recommended-type-checked); each file uses the nearest tsconfig.json that includes it.
// The dApp (frontend/) is linted with its own tsconfig (DOM, JSX, bundler resolution) plus React's hook rules.
import { defineConfig, globalIgnores } from "eslint/config";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

const tsFiles = [
  "hardhat.config.ts",
  "client/**/*.{ts,mts,cts}",
  "keeper/**/*.{ts,mts,cts}",
  "scripts/**/*.{ts,mts,cts}",
  "test/**/*.{ts,mts,cts}",
  "ignition/**/*.{ts,mts,cts}",
  "examples/**/*.{ts,mts,cts}",
];

const jsFiles = ["*.{js,mjs,cjs}", "keeper/**/*.{js,mjs,cjs}", "scripts/**/*.{js,mjs,cjs}", "test/**/*.{js,mjs,cjs}"];

export default defineConfig([
  globalIgnores([
    "node_modules/",
    "artifacts/",
    "cache/",
    "types/",
    "coverage/",
    "frontend/dist/",
    "frontend/src/generated.ts",
    "**/test-results/",
    "ignition/deployments/",
  ]),
  {
    files: tsFiles,
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["frontend/**/*.{ts,tsx}"],
    extends: [tseslint.configs.recommendedTypeChecked, reactHooks.configs.flat.recommended],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: jsFiles,
    extends: [tseslint.configs.recommended, tseslint.configs.disableTypeChecked],
  },
]);
