// Classic Remix compiler (see docs/decisions/001-classic-remix-compiler.md).
/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.*", "**/*.schema.*"],
  serverModuleFormat: "esm",
  // Node ESM refuses `import x from "*.json"` without an import attribute; bundle Polaris' locale JSON instead.
  serverDependenciesToBundle: [/^@shopify\/polaris\/locales\//],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: false,
  },
};
