import { callArguments, field, unparenthesize } from "../../engine/syntax.js";
import type { RuleContext, RuleOptions, SyntaxNode } from "../../engine/types.js";
import { nameWords } from "../configuration/helpers.js";

/**
 * What counts as an authentication or authorization check, for the access-control rules: auth
 * decorators, FastAPI dependencies, checks in a function body, DRF permission classes.
 */

/** Decorators that require a logged-in or authorized user (compared by their last dotted name). */
export const DEFAULT_AUTH_DECORATORS: readonly string[] = [
  "login_required", "fresh_login_required", "jwt_required", "fresh_jwt_required", "jwt_refresh_token_required",
  "roles_required", "roles_accepted", "permission_required", "permissions_required", "auth_required",
  "http_auth_required", "token_required", "auth_token_required", "user_passes_test", "staff_member_required",
  "superuser_required", "admin_required", "requires_auth", "require_auth", "require_login", "requires_login",
  "authenticated", "requires", "verify_token", "oidc_auth", "accept_roles", "scopes_required", "group_required",
];

/** Subject and requirement words of project decorators: `func_adminRequired`, `func_requireLogin`, `ensure_staff`. */
const SUBJECT_WORDS = new Set([
  "login", "logged", "signed", "auth", "authenticated", "authentication", "authorize", "authorized", "authorization",
  "permission", "permissions", "perm", "perms", "role", "roles", "admin", "staff", "superuser", "jwt", "token", "scope",
  "scopes", "user", "owner", "member", "group", "groups", "access", "session", "privilege", "privileges",
]);
const REQUIREMENT_WORDS = new Set(["required", "require", "requires", "accepted", "only", "check", "checked", "protected", "ensure", "need", "needs", "must", "verify", "verified", "enforce", "restricted"]);
const SELF_SUFFICIENT_WORDS = new Set(["authenticated", "authorized", "authorised"]);

export interface AuthSettings {
  decorators: ReadonlySet<string>;
  publicRoutes: readonly RegExp[];
  trustDrfDefaults: boolean;
}

