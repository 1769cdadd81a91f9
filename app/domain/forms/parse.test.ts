import { describe, expect, it } from "vitest";
import { z } from "zod";
import { formFlag, formList, formObject, formText, parseForm } from "./parse";

const form = (pairs: Array<[string, string]>) => {
  const f = new FormData();
  for (const [k, v] of pairs) f.append(k, v);
  return f;
};

describe("formObject", () => {
  it("keeps a name given once as a string and a repeated name as a list", () => {
    expect(
      formObject(
        form([
          ["name", "VIP"],
          ["segmentIds", "1"],
          ["segmentIds", "2"],
        ]),
      ),
    ).toEqual({ name: "VIP", segmentIds: ["1", "2"] });
  });
});

describe("parseForm", () => {
  const Schema = z.object({
    name: formText.pipe(z.string().min(1, "segments.errors.nameRequired")),
    days: z.coerce.number().int().min(1).max(365),
    kind: z.enum(["a", "b"]),
    ids: formList,
    on: formFlag,
  });

  it("returns the typed data", () => {
    expect(
      parseForm(
        Schema,
        form([
          ["name", "  VIP "],
          ["days", "30"],
          ["kind", "a"],
          ["ids", "4"],
          ["on", "1"],
        ]),
      ),
    ).toEqual({ ok: true, data: { name: "VIP", days: 30, kind: "a", ids: ["4"], on: true } });
  });

  it.each([
    [
      [
        ["name", ""],
        ["days", "30"],
        ["kind", "a"],
      ],
      { name: "segments.errors.nameRequired" },
    ],
    [
      [
        ["name", "x"],
        ["days", "0"],
        ["kind", "a"],
      ],
      { days: "forms.errors.tooSmall" },
    ],
    [
      [
        ["name", "x"],
        ["days", "1e23"],
        ["kind", "a"],
      ],
      { days: "forms.errors.tooBig" },
    ],
    [
      [
        ["name", "x"],
        ["days", "abc"],
        ["kind", "a"],
      ],
      { days: "forms.errors.invalid" },
    ],
    [
      [
        ["name", "x"],
        ["days", "3"],
        ["kind", "z"],
      ],
      { kind: "forms.errors.invalidChoice" },
    ],
  ] as Array<[Array<[string, string]>, Record<string, string>]>)("refuses %j with one i18n key per field", (pairs, errors) => {
    expect(parseForm(Schema, form(pairs))).toEqual({ ok: false, errors });
  });

  it("names the whole form 'form' for a problem without a field", () => {
    const S = z.object({ a: formText, b: formText }).refine((v) => v.a !== v.b, "forms.errors.invalid");
    expect(
      parseForm(
        S,
        form([
          ["a", "1"],
          ["b", "1"],
        ]),
      ),
    ).toEqual({ ok: false, errors: { form: "forms.errors.invalid" } });
  });

  it("reads a checkbox that was not sent as off", () => {
    expect(parseForm(z.object({ on: formFlag }), form([]))).toEqual({ ok: true, data: { on: false } });
  });
});
