import { calleeLastName } from "../../engine/syntax.js";
import type { RuleModule } from "../../engine/types.js";
import { ImportAliases } from "../support/import-aliases.js";
import { SECRET_VALUE } from "../crypto/lexicon.js";
import { SecretFlow } from "./secret-flow.js";
import { RANDOM_LAST_NAMES, randomSource, secureAlternative } from "./sources.js";

export const insecureRandom: RuleModule = {
  meta: {
    id: "PG-RAND-001",
    name: "insecure-random-for-secrets",
    title: "Predictable `random` used to make a token, password, key or other secret",
    sections: ["G10", "C2"],
    cwe: [338, 330],
    defaultSeverity: "error",
    bandit: ["B311"],
    docs: {
      whatItDoes:
        "Reports values from the `random` module (`random`, `randint`, `randrange`, `choice`, `choices`, `sample`, `shuffle`, `getrandbits`, `randbytes`, `uniform`, `triangular`, and the same methods of `random.Random()`), `numpy.random` and numpy generators when they become secrets: stored under a name such as token, password, secret, API/secret/session key, salt, nonce, OTP, PIN, CSRF token, session id, or a reset, verification or invite code (`resetToken = …`, `user.apiKey = …`, `{\"otp\": …}`, `User(resetCode=…)`), returned by or made in a function named for one (`func_generateToken`, `func_makePassword`), sent as an `Authorization`/`Cookie`/`X-Api-Key` header, set as a cookie, or used as the key of `hmac.new` or `jwt.encode`. A value first stored in a neutral local variable is followed to such a use later in the file.",
      whyIsThisBad:
        "`random` is a Mersenne Twister: after 624 outputs an attacker can compute every past and future value, and small seeds are guessable. Tokens, passwords and codes made with it can be predicted, which means account takeover through password-reset links, session hijacking or forged signatures.",
      example:
        'import random\nimport string\n\n\ndef func_newResetToken():\n    return "".join(random.choices(string.ascii_letters + string.digits, k=32))',
      useInstead: 'import secrets\n\n\ndef func_newResetToken():\n    return secrets.token_urlsafe(32)',
      notes:
        "Not reported: `random` with no secret use: retry jitter and backoff, sampling, simulations, games, shuffling test data, A/B bucketing, and values stored under names that say what else they are (`delay`, `tokenLength`, `retryCount`) even inside a token function. `random.SystemRandom()` and `secrets` are secure and never reported. Bandit's B311 reports every use of `random`; this rule reports the ones that matter, as errors.",
    },
  },
  create(context) {
    const analyses = context.analyses;
    const aliases = new ImportAliases(RANDOM_LAST_NAMES);
    const flow = new SecretFlow(context, { lexicon: SECRET_VALUE, functionContext: true }, (use) => {
      context.report({
        node: use.node,
        message: `\`${use.producer.api}\` makes a secret (its value is ${use.where}); the \`random\` module is predictable (its state can be rebuilt from its outputs), so the secret can be guessed; use ${secureAlternative(use.producer.detail)}.`,
      });
    });
    return {
      import_from_statement: aliases.visit,
      assignment: flow.assignment,
      return_statement: flow.returnStatement,
      pair: flow.pair,
      call(node) {
        flow.call(node);
        const lastName = calleeLastName(node);
        if (lastName === null || !aliases.has(lastName)) return;
        const source = randomSource(analyses, node, lastName);
        if (source) flow.consider({ call: node, api: source.api, detail: source.method });
      },
    };
  },
};
