// docs/architecture.md draws the event → reaction map; this keeps the drawing equal to
// REACTIONS (app/reactions.server.ts): the same events, each with the same jobs.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REACTIONS } from "~/reactions.server";

const DOC = path.resolve(import.meta.dirname, "../docs/architecture.md");

/** event → job names, from the first ``` block under "## Events and reactions". */
function documentedReactions(markdown: string): Record<string, string[]> {
  const section = markdown.slice(markdown.indexOf("## Events and reactions"));
  const block = section.split("```")[1] ?? "";
  const text: Record<string, string> = {};
  let current: string | null = null;
  for (const line of block.split("\n")) {
    const m = /^(\S+)\s+→\s*(.*)$/.exec(line);
    if (m) text[(current = m[1]!)] = m[2]!;
    else if (current) text[current] += ` ${line.trim()}`;
  }
  // Conditions and remarks are in parentheses (they may span lines); job names are `<area>.<verb-object>`.
  const out: Record<string, string[]> = {};
  for (const [event, rhs] of Object.entries(text))
    out[event] = rhs.replace(/\([^)]*\)/g, "").match(/\b[a-z]+(?:-[a-z]+)*\.[a-z]+(?:-[a-z]+)*\b/g) ?? [];
  return out;
}

describe("docs/architecture.md event → reaction map", () => {
  it("lists exactly the events and reaction jobs of REACTIONS", () => {
    const documented = documentedReactions(fs.readFileSync(DOC, "utf8"));
    const actual = Object.fromEntries(Object.entries(REACTIONS).map(([event, list]) => [event, list.map((r) => r.job).sort()]));
    const drawn = Object.fromEntries(Object.entries(documented).map(([event, jobs]) => [event, [...jobs].sort()]));
    expect(drawn).toEqual(actual);
  });
  it("reads events, continuation lines and leaves remarks in parentheses out", () => {
    const md = [
      "## Events and reactions",
      "```",
      "a.happened   → x.do-this, y.do-that (when z.other applies;",
      "               docs/y.md), w.more",
      "b.happened   → x.do-this",
      "```",
    ].join("\n");
    expect(documentedReactions(md)).toEqual({ "a.happened": ["x.do-this", "y.do-that", "w.more"], "b.happened": ["x.do-this"] });
  });
});
