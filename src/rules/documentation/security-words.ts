import { nameWords } from "../secrets/lexicon.js";

/** Words that make a function security-relevant when its name contains them (after camelCase and `_` splitting). */
const SECURITY_NAME_WORDS = new Set([
  "auth", "authenticate", "authentication", "authenticated", "authorize", "authorization", "authorized", "login", "logout",
  "signin", "signon", "password", "passwd", "passphrase", "token", "tokens", "jwt", "crypt", "encrypt", "decrypt",
  "encryption", "decryption", "cipher", "sign", "signature", "signed", "hmac", "permission", "permissions", "perm",
  "perms", "acl", "role", "roles", "csrf", "otp", "mfa", "totp", "secret", "secrets", "credential", "credentials",
  "sanitize", "sanitise", "nonce", "salt", "privilege", "privileges", "admin", "oauth", "saml", "sso", "apikey", "captcha",
]);

/** Two-word names: `verify_email` is not security-relevant, `verify_signature` is (by its second word). */
export function isSecurityName(name: string): boolean {
  const words = nameWords(name.replace(/^_*func_/u, ""));
  return words.some((word) => SECURITY_NAME_WORDS.has(word)) || /(?:^|_)(?:api_?key|pass_?word)(?:$|_)/iu.test(name);
}

/** Calls that make the function around them security-relevant, by resolved name prefix or exact name. */
export const SECURITY_CALL_PREFIXES = ["hmac.", "hashlib.", "bcrypt.", "argon2.", "jwt.", "cryptography.", "Crypto.", "Cryptodome.", "nacl.", "secrets.", "passlib.", "itsdangerous.", "ssl."];
export const SECURITY_CALLS = new Set([
  "werkzeug.security.check_password_hash", "werkzeug.security.generate_password_hash", "django.contrib.auth.authenticate",
  "django.contrib.auth.login", "django.contrib.auth.hashers.make_password", "django.contrib.auth.hashers.check_password",
  "flask_login.login_user", "flask_login.logout_user", "os.urandom", "hmac.compare_digest",
]);

/** Words in a TODO/FIXME note that make it a security note. */
export const SECURITY_NOTE_PATTERN =
  /\b(secur\w*|insecure|vuln\w*|cve-\d+|exploit\w*|auth\w*|password\w*|passwd|credential\w*|secret\w*|token\w*|csrf|xss|ssrf|xxe|injection|inject\w*|sanitiz\w*|sanitis\w*|escap\w+|encrypt\w*|decrypt\w*|crypto\w*|hash\w*|permission\w*|privilege\w*|access control|ssl|tls|certificate\w*|cert|verify|validat\w* (?:the )?(?:input|host|url|request|user|payload|upload|file ?name|path)\w*|input validation|allow.?list|deny.?list|whitelist|blacklist|untrusted|rate.?limit\w*|brute.?force|threat\w*)\b/iu;
