/**
 * Checks every request the app sends against GitHub's official OpenAPI description
 * (@octokit/openapi, only generated/api.github.com.json, loaded once per test file): the
 * operation exists for the method and path, query parameters are declared and well-typed, and
 * the body validates (Ajv 8, after turning OpenAPI 3.0 `nullable` into JSON Schema). Then the
 * rules the schema cannot express: review-comment sides, annotation and action limits, no
 * `stale` conclusion, output sizes.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import type { FakeRequest } from "./fake-github.js";

type Json = Record<string, unknown>;

interface Operation {
  operationId: string;
  parameters?: Json[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Json }> };
}

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  operation: Operation;
  literalSegments: number;
}

interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, Json>>;
}

let cached: { spec: Spec; routes: Route[] } | undefined;

function loadSpec(): { spec: Spec; routes: Route[] } {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  // The package's index.js would load all ten descriptions; read the one file directly.
  const file = require.resolve("@octokit/openapi/generated/api.github.com.json");
  const spec = JSON.parse(readFileSync(file, "utf8")) as Spec;
  const routes: Route[] = [];
  for (const [template, methods] of Object.entries(spec.paths)) {
    const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/gu, "\\$&").replace(/\{[^}]+\}/gu, "([^/]+)")}$`, "u");
    for (const [method, operation] of Object.entries(methods)) {
      if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
      routes.push({ method: method.toUpperCase(), template, pattern, operation, literalSegments: template.split("/").filter((part) => part && !part.startsWith("{")).length });
    }
  }
  // Prefer the most literal template (e.g. /pulls/comments/{id} over /pulls/{pull_number}).
  routes.sort((a, b) => b.literalSegments - a.literalSegments);
  cached = { spec, routes };
  return cached;
}

/** Inlines $refs and turns `nullable` into JSON Schema types. */
function toJsonSchema(node: unknown, spec: Spec, depth = 0): unknown {
  if (depth > 40) return {};
  if (Array.isArray(node)) return node.map((item) => toJsonSchema(item, spec, depth + 1));
  if (!node || typeof node !== "object") return node;
  const object = node as Json;
  if (typeof object.$ref === "string") {
    const [, , section, name] = object.$ref.split("/");
    return toJsonSchema(spec.components[section as string]?.[name as string], spec, depth + 1);
  }
  const result: Json = {};
  for (const [key, value] of Object.entries(object)) {
    if (key === "nullable" || key === "example" || key === "examples" || key === "x-github" || key === "discriminator") continue;
    result[key] = key === "properties" || key === "patternProperties" ? Object.fromEntries(Object.entries(value as Json).map(([name, schema]) => [name, toJsonSchema(schema, spec, depth + 1)])) : toJsonSchema(value, spec, depth + 1);
  }
  if (object.nullable === true) {
    if (typeof result.type === "string") result.type = [result.type, "null"];
    else if (result.enum) result.enum = [...(result.enum as unknown[]), null];
    else if (result.anyOf || result.oneOf || result.allOf) return { anyOf: [result, { type: "null" }] };
  }
  return result;
}

export interface ContractValidator {
  (request: FakeRequest): string[];
  /** Operation ids seen, for reporting. */
  operations: Set<string>;
}

export function createContractValidator(): ContractValidator {
  const { spec, routes } = loadSpec();
  const ajv = new Ajv({ strict: false, allErrors: true, coerceTypes: false });
  addFormats.default(ajv);
  const compiled = new Map<string, ValidateFunction>();
  const operations = new Set<string>();

  const bodyValidator = (operation: Operation): ValidateFunction | null => {
    const schema = operation.requestBody?.content?.["application/json"]?.schema;
    if (!schema) return null;
    let validate = compiled.get(operation.operationId);
    if (!validate) {
      validate = ajv.compile(toJsonSchema(schema, spec) as Json);
      compiled.set(operation.operationId, validate);
    }
    return validate;
  };

  const validator = ((request: FakeRequest): string[] => {
    if (request.path === "/graphql") return checkGraphql(request);
    const route = routes.find((candidate) => candidate.method === request.method && candidate.pattern.test(request.path));
    if (!route) return [`no operation ${request.method} ${request.path} in GitHub's OpenAPI description`];
    const { operation } = route;
    operations.add(operation.operationId);
    const problems: string[] = [];
    // Query parameters: declared, and of the declared type.
    const declared = new Map<string, Json>();
    for (const parameter of operation.parameters ?? []) {
      const resolved = toJsonSchema(parameter, spec) as Json;
      if (resolved.in === "query") declared.set(String(resolved.name), (resolved.schema ?? {}) as Json);
    }
    for (const [name, value] of request.query) {
      const schema = declared.get(name);
      if (!schema) problems.push(`query parameter "${name}" is not declared by ${operation.operationId}`);
      else if (schema.type === "integer" && !/^\d+$/u.test(value)) problems.push(`query parameter "${name}" must be an integer`);
      else if (Array.isArray(schema.enum) && !schema.enum.includes(value)) problems.push(`query parameter "${name}" must be one of ${JSON.stringify(schema.enum)}`);
      if (name === "per_page" && Number(value) > 100) problems.push("per_page is at most 100");
    }
    const validate = bodyValidator(operation);
    const hasBody = request.body !== undefined && !(typeof request.body === "object" && request.body !== null && Object.keys(request.body).length === 0);
    if (!validate && hasBody) problems.push(`${operation.operationId} takes no request body`);
    if (validate && operation.requestBody?.required && request.body === undefined) problems.push(`${operation.operationId} requires a body`);
    if (validate && request.body !== undefined && !validate(request.body)) {
      for (const error of validate.errors ?? []) problems.push(`${operation.operationId} body${error.instancePath} ${error.message ?? "is invalid"}`);
    }
    problems.push(...pyguardRules(operation.operationId, request));
    return problems;
  }) as ContractValidator;
  validator.operations = operations;
  return validator;
}

