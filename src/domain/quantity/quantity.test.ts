import assert from "node:assert/strict";
import { it } from "node:test";
import { parseQuantity } from "./mod.js";

it("parseQuantity() reads decimal, binary and exponent suffixes and refuses the rest", () => {
  assert.equal(parseQuantity("500m"), 0.5);
  assert.equal(parseQuantity("2"), 2);
  assert.equal(parseQuantity("64Mi"), 64 * 1024 * 1024);
  assert.equal(parseQuantity("1G"), 1e9);
  assert.equal(parseQuantity("5Gi"), 5 * 2 ** 30);
  assert.equal(parseQuantity("1.5Gi"), 1.5 * 2 ** 30);
  assert.equal(parseQuantity("2e3"), 2000);
  assert.equal(parseQuantity(3), 3);
  assert.equal(parseQuantity("5 GB"), undefined);
  assert.equal(parseQuantity("Gi"), undefined);
  assert.equal(parseQuantity(""), undefined);
});
