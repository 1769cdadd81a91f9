// The app's public URL (SHOPIFY_APP_URL). `shopify app deploy` builds this file as is: set it for
// each environment before deploying.
export const APP_URL = "https://example.com";