const COMMENT_KEYS = new Set(["path", "body", "line", "side", "start_line", "start_side"]);
const ANNOTATION_KEYS = new Set(["path", "start_line", "end_line", "start_column", "end_column", "annotation_level", "message", "title", "raw_details"]);

/** What pyguard promises beyond the schema. */
function pyguardRules(operationId: string, request: FakeRequest): string[] {
  const problems: string[] = [];
  const body = (request.body ?? {}) as Json;
  if (operationId === "pulls/create-review") {
    if (body.event !== "COMMENT" && body.event !== "REQUEST_CHANGES") problems.push(`review event ${String(body.event)} (pyguard never approves or leaves a pending review)`);
    if (typeof body.commit_id !== "string" || !/^[0-9a-f]{40}$/u.test(body.commit_id)) problems.push("review without the head commit_id");
    if (typeof body.body !== "string" || body.body.length === 0) problems.push("review without a body");
    const comments = (body.comments ?? []) as Json[];
    if (comments.length > 100) problems.push(`${comments.length} comments in one review`);
    for (const comment of comments) {
      for (const key of Object.keys(comment)) if (!COMMENT_KEYS.has(key)) problems.push(`review comment key "${key}"`);
      if (comment.side !== "RIGHT" && comment.side !== "LEFT") problems.push(`review comment side ${String(comment.side)}`);
      if (comment.start_side !== undefined && comment.start_side !== "RIGHT" && comment.start_side !== "LEFT") problems.push(`review comment start_side ${String(comment.start_side)}`);
      if (comment.start_line !== undefined && !(Number(comment.start_line) < Number(comment.line))) problems.push("start_line must be before line");
      if (!Number.isInteger(comment.line) || Number(comment.line) < 1) problems.push("review comment without a line");
      if (typeof comment.body !== "string" || !/<!-- pyguard:fingerprint=[0-9a-f.]{8,40} -->/u.test(comment.body)) problems.push("review comment without a fingerprint marker");
      if (typeof comment.body === "string" && comment.body.length > 65_536) problems.push("review comment body over 65,536 characters");
    }
  }
  if (operationId === "checks/create" || operationId === "checks/update") {
    if (operationId === "checks/create" && body.name !== "pyguard") problems.push(`check run name ${String(body.name)}`);
    if (body.conclusion === "stale") problems.push("conclusion stale (only GitHub sets it)");
    if (body.status === "completed" && !body.conclusion) problems.push("completed without a conclusion");
    const output = (body.output ?? {}) as Json;
    for (const key of ["summary", "text"]) if (typeof output[key] === "string" && (output[key] as string).length > 65_535) problems.push(`output.${key} over 65,535 characters`);
    const annotations = (output.annotations ?? []) as Json[];
    if (annotations.length > 50) problems.push(`${annotations.length} annotations in one request`);
    for (const annotation of annotations) {
      for (const key of Object.keys(annotation)) if (!ANNOTATION_KEYS.has(key)) problems.push(`annotation key "${key}"`);
      if ((annotation.start_column !== undefined || annotation.end_column !== undefined) && annotation.start_line !== annotation.end_line) problems.push("annotation columns on a multi-line range");
      if (Number(annotation.end_line) < Number(annotation.start_line)) problems.push("annotation ends before it starts");
      if (typeof annotation.title === "string" && annotation.title.length > 255) problems.push("annotation title over 255 characters");
    }
    const actions = (body.actions ?? []) as Json[];
    if (actions.length > 3) problems.push(`${actions.length} actions`);
    for (const action of actions) {
      if (String(action.identifier).length > 20) problems.push(`action identifier "${String(action.identifier)}" over 20 characters`);
      if (String(action.label).length > 20) problems.push("action label over 20 characters");
      if (String(action.description).length > 40) problems.push("action description over 40 characters");
    }
  }
  if (operationId === "repos/get-content" && !/application\/vnd\.github(?:\.v3)?\.raw/u.test(request.headers.accept ?? "")) problems.push("contents fetched without the raw media type");
  return problems;
}

const KNOWN_GRAPHQL = [/^query\(\$owner: String!, \$repo: String!, \$number: Int!, \$cursor: String\) \{\s+repository\(owner: \$owner, name: \$repo\) \{\s+pullRequest\(number: \$number\) \{\s+reviewThreads\(first: 100, after: \$cursor\)/u, /^mutation\(\$threadId: ID!\) \{\s+resolveReviewThread\(input: \{ threadId: \$threadId \}\)/u];

function checkGraphql(request: FakeRequest): string[] {
  if (request.method !== "POST") return ["GraphQL is POST only"];
  const body = (request.body ?? {}) as Json;
  if (typeof body.query !== "string") return ["GraphQL request without a query"];
  if (!KNOWN_GRAPHQL.some((pattern) => pattern.test(body.query as string))) return [`unexpected GraphQL document: ${body.query.slice(0, 60)}`];
  const variables = (body.variables ?? {}) as Json;
  if (/resolveReviewThread/u.test(body.query) && typeof variables.threadId !== "string") return ["resolveReviewThread without threadId"];
  return [];
}
