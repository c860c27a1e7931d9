import { callArguments, calleeLastName, field, unparenthesize } from "../../engine/syntax.js";
import type { RuleModule, SyntaxNode } from "../../engine/types.js";
import { nameWords, snippet } from "../crypto/lexicon.js";
import { stringValue, valueName } from "../crypto/values.js";
import { isPasswordName } from "./passwords.js";

/** Words that make a receiver or a class a stored account: `user`, `newUser`, `UserAccount`, `customer`. */
const ACCOUNT_WORDS = new Set([
  "user", "account", "member", "customer", "profile", "admin", "owner", "person", "employee", "staff", "student",
  "patient", "subscriber", "player", "author", "buyer", "seller", "tenant", "principal", "identity", "operator",
]);
/** Words that make a class or receiver a request schema or form, which carries the password in on purpose. */
const SCHEMA_WORDS = new Set([
  "schema", "create", "creation", "in", "input", "form", "request", "req", "login", "signin", "register",
  "registration", "signup", "update", "payload", "dto", "serializer", "params", "param", "credentials", "credential",
  "base", "out", "response", "data", "command", "cmd", "event", "message", "args", "query", "filter", "change", "reset",
  "auth", "factory", "mock", "fake", "stub", "test", "connection", "client", "config", "settings", "options",
]);
/** Base classes that make `self.password = …` a model field. */
const MODEL_BASE = /\b(?:Model|Base|DeclarativeBase|AbstractBaseUser|AbstractUser|Document|DynamicDocument|SQLModel|EmbeddedDocument)\b/u;
/** Words of receivers that hold what the client sent: `request.form`, `cleanedData`, `serializer.validated_data`, `form.password.data`. */
const INPUT_WORDS = new Set([
  "request", "req", "form", "forms", "data", "args", "json", "payload", "body", "params", "query", "input", "inputs",
  "credentials", "creds", "cleaned", "validated", "post", "values", "schema", "dto", "command", "cmd", "event", "kwargs",
  "options", "signup", "registration", "submitted", "posted",
]);

/** True when the text of a receiver chain names client input. */
function isInputSource(text: string): boolean {
  return text.length <= 120 && nameWords(text.replace(/\[[^\]]*\]/gu, "")).some((word) => INPUT_WORDS.has(word));
}
/** Methods that store their keyword arguments on a model. */
const MODEL_WRITE_METHODS = new Set(["create", "insert", "update", "get_or_create", "update_or_create", "insert_one", "values", "new"]);
/** Document-store writes whose dict argument is stored as is. */
const DOCUMENT_WRITES = new Set(["insert_one", "insert", "replace_one", "update_one", "update_many", "put_item", "set", "hset", "hmset", "add_document"]);
const SQL_PASSWORD_WRITE = /\b(?:insert\s+(?:or\s+\w+\s+)?into|update)\b[\s\S]*\b(?:password|passwd|pwd)\b/iu;
const ADVICE =
  "hash it first (`user.set_password(…)`, Django `make_password`, Werkzeug `generate_password_hash`, `bcrypt.hashpw` or argon2) and store only the hash";

function accountName(name: string): boolean {
  const words = nameWords(name);
  return words.some((word) => ACCOUNT_WORDS.has(word)) && !words.some((word) => SCHEMA_WORDS.has(word));
}

function isCapitalised(name: string): boolean {
  return /^[A-Z]/u.test(name);
}

