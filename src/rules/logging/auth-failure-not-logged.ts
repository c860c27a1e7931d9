import type { Scope } from "../../engine/analyses/scopes.js";
import { calleeLastName, field, unparenthesize } from "../../engine/syntax.js";
import type { RuleModule, SyntaxNode } from "../../engine/types.js";
import { exceptParts } from "../exceptions/caught-types.js";
import { AuthFunctions, isCredentialCheckCall } from "./auth-checks.js";
import { textLogs } from "./log-calls.js";
import { nameWords } from "./words.js";

type Polarity = "positive" | "negative";

/** In a function named like a login, a branch is an authentication failure only when it says so. */
const AUTH_FAILURE_SIGNAL =
  /\b401\b|HTTP_401|UNAUTHORI[SZ]ED|[Uu]nauthori[sz]ed|AuthenticationFailed|AuthenticationError|NotAuthenticated|InvalidCredentials|LoginFailed|\b(?:invalid|incorrect|wrong|bad|unknown)\s+(?:[\w/-]+\s+){0,3}?(?:credentials?|password|username|user ?name|login|e-?mail|token|api ?key)\b|\b(?:login|authentication|sign[- ]?in)\s+(?:failed|failure|error)\b/iu;

/** In a function that is the check (`verify_password`), answering False or None, or raising, is the failure. */
const CHECK_RESULT_FAILURE = /^\s*(?:return(?:\s+(?:False|None))?\s*$|raise\b)/mu;

/** Exceptions that signal a failed credential or token check. */
const AUTH_EXCEPTION =
  /InvalidToken|ExpiredSignature|DecodeError|InvalidSignature|BadSignature|SignatureExpired|VerifyMismatch|VerificationError|InvalidHash|AuthenticationFailed|InvalidCredentials|Unauthori[sz]ed|JWTError|PyJWTError|InvalidTokenError|\bjwt\.|\bjose\./u;
