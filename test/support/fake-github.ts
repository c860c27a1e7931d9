/**
 * A fake GitHub for the App's tests: an in-memory model of repositories, pull requests, check
 * runs, reviews and comments behind the REST (and the two GraphQL) endpoints pyguard uses. It
 * answers like GitHub where it matters: installation tokens and app JWTs are checked, review
 * anchors outside the diff get a 422, contents come raw, lists paginate with Link headers.
 * Served through an injected `fetch` (handler tests) or a node:http server (process tests).
 */
import { createHash, createPublicKey, createVerify, randomBytes, type KeyObject } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { diffHunks, renderPatch, rightSideLines, type DiffHunk } from "./unified-diff.js";

export const FAKE_APP_SLUG = "pyguard-test";
export const FAKE_BOT_LOGIN = `${FAKE_APP_SLUG}[bot]`;

export interface FakeRequest {
  method: string;
  /** The path without /api/v3 and without the query. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
  /** Where the API root was for this request (https://api.github.com or http://host/api/v3). */
  apiRoot: string;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface RecordedRequest extends FakeRequest {
  status: number;
  at: number;
}

export interface Fault {
  method: string;
  path: RegExp;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** How many matching requests fail (default 1). */
  times?: number;
}

export type Tree = Map<string, string>;

export interface FakePull {
  number: number;
  state: "open" | "closed";
  draft: boolean;
  baseRef: string;
  baseSha: string;
  headSha: string;
  headRef: string;
  /** new path → old path */
  renames: Map<string, string>;
  /** Paths whose patch GitHub leaves out (a very large diff). */
  noPatch: Set<string>;
}

export interface ReviewComment {
  id: number;
  node_id: string;
  pull_request_review_id: number | null;
  path: string;
  line: number;
  side: string;
  start_line: number | null;
  start_side: string | null;
  commit_id: string;
  body: string;
  user: { login: string; type: string };
  in_reply_to_id?: number;
  pull: number;
  resolved: boolean;
}

export interface Review {
  id: number;
  pull: number;
  body: string;
  event: string;
  state: string;
  commit_id: string;
  user: { login: string; type: string };
}

export interface CheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  output: { title?: string; summary?: string; text?: string };
  annotations: Array<Record<string, unknown>>;
  actions: unknown[];
  updates: number;
}

export interface FakeRepo {
  id: number;
  owner: string;
  name: string;
  commits: Map<string, Tree>;
  branches: Map<string, string>;
  pulls: Map<number, FakePull>;
  permissions: Map<string, { permission: string; role_name: string }>;
  checkRuns: CheckRun[];
  reviews: Review[];
  reviewComments: ReviewComment[];
  issueComments: Array<{ id: number; issue: number; body: string; user: string }>;
  reactions: Array<{ commentId: number; content: string }>;
}

export interface FakeGitHubOptions {
  appId: number;
  /** PEM of the app's key; its public half verifies the app JWTs. */
  privateKey: string;
  installationId?: number;
  /** Checks run on every request (e.g. the OpenAPI contract); their messages collect in `violations`. */
  validators?: Array<(request: FakeRequest) => string[]>;
}

function sha(): string {
  return randomBytes(20).toString("hex");
}

function blobSha(content: string): string {
  return createHash("sha1").update(`blob ${Buffer.byteLength(content)}\0${content}`).digest("hex");
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): FakeResponse {
  return { status, body, headers: { "content-type": "application/json; charset=utf-8", ...headers } };
}