export const plaintextPasswordStorage: RuleModule = {
  meta: {
    id: "PG-IDENT-004",
    name: "plaintext-password-storage",
    title: "Password stored or compared in plain text",
    sections: ["C7", "C2"],
    cwe: [256, 312],
    defaultSeverity: "error",
    docs: {
      whatItDoes:
        "Reports a password as the user typed it (a password-named parameter or variable, `request.form[\"password\"]`, `request.POST.get(\"password\")`, `form.password.data`, `serializer.validated_data[\"password\"]`) stored without hashing: assigned to an account's password attribute (`user.password = …`, `self.password = …` in a model class), passed as `password=` to a model constructor or `Model.objects.create`/`update`/`insert`/SQLAlchemy `values`, put under a `\"password\"` key in a document-store write (`insert_one`, `update_one`…), or written by an `INSERT`/`UPDATE` statement that names a password column. Also reports `user.password == password`, which only works when passwords are stored in plain text.",
      whyIsThisBad:
        "Whoever reads the database (a SQL injection, a leaked backup, an insider) gets every user's password, which people reuse on other sites. Stored passwords must be slow, salted hashes.",
      example: 'def func_register(request):\n    user = User(email=request.form["email"])\n    user.password = request.form["password"]\n    db.session.add(user)',
      useInstead:
        'from werkzeug.security import generate_password_hash\n\n\ndef func_register(request):\n    user = User(email=request.form["email"])\n    user.password = generate_password_hash(request.form["password"])\n    db.session.add(user)',
      notes:
        "Not reported: values produced by any call (a hash function, or anything else: the rule cannot see inside, so it trusts calls), names that say they hold a hash (`passwordHash`, `hashedPassword`), a variable whose last assignment is a call (`password = make_password(password)`), Django's `create_user`/`create_superuser`/`set_password` (they hash), request schemas and forms (`UserCreate(password=…)`, `LoginForm(password=…)`), connection and client objects that keep a password to log in elsewhere (`self.password = password` outside a model class, `psycopg2.connect(password=…)`), and string literals (hard-coded passwords are PG-SEC-001's).",
    },
  },
  create(context) {
    const analyses = context.analyses;

    /** Describes the raw password `expression` holds (`request.form["password"]`), or null. */
    function rawPassword(expression: SyntaxNode, depth = 0): string | null {
      if (depth > 3) return null;
      const node = unparenthesize(expression);
      switch (node.type) {
        case "identifier": {
          if (!isPasswordName(node.text)) return null;
          const binding = analyses.scopes.bindingBefore(node.text, node);
          if (!binding) return node.text;
          if (binding.kind === "assignment" || binding.kind === "walrus") {
            if (!binding.value) return node.text;
            return rawPassword(binding.value, depth + 1) ? node.text : null;
          }
          if (binding.kind === "import" || binding.kind === "function" || binding.kind === "class") return null;
          return node.text;
        }
        case "attribute":
        case "subscript": {
          const name = valueName(node);
          if (!name || !isPasswordName(name)) return null;
          const receiver = node.type === "attribute" ? field(node, "object") : field(node, "value");
          return receiver && isInputSource(receiver.text) ? snippet(node.text) : null;
        }
        case "call": {
          const callee = field(node, "function");
          if (!callee) return null;
          if (callee.type === "attribute") {
            const method = field(callee, "attribute")?.text ?? "";
            if (method === "get" || method === "pop" || method === "getlist") {
              const key = stringValue(callArguments(node).positional[0]);
              const receiver = field(callee, "object");
              return key !== null && isPasswordName(key) && receiver && isInputSource(receiver.text) ? snippet(node.text) : null;
            }
            if (method === "strip" || method === "encode" || method === "lstrip" || method === "rstrip") {
              const receiver = field(callee, "object");
              return receiver ? rawPassword(receiver, depth + 1) : null;
            }
            return null;
          }
          if (callee.type === "identifier" && callee.text === "str") {
            const first = callArguments(node).positional[0];
            return first ? rawPassword(first, depth + 1) : null;
          }
          return null;
        }
        default:
          return null;
      }
    }

    /** `user.password`, `self.user.password`, `self.password` in a model class: an account's password field. */
    function isAccountPasswordField(target: SyntaxNode): boolean {
      if (target.type !== "attribute") return false;
      const attribute = field(target, "attribute")?.text;
      if (!attribute || !isPasswordName(attribute)) return false;
      const receiver = field(target, "object");
      if (!receiver) return false;
      if (receiver.type === "identifier" && receiver.text === "self") return inModelClass(target);
      const receiverName = valueName(receiver);
      return receiverName !== null && accountName(receiverName);
    }

    function inModelClass(node: SyntaxNode): boolean {
      for (let scope = analyses.scopes.scopeAt(node).parent; scope; scope = scope.parent) {
        if (scope.kind !== "class") continue;
        const bases = field(scope.node, "superclasses");
        return bases !== null && MODEL_BASE.test(bases.text);
      }
      return false;
    }

    function report(node: SyntaxNode, where: string, raw: string): void {
      context.report({ node, message: `${where} the plain-text password \`${raw}\`; ${ADVICE}.` });
    }

    /** A model class call or a model write method: `User(...)`, `User.objects.create(...)`, `Account.insert(...)`. */
    function modelWrite(call: SyntaxNode, lastName: string): string | null {
      const callee = field(call, "function");
      if (!callee) return null;
      if (isCapitalised(lastName)) return accountName(lastName) ? lastName : null;
      if (!MODEL_WRITE_METHODS.has(lastName) || callee.type !== "attribute") return null;
      if (lastName === "values") return analyses.importsModule("sqlalchemy") ? callee.text : null;
      // The model is the first capitalised name in the receiver chain: User.objects.create, db.User.create.
      let receiver = field(callee, "object");
      for (let depth = 0; receiver && depth < 4; depth++) {
        const name = receiver.type === "identifier" ? receiver.text : receiver.type === "attribute" ? (field(receiver, "attribute")?.text ?? "") : "";
        if (isCapitalised(name)) return accountName(name) ? snippet(callee.text, 40) : null;
        receiver = receiver.type === "attribute" ? field(receiver, "object") : null;
      }
      return null;
    }

    function checkDocument(call: SyntaxNode, callee: string): void {
      const args = callArguments(call);
      const candidates = [...args.positional.slice(0, 2), args.keywords.get("Item"), args.keywords.get("document")];
      for (const candidate of candidates) {
        if (!candidate) continue;
        let dict = unparenthesize(candidate);
        if (dict.type !== "dictionary") continue;
        // update_one(filter, {"$set": {...}})
        for (const pair of dict.namedChildren) {
          if (pair.type !== "pair") continue;
          const key = stringValue(field(pair, "key"));
          const value = field(pair, "value");
          if (key === null || !value) continue;
          if (key.startsWith("$") && unparenthesize(value).type === "dictionary") {
            dict = unparenthesize(value);
            for (const inner of dict.namedChildren) {
              if (checkPair(inner, call, callee)) return;
            }
            continue;
          }
          if (checkPair(pair, call, callee)) return;
        }
      }
    }

    function checkPair(pair: SyntaxNode, call: SyntaxNode, callee: string): boolean {
      if (pair.type !== "pair") return false;
      const key = stringValue(field(pair, "key"));
      const value = field(pair, "value");
      if (key === null || !value || !isPasswordName(key)) return false;
      const raw = rawPassword(value);
      if (!raw) return false;
      report(call, `\`${callee}\` stores \`"${key}"\` as`, raw);
      return true;
    }

    function checkSql(call: SyntaxNode): void {
      const args = callArguments(call);
      const sql = stringValue(args.positional[0]);
      if (sql === null || !SQL_PASSWORD_WRITE.test(sql)) return;
      const params = args.positional[1];
      if (!params) return;
      const container = unparenthesize(params);
      const values = container.type === "tuple" || container.type === "list" ? container.namedChildren : [container];
      for (const value of values) {
        const raw = rawPassword(value);
        if (raw) {
          report(call, "The SQL statement writes a password column from", raw);
          return;
        }
      }
    }

    function checkComparison(node: SyntaxNode): void {
      if (node.childCount !== 3) return;
      const operator = node.child(1)?.type;
      if (operator !== "==" && operator !== "!=") return;
      const left = node.child(0);
      const right = node.child(2);
      if (!left || !right) return;
      for (const [stored, given] of [
        [left, right],
        [right, left],
      ] as const) {
        const storedNode = unparenthesize(stored);
        if (!isAccountPasswordField(storedNode)) continue;
        const raw = rawPassword(given);
        if (!raw) continue;
        context.report({
          node,
          message: `\`${snippet(storedNode.text, 40)}\` is compared with the plain-text password \`${raw}\`, so passwords are stored in plain text; store a slow hash and check it with \`check_password\`, \`check_password_hash\`, \`bcrypt.checkpw\` or argon2's \`verify\`.`,
        });
        return;
      }
    }

    return {
      assignment(node) {
        const left = field(node, "left");
        if (left?.type !== "attribute") return;
        const right = field(node, "right");
        if (!right || !isAccountPasswordField(left)) return;
        const raw = rawPassword(right);
        if (raw) report(node, `\`${snippet(left.text, 40)}\` is set to`, raw);
      },
      comparison_operator(node) {
        checkComparison(node);
      },
      call(node) {
        const lastName = calleeLastName(node);
        if (lastName === null) return;
        if (lastName === "execute" || lastName === "executemany") {
          checkSql(node);
          return;
        }
        if (DOCUMENT_WRITES.has(lastName)) {
          const callee = field(node, "function");
          if (callee) checkDocument(node, snippet(callee.text, 40));
          if (lastName !== "insert" && lastName !== "set") return;
        }
        const model = modelWrite(node, lastName);
        if (!model) return;
        const args = callArguments(node);
        for (const [keyword, value] of args.keywords) {
          if (!isPasswordName(keyword)) continue;
          const raw = rawPassword(value);
          if (raw) report(node, `\`${model}\` receives \`${keyword}=\``, raw);
          return;
        }
        if (lastName === "get_or_create" || lastName === "update_or_create") {
          const defaults = args.keywords.get("defaults");
          if (defaults && unparenthesize(defaults).type === "dictionary") {
            for (const pair of unparenthesize(defaults).namedChildren) if (checkPair(pair, node, model)) return;
          }
        }
      },
    };
  },
};
