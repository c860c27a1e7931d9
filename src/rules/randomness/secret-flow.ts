import { matchesQualified } from "../../engine/analyses/names.js";
import { callArguments, calleeLastName, field, unparenthesize } from "../../engine/syntax.js";
import type { RuleContext, SyntaxNode } from "../../engine/types.js";
import { SECRET_FUNCTION, containedPhrase, headPhrase, nameWords, snippet, type Lexicon } from "../crypto/lexicon.js";
import { destinationOf, findPart, functionNameAt, stringValue, type Destination } from "../crypto/values.js";

/**
 * Follows values made by a random source (`random.choice`, `uuid.uuid1`, `secrets.token_hex(4)`)
 * to where they are used as secrets: stored under a secret name (`resetToken = …`,
 * `user.apiKey = …`, `{"otp": …}`, `User(resetCode=…)`), returned by or made in a function named
 * for a secret (`func_generateToken`), or passed to a consumer of secrets (`set_cookie`, the key of
 * `hmac.new` or `jwt.encode`). A value first stored in a neutral local variable is followed through
 * later assignments, returns, calls and dict entries in source order (the engine walks in order).
 *
 * Only the first use of each value is reported.
 */

export interface Producer {
  call: SyntaxNode;
  /** The source as written, for messages: `random.choices`, `uuid.uuid1`. */
  api: string;
  /** Rule-specific detail (the method, the size). */
  detail: string;
}

export interface SecretUse {
  producer: Producer;
  /** Where the finding goes: the producing call, or the later statement that makes the value a secret. */
  node: SyntaxNode;
  /** "stored in `resetToken`", "returned by `func_newToken`", "used in `func_makePassword`", "set as a cookie by …", "… through `code` (from … on line 12)". */
  where: string;
  /** The name the secret is stored under, when there is one. */
  secretName?: string;
}

const HMAC_FUNCTIONS = new Set(["hmac.new", "hmac.digest", "hmac.HMAC"]);
/** Functions whose names say the randomness is for something public (`_make_boundary`, `func_simulateGame`). */
const PUBLIC_PURPOSE_WORDS = new Set([
  "boundary", "delimiter", "separator", "placeholder", "marker", "filename", "temp", "tempfile", "tmp", "color",
  "colour", "jitter", "backoff", "sample", "sampling", "shuffle", "test", "tests", "mock", "fake", "dummy", "demo",
  "example", "game", "simulate", "simulation", "benchmark", "bench", "fixture", "seed",
]);
const JWT_ENCODE = new Set(["jwt.encode", "jose.jwt.encode"]);
const COOKIE_SETTERS = new Set(["set_cookie", "set_signed_cookie"]);
/** Header names whose value is a credential. */
const SECRET_HEADERS = /^(?:authorization|proxy-authorization|cookie|x-api-key|x-auth-token|x-csrf-token|x-xsrf-token|x-access-token|api-key)$/iu;

export interface SecretFlowOptions {
  /** The lexicon for names of secrets. */
  lexicon: Lexicon;
  /** Phrases of the lexicon that do not count for this source (`nonce`, `iv` for `os.urandom(12)`). */
  ignoredPhrases?: ReadonlySet<string>;
  /** Report values made in a function named for a secret (`func_generateToken`), wherever they go. */
  functionContext: boolean;
  /** A followed variable counts for a return only when it is returned as is (`return key`), not as a part. */
  directReturnsOnly?: boolean;
}

export class SecretFlow {
  /** Producers whose value sits in a local variable, by the position of the assignment. */
  private readonly tainted = new Map<number, Producer>();
  private readonly reported = new Set<number>();
  private readonly considered: Producer[] = [];

  constructor(
    private readonly context: RuleContext,
    private readonly options: SecretFlowOptions,
    private readonly onSecret: (use: SecretUse) => void,
  ) {}

  /** True once any value is being followed: the flow visitors do nothing before. */
  get active(): boolean {
    return this.tainted.size > 0;
  }

  /** Producers that no use made secret (for rules that report those too, at a lower severity). */
  unreported(): Producer[] {
    return this.considered.filter((producer) => !this.reported.has(producer.call.startIndex));
  }

