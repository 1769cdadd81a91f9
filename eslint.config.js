import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";

export default tseslint.config(
  { ignores: ["node_modules", "build", "public/build", ".cache", ".data", "extensions/**/dist"] },
  ...tseslint.configs.recommended,
  {
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Components run in the browser: server modules must not leak into them (the classic Remix
    // compiler does not catch a `.server` import from a component).
    files: ["app/components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["*.server", "*.server.*", "~/db.server"], message: "components must not import server modules" }] },
      ],
    },
  },
  {
    // LINE is reached through one channel adapter (app/adapters/line/): it owns the SDK, retry keys
    // and the one classification of LINE's answers (docs/architecture.md "LINE channel adapter").
    files: ["app/**/*.{ts,tsx}"],
    ignores: ["app/adapters/line/**", "app/components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: [{ name: "@line/bot-sdk", message: "use the LINE channel adapter (app/adapters/line/client.server.ts)" }] },
      ],
    },
  },
);
