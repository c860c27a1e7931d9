import { describe, expect, it } from "vitest";
import { mapWithConcurrency } from "../../src/review/concurrency.js";

describe("mapWithConcurrency", () => {
  it("keeps at most `limit` tasks in flight and returns results in order", async () => {
    let running = 0;
    let peak = 0;
    const results = await mapWithConcurrency([5, 1, 4, 2, 3, 0], 2, async (delay, index) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, delay));
      running--;
      return index * 10;
    });
    expect(results).toEqual([0, 10, 20, 30, 40, 50]);
    expect(peak).toBe(2);
  });

  it("handles no items and a nonsense limit", async () => {
    expect(await mapWithConcurrency([], 8, async () => 1)).toEqual([]);
    expect(await mapWithConcurrency([1, 2], 0, async (item) => item)).toEqual([1, 2]);
  });
});