function notFound(): FakeResponse {
  return json(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" });
}

function unprocessable(message: string, errors: string[] = []): FakeResponse {
  return json(422, { message, errors, documentation_url: "https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request", status: "422" });
}

export type PullFile = { filename: string; previous_filename?: string; status: string; patch?: string; sha: string; hunks: DiffHunk[]; additions: number; deletions: number };

/** The files of a PR as GitHub lists them, with hunks for anchor checks. */
export function pullFilesOf(repo: FakeRepo, pull: FakePull): PullFile[] {
  const base = repo.commits.get(pull.baseSha) as Tree;
  const head = repo.commits.get(pull.headSha) as Tree;
  const files = [];
  const paths = new Set([...base.keys(), ...head.keys()]);
  for (const path of [...paths].sort()) {
    const renamedFrom = pull.renames.get(path);
    if ([...pull.renames.values()].includes(path) && !head.has(path)) continue; // the old side of a rename
    const before = renamedFrom !== undefined ? base.get(renamedFrom) : base.get(path);
    const after = head.get(path);
    if (before === after && renamedFrom === undefined) continue;
    const status = after === undefined ? "removed" : renamedFrom !== undefined ? "renamed" : before === undefined ? "added" : "modified";
    const hunks = diffHunks(before ?? "", after ?? "");
    const additions = hunks.reduce((count, hunk) => count + hunk.lines.filter((line) => line.startsWith("+")).length, 0);
    const deletions = hunks.reduce((count, hunk) => count + hunk.lines.filter((line) => line.startsWith("-")).length, 0);
    files.push({
      filename: path,
      ...(renamedFrom !== undefined ? { previous_filename: renamedFrom } : {}),
      status,
      ...(hunks.length > 0 && !pull.noPatch.has(path) ? { patch: renderPatch(hunks) } : {}),
      sha: blobSha(after ?? ""),
      hunks,
      additions,
      deletions,
    });
  }
  return files;
}

export class FakeGitHub {
  readonly repos = new Map<string, FakeRepo>();
  readonly requests: RecordedRequest[] = [];
  readonly violations: string[] = [];
  readonly faults: Fault[] = [];
  /** Every installation token issued, so tests can look for them in logs. */
  readonly issuedTokens: string[] = [];
  /** Simulated latency per request, in milliseconds. */
  latencyMs = 0;
  private nextId = 1000;
  private readonly publicKey: KeyObject;
  private server?: Server;

  constructor(readonly options: FakeGitHubOptions) {
    this.publicKey = createPublicKey(options.privateKey);
  }

  // ----- the model ---------------------------------------------------------------------------

  addRepo(owner: string, name: string, baseFiles: Record<string, string> = {}, baseRef = "main"): FakeRepo {
    const base = sha();
    const repo: FakeRepo = {
      id: this.nextId++,
      owner,
      name,
      commits: new Map([[base, new Map(Object.entries(baseFiles))]]),
      branches: new Map([[baseRef, base]]),
      pulls: new Map(),
      permissions: new Map(),
      checkRuns: [],
      reviews: [],
      reviewComments: [],
      issueComments: [],
      reactions: [],
    };
    this.repos.set(`${owner}/${name}`, repo);
    return repo;
  }

  repo(owner: string, name: string): FakeRepo {
    const repo = this.repos.get(`${owner}/${name}`);
    if (!repo) throw new Error(`no fake repo ${owner}/${name}`);
    return repo;
  }

  /** Sets files on a branch (a new commit); null deletes. */
  commitToBranch(repo: FakeRepo, branch: string, changes: Record<string, string | null>): string {
    const parent = repo.commits.get(repo.branches.get(branch) as string) as Tree;
    const tree = new Map(parent);
    for (const [path, content] of Object.entries(changes)) {
      if (content === null) tree.delete(path);
      else tree.set(path, content);
    }
    const commit = sha();
    repo.commits.set(commit, tree);
    repo.branches.set(branch, commit);
    return commit;
  }

  /** Opens a PR whose head is the base plus `changes`. */
  openPull(repo: FakeRepo, number: number, changes: Record<string, string | null>, options: { draft?: boolean; renames?: Record<string, string>; noPatch?: string[] } = {}): FakePull {
    const baseSha = repo.branches.get("main") as string;
    const tree = new Map(repo.commits.get(baseSha) as Tree);
    for (const [from, to] of Object.entries(options.renames ?? {})) {
      const content = tree.get(from);
      tree.delete(from);
      if (content !== undefined) tree.set(to, content);
    }
    for (const [path, content] of Object.entries(changes)) {
      if (content === null) tree.delete(path);
      else tree.set(path, content);
    }
    const headSha = sha();
    repo.commits.set(headSha, tree);
    const pull: FakePull = {
      number,
      state: "open",
      draft: options.draft ?? false,
      baseRef: "main",
      baseSha,
      headSha,
      headRef: `feature-${number}`,
      renames: new Map(Object.entries(options.renames ?? {}).map(([from, to]) => [to, from])),
      noPatch: new Set(options.noPatch ?? []),
    };
    repo.pulls.set(number, pull);
    return pull;
  }

  /** Pushes a new head commit to a PR. */
  push(repo: FakeRepo, number: number, changes: Record<string, string | null>): string {
    const pull = repo.pulls.get(number) as FakePull;
    const tree = new Map(repo.commits.get(pull.headSha) as Tree);
    for (const [path, content] of Object.entries(changes)) {
      if (content === null) tree.delete(path);
      else tree.set(path, content);
    }
    pull.headSha = sha();
    repo.commits.set(pull.headSha, tree);
    return pull.headSha;
  }

  /** The files of a PR as GitHub lists them, with hunks for anchor checks. */
  pullFiles(repo: FakeRepo, pull: FakePull): PullFile[] {
    return pullFilesOf(repo, pull);
  }

  // ----- serving -----------------------------------------------------------------------------

  /** A fetch for Probot's `request.fetch`. */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const text = request.method === "GET" || request.method === "HEAD" ? "" : await request.text();
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => {
      headers[key] = value;
    });
    const response = await this.dispatch(request.method, new URL(request.url), headers, text);
    return toFetchResponse(response);
  };

  /** Starts an HTTP server on 127.0.0.1; returns its host:port. */
  async listen(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const headers: Record<string, string> = {};
        for (const [key, value] of Object.entries(req.headers)) if (typeof value === "string") headers[key] = value;
        void this.dispatch(req.method ?? "GET", new URL(req.url ?? "/", `http://${req.headers.host ?? "fake.local"}`), headers, Buffer.concat(chunks).toString("utf8")).then((response) => {
          const { body, contentType } = encodeBody(response);
          res.writeHead(response.status, { ...(contentType ? { "content-type": contentType } : {}), ...response.headers });
          res.end(body);
        });
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    const address = this.server.address() as AddressInfo;
    return `127.0.0.1:${address.port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Requests recorded so far, as "METHOD /path" strings. */
  calls(): string[] {
    return this.requests.map((request) => `${request.method} ${request.path}`);
  }

  private async dispatch(method: string, url: URL, headers: Record<string, string>, text: string): Promise<FakeResponse> {
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v3(?=\/)/u, "").replace(/^\/api\/graphql$/u, "/graphql"));
    let body: unknown = undefined;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    const apiRoot = url.origin + (url.pathname.startsWith("/api/v3/") ? "/api/v3" : "");
    const request: FakeRequest = { method, path, query: url.searchParams, headers, body, apiRoot };
    // Contract checks see the encoded path, as it went over the wire.
    const wire = { ...request, path: url.pathname.replace(/^\/api\/v3(?=\/)/u, "").replace(/^\/api\/graphql$/u, "/graphql") };
    for (const validate of this.options.validators ?? []) for (const message of validate(wire)) this.violations.push(`${method} ${wire.path}: ${message}`);
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    let response: FakeResponse;
    const fault = this.faults.find((candidate) => candidate.method === method && candidate.path.test(path) && (candidate.times ?? 1) > 0);
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      response = json(fault.status, fault.body ?? { message: `fake failure ${fault.status}` }, fault.headers);
    } else {
      try {
        response = this.route(request);
      } catch (error) {
        response = json(500, { message: `fake GitHub crashed: ${(error as Error).message}` });
      }
    }
    this.requests.push({ ...request, status: response.status, at: Date.now() });
    return response;
  }

  // ----- auth --------------------------------------------------------------------------------

  private verifyJwt(header: string | undefined): boolean {
    const token = /^bearer (.+)$/iu.exec(header ?? "")?.[1];
    if (!token) return false;
    const [head, payload, signature] = token.split(".");
    if (!head || !payload || !signature) return false;
    const verifier = createVerify("RSA-SHA256");
    verifier.update(`${head}.${payload}`);
    if (!verifier.verify(this.publicKey, Buffer.from(signature, "base64url"))) return false;
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { iss: string | number; exp: number };
    return String(claims.iss) === String(this.options.appId) && claims.exp * 1000 > Date.now();
  }

  private verifyToken(header: string | undefined): boolean {
    const token = /^(?:token|bearer) (.+)$/iu.exec(header ?? "")?.[1];
    return token !== undefined && this.issuedTokens.includes(token);
  }

  // ----- routes ------------------------------------------------------------------------------

  private route(request: FakeRequest): FakeResponse {
    const { method, path } = request;
    const auth = request.headers.authorization;
    let match: RegExpExecArray | null;
    if ((match = /^\/app\/installations\/(\d+)\/access_tokens$/u.exec(path)) && method === "POST") {
      if (!this.verifyJwt(auth)) return json(401, { message: "A JSON web token could not be decoded" });
      if (Number(match[1]) !== (this.options.installationId ?? Number(match[1]))) return notFound();
      const token = `ghs_${randomBytes(18).toString("base64url").replace(/[-_]/gu, "x")}`;
      this.issuedTokens.push(token);
      return json(201, { token, expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: {}, repository_selection: "all" });
    }
    if (path === "/app" && method === "GET") {
      if (!this.verifyJwt(auth)) return json(401, { message: "A JSON web token could not be decoded" });
      return json(200, { id: this.options.appId, slug: FAKE_APP_SLUG, name: "pyguard test" });
    }
    if (!this.verifyToken(auth)) return json(401, { message: "Bad credentials" });
    if (path === "/graphql" && method === "POST") return this.graphql(request);
    if (!(match = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/u.exec(path))) return notFound();
    const repo = this.repos.get(`${match[1]}/${match[2]}`);
    if (!repo) return notFound();
    return this.repoRoute(repo, method, match[3] ?? "", request);
  }

  private paginate(request: FakeRequest, items: unknown[]): FakeResponse {
    const perPage = Math.min(100, Number(request.query.get("per_page") ?? 30));
    const page = Number(request.query.get("page") ?? 1);
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    if (page * perPage < items.length) {
      const next = new URLSearchParams(request.query);
      next.set("page", String(page + 1));
      headers.link = `<${request.apiRoot}${request.path}?${next.toString()}>; rel="next"`;
    }
    return json(200, slice, headers);
  }

  private repoRoute(repo: FakeRepo, method: string, rest: string, request: FakeRequest): FakeResponse {
    let match: RegExpExecArray | null;
    const body = (request.body ?? {}) as Record<string, unknown>;
    if ((match = /^\/pulls\/(\d+)$/u.exec(rest)) && method === "GET") {
      const pull = repo.pulls.get(Number(match[1]));
      return pull ? json(200, this.pullJson(repo, pull)) : notFound();
    }
    if (rest === "/pulls" && method === "GET") {
      const state = request.query.get("state") ?? "open";
      return this.paginate(request, [...repo.pulls.values()].filter((pull) => state === "all" || pull.state === state).map((pull) => this.pullJson(repo, pull)));
    }
    if ((match = /^\/commits\/([0-9a-f]{40})\/pulls$/u.exec(rest)) && method === "GET") {
      const commit = match[1];
      return json(200, [...repo.pulls.values()].filter((pull) => pull.headSha === commit).map((pull) => this.pullJson(repo, pull)));
    }
    if ((match = /^\/pulls\/(\d+)\/files$/u.exec(rest)) && method === "GET") {
      const pull = repo.pulls.get(Number(match[1]));
      if (!pull) return notFound();
      const files = this.pullFiles(repo, pull).slice(0, 3000).map(({ hunks: _hunks, ...file }) => ({
        ...file,
        changes: file.additions + file.deletions,
        blob_url: `https://github.com/${repo.owner}/${repo.name}/blob/${pull.headSha}/${file.filename}`,
        raw_url: `https://github.com/${repo.owner}/${repo.name}/raw/${pull.headSha}/${file.filename}`,
        contents_url: `https://api.github.com/repos/${repo.owner}/${repo.name}/contents/${file.filename}?ref=${pull.headSha}`,
      }));
      return this.paginate(request, files);
    }
    if ((match = /^\/contents\/(.+)$/u.exec(rest)) && method === "GET") {
      const ref = request.query.get("ref") ?? "main";
      const commit = repo.branches.get(ref) ?? ref;
      const content = repo.commits.get(commit)?.get(match[1] as string);
      if (content === undefined) return notFound();
      if (!/raw/u.test(request.headers.accept ?? "")) return json(500, { message: "the fake only serves the raw media type" });
      return { status: 200, headers: { "content-type": "application/vnd.github.raw; charset=utf-8" }, body: content };
    }
    if ((match = /^\/git\/blobs\/([0-9a-f]{40})$/u.exec(rest)) && method === "GET") {
      for (const tree of repo.commits.values()) for (const content of tree.values()) if (blobSha(content) === match[1]) return { status: 200, headers: { "content-type": "application/vnd.github.raw; charset=utf-8" }, body: content };
      return notFound();
    }
    if (rest === "/check-runs" && method === "POST") {
      const run: CheckRun = {
        id: this.nextId++,
        name: String(body.name),
        head_sha: String(body.head_sha),
        status: String(body.status ?? "queued"),
        conclusion: (body.conclusion as string | undefined) ?? null,
        output: (body.output as CheckRun["output"]) ?? {},
        annotations: [...(((body.output as { annotations?: [] } | undefined)?.annotations) ?? [])],
        actions: (body.actions as unknown[]) ?? [],
        updates: 0,
      };
      repo.checkRuns.push(run);
      return json(201, { ...run, app: { id: this.options.appId, slug: FAKE_APP_SLUG } });
    }
    if ((match = /^\/check-runs\/(\d+)$/u.exec(rest)) && method === "PATCH") {
      const run = repo.checkRuns.find((candidate) => candidate.id === Number(match?.[1]));
      if (!run) return notFound();
      const output = body.output as (CheckRun["output"] & { annotations?: Array<Record<string, unknown>> }) | undefined;
      if (body.status) run.status = String(body.status);
      if (body.conclusion) {
        run.conclusion = String(body.conclusion);
        run.status = "completed";
      }
      if (output) {
        const { annotations, ...rest } = output;
        run.output = { ...run.output, ...rest };
        run.annotations.push(...(annotations ?? []));
      }
      if (body.actions) run.actions = body.actions as unknown[];
      run.updates++;
      return json(200, { ...run, app: { id: this.options.appId, slug: FAKE_APP_SLUG } });
    }
    if ((match = /^\/pulls\/(\d+)\/comments$/u.exec(rest)) && method === "GET") {
      const number = Number(match[1]);
      return this.paginate(request, repo.reviewComments.filter((comment) => comment.pull === number).map((comment) => this.commentJson(comment)));
    }
    if ((match = /^\/pulls\/(\d+)\/reviews$/u.exec(rest)) && method === "GET") {
      const number = Number(match[1]);
      return this.paginate(request, repo.reviews.filter((review) => review.pull === number));
    }
    if ((match = /^\/pulls\/(\d+)\/reviews$/u.exec(rest)) && method === "POST") return this.createReview(repo, Number(match[1]), body);
    if ((match = /^\/pulls\/(\d+)\/reviews\/(\d+)\/dismissals$/u.exec(rest)) && method === "PUT") {
      const review = repo.reviews.find((candidate) => candidate.id === Number(match?.[2]));
      if (!review) return notFound();
      review.state = "DISMISSED";
      return json(200, review);
    }
    if ((match = /^\/pulls\/(\d+)\/comments\/(\d+)\/replies$/u.exec(rest)) && method === "POST") {
      const parent = repo.reviewComments.find((comment) => comment.id === Number(match?.[2]));
      if (!parent) return notFound();
      const reply: ReviewComment = { ...parent, id: this.nextId++, node_id: `PRRC_${this.nextId}`, body: String(body.body), in_reply_to_id: parent.id, user: { login: FAKE_BOT_LOGIN, type: "Bot" } };
      repo.reviewComments.push(reply);
      return json(201, this.commentJson(reply));
    }
    if ((match = /^\/issues\/comments\/(\d+)\/reactions$/u.exec(rest)) && method === "POST") {
      repo.reactions.push({ commentId: Number(match[1]), content: String(body.content) });
      return json(201, { id: this.nextId++, content: body.content, user: { login: FAKE_BOT_LOGIN, type: "Bot" } });
    }
    if ((match = /^\/issues\/(\d+)\/comments$/u.exec(rest)) && method === "POST") {
      const comment = { id: this.nextId++, issue: Number(match[1]), body: String(body.body), user: FAKE_BOT_LOGIN };
      repo.issueComments.push(comment);
      return json(201, { id: comment.id, body: comment.body, user: { login: FAKE_BOT_LOGIN, type: "Bot" } });
    }
    if ((match = /^\/collaborators\/([^/]+)\/permission$/u.exec(rest)) && method === "GET") {
      const login = match[1] as string;
      const permission = repo.permissions.get(login);
      if (!permission) return notFound();
      return json(200, { permission: permission.permission, role_name: permission.role_name, user: { login, type: "User" } });
    }
    return notFound();
  }

  private pullJson(repo: FakeRepo, pull: FakePull): Record<string, unknown> {
    return {
      number: pull.number,
      state: pull.state,
      draft: pull.draft,
      head: { sha: pull.headSha, ref: pull.headRef, repo: { id: repo.id } },
      base: { sha: pull.baseSha, ref: pull.baseRef, repo: { id: repo.id } },
      changed_files: this.pullFiles(repo, pull).length,
    };
  }

  private commentJson(comment: ReviewComment): Record<string, unknown> {
    const { pull: _pull, resolved: _resolved, ...rest } = comment;
    return rest;
  }

  /** Like GitHub: every comment must anchor inside the diff, or the whole review is a 422. */
  private createReview(repo: FakeRepo, number: number, body: Record<string, unknown>): FakeResponse {
    const pull = repo.pulls.get(number);
    if (!pull) return notFound();
    const comments = (body.comments as Array<Record<string, unknown>> | undefined) ?? [];
    const files = new Map(this.pullFiles(repo, pull).map((file) => [file.filename, file]));
    const commitId = String(body.commit_id ?? pull.headSha);
    if (!repo.commits.has(commitId)) return unprocessable("Unprocessable Entity", ["commit_sha is not part of the pull request"]);
    for (const comment of comments) {
      const file = files.get(String(comment.path));
      if (!file || file.patch === undefined) return unprocessable("Unprocessable Entity", ["Path could not be resolved"]);
      const lines = rightSideLines(file.hunks);
      const line = Number(comment.line);
      if (!lines.has(line) || comment.side !== "RIGHT") return unprocessable("Unprocessable Entity", ["Pull request review thread line must be part of the diff"]);
      if (comment.start_line !== undefined && lines.get(Number(comment.start_line)) !== lines.get(line)) {
        return unprocessable("Unprocessable Entity", ["Pull request review thread start line must be part of the same hunk as the line."]);
      }
    }
    const review: Review = {
      id: this.nextId++,
      pull: number,
      body: String(body.body ?? ""),
      event: String(body.event ?? "PENDING"),
      state: body.event === "REQUEST_CHANGES" ? "CHANGES_REQUESTED" : body.event === "APPROVE" ? "APPROVED" : "COMMENTED",
      commit_id: commitId,
      user: { login: FAKE_BOT_LOGIN, type: "Bot" },
    };
    repo.reviews.push(review);
    for (const comment of comments) {
      const id = this.nextId++;
      repo.reviewComments.push({
        id,
        node_id: `PRRC_${id}`,
        pull_request_review_id: review.id,
        path: String(comment.path),
        line: Number(comment.line),
        side: String(comment.side),
        start_line: comment.start_line === undefined ? null : Number(comment.start_line),
        start_side: comment.start_side === undefined ? null : String(comment.start_side),
        commit_id: commitId,
        body: String(comment.body),
        user: { login: FAKE_BOT_LOGIN, type: "Bot" },
        pull: number,
        resolved: false,
      });
    }
    return json(200, review);
  }

  private graphql(request: FakeRequest): FakeResponse {
    const { query, variables } = request.body as { query: string; variables: Record<string, unknown> };
    if (/resolveReviewThread/u.test(query)) {
      const id = Number(String(variables.threadId).replace(/^PRRT_/u, ""));
      for (const repo of this.repos.values()) {
        const comment = repo.reviewComments.find((candidate) => candidate.id === id);
        if (comment) {
          comment.resolved = true;
          return json(200, { data: { resolveReviewThread: { thread: { id: variables.threadId, isResolved: true } } } });
        }
      }
      return json(200, { data: null, errors: [{ type: "NOT_FOUND", message: "Could not resolve to a node" }] });
    }
    if (/reviewThreads/u.test(query)) {
      const repo = this.repos.get(`${String(variables.owner)}/${String(variables.repo)}`);
      const threads = (repo?.reviewComments ?? [])
        .filter((comment) => comment.pull === variables.number && comment.in_reply_to_id === undefined)
        .map((comment) => ({ id: `PRRT_${comment.id}`, isResolved: comment.resolved, comments: { nodes: [{ databaseId: comment.id }] } }));
      return json(200, { data: { repository: { pullRequest: { reviewThreads: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: threads } } } } });
    }
    return json(200, { data: null, errors: [{ message: "the fake does not know this query" }] });
  }
}

function encodeBody(response: FakeResponse): { body: string | undefined; contentType: string | undefined } {
  if (response.body === undefined) return { body: undefined, contentType: undefined };
  const type = response.headers?.["content-type"];
  if (typeof response.body === "string" && type && !type.includes("json")) return { body: response.body, contentType: type };
  return { body: JSON.stringify(response.body), contentType: type ?? "application/json; charset=utf-8" };
}

function toFetchResponse(response: FakeResponse): Response {
  const { body } = encodeBody(response);
  return new Response(response.status === 204 ? null : (body ?? ""), { status: response.status, headers: response.headers ?? {} });
}
