import { matchesQualified } from "../../engine/analyses/names.js";
import { callArguments, calleeLastName, field, unparenthesize } from "../../engine/syntax.js";
import type { RuleModule, SyntaxNode } from "../../engine/types.js";
import { isTestPath } from "../crypto/lexicon.js";
import { findPart, functionNameAt } from "../crypto/values.js";

const SEED_FUNCTIONS = new Set(["random.seed"]);
const CLOCKS = new Set(["time.time", "time.time_ns", "time.monotonic", "time.perf_counter", "datetime.datetime.now", "datetime.datetime.utcnow", "os.getpid"]);

export const predictableSeed: RuleModule = {
  meta: {
    id: "PG-RAND-002",
    name: "predictable-random-seed",
    title: "Global `random` seeded with a constant or the clock",
    sections: ["G10"],
    cwe: [336, 337],
    defaultSeverity: "note",
    docs: {
      whatItDoes:
        "Reports `random.seed(…)` with a constant (`random.seed(42)`, a name bound only to a literal) or with the clock or the process id (`random.seed(time.time())`), outside tests.",
      whyIsThisBad:
        "Seeding the global generator makes every later `random` value in the process predictable: with a constant, the same sequence comes out on every run; with the clock, an attacker who knows roughly when the process started tries a few thousand seeds. Anything derived from `random` afterwards (identifiers, sampling that should be unpredictable, a misused token) can be reproduced.",
      example: 'import random\n\nrandom.seed(1234)',
      useInstead:
        'import random\n\n# Reproducible simulations get their own generator, which leaves the global one alone.\nsimulationRng = random.Random(1234)',
      notes:
        "A note: reproducible simulations and data generators seed on purpose, but they should use their own `random.Random(seed)` instance. Not reported: test modules and `test_*` functions, `numpy.random.seed` and framework seeding (machine learning), `random.seed()` without an argument (seeds from the OS), and seeds from configuration or input.",
    },
  },
  create(context) {
    if (isTestPath(context.path)) return {};
    const analyses = context.analyses;

    function clockPart(expression: SyntaxNode): SyntaxNode | null {
      return findPart(expression, (part) => {
        if (part.type !== "call") return false;
        const callee = field(part, "function");
        return callee !== null && matchesQualified(analyses.resolve(callee), CLOCKS);
      });
    }

    return {
      call(node) {
        if (calleeLastName(node) !== "seed") return;
        const callee = field(node, "function");
        if (!callee || !matchesQualified(analyses.resolve(callee), SEED_FUNCTIONS)) return;
        if (/^test/u.test(functionNameAt(analyses, node))) return;
        const args = callArguments(node);
        const seed = args.positional[0] ?? args.keywords.get("a");
        if (!seed || unparenthesize(seed).type === "none") return;
        const constant = analyses.constant(seed);
        if (constant && constant.value !== null) {
          context.report({
            node,
            message: `\`${callee.text}(${seed.text})\` seeds the global generator with a constant, so every \`random\` value of the process repeats on each run; for reproducible simulations use a separate \`random.Random(${seed.text})\`, and \`secrets\` for anything secret.`,
          });
          return;
        }
        const clock = clockPart(seed);
        if (clock) {
          context.report({
            node,
            message: `\`${callee.text}\` seeds the global generator from \`${clock.text}\`, which an attacker can guess within a few thousand tries; call \`random.seed()\` without an argument (it uses the OS's entropy), and use \`secrets\` for anything secret.`,
          });
        }
      },
    };
  },
};
