import type { StandardSchemaV1 } from "@standard-schema/spec";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ECacheCorruption, EInvalidArgument } from "../../../src/base/errors.js";
import { createValueCodec, defaultCodec } from "../../../src/codec/value-codec.js";

const Job = z.object({
  step: z.number().int(),
  startedAt: z.date(),
  attempts: z.array(z.object({ at: z.date(), ok: z.boolean() })),
  note: z.string().default("none"),
});
type Job = z.output<typeof Job>;

const job = { step: 2, startedAt: new Date(5), attempts: [{ at: new Date(6), ok: true }], note: "n" };

/** Written by an "older version" of the code: through the default codec, with no schema. */
const stored = (value: unknown) => defaultCodec.encode(value);

function rejection(run: () => unknown): ECacheCorruption {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ECacheCorruption);
    return error as ECacheCorruption;
  }
  throw new Error("did not throw");
}

describe("codec with a zod 4 schema", () => {
  const codec = createValueCodec<Job>({ schema: Job });

  it("decodes a passing value synchronously, as the schema's output", () => {
    const { note: _, ...withoutNote } = job;
    const decoded = codec.decode(stored(withoutNote));
    expect(decoded).not.toBeInstanceOf(Promise);
    expect(decoded).toStrictEqual({ ...withoutNote, note: "none" });
    expect(codec.decode(codec.encode(job))).toStrictEqual(job);
  });

  it("rejects a failing value with ECacheCorruption listing paths and messages", () => {
    const error = rejection(() =>
      codec.decode(stored({ step: 1.5, startedAt: "yesterday", attempts: [{ at: new Date(1), ok: "yes" }] })),
    );
    expect(error.message).toMatch(/^the stored value fails the codec's schema/);
    expect(error.message).toContain("value.step: ");
    expect(error.message).toContain("value.startedAt: ");
    expect(error.message).toContain("value.attempts[0].ok: ");
    expect(Array.isArray(error.cause)).toBe(true);
    expect((error.cause as StandardSchemaV1.Issue[]).length).toBe(3);
  });

  it("does not check on encode: writes are the caller's responsibility", () => {
    const text = codec.encode({ step: "not a number" } as unknown as Job);
    expect(defaultCodec.decode(text)).toStrictEqual({ step: "not a number" });
    expect(() => codec.decode(text)).toThrow(ECacheCorruption);
  });

  it("still reports damaged text as corruption before the schema", () => {
    expect(rejection(() => codec.decode("{")).message).toContain("not valid JSON");
  });

  it("lists at most 10 issues and counts the rest", () => {
    const Many = z.object(Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}`, z.string()])));
    const error = rejection(() => createValueCodec({ schema: Many }).decode(stored({})));
    expect(error.message).toContain("value.f9: ");
    expect(error.message).not.toContain("value.f10: ");
    expect(error.message).toMatch(/; and 2 more$/);
  });

  it("an async zod schema answers with a Promise", async () => {
    const Slow = z
      .object({ id: z.string() })
      .refine(async (v) => v.id !== "taken", { message: "id is taken" });
    const slow = createValueCodec({ schema: Slow });
    await expect(slow.decode(stored({ id: "free" }))).resolves.toStrictEqual({ id: "free" });
    await expect(slow.decode(stored({ id: "taken" }))).rejects.toThrow(/value: id is taken/);
  });
});

describe("codec with a hand-written async Standard Schema", () => {
  const PositiveCount: StandardSchemaV1<unknown, { count: number }> = {
    "~standard": {
      version: 1,
      vendor: "hand-written",
      validate: async (value) => {
        const count = (value as { count?: unknown } | null)?.count;
        if (typeof count === "number" && count > 0) return { value: { count: count * 10 } };
        return { issues: [{ message: "must be positive", path: [{ key: "count" }, 0, Symbol.for("s")] }] };
      },
    },
  };
  const codec = createValueCodec({ schema: PositiveCount });

  it("resolves to the schema's output", async () => {
    const decoded = codec.decode(stored({ count: 2 }));
    expect(decoded).toBeInstanceOf(Promise);
    await expect(decoded).resolves.toStrictEqual({ count: 20 });
  });

  it("rejects with ECacheCorruption listing the path segments, whatever their kind", async () => {
    const error = await (codec.decode(stored({ count: -1 })) as Promise<unknown>).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ECacheCorruption);
    expect((error as Error).message).toContain("value.count[0][Symbol(s)]: must be positive");
  });

  it("a schema that throws or rejects gives ECacheCorruption with the thrown error as cause", async () => {
    const boom = new Error("schema bug");
    const throwing = createValueCodec({
      schema: {
        "~standard": {
          version: 1,
          vendor: "x",
          validate: () => {
            throw boom;
          },
        },
      },
    });
    expect(rejection(() => throwing.decode(stored(1))).cause).toBe(boom);
    const rejecting = createValueCodec({
      schema: { "~standard": { version: 1, vendor: "x", validate: () => Promise.reject(boom) } },
    });
    const error = await (rejecting.decode(stored(1)) as Promise<unknown>).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ECacheCorruption);
    expect((error as ECacheCorruption).cause).toBe(boom);
  });

  it("an issue without a path is reported at value", () => {
    const flat = createValueCodec({
      schema: {
        "~standard": { version: 1, vendor: "x", validate: () => ({ issues: [{ message: "nope" }] }) },
      },
    });
    expect(rejection(() => flat.decode(stored(1))).message).toMatch(/: value: nope$/);
  });
});

describe("createValueCodec options", () => {
  it.each([{}, { "~standard": {} }, "zod", 1])(
    "rejects a schema that is not a Standard Schema: %o",
    (schema) => {
      const run = () => createValueCodec({ schema: schema as unknown as StandardSchemaV1 });
      expect(run).toThrow(EInvalidArgument);
      expect(run).toThrow(/Standard Schema/);
    },
  );

  it("without options is the default codec's format", () => {
    expect(createValueCodec().encode(new Map([[1, 2]]))).toBe(defaultCodec.encode(new Map([[1, 2]])));
    expect(Object.isFrozen(defaultCodec)).toBe(true);
  });
});
