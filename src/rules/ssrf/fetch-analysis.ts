import type { FileAnalyses } from "../../engine/analyses/index.js";
import type { TaintSource } from "../../engine/analyses/taint.js";
import type { RuleContext, SyntaxNode } from "../../engine/types.js";
import { untrustedSource } from "../input-validation/flows.js";
import { ImportAliases } from "../support/import-aliases.js";
import { fetchSink, SINK_LAST_NAMES, type FetchSink } from "./fetch-sinks.js";
import { hostChecked } from "./url-guards.js";
import { urlShape, type ShapeKind } from "./url-shape.js";

/** A fetch whose destination request data decides, in part or whole. */
export interface TaintedFetch {
  sink: FetchSink;
  kind: ShapeKind;
  /** The tainted piece of the URL (or the host). */
  node: SyntaxNode;
  source: TaintSource;
  prefix: string;
  /** True when a check pins down the host before the fetch (the engine's guards or ours). */
  checked: boolean;
}

/** Modules whose calls connect somewhere: a file that imports none of them is skipped. */
const NETWORK_MODULES = ["requests", "httpx", "aiohttp", "urllib", "urllib2", "urllib3", "http.client", "httplib", "socket", "smtplib", "ftplib", "asyncio", "six"];

/** Both SSRF rules ask about the same calls: the answer is worked out once per file and call. */
const cache = new WeakMap<FileAnalyses, Map<number, TaintedFetch | null>>();

function analyse(context: RuleContext, call: SyntaxNode): TaintedFetch | null {
  const sink = fetchSink(context, call);
  if (!sink) return null;
  // Untainted where the call uses it: either never tainted, or a check the engine knows (`urlparse(url).hostname in ALLOWED`) guards it.
  const engineChecked = !untrustedSource(context, sink.target, "url");
  if (sink.kind === "url") {
    // Only fetches that follow redirects matter once checked (PG-SSRF-003's note): skip the work for the others.
    if (engineChecked && !sink.followsRedirects) return null;
    const shape = urlShape(context, sink.target);
    if (!shape) return null;
    const checked = engineChecked || hostChecked(context, call, sink.target, shape.node);
    // The whole URL: name it as the call has it (`url`), not where it was read.
    const node = shape.kind === "full" ? sink.target : shape.node;
    return { sink, kind: shape.kind, node, source: shape.source, prefix: shape.prefix, checked };
  }
  if (engineChecked) return null;
  const source = untrustedSource(context, sink.target, "url");
  if (!source) return null;
  return { sink, kind: "host", node: sink.target, source, prefix: "", checked: hostChecked(context, call, sink.target, sink.target) };
}

/** Visitor state for a rule: the cheap name test, then the shared analysis. */
export class FetchWatcher {
  private readonly aliases = new ImportAliases(SINK_LAST_NAMES);
  private relevant: boolean | undefined;

  constructor(private readonly context: RuleContext) {}

  readonly visitImport = (node: SyntaxNode): void => this.aliases.visit(node);

  /** The tainted fetch `call` makes, or null. */
  inspect(call: SyntaxNode, lastName: string | null): TaintedFetch | null {
    if (lastName === null || !this.aliases.has(lastName)) return null;
    this.relevant ??= NETWORK_MODULES.some((module) => this.context.analyses.importsModule(module));
    if (!this.relevant) return null;
    let byCall = cache.get(this.context.analyses);
    if (!byCall) {
      byCall = new Map();
      cache.set(this.context.analyses, byCall);
    }
    const known = byCall.get(call.startIndex);
    if (known !== undefined) return known;
    const result = analyse(this.context, call);
    byCall.set(call.startIndex, result);
    return result;
  }
}