  isSecretName(name: string): string | null {
    const phrase = headPhrase(name, this.options.lexicon);
    return phrase !== null && !this.options.ignoredPhrases?.has(phrase) ? phrase : null;
  }

  private isSecretFunction(name: string): boolean {
    if (!name) return false;
    const phrase = containedPhrase(name, SECRET_FUNCTION);
    return phrase !== null && !this.options.ignoredPhrases?.has(phrase);
  }

  /** `set_cookie`, `hmac.new` and `jwt.encode`: calls that use an argument as a secret. */
  readonly isSink = (call: SyntaxNode): boolean => {
    const lastName = calleeLastName(call);
    if (lastName === null) return false;
    if (COOKIE_SETTERS.has(lastName)) return true;
    if (lastName !== "new" && lastName !== "digest" && lastName !== "HMAC" && lastName !== "encode") return false;
    const callee = field(call, "function");
    const resolved = callee ? this.context.analyses.resolve(callee) : null;
    return matchesQualified(resolved, HMAC_FUNCTIONS) || matchesQualified(resolved, JWT_ENCODE);
  };

  /** Describes a sink argument that holds a secret (`set_cookie`'s value, `hmac.new`'s key), or null. */
  private sinkUse(destination: Destination): string | null {
    const call = destination.call;
    if (!call) return null;
    const lastName = calleeLastName(call) ?? "";
    const callee = field(call, "function")?.text ?? lastName;
    if (COOKIE_SETTERS.has(lastName)) {
      if (destination.keyword === "key" || destination.position === 0) return null;
      return `set as a cookie by \`${snippet(callee, 40)}\``;
    }
    if (lastName === "encode") {
      return destination.keyword === "key" || destination.position === 1 ? `used as the signing key of \`${callee}\`` : null;
    }
    return destination.keyword === "key" || destination.position === 0 ? `used as the key of \`${callee}\`` : null;
  }

  /** Where a destination makes the value a secret, or null. */
  private secretDestination(destination: Destination): { where: string; name?: string } | null {
    switch (destination.kind) {
      case "variable":
      case "attribute":
      case "keyword": {
        const phrase = this.isSecretName(destination.name);
        return phrase ? { where: `stored in \`${destination.name}\``, name: destination.name } : null;
      }
      case "key": {
        if (SECRET_HEADERS.test(destination.name)) return { where: `sent as the \`${destination.name}\` header`, name: destination.name };
        const phrase = this.isSecretName(destination.name);
        return phrase ? { where: `stored under \`"${destination.name}"\``, name: destination.name } : null;
      }
      case "return":
        return this.isSecretFunction(destination.name) ? { where: `returned by \`${destination.name}\``, name: destination.name } : null;
      case "argument": {
        const where = this.sinkUse(destination);
        return where ? { where } : null;
      }
      default:
        return null;
    }
  }

  /** A destination whose own name says it is something else (`delay`, `tokenLength`, `retryJitter`). */
  private namedOtherwise(destination: Destination): boolean {
    if (destination.kind !== "variable" && destination.kind !== "attribute" && destination.kind !== "keyword" && destination.kind !== "key") return false;
    return nameWords(destination.name).some((word) => this.options.lexicon.negatives.has(word));
  }

  private report(producer: Producer, node: SyntaxNode, where: string, name?: string): void {
    if (this.reported.has(producer.call.startIndex)) return;
    this.reported.add(producer.call.startIndex);
    this.onSecret({ producer, node, where, ...(name !== undefined ? { secretName: name } : {}) });
  }

  /** Decides where a producer's value goes: a secret use now, a local variable to follow, or nothing. */
  consider(producer: Producer): void {
    const analyses = this.context.analyses;
    const enclosing = functionNameAt(analyses, producer.call);
    if (enclosing && nameWords(enclosing).some((word) => PUBLIC_PURPOSE_WORDS.has(word))) return;
    this.considered.push(producer);
    const destination = destinationOf(producer.call, this.isSink, (node) => functionNameAt(analyses, node));
    const secret = this.secretDestination(destination);
    if (secret) {
      this.report(producer, producer.call, secret.where, secret.name);
      return;
    }
    if (this.options.functionContext && !this.namedOtherwise(destination) && destination.kind !== "argument") {
      if (this.isSecretFunction(enclosing)) {
        this.report(producer, producer.call, `used in \`${enclosing}\``, enclosing);
        return;
      }
    }
    if (destination.kind === "variable" && destination.statement) this.tainted.set(destination.statement.startIndex, producer);
  }

