import { describe, expect, it } from "vitest";
import { OSV_QUERYBATCH_URL, querybatchBody, queryOsv, type FetchLike } from "../../src/rules/components/osv-client.js";

interface Call {
  url: string;
  method: string;
  body: { queries: Array<{ package: { name: string; ecosystem: string }; version: string }> };
}

/** A fake fetch: records calls and answers each batch with `answer`. */
function fakeFetch(answer: (call: Call) => { status?: number; body: unknown } | Promise<never>): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = [];
  const fetch: FetchLike = async (url, init) => {
    const call: Call = { url, method: init.method, body: JSON.parse(init.body) as Call["body"] };
    calls.push(call);
    const reply = await answer(call);
    const status = reply.status ?? 200;
    return { ok: status >= 200 && status < 300, status, json: async () => reply.body };
  };
  return { fetch, calls };
}

describe("OSV client", () => {
  it("builds the querybatch body for PyPI pins", () => {
    expect(JSON.parse(querybatchBody([{ name: "requests", version: "2.30.0" }]))).toEqual({
      queries: [{ package: { name: "requests", ecosystem: "PyPI" }, version: "2.30.0" }],
    });
  });

  it("POSTs only to the querybatch URL, once per distinct pin, and maps the answers back", async () => {
    const { fetch, calls } = fakeFetch((call) => ({
      body: { results: call.body.queries.map((query) => (query.package.name === "requests" ? { vulns: [{ id: "GHSA-j8r2-6x86-q33q", modified: "2024-01-01T00:00:00Z" }, { id: "PYSEC-2023-74" }] } : {})) },
    }));
    const answer = await queryOsv(
      [
        { name: "requests", version: "2.30.0" },
        { name: "flask", version: "3.0.3" },
        { name: "requests", version: "2.30.0" },
      ],
      { fetch },
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe(OSV_QUERYBATCH_URL);
    expect(OSV_QUERYBATCH_URL).toBe("https://api.osv.dev/v1/querybatch");
    expect(calls[0]?.method).toBe("POST");
    expect(calls[0]?.body.queries.map((query) => query.package.name)).toEqual(["requests", "flask"]);
    expect(answer).toEqual({ ok: true, advisories: new Map([["requests==2.30.0", ["GHSA-j8r2-6x86-q33q", "PYSEC-2023-74"]]]) });
  });

  it("splits more than 1000 pins into batches", async () => {
    const { fetch, calls } = fakeFetch((call) => ({ body: { results: call.body.queries.map(() => ({})) } }));
    const pins = Array.from({ length: 1500 }, (_, index) => ({ name: `pkg-${index}`, version: "1.0" }));
    expect(await queryOsv(pins, { fetch })).toEqual({ ok: true, advisories: new Map() });
    expect(calls.map((call) => call.body.queries.length)).toEqual([1000, 500]);
  });

  it("turns HTTP errors, bad answers, network failures and timeouts into messages", async () => {
    const pins = [{ name: "requests", version: "2.30.0" }];
    const cases: Array<[Parameters<typeof fakeFetch>[0], RegExp]> = [
      [() => ({ status: 503, body: {} }), /^OSV answered HTTP 503$/u],
      [() => ({ body: { results: "nope" } }), /^OSV's answer was not understood/u],
      [() => ({ body: { results: [{ vulns: [{ id: 42 }] }] } }), /^OSV's answer was not understood/u],
      [() => ({ body: { results: [] } }), /^OSV answered 0 results for 1 queries$/u],
      [() => Promise.reject(new TypeError("getaddrinfo ENOTFOUND api.osv.dev")), /^could not reach OSV: getaddrinfo ENOTFOUND/u],
    ];
    for (const [answer, message] of cases) {
      const result = await queryOsv(pins, { fetch: fakeFetch(answer).fetch });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toMatch(message);
    }
    const hanging: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => {
        init.signal.addEventListener("abort", () => reject(new Error("aborted")));
      });
    expect(await queryOsv(pins, { fetch: hanging, timeoutMs: 20 })).toEqual({ ok: false, error: "OSV did not answer within 20 ms" });
  });

  it("asks nothing when there is nothing to ask", async () => {
    const { fetch, calls } = fakeFetch(() => ({ body: { results: [] } }));
    expect(await queryOsv([], { fetch })).toEqual({ ok: true, advisories: new Map() });
    expect(calls).toEqual([]);
  });
});
