import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config";
export default mergeConfig(base, defineConfig({ root: "/work/main", test: { include: ["test/browser/rich-menus.browser.test.ts"], exclude: ["**/node_modules/**"], testTimeout: 120_000 } }));
