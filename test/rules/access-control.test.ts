import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.js";
import { analyze } from "../support/engine.js";

/** Options of the access-control rules (fixtures run with the default config only). */

function findings(source: string, ruleId: string, path = "app/views.py", options?: Record<string, unknown>): number[] {
  const config = options ? configSchema.parse({ rules: { [ruleId]: { options } } }) : undefined;
  return analyze(source, path, config)
    .findings.filter((finding) => finding.ruleId === ruleId && !finding.suppressed)
    .map((finding) => finding.line);
}

const FLASK_ROUTE = [
  "from flask import Blueprint",
  "from .tenancy import func_tenantMember",
  "",
  'shop = Blueprint("shop", __name__)',
  "",
  '@shop.post("/carts")',
  "@func_tenantMember",
  "def func_createCart():",
  '    return "", 201',
  "",
  '@shop.post("/stripe-events")',
  "def func_stripeEvents():",
  '    return "", 204',
  "",
].join("\n");

describe("PG-AUTHZ-001 options", () => {
  it("reports routes without a recognised check by default", () => {
    expect(findings(FLASK_ROUTE, "PG-AUTHZ-001")).toEqual([8, 12]);
  });

  it("accepts configured auth decorators (by their last name) and public route patterns", () => {
    const options = { authDecorators: ["tenancy.func_tenantMember"], publicRoutes: ["^/stripe-events$"] };
    expect(findings(FLASK_ROUTE, "PG-AUTHZ-001", "app/views.py", options)).toEqual([]);
  });

  it("leaves DRF views to the project's DEFAULT_PERMISSION_CLASSES unless trustDrfDefaults is false", () => {
    const source = [
      "from rest_framework.views import APIView",
      "",
      "class OrderApi(APIView):",
      "    def post(self, request):",
      "        return None",
      "",
    ].join("\n");
    expect(findings(source, "PG-AUTHZ-001")).toEqual([]);
    expect(findings(source, "PG-AUTHZ-001", "app/views.py", { trustDrfDefaults: false })).toEqual([3]);
  });

  it("skips test files", () => {
    expect(findings(FLASK_ROUTE, "PG-AUTHZ-001", "tests/test_views.py")).toEqual([]);
  });

  it("treats an app-wide before_request hook as covering every route of the file", () => {
    const source = [
      "from flask import Flask, abort, session",
      "",
      "app = Flask(__name__)",
      "",
      "def func_requireLogin():",
      '    if "userId" not in session:',
      "        abort(401)",
      "",
      "app.before_request(func_requireLogin)",
      "",
      '@app.delete("/orders/<int:orderId>")',
      "def func_deleteOrder(orderId):",
      '    return "", 204',
      "",
    ].join("\n");
    expect(findings(source, "PG-AUTHZ-001")).toEqual([]);
  });
});

describe("PG-AUTHZ-005 options", () => {
  it("shares publicRoutes with PG-AUTHZ-001 for view names", () => {
    const source = [
      "from rest_framework import generics",
      "from rest_framework.permissions import AllowAny",
      "",
      "class InviteAccept(generics.CreateAPIView):",
      "    permission_classes = [AllowAny]",
      "",
    ].join("\n");
    expect(findings(source, "PG-AUTHZ-005")).toEqual([5]);
    expect(findings(source, "PG-AUTHZ-005", "app/views.py", { publicRoutes: ["InviteAccept"] })).toEqual([]);
  });
});