/** A failed account lookup, in a function named like a login. */
const LOOKUP_MISS = /DoesNotExist|NoResultFound|ObjectDoesNotExist/u;
const ENDS_ATTEMPT = /^(?:return|raise)\b|^(?:[\w.]+\.)?abort\s*\(/u;

/** Names in a login function's condition that stand for the outcome of the check (`user`, `account`, `valid`, `payload`). */
const SUBJECT_WORDS = new Set([
  "user", "account", "principal", "identity", "member", "customer", "admin", "credential", "credentials", "token",
  "payload", "claims", "auth", "authenticated", "valid", "ok", "success", "successful", "match", "matches", "matched",
  "verified", "result", "login", "logged",
]);

const MAX_SIBLINGS = 40;

/** Text screens: a condition that may hold a credential check, or a negative test (`not x`, `x is None`). */
const CHECK_HINT = /auth|pass|pw|verif|cred|token|key|otp|mfa|decode/iu;
const NEGATIVE_HINT = /\bnot\b|\bis\s+None\b|==\s*None\b|\bis\s+False\b|==\s*False\b/u;
const IDENTIFIERS = /[A-Za-z_]\w*/gu;

function snippet(node: SyntaxNode, limit = 40): string {
  const text = node.text.replace(/\s+/gu, " ");
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

function flip(polarity: Polarity | null): Polarity | null {
  if (polarity === null) return null;
  return polarity === "positive" ? "negative" : "positive";
}

/**
 * Whether a condition holds when the check succeeded (positive) or failed (negative), judged from
 * its shape: `not check(...)`, `x is None`, `x == False`, `a or not b` are negative; `check(...)`,
 * `user and user.check_password(...)`, `x is not None` positive. `related` says which operands
 * stand for the check; others are ignored. Null when the condition does not depend on the check.
 */
function polarity(node: SyntaxNode, related: (operand: SyntaxNode) => boolean, depth = 0): Polarity | null {
  if (depth > 12) return null;
  const expression = unparenthesize(node);
  switch (expression.type) {
    case "not_operator": {
      const argument = field(expression, "argument");
      return argument ? flip(polarity(argument, related, depth + 1)) : null;
    }
    case "boolean_operator": {
      const left = field(expression, "left");
      const right = field(expression, "right");
      const parts = [left ? polarity(left, related, depth + 1) : null, right ? polarity(right, related, depth + 1) : null].filter(
        (part): part is Polarity => part !== null,
      );
      if (parts.length === 0) return null;
      if (field(expression, "operator")?.text === "or") {
        if (parts.includes("negative")) return "negative";
        return parts.every((part) => part === "positive") ? "positive" : null;
      }
      return parts.includes("negative") ? null : "positive";
    }
    case "comparison_operator": {
      const operands = expression.namedChildren.filter((child) => child.type !== "comment");
      const operator = expression.childrenForFieldName("operators")[0]?.type;
      if (operands.length !== 2 || !operator) return null;
      const [left, right] = operands as [SyntaxNode, SyntaxNode];
      const subject = polarity(left, related, depth + 1);
      if (subject === null) return null;
      const against = right.type;
      const equal = operator === "is" || operator === "==";
      const unequal = operator === "is not" || operator === "!=";
      if (against === "none" || against === "false") return equal ? flip(subject) : unequal ? subject : null;
      if (against === "true") return equal ? subject : unequal ? flip(subject) : null;
      return null;
    }
    case "await": {
      const inner = expression.namedChildren.find((child) => child.type !== "comment");
      return inner ? polarity(inner, related, depth + 1) : null;
    }
    case "call":
    case "identifier":
    case "attribute":
    case "subscript":
    case "named_expression":
      return related(expression) ? "positive" : null;
    default:
      return null;
  }
}

interface Branch {
  text: string;
  node: SyntaxNode;
  /** "this branch", "the `else` branch", "the code after the `if`" */
  label: string;
}

/** Statements after `node` in its block, when the `if` ends the successful attempt (`return redirect(...)`). */
function fallThrough(node: SyntaxNode, consequence: SyntaxNode): Branch | null {
  const statements = consequence.namedChildren.filter((child) => child.type !== "comment");
  const last = statements[statements.length - 1];
  if (!last || !ENDS_ATTEMPT.test(last.text)) return null;
  const texts: string[] = [];
  let first: SyntaxNode | null = null;
  let sibling = node.nextNamedSibling;
  for (let count = 0; sibling && count < MAX_SIBLINGS; count++) {
    if (sibling.type !== "comment") {
      first ??= sibling;
      texts.push(sibling.text);
    }
    sibling = sibling.nextNamedSibling;
  }
  if (first) return { text: texts.join("\n"), node: first, label: "the code after the `if`" };
  // Nothing follows: the function ends, and returns None, only when the `if` is in its body.
  const condition = field(node, "condition") ?? node;
  return node.parent?.parent?.type === "function_definition" ? { text: "", node: condition, label: "the implicit `return None` after the `if`" } : null;
}

function failureBranch(node: SyntaxNode, direction: Polarity): Branch | null {
  const consequence = field(node, "consequence");
  if (!consequence) return null;
  if (direction === "negative") return { text: consequence.text, node: field(node, "condition") ?? node, label: "this branch" };
  if (node.type !== "if_statement") return null;
  const alternatives = node.childrenForFieldName("alternative");
  if (alternatives.length === 0) return fallThrough(node, consequence);
  const only = alternatives[0];
  if (alternatives.length !== 1 || only?.type !== "else_clause") return null;
  const body = field(only, "body");
  return body ? { text: body.text, node: only, label: "the `else` branch" } : null;
}

export const authFailureNotLogged: RuleModule = {
  meta: {
    id: "PG-LOG-001",
    name: "auth-failure-not-logged",
    title: "Failed authentication not logged",
    sections: ["C9"],
    cwe: [778, 223],
    defaultSeverity: "warning",
    docs: {
      whatItDoes:
        "Reports the failure branch of a credential check that logs nothing. A credential check is a call such as `check_password_hash`, `check_password`, `bcrypt.checkpw`, `verify_password`, `authenticate`, `pwd_context.verify`, `jwt.decode` or a function named `verify_token`/`check_api_key`; its failure branch is the `if not …:`/`if user is None:` branch, the `else:` branch or the code after an `if check(...): return …`, and an `except` clause for a token or hash verification error. In functions named like a login (`login`, `sign_in`, `authenticate`, `verify_password`, `validate_token`, …), a negative branch on the user or result (`if user is None:`, `if not account:`) counts too when it answers 401, raises an authentication error or says \"invalid credentials\"; in functions that are the check themselves (`verify_password`, `check_credentials`, `validate_token`, `authenticate`), also when it returns `False` or `None` or raises. Logging is a logger call (`logger.warning`, `logging.*`, `app.logger.*`, `current_app.logger.*`), a helper named `log…`/`audit…`/`record…`, a Sentry capture or a signal such as `user_login_failed.send`. Reported once per function.",
      whyIsThisBad:
        "Failed logins are how brute force, password spraying and credential stuffing show up. If nothing records them, nobody can see an attack in progress, lock the targeted accounts or investigate afterwards.",
      example:
        'from flask import Blueprint, request\nfrom werkzeug.security import check_password_hash\n\nbp = Blueprint("auth", __name__)\n\n\n@bp.post("/login")\ndef func_login():\n    user = func_findUser(request.form["username"])\n    if user is None or not check_password_hash(user.passwordHash, request.form["password"]):\n        return {"error": "invalid credentials"}, 401\n    return {"ok": True}',
      useInstead:
        'import logging\n\nfrom flask import Blueprint, request\nfrom werkzeug.security import check_password_hash\n\nbp = Blueprint("auth", __name__)\nlogger = logging.getLogger("security")\n\n\n@bp.post("/login")\ndef func_login():\n    userName = request.form["username"]\n    user = func_findUser(userName)\n    if user is None or not check_password_hash(user.passwordHash, request.form["password"]):\n        logger.warning("failed login for %s from %s", userName, request.remote_addr)\n        return {"error": "invalid credentials"}, 401\n    return {"ok": True}',
      notes:
        "A heuristic. Logging done elsewhere is not seen: a decorator, middleware, django-axes, or a `user_login_failed` receiver in another module (Django's `authenticate` sends that signal on failure; if a receiver of yours logs it, suppress the finding with that reason). A failure branch that calls a helper counts as logged when the helper's name says so (`log_failed_login`, `func_auditLogin`, `record_attempt`). Only the failure path is checked: logging successes is advice, not reported.",
    },
  },
  create(context) {
    const auth = new AuthFunctions(context.analyses);
    const analyzed = new Set<number>();
    const reported = new Set<Scope>();

    function report(scope: Scope, branch: Branch, because: string): void {
      reported.add(scope);
      const django =
        auth.checksMade(scope).has("authenticate") && context.analyses.importsModule("django")
          ? " (Django's `authenticate` sends `user_login_failed`; if a receiver of yours logs it, suppress this with that reason)"
          : "";
      context.report({
        node: branch.node,
        message: `Failed authentication in \`${scope.name}\` is not logged: ${branch.label} (taken when ${because}) logs nothing; log the attempt with the account name and client address, never the password (for example \`logger.warning("failed login for %s from %s", userName, request.remote_addr)\`), so that brute force and credential stuffing show up in monitoring${django}.`,
      });
    }

    function isCheckOperand(scope: Scope, operand: SyntaxNode, found: SyntaxNode[]): boolean {
      let related = false;
      if (operand.type === "call") {
        const lastName = calleeLastName(operand);
        related = lastName !== null && isCredentialCheckCall(operand, lastName);
      } else if (operand.type === "identifier") {
        related = auth.checkVariables(scope)?.has(operand.text) ?? false;
      } else if (operand.type === "named_expression") {
        const value = field(operand, "value");
        const lastName = value?.type === "call" ? calleeLastName(value) : null;
        related = value !== null && lastName !== null && isCredentialCheckCall(value, lastName);
      }
      if (related) found.push(operand);
      return related;
    }

    function isSubjectOperand(operand: SyntaxNode, found: SyntaxNode[]): boolean {
      let name: string | null = null;
      if (operand.type === "identifier") name = operand.text;
      else if (operand.type === "attribute") name = field(operand, "attribute")?.text ?? null;
      else if (operand.type === "call") name = calleeLastName(operand);
      else if (operand.type === "named_expression") name = field(operand, "name")?.text ?? null;
      const related = name !== null && nameWords(name).some((word) => SUBJECT_WORDS.has(word));
      if (related) found.push(operand);
      return related;
    }

    function analyzeConditional(node: SyntaxNode, scope: Scope): void {
      if (reported.has(scope) || analyzed.has(node.startIndex)) return;
      analyzed.add(node.startIndex);
      const condition = field(node, "condition");
      if (!condition) return;
      // Cheap screening on the condition's text before its shape is read.
      const text = condition.text;
      const variables = auth.checkVariables(scope);
      const names = text.match(IDENTIFIERS) ?? [];
      const mayCheck = CHECK_HINT.test(text) || (variables !== undefined && names.some((name) => variables.has(name)));
      const mayFailByName =
        auth.isAuthNamed(scope) && NEGATIVE_HINT.test(text) && names.some((name) => nameWords(name).some((word) => SUBJECT_WORDS.has(word)));
      if (!mayCheck && !mayFailByName) return;
      const found: SyntaxNode[] = [];
      let direction = mayCheck ? polarity(condition, (operand) => isCheckOperand(scope, operand, found)) : null;
      let byName = false;
      if (direction === null) {
        if (!mayFailByName) return;
        direction = polarity(condition, (operand) => isSubjectOperand(operand, found));
        if (direction !== "negative") return;
        byName = true;
      }
      const branch = failureBranch(node, direction);
      if (!branch) return;
      if (byName && !AUTH_FAILURE_SIGNAL.test(branch.text) && !(auth.isCheckNamed(scope) && CHECK_RESULT_FAILURE.test(branch.text))) return;
      if (textLogs(branch.text)) return;
      const because = describeCause(scope, condition, found[0], byName);
      report(scope, branch, because);
    }

    function describeCause(scope: Scope, condition: SyntaxNode, check: SyntaxNode | undefined, byName: boolean): string {
      if (!check || byName) return `\`${snippet(condition)}\``;
      if (check.type === "identifier") {
        const made = auth.checkOfVariable(scope, check.text);
        if (made) return `the \`${made}(...)\` check stored in \`${check.text}\` fails`;
      }
      return `\`${snippet(check)}\` fails`;
    }

    /** The `if`/`elif` whose condition holds the check, or the variable its result is assigned to. */
    function recordCheckSite(call: SyntaxNode, scope: Scope, lastName: string): void {
      let child = call;
      for (let depth = 0; depth < 12; depth++) {
        const parent: SyntaxNode | null = child.parent;
        if (!parent) break;
        switch (parent.type) {
          case "if_statement":
          case "elif_clause": {
            auth.recordCheck(scope, lastName);
            const condition = field(parent, "condition");
            if (condition && condition.startIndex === child.startIndex && condition.endIndex === child.endIndex) analyzeConditional(parent, scope);
            return;
          }
          case "assignment": {
            const left = field(parent, "left");
            const right = field(parent, "right");
            const isThisCall = (operand: SyntaxNode): boolean => operand.startIndex === call.startIndex && operand.endIndex === call.endIndex;
            const positive = right !== null && right.startIndex === child.startIndex && polarity(right, isThisCall) === "positive";
            auth.recordCheck(scope, lastName, positive && left?.type === "identifier" ? left.text : undefined);
            return;
          }
          case "named_expression": {
            const name = field(parent, "name");
            auth.recordCheck(scope, lastName, name?.text);
            break;
          }
          case "block":
          case "module":
          case "expression_statement":
          case "return_statement":
          case "function_definition":
          case "lambda":
            auth.recordCheck(scope, lastName);
            return;
          default:
            break;
        }
        child = parent;
      }
      auth.recordCheck(scope, lastName);
    }

    function conditional(node: SyntaxNode): void {
      const scope = auth.functionAt(node);
      if (!scope || reported.has(scope) || !auth.isAuthRelevant(scope)) return;
      analyzeConditional(node, scope);
    }

    return {
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null || !isCredentialCheckCall(node, lastName)) return;
        const scope = auth.functionAt(node);
        if (!scope || scope.kind !== "function") return;
        recordCheckSite(node, scope, lastName);
      },
      if_statement: conditional,
      elif_clause: conditional,
      except_clause(node) {
        const scope = auth.functionAt(node);
        if (!scope || reported.has(scope) || !auth.isAuthRelevant(scope)) return;
        const { type, body } = exceptParts(node);
        if (!type || !body) return;
        const typeText = type.text;
        if (!AUTH_EXCEPTION.test(typeText) && !(auth.isAuthNamed(scope) && LOOKUP_MISS.test(typeText))) return;
        const text = body.text;
        if (!/\b(?:return|raise|abort)\b/u.test(text) || textLogs(text)) return;
        report(scope, { text, node, label: `the \`except ${snippet(type, 40)}\` handler` }, `\`${snippet(type, 40)}\` is raised`);
      },
    };
  },
};

