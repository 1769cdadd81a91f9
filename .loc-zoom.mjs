import { chromium } from "playwright-core";
import fs from "node:fs";
const [src, out, x, y, w, h] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
const p = await b.newPage({ viewport: { width: 1400, height: 1000 } });
const data = fs.readFileSync(src).toString("base64");
await p.setContent(`<body style="margin:0"><img src="data:image/png;base64,${data}" style="image-rendering:pixelated;position:absolute;width:${1280*6}px;left:-${x*6}px;top:-${y*6}px"></body>`);
await p.screenshot({ path: out, clip: { x: 0, y: 0, width: Number(w) * 6, height: Number(h) * 6 } });
await b.close();