const DEFAULT_PUBLIC = [
  /(?:^|[/_-])(?:log[-_]?in|log[-_]?out|sign[-_]?in|sign[-_]?out|sign[-_]?up|register|registration|password[-_/]?reset|reset[-_/]?password|forgot[-_/]?password|webhooks?|health[a-z]*|ready|readiness|liveness|ping|callback|oauth2?|token|refresh|verify[-_]email|unsubscribe|csp[-_]report|contact|feedback|newsletter|subscribe)(?:$|[/_.<{-])/iu,
];
const PUBLIC_NAME_WORDS = new Set(["login", "logout", "signin", "signout", "signup", "register", "registration", "webhook", "webhooks", "health", "healthcheck", "callback", "oauth", "unsubscribe", "subscribe", "contact", "feedback", "newsletter"]);

const settingsCache = new WeakMap<object, AuthSettings>();
let defaultSettings: AuthSettings | undefined;

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/**
 * Options of the access-control rules: `authDecorators` (names added to the defaults),
 * `publicRoutes` (regular expressions over route paths and function names for deliberately public
 * endpoints) and `trustDrfDefaults` (DRF views without `permission_classes` follow the project's
 * `DEFAULT_PERMISSION_CLASSES`; default true).
 */
export function authSettings(options: RuleOptions): AuthSettings {
  const hasOwn = options.authDecorators !== undefined || options.publicRoutes !== undefined || options.trustDrfDefaults !== undefined;
  if (!hasOwn) {
    defaultSettings ??= { decorators: new Set(DEFAULT_AUTH_DECORATORS), publicRoutes: DEFAULT_PUBLIC, trustDrfDefaults: true };
    return defaultSettings;
  }
  const cached = settingsCache.get(options);
  if (cached) return cached;
  const extraPublic: RegExp[] = [];
  for (const source of stringArray(options.publicRoutes)) {
    try {
      extraPublic.push(new RegExp(source, "iu"));
    } catch {
      // An invalid pattern is ignored rather than failing every file.
    }
  }
  const settings: AuthSettings = {
    decorators: new Set([...DEFAULT_AUTH_DECORATORS, ...stringArray(options.authDecorators).map((name) => name.slice(name.lastIndexOf(".") + 1))]),
    publicRoutes: [...DEFAULT_PUBLIC, ...extraPublic],
    trustDrfDefaults: options.trustDrfDefaults !== false,
  };
  settingsCache.set(options, settings);
  return settings;
}

/** True for a route path or view name that is deliberately public (login, signup, webhooks, health checks). */
export function isPublicEndpoint(settings: AuthSettings, path: string | null, functionName: string): boolean {
  if (path !== null && settings.publicRoutes.some((pattern) => pattern.test(path))) return true;
  if (settings.publicRoutes.slice(DEFAULT_PUBLIC.length).some((pattern) => pattern.test(functionName))) return true;
  const words = nameWords(functionName);
  if (words.some((word) => PUBLIC_NAME_WORDS.has(word))) return true;
  // func_signUp, func_logIn, func_resetPassword
  const joined = words.join("");
  return /signup|signin|login|logout|resetpassword|passwordreset|forgotpassword|verifyemail/u.test(joined);
}

/** True when a name reads as an auth requirement: `login_required`, `func_adminRequired`, `require_role`, `authenticated`. */
export function isAuthName(settings: AuthSettings, name: string): boolean {
  const last = name.slice(name.lastIndexOf(".") + 1);
  if (settings.decorators.has(last)) return true;
  const words = nameWords(last);
  if (words.some((word) => SELF_SUFFICIENT_WORDS.has(word))) return true;
  return words.some((word) => SUBJECT_WORDS.has(word)) && words.some((word) => REQUIREMENT_WORDS.has(word));
}

const AUTH_DEPENDENCY = /(?:currentuser|getuser|activeuser|user|auth|verify|require|token|permission|admin|jwt|apikey|login|principal|session|credential|oauth|bearer|scope)/u;
const DEPENDS_CALL = /\b(Depends|Security)\s*\(\s*([\w.]*)/gu;
const AUTH_ANNOTATION = /:\s*(?:Annotated\[\s*)?\w*(?:CurrentUser|AuthUser|AuthenticatedUser|AdminUser|ActiveUser|Principal|Identity|Claims|TokenData|TokenPayload)\b/u;

/** FastAPI: `Depends(get_current_user)`, `Security(oauth2Scheme)` or a `CurrentUser` annotation in a parameter list or decorator text. */
export function hasAuthDependency(text: string): boolean {
  DEPENDS_CALL.lastIndex = 0;
  for (let match = DEPENDS_CALL.exec(text); match; match = DEPENDS_CALL.exec(text)) {
    if (match[1] === "Security") return true;
    const name = (match[2] ?? "").toLowerCase().replaceAll("_", "");
    if (AUTH_DEPENDENCY.test(name)) return true;
  }
  return AUTH_ANNOTATION.test(text);
}

/** Checks in a body that decide on the user: `current_user.is_authenticated`, `has_perm`, `abort(403)`, `raise PermissionDenied`, `if not g.user`. */
const BODY_CHECKS = [
  /\b(?:current_user|request\.user|g\.user|request\.auth|user)\b[\w.]*\.(?:is_authenticated|is_anonymous|is_active|is_staff|is_superuser|is_admin|has_perms?|has_role|has_permission|has_module_perms)\b/u,
  /\babort\(\s*(?:401|403|HTTPStatus\.(?:UNAUTHORIZED|FORBIDDEN)|status\.HTTP_40[13])/u,
  /\bstatus(?:_code)?\s*=\s*(?:401|403|status\.HTTP_40[13]|HTTPStatus\.(?:UNAUTHORIZED|FORBIDDEN))/u,
  /\b(?:HTTP_401_UNAUTHORIZED|HTTP_403_FORBIDDEN|HttpResponseForbidden|PermissionDenied|Forbidden|Unauthorized|NotAuthenticated|HTTPForbidden|HTTPUnauthorized|AuthenticationFailed)\b/u,
  /\b(?:verify_jwt_in_request|get_jwt_identity|get_current_user|check_permissions?|check_object_permissions|has_permission|require_permission|require_role|verify_token|verify_api_key|check_auth|check_authorized|authenticate)\s*\(/u,
  // A request whose sender proves itself with a signature (webhooks) is authenticated.
  /\bcompare_digest\(|\bverify_\w*signature\w*\(|\bconstruct_event\(/u,
  // Objects filtered by their owner: `get_object_or_404(Order, pk=pk, owner=request.user)`.
  /\b(?:owner|user|author|created_by|account)(?:_id)?\s*=\s*(?:request\.user|current_user|g\.user)\b/u,
  /\bif\s+not\s+(?:g\.user|current_user|request\.user|session\.get\()/u,
  /\bsession(?:\.get\(\s*|\[\s*)["'][\w-]*(?:user|logged|auth|uid|account)[\w-]*["']/iu,
  /["'][\w-]*(?:user|logged|auth|uid)[\w-]*["']\s+(?:not\s+)?in\s+session\b/iu,
  /\bredirect\(\s*(?:url_for\(\s*)?["'][\w./:-]*login/iu,
  /\bredirect_to_login\(|\blogin_url\b/u,
];

export function hasBodyCheck(text: string): boolean {
  return BODY_CHECKS.some((pattern) => pattern.test(text));
}

/**
 * The names a decorator expression stands for, for matching: `login_required` for
 * `@login_required`, `@auth.login_required` and `@login_required()`; for
 * `@method_decorator(login_required, name="dispatch")` the wrapped decorator.
 */
export function decoratorName(decorator: SyntaxNode): string | null {
  const expression = decorator.type === "call" ? field(decorator, "function") : decorator;
  if (!expression) return null;
  if (expression.type === "identifier") return expression.text;
  if (expression.type === "attribute") return field(expression, "attribute")?.text ?? null;
  return null;
}

const PRINCIPAL_RECEIVER = /perm|role|admin|need|principal|access/iu;

/** True when a decorator requires authentication or a permission. */
export function isAuthDecorator(context: RuleContext, settings: AuthSettings, decorator: SyntaxNode): boolean {
  const name = decoratorName(decorator);
  if (name === null) return false;
  if (decorator.type === "call") {
    const args = callArguments(decorator);
    if (name === "method_decorator") {
      const wrapped = args.positional[0];
      if (!wrapped) return false;
      const inner = unparenthesize(wrapped);
      if (inner.type === "list" || inner.type === "tuple") return inner.namedChildren.some((child) => isAuthDecorator(context, settings, child));
      return isAuthDecorator(context, settings, inner);
    }
    if (name === "permission_classes") {
      const first = args.positional[0];
      return first !== undefined && permissionClassesOpenness(context, first) === "restricted";
    }
    if (name === "authentication_classes") {
      const first = args.positional[0];
      return first !== undefined && !isEmptySequence(first);
    }
    // Flask-Principal: @admin_permission.require(), @Permission(RoleNeed("admin")).require(403)
    if (name === "require") {
      const callee = field(decorator, "function");
      const receiver = callee?.type === "attribute" ? field(callee, "object") : null;
      return receiver !== null && PRINCIPAL_RECEIVER.test(receiver.text);
    }
  }
  return isAuthName(settings, name);
}

function isEmptySequence(node: SyntaxNode): boolean {
  const expression = unparenthesize(node);
  return (expression.type === "list" || expression.type === "tuple") && expression.namedChildren.every((child) => child.type === "comment");
}

const ALLOW_ANY = /(?:^|\.)AllowAny$/u;

/**
 * What a `permission_classes` value allows: "open" for `[AllowAny]`, `(AllowAny,)` or an empty
 * list, "restricted" for any other list, "unknown" for values computed elsewhere.
 */
export function permissionClassesOpenness(context: RuleContext, value: SyntaxNode): "open" | "restricted" | "unknown" {
  const expression = unparenthesize(value);
  if (expression.type !== "list" && expression.type !== "tuple") {
    if (expression.type === "identifier" || expression.type === "attribute") return ALLOW_ANY.test(expression.text) ? "open" : "unknown";
    return "unknown";
  }
  const elements = expression.namedChildren.filter((child) => child.type !== "comment");
  if (elements.length === 0) return "open";
  const allOpen = elements.every((element) => {
    const resolved = element.type === "identifier" || element.type === "attribute" ? context.analyses.resolve(element) : null;
    const text = resolved?.name ?? element.text;
    return ALLOW_ANY.test(text) || /(?:^|\.)AllowAny["']$/u.test(element.text);
  });
  return allOpen ? "open" : "restricted";
}