  /** The producer whose value `expression` carries through a followed local variable, and that variable. */
  private taintOf(expression: SyntaxNode): { producer: Producer; variable: string } | null {
    let found: { producer: Producer; variable: string } | null = null;
    const scopes = this.context.analyses.scopes;
    findPart(expression, (part) => {
      if (part.type !== "identifier") return false;
      const binding = scopes.bindingBefore(part.text, part);
      const producer = binding ? this.tainted.get(binding.site.startIndex) : undefined;
      if (!producer) return false;
      found = { producer, variable: part.text };
      return true;
    });
    return found;
  }

  private through(taint: { producer: Producer; variable: string }): string {
    return ` through \`${taint.variable}\` (from \`${taint.producer.api}\` on line ${taint.producer.call.startPosition.row + 1})`;
  }

  readonly assignment = (node: SyntaxNode): void => {
    if (!this.active) return;
    const right = field(node, "right");
    const left = field(node, "left");
    if (!right || !left) return;
    const taint = this.taintOf(right);
    if (!taint || this.reported.has(taint.producer.call.startIndex)) return;
    const target = unparenthesize(left);
    const name = target.type === "identifier" ? target.text : target.type === "attribute" ? (field(target, "attribute")?.text ?? "") : stringValue(field(target, "subscript"));
    if (name) {
      if (target.type === "subscript" && SECRET_HEADERS.test(name)) {
        this.report(taint.producer, node, `sent as the \`${name}\` header${this.through(taint)}`, name);
        return;
      }
      if (this.isSecretName(name)) {
        this.report(taint.producer, node, `stored in \`${snippet(target.text, 40)}\`${this.through(taint)}`, name);
        return;
      }
    }
    if (target.type === "identifier") this.tainted.set(node.startIndex, taint.producer);
  };

  readonly returnStatement = (node: SyntaxNode): void => {
    if (!this.active) return;
    const value = node.namedChild(0);
    if (!value) return;
    if (this.options.directReturnsOnly && unparenthesize(value).type !== "identifier") return;
    const taint = this.taintOf(value);
    if (!taint) return;
    const functionName = functionNameAt(this.context.analyses, node);
    if (this.isSecretFunction(functionName)) this.report(taint.producer, node, `returned by \`${functionName}\`${this.through(taint)}`, functionName);
  };

  readonly pair = (node: SyntaxNode): void => {
    if (!this.active) return;
    const key = stringValue(field(node, "key"));
    const value = field(node, "value");
    if (key === null || !value || !(SECRET_HEADERS.test(key) || this.isSecretName(key))) return;
    const taint = this.taintOf(value);
    if (taint) this.report(taint.producer, node, `stored under \`"${key}"\`${this.through(taint)}`, key);
  };

  /** Keyword arguments named for secrets and sink arguments that receive a followed value. */
  readonly call = (node: SyntaxNode): void => {
    if (!this.active) return;
    const args = callArguments(node);
    for (const [keyword, value] of args.keywords) {
      if (!this.isSecretName(keyword)) continue;
      const taint = this.taintOf(value);
      if (taint) {
        this.report(taint.producer, node, `passed as \`${keyword}=\`${this.through(taint)}`, keyword);
        return;
      }
    }
    if (!this.isSink(node)) return;
    args.positional.forEach((argument, position) => {
      const taint = this.taintOf(argument);
      if (!taint) return;
      const where = this.sinkUse({ kind: "argument", name: "", node, call: node, position, through: [] });
      if (where) this.report(taint.producer, node, `${where}${this.through(taint)}`);
    });
    for (const [keyword, value] of args.keywords) {
      const taint = this.taintOf(value);
      if (!taint) continue;
      const where = this.sinkUse({ kind: "argument", name: "", node, call: node, position: -1, keyword, through: [] });
      if (where) this.report(taint.producer, node, `${where}${this.through(taint)}`);
    }
  };
}
