import { matchesQualified } from "../../engine/analyses/names.js";
import { callArguments, calleeLastName, field } from "../../engine/syntax.js";
import type { RuleContext, RuleModule, SyntaxNode } from "../../engine/types.js";
import { passwordEvidence } from "../identity/passwords.js";
import { ImportAliases } from "../support/import-aliases.js";
import { HASH_LAST_NAMES, WEAK_ALGORITHMS, algorithmOfReference, classifyHashCall, type HashCall } from "./hashes.js";
import { SECURITY_FUNCTION, SECURITY_HASH, containedPhrase, headPhrase, nameWords } from "./lexicon.js";
import { destinationOf, findNamed, functionNameAt } from "./values.js";

const HMAC_FUNCTIONS = new Set(["hmac.new", "hmac.digest", "hmac.HMAC"]);
const FILTER_NAMES = new Set([...HASH_LAST_NAMES, "digest", "HMAC"]);
/** HMAC over these is deprecated (a note); HMAC-SHA1 is still sound and not reported. */
const WEAK_HMAC = new Set(["md5", "md4", "md2"]);

/** Names that say nothing about what was hashed: the function's name decides for them. */
const NEUTRAL_WORDS = new Set([
  "digest", "hexdigest", "hash", "hashed", "hasher", "h", "m", "md", "result", "value", "out", "output", "res", "tmp",
  "data", "hex", "sha", "md5", "sha1", "computed", "expected", "actual", "calculated", "ctx", "context", "obj",
]);

const DISPLAY: Record<string, string> = { md5: "MD5", md4: "MD4", md2: "MD2", sha1: "SHA-1", sha: "SHA-1", md5sha1: "MD5-SHA1" };

function isNeutral(name: string): boolean {
  const words = nameWords(name);
  return words.length === 0 || words.every((word) => NEUTRAL_WORDS.has(word) || /^[0-9]+$/u.test(word));
}

interface Evidence {
  /** "on `apiSecret`", "for `signature`", "in `func_signRequest`". */
  text: string;
}

function securityEvidence(context: RuleContext, call: SyntaxNode, hash: HashCall): Evidence | null {
  const analyses = context.analyses;
  for (const input of hash.inputs) {
    const name = findNamed(input, (candidate) => headPhrase(candidate, SECURITY_HASH) !== null);
    if (name) return { text: `on \`${name}\`` };
  }
  const destination = hash.viaUpdate ? null : destinationOf(call, undefined, (node) => functionNameAt(analyses, node));
  if (destination && destination.kind !== "none" && destination.kind !== "return" && destination.kind !== "argument") {
    if (headPhrase(destination.name, SECURITY_HASH)) return { text: `for \`${destination.name}\`` };
    if (!isNeutral(destination.name)) return null;
  }
  const functionName = functionNameAt(analyses, call);
  if (functionName && containedPhrase(functionName, SECURITY_FUNCTION)) return { text: `in \`${functionName}\`` };
  return null;
}

export const weakHash: RuleModule = {
  meta: {
    id: "PG-CRYPTO-001",
    name: "weak-hash-in-security-context",
    title: "MD5 or SHA-1 used where the hash protects something",
    sections: ["C2"],
    cwe: [327, 328],
    defaultSeverity: "warning",
    bandit: ["B303", "B324"],
    docs: {
      whatItDoes:
        "Reports MD5, SHA-1, MD4 and MD2 hashes (`hashlib.md5/sha1`, `hashlib.new(\"md5\")`, PyCryptodome `MD5.new`/`SHA1.new`, cryptography `hashes.MD5()`/`hashes.SHA1()`, and `update` calls on such hash objects) when the hash protects something: the hashed data or the variable, attribute, dict key or keyword that receives the digest is named like a secret, token, key, signature, MAC or session, or the function that computes it is named like signing, authentication or token code. HMAC with MD5 is reported as a note.",
      whyIsThisBad:
        "MD5 and SHA-1 collisions can be computed cheaply, so signatures, integrity checks and tokens built on them can be forged; `md5(secret + data)` also allows length-extension forgeries. Modern hashes cost the same to use.",
      example:
        'import hashlib\n\n\ndef func_signPayload(payload, apiSecret):\n    return hashlib.md5((apiSecret + payload).encode()).hexdigest()',
      useInstead:
        'import hashlib\nimport hmac\n\n\ndef func_signPayload(payload, apiSecret):\n    return hmac.new(apiSecret.encode(), payload.encode(), hashlib.sha256).hexdigest()',
      notes: [
        "Not reported: MD5 or SHA-1 made with `usedforsecurity=False`, and hashes with no security signal: file checksums, ETags, cache keys, de-duplication and sharding (`hashlib.md5(data).hexdigest()` stored in `etag` or `cacheKey`, or returned by `func_fileChecksum`). A digest stored under a name that says what it is for decides; neutral names (`digest`, `h`, `result`) leave the decision to the function's name. These uses are not attacks on MD5's weakness, and reporting them all (as Bandit B324 does) buries the real ones; write `usedforsecurity=False` to document the intent.",
        "Hashes of passwords are PG-IDENT-001's (one finding per call): a password needs a slow, salted hash, not just a stronger fast one.",
        "HMAC-MD5 is reported as a note (no practical forgery is known, but MD5 is deprecated); HMAC-SHA1 is not reported. RIPEMD-160 is not reported (no practical collision known).",
      ].join("\n"),
    },
  },
  create(context) {
    const aliases = new ImportAliases(FILTER_NAMES);
    /** Lines already reported, so that `hashes.Hash(hashes.MD5())` and its `update` give one finding. */
    const reportedOrigins = new Set<number>();
    const analyses = context.analyses;

    function checkHmac(node: SyntaxNode): void {
      const callee = field(node, "function");
      if (!callee || !matchesQualified(analyses.resolve(callee), HMAC_FUNCTIONS)) return;
      const args = callArguments(node);
      const digestmod = args.keywords.get("digestmod") ?? args.keywords.get("digest") ?? args.positional[2];
      const algorithm = digestmod ? algorithmOfReference(analyses, digestmod) : undefined;
      if (!algorithm || !WEAK_HMAC.has(algorithm)) return;
      context.report({
        node,
        severity: "note",
        message: `\`${callee.text}\` computes HMAC-${DISPLAY[algorithm] ?? algorithm}; MD5 is deprecated, use \`hashlib.sha256\` as the digest.`,
      });
    }

    return {
      import_from_statement: aliases.visit,
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null || !aliases.has(lastName)) return;
        if (lastName === "new" || lastName === "digest" || lastName === "HMAC") checkHmac(node);
        const hash = classifyHashCall(analyses, node, lastName);
        if (!hash || !WEAK_ALGORITHMS.has(hash.algorithm) || hash.notForSecurity) return;
        if (lastName === "Hash" && !hash.viaUpdate) return; // the inner hashes.MD5() call is the one reported
        const originLine = hash.origin.startPosition.row;
        if (reportedOrigins.has(originLine)) return;
        if (passwordEvidence(analyses, node, hash.inputs)) return;
        const evidence = securityEvidence(context, node, hash);
        if (!evidence) return;
        reportedOrigins.add(originLine);
        const algorithm = DISPLAY[hash.algorithm] ?? hash.algorithm.toUpperCase();
        context.report({
          node,
          message: `\`${hash.api}\` uses ${algorithm} ${evidence.text}; ${algorithm} is broken (collisions are cheap); use \`hashlib.sha256\`, and \`hmac.new(key, message, hashlib.sha256)\` for signatures and MACs.`,
        });
      },
    };
  },
};
